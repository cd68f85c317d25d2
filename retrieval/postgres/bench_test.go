package postgres

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"attache/retrieval"
	"attache/retrieval/sqlite"
	"attache/retrieval/storetest"
)

// Synthetic benchmark corpus: documents of 10 passages of about 200 words,
// as in the SQLite store's benchmarks.
const (
	benchPassagesPerDoc = 10
	benchWords          = 200
	benchBatch          = 500 // documents per Apply
	benchK              = 20  // hits per search, as retrieval.Searcher asks
)

// benchSchema opens the store the benchmark named name works on: the schema
// ATTACHE_BENCH_PG_SCHEMA_<name> when set (kept, so that a later run reuses
// what it holds), else a new schema dropped at the end.
func benchSchema(b *testing.B, name string) (*Store, bool) {
	b.Helper()
	if schema := os.Getenv("ATTACHE_BENCH_PG_SCHEMA_" + name); schema != "" {
		s, err := Open(context.Background(), testDSN(b), Options{Schema: schema}, slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s, true
	}
	return openTest(b, Options{}), false
}

func benchQuestions(b *testing.B, path string) []string {
	b.Helper()
	f, err := os.Open(path)
	if err != nil {
		b.Skipf("no question set %s", path)
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var q struct{ Question string }
		if json.Unmarshal(sc.Bytes(), &q) == nil && q.Question != "" {
			qs = append(qs, q.Question)
		}
	}
	return qs
}

func reportLatency(b *testing.B, ds []time.Duration) {
	b.Helper()
	if len(ds) == 0 {
		return
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	ms := func(q float64) float64 { return float64(ds[int(q*float64(len(ds)-1))].Microseconds()) / 1000 }
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.95), "p95-ms")
}

// searchQuestions times the searcher over the questions, after one warm-up
// pass, and reports p50 and p95.
func searchQuestions(b *testing.B, st retrieval.Store, qs []string) {
	b.Helper()
	ctx := context.Background()
	s := &retrieval.Searcher{Store: st}
	for _, q := range qs {
		if _, err := s.Search(ctx, q, retrieval.SearchOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	var ds []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := s.Search(ctx, qs[i%len(qs)], retrieval.SearchOptions{}); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	reportLatency(b, ds)
}

// syncFolder indexes a folder into st and logs how long it took.
func syncFolder(b *testing.B, st retrieval.Store, dir string) {
	b.Helper()
	start := time.Now()
	ix := &retrieval.Indexer{Store: st, Sources: []retrieval.Source{{Name: "knowledge", Path: dir, Exclude: []string{"README.md"}}}}
	ix.Chunk.TargetWords = 300 // the configured default
	sum, err := ix.Sync(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if sum.Changed() {
		b.Logf("indexed %s: %s in %v", filepath.Base(dir), sum, time.Since(start).Round(time.Millisecond))
	}
}

// BenchmarkSearchBundled searches the bundled knowledge with the questions
// of the bundled evaluation set through the searcher.
func BenchmarkSearchBundled(b *testing.B) {
	st := openTest(b, Options{})
	syncFolder(b, st, "../../knowledge")
	searchQuestions(b, st, benchQuestions(b, "../../eval/bundled.jsonl"))
}

// BenchmarkSearchLarge indexes the large corpus named by
// ATTACHE_LARGE_CORPUS (reporting the time of a full build when the schema
// is new) and searches it with the questions of eval/large.jsonl.
func BenchmarkSearchLarge(b *testing.B) {
	dir := os.Getenv("ATTACHE_LARGE_CORPUS")
	if dir == "" {
		b.Skip("set ATTACHE_LARGE_CORPUS to the large corpus folder")
	}
	st, _ := benchSchema(b, "LARGE")
	syncFolder(b, st, dir)
	searchQuestions(b, st, benchQuestions(b, "../../eval/large.jsonl"))
}

// benchPassages is the size of the synthetic corpus: ATTACHE_BENCH_PASSAGES,
// else 100,000.
func benchPassages(b *testing.B) int {
	b.Helper()
	n := 100_000
	if v := os.Getenv("ATTACHE_BENCH_PASSAGES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < benchPassagesPerDoc {
			b.Fatalf("ATTACHE_BENCH_PASSAGES=%q is not a passage count", v)
		}
	}
	return n
}

// fill writes the synthetic corpus into st unless it holds it already, in
// batches of benchBatch documents generated as they go.
func fill(b *testing.B, st retrieval.Store, passages int) {
	b.Helper()
	ctx := context.Background()
	_, total, err := st.DocFreq(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	docs := passages / benchPassagesPerDoc
	if total == docs*benchPassagesPerDoc {
		return
	}
	start := time.Now()
	all := storetest.Synthetic(docs, benchPassagesPerDoc, benchWords, 42)
	for i := 0; i < len(all); i += benchBatch {
		if err := st.Apply(ctx, retrieval.Changes{Upsert: all[i:min(i+benchBatch, len(all))], Replace: i == 0}); err != nil {
			b.Fatal(err)
		}
	}
	took := time.Since(start)
	b.Logf("indexed %d synthetic passages in %v (%.0f passages/s)", passages, took.Round(time.Millisecond), float64(passages)/took.Seconds())
}

// timeStore times store searches with the synthetic queries, their
// frequencies looked up first as the searcher does.
func timeStore(b *testing.B, st retrieval.Store) {
	b.Helper()
	ctx := context.Background()
	queries := storetest.SyntheticQueries(500, 7)
	for _, q := range queries {
		var words []string
		for _, t := range q {
			words = append(words, t.Text)
		}
		if _, _, err := st.DocFreq(ctx, words); err != nil {
			b.Fatal(err)
		}
	}
	var ds []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		hits, err := st.Search(ctx, retrieval.Query{Terms: queries[i%len(queries)], K: benchK})
		ds = append(ds, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if len(hits) > benchK {
			b.Fatalf("%d hits for K=%d", len(hits), benchK)
		}
	}
	reportLatency(b, ds)
}

// BenchmarkSearchSynthetic searches a synthetic corpus of
// ATTACHE_BENCH_PASSAGES passages (default 100,000) on both stores.
func BenchmarkSearchSynthetic(b *testing.B) {
	passages := benchPassages(b)
	b.Run("postgres", func(b *testing.B) {
		st, _ := benchSchema(b, "SYNTHETIC")
		fill(b, st, passages)
		timeStore(b, st)
	})
	b.Run("sqlite", func(b *testing.B) {
		path := os.Getenv("ATTACHE_BENCH_SQLITE_SYNTHETIC")
		if path == "" {
			path = filepath.Join(b.TempDir(), "synthetic.db")
		}
		st, err := sqlite.Open(context.Background(), path, sqlite.Options{}, slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		fill(b, st, passages)
		timeStore(b, st)
	})
}
