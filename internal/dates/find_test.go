package dates

import (
	"strings"
	"testing"
	"time"
)

// found is a mention without offsets, for readable tables.
type found struct{ text, date string }

func TestFind(t *testing.T) {
	tests := []struct {
		name, text, ref string
		want            []found
	}{
		// Forms with their own year.
		{"month day year", "They met on February 19, 2010 in Havana.", "", []found{{"February 19, 2010", "2010-02-19"}}},
		{"ordinal with year", "They met on February 19th, 2010.", "", []found{{"February 19th, 2010", "2010-02-19"}}},
		{"no comma", "They met on February 19 2010.", "", []found{{"February 19 2010", "2010-02-19"}}},
		{"day month year", "They met on 19 February 2010.", "", []found{{"19 February 2010", "2010-02-19"}}},
		{"day of month year", "on the 19th of February, 2010,", "", []found{{"19th of February, 2010", "2010-02-19"}}},
		{"abbreviation", "They met on Feb. 19, 2010.", "", []found{{"Feb. 19, 2010", "2010-02-19"}}},
		{"abbreviation sept", "It ended Sept. 30, 2011.", "", []found{{"Sept. 30, 2011", "2011-09-30"}}},
		{"abbreviation no period", "It ended Dec 3 2011.", "", []found{{"Dec 3 2011", "2011-12-03"}}},
		{"weekday and year", "on Friday, February 19, 2010,", "", []found{{"Friday, February 19, 2010", "2010-02-19"}}},
		{"day range takes first day", "talks on February 19-20, 2010", "", []found{{"February 19-20, 2010", "2010-02-19"}}},
		{"month year", "In February 2010 they met.", "", []found{{"February 2010", "2010-02"}}},
		{"month comma year", "the round of talks held on July, 2009, in New York", "2010-02", []found{{"July, 2009", "2009-07"}}},
		{"month of year", "in February of 2010", "", []found{{"February of 2010", "2010-02"}}},
		{"all caps month", "FEBRUARY 19, 2010", "", []found{{"FEBRUARY 19, 2010", "2010-02-19"}}},
		{"iso", "Posted 2010-02-19.", "", []found{{"2010-02-19", "2010-02-19"}}},
		{"iso slashes", "Posted 2010/02/19.", "", []found{{"2010/02/19", "2010-02-19"}}},
		{"us order", "Posted 02/19/2010.", "", []found{{"02/19/2010", "2010-02-19"}}},
		{"day first when month impossible", "Publicado 19/02/2010.", "", []found{{"19/02/2010", "2010-02-19"}}},
		{"time before date", "At 10:30 on May 5, 2010 they met.", "", []found{{"May 5, 2010", "2010-05-05"}}},
		{"spanish full", "el 19 de febrero de 2010 en La Habana", "", []found{{"19 de febrero de 2010", "2010-02-19"}}},
		{"spanish with weekday", "el viernes 19 de febrero de 2010", "", []found{{"viernes 19 de febrero de 2010", "2010-02-19"}}},
		{"spanish month year", "en febrero de 2010", "", []found{{"febrero de 2010", "2010-02"}}},
		{"spanish month del year", "en julio del 2009", "", []found{{"julio del 2009", "2009-07"}}},

		// Bare years.
		{"in year", "It was suspended in 2004.", "", []found{{"2004", "2004"}}},
		{"since their suspension", "the second round of migration talks since their suspension in 2004 by President George W. Bush",
			"2010-02", []found{{"2004", "2004"}}},
		{"year at sentence start", "2010 was different.", "", []found{{"2010", "2010"}}},
		{"year in parentheses", "the accords (1994) held", "", []found{{"1994", "1994"}}},
		{"possessive year", "2004's suspension", "", []found{{"2004", "2004"}}},
		{"mid year", "until mid-2004", "", []found{{"2004", "2004"}}},
		{"year range", "from 1999–2004 they", "", []found{{"1999", "1999"}, {"2004", "2004"}}},
		{"two years", "Between 2004 and 2009 nothing.", "", []found{{"2004", "2004"}, {"2009", "2009"}}},
		{"year 1900", "in 1900", "", []found{{"1900", "1900"}}},
		{"year 2100", "by 2100", "", []found{{"2100", "2100"}}},

		// Year from ref.
		{"spec example", "met in Havana on Friday, February 19th, to discuss", "2010-02", []found{{"Friday, February 19th", "2010-02-19"}}},
		{"month day", "They met on February 19th.", "2010-02", []found{{"February 19th", "2010-02-19"}}},
		{"month day plain", "They met on February 19.", "2010-02-25", []found{{"February 19", "2010-02-19"}}},
		{"day month", "They met on 19 February.", "2010-03", []found{{"19 February", "2010-02-19"}}},
		{"spanish day month", "se reunieron el 19 de febrero", "2010-03", []found{{"19 de febrero", "2010-02-19"}}},
		{"ref year only", "on February 19", "2010", []found{{"February 19", "2010-02-19"}}},
		{"six months ahead keeps year", "on August 1", "2010-02", []found{{"August 1", "2010-08-01"}}},
		{"seven months ahead takes previous year", "on September 1", "2010-02", []found{{"September 1", "2009-09-01"}}},
		{"far ahead takes previous year", "on December 5", "2010-02", []found{{"December 5", "2009-12-05"}}},
		{"183 days ahead keeps year", "on August 21", "2010-02-19", []found{{"August 21", "2010-08-21"}}},
		{"184 days ahead takes previous year", "on August 22", "2010-02-19", []found{{"August 22", "2009-08-22"}}},
		{"earlier in the year", "on January 5", "2010-12-20", []found{{"January 5", "2010-01-05"}}},
		{"weekday picks the year", "on Tuesday, August 18", "2010-02", []found{{"Tuesday, August 18", "2009-08-18"}}},
		{"without weekday six-month rule", "on August 18", "2010-02", []found{{"August 18", "2010-08-18"}}},
		{"leap day in a common year", "on February 29", "2010-03", nil},
		{"unknown ref", "on Friday, February 19th", "", nil},
		{"invalid ref is unknown", "on February 19th", "Feb 2010", nil},
		{"in month", "The talks resume in May.", "2010-02", []found{{"May", "2010-05"}}},
		{"since month", "Talks stalled since March.", "2010-06", []found{{"March", "2010-03"}}},
		{"mid month", "until mid-May", "2010-02", []found{{"May", "2010-05"}}},
		{"spanish en month", "en mayo", "2010-02", []found{{"mayo", "2010-05"}}},
		{"last month name", "last May", "2010-02", []found{{"last May", "2009-05"}}},
		{"last same month", "last February", "2010-02", []found{{"last February", "2009-02"}}},
		{"next month name", "next March", "2010-02", []found{{"next March", "2010-03"}}},
		{"next earlier month", "next January", "2010-02", []found{{"next January", "2011-01"}}},

		// Weekdays.
		{"weekday before ref", "They met on Friday.", "2010-02-22", []found{{"Friday", "2010-02-19"}}},
		{"weekday on ref", "They met on Friday.", "2010-02-19", []found{{"Friday", "2010-02-19"}}},
		{"weekday without on", "The talks ended Friday.", "2010-02-22", []found{{"Friday", "2010-02-19"}}},
		{"last weekday on ref", "They met last Friday.", "2010-02-19", []found{{"last Friday", "2010-02-12"}}},
		{"next weekday", "They meet next Friday.", "2010-02-19", []found{{"next Friday", "2010-02-26"}}},
		{"weekday month ref", "They met on Friday.", "2010-02", nil},
		{"spanish weekday", "se reunieron el viernes", "2010-02-22", []found{{"viernes", "2010-02-19"}}},
		{"spanish weekday pasado", "el viernes pasado", "2010-02-19", []found{{"viernes pasado", "2010-02-12"}}},
		{"holiday", "on Good Friday", "2010-04-05", nil},
		{"lower-case weekday", "a friday feeling", "2010-02-22", nil},

		// Relative expressions.
		{"yesterday", "Officials said yesterday that", "2010-03-01", []found{{"yesterday", "2010-02-28"}}},
		{"today", "Today the talks resume.", "2010-02-19", []found{{"Today", "2010-02-19"}}},
		{"this morning", "The earthquake struck this morning.", "2021-08-14", []found{{"this morning", "2021-08-14"}}},
		{"tonight", "He will speak tonight.", "2021-08-14", []found{{"tonight", "2021-08-14"}}},
		{"tomorrow", "They meet tomorrow.", "2010-12-31", []found{{"tomorrow", "2011-01-01"}}},
		{"yesterday month ref", "said yesterday", "2010-02", nil},
		{"ayer hoy", "ayer y hoy", "2010-02-19", []found{{"ayer", "2010-02-18"}, {"hoy", "2010-02-19"}}},
		{"last week", "They met last week.", "2010-02-22", []found{{"last week", "2010-02"}}},
		{"last week across months", "They met last week.", "2010-03-03", []found{{"last week", "2010-02"}}},
		{"this week", "this week", "2010-02-22", []found{{"this week", "2010-02"}}},
		{"last month", "last month", "2010-01", []found{{"last month", "2009-12"}}},
		{"this month", "this month", "2010-02-19", []found{{"this month", "2010-02"}}},
		{"next month", "next month", "2010-12-05", []found{{"next month", "2011-01"}}},
		{"last year", "Last year, talks stalled.", "2010-02-19", []found{{"Last year", "2009"}}},
		{"this year", "this year", "2010", []found{{"this year", "2010"}}},
		{"next year", "next year", "2010-02", []found{{"next year", "2011"}}},
		{"said that last year", "He said that last year talks stalled.", "2010-02-19", []found{{"last year", "2009"}}},
		{"last year needs ref", "last year", "", nil},
		{"last month needs month", "last month", "2010", nil},
		{"years ago", "three years ago", "2010", []found{{"three years ago", "2007"}}},
		{"digits ago", "2 months ago", "2010-02", []found{{"2 months ago", "2009-12"}}},
		{"a day ago", "a day ago", "2010-03-01", []found{{"a day ago", "2010-02-28"}}},
		{"spanish año pasado", "el año pasado", "2010-05", []found{{"el año pasado", "2009"}}},
		{"spanish este mes", "este mes", "2010-05", []found{{"este mes", "2010-05"}}},
		{"spanish hace", "hace dos años", "2010", []found{{"hace dos años", "2008"}}},
		{"duration not a date", "over the last year", "2010-02-19", nil},
		{"past month duration", "in the past month", "2010-02-19", nil},

		// Not dates.
		{"may as a verb", "the talks may resume", "2010-02", nil},
		{"capital May as a verb", "May the talks resume soon.", "2010-02", nil},
		{"Theresa May", "talks in May's government", "2010-02", nil},
		{"march as a verb", "they march on Washington", "2010-02", nil},
		{"abbreviation alone", "in Mar del Plata", "2010-02", nil},
		{"thousands", "It cost $2,010.", "", nil},
		{"currency", "It cost $2010.", "", nil},
		{"euro", "It cost €2010.", "", nil},
		{"percent", "Unemployment fell 10 percent.", "2010-02", nil},
		{"percent sign", "a 2010% rise", "", nil},
		{"count", "2004 people left.", "", nil},
		{"count years", "2010 years ago", "", nil},
		{"more than", "more than 2010 migrants", "", nil},
		{"resolution number", "Resolution No. 2010 passed", "", nil},
		{"section", "Section 2009 of the law", "", nil},
		{"fiscal year glued", "the FY2010 budget", "", nil},
		{"decade", "in the 1990s", "", nil},
		{"season", "the 2010-11 season", "", nil},
		{"big number", "2,010,000 people", "", nil},
		{"decimal", "3.5 percent and 2010.5 units", "", nil},
		{"out of range year", "in 1850 and 2150", "", nil},
		{"five digits", "in 20100", "", nil},
		{"phone-like", "call 555-2010", "", nil},
		{"time", "at 20:10", "", nil},
		{"ordinal number", "the 2010th visitor", "", nil},
		{"impossible date keeps its year", "February 30, 2010", "", []found{{"2010", "2010"}}},
		{"impossible numeric", "13/13/2010", "", nil},
		{"USA Today", "USA Today reported it.", "2010-02-19", nil},
		{"empty", "", "2010-02-19", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ms := Find(tc.text, tc.ref)
			checkMentions(t, tc.text, ms)
			var got []found
			for _, m := range ms {
				got = append(got, found{m.Text, m.Date})
			}
			if !equalFound(got, tc.want) {
				t.Errorf("Find(%q, %q)\n got %v\nwant %v", tc.text, tc.ref, got, tc.want)
			}
		})
	}
}

