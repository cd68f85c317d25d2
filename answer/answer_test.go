package answer

import (
	"strings"
	"testing"
	"time"

	"attache"
)

func TestAppendDateNote(t *testing.T) {
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		dates []string
		want  string // "" = no note
	}{
		{[]string{"2010-02"}, "February 2010"},
		{[]string{"2010-02-19", "2012"}, "2012"},
		{[]string{"2021-07-22", "2026-06-30"}, ""},
		{[]string{"2025-06-30"}, "June 30, 2025"},
		{[]string{""}, ""},
		{nil, ""},
	}
	for _, tt := range tests {
		var cites []attache.Citation
		for _, d := range tt.dates {
			cites = append(cites, attache.Citation{Date: d})
		}
		got := appendDateNote("Answer [1].", cites, now)
		if tt.want == "" && got != "Answer [1]." {
			t.Errorf("%v: unexpected note %q", tt.dates, got)
		}
		if tt.want != "" && !strings.Contains(got, "dates from "+tt.want+";") {
			t.Errorf("%v: %q lacks %q", tt.dates, got, tt.want)
		}
	}
}
