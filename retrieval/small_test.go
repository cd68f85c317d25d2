package retrieval_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"attache"
	"attache/internal/text"
	"attache/retrieval"
	"attache/retrieval/sqlite"
)

// Small folders: a handful of short articles, where every word of a
// question is "common" by any share of the index, and the rules built on
// corpus statistics must still behave.

// indexFolder indexes a folder of testdata/small.
func indexFolder(t *testing.T, name string) *retrieval.Searcher {
	t.Helper()
	st := openStore(t)
	ix := &retrieval.Indexer{Store: st, Sources: []retrieval.Source{{Name: "kb", Path: filepath.Join("testdata", "small", name)}}}
	if _, err := ix.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	return &retrieval.Searcher{Store: st, K: 20, MaxPerDoc: 20}
}

// units splits a question into its content words as written, a known
// multi-word name ("Costa Rica") kept as one.
func units(q string) []string {
	toks := text.Tokens(q)
	folded := make([]string, len(toks))
	for i, tok := range toks {
		folded[i] = tok.Word
	}
	var out []string
	for i := 0; i < len(toks); i++ {
		if n := text.NameAt(folded, i); n > 1 {
			out = append(out, q[toks[i].Start:toks[i+n-1].End])
			i += n - 1
			continue
		}
		if text.IsContent(folded[i]) {
			out = append(out, q[toks[i].Start:toks[i].End])
		}
	}
	return out
}

// orders returns every order of the units when there are at most four,
// else every rotation and every rotation reversed.
func orders(us []string) [][]string {
	if len(us) <= 4 {
		return permutations(us)
	}
	var out [][]string
	for r := range us {
		rot := append(slices.Clone(us[r:]), us[:r]...)
		out = append(out, rot)
		rev := slices.Clone(rot)
		slices.Reverse(rev)
		out = append(out, rev)
	}
	return out
}

func permutations(us []string) [][]string {
	if len(us) <= 1 {
		return [][]string{slices.Clone(us)}
	}
	var out [][]string
	for i := range us {
		rest := append(slices.Clone(us[:i]), us[i+1:]...)
		for _, p := range permutations(rest) {
			out = append(out, append([]string{us[i]}, p...))
		}
	}
	return out
}

func hitIDs(hits []attache.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	slices.Sort(out)
	return out
}

func TestSmallFolderWordOrderDoesNotChangeResults(t *testing.T) {
	t.Parallel()
	folders := map[string][]string{
		"southcone": {
			"Argentina border",
			"Did Chile and Peru settle their maritime dispute?",
			"Who led the papal mediation between Chile and Argentina?",
			"Which trucks cross the Andes tunnel to Pacific ports?",
			"Bolivia outlet to the Pacific Ocean lost to Chile",
			"Brazil Argentina car trade quota tariffs",
			"gendarmes smuggling Paraguay border",
		},
		"islands": {
			"What did Costa Rica do with its marine parks?",
			"New Zealand tuna quotas with Fiji",
			"Sri Lanka debt creditors",
			"El Salvador bond repayment investors",
			"What did Cuban officials discuss with fishery inspectors in Havana?",
			"tuna exports port Santiago",
			"United Nations boats patrol",
		},
	}
	for folder, questions := range folders {
		s := indexFolder(t, folder)
		for _, q := range questions {
			want := hitIDs(search(t, s, q))
			if len(want) == 0 {
				t.Errorf("%s: %q finds nothing", folder, q)
				continue
			}
			for _, order := range orders(units(q)) {
				p := strings.Join(order, " ")
				if got := hitIDs(search(t, s, p)); !slices.Equal(got, want) {
					t.Errorf("%s: %q finds %v, %q finds %v", folder, p, got, q, want)
				}
			}
		}
	}
}

func TestSmallFolderFindsEveryPassageHoldingAllWords(t *testing.T) {
	t.Parallel()
	s := indexFolder(t, "southcone")
	for _, q := range []string{"Argentina border", "border Argentina", "Chile Argentina", "Argentina"} {
		hits := search(t, s, q)
		found := map[string]bool{}
		for _, h := range hits {
			found[h.DocID] = true
		}
		for _, doc := range []string{"kb/andes-crossing.md", "kb/border-patrol.md", "kb/beagle-treaty.md"} {
			if !found[doc] {
				t.Errorf("%q: %s holds every word but is not found (got %v)", q, doc, docIDs(hits))
			}
		}
	}
}

