package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"attache/retrieval"
)

func TestWindowStart(t *testing.T) {
	tests := []struct {
		lo, hi         int64
		matches, bound int
		want           int64
	}{
		{1, 100, 10, 20, 0},    // fewer matches than the bound
		{1, 100, 20, 20, 0},    // as many
		{1, 100, 40, 20, 50},   // half of the rids
		{1, 100, 400, 20, 95},  // a twentieth
		{1, 100, 30, 20, 33},   // 66.7 rounded up to 67 rids
		{51, 150, 40, 20, 100}, // rids need not start at 1
		{1, 10, 1000, 1, 9},    // at least one rid
		{5, 4, 100, 10, 0},     // no passages
		{1, 100, 101, 100, 0},  // the window would start below lo
		{1, 1_500_000, 30_000, 6_000, 1_200_000},
	}
	for _, tc := range tests {
		if got := windowStart(tc.lo, tc.hi, tc.matches, tc.bound); got != tc.want {
			t.Errorf("windowStart(%d, %d, %d, %d) = %d, want %d", tc.lo, tc.hi, tc.matches, tc.bound, got, tc.want)
		}
	}
}

// TestCandidateWindow: a word in more passages than the candidate bound
// (retrieval.CandidateFactor × MaxScan) is scored in the newest passages only, unless
// they hold fewer than K matches.
func TestCandidateWindow(t *testing.T) {
	ctx := context.Background()
	// 40 passages hold "common", the older ones more often: unbounded, the
	// oldest rank first.
	var docs []retrieval.IndexedDoc
	for i := range 40 {
		n := 1
		if i < 20 {
			n = 3
		}
		docs = append(docs, sampleDoc(fmt.Sprintf("k/%02d.md", i), strings.Repeat("common ", n)+"word"))
	}
	common := []retrieval.Term{{Text: "common", Weight: 1}}
	tests := []struct {
		name     string
		maxScan  int
		q        retrieval.Query
		want     int  // hits
		windowed bool // every hit among k/32 to k/39; else k/00 among them
	}{
		{"unbounded", -1, retrieval.Query{Terms: common, K: 5}, 5, false},
		// bound 8: the window is the 8 newest passages, k/32 to k/39
		{"window", 4, retrieval.Query{Terms: common, K: 5}, 5, true},
		{"window, several terms", 4, retrieval.Query{Terms: append(common, retrieval.Term{Text: "word", Weight: 1}), K: 5}, 5, true},
		// a window holding fewer than K: the whole index
		{"too few in the window", 4, retrieval.Query{Terms: common, K: 20}, 20, false},
		// a title group is not windowed
		{"title", 4, retrieval.Query{Terms: common, Title: [][]string{{"title"}}, K: 5}, 5, false},
		// the bound is retrieval.CandidateFactor × MaxScan: 40 fit in 20 × 2
		{"within the bound", 20, retrieval.Query{Terms: common, K: 5}, 5, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openTest(t, Options{MaxScan: tc.maxScan})
			if err := s.Apply(ctx, retrieval.Changes{Upsert: docs}); err != nil {
				t.Fatal(err)
			}
			hits, err := s.Search(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) != tc.want {
				t.Fatalf("%d hits, want %d", len(hits), tc.want)
			}
			oldest := hits[0].DocID
			for _, h := range hits {
				oldest = min(oldest, h.DocID)
			}
			if tc.windowed && oldest < "k/32.md" || !tc.windowed && oldest != "k/00.md" {
				t.Errorf("oldest document among the hits %s (windowed %v)", oldest, tc.windowed)
			}
		})
	}
}
