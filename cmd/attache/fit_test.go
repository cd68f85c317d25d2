package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"attache/retrieval"
)

// fitFixture writes the small evaluation folder and its questions.
func fitFixture(t *testing.T) (vars map[string]string, base []string, qfile, dir string) {
	t.Helper()
	vars = testEnv(t)
	dir = t.TempDir()
	kn := filepath.Join(dir, "articles")
	evalKnowledge(t, kn)
	qfile = filepath.Join(dir, "questions.jsonl")
	writeFile(t, qfile, evalQuestions)
	return vars, []string{"--knowledge", kn, "--index", filepath.Join(dir, "index.db")}, qfile, dir
}

func TestFitCommand(t *testing.T) {
	t.Parallel()
	vars, base, qfile, dir := fitFixture(t)
	saved := filepath.Join(dir, "pairs.json")
	code, out, errs := run(t, vars, append(base, "fit", "--questions", qfile, "--half", "all", "--save", saved)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "var DefaultWeights = Weights{") || !strings.Contains(out, "pairs ranked right") {
		t.Errorf("no weights printed:\n%s", out)
	}
	for _, n := range retrieval.Features() {
		if !strings.Contains(out, `"`+n+`":`) {
			t.Errorf("no weight for %s:\n%s", n, out)
		}
	}
	// The saved comparisons fit to the same weights without an index.
	code, again, errs := run(t, vars, "fit", "--load", saved)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if again != out {
		t.Errorf("fitting saved comparisons differs:\n%s\nvs\n%s", again, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"fit"}, "--questions FILE.jsonl or --load FILE.json is required"},
		{[]string{"fit", "--load", saved, "--half", "middle"}, "--half"},
		{[]string{"fit", "--load", saved, "--lambda", "0"}, "--lambda"},
		{[]string{"fit", "--load", filepath.Join(dir, "none.json")}, "--load"},
	} {
		code, _, errs := run(t, vars, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 naming %s", tc.args, code, errs, tc.want)
		}
	}
}

func TestEvalAblate(t *testing.T) {
	t.Parallel()
	vars, base, qfile, _ := fitFixture(t)
	code, out, errs := run(t, vars, append(base, "eval", "--questions", qfile, "--json", "--ablate", "title", "--ablate", "bm25")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep evalJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Overall.N != 4 {
		t.Errorf("report %+v, %v", rep.Overall, err)
	}
	code, _, errs = run(t, vars, append(base, "eval", "--questions", qfile, "--ablate", "colour")...)
	if code != 2 || !strings.Contains(errs, `unknown feature "colour"`) {
		t.Errorf("unknown feature: exit %d, %q", code, errs)
	}
	code, _, errs = run(t, vars, append(base, "eval", "--questions", qfile, "--ablate", "rule:colour")...)
	if code != 2 || !strings.Contains(errs, `unknown rule "colour"`) || !strings.Contains(errs, "coverage") {
		t.Errorf("unknown rule: exit %d, %q", code, errs)
	}
}

// A rule left out lets through what it alone refuses: the embassy of a
// country no article names is refused by the names rule, answered without it.
func TestEvalAblateRule(t *testing.T) {
	t.Parallel()
	vars, base, _, dir := fitFixture(t)
	qfile := filepath.Join(dir, "peru.jsonl")
	writeFile(t, qfile, `{"id": "p1", "question": "Did the Peruvian embassy in Havana resume full visa processing?", "doc_ids": [], "evidence": "", "type": "unanswerable", "history": [], "origin": "2024-05-01-embassy.md"}`+"\n")
	refused := func(args ...string) float64 {
		t.Helper()
		code, out, errs := run(t, vars, append(append(base, "eval", "--questions", qfile, "--json"), args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		var rep struct {
			Overall struct {
				Refusal float64 `json:"refusal_rate"`
			} `json:"overall"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		return rep.Overall.Refusal
	}
	if got := refused(); got != 1 {
		t.Errorf("with every rule: refusal %.2f, want 1", got)
	}
	if got := refused("--ablate", "rule:names"); got != 0 {
		t.Errorf("without the names rule: refusal %.2f, want 0", got)
	}
	if got := refused("--ablate", "coverage"); got != 1 {
		t.Errorf("without the coverage feature (not the rule): refusal %.2f, want 1", got)
	}
}

func TestSearchExplain(t *testing.T) {
	t.Parallel()
	vars, base, _, _ := fitFixture(t)
	code, out, errs := run(t, vars, append(base, "search", "--json", "--explain", "Pacific salmon agreement in Ottawa")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res searchJSON
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Results) == 0 {
		t.Fatalf("bad result %v: %s", err, out)
	}
	for _, r := range res.Results {
		var sum float64
		for n, v := range r.Features {
			sum += retrieval.DefaultWeights[n] * v
		}
		if len(r.Features) == 0 || math.Abs(sum-r.Score) > 1e-9 {
			t.Errorf("%s: score %v, features %v", r.DocID, r.Score, r.Features)
		}
	}
	code, out, _ = run(t, vars, append(base, "search", "--explain", "Pacific salmon agreement in Ottawa")...)
	if code != 0 || !strings.Contains(out, "bm25 ") {
		t.Errorf("text output does not explain: %s", out)
	}
	code, out, _ = run(t, vars, append(base, "search", "--json", "Pacific salmon agreement in Ottawa")...)
	if code != 0 || strings.Contains(out, `"features"`) {
		t.Errorf("features shown without --explain: %s", out)
	}
}
