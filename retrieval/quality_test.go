package retrieval_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"attache"
	"attache/retrieval"
)

func indexFiles(t *testing.T, files map[string]string) *retrieval.Searcher {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		write(t, filepath.Join(dir, name), body)
	}
	ix, s := newIndexer(t, dir)
	if _, err := ix.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC) }
	return s
}

func md(title, date, body string) string {
	return fmt.Sprintf("---\ntitle: %s\ndate: %s\n---\n\n%s\n", title, date, body)
}

func TestNamesFindOtherForms(t *testing.T) {
	t.Parallel()
	s := indexFiles(t, map[string]string{
		"cuba.md":   md("Island statement", "2021-07-12", "The government of Cuba detained protesters in Havana after the demonstrations."),
		"ofac.md":   md("Sanctions notice", "2022-01-03", "The Office of Foreign Assets Control designated three shipping firms for evading sanctions."),
		"other.md":  md("Fisheries", "2022-01-04", "Norway and Iceland agreed on mackerel quotas for the coming season."),
		"mexico.md": md("Border", "2023-05-02", "Mexican and American officials reviewed border crossings and asylum processing."),
	})
	for _, tc := range []struct{ q, want string }{
		{"What did the Cuban authorities do to protesters?", "kb/cuba.md"},
		{"Which firms did OFAC designate?", "kb/ofac.md"},
		{"What happened to protesters in Cuba's capital?", "kb/cuba.md"},
		{"What did Mexico discuss about asylum?", "kb/mexico.md"},
	} {
		hits := search(t, s, tc.q)
		if len(hits) == 0 || hits[0].DocID != tc.want {
			t.Errorf("%q: got %v, want %s first", tc.q, docIDs(hits), tc.want)
			continue
		}
		if hits[0].Coverage < 0.6 {
			t.Errorf("%q: coverage %.2f for the right passage", tc.q, hits[0].Coverage)
		}
	}
}

func TestDatesInQuestionPickTheRightMonth(t *testing.T) {
	t.Parallel()
	files := map[string]string{}
	months := []string{"2022-01-14", "2022-02-11", "2022-03-18", "2022-04-22", "2022-05-20", "2022-06-17"}
	for i, d := range months {
		files[fmt.Sprintf("call-%d.md", i)] = md("Readout of the President's call with the Prime Minister of Japan", d,
			fmt.Sprintf("The President spoke with the Prime Minister of Japan about regional security and trade on call number %d.", i))
	}
	s := indexFiles(t, files)
	hits := search(t, s, "What did the President and the Japanese prime minister discuss in March 2022?")
	if len(hits) == 0 || hits[0].Date != "2022-03-18" {
		t.Fatalf("got %v, want the March call first", dates(hits))
	}
	hits = search(t, s, "What was discussed on the latest call with Japan's prime minister?")
	if len(hits) == 0 || hits[0].Date != "2022-06-17" {
		t.Errorf("latest: got %v, want the June call first", dates(hits))
	}
}

func TestNearDuplicatesCollapsed(t *testing.T) {
	t.Parallel()
	body := "The United States and Canada announced a joint plan to protect critical minerals supply chains and invest in processing capacity."
	s := indexFiles(t, map[string]string{
		"a.md": md("Joint statement on minerals", "2023-03-24", body),
		"b.md": md("Joint Statement on Minerals", "2023-03-24", body+" "),
		"c.md": md("Minerals fact sheet", "2023-03-25", "A separate fact sheet lists critical minerals projects in Quebec and Ontario supply chains."),
	})
	hits := search(t, s, "critical minerals supply chains Canada")
	seenA, seenB := false, false
	for _, h := range hits {
		seenA = seenA || h.DocID == "kb/a.md"
		seenB = seenB || h.DocID == "kb/b.md"
	}
	if seenA && seenB {
		t.Errorf("the same statement published twice was not collapsed: %v", docIDs(hits))
	}
	if len(hits) < 2 {
		t.Errorf("distinct passages lost: %v", docIDs(hits))
	}
}