func TestSmallFolderEveryWordCommon(t *testing.T) {
	t.Parallel()
	// Four different reports, each holding every word of the questions
	// but the country.
	files := map[string]string{
		"peru.md":     md("Tuna fleet report", "2020-01-01", "Peru says its tuna fleet landed a record catch in Paita; the fleet sails again in spring."),
		"chile.md":    md("Fleet figures", "2020-02-01", "In spring the Chilean tuna fleet will sail south after a catch that disappointed owners."),
		"ecuador.md":  md("Harbour news", "2020-03-01", "Ecuador: the catch of the tuna fleet was landed at Manta, and repairs are due before spring."),
		"colombia.md": md("Pacific tuna", "2020-04-01", "Colombia counted the catch its tuna fleet brought to Buenaventura, and expects more in spring."),
	}
	s := indexFiles(t, files)
	for _, tc := range []struct {
		q    string
		want int
	}{
		{"tuna fleet", 4},              // every word in every passage
		{"tuna fleet catch spring", 4}, // still every one
		{"Where did the tuna fleet of Ecuador land its catch?", 4},
	} {
		hits := search(t, s, tc.q)
		if len(hits) != tc.want {
			t.Errorf("%q: %d hits, want %d: %v", tc.q, len(hits), tc.want, docIDs(hits))
		}
	}
	hits := search(t, s, "Where did the tuna fleet of Ecuador land its catch?")
	if len(hits) > 0 && hits[0].DocID != "kb/ecuador.md" {
		t.Errorf("the passage naming Ecuador is not first: %v", docIDs(hits))
	}
}

func TestSmallFolderMissingNames(t *testing.T) {
	t.Parallel()
	cone := indexFolder(t, "southcone")
	islands := indexFolder(t, "islands")
	tests := []struct {
		name    string
		s       *retrieval.Searcher
		q       string
		missing map[string][]string // doc → names it misses; docs not listed are not checked
		all     string              // a name every hit misses
	}{
		{name: "country no article names", s: cone, q: "Did Chile and Peru settle their maritime dispute?", all: "Peru",
			missing: map[string][]string{"kb/beagle-treaty.md": {"Peru"}}},
		{name: "person no article names", s: cone, q: "Did Cardinal Rossi lead the papal mediation?", all: "Cardinal Rossi"},
		{name: "person named", s: cone, q: "Did Cardinal Samore lead the papal mediation?",
			missing: map[string][]string{"kb/beagle-treaty.md": nil}},
		{name: "demonym stands for the country", s: islands, q: "What did Cuban officials say about tuna?",
			missing: map[string][]string{"kb/cuba-havana.txt": nil, "kb/cuba-santiago.txt": nil}},
		{name: "capital stands for itself", s: islands, q: "What did officials in Havana say about tuna?",
			missing: map[string][]string{"kb/cuba-havana.txt": nil, "kb/cuba-santiago.txt": {"Havana"}}},
		{name: "capital as an actor stands for its government", s: islands, q: "What did Havana tell the inspectors about the tuna exports?",
			missing: map[string][]string{"kb/cuba-havana.txt": nil, "kb/cuba-santiago.txt": nil}},
		{name: "multi-word name as adjacent words", s: islands, q: "What did Costa Rica do with marine parks?",
			missing: map[string][]string{"kb/costa-rica-parks.txt": nil, "kb/new-rules.txt": {"Costa Rica"}}},
		{name: "multi-word name and its capital", s: islands, q: "New Zealand tuna quotas",
			missing: map[string][]string{"kb/nz-fisheries.txt": nil, "kb/new-rules.txt": {"New Zealand"}}},
		{name: "multi-word demonym", s: islands, q: "What did the Salvadoran officials repay?",
			missing: map[string][]string{"kb/salvador-bitcoin.txt": nil}},
		{name: "multi-word agency", s: islands, q: "Which park do United Nations boats patrol?",
			missing: map[string][]string{"kb/costa-rica-parks.txt": nil}},
	}
	for _, tc := range tests {
		res, err := tc.s.Search(context.Background(), tc.q, retrieval.SearchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			t.Errorf("%s: %q finds nothing", tc.name, tc.q)
			continue
		}
		seen := map[string]bool{}
		for _, h := range res.Hits {
			if tc.all != "" && !slices.Contains(h.Missing, tc.all) {
				t.Errorf("%s: %s misses %v, not %q", tc.name, h.DocID, h.Missing, tc.all)
			}
			if want, ok := tc.missing[h.DocID]; ok {
				seen[h.DocID] = true
				if !slices.Equal(h.Missing, want) {
					t.Errorf("%s: %s misses %v, want %v", tc.name, h.DocID, h.Missing, want)
				}
			}
		}
		for doc := range tc.missing {
			if !seen[doc] {
				t.Errorf("%s: %q does not find %s (got %v)", tc.name, tc.q, doc, docIDs(res.Hits))
			}
		}
	}
}

