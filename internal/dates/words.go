package dates

import "time"

type monthWord struct {
	m       int
	english bool // must be capitalised in article text
	abbr    bool // needs a day or a year next to it
}

var monthWords = map[string]monthWord{
	"january": {1, true, false}, "february": {2, true, false}, "march": {3, true, false},
	"april": {4, true, false}, "may": {5, true, false}, "june": {6, true, false},
	"july": {7, true, false}, "august": {8, true, false}, "september": {9, true, false},
	"october": {10, true, false}, "november": {11, true, false}, "december": {12, true, false},

	"jan": {1, true, true}, "feb": {2, true, true}, "mar": {3, true, true}, "apr": {4, true, true},
	"jun": {6, true, true}, "jul": {7, true, true}, "aug": {8, true, true}, "sep": {9, true, true},
	"sept": {9, true, true}, "oct": {10, true, true}, "nov": {11, true, true}, "dec": {12, true, true},

	"enero": {1, false, false}, "febrero": {2, false, false}, "marzo": {3, false, false},
	"abril": {4, false, false}, "mayo": {5, false, false}, "junio": {6, false, false},
	"julio": {7, false, false}, "agosto": {8, false, false}, "septiembre": {9, false, false},
	"setiembre": {9, false, false}, "octubre": {10, false, false}, "noviembre": {11, false, false},
	"diciembre": {12, false, false},
}

type weekdayWord struct {
	wd      time.Weekday
	english bool
	abbr    bool
}

var weekdayWords = map[string]weekdayWord{
	"monday": {time.Monday, true, false}, "tuesday": {time.Tuesday, true, false},
	"wednesday": {time.Wednesday, true, false}, "thursday": {time.Thursday, true, false},
	"friday": {time.Friday, true, false}, "saturday": {time.Saturday, true, false},
	"sunday": {time.Sunday, true, false},

	"mon": {time.Monday, true, true}, "tue": {time.Tuesday, true, true}, "tues": {time.Tuesday, true, true},
	"wed": {time.Wednesday, true, true}, "thu": {time.Thursday, true, true}, "thur": {time.Thursday, true, true},
	"thurs": {time.Thursday, true, true}, "fri": {time.Friday, true, true}, "sat": {time.Saturday, true, true},
	"sun": {time.Sunday, true, true},

	"lunes": {time.Monday, false, false}, "martes": {time.Tuesday, false, false},
	"miércoles": {time.Wednesday, false, false}, "miercoles": {time.Wednesday, false, false},
	"jueves": {time.Thursday, false, false}, "viernes": {time.Friday, false, false},
	"sábado": {time.Saturday, false, false}, "sabado": {time.Saturday, false, false},
	"domingo": {time.Sunday, false, false},
}

// Units of relative expressions: d(ay), w(eek), m(onth), y(ear), D(ecade).
var unitWords = map[string]byte{
	"day": 'd', "days": 'd', "día": 'd', "días": 'd', "dia": 'd', "dias": 'd',
	"week": 'w', "weeks": 'w', "semana": 'w', "semanas": 'w',
	"month": 'm', "months": 'm', "mes": 'm', "meses": 'm',
	"year": 'y', "years": 'y', "año": 'y', "años": 'y',
	"decade": 'D', "decades": 'D',
}

var countWords = map[string]int{
	"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20,
	"un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
	"siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
}

// monthPreps may stand before a month named alone in article text.
var monthPreps = map[string]bool{
	"in": true, "since": true, "during": true, "until": true, "till": true, "through": true,
	"throughout": true, "by": true, "from": true, "before": true, "after": true, "early": true,
	"late": true, "mid": true, "around": true, "between": true,
	"en": true, "desde": true, "hasta": true, "durante": true, "de": true,
}

// labelWords before a number make it a label's number, not a year.
var labelWords = map[string]bool{
	"no": true, "nos": true, "number": true, "num": true, "resolution": true, "res": true,
	"section": true, "sec": true, "article": true, "art": true, "chapter": true, "page": true,
	"pages": true, "pp": true, "p": true, "paragraph": true, "para": true, "item": true,
	"flight": true, "route": true, "room": true, "highway": true, "law": true, "decree": true,
	"code": true, "model": true, "version": true, "vol": true, "volume": true, "issue": true,
	"case": true, "docket": true, "bill": true, "than": true, "ley": true, "decreto": true,
	"resolución": true, "número": true,
}

// countNouns after a number make it a count, not a year.
var countNouns = map[string]bool{
	"people": true, "persons": true, "individuals": true, "residents": true, "citizens": true,
	"migrants": true, "immigrants": true, "refugees": true, "rafters": true, "troops": true,
	"soldiers": true, "officers": true, "agents": true, "workers": true, "prisoners": true,
	"detainees": true, "children": true, "families": true, "men": true, "women": true,
	"votes": true, "visas": true, "cases": true, "deaths": true, "dollars": true, "pesos": true,
	"euros": true, "percent": true, "km": true, "kilometers": true, "kilometres": true,
	"miles": true, "meters": true, "metres": true, "feet": true, "tons": true, "tonnes": true,
	"hectares": true, "acres": true, "barrels": true, "hours": true, "minutes": true,
	"seconds": true, "days": true, "weeks": true, "months": true, "years": true, "times": true,
	"units": true, "personas": true, "migrantes": true, "dólares": true, "kilómetros": true,
}

// nameBefore a weekday makes a holiday or a name of it: "Good Friday".
var nameBefore = map[string]bool{
	"good": true, "black": true, "cyber": true, "super": true, "ash": true, "holy": true,
	"easter": true, "palm": true, "bloody": true, "maundy": true, "shrove": true, "giving": true,
	"great": true,
}

// determiners before a date make it name something: "the July 2021 protests",
// and before "last year" make a duration of it: "the last year". ("that" is
// left out: it is more often a conjunction, "said that last year".)
var determiners = map[string]bool{
	"the": true, "a": true, "an": true, "this": true, "these": true, "those": true,
	"its": true, "their": true, "his": true, "her": true, "our": true, "your": true, "my": true,
	"el": true, "la": true, "los": true, "las": true,
}