func TestAdjacentNamesPreferred(t *testing.T) {
	t.Parallel()
	s := indexFiles(t, map[string]string{
		"pair.md":  md("Talks", "2010-02-20", "Craig Kelly led the delegation to the talks."),
		"apart.md": md("Talks", "2010-02-21", "Kelly said the delegation, led by Craig Smith, attended the talks."),
	})
	// A question asking for no kind of detail: "Who is Craig Kelly?" asks
	// for a person, which the passage naming Craig Smith holds (answer_type).
	hits := search(t, s, "What did Craig Kelly do?")
	if len(hits) == 0 || hits[0].DocID != "kb/pair.md" {
		t.Errorf("got %v, want the passage naming Craig Kelly together", docIDs(hits))
	}
}

func docIDs(hits []attache.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.DocID)
	}
	return out
}

func dates(hits []attache.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Date)
	}
	return out
}

// A question's word said otherwise in the passage ("negotiations" for
// "talks") counts in the Coverage and Focus the hit reports; a name does
// not, and ranking is unchanged.
func TestCoverageCountsWordsSaidOtherwise(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"talks.md": md("Migration round", "2010-02-19", "Negotiations in Havana covered migration and smuggling of migrants by sea."),
		"other.md": md("Fisheries", "2022-01-04", "Norway and Iceland agreed on mackerel quotas for the coming season."),
	}
	soft := indexFiles(t, files)
	exact := indexFiles(t, files)
	exact.SameMeaning = -1
	for _, tc := range []struct {
		q    string
		more bool // the soft coverage is higher
	}{
		{"What did the talks in Havana cover about trafficking?", true},
		{"What did the talks in Lima cover about trafficking?", true}, // Lima is a name: held as written only
		{"What did the delegations in Havana cover about migration?", false},
	} {
		hs, he := search(t, soft, tc.q), search(t, exact, tc.q)
		if len(hs) == 0 || len(he) == 0 || hs[0].DocID != "kb/talks.md" || he[0].DocID != hs[0].DocID {
			t.Fatalf("%q: got %v and %v, want the talks first in both", tc.q, docIDs(hs), docIDs(he))
		}
		if got := hs[0].Coverage > he[0].Coverage; got != tc.more {
			t.Errorf("%q: coverage %.2f said otherwise, %.2f as written; want higher: %v", tc.q, hs[0].Coverage, he[0].Coverage, tc.more)
		}
		if hs[0].Coverage == 1 && strings.Contains(tc.q, "Lima") {
			t.Errorf("%q: a name not written in the passage counted as held", tc.q)
		}
	}
}

// A person an article names in full once, in its lead, is named for its
// later passages too; a country is not.
func TestPeopleNamedInTheArticlesLead(t *testing.T) {
	t.Parallel()
	filler := strings.Repeat("The two leaders reviewed regional security, trade, energy and supply chains at length. ", 40)
	s := indexFiles(t, map[string]string{
		"japan.md": md("Joint statement of the United States and Japan", "2023-01-13",
			"President Biden welcomed Prime Minister Kishida Fumio to the White House.\n\n"+filler+"\n\n"+
				"The leaders said any use of a nuclear weapon in Ukraine would be an act of hostility against humanity."),
	})
	hits := search(t, s, "What did Biden and Kishida say a nuclear weapon in Ukraine would be?")
	var found bool
	for _, h := range hits {
		if strings.Contains(h.Text, "act of hostility") {
			found = true
			if len(h.Missing) > 0 {
				t.Errorf("the later passage misses %v, which the lead names", h.Missing)
			}
		}
	}
	if !found {
		t.Fatalf("the passage with the answer was not found: %v", hits)
	}
	hits = search(t, s, "What did Biden and Peru say a nuclear weapon in Ukraine would be?")
	for _, h := range hits {
		if strings.Contains(h.Text, "act of hostility") && h.Lacks == "" && len(h.Missing) == 0 {
			t.Errorf("a country no passage names was taken as named: %+v", h)
		}
	}
}
