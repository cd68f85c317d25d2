// Package dates finds and resolves date expressions in English (and common
// Spanish) text: in article sentences, relative to the article's publication
// date, and in questions, relative to today. Every date it returns is an ISO
// 8601 prefix: "2010-02-19", "2010-02" or "2010".
//
// # Article sentences (Find, SentenceDate)
//
// Forms with their own year:
//
//	February 19, 2010 · Feb. 19, 2010 · Friday, February 19th, 2010 · February 19 2010
//	19 February 2010 · 19th of February, 2010 · 19 de febrero de 2010
//	February 2010 · July, 2009 · February of 2010 · febrero de 2010
//	2010-02-19 · 2010/02/19 · 02/19/2010 (US order; 19/02/2010 when the first number exceeds 12)
//
// A bare year is a four-digit number from 1900 to 2100 standing alone: not
// glued to letters or other digits ("FY2010", "2010-11", "02/2010"), not part of
// a larger number ("2,010", "2010.5"), not money ("$2010"), not a percentage,
// not a label's number ("No. 2010", "Resolution 2010", "more than 2010") and not
// a count ("2004 people", "2010 years"). "mid-2004" and "1999–2004" count.
//
// Forms that take their year from the reference date (ref, the article's
// date; nothing is found when ref is unknown or too coarse):
//
//	on February 19th · on Friday, February 19 · 19 February · 19 de febrero
//	in May · since March · mid-May · en mayo   (a month alone needs a preposition)
//	last May · next March
//
// The year is that of ref, unless the date would then fall more than six
// months (183 days when both are full days) after ref: news reports the past,
// so the previous year is used. When a weekday is given and only the other
// of those two years matches it, that year is used.
//
// English month names must be capitalised in article text, and a month
// without a day or a year needs a preposition before it ("in May", "since
// March", "by June", "early July"): "the talks may resume" and "May the talks
// resume" hold no date. Abbreviations ("Feb.", "Sept") need a day or a year.
//
// Relative expressions need ref to be precise enough:
//
//	yesterday, today, tomorrow, ayer, hoy                 a full-day ref
//	Friday, on Friday, el viernes                         a full-day ref: the most recent such day on or
//	                                                      before ref ("last Friday": strictly before;
//	                                                      "next Friday": strictly after)
//	last/this/next week, la semana pasada                 a full-day ref: the month of that (Monday-based) week
//	last/this/next month, el mes pasado, este mes         a month ref
//	last/this/next year, el año pasado, este año          a year ref
//	3 days/weeks/months/years ago, hace dos años          as above for the unit
//
// "The last year" or "the past month" are durations, not dates, and are left
// alone, as are names such as "USA Today" (a capitalised "Today" after a
// capitalised word) and "Good Friday".
//
// SentenceDate picks the most specific mention of a sentence: a full date
// over a month, a month over a year; the first among equals.
//
// # Questions (QueryRange)
//
// Questions are read case-insensitively, relative to now. Only explicit time
// expressions count, and the recognised words are removed from the cleaned
// question used for searching:
//
//	in/during/on X           X..X      ("in February 2010", "on July 11, 2021", "in 2015";
//	                                    "in 2015 or 2016" and "in May and June 2022" join both)
//	since/from X             since X
//	after X                  since the unit after X ("after 2021" → since 2022)
//	before X                 until the unit before X ("before 2020" → until 2019)
//	until/till/through/by X  until X
//	between X and Y          X..Y      (also "from X to Y", "from 2021-2023", "in 2021–2023")
//	last year, this year, last month, this month, last week, yesterday, today   calendar periods
//	in the last 6 months, past 3 years, over the past year, the last decade     since now minus that
//	latest, newest, most recent, recent, recently, lately, in recent years      Latest, no range
//
// A bare year counts only after one of those prepositions: "the 2021
// protests" keeps its year as a search word. A month alone or a weekday alone
// also needs a preposition ("in May"); its year is the most recent one that
// does not put it after now, or, when the question names one earlier year
// elsewhere ("after July 11, per the November 2021 statement"), the most
// recent one that does not put it after that year's end. Full dates and
// month-year forms count without a preposition ("July 11, 2021"), except
// when a determiner or possessive
// stands before them ("the July 2021 protests", "Cuba's July 2021 protests"),
// where they name something rather than bound the search. Several
// expressions are intersected; if they contradict each other their union is
// used.
//
// # Flags (Normalize)
//
// Normalize accepts one explicit date — "2010", "2010-02", "2010-02-19",
// "February 2010", "Feb 19 2010", "19 February 2010", "02/19/2010", an RFC 3339
// timestamp — and nothing relative.
package dates
