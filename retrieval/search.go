package retrieval

import (
	"context"
	"fmt"
	"log/slog"
	"sort"

	"attache"
)

// SearchOptions narrows one search.
type SearchOptions struct {
	K       int               // hits wanted (0 = the searcher's default)
	Dates   attache.DateRange // publication window
	Sources []string          // source names; empty = all
}

// Result is the outcome of a search: the weighted terms the question became
// and the passages found, best first.
type Result struct {
	Query string        `json:"query"`
	Terms []QueryTerm   `json:"terms"`
	Hits  []attache.Hit `json:"hits"`
}

// Searcher turns questions into safe store queries, ranks and diversifies hits.
type Searcher struct {
	Store     Store
	K         int // default hits per search (0 = 5)
	MaxPerDoc int // passages per document in one result (0 = 2)
	Logger    *slog.Logger
}

// Search runs a question against the store. User text is only ever split
// into words; it never reaches the store as query syntax, so any input gives
// results or none, never a syntax error.
func (s *Searcher) Search(ctx context.Context, question string, o SearchOptions) (Result, error) {
	res := Result{Query: question}
	k := o.K
	if k <= 0 {
		k = s.K
	}
	if k <= 0 {
		k = 5
	}
	maxPer := s.MaxPerDoc
	if maxPer <= 0 {
		maxPer = 2
	}
	words := candidateWords(question)
	if len(words) == 0 {
		return res, nil
	}
	df, total, err := s.Store.DocFreq(ctx, words)
	if err != nil {
		return res, fmt.Errorf("search: %w", err)
	}
	all, send := weightTerms(words, df, total)
	res.Terms = all
	if len(send) == 0 {
		return res, nil
	}
	q := Query{K: max(4*k, 20), Dates: o.Dates, Sources: o.Sources}
	for _, t := range send {
		q.Terms = append(q.Terms, Term{Text: t.Word, Weight: t.Weight})
	}
	hits, err := s.Store.Search(ctx, q)
	if err != nil {
		return res, fmt.Errorf("search: %w", err)
	}
	res.Hits = rerank(hits, all, k, maxPer)
	return res, nil
}

// rerank favours passages that contain more of the question's weight, keeps
// at most maxPer passages of one document, and numbers the first k.
func rerank(hits []attache.Hit, terms []QueryTerm, k, maxPer int) []attache.Hit {
	for i := range hits {
		h := &hits[i]
		h.Coverage = Coverage(terms, h.Title, h.Text)
		h.Score = h.Score * (0.5 + h.Coverage)
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })
	perDoc := map[string]int{}
	out := make([]attache.Hit, 0, k)
	for _, h := range hits {
		if perDoc[h.DocID] >= maxPer {
			continue
		}
		perDoc[h.DocID]++
		h.Rank = len(out) + 1
		out = append(out, h)
		if len(out) == k {
			break
		}
	}
	return out
}
