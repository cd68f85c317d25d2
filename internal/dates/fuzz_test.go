package dates

import (
	"testing"
	"time"
)

func FuzzFind(f *testing.F) {
	for _, s := range [][2]string{
		{"met in Havana on Friday, February 19th, to discuss", "2010-02"},
		{"since their suspension in 2004; held on July, 2009, in New York", "2010-02-19"},
		{"$2,010 and 2004 people; the talks may resume 02/19/2010 2010-02-19", ""},
		{"el 19 de febrero de 2010, hace dos años, last week, 3 years ago", "2010-03-03"},
		{"\xff19 February\xfe2010 mid-2004 1999–2004 yesterday", "0001-01-01"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, text, ref string) {
		ms := Find(text, ref)
		checkMentions(t, text, ms)
		sd := SentenceDate(text, ref)
		if sd != "" && !validISO(sd) {
			t.Errorf("SentenceDate(%q, %q) = %q: not an ISO prefix", text, ref, sd)
		}
		if (sd == "") != (len(ms) == 0) {
			t.Errorf("SentenceDate(%q, %q) = %q with %d mentions", text, ref, sd, len(ms))
		}
	})
}

func FuzzQueryRange(f *testing.F) {
	for _, q := range []string{
		"What happened in February 2010?",
		"talks between March and June 2022 or after 2021",
		"the latest on Cuba in the last 6 months",
		"in 2021-2023, since last year, on Friday",
	} {
		f.Add(q)
	}
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, q string) {
		got := QueryRange(q, now)
		for _, d := range []string{got.Range.Since, got.Range.Until} {
			if d != "" && !validISO(d) {
				t.Errorf("QueryRange(%q) = %+v: %q is not an ISO prefix", q, got.Range, d)
			}
		}
		if hasAlnum(q) && !hasAlnum(got.Cleaned) {
			t.Errorf("QueryRange(%q).Cleaned = %q: no words left", q, got.Cleaned)
		}
		if len(got.Found) == 0 && got.Range != (QueryDates{}).Range {
			t.Errorf("QueryRange(%q) = %+v without any expression found", q, got)
		}
	})
}
