package dates

import (
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		in, want string
		err      string // part of the error message; "" when none is expected
	}{
		{"2010", "2010", ""},
		{"2010-02", "2010-02", ""},
		{"2010-02-19", "2010-02-19", ""},
		{"  2010-02-19\n", "2010-02-19", ""},
		{"2010-2-9", "2010-02-09", ""},
		{"2010/02/19", "2010-02-19", ""},
		{"02/19/2010", "2010-02-19", ""},
		{"February 2010", "2010-02", ""},
		{"feb 2010", "2010-02", ""},
		{"Feb. 2010", "2010-02", ""},
		{"Feb 19 2010", "2010-02-19", ""},
		{"February 19, 2010", "2010-02-19", ""},
		{"19 February 2010", "2010-02-19", ""},
		{"19th of February 2010", "2010-02-19", ""},
		{"Friday, February 19, 2010", "2010-02-19", ""},
		{"19 de febrero de 2010", "2010-02-19", ""},
		{"febrero de 2010", "2010-02", ""},
		{"2012-02-29", "2012-02-29", ""},
		{"2010-02-19T23:30:00-05:00", "2010-02-19", ""},
		{"1850", "1850", ""},

		{"", "", "empty date"},
		{"   ", "", "empty date"},
		{"2010-13", "", "month 13 is not 1-12"},
		{"2010-00-10", "", "month 0 is not 1-12"},
		{"2010-02-30", "", "2010-02 has no day 30"},
		{"2011-02-29", "", "2011-02 has no day 29"},
		{"February 30, 2010", "", "2010-02 has no day 30"},
		{"tomorrow", "", "not understood"},
		{"last year", "", "not understood"},
		{"Friday", "", "not understood"},
		{"February 19", "", "not understood"},
		{"February", "", "not understood"},
		{"2010 and more", "", "not understood"},
		{"999", "", "not understood"},
		{"20100", "", "not understood"},
		{"2,010", "", "not understood"},
		{"abc", "", "not understood"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := Normalize(tc.in)
			switch {
			case tc.err == "" && err != nil:
				t.Fatalf("Normalize(%q): unexpected error %v", tc.in, err)
			case tc.err != "" && err == nil:
				t.Fatalf("Normalize(%q) = %q, want an error containing %q", tc.in, got, tc.err)
			case tc.err != "" && !strings.Contains(err.Error(), tc.err):
				t.Fatalf("Normalize(%q): error %q does not contain %q", tc.in, err, tc.err)
			}
			if got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
