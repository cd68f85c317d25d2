package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestSmallFolderAnswers runs questions end to end over a folder of five
// articles (with and without front matter): a question about a country no
// article mentions is refused and says so, a "who" question quotes the
// sentence naming the person, and a search finds the same articles
// whatever the order of its words.
func TestSmallFolderAnswers(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	args := []string{"--knowledge", "../../retrieval/testdata/small/southcone", "--index", filepath.Join(t.TempDir(), "index.db")}
	ask := func(q string) askOut {
		t.Helper()
		code, out, errs := run(t, env, append(append([]string{}, args...), "ask", "--json", q)...)
		if code != 0 {
			t.Fatalf("ask %q: exit %d: %s", q, code, errs)
		}
		var a askOut
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Fatalf("ask %q: %v: %s", q, err, out)
		}
		return a
	}
	if a := ask("Did Chile and Peru settle their maritime dispute?"); a.Answered || !strings.Contains(a.Answer, "Peru") {
		t.Errorf("a country no article mentions: answered %v: %s", a.Answered, a.Answer)
	}
	a := ask("Who led the papal mediation between Chile and Argentina?")
	if !a.Answered || !strings.Contains(a.Answer, "Samore") {
		t.Errorf("who question: answered %v: %s", a.Answered, a.Answer)
	}
	for _, q := range []string{"Argentina border", "border Argentina"} {
		code, out, errs := run(t, env, append(append([]string{}, args...), "search", "--json", q)...)
		if code != 0 {
			t.Fatalf("search %q: exit %d: %s", q, code, errs)
		}
		if !strings.Contains(out, "border-patrol.md") || !strings.Contains(out, "beagle-treaty.md") {
			t.Errorf("search %q misses an article holding both words: %s", q, out)
		}
	}
}
