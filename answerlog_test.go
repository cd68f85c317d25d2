package attache_test

import (
	"slices"
	"testing"

	"attache"
)

func TestAnswerOutcomeAndCitedDocs(t *testing.T) {
	t.Parallel()
	cites := []attache.Citation{{N: 1, DocID: "kb/a.md"}, {N: 2, DocID: "kb/b.md"}, {N: 3, DocID: "kb/a.md"}, {N: 4}}
	for _, tc := range []struct {
		name    string
		a       attache.Answer
		outcome string
		docs    []string
	}{
		{"answered", attache.Answer{Answered: true, Citations: cites}, attache.OutcomeAnswered, []string{"kb/a.md", "kb/b.md"}},
		{"fallback is answered", attache.Answer{Answered: true, Fallback: true}, attache.OutcomeAnswered, []string{}},
		{"partial", attache.Answer{Partial: true, Citations: cites[1:2]}, attache.OutcomePartial, []string{"kb/b.md"}},
		{"refused", attache.Answer{}, attache.OutcomeRefused, []string{}},
	} {
		if got := attache.AnswerOutcome(tc.a); got != tc.outcome {
			t.Errorf("%s: outcome %q, want %q", tc.name, got, tc.outcome)
		}
		if got := attache.CitedDocs(tc.a); !slices.Equal(got, tc.docs) || got == nil {
			t.Errorf("%s: docs %q, want %q", tc.name, got, tc.docs)
		}
	}
}
