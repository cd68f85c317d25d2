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
		got := appendDateNote("Answer [1].", cites, now, "en")
		if tt.want == "" && got != "Answer [1]." {
			t.Errorf("%v: unexpected note %q", tt.dates, got)
		}
		if tt.want != "" && !strings.Contains(got, "dates from "+tt.want+";") {
			t.Errorf("%v: %q lacks %q", tt.dates, got, tt.want)
		}
	}
}

func TestRefusalNamesTheMissingCountry(t *testing.T) {
	hit := func(doc, lacks string) attache.Hit {
		return attache.Hit{Passage: attache.Passage{DocID: doc, Title: doc}, Lacks: lacks}
	}
	const sentence = "None of the passages found mentions Suriname."
	lacking := []attache.Hit{hit("guyana", "Suriname"), hit("oil", "Suriname")}
	all := refusal("en", lacking, missingEverywhere(lacking))
	if !strings.Contains(all, sentence) || !strings.Contains(all, "guyana") {
		t.Errorf("every passage lacks the country: %q", all)
	}
	partly := []attache.Hit{hit("guyana", "Suriname"), hit("caricom", "")}
	some := refusal("en", partly, missingEverywhere(partly))
	if strings.Contains(some, "mentions") {
		t.Errorf("one passage names the country: %q", some)
	}
	s := &Service{}
	mixed := []attache.Hit{hit("guyana", "Suriname"), hit("caricom", "")}
	mixed[0].Coverage, mixed[1].Coverage = 0.9, 0.5
	if got, ok := s.relevant(mixed); !ok || len(got) != 1 || got[0].DocID != "caricom" {
		t.Errorf("relevant kept %v, %v; want caricom, covered", got, ok)
	}
	mixed[1].Coverage = 0.3 // only the passage about another country clears the threshold
	if _, ok := s.relevant(mixed); ok {
		t.Error("covered by a passage about another country")
	}
}