func TestSmallFolderMultiWordNameRanksFirst(t *testing.T) {
	t.Parallel()
	s := indexFolder(t, "islands")
	for _, tc := range []struct{ q, want string }{
		{"What did Costa Rica announce?", "kb/costa-rica-parks.txt"},
		{"New Zealand quotas", "kb/nz-fisheries.txt"},
		{"Which port rules apply in Zealand?", "kb/new-rules.txt"},
		{"Sri Lanka payments", "kb/sri-lanka-debt.txt"},
	} {
		res, err := s.Search(context.Background(), tc.q, retrieval.SearchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 || res.Hits[0].DocID != tc.want {
			t.Errorf("%q: got %v, want %s first", tc.q, docIDs(res.Hits), tc.want)
		}
	}
	res, err := s.Search(context.Background(), "Costa Rica marine parks", retrieval.SearchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(res.Terms, func(qt retrieval.QueryTerm) bool { return qt.Word == "costa rica" }) {
		t.Errorf("Costa Rica is not one concept: %+v", res.Terms)
	}
}

func TestSmallFolderFocus(t *testing.T) {
	t.Parallel()
	s := indexFolder(t, "southcone")
	res, err := s.Search(context.Background(), "Who carried proposals between the delegations?", retrieval.SearchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Hits[0].DocID != "kb/beagle-treaty.md" {
		t.Fatalf("got %v, want the treaty first", docIDs(res.Hits))
	}
	if res.Hits[0].Focus != 1 {
		t.Errorf("the treaty holds every rare word, focus %.2f", res.Hits[0].Focus)
	}
	for _, h := range res.Hits[1:] {
		if h.Focus >= 1 {
			t.Errorf("%s holds none of proposals, delegations, carried: focus %.2f", h.DocID, h.Focus)
		}
	}
}

// A question naming, with its year, a time no article of the folder is
// dated in still finds the articles on its subject: one may tell of that
// time, and answerability, not search, decides whether it does.
func TestSmallFolderTimeWithNoArticle(t *testing.T) {
	t.Parallel()
	s := indexFolder(t, "southcone")
	for _, q := range []string{"What did the Beagle Channel treaty settle in 1990?", "Beagle Channel treaty in March 2030"} {
		hits := search(t, s, q)
		if !slices.Contains(docIDs(hits), "kb/beagle-treaty.md") {
			t.Errorf("%q: the treaty's article is not found (got %v)", q, docIDs(hits))
		}
	}
	// A time relative to today is not widened: nothing would check that
	// an older article speaks of it.
	if hits := search(t, s, "What did the Beagle Channel treaty settle last week?"); len(hits) > 0 {
		t.Errorf("a question about last week found older articles: %v", docIDs(hits))
	}
}

// TestTitledPhraseFoundBeyondTheScanBound: when a question's words are all
// common, a bounded search scores only a slice of the passages holding
// them, and the article named by the question's capitalised phrase may lie
// outside it; a title holding the whole phrase still finds it.
func TestTitledPhraseFoundBeyondTheScanBound(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// Indexed first (the scan bound keeps the most recently indexed).
	write(t, filepath.Join(dir, "a-proclamation.md"), "---\ntitle: A Proclamation on National Manufacturing Day, 2023\ndate: 2023-10-05\n---\n"+
		"On National Manufacturing Day, we celebrate the workers of our national manufacturing boom. "+
		"I do hereby proclaim October 6, 2023, as National Manufacturing Day.\n")
	for i := range 60 {
		write(t, filepath.Join(dir, fmt.Sprintf("b-statement-%02d.md", i)), fmt.Sprintf("---\ntitle: Statement %d on the Economy\ndate: 2024-%02d-01\n---\n"+
			"Every day our national economy gains manufacturing jobs, and the national plan for manufacturing works day after day.\n", i, i%12+1))
	}
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "index.db"), sqlite.Options{MaxScan: 12}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ix := &retrieval.Indexer{Store: st, Sources: []retrieval.Source{{Name: "kb", Path: dir}}}
	if _, err := ix.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := &retrieval.Searcher{Store: st, K: 5}
	hits := search(t, s, "When is National Manufacturing Day?")
	if len(hits) == 0 || hits[0].DocID != "kb/a-proclamation.md" {
		t.Errorf("the proclamation is not the best hit: %v", docIDs(hits))
	}
}
