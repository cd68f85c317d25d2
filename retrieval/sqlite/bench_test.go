package sqlite

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"attache"
	"attache/retrieval"
	"attache/retrieval/storetest"
)

// Benchmark corpora: documents of 10 passages of about 200 words.
var benchSizes = []struct {
	name string
	docs int
}{
	{"10k", 1_000},
	{"100k", 10_000},
}

const (
	benchPassagesPerDoc = 10
	benchWords          = 200
	benchBatch          = 500 // documents per Apply
	benchK              = 20  // hits per search, as retrieval.Searcher asks
)

// benchIndexes are built once per test binary run and removed by TestMain.
var (
	benchMu      sync.Mutex
	benchDir     string
	benchStores  = map[string]*Store{}
	benchCorpora = map[string][]retrieval.IndexedDoc{}
)

func benchCorpus(name string, docs int) []retrieval.IndexedDoc {
	benchMu.Lock()
	defer benchMu.Unlock()
	if c, ok := benchCorpora[name]; ok {
		return c
	}
	c := storetest.Synthetic(docs, benchPassagesPerDoc, benchWords, 42)
	benchCorpora[name] = c
	return c
}

func benchTempDir(b *testing.B) string {
	b.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if benchDir == "" {
		d, err := os.MkdirTemp("", "attache-sqlite-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchDir = d
	}
	return benchDir
}

func cleanupBench() {
	benchMu.Lock()
	defer benchMu.Unlock()
	for _, s := range benchStores {
		s.Close()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	cleanupBench()
	os.Exit(code)
}

// indexAll writes docs in batches of benchBatch documents, one Apply each.
func indexAll(ctx context.Context, s *Store, docs []retrieval.IndexedDoc) error {
	for i := 0; i < len(docs); i += benchBatch {
		if err := s.Apply(ctx, retrieval.Changes{Upsert: docs[i:min(i+benchBatch, len(docs))]}); err != nil {
			return err
		}
	}
	return nil
}

// benchStore returns the shared index of the named size, building it on
// first use.
func benchStore(b *testing.B, name string, docs int) *Store {
	b.Helper()
	corpus := benchCorpus(name, docs)
	dir := benchTempDir(b)
	benchMu.Lock()
	defer benchMu.Unlock()
	if s, ok := benchStores[name]; ok {
		return s
	}
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(dir, "search-"+name+".db"), Options{}, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := indexAll(ctx, s, corpus); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %s index in %v", name, time.Since(start).Round(time.Millisecond))
	benchStores[name] = s
	return s
}

func BenchmarkIndex(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			corpus := benchCorpus(size.name, size.docs)
			dir := benchTempDir(b)
			ctx := context.Background()
			run := 0
			for b.Loop() {
				run++
				path := filepath.Join(dir, fmt.Sprintf("index-%s-%d.db", size.name, run))
				s, err := Open(ctx, path, Options{}, slog.New(slog.DiscardHandler))
				if err != nil {
					b.Fatal(err)
				}
				if err := indexAll(ctx, s, corpus); err != nil {
					b.Fatal(err)
				}
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				for _, suffix := range []string{"", "-wal", "-shm"} {
					os.Remove(path + suffix)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(len(corpus)*benchPassagesPerDoc*b.N)/b.Elapsed().Seconds(), "passages/s")
		})
	}
}

// reportLatency reports the median and 95th percentile of ds in milliseconds.
func reportLatency(b *testing.B, ds []time.Duration) {
	b.Helper()
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	ms := func(q float64) float64 {
		return float64(ds[int(q*float64(len(ds)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.95), "p95-ms")
}

func benchSearch(b *testing.B, o Options, q func(terms []retrieval.Term) retrieval.Query) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			s := benchStore(b, size.name, size.docs)
			if o.TitleWeight != 0 || o.MaxScan != 0 {
				// Another handle on the same index, with other options.
				var err error
				s, err = Open(context.Background(), s.path, o, slog.New(slog.DiscardHandler))
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
			}
			queries := storetest.SyntheticQueries(500, 7)
			ctx := context.Background()
			// retrieval.Searcher asks DocFreq first, so counts are cached
			// when Search runs; BenchmarkDocFreq measures them.
			for _, q := range queries {
				var words []string
				for _, t := range q {
					words = append(words, t.Text)
				}
				if _, _, err := s.DocFreq(ctx, words); err != nil {
					b.Fatal(err)
				}
			}
			var ds []time.Duration
			i := 0
			for b.Loop() {
				start := time.Now()
				hits, err := s.Search(ctx, q(queries[i%len(queries)]))
				ds = append(ds, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
				if len(hits) > benchK {
					b.Fatalf("query %v: %d hits for K=%d", queries[i%len(queries)], len(hits), benchK)
				}
				i++
			}
			reportLatency(b, ds)
		})
	}
}

// BenchmarkSearch runs the synthetic queries with the default options.
func BenchmarkSearch(b *testing.B) {
	benchSearch(b, Options{}, func(terms []retrieval.Term) retrieval.Query {
		return retrieval.Query{Terms: terms, K: benchK}
	})
}

// BenchmarkSearchExact scores every matching passage (no MaxScan bound).
func BenchmarkSearchExact(b *testing.B) {
	benchSearch(b, Options{MaxScan: -1}, func(terms []retrieval.Term) retrieval.Query {
		return retrieval.Query{Terms: terms, K: benchK}
	})
}

// BenchmarkSearchFiltered restricts queries to one source and a decade.
func BenchmarkSearchFiltered(b *testing.B) {
	benchSearch(b, Options{}, func(terms []retrieval.Term) retrieval.Query {
		return retrieval.Query{Terms: terms, K: benchK, Sources: []string{"wire"},
			Dates: attache.DateRange{Since: "2000", Until: "2009-12-31"}}
	})
}

// BenchmarkDocFreq measures cold calls (first sight of the terms after an
// Apply) and warm ones (cached).
func BenchmarkDocFreq(b *testing.B) {
	for _, size := range benchSizes {
		s := benchStore(b, size.name, size.docs)
		queries := storetest.SyntheticQueries(500, 11)
		words := func(i int) []string {
			var out []string
			for _, t := range queries[i%len(queries)] {
				out = append(out, t.Text)
			}
			return out
		}
		ctx := context.Background()
		b.Run(size.name+"/cold", func(b *testing.B) {
			var ds []time.Duration
			i := 0
			for b.Loop() {
				s.df.Invalidate()
				start := time.Now()
				if _, _, err := s.DocFreq(ctx, words(i)); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(start))
				i++
			}
			reportLatency(b, ds)
		})
		b.Run(size.name+"/warm", func(b *testing.B) {
			for i := range queries {
				if _, _, err := s.DocFreq(ctx, words(i)); err != nil {
					b.Fatal(err)
				}
			}
			var ds []time.Duration
			i := 0
			for b.Loop() {
				start := time.Now()
				if _, _, err := s.DocFreq(ctx, words(i)); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(start))
				i++
			}
			reportLatency(b, ds)
		})
	}
}

// BenchmarkApplySmall measures an incremental run: 10 documents (100
// passages) rewritten in an indexed corpus. It comes last because it leaves
// the shared index with more segments and tombstones, which slows searches.
func BenchmarkApplySmall(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			s := benchStore(b, size.name, size.docs)
			corpus := benchCorpus(size.name, size.docs)
			ctx := context.Background()
			i := 0
			for b.Loop() {
				// Same content, so the shared index is unchanged.
				batch := corpus[(i*10)%len(corpus):][:10]
				if err := s.Apply(ctx, retrieval.Changes{Upsert: batch}); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