func equalFound(a, b []found) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFindOffsets(t *testing.T) {
	text := "Talks held on July, 2009, in New York, resumed in Havana on Friday, February 19th."
	ms := Find(text, "2010-02")
	if len(ms) != 2 {
		t.Fatalf("Find: got %d mentions %v, want 2", len(ms), ms)
	}
	want := []Mention{
		{Start: strings.Index(text, "July"), End: strings.Index(text, ", in New"), Text: "July, 2009", Date: "2009-07"},
		{Start: strings.Index(text, "Friday"), End: len(text) - 1, Text: "Friday, February 19th", Date: "2010-02-19"},
	}
	for i := range want {
		if ms[i] != want[i] {
			t.Errorf("mention %d: got %+v, want %+v", i, ms[i], want[i])
		}
	}
}

func TestFindSeedArticle(t *testing.T) {
	text := "A United States delegation led by Craig Kelly, Deputy Assistant Secretary of State for Western " +
		"Hemisphere affairs, met with Cuban officials led by Dagoberto Rodríguez, Deputy Minister for Foreign " +
		"Affairs, in Havana on Friday, February 19th, to discuss migration issues. This meeting marked the " +
		"second round of migration talks since their suspension in 2004 by President George W. Bush. " +
		"“They also discussed some of the aspects contained in the new draft migration accord submitted by " +
		"Cuba during the round of talks held on July, 2009, in New York, aimed at ensuring a legal, safe and " +
		"orderly migration between the two countries.” Other topics may be discussed."
	want := []found{{"Friday, February 19th", "2010-02-19"}, {"2004", "2004"}, {"July, 2009", "2009-07"}}
	ms := Find(text, "2010-02")
	checkMentions(t, text, ms)
	var got []found
	for _, m := range ms {
		got = append(got, found{m.Text, m.Date})
	}
	if !equalFound(got, want) {
		t.Errorf("Find(seed article)\n got %v\nwant %v", got, want)
	}
}

