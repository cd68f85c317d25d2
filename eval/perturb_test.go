package eval

import (
	"bufio"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"attache"
	"attache/internal/text"
)

// perturbCorpus reads the passages of testdata/perturb-passages.jsonl.
func perturbCorpus(t *testing.T) *Corpus {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "perturb-passages.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ps []attache.Passage
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var p attache.Passage
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return NewCorpus(ps)
}

func perturbQuestions(t *testing.T) []Question {
	t.Helper()
	qs, err := LoadQuestions(filepath.Join("testdata", "perturb-questions.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

// changed returns the runs of consecutive words of b that a does not have,
// in order, each joined by spaces.
func changed(a, b string) []string {
	have := map[string]bool{}
	for _, w := range text.Words(a) {
		have[w] = true
	}
	var out []string
	run := []string{}
	for _, w := range append(text.Words(b), "") {
		if w != "" && !have[w] {
			run = append(run, w)
			continue
		}
		if len(run) > 0 {
			out = append(out, strings.Join(run, " "))
			run = run[:0]
		}
	}
	return out
}

func TestPerturb(t *testing.T) {
	t.Parallel()
	c := perturbCorpus(t)
	qs := perturbQuestions(t)
	byID := map[string]Question{}
	for _, q := range qs {
		byID[q.ID] = q
	}
	// Several seeds: the properties hold whatever the choices.
	for seed := uint64(1); seed <= 20; seed++ {
		out := Perturb(qs, c, PerturbOptions{Seed: seed})
		if again := Perturb(qs, c, PerturbOptions{Seed: seed}); mustJSON(t, again) != mustJSON(t, out) {
			t.Fatalf("seed %d: two runs differ", seed)
		}
		got := map[string]Question{}
		for _, g := range out {
			src, rule, ok := strings.Cut(g.ID, "~")
			q := byID[src]
			if !ok || rule != g.Rule || q.ID == "" {
				t.Fatalf("id %q does not name its source and rule %q", g.ID, g.Rule)
			}
			got[g.ID] = g
			if g.Type != TypeUnanswerable || len(g.DocIDs) != 0 || g.Origin != q.DocIDs[0] || g.Half() != q.Half() {
				t.Errorf("%s: type %q, docs %v, origin %q, half %s (source's %s)", g.ID, g.Type, g.DocIDs, g.Origin, g.Half(), q.Half())
			}
			if g.Question == q.Question {
				t.Errorf("%s: unchanged", g.ID)
			}
			if _, err := ReadQuestions(strings.NewReader(mustJSON(t, g))); err != nil {
				t.Errorf("%s: not a valid question line: %v", g.ID, err)
			}
			switch rule {
			case RuleCountry, RulePerson, RuleOrganisation:
				// The new name (its new words) is mentioned nowhere.
				for _, w := range changed(q.Question, g.Question) {
					if c.Mentions(w) {
						t.Errorf("%s: %q swapped in, but the corpus mentions %q", g.ID, g.Question, w)
					}
				}
			case RuleYear:
				ws := changed(q.Question, g.Question)
				y, err := strconv.Atoi(strings.Join(ws, ""))
				if len(ws) != 1 || err != nil {
					t.Fatalf("%s: %q changes %v, not one year", g.ID, g.Question, ws)
				}
				// The 2011 article reports the same talks: its year would
				// make the question answerable. 2010 is the article's own.
				if y == 2010 || y == 2011 || y < 2008 || y > 2012 {
					t.Errorf("%s: moved to %d", g.ID, y)
				}
			}
		}
		// What each source must and must not give, whatever the seed.
		for _, c := range []struct {
			id   string
			want string // "" = no question
		}{
			{"talks~country", "*"},
			{"talks~year", "*"},
			{"talks~person", ""},   // it names no person
			{"leader~person", "*"}, // Kelly, a surname the article gives Craig Kelly
			{"leader~org", "*"},    // UN
			{"plan~year", ""},      // 2030 names the plan, not a date
			{"plan~person", ""},    // PACC is an acronym, not a name
			{"tps~person", ""},     // a programme, not a person
			{"demand~amount", "How many times did the White House demand that Venezuelan authorities publish results?"},
			{"shipment~amount", ""},  // the passage holds a figure
			{"followup~country", ""}, // a follow-up is left alone
			{"off~country", ""},      // unanswerable already
		} {
			g, ok := got[c.id]
			switch {
			case c.want == "" && ok:
				t.Errorf("seed %d: %s made %q", seed, c.id, g.Question)
			case c.want != "" && !ok:
				t.Errorf("seed %d: no %s", seed, c.id)
			case c.want != "*" && ok && g.Question != c.want:
				t.Errorf("seed %d: %s = %q, want %q", seed, c.id, g.Question, c.want)
			}
		}
		if g, ok := got["talks~country"]; ok {
			// Every form of the country changes, each to the same form of
			// one other country.
			if strings.Contains(g.Question, "Cuban") || strings.Contains(g.Question, "Havana") ||
				!strings.HasPrefix(g.Question, "What did the US and ") || !strings.HasSuffix(g.Question, " in February 2010?") {
				t.Errorf("seed %d: %q", seed, g.Question)
			}
		}
		if g, ok := got["leader~org"]; ok && !strings.Contains(g.Question, "-backed talks") {
			t.Errorf("seed %d: %q", seed, g.Question)
		}
		if g, ok := got["leader~person"]; ok && len(strings.Fields(g.Question)) != len(strings.Fields(byID["leader"].Question)) {
			t.Errorf("seed %d: a surname was replaced by more than a surname: %q", seed, g.Question)
		}
	}
	if only := Perturb(qs, c, PerturbOptions{Seed: 1, Rules: []string{RuleYear}}); len(only) == 0 ||
		slices.ContainsFunc(only, func(q Question) bool { return q.Rule != RuleYear }) {
		t.Errorf("rules restricted to year: %+v", only)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCorpusMentions(t *testing.T) {
	t.Parallel()
	c := perturbCorpus(t)
	for _, tc := range []struct {
		phrase string
		want   bool
	}{
		{"Havana", true},
		{"havana", true},
		{"Craig Kelly", true},
		{"Kelly Craig", false}, // the words, not in a row
		{"United States delegation", true},
		{"Thimphu", false},
		{"", false},
	} {
		if got := c.Mentions(tc.phrase); got != tc.want {
			t.Errorf("Mentions(%q) = %v", tc.phrase, got)
		}
	}
}

func TestStatesNumber(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"The talks resumed on February 19, 2010.", false},
		{"On 19 February 2010 the talks resumed.", false},
		{"It carried 40 tonnes of food.", true},
		{"Three rounds were held.", true},
		{"They met twice.", true},
		{"The delegation met officials.", false},
	} {
		if got := statesNumber(tc.s); got != tc.want {
			t.Errorf("statesNumber(%q) = %v", tc.s, got)
		}
	}
}

func TestCandidates(t *testing.T) {
	t.Parallel()
	p := &perturber{c: perturbCorpus(t), absent: map[string]bool{}}
	forms := []string{"Havana", "Ottawa", "Thimphu"}
	keys := keyStems("migration talks")
	for _, c := range []struct {
		n    int
		want []int
	}{
		// A name no article mentions is preferred.
		{3, []int{2}},
		// Else a name no article mentions together with half the keys:
		// Ottawa's article is about fisheries, Havana's about migration talks.
		{2, []int{1}},
		{1, nil},
	} {
		got := p.candidates(c.n, keys, func(i int) []string { return []string{forms[i]} })
		if !slices.Equal(got, c.want) {
			t.Errorf("candidates among %v = %v, want %v", forms[:c.n], got, c.want)
		}
	}
}

// TestSwapCountryForms swaps into the one country a corpus leaves unmentioned
// and checks that each form becomes the same form of it, articles included.
func TestSwapCountryForms(t *testing.T) {
	t.Parallel()
	var mentioned []string
	for _, c := range countries {
		if c.noun == "the Philippines" {
			continue
		}
		for _, f := range c.forms() {
			if f != "" {
				mentioned = append(mentioned, bare(f))
			}
		}
	}
	c := NewCorpus([]attache.Passage{{DocID: "kb/all.md", Path: "all.md", Text: strings.Join(mentioned, ". ")}})
	p := &perturber{c: c, absent: map[string]bool{}}
	for _, tc := range []struct{ in, want string }{
		{"What did the US and Cuba agree?", "What did the US and the Philippines agree?"},
		{"What did the US and the Bahamas agree?", "What did the US and the Philippines agree?"},
		{"The Bahamas and the US agreed on what?", "The Philippines and the US agreed on what?"},
		{"Which Bahamian leader met Cuban officials in Nassau?", "Which Philippine leader met Cuban officials in Manila?"},
		{"Cuba, Cubans and Havana: what did the Cuban side say?", "The Philippines, Filipinos and Manila: what did the Philippine side say?"},
		{"When did Mexico City host the talks?", "When did Manila host the talks?"},
		{"What did the US agree?", ""},
	} {
		// With one country named, the choice of the country to change is
		// forced; with two, try seeds until the wanted one is changed.
		var got string
		for seed := uint64(1); seed < 50; seed++ {
			got = p.swapCountry(tc.in, rand.New(rand.NewPCG(seed, 0)))
			if got == tc.want {
				break
			}
		}
		if got != tc.want {
			t.Errorf("swapCountry(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
