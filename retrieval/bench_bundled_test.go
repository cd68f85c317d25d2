package retrieval_test

import (
	"context"
	"path/filepath"
	"testing"

	"attache/retrieval"
)

// BenchmarkSearchBundled searches the bundled knowledge with the questions
// of the bundled evaluation set, reporting per-search p50 and p95.
func BenchmarkSearchBundled(b *testing.B) {
	ctx := context.Background()
	st := openStoreAt(b, filepath.Join(b.TempDir(), "index.db"))
	ix := &retrieval.Indexer{Store: st, Sources: []retrieval.Source{{Name: "knowledge", Path: "../knowledge", Exclude: []string{"README.md"}}}}
	ix.Chunk.TargetWords = 300 // the configured default
	if _, err := ix.Sync(ctx); err != nil {
		b.Fatal(err)
	}
	qs := benchQuestions(b, "../eval/bundled.jsonl", "no bundled question set")
	s := &retrieval.Searcher{Store: st}
	for _, q := range qs { // warm the document-frequency cache
		if _, err := s.Search(ctx, q, retrieval.SearchOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	timeSearches(b, s, qs)
}
