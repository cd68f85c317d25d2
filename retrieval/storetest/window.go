package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"attache/retrieval"
)

// CandidateWindow checks the stores' candidate bound: a word in more
// passages than retrieval.CandidateFactor × MaxScan is scored in the newest
// passages only (retrieval.WindowStart), unless they hold fewer than K
// matches; a title group is never windowed. open returns an empty store
// scanning at most maxScan passages a search (negative: no bound).
func CandidateWindow(t *testing.T, open func(t *testing.T, maxScan int) retrieval.Store) {
	ctx := context.Background()
	// 40 passages hold "common", the older ones more often: unbounded, the
	// oldest rank first.
	var docs []retrieval.IndexedDoc
	for i := range 40 {
		n := 1
		if i < 20 {
			n = 3
		}
		docs = append(docs, doc("k", fmt.Sprintf("%02d.md", i), fmt.Sprintf("Title of %02d.md", i), "2020-01-01",
			strings.Repeat("common ", n)+"word"))
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
			s := open(t, tc.maxScan)
			apply(t, s, retrieval.Changes{Upsert: docs})
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
