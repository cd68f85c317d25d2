package text

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"attache/internal/dates"
)

// Type is the kind of detail a question asks for.
type Type int

// Answer types. TypeNone is a question whose answer is not one detail of a
// kind that can be recognised in text (what, why, how).
const (
	TypeNone     Type = iota
	TypeDate          // when, what year, what day
	TypeNumber        // how many, what number: a count
	TypePerson        // who, whom, which official
	TypeAmount        // how much, what percentage, what amount: a quantity
	TypeDuration      // how long: a length of time
	TypeClock         // what time, at what hour: a time of day
	TypePlace         // where, in which city: a place
	TypeBody          // which agency, which organisation: an institution
	TypeName          // the name of the ship: a name given to what the question says
)

// String names the type: "none", "date", "number" or "person".
func (t Type) String() string {
	switch t {
	case TypeDate:
		return "date"
	case TypeNumber:
		return "number"
	case TypePerson:
		return "person"
	case TypeAmount:
		return "amount"
	case TypeDuration:
		return "duration"
	case TypeClock:
		return "time of day"
	case TypePlace:
		return "place"
	case TypeBody:
		return "organisation"
	case TypeName:
		return "name"
	}
	return "none"
}

// AskedType returns the kind of detail a question asks for, read from its
// first interrogative word (English or Spanish): "who" asks for a person,
// "when" or "what year" for a date, "how many" for a count, "how much" or
// "what percentage" for an amount. An interrogative word that stands after the question's first
// clause ("What did the official who met them say?") is a relative pronoun
// and asks for nothing.
func AskedType(question string) Type {
	t, _ := askedHead(question)
	return t
}

// askedHead is AskedType with the noun the interrogative determines, when
// it names the kind of detail ("city" in "In which city…", "ministers" in
// "Which Ecuadorian ministers…"); "" for "who", "when", "where"….
func askedHead(question string) (Type, string) {
	if rest, ok := afterWhenClause(question); ok {
		return askedHead(rest) // "When Sheinbaum took office, what did Biden say…?"
	}
	words := Words(question)
	for i, w := range words {
		next := ""
		if i+1 < len(words) {
			next = words[i+1]
		}
		switch w {
		case "who", "whom", "whose", "quien", "quienes":
			if i > 0 && !leadingWords[words[i-1]] && IsContent(words[i-1]) {
				continue // "Haitians who reached…": a relative pronoun
			}
			if w == "whose" {
				return TypePerson, w // a person's or a body's
			}
			return TypePerson, ""
		case "when", "cuando":
			return TypeDate, ""
		case "how":
			switch next {
			case "many":
				return TypeNumber, ""
			case "much":
				if i+2 < len(words) && timeNouns[words[i+2]] {
					return TypeDuration, "" // "how much time"
				}
				return TypeAmount, ""
			case "long":
				return TypeDuration, ""
			case "big", "large":
				return TypeAmount, "" // a size
			case "old":
				return TypeNumber, "" // an age: a count of years (askOf)
			}
			return TypeNone, ""
		case "cuantos", "cuantas":
			return TypeNumber, ""
		case "cuanto", "cuanta":
			if timeNouns[next] {
				return TypeDuration, "" // "cuánto tiempo"
			}
			return TypeAmount, ""
		case "what", "which", "que", "cual", "cuales":
			// "what year", "which official", "qué año"; "in what year"
			// is read the same way through its preposition. The noun may
			// follow the words describing it ("which Panamanian
			// minister", "which State Department official").
			rest := words[i+1:]
			if len(rest) > 2 && copulas[rest[0]] && (rest[1] == "the" || rest[1] == "el" || rest[1] == "la") {
				rest = rest[2:] // "what was the value of…" asks as "what value"
			}
			named := false
			if len(rest) > 3 && nameAdjectives[rest[0]] && rest[1] == "name" {
				rest = rest[1:] // "the full name of…"
			}
			if len(rest) > 2 && (rest[0] == "name" || rest[0] == "names" || rest[0] == "nombre") && (rest[1] == "of" || rest[1] == "de") {
				rest = rest[2:] // "the name of the minister" is the minister
				for len(rest) > 0 && (rest[0] == "the" || rest[0] == "el" || rest[0] == "la") {
					rest = rest[1:]
				}
				named = true
			}
			t, head, ok := headType(rest)
			if named && (!ok || t == TypeNone) {
				// "What was the name of the ship…": a name given to the
				// thing the question says, whatever its kind.
				if head := namedThing(question); head != "" {
					return TypeName, head
				}
			}
			if ok {
				if t == TypeNone && countryNouns[head] && i > 0 && (words[i-1] == "in" || words[i-1] == "at") {
					// "In which country were they…": where, though a
					// country asked for is otherwise an actor.
					return TypePlace, head
				}
				return t, head
			}
			if w == "que" || w == "cual" || w == "cuales" {
				continue // also a relative pronoun in Spanish: keep reading
			}
			return TypeNone, ""
		case "where", "donde":
			return TypePlace, ""
		case "why", "por", "como":
			if w == "por" && next != "que" {
				continue
			}
			return TypeNone, ""
		}
		if i >= 3 && !leadingWords[w] {
			// Past the opening words: a later "who" or "when" is relative.
			return TypeNone, ""
		}
	}
	return TypeNone, ""
}

// nameAdjectives stand before "name" without changing what is asked ("the
// full name of…").
var nameAdjectives = setOf(`full official exact real`)

