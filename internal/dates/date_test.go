package dates

import "testing"

func TestParseISO(t *testing.T) {
	tests := []struct {
		in   string
		want date
		ok   bool
	}{
		{"2010", date{y: 2010}, true},
		{"2010-02", date{y: 2010, m: 2}, true},
		{"2010-02-19", date{2010, 2, 19}, true},
		{"2012-02-29", date{2012, 2, 29}, true},
		{"", date{}, false},
		{"0000", date{}, false},
		{"2010-00", date{}, false},
		{"2010-13", date{}, false},
		{"2010-02-00", date{}, false},
		{"2011-02-29", date{}, false},
		{"2010-2-19", date{}, false},
		{"2010/02/19", date{}, false},
		{"2010-02-19T00", date{}, false},
		{"20a0", date{}, false},
		{"Feb 2010", date{}, false},
	}
	for _, tc := range tests {
		got, ok := parseISO(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseISO(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestShift(t *testing.T) {
	tests := []struct {
		d    date
		n    int
		want string
	}{
		{date{y: 2021}, 1, "2022"},
		{date{y: 2020}, -1, "2019"},
		{date{y: 2022, m: 12}, 1, "2023-01"},
		{date{y: 2022, m: 1}, -1, "2021-12"},
		{date{y: 2022, m: 3}, -15, "2020-12"},
		{date{2020, 3, 1}, -1, "2020-02-29"},
		{date{2010, 12, 31}, 1, "2011-01-01"},
	}
	for _, tc := range tests {
		if got := tc.d.shift(tc.n).iso(); got != tc.want {
			t.Errorf("%v.shift(%d) = %s, want %s", tc.d, tc.n, got, tc.want)
		}
	}
}
