package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"attache/eval"
	"attache/internal/text"
)

const (
	spanishQuestionSet = "../../eval/bundled-es.jsonl"
	bundledQuestionSet = "../../eval/bundled.jsonl"
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
			t.Fatalf("%s: no English original %q in %s", q.ID, id, "eval/bundled.jsonl")
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

	compareSpanish(t, spanish, pairs, bundledKnowledge, true)
}

// TestLargeSpanishQuestions does the same with the Spanish versions of
// held-out questions over the large corpus when ATTACHE_LARGE_CORPUS names
// the folder it was unpacked to (it is not part of the repository).
func TestLargeSpanishQuestions(t *testing.T) {
	spanish, err := eval.LoadQuestions("../../eval/large-holdout-es.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	english, err := eval.LoadQuestions("../../eval/large-holdout.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	originals := map[string]eval.Question{}
	for _, q := range english {
		originals[q.ID] = q
	}
	var pairs []eval.Question
	for _, q := range spanish {
		o, ok := originals[strings.TrimSuffix(q.ID, "-es")]
		if !ok {
			t.Fatalf("%s: no English original", q.ID)
		}
		pairs = append(pairs, o)
	}
	dir := os.Getenv("ATTACHE_LARGE_CORPUS")
	if dir == "" {
		t.Skip("set ATTACHE_LARGE_CORPUS to the unpacked large corpus")
	}
	compareSpanish(t, spanish, pairs, dir, false)
}

// TestQuestionLanguages checks the language guess on every question set:
// the English questions (and their histories) are English and searched
// as written, the Spanish ones Spanish, and their English rendering English.
func TestQuestionLanguages(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		file, lang string
	}{
		{bundledQuestionSet, "en"},
		{"../../eval/large.jsonl", "en"},
		{"../../eval/large-holdout.jsonl", "en"},
		{spanishQuestionSet, "es"},
		{"../../eval/large-holdout-es.jsonl", "es"},
	} {
		qs, err := eval.LoadQuestions(c.file)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range qs {
			texts := []string{q.Question}
			for _, h := range q.History {
				texts = append(texts, h.Content)
			}
			for _, s := range texts {
				if got := text.Language(s); got != c.lang {
					t.Errorf("%s %s: Language(%q) = %s, want %s", c.file, q.ID, s, got, c.lang)
				}
				en := text.EnglishQuery(s)
				if c.lang == "en" && en != s {
					t.Errorf("%s %s: English %q rendered as %q", c.file, q.ID, s, en)
				}
				if got := text.Language(en); got != "en" {
					t.Errorf("%s %s: the rendering %q of %q is not English", c.file, q.ID, en, s)
				}
			}
		}
	}
}

// compareSpanish evaluates Spanish questions and their English originals
// over a knowledge folder, overall and per half, and fails when the
// Spanish recall@5 falls below minSpanishShare of the English one.
func compareSpanish(t *testing.T, spanish, pairs []eval.Question, knowledge string, halves bool) {
	t.Helper()
	a := openApp(t, testEnv(t), knowledge, nil)
	run := func(qs []eval.Question) eval.Metrics {
		t.Helper()
		rep, err := eval.Run(context.Background(), qs, evalOptions(a, qualityK, ""))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Overall.Errors > 0 {
			t.Errorf("%d questions failed", rep.Overall.Errors)
		}
		for _, r := range rep.Results {
			if r.Type != eval.TypeUnanswerable && r.Rank == 0 {
				t.Logf("not found in the top %d: %s %q", qualityK, r.ID, r.Question)
			}
		}
		return rep.Overall
	}
	parts := []string{""}
	if halves {
		parts = append(parts, eval.HalfTune, eval.HalfTest)
	}
	for _, half := range parts {
		es, en := run(inHalf(spanish, half)), run(inHalf(pairs, half))
		name := "all"
		if half != "" {
			name = half + " half"
		}
		t.Logf("%-9s n=%2d  recall@%d es %.3f en %.3f  evidence@1 es %.3f en %.3f  refusal es %.2f en %.2f  false refusal es %.3f en %.3f",
			name, es.N, qualityK, es.RecallAtK, en.RecallAtK, es.EvidenceAt1, en.EvidenceAt1,
			es.RefusalRate, en.RefusalRate, es.FalseRefusalRate, en.FalseRefusalRate)
		if half == "" && es.RecallAtK < minSpanishShare*en.RecallAtK {
			t.Errorf("Spanish recall@%d %.3f < %.1f × English %.3f", qualityK, es.RecallAtK, minSpanishShare, en.RecallAtK)
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
