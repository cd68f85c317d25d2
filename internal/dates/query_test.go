package dates

import (
	"slices"
	"testing"
	"time"

	"attache"
)

// now is a Thursday.
var now = time.Date(2026, 11, 26, 15, 4, 5, 0, time.UTC)

func span(since, until string) attache.DateRange {
	return attache.DateRange{Since: since, Until: until}
}

func TestQueryRange(t *testing.T) {
	tests := []struct {
		name, q string
		want    attache.DateRange
		latest  bool
		cleaned string
		found   []string
	}{
		// No time expression: open range, question trimmed.
		{"no date", "  Who is Dagoberto Rodríguez?  ", span("", ""), false, "Who is Dagoberto Rodríguez?", nil},
		{"year as adjective", "What were the 2021 protests about?", span("", ""), false, "What were the 2021 protests about?", nil},
		{"bare year", "Cuba 2021", span("", ""), false, "Cuba 2021", nil},
		{"month year as adjective", "What caused the July 2021 protests?", span("", ""), false, "What caused the July 2021 protests?", nil},
		{"possessive", "What caused Cuba's July 2021 protests?", span("", ""), false, "What caused Cuba's July 2021 protests?", nil},
		{"may as a verb", "What may happen to the talks?", span("", ""), false, "What may happen to the talks?", nil},
		{"after an event", "Did talks resume after the 2004 suspension?", span("", ""), false, "Did talks resume after the 2004 suspension?", nil},
		{"empty", "", span("", ""), false, "", nil},

		// Points.
		{"in month year", "What happened in February 2010?", span("2010-02", "2010-02"), false, "What happened?", []string{"in February 2010"}},
		{"in year", "What was agreed in 2015?", span("2015", "2015"), false, "What was agreed?", []string{"in 2015"}},
		{"during year", "talks during 2015", span("2015", "2015"), false, "talks", []string{"during 2015"}},
		{"early year", "migration in early 2021", span("2021", "2021"), false, "migration", []string{"in early 2021"}},
		{"full date without preposition", "What did Biden say July 11, 2021?", span("2021-07-11", "2021-07-11"), false, "What did Biden say?", []string{"July 11, 2021"}},
		{"on full date", "What happened on July 11, 2021 in Cuba?", span("2021-07-11", "2021-07-11"), false, "What happened in Cuba?", []string{"on July 11, 2021"}},
		{"in month year lower case", "protests in july 2021", span("2021-07", "2021-07"), false, "protests", []string{"in july 2021"}},
		{"on the ordinal", "What happened on the 19th of February 2010?", span("2010-02-19", "2010-02-19"), false, "What happened?", []string{"on the 19th of February 2010"}},
		{"iso", "news from 2010-02-19", span("2010-02-19", ""), false, "news", []string{"from 2010-02-19"}},
		{"in month this year", "What happened in May?", span("2026-05", "2026-05"), false, "What happened?", []string{"in May"}},
		{"in current month", "What happened in November?", span("2026-11", "2026-11"), false, "What happened?", []string{"in November"}},
		{"in month not yet come", "What happened in December?", span("2025-12", "2025-12"), false, "What happened?", []string{"in December"}},
		{"month of the year named elsewhere", "Who was held after July 11, per the November 2021 statement?", span("2021-07-12", ""), false, "Who was held, per the November 2021 statement?", []string{"after July 11"}},
		{"two years named elsewhere", "Who was held after July 11, between the 2021 and 2022 statements?", span("2026-07-12", ""), false, "Who was held, between the 2021 and 2022 statements?", []string{"after July 11"}},
		{"on weekday", "What did they say on Friday?", span("2026-11-20", "2026-11-20"), false, "What did they say?", []string{"on Friday"}},
		{"spanish", "¿Qué pasó en febrero de 2010?", span("2010-02", "2010-02"), false, "¿Qué pasó?", []string{"en febrero de 2010"}},
		{"several prepositions", "What happened in Cuba in July 2021?", span("2021-07", "2021-07"), false, "What happened in Cuba?", []string{"in July 2021"}},

		// Calendar periods.
		{"last year", "What did Cuba say last year?", span("2025", "2025"), false, "What did Cuba say?", []string{"last year"}},
		{"this year", "sanctions this year", span("2026", "2026"), false, "sanctions", []string{"this year"}},
		{"last month", "talks last month", span("2026-10", "2026-10"), false, "talks", []string{"last month"}},
		{"this month", "talks this month", span("2026-11", "2026-11"), false, "talks", []string{"this month"}},
		{"last week", "talks last week", span("2026-11-16", "2026-11-22"), false, "talks", []string{"last week"}},
		{"yesterday", "What happened yesterday?", span("2026-11-25", "2026-11-25"), false, "What happened?", []string{"yesterday"}},
		{"today", "news today", span("2026-11-26", "2026-11-26"), false, "news", []string{"today"}},
		{"years ago", "talks 3 years ago", span("2023", "2023"), false, "talks", []string{"3 years ago"}},
		{"since last year", "talks since last year", span("2025", ""), false, "talks", []string{"since last year"}},

		// Rolling periods.
		{"last 6 months", "protests in the last 6 months", span("2026-05-26", ""), false, "protests", []string{"in the last 6 months"}},
		{"past 3 years", "sanctions over the past 3 years", span("2023-11-26", ""), false, "sanctions", []string{"over the past 3 years"}},
		{"past years no article", "sanctions past 3 years", span("2023-11-26", ""), false, "sanctions", []string{"past 3 years"}},
		{"past year", "sanctions in the past year", span("2025-11-26", ""), false, "sanctions", []string{"in the past year"}},
		{"past two weeks", "news from the past two weeks", span("2026-11-12", ""), false, "news from", []string{"the past two weeks"}},
		{"last decade", "migration in the last decade", span("2016-11-26", ""), false, "migration", []string{"in the last decade"}},
		{"last days is not a period", "the last days of the talks", span("", ""), false, "the last days of the talks", nil},

		// Open and two-sided ranges.
		{"since", "talks since March 2022", span("2022-03", ""), false, "talks", []string{"since March 2022"}},
		{"after year", "talks after 2021", span("2022", ""), false, "talks", []string{"after 2021"}},
		{"after month", "talks after December 2022", span("2023-01", ""), false, "talks", []string{"after December 2022"}},
		{"before year", "talks before 2020", span("", "2019"), false, "talks", []string{"before 2020"}},
		{"before day", "talks before March 1, 2020", span("", "2020-02-29"), false, "talks", []string{"before March 1, 2020"}},
		{"until", "talks until 2020", span("", "2020"), false, "talks", []string{"until 2020"}},
		{"up to", "talks up to 2020", span("", "2020"), false, "talks", []string{"up to 2020"}},
		{"prior to", "talks prior to 2020", span("", "2019"), false, "talks", []string{"prior to 2020"}},
		{"between", "talks between 2021 and 2023", span("2021", "2023"), false, "talks", []string{"between 2021 and 2023"}},
		{"between reversed", "talks between 2023 and 2021", span("2021", "2023"), false, "talks", []string{"between 2023 and 2021"}},
		{"between months", "talks between March and June 2022", span("2022-03", "2022-06"), false, "talks", []string{"between March and June 2022"}},
		{"from to", "talks from 2021 to 2023", span("2021", "2023"), false, "talks", []string{"from 2021 to 2023"}},
		{"from through", "talks from May 2021 through 2023", span("2021-05", "2023"), false, "talks", []string{"from May 2021 through 2023"}},
		{"from alone", "talks from 2021", span("2021", ""), false, "talks", []string{"from 2021"}},
		{"year range", "talks in 2021-2023", span("2021", "2023"), false, "talks", []string{"in 2021-2023"}},
		{"in two years", "talks in 2015 or 2016", span("2015", "2016"), false, "talks", []string{"in 2015 or 2016"}},
		{"in two months", "talks in May and June 2022", span("2022-05", "2022-06"), false, "talks", []string{"in May and June 2022"}},
		{"in year and other words", "talks in 2015 and other years", span("2015", "2015"), false, "talks and other years", []string{"in 2015"}},
		{"between countries", "What was said between the US and Cuba in 2015?", span("2015", "2015"), false, "What was said between the US and Cuba?", []string{"in 2015"}},
		{"intersection", "talks since 2021 and before 2023", span("2021", "2022"), false, "talks and", []string{"since 2021", "before 2023"}},
		{"contradiction gives union", "talks in 2021 or in 2023", span("2021", "2023"), false, "talks or", []string{"in 2021", "in 2023"}},

		// Latest.
		{"latest", "What is the latest on the migration talks?", span("", ""), true, "What is on the migration talks?", []string{"the latest"}},
		{"most recent", "most recent sanctions on Cuba", span("", ""), true, "sanctions on Cuba", []string{"most recent"}},
		{"recently", "What happened recently in Haiti?", span("", ""), true, "What happened in Haiti?", []string{"recently"}},
		{"in recent years", "Cuba policy in recent years", span("", ""), true, "Cuba policy", []string{"in recent years"}},
		{"latest with range", "latest news since 2025", span("2025", ""), true, "news", []string{"latest", "since 2025"}},

		// Nothing left: the question is kept.
		{"only a date", "in 2021?", span("2021", "2021"), false, "in 2021?", []string{"in 2021"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := QueryRange(tc.q, now)
			if got.Range != tc.want || got.Latest != tc.latest || got.Cleaned != tc.cleaned || !slices.Equal(got.Found, tc.found) {
				t.Errorf("QueryRange(%q)\n got %+v\nwant {Range:%+v Latest:%v Cleaned:%s Found:%q}",
					tc.q, got, tc.want, tc.latest, tc.cleaned, tc.found)
			}
		})
	}
}

