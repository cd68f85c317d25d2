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
)

// benchQuestions reads the questions of an evaluation set, or skips the
// benchmark with skipMsg when the file is absent.
func benchQuestions(b *testing.B, path, skipMsg string) []string {
	b.Helper()
	f, err := os.Open(path)
	if err != nil {
		b.Skip(skipMsg)
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
	return qs
}

// reportPercentiles reports the p50 and p95 of per-search durations in ms.
func reportPercentiles(b *testing.B, durs []time.Duration) {
	b.Helper()
	if len(durs) == 0 {
		return
	}
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	b.ReportMetric(float64(durs[len(durs)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(durs[len(durs)*95/100].Microseconds())/1000, "p95-ms")
}

// timeSearches runs the questions in turn for b.N searches and reports the
// percentiles of their durations.
func timeSearches(b *testing.B, s *retrieval.Searcher, qs []string) {
	b.Helper()
	ctx := context.Background()
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
	reportPercentiles(b, durs)
}
