package main

import (
	"context"
	"strings"
	"testing"

	"attache/eval"
)

const (
	spanishQuestionSet = "../../eval/bundled-es.jsonl"
	// minSpanishShare is the least share of the English originals' recall@5
	// that their Spanish versions must reach.
	minSpanishShare = 0.9
)

// TestSpanishQuestions runs the Spanish versions of bundled questions and
// their English originals over the bundled (English) articles, and fails
// when the Spanish recall@5 falls below 0.9 of the English one. A missing
// question file fails the test.
func TestSpanishQuestions(t *testing.T) {
	t.Parallel()
	spanish, err := eval.LoadQuestions(spanishQuestionSet)
	if err != nil {
		t.Fatal(err)
	}
	english, err := eval.LoadQuestions(bundledQuestionSet)
	if err != nil {
		t.Fatal(err)
	}
	originals := map[string]eval.Question{}
	for _, q := range english {
		originals[q.ID] = q
	}
	var pairs []eval.Question // the originals, in the Spanish set's order
	unanswerable := 0
	for _, q := range spanish {
		id, ok := strings.CutSuffix(q.ID, "-es")
		o, found := originals[id]
		if !ok || !found {
			t.Fatalf("%s: no English original %q in %s", q.ID, id, bundledQuestionSetLabel)
		}
		if q.Type != o.Type || strings.Join(q.DocIDs, ",") != strings.Join(o.DocIDs, ",") || q.Evidence != o.Evidence || len(q.History) != len(o.History) {
			t.Errorf("%s differs from %s in type, documents, evidence or history", q.ID, id)
		}
		if q.Type == eval.TypeUnanswerable {
			unanswerable++
		}
		pairs = append(pairs, o)
	}
	if len(spanish) < 24 || unanswerable == 0 {
		t.Fatalf("%s has %d questions, %d unanswerable; want at least 24, some unanswerable", spanishQuestionSet, len(spanish), unanswerable)
	}

	a := openApp(t, testEnv(t), bundledKnowledge, nil)
	run := func(qs []eval.Question) eval.Metrics {
		t.Helper()
		rep, err := eval.Run(context.Background(), qs, evalOptions(a, bundledK, ""))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Overall.Errors > 0 {
			t.Errorf("%d questions failed", rep.Overall.Errors)
		}
		for _, r := range rep.Results {
			if r.Type != eval.TypeUnanswerable && r.Rank == 0 {
				t.Logf("not found in the top %d: %s %q", bundledK, r.ID, r.Question)
			}
		}
		return rep.Overall
	}
	for _, half := range []string{"", eval.HalfTune, eval.HalfTest} {
		es, en := run(inHalf(spanish, half)), run(inHalf(pairs, half))
		name := "all"
		if half != "" {
			name = half + " half"
		}
		t.Logf("%-9s n=%2d  recall@%d es %.3f en %.3f  evidence@1 es %.3f en %.3f  refusal es %.2f en %.2f  false refusal es %.3f en %.3f",
			name, es.N, bundledK, es.RecallAtK, en.RecallAtK, es.EvidenceAt1, en.EvidenceAt1,
			es.RefusalRate, en.RefusalRate, es.FalseRefusalRate, en.FalseRefusalRate)
		if half == "" && es.RecallAtK < minSpanishShare*en.RecallAtK {
			t.Errorf("Spanish recall@%d %.3f < %.1f × English %.3f", bundledK, es.RecallAtK, minSpanishShare, en.RecallAtK)
		}
		if es.Answerable != en.Answerable || es.Answerable == 0 {
			t.Errorf("%s: %d answerable Spanish questions, %d English", name, es.Answerable, en.Answerable)
		}
	}
}

// inHalf returns the questions of one half ("" = all).
func inHalf(qs []eval.Question, half string) []eval.Question {
	if half == "" {
		return qs
	}
	var out []eval.Question
	for _, q := range qs {
		if q.Half() == half {
			out = append(out, q)
		}
	}
	return out
}