func TestQueryRangeCleanedKeepsContent(t *testing.T) {
	for _, q := range []string{
		"latest", "What is the latest?", "in 2021", "since March 2022", "last year", "between 2021 and 2023",
		"recently", "in the last 6 months", "July 11, 2021", "Cuba in 2021",
	} {
		t.Run(q, func(t *testing.T) {
			got := QueryRange(q, now)
			if !hasAlnum(got.Cleaned) {
				t.Errorf("QueryRange(%q).Cleaned = %q: no words left", q, got.Cleaned)
			}
			if len(got.Found) == 0 {
				t.Errorf("QueryRange(%q) found nothing", q)
			}
		})
	}
}

func TestQueryRangeContains(t *testing.T) {
	// The range must select the documents a person means.
	tests := []struct {
		q       string
		in, out []string
	}{
		{"talks in February 2010", []string{"2010-02", "2010-02-19", "2010"}, []string{"2010-03", "2009-12-31", ""}},
		{"talks after 2021", []string{"2022-01-01", "2026"}, []string{"2021-12-31", "2021"}},
		{"talks before 2020", []string{"2019-12-31", "2010"}, []string{"2020-01-01", "2020"}},
		{"protests in the last 6 months", []string{"2026-05-26", "2026-11"}, []string{"2026-05-25", "2025"}},
	}
	for _, tc := range tests {
		t.Run(tc.q, func(t *testing.T) {
			r := QueryRange(tc.q, now).Range
			for _, d := range tc.in {
				if !r.Contains(d) {
					t.Errorf("%+v should contain %q", r, d)
				}
			}
			for _, d := range tc.out {
				if r.Contains(d) {
					t.Errorf("%+v should not contain %q", r, d)
				}
			}
		})
	}
}

func TestTidy(t *testing.T) {
	tests := []struct{ in, want string }{
		{"What happened  ?", "What happened?"},
		{"talks ,  and more", "talks, and more"},
		{" , talks", "talks"},
		{"talks , ?", "talks?"},
		{"plain", "plain"},
		{"a \t\n b", "a b"},
	}
	for _, tc := range tests {
		if got := tidy(tc.in); got != tc.want {
			t.Errorf("tidy(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestYearWritten(t *testing.T) {
	for q, want := range map[string]bool{
		"What happened in February 2010?":    true,
		"What changed since 2022?":           true,
		"What happened in June?":             false,
		"What did they say last week?":       false,
		"What did they discuss?":             false,
		"¿Qué pasó en febrero de 2010?":      true,
		"What was said on November 3, 2021?": true,
	} {
		if got := QueryRange(q, now).YearWritten(); got != want {
			t.Errorf("QueryRange(%q).YearWritten() = %v, want %v", q, got, want)
		}
	}
}
