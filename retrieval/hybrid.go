package retrieval

import (
	"context"
	"fmt"
	"strings"

	"attache"
)

// Semantic finds the passages nearest in meaning to a query: their IDs, best
// first. The vector sub-package provides one (retrieval/vector.Index.Search).
type Semantic func(ctx context.Context, query string, k int) ([]string, error)

// rrfK0 is the constant of reciprocal rank fusion.
const rrfK0 = 60

// fuse merges the keyword hits with the semantic neighbours by reciprocal
// rank fusion: each passage scores Σ 1/(k0+rank) over the lists it is in.
// Passages found only semantically are read from the store. The fused score
// stands for BM25 in the relevance model (its bm25 feature).
func (s *Searcher) fuse(ctx context.Context, question string, hits []attache.Hit, k int, dates attache.DateRange, sources []string) ([]attache.Hit, error) {
	ids, err := s.Semantic(ctx, question, k)
	if err != nil {
		return nil, fmt.Errorf("semantic search: %w", err)
	}
	byID := make(map[string]*attache.Hit, len(hits))
	score := map[string]float64{}
	for i := range hits {
		byID[hits[i].ID] = &hits[i]
		score[hits[i].ID] += 1 / float64(rrfK0+i+1)
	}
	var missing []string
	for i, id := range ids {
		score[id] += 1 / float64(rrfK0+i+1)
		if byID[id] == nil {
			missing = append(missing, id)
		}
	}
	out := append([]attache.Hit(nil), hits...)
	got, err := s.passagesByID(ctx, missing)
	if err != nil {
		return nil, err
	}
	for _, p := range got {
		if !dates.Contains(p.Date) || (len(sources) > 0 && !containsString(sources, p.Source)) {
			continue
		}
		out = append(out, attache.Hit{Passage: p})
	}
	for i := range out {
		out[i].Score = 100 * score[out[i].ID]
	}
	return out, nil
}

// passagesByID reads passages by ID ("docID#ordinal"), one document at a time.
func (s *Searcher) passagesByID(ctx context.Context, ids []string) ([]attache.Passage, error) {
	want := map[string]map[string]bool{}
	var order []string
	for _, id := range ids {
		i := strings.LastIndex(id, "#")
		if i < 0 {
			continue
		}
		doc := id[:i]
		if want[doc] == nil {
			want[doc] = map[string]bool{}
			order = append(order, doc)
		}
		want[doc][id] = true
	}
	var out []attache.Passage
	for _, doc := range order {
		ps, err := s.Store.Passages(ctx, doc)
		if err != nil {
			if attache.ErrorCode(err) == attache.ENOTFOUND {
				continue // removed since the vectors were computed
			}
			return nil, err
		}
		for _, p := range ps {
			if want[doc][p.ID] {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// AllPassages lists every indexed passage, for building a vector index.
func AllPassages(ctx context.Context, st Store) ([]attache.Passage, error) {
	docs, err := st.Documents(ctx, DocFilter{})
	if err != nil {
		return nil, err
	}
	var out []attache.Passage
	for _, d := range docs {
		ps, err := st.Passages(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	return out, nil
}
