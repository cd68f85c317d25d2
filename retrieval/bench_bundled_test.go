package retrieval_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

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
	f, err := os.Open("../eval/bundled.jsonl")
	if err != nil {
		b.Skip("no bundled question set")
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
	for _, q := range qs { // warm the document-frequency cache
		if _, err := s.Search(ctx, q, retrieval.SearchOptions{}); err != nil {
			b.Fatal(err)
		}
	}
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
