package retrieval_test

import (
	"context"
	"os"
	"testing"

	"attache/retrieval"
	"attache/retrieval/sqlite"
)

// BenchmarkSearchLarge searches an existing index of the large corpus, named
// by ATTACHE_BENCH_INDEX, with the questions of eval/large.jsonl. It is
// skipped when the variable is unset (the corpus is not part of the repo).
func BenchmarkSearchLarge(b *testing.B) {
	path := os.Getenv("ATTACHE_BENCH_INDEX")
	if path == "" {
		b.Skip("set ATTACHE_BENCH_INDEX to an index of the large corpus")
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path, sqlite.Options{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	qs := benchQuestions(b, "../eval/large.jsonl", "no large question set")
	s := &retrieval.Searcher{Store: st}
	timeSearches(b, s, qs)
}
