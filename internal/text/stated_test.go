package text

import (
	"slices"
	"testing"
)

func TestStatedNumbers(t *testing.T) {
	for q, want := range map[string][]string{
		"Why did Mayorkas give Venezuelans TPS for 24 months in 2021?":     {"24"},
		"How much of the $61 billion had reached Ukraine?":                 {"61"},
		"Which 20,000 visas did the G7 and COVID-19 plans mention?":        {"20000"},
		"What did the 50th anniversary bring?":                             nil,
		"Who signed the $2.5 billion deal?":                                {"2.5"},
		"Why does the agreement only run for five years?":                  {"5"},
		"Which two companies signed it, and what did the two leaders say?": nil,
	} {
		if got := StatedNumbers(q); !slices.Equal(got, want) {
			t.Errorf("StatedNumbers(%q) = %v, want %v", q, got, want)
		}
	}
	for _, tc := range []struct {
		s, n string
		want bool
	}{
		{"Venezuela is designated for 18 months.", "24", false},
		{"They signed a $2.5 billion agreement.", "2.5", true},
		{"It will process 20000 visas.", "20000", true},
		{"The ten-year plan was sent.", "10", true},
		// Any whole number under a hundred may be written in words.
		{"Ninety-four percent of infants were vaccinated.", "94", true},
		{"Ninety percent of infants were vaccinated.", "94", false},
		{"It lasts sixty days.", "60", true},
		{"Seventeen states joined.", "17", true},
	} {
		if got := HoldsNumeral(tc.s, tc.n); got != tc.want {
			t.Errorf("HoldsNumeral(%q, %q) = %v, want %v", tc.s, tc.n, got, tc.want)
		}
	}
}
