package retrieval_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"sort"
	"testing"
	"time"

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
	f, err := os.Open("../eval/large.jsonl")
	if err != nil {
		b.Skip("no large question set")
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var q struct{ Question string }
		if json.Unmarshal(sc.Bytes(), &q) == nil && q.Question != "" {
			qs = append(qs, q.Question)
		}
	}
	s := &retrieval.Searcher{Store: st}
	var durs []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t := time.Now()
		if _, err := s.Search(ctx, qs[i%len(qs)], retrieval.SearchOptions{}); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(t))
	}
	b.StopTimer()
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	b.ReportMetric(float64(durs[len(durs)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(durs[len(durs)*95/100].Microseconds())/1000, "p95-ms")
}