// namedThing returns the noun whose name a question asks for ("ship" in
// "What was the name of the ship carrying…", "superyacht" in "…the name of
// the Alisher Usmanov superyacht that…"), folded: the last word written in
// lower case of the noun phrase after "name of", which ends at a function
// word, a verb form or a name written after it ("the Honduran driver ICE
// wants"); "" when the phrase holds no such word.
func namedThing(question string) string {
	toks := Tokens(question)
	i := 0
	for ; i+1 < len(toks); i++ {
		if (toks[i].Word == "name" || toks[i].Word == "names") && toks[i+1].Word == "of" {
			break
		}
	}
	head := ""
	for j := i + 2; j < len(toks) && j <= i+2+headReach+1; j++ {
		w := toks[j].Word
		raw := question[toks[j].Start:toks[j].End]
		r, _ := utf8.DecodeRuneInString(raw)
		switch {
		case w == "the" || w == "a" || w == "an":
			if head != "" {
				return head
			}
		case w == "s" && j > 0:
			head = "" // a possessive: "Wilson's rancho" names the rancho
		case !IsContent(w) || verbForms[w]:
			return head
		case head != "" && (strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing")):
			return head // "the man accused of…", "the ship carrying…": a clause begins
		case unicode.IsUpper(r):
			if head != "" {
				return head // "the Honduran driver ICE wants"
			}
		default:
			head = w
		}
	}
	return head
}

// afterWhenClause returns what follows a question's opening when-clause
// when the question proper comes after it: "When Sheinbaum took office,
// what did Biden say…?" asks what, not when.
func afterWhenClause(question string) (string, bool) {
	words := Words(question)
	if len(words) == 0 || (words[0] != "when" && words[0] != "cuando") {
		return "", false
	}
	i := strings.IndexByte(question, ',')
	if i < 0 {
		return "", false
	}
	rest := question[i+1:]
	rw := Words(rest)
	if len(rw) > 0 && (interrogatives[rw[0]] || auxiliaries[rw[0]]) {
		return rest, true // "When Harris spoke in Nassau, did she say…": a yes-or-no question
	}
	return "", false
}

// interrogatives open a question.
var interrogatives = map[string]bool{"what": true, "who": true, "whom": true, "whose": true,
	"which": true, "where": true, "why": true, "how": true, "que": true, "quien": true,
	"quienes": true, "cual": true, "cuales": true, "donde": true, "como": true, "cuanto": true,
	"cuantos": true, "cuanta": true, "cuantas": true}

// headType reads the noun an interrogative determines: the last of the
// words after it that names a kind of detail, within headReach words and
// before any function word ("which *Panamanian*
// minister" asks for a person, "which country leads" for none).
func headType(words []string) (Type, string, bool) {
	found, t, head := false, TypeNone, ""
	n := 0 // words read, a possessive's "s" aside
	for j, w := range words {
		if w == "u" && j+1 < len(words) && words[j+1] == "s" || w == "s" && j > 0 && words[j-1] == "u" {
			continue // "U.S." is read as two words; it describes the noun ("which U.S. agencies")
		}
		if w == "s" && j > 0 {
			// A possessive: "which prosecutor's office" asks for the
			// office, which the possessor describes.
			found, t, head, n = false, TypeNone, "", 0
			continue
		}
		if otherWords[w] && n == 0 {
			continue // "which other officials" asks for officials
		}
		n++
		if n > headReach || (IsStopword(w) && w != "us") {
			break // "us" after "which" is the U.S. ("which US agency")
		}
		var k Type
		switch {
		case clockNouns[w] && j+1 < len(words) && spanNouns[words[j+1]]:
			k = TypeDuration // "what time frame"
		case clockNouns[w]:
			k = TypeClock
		case dateNouns[w]:
			k = TypeDate
		case w == "number" || w == "numero":
			k = TypeNumber
		case numberNouns[w]:
			k = TypeAmount
		case IsPersonNoun(w):
			k = TypePerson
		case placeNouns[w]:
			k = TypePlace
		case bodyNouns[w]:
			k = TypeBody
		case countryNouns[w]:
			k = TypeNone // an actor, unless asked with a preposition of place
		default:
			continue
		}
		// The noun is the last of the phrase: "which State Department
		// *official*" asks for a person.
		found, t, head = true, k, w
	}
	return t, head, found
}

// otherWords, right after an interrogative, set aside what the question
// already names ("which *other* officials") without being the noun it
// asks for.
var otherWords = setOf(`other another otra otro otras otros`)

// headReach is how many words an interrogative's noun is looked for in:
// a noun and two words describing it.
const headReach = 3

// copulas stand between an interrogative and the noun it asks about
// ("What *is the* name…").
var copulas = map[string]bool{"is": true, "was": true, "are": true, "were": true, "es": true, "fue": true,
	"s": true} // "what's"

// spanNouns after "time" make it a length of time ("time frame").
var spanNouns = setOf(`frame frames period periods span spans scale scales limit limits horizon horizons
	line lines`)

// timeNouns after "how much" ask for a length of time.
var timeNouns = map[string]bool{"time": true, "tiempo": true}

// leadingWords may stand before a question's interrogative word without
// ending its first clause ("And in what year…", "So who…", "Y desde cuándo…").
var leadingWords = map[string]bool{"and": true, "so": true, "but": true, "then": true, "in": true,
	"on": true, "at": true, "to": true, "with": true, "by": true, "for": true, "from": true,
	"since": true, "of": true, "y": true, "e": true, "pero": true, "en": true, "a": true,
	"con": true, "de": true, "desde": true, "para": true, "entonces": true}

// Nouns that, after "what"/"which", ask for a date, a number or a person.
var (
	dateNouns = map[string]bool{"year": true, "years": true, "day": true, "date": true, "month": true,
		"ano": true, "dia": true, "fecha": true, "mes": true}
	clockNouns = map[string]bool{"time": true, "hour": true, "hora": true}
	// A country asked for is most often an actor ("Which country leads
	// the force?"), so only nouns of places smaller than a country ask
	// for a place.
	bodyNouns = map[string]bool{"agency": true, "agencies": true, "organization": true,
		"organizations": true, "organisation": true, "organisations": true, "institution": true,
		"institutions": true, "company": true, "companies": true, "firm": true, "firms": true,
		"department": true, "ministry": true, "office": true, "bank": true, "group": true,
		"groups": true, "team": true, "teams": true, "mission": true, "missions": true, "agencia": true, "organizacion": true,
		"organismo": true, "institucion": true, "empresa": true, "ministerio": true, "banco": true}
	// placeNouns ask for a place: any place, one smaller than a country
	// (smallPlaces) or a building or venue (facilityNouns). A state asks
	// for one only after a preposition of place (countryNouns).
	placeNouns = func() map[string]bool {
		m := union(setOf(`location place lugar`), union(smallPlaces, facilityNouns))
		for w := range countryNouns {
			delete(m, w)
		}
		return m
	}()
	// countryNouns ask for a country or a state: an actor ("Which country
	// leads the force?") unless asked with a preposition of place ("In
	// which country…", "In which US state…": a state is smaller than a
	// country).
	countryNouns = map[string]bool{"country": true, "countries": true, "nation": true, "nations": true,
		"state": true, "states": true, "pais": true, "paises": true, "estado": true}
	numberNouns = map[string]bool{"percentage": true, "percent": true, "proportion": true, "share": true,
		"number": true, "amount": true, "sum": true, "figure": true, "total": true, "budget": true,
		"cost": true, "price": true, "value": true, "porcentaje": true, "presupuesto": true, "costo": true, "precio": true,
		"cantidad": true, "cifra": true, "numero": true, "monto": true, "suma": true,
		// Measured quantities.
		"magnitude": true, "size": true, "toll": true, "length": true, "distance": true,
		"height": true, "weight": true, "volume": true, "magnitud": true, "tamano": true,
		"turnout": true, "population": true, "margin": true, "tally": true, "rate": true, "rates": true}
	personNouns = map[string]bool{"official": true, "officials": true, "person": true, "people": true,
		"leader": true, "leaders": true, "president": true, "minister": true, "secretary": true,
		"senator": true, "ambassador": true, "envoy": true, "diplomat": true, "diplomats": true,
		"spokesperson": true, "spokesman": true, "spokeswoman": true, "advisor": true, "adviser": true,
		"americans": true, "lider": true, "lideres": true, "funcionario": true, "funcionarios": true,
		"presidente": true, "ministro": true, "ministra": true, "secretario": true, "embajador": true,
		"persona": true, "personas": true,
		// People named by what they do or are, asked for as a group.
		"ministers": true, "presidents": true, "ambassadors": true, "envoys": true, "senators": true,
		"dissidents": true, "activists": true, "journalists": true, "politicians": true,
		"members": true, "prisoners": true, "detainees": true, "lawmakers": true, "legislators": true,
		"negotiators": true, "prosecutors": true, "judges": true, "advisers": true, "advisors": true,
		"representatives": true, "delegates": true, "disidentes": true, "periodistas": true,
		"miembros": true, "presos": true, "politicos": true,
		// People named by office or standing.
		"prosecutor": true, "judge": true, "commander": true,
		"commanders": true, "governor": true, "governors": true, "mayor": true, "mayors": true,
		"negotiator": true, "mediator": true, "candidate": true, "candidates": true, "dissident": true,
		"activist": true, "journalist": true, "politician": true, "member": true, "prisoner": true,
		"detainee": true, "lawmaker": true, "legislator": true, "representative": true, "delegate": true,
		"king": true, "queen": true, "pope": true, "chancellor": true, "premier": true, "director": true,
		"directors": true, "administrator": true, "commissioner": true, "officer": true, "officers": true,
		"founder": true, "chief": true, "chiefs": true, "counterpart": true, "counterparts": true,
		"chairman": true, "chairwoman": true, "citizens": true, "nationals": true,
		"agent": true, "agents": true}
)

// IsPersonNoun reports whether a folded noun names people: after "which"
// or "what" it asks for a person ("which Panamanian minister").
func IsPersonNoun(w string) bool {
	return personNouns[w] || roleNouns[w]
}

// Holds reports whether a sentence or passage holds a detail of type t: a
// date expression (resolved against ref, the article's date, as
// internal/dates reads it), a number or amount that is not part of a date,
// or a person's name or title. Names in exclude (folded words, typically the
// question's) do not count as the person asked for; a country the
// question does not name counts as one, "who" asking for an agent: a question that names
// its subject is not answered by the passage naming it back. TypeNone is
// held by any text.
func Holds(t Type, s, ref string, exclude map[string]bool) bool {
	switch t {
	case TypeDate:
		return len(Dates(s, ref)) > 0
	case TypeNumber:
		return holdsNumber(s, ref, false)
	case TypeAmount:
		return holdsNumber(s, ref, true)
	case TypePerson:
		return holdsPerson(s, exclude) || holdsAgent(s, exclude)
	case TypeDuration:
		return holdsDuration(s)
	case TypeClock:
		return clockTime.MatchString(s)
	case TypePlace:
		return holdsPlace(s, exclude, anyPlace)
	case TypeBody:
		return holdsBody(s, exclude)
	}
	return true
}

// holdsBody: an institution the question does not name: a capitalised
// name with a word of an institution's name and a word the question does
// not write ("Development Finance Corporation", "Department of Commerce"
// for "which department"), or an acronym of two or more capitals ("OECD",
// "USAID").
func holdsBody(s string, exclude map[string]bool) bool {
	toks := Tokens(s)
	body, novel, run := false, false, 0
	for i, tok := range toks {
		raw := s[tok.Start:tok.End]
		r, _ := utf8.DecodeRuneInString(raw)
		if len(raw) >= 2 && capitals(raw) && !exclude[tok.Word] && !IsStopword(tok.Word) &&
			(i == 0 || !capitals(s[toks[i-1].Start:toks[i-1].End])) && (i+1 == len(toks) || !capitals(s[toks[i+1].Start:toks[i+1].End])) {
			return true // an acronym, not a word of a run of capitals ("SENIOR ADMINISTRATION OFFICIAL")
		}
		switch {
		case unicode.IsUpper(r) && !monthOrDay[tok.Word]:
			run++
			body = body || bodyWords[tok.Word]
			novel = novel || (!exclude[tok.Word] && !IsStopword(tok.Word) && !bodyWords[tok.Word])
		case run > 0 && nameJoiners[tok.Word] && i+1 < len(toks):
			continue // "Department *of* Commerce"
		default:
			body, novel, run = false, false, 0
			continue
		}
		if body && novel {
			return true // "Department of Commerce" for "which department"
		}
	}
	return false
}

// holdsNameOf reports whether a sentence gives the name of the thing a
// question calls head ("the ship", "the gunman"): a capitalised name the
// question does not write that holds a form of the head word ("the
// *Amalthea Initiative*" for "the name of the initiative") or stands within
// nameReach words of it ("the superyacht *Dilbar*", "the gunman, *John
// Doe*"). A name elsewhere in the sentence is most often another's.
func holdsNameOf(s, head string, exclude map[string]bool) bool {
	toks := Tokens(s)
	fam := Family(head)
	var at []int // tokens of the head word
	for i, t := range toks {
		if Family(t.Word) == fam {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return false
	}
	start, novel, words := -1, false, 0
	for i := 0; i <= len(toks); i++ {
		capital := false
		if i < len(toks) {
			raw := s[toks[i].Start:toks[i].End]
			r, _ := utf8.DecodeRuneInString(raw)
			capital = unicode.IsUpper(r) && !monthOrDay[toks[i].Word]
			if start >= 0 && !capital && nameJoiners[toks[i].Word] && i+1 < len(toks) {
				continue // "Bicentennial Framework *for* Security"
			}
		}
		if capital {
			if start < 0 {
				start, novel, words = i, false, 0
			}
			words++
			w := toks[i].Word
			if !exclude[w] && !IsStopword(w) && Family(w) != fam && !IsTitle(w) {
				novel = true
			}
			continue
		}
		if start >= 0 && novel && (start > 0 || words > 1) {
			// A name of toks[start:i]: the head inside it or near it.
			for _, h := range at {
				if h >= start && h < i || h < start && start-h <= nameReach || h >= i && h-(i-1) <= nameReach {
					return true
				}
			}
		}
		start = -1
	}
	return false
}

// nameReach is how many words from the word of a thing its name may stand:
// the name right after it ("the superyacht Dilbar"), or an apposition ("the
// gunman, identified as Mauricio Garcia", "Dilbar, the superyacht").
const nameReach = 4

// capitals reports whether a word is written in capitals: two letters or
// more, none of them lower case.
func capitals(raw string) bool {
	letters := 0
	for _, r := range raw {
		switch {
		case unicode.IsLower(r):
			return false
		case unicode.IsLetter(r):
			letters++
		}
	}
	return letters >= 2
}

// nameJoiners stand inside the names of institutions.
var nameJoiners = map[string]bool{"of": true, "the": true, "for": true, "and": true, "on": true}

// bodyWords end or begin the names of institutions.
var bodyWords = map[string]bool{"department": true, "ministry": true, "agency": true, "office": true,
	"group": true, "team": true, "mission": true, "movement": true,
	"council": true, "commission": true, "committee": true, "bank": true, "fund": true,
	"corporation": true, "organization": true, "organisation": true, "institute": true,
	"bureau": true, "service": true, "administration": true, "authority": true, "company": true,
	"command": true, "court": true, "university": true}

// namedGroups returns the countries and bodies that words name.
func namedGroups(words map[string]bool) map[int]bool {
	named := map[int]bool{}
	for w := range words {
		if g, ok := NameGroup(w); ok {
			named[g] = true
		}
	}
	return named
}

// Kinds of place a question may ask for (placeKind).
const (
	anyPlace   = iota // "where": a country will do
	settlement        // "in which city", "which province": smaller than a country
	facility          // "in which building", "which venue": smaller than a city
)

// placeKind is the kind of place a question's head noun asks for.
func placeKind(head string) int {
	switch {
	case facilityNouns[head]:
		return facility
	case smallPlaces[head]:
		return settlement
	}
	return anyPlace
}

// holdsPlace: a capitalised name after a preposition of place ("in
// Tegucigalpa", "at the White House", "near Apulia") that is no date and
// not a place the question names itself (exclude, and the countries its
// words belong to), or a capital city the question does not name. A name
// followed by a word it describes ("in Transatlantic security", "the
// Paris Agreement") is no place. When the question asks for a place
// smaller than a country (a settlement: "in which city"), a country, a
// demonym, a body or a region ("in Southern Mexico") does not hold it;
// when it asks for a building or a venue (a facility), only a name of one
// does ("at the Cuban Interests Section", "Lancaster House"), not a city.
func holdsPlace(s string, exclude map[string]bool, kind int) bool {
	named := namedGroups(exclude)
	toks := Tokens(s)
	words := make([]string, len(toks))
	for i, tok := range toks {
		words[i] = tok.Word
	}
	for i := 0; i < len(toks); {
		if !upperAt(s, toks[i]) {
			i++
			continue
		}
		e := i + 1 // the run of capitalised words from i
		for e < len(toks) && upperAt(s, toks[e]) && adjacent(s[toks[e-1].End:toks[e].Start]) {
			e++
		}
		if placeRun(s, toks, words, i, e, exclude, named, kind) {
			return true
		}
		i = e
	}
	return false
}

// placeRun judges the run of capitalised words toks[i:e] for holdsPlace.
func placeRun(s string, toks []Token, words []string, i, e int, exclude map[string]bool, named map[int]bool, kind int) bool {
	if e < len(toks) && adjacent(s[toks[e-1].End:toks[e].Start]) && !IsStopword(toks[e].Word) && !timeAdverbs[toks[e].Word] {
		return false // "Transatlantic security", "Paris Agreement": describing, not placing
	}
	// The run's words, dates and the question's own words aside; a
	// function word standing alone ("The") names nothing, an acronym
	// ("UN") does.
	if e-i == 1 && IsStopword(words[i]) && s[toks[i].Start:toks[i].End] != strings.ToUpper(words[i]) {
		return false
	}
	var name []string
	for _, w := range words[i:e] {
		if !monthOrDay[w] && !exclude[w] {
			name = append(name, w)
		}
	}
	if len(name) == 0 {
		return false
	}
	if kind == facility {
		if !slices.ContainsFunc(name, func(w string) bool { return facilityWords[w] }) {
			return false
		}
	} else {
		if e-i == 1 && IsCapital(words[i]) && !exclude[words[i]] {
			return true // a city, more precise than the country a question names
		}
		if n := MentionAt(words, i); n > 0 {
			if g, ok := MentionGroup(strings.Join(words[i:i+n], " ")); ok && (kind == settlement || named[g]) {
				return false
			}
		}
		if kind == settlement && regionWords[words[i]] {
			return false // "in Southern Mexico": a region
		}
	}
	j := i - 1
	if j >= 0 && toks[j].Word == "the" {
		j--
	}
	return j >= 0 && placePrepositions[toks[j].Word] && toks[j].Word != "to" && toks[j].Word != "from"
}

// timeAdverbs may follow a place ("in Vilnius last year").
var timeAdverbs = setOf(`last next this today yesterday tomorrow earlier later recently soon
	tonight now`)

// smallPlaces are the places asked for that a country does not answer;
// facilityNouns those that a city does not answer either.
var (
	smallPlaces = setOf(`city cities town towns village villages capital capitals province provinces region
		regions island islands county counties site sites state
		ciudad provincia estado`)
	facilityNouns = setOf(`building buildings venue venues residence palace prison prisons hotel
		hotels port ports airport airports base bases room camp camps carcel puerto`)
	// facilityWords are words of the names of buildings and venues.
	facilityWords = setOf(`house palace hotel center centre building hall embassy section base
		airport prison castle room ministry capitol residence estate club resort stadium museum
		university cathedral church gardens park headquarters pentagon`)
	// regionWords open the names of regions and oceans, not of
	// settlements.
	regionWords = setOf(`north south east west northern southern eastern western central
		northeast northwest southeast southwest upper lower greater atlantic pacific arctic
		caribbean mediterranean hemisphere americas`)
)

// upperAt reports whether a token is written with a capital.
func upperAt(s string, t Token) bool {
	r, _ := utf8.DecodeRuneInString(s[t.Start:])
	return unicode.IsUpper(r)
}

// TypeWords returns the folded words of a question that say what kind of
// detail it asks for ("day" in "On what day…", "many" in "how many"): they
// are the question's form, not its topic, and no passage need hold them.
func TypeWords(question string) map[string]bool {
	out := map[string]bool{}
	words := Words(question)
	for i := 0; i+1 < len(words); i++ {
		w, next := words[i], words[i+1]
		switch {
		case w == "how" && (next == "many" || next == "much" || next == "long"):
			out[next] = true
		case w == "what" || w == "which" || w == "que" || w == "cual":
			for j := i + 1; j < len(words) && j <= i+headReach; j++ {
				x := words[j]
				if dateNouns[x] || clockNouns[x] || numberNouns[x] || IsPersonNoun(x) {
					out[x] = true
					break
				}
				if IsStopword(x) {
					break
				}
			}
		}
	}
	return out
}

// clockTime matches a time of day: "10:30", "9 a.m.", "3 pm", "noon",
// "midnight", "o'clock".
var clockTime = regexp.MustCompile(`(?i)\b\d{1,2}(:\d\d)?\s*(a\.?m\.?|p\.?m\.?)(\W|$)|\b\d{1,2}:\d\d\b|\bnoon\b|\bmidnight\b|o['’]clock|\b(this|in the|that|tomorrow|yesterday) (morning|afternoon|evening)\b|\btonight\b`)

// durationUnits are the units of a length of time.
var durationUnits = map[string]bool{"second": true, "seconds": true, "minute": true, "minutes": true,
	"hour": true, "hours": true, "day": true, "days": true, "week": true, "weeks": true,
	"month": true, "months": true, "year": true, "years": true, "decade": true, "decades": true,
	"minuto": true, "minutos": true, "hora": true, "horas": true, "dia": true, "dias": true,
	"semana": true, "semanas": true, "mes": true, "meses": true, "ano": true, "anos": true}

// holdsDuration: a count followed by a unit of time ("45 minutes", "two
// years", "an hour").
func holdsDuration(s string) bool {
	words := Words(s)
	for i := 1; i < len(words); i++ {
		if !durationUnits[words[i]] {
			continue
		}
		p := words[i-1]
		if dayKinds[p] && i >= 2 {
			p = words[i-2] // "180 *calendar* days", "ten business days"
		}
		if allDigits(p) || numberWords[p] || spanWords[p] {
			return true
		}
		if i >= 3 && spanOpeners[words[i-3]] && words[i-2] == "the" && spanEdges[p] {
			return true // "over the next year", "during the past decade"
		}
		if strings.HasSuffix(words[i], "s") && (spanOpeners[p] || p == "many" && i >= 2 && spanOpeners[words[i-2]]) {
			return true // "for years", "after many years"
		}
	}
	for i := 0; i+1 < len(words); i++ {
		if lengthUnits[words[i+1]] && (allDigits(words[i]) || numberWords[words[i]]) {
			return true // "How long is the border?": a length of space
		}
	}
	for _, m := range dates.Find(s, "") {
		if before := Words(s[:m.Start]); len(before) > 0 && before[len(before)-1] == "since" {
			return true // "since 2022": how long, counted from then
		}
	}
	return false
}

// dayKinds stand between a count and its unit of time, saying which days
// count ("180 calendar days", "five business days").
var dayKinds = setOf(`calendar business working consecutive`)

// spanWords stand before a unit of time as its count ("an hour", "several
// years"); spanOpeners and spanEdges around a span without a count ("over
// the next year", "for years", "after many years").
var (
	spanWords   = setOf(`a an several few many`)
	spanOpeners = setOf(`for after over within during in`)
	spanEdges   = setOf(`next past coming last first`)
	lengthUnits = setOf(`mile miles kilometer kilometers kilometre kilometres km feet foot meters metres yards`)
)

// numberWords are counts written out. "one" and "a" are left out: they
// are articles and pronouns far more often than amounts.
var numberWords = map[string]bool{"two": true, "three": true, "four": true, "five": true, "six": true,
	"seven": true, "eight": true, "nine": true, "ten": true, "eleven": true, "twelve": true,
	"fifteen": true, "twenty": true, "thirty": true, "forty": true, "fifty": true, "sixty": true,
	"seventy": true, "eighty": true, "ninety": true, "hundred": true, "hundreds": true,
	"thousand": true, "thousands": true, "million": true, "millions": true, "billion": true,
	"billions": true, "trillion": true, "dozen": true, "dozens": true, "half": true,
	"percent": true, "dos": true, "tres": true, "cuatro": true, "cinco": true, "diez": true,
	"cien": true, "mil": true, "millon": true, "millones": true, "porcentaje": true}

// holdsNumber: a numeral (digits standing alone or with a currency sign, a
// thousands separator or a decimal point; not glued to letters as in
// "COVID-19" or "G7"; not a list label "(1)"), a percent sign, or a count in words — outside the
// date expressions of the text. A count in words right after "the" refers
// back to a known group ("the two countries") and counts nothing new; one
// written with a capital inside a sentence is part of a name ("the Cuban
// Five"). An
// amount (amount true) is a quantity: digits, a magnitude ("two million",
// "thousands") or a percentage, not a small count in words ("five
// challenges").
func holdsNumber(s, ref string, amount bool) bool {
	if strings.ContainsRune(s, '%') {
		return true
	}
	return len(numberTokens(s, ref, Tokens(s), amount)) > 0
}

// isNumberAt reports whether toks[i] is a number as holdsNumber reads
// them; inDate marks the bytes of s inside date expressions.
func isNumberAt(s string, toks []Token, i int, inDate []bool, amount bool) bool {
	tok := toks[i]
	if inDate[tok.Start] {
		return false
	}
	if numberWords[tok.Word] {
		r, _ := utf8.DecodeRuneInString(s[tok.Start:])
		// "the two leaders" names people, not a count; "the hundreds of
		// protestors" counts them.
		the := i > 0 && toks[i-1].Word == "the" && !(magnitudes[tok.Word] && strings.HasSuffix(tok.Word, "s"))
		return !(the || i > 0 && unicode.IsUpper(r) || (amount && !magnitudes[tok.Word]))
	}
	r, _ := utf8.DecodeRuneInString(s[tok.Start:])
	if !unicode.IsDigit(r) || !allDigits(tok.Word) {
		return false // "19th", "2nd", "G7"
	}
	if tok.Start > 0 && tok.End < len(s) && s[tok.Start-1] == '(' && s[tok.End] == ')' {
		return false // an enumeration label, "(1)"
	}
	if tok.End < len(s) && (s[tok.End] == '.' || s[tok.End] == ')') && strings.TrimSpace(s[:tok.Start]) == "" {
		return false // an enumeration label opening a line, "1." or "2)"
	}
	if tok.Start > 0 {
		p, _ := utf8.DecodeLastRuneInString(s[:tok.Start])
		if p == '-' && tok.Start > 1 {
			if q, _ := utf8.DecodeLastRuneInString(s[:tok.Start-1]); unicode.IsLetter(q) {
				return false // "COVID-19", "H-1"
			}
		}
	}
	return true
}

// magnitudes are the number words that make an amount on their own.
var magnitudes = map[string]bool{"hundred": true, "hundreds": true, "thousand": true, "thousands": true,
	"million": true, "millions": true, "billion": true, "billions": true, "trillion": true,
	"percent": true, "mil": true, "millon": true, "millones": true, "porcentaje": true, "half": true}

func allDigits(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return w != ""
}

// titleWords are the capitalised titles by which articles name people:
// "President Obama", "Secretary Mayorkas", "the Vice President".
var titleWords = map[string]bool{"president": true, "vice": true, "secretary": true, "minister": true,
	"ambassador": true, "senator": true, "representative": true, "governor": true, "mayor": true,
	"king": true, "queen": true, "prince": true, "pope": true, "cardinal": true, "general": true,
	"admiral": true, "chancellor": true, "premier": true, "director": true, "administrator": true,
	"commissioner": true, "envoy": true, "advisor": true, "adviser": true, "deputy": true,
	"undersecretary": true, "chairman": true, "chairwoman": true, "chair": true, "speaker": true,
	"judge": true, "justice": true, "attorney": true, "mr": true, "mrs": true, "ms": true, "dr": true,
	"sheikh": true, "emir": true, "sultan": true, "presidente": true, "ministro": true, "ministra": true,
	"secretario": true, "canciller": true, "embajador": true,
	// The short forms of titles, written with a full stop ("Rep. Barragán",
	// "Sen. Durbin", "Gov. Moore"), are titles too.
	"rep": true, "sen": true, "gov": true, "gen": true, "amb": true, "lt": true, "col": true,
	"adm": true, "capt": true, "sgt": true, "prof": true, "rev": true, "hon": true}

// IsTitle reports whether a folded word is a title by which articles name
// people ("president", "secretary", "minister").
func IsTitle(w string) bool { return titleWords[w] }

// titleBefore reports whether a folded word is a title standing before
// names, in the singular or the plural ("Ambassadors Garcetti and
// Sandhu", "Secretaries Blinken and Austin").
func titleBefore(w string) bool {
	switch {
	case titleWords[w]:
		return true
	case len(w) > 5 && strings.HasSuffix(w, "ies"):
		return titleWords[strings.TrimSuffix(w, "ies")+"y"]
	case len(w) > 4 && strings.HasSuffix(w, "s"):
		return titleWords[strings.TrimSuffix(w, "s")]
	}
	return false
}

// institutionWords mark a capitalised sequence as the name of a body, a
// place, a document or an event rather than a person ("State Department",
// "New York Times", "Cuban Adjustment Act", "White House").
var institutionWords = map[string]bool{"act": true, "house": true, "department": true, "ministry": true,
	"office": true, "council": true, "assembly": true, "nations": true, "union": true, "republic": true,
	"government": true, "administration": true, "section": true, "agency": true, "bank": true,
	"fund": true, "court": true, "congress": true, "senate": true, "committee": true,
	"commission": true, "forces": true, "army": true, "navy": true, "party": true, "times": true,
	"post": true, "news": true, "press": true, "summit": true, "agreement": true, "treaty": true,
	"plan": true, "program": true, "initiative": true, "dialogue": true, "partnership": true,
	"framework": true, "day": true, "strategy": true, "policy": true, "affairs": true,
	"security": true, "state": true, "states": true, "foreign": true, "national": true,
	"international": true, "federal": true, "new": true, "north": true, "south": true, "east": true,
	"west": true, "northern": true, "southern": true, "western": true, "eastern": true,
	"hemisphere": true, "coast": true, "guard": true, "sea": true, "ocean": true, "river": true,
	"island": true, "islands": true, "channel": true, "strait": true, "bay": true,
	"lake": true, "canal": true, "peninsula": true, "mountains": true, "valley": true, "region": true,
	"province": true, "border": true, "gulf": true, "city": true, "americas": true, "america": true,
	"caribbean": true, "europe": true, "african": true, "africa": true, "asia": true, "pacific": true,
	"atlantic": true, "latin": true, "central": true, "organization": true, "institute": true,
	"university": true, "center": true, "centre": true, "corporation": true, "company": true,
	"group": true, "force": true, "bureau": true, "service": true, "services": true, "authority": true,
	"statement": true, "fact": true, "sheet": true, "readout": true, "joint": true, "declaration": true}

// holdsPerson: a role ("the two fisheries ministers", "Cuban officials"), a
// title followed by a name or standing as a name ("President Obama", "the
// Vice President"), or a sequence of two or more capitalised
// words that are neither function words, dates, country names nor words of
// an institution's name ("Craig Kelly", "George W. Bush"). The first word
// of a sentence is capitalised anyway and counts only with another
// capitalised word after it.
func holdsPerson(s string, exclude map[string]bool) bool {
	return holdsPeople(s, exclude, true, true)
}

// holdsNamedPerson is holdsPerson without roles standing alone: a name,
// or a title standing as one.
func holdsNamedPerson(s string, exclude map[string]bool) bool {
	return holdsPeople(s, exclude, false, true)
}

// holdsPersonName is holdsNamedPerson without titles standing alone: a
// person's name ("Kelly Loeffler", "Administrator Loeffler"), not "the
// Vice President".
func holdsPersonName(s string, exclude map[string]bool) bool {
	return holdsPeople(s, exclude, false, false)
}

func holdsPeople(s string, exclude map[string]bool, roles, titles bool) bool {
	toks := Tokens(s)
	var run []Token
	flush := func() bool {
		defer func() { run = run[:0] }()
		return personRun(run, exclude, titles)
	}
	for i, tok := range toks {
		r, _ := utf8.DecodeRuneInString(s[tok.Start:])
		if !unicode.IsUpper(r) {
			if len(run) > 0 && flush() {
				return true
			}
			if roles && roleNouns[tok.Word] && !exclude[tok.Word] {
				return true
			}
			continue
		}
		if len(run) > 0 && !adjacent(s[toks[i-1].End:tok.Start]) {
			if flush() {
				return true
			}
		}
		run = append(run, tok)
	}
	return len(run) > 0 && flush()
}

// holdsPeopleNamed reports whether a sentence names a people as an answer
// to a plain "who" (see peopleOf).
//
// peopleOf reports whether toks[i] names a people as an answer to "who":
// "people" after a demonym or before "of" and a name ("the Cuban people",
// "the people of Haiti"), when the question does not write the word
// itself. Only a plain "who" is answered so: "which candidate" or "which
// members" ask for people by name.
func holdsPeopleNamed(s string, exclude map[string]bool) bool {
	toks := Tokens(s)
	for i := range toks {
		if peopleOf(s, toks, i, exclude) {
			return true
		}
	}
	return false
}

func peopleOf(s string, toks []Token, i int, exclude map[string]bool) bool {
	w := toks[i].Word
	if exclude[w] {
		return false
	}
	if w == "people" {
		if i > 0 && upperAt(s, toks[i-1]) {
			if _, group := MentionGroup(toks[i-1].Word); group {
				return true
			}
		}
		return i+2 < len(toks) && toks[i+1].Word == "of" && upperAt(s, toks[i+2])
	}
	return false
}

// adjacent reports whether the text between two capitalised words keeps
// them in one name: spaces and an initial's full stop ("George W. Bush").
func adjacent(gap string) bool {
	gap = strings.TrimSpace(gap)
	return gap == "" || gap == "."
}

// personRun decides whether a run of capitalised words names a person: the
// words after its last title ("Cuban National Assembly President Ricardo
// Alarcon" → "Ricardo Alarcon"), or the title alone when none follow ("the
// Vice President"), or, without a title, two or more words.
func personRun(run []Token, exclude map[string]bool, titles bool) bool {
	last, inst := -1, -1
	for i, tok := range run {
		if titleBefore(tok.Word) {
			last = i
		}
		if institutionWords[tok.Word] {
			inst = i
		}
	}
	if inst > last && inst < len(run)-2 {
		// The office before a name ("Homeland Security Alejandro
		// Mayorkas"): the name is what follows it, two words at least.
		return personRun(run[inst+1:], exclude, titles)
	}
	var name []string
	for _, tok := range run[last+1:] {
		if len(tok.Word) == 1 && tok.Word != "a" && tok.Word != "i" {
			continue // an initial ("Shalanda D. Young")
		}
		if IsStopword(tok.Word) || monthOrDay[tok.Word] {
			name = name[:0] // "The", "On Friday": not part of a name
			continue
		}
		name = append(name, tok.Word)
	}
	if last >= 0 && len(name) == 0 {
		// A person named by title, unless the question asks with that title.
		return titles && !exclude[run[last].Word]
	}
	if len(name) == 0 || (last < 0 && len(name) < 2) {
		return false
	}
	for _, w := range name {
		if _, place := NameGroup(w); place || institutionWords[w] || numberWords[w] || allDigits(w) {
			return false // "Big Three", "Cuban Five", "Group of 20": no one's name
		}
		if exclude[w] && !IsStopword(w) {
			// A person the question names ("President Guillermo Lasso"
			// for "…with Lasso") is not the person it asks for.
			return false
		}
	}
	return true
}

// holdsAgent: a country acting ("Jamaica and The Bahamas pledged to join")
// that the question does not name in any of its forms, and not placed
// after a preposition of place.
func holdsAgent(s string, exclude map[string]bool) bool {
	named := namedGroups(exclude)
	toks := Tokens(s)
	for i, tok := range toks {
		r, _ := utf8.DecodeRuneInString(s[tok.Start:])
		g, ok := NameGroup(tok.Word)
		if !ok || !unicode.IsUpper(r) || named[g] || exclude[tok.Word] {
			continue
		}
		if i > 0 && placePrepositions[toks[i-1].Word] {
			continue // "in Vatican City": where, not who
		}
		return true
	}
	return false
}

// placePrepositions put the country after them as a place ("in", "to").
var placePrepositions = map[string]bool{"in": true, "at": true, "to": true, "from": true, "into": true,
	"across": true, "within": true, "throughout": true, "near": true, "toward": true, "towards": true}

// roleNouns name people by what they do: an answer to "who" may name them
// so ("was signed by the two fisheries ministers").
var roleNouns = map[string]bool{"minister": true, "ministers": true, "president": true,
	"presidents": true, "secretary": true, "secretaries": true, "official": true, "officials": true,
	"ambassador": true, "ambassadors": true, "diplomat": true, "diplomats": true, "leader": true,
	"leaders": true, "envoy": true, "envoys": true, "senator": true, "senators": true,
	"spokesperson": true, "spokesman": true, "spokeswoman": true, "negotiator": true,
	"negotiators": true, "mediator": true, "mediators": true, "delegate": true, "delegates": true,
	"lawmakers": true, "legislators": true, "governor": true, "mayor": true, "king": true,
	"queen": true, "pope": true, "chancellor": true, "advisor": true, "adviser": true}

// monthOrDay are capitalised words that name dates, not people.
var monthOrDay = map[string]bool{"january": true, "february": true, "march": true, "april": true,
	"may": true, "june": true, "july": true, "august": true, "september": true, "october": true,
	"november": true, "december": true, "monday": true, "tuesday": true, "wednesday": true,
	"thursday": true, "friday": true, "saturday": true, "sunday": true}

// Dates returns the dates of s (resolved against ref, as internal/dates
// reads them) that tell when something happened: a year that ends the
// name of a law or an accord ("the Water Resources Development Act of
// 2020", "the Paris Agreement of 2015") names that instrument, not a time
// the sentence speaks of.
func Dates(s, ref string) []dates.Mention {
	all := dates.Find(s, ref)
	out := all[:0:0]
	for _, m := range all {
		if !instrumentYear(s, m) {
			out = append(out, m)
		}
	}
	return out
}

// instrumentYear reports whether a date mention is a bare year after "of"
// that follows a capitalised word naming a law or an accord.
func instrumentYear(s string, m dates.Mention) bool {
	if len(m.Text) != 4 || !allDigits(m.Text) {
		return false
	}
	toks := Tokens(s[:m.Start])
	n := len(toks)
	if n < 2 || toks[n-1].Word != "of" || !upperAt(s, toks[n-2]) {
		return false
	}
	return instruments[toks[n-2].Word]
}

// instruments are the kinds of law and accord whose names end in their
// year.
var instruments = setOf(`act acts law laws treaty treaties accord accords agreement agreements
	declaration convention protocol code resolution charter amendments amendment`)
