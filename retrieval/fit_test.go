package retrieval_test

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"attache/retrieval"
)

// fitData makes questions whose relevant candidate is told apart by the
// title feature only, with BM25 noise that favours either side equally.
func fitData() []retrieval.FitQuestion {
	var qs []retrieval.FitQuestion
	for i := range 20 {
		noise := float64(i%5) / 4
		qs = append(qs, retrieval.FitQuestion{
			ID:       "q",
			Relevant: []map[string]float64{{retrieval.FeatureTitle: 1, retrieval.FeatureBM25: 1 + noise}},
			Other: []map[string]float64{
				{retrieval.FeatureTitle: 0, retrieval.FeatureBM25: 2 - noise},
				{retrieval.FeatureTitle: 0, retrieval.FeatureBM25: 1 + noise},
			},
		})
	}
	return qs
}

func TestFitLearnsTheFeatureThatSeparates(t *testing.T) {
	t.Parallel()
	start := retrieval.Weights{retrieval.FeatureBM25: 1, retrieval.FeatureRecency: 0.5}
	res := retrieval.Fit(fitData(), 0.1, start)
	if res.Questions != 20 || res.Pairs != 40 {
		t.Errorf("%d questions, %d pairs; want 20, 40", res.Questions, res.Pairs)
	}
	if w := res.Weights; w[retrieval.FeatureTitle] <= 1 || w[retrieval.FeatureTitle] <= 2*math.Abs(w[retrieval.FeatureBM25]) {
		t.Errorf("title %.3f should dominate bm25 %.3f", w[retrieval.FeatureTitle], w[retrieval.FeatureBM25])
	}
	if res.PairsAfter != 1 {
		t.Errorf("pairs ranked right after fitting: %.3f, want 1", res.PairsAfter)
	}
	if res.PairsBefore >= res.PairsAfter {
		t.Errorf("before %.3f, after %.3f: fitting did not help", res.PairsBefore, res.PairsAfter)
	}
	// Recency tells no pair apart: it keeps its weight relative to BM25's.
	want := 0.5 * res.Weights[retrieval.FeatureBM25]
	if got := res.Weights[retrieval.FeatureRecency]; math.Abs(got-want) > 1e-12 {
		t.Errorf("recency %.4f, want %.4f (kept relative to bm25)", got, want)
	}
	if !strings.Contains(strings.Join(res.Fixed, ","), retrieval.FeatureRecency) {
		t.Errorf("fixed features %v lack recency", res.Fixed)
	}
	// Deterministic: the same data gives the same weights.
	again := retrieval.Fit(fitData(), 0.1, start)
	for n, w := range res.Weights {
		if again.Weights[n] != w {
			t.Errorf("%s: %v then %v", n, w, again.Weights[n])
		}
	}
	// Stronger regularisation gives smaller weights.
	strong := retrieval.Fit(fitData(), 10, start)
	if strong.Weights[retrieval.FeatureTitle] >= res.Weights[retrieval.FeatureTitle] {
		t.Errorf("lambda 10 gives title %.3f, lambda 0.1 gives %.3f", strong.Weights[retrieval.FeatureTitle], res.Weights[retrieval.FeatureTitle])
	}
}

func TestFitSkipsQuestionsWithoutBothSides(t *testing.T) {
	t.Parallel()
	qs := []retrieval.FitQuestion{
		{ID: "none found", Other: []map[string]float64{{retrieval.FeatureBM25: 1}}},
		{ID: "nothing else", Relevant: []map[string]float64{{retrieval.FeatureBM25: 1}}},
	}
	res := retrieval.Fit(qs, 1, retrieval.DefaultWeights)
	if res.Questions != 0 || res.Pairs != 0 {
		t.Errorf("%d questions, %d pairs from questions with one side only", res.Questions, res.Pairs)
	}
	for _, n := range retrieval.Features() {
		if res.Weights[n] != retrieval.DefaultWeights[n] {
			t.Errorf("%s moved from %v to %v with no data", n, retrieval.DefaultWeights[n], res.Weights[n])
		}
	}
}

func TestWeightsWriteGoAndWithout(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := retrieval.DefaultWeights.WriteGo(&b); err != nil {
		t.Fatal(err)
	}
	for _, n := range retrieval.Features() {
		if !strings.Contains(b.String(), `"`+n+`":`) {
			t.Errorf("no weight for %s in\n%s", n, b.String())
		}
	}
	w, err := retrieval.DefaultWeights.Without(retrieval.FeatureTitle)
	if err != nil {
		t.Fatal(err)
	}
	if w[retrieval.FeatureTitle] != 0 || w[retrieval.FeatureBM25] != retrieval.DefaultWeights[retrieval.FeatureBM25] {
		t.Errorf("without title: %v", w)
	}
	if retrieval.DefaultWeights[retrieval.FeatureTitle] == 0 {
		t.Error("Without changed the default weights")
	}
	if _, err := retrieval.DefaultWeights.Without("colour"); err == nil {
		t.Error("an unknown feature is accepted")
	}
}

// The score of a hit is the weighted sum of the features it explains, and
// features are only filled when asked for.
func TestExplainedScoreIsTheWeightedSum(t *testing.T) {
	t.Parallel()
	s := indexFolder(t, "southcone")
	ctx := context.Background()
	res, err := s.Search(ctx, "Who led the papal mediation between Chile and Argentina in November 1984?", retrieval.SearchOptions{Explain: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 {
		t.Fatal("no hits")
	}
	for _, h := range res.Hits {
		if len(h.Features) != len(retrieval.Features()) {
			t.Fatalf("%s: features %v", h.DocID, h.Features)
		}
		var sum float64
		for n, v := range h.Features {
			sum += retrieval.DefaultWeights[n] * v
		}
		if math.Abs(sum-h.Score) > 1e-9 {
			t.Errorf("%s: score %.6f, weighted features %.6f", h.DocID, h.Score, sum)
		}
	}
	if h := res.Hits[0]; h.DocID != "kb/beagle-treaty.md" || h.Features[retrieval.FeatureDateMonth] != 1 {
		t.Errorf("first %s with features %v: want the treaty, dated in the month asked", h.DocID, h.Features)
	}
	plain, err := s.Search(ctx, "papal mediation", retrieval.SearchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range plain.Hits {
		if h.Features != nil {
			t.Errorf("%s: features without explain", h.DocID)
		}
	}
	// Candidates, what fitting reads, carry their features.
	cands, err := s.Candidates(ctx, "papal mediation", retrieval.SearchOptions{K: 5})
	if err != nil || len(cands) == 0 {
		t.Fatalf("candidates: %v, %v", cands, err)
	}
	for _, h := range cands {
		if h.Features == nil {
			t.Errorf("candidate %s without features", h.ID)
		}
	}
}