func TestSentenceDate(t *testing.T) {
	tests := []struct {
		name, sentence, ref, want string
	}{
		{"spec example", "They met in Havana on Friday, February 19th, to discuss migration issues.", "2010-02", "2010-02-19"},
		{"year only", "This marked the second round since their suspension in 2004.", "2010-02", "2004"},
		{"month", "Talks were held on July, 2009, in New York.", "2010-02", "2009-07"},
		{"full date beats year", "Suspended in 2004, talks resumed on February 19, 2010.", "", "2010-02-19"},
		{"month beats year", "In 2009, in July 2009, they met.", "", "2009-07"},
		{"first among equals", "February 2010 and March 2010.", "", "2010-02"},
		{"none", "Both parties released statements.", "2010-02", ""},
		{"unresolvable", "They met on Friday.", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := SentenceDate(tc.sentence, tc.ref); got != tc.want {
				t.Errorf("SentenceDate(%q, %q) = %q, want %q", tc.sentence, tc.ref, got, tc.want)
			}
		})
	}
}

// checkMentions checks the invariants every result of Find keeps.
func checkMentions(t *testing.T, text string, ms []Mention) {
	t.Helper()
	prevEnd := 0
	for _, m := range ms {
		if m.Start < prevEnd || m.Start >= m.End || m.End > len(text) {
			t.Fatalf("mention %+v: bad offsets (previous end %d, text length %d)", m, prevEnd, len(text))
		}
		if text[m.Start:m.End] != m.Text {
			t.Errorf("mention %+v: text[%d:%d] = %q", m, m.Start, m.End, text[m.Start:m.End])
		}
		if !validISO(m.Date) {
			t.Errorf("mention %+v: date is not a valid ISO prefix", m)
		}
		prevEnd = m.End
	}
}

// validISO checks an ISO prefix with the time package, independently of parseISO.
func validISO(s string) bool {
	layout := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}[len(s)]
	if layout == "" {
		return false
	}
	_, err := time.Parse(layout, s)
	return err == nil
}
