package postgres

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"attache/internal/migrate"
	"attache/retrieval/vector"
)

// The store is the cache of vector indexes.
var _ vector.Cache = (*Store)(nil)

// countingEmbedder wraps the stand-in embedder and counts the texts it embeds.
type countingEmbedder struct {
	mu    sync.Mutex
	texts int
	inner vector.Embedder
}

func (c *countingEmbedder) embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.mu.Lock()
	c.texts += len(texts)
	c.mu.Unlock()
	return c.inner(ctx, texts)
}

func (c *countingEmbedder) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.texts
}

func vectorItems(n int) []vector.Item {
	topics := []string{"sanctions on Cuba", "flooding in the harbour", "interest rates and inflation", "a vaccine trial", "a fuel tax protest"}
	out := make([]vector.Item, n)
	for i := range out {
		out[i] = vector.Item{ID: fmt.Sprintf("doc%d#0", i), Text: fmt.Sprintf("Report %d on %s.", i, topics[i%len(topics)])}
	}
	return out
}

// Two processes on one schema: the second loads the vectors the first
// computed and embeds nothing; both rank alike.
func TestVectorsSharedByProcesses(t *testing.T) {
	ctx := context.Background()
	first := openTest(t, Options{})
	second, err := Open(ctx, testDSN(t), Options{Schema: first.Schema()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()

	items := vectorItems(150)
	opts := vector.Options{Model: "m1", BatchSize: 64}
	e1 := &countingEmbedder{inner: vector.HashEmbedder(48)}
	x1, err := vector.OpenCache(first, "schema "+first.Schema(), opts, e1.embed, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := x1.Sync(ctx, items); err != nil || n != len(items) || e1.count() != len(items) {
		t.Fatalf("first process embedded %d (%d texts sent), %v; want %d", n, e1.count(), err, len(items))
	}
	e2 := &countingEmbedder{inner: vector.HashEmbedder(48)}
	x2, err := vector.OpenCache(second, "schema "+second.Schema(), opts, e2.embed, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := x2.Sync(ctx, items); err != nil || n != 0 || e2.count() != 0 || x2.Len() != len(items) {
		t.Fatalf("second process embedded %d (%d texts sent), holds %d, %v; want 0 and %d", n, e2.count(), x2.Len(), err, len(items))
	}
	for _, q := range []string{"interest rates and inflation", "Report 7 on a vaccine trial"} {
		a, err := x1.Search(ctx, q, 5)
		if err != nil {
			t.Fatal(err)
		}
		b, err := x2.Search(ctx, q, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(a) != 5 || !slices.Equal(a, b) {
			t.Errorf("%q: first process ranks %v, second %v", q, a, b)
		}
	}
	// Another model is another key: embedded again.
	e3 := &countingEmbedder{inner: vector.HashEmbedder(48)}
	x3, err := vector.OpenCache(second, "schema "+second.Schema(), vector.Options{Model: "m2"}, e3.embed, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := x3.Sync(ctx, items[:10]); err != nil || n != 10 {
		t.Errorf("another model embedded %d, %v; want 10", n, err)
	}

	// One row per text and model: int8 components keyed by the text's SHA-256.
	var rows, minDims, maxLen int
	err = rawConn(t).QueryRow(ctx, "SELECT count(*), min(dims), max(length(data)) FROM "+
		pgx.Identifier{first.Schema(), "vectors"}.Sanitize()+" WHERE model = 'm1'").Scan(&rows, &minDims, &maxLen)
	if err != nil {
		t.Fatal(err)
	}
	if rows != len(items) || minDims != 48 || maxLen != 48 {
		t.Errorf("table holds %d rows of %d dims, %d bytes at most; want %d of 48", rows, minDims, maxLen, len(items))
	}
	sum := sha256.Sum256([]byte(items[3].Text))
	var n int
	if err := rawConn(t).QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{first.Schema(), "vectors"}.Sanitize()+
		" WHERE model = 'm1' AND text_hash = $1", sum[:]).Scan(&n); err != nil || n != 1 {
		t.Errorf("rows keyed by the SHA-256 of a text: %d, %v; want 1", n, err)
	}
}

type storedVector struct {
	dims  int
	scale float32
	data  []byte
}

func loadAll(t *testing.T, s *Store, model string, hashes [][32]byte) map[[32]byte]storedVector {
	t.Helper()
	got := map[[32]byte]storedVector{}
	err := s.LoadVectors(context.Background(), model, hashes, func(h [32]byte, dims int, scale float32, data []byte) {
		got[h] = storedVector{dims, scale, data}
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestStoreVectorsRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	h := func(i int) [32]byte { return sha256.Sum256([]byte{byte(i)}) }
	hashes := [][32]byte{h(1), h(2), h(3)}
	scales := []float32{0.5, 1.0 / 127, 3e-3}
	data := [][]byte{{1, 2, 0xff}, {0x80, 0, 0x7f}, {9, 9, 9}}
	if err := s.StoreVectors(ctx, "m", hashes, scales, data); err != nil {
		t.Fatal(err)
	}
	got := loadAll(t, s, "m", [][32]byte{h(1), h(2), h(3), h(4)})
	if len(got) != 3 {
		t.Fatalf("loaded %d vectors, want 3 (the unknown hash skipped)", len(got))
	}
	for i, k := range hashes {
		if v := got[k]; v.dims != 3 || v.scale != scales[i] || !bytes.Equal(v.data, data[i]) {
			t.Errorf("vector %d came back as %+v, want 3 dims, scale %v, %v", i, v, scales[i], data[i])
		}
	}
	if other := loadAll(t, s, "other", hashes); len(other) != 0 {
		t.Errorf("another model loaded %d vectors, want none", len(other))
	}

	// A vector stored again (say of other dimensions) replaces the old one;
	// a key given twice keeps its last vector.
	err := s.StoreVectors(ctx, "m", [][32]byte{h(2), h(5), h(2)}, []float32{1, 2, 4}, [][]byte{{1}, {2, 2}, {4, 4, 4, 4}})
	if err != nil {
		t.Fatal(err)
	}
	got = loadAll(t, s, "m", [][32]byte{h(2), h(5)})
	if v := got[h(2)]; v.dims != 4 || v.scale != 4 || !bytes.Equal(v.data, []byte{4, 4, 4, 4}) {
		t.Errorf("replaced vector = %+v, want the last given", v)
	}
	if v := got[h(5)]; v.dims != 2 || v.scale != 2 {
		t.Errorf("new vector = %+v", v)
	}

	if err := s.StoreVectors(ctx, "m", hashes, scales[:2], data); err == nil {
		t.Error("lengths that differ: no error")
	}
	if err := s.StoreVectors(ctx, "m", nil, nil, nil); err != nil {
		t.Errorf("nothing to store: %v", err)
	}
	if err := s.LoadVectors(ctx, "m", nil, func([32]byte, int, float32, []byte) { t.Error("called for no hashes") }); err != nil {
		t.Errorf("nothing to load: %v", err)
	}
}

// Processes storing the same vectors at once, in opposite orders, neither
// fail nor deadlock.
func TestStoreVectorsConcurrently(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	const n = 300
	hashes := make([][32]byte, n)
	scales := make([]float32, n)
	data := make([][]byte, n)
	for i := range n {
		hashes[i] = sha256.Sum256(fmt.Appendf(nil, "text %d", i))
		scales[i], data[i] = float32(i), []byte{byte(i), 1}
	}
	reversed := func(s [][32]byte) [][32]byte { s = slices.Clone(s); slices.Reverse(s); return s }
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for w := range errs {
		wg.Go(func() {
			for range 5 {
				if w%2 == 0 {
					errs[w] = s.StoreVectors(ctx, "m", hashes, scales, data)
				} else {
					sc, d := slices.Clone(scales), slices.Clone(data)
					slices.Reverse(sc)
					slices.Reverse(d)
					errs[w] = s.StoreVectors(ctx, "m", reversed(hashes), sc, d)
				}
				if errs[w] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	for w, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", w, err)
		}
	}
	if got := loadAll(t, s, "m", hashes); len(got) != n || got[hashes[7]].scale != 7 {
		t.Errorf("loaded %d vectors (scale of the 8th %v), want %d", len(got), got[hashes[7]].scale, n)
	}
}

// The embedded migrations load: numbered from 1, each number once, the
// schema version that of the last.
func TestEmbeddedMigrations(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if ms[0].Version != 1 || SchemaVersion() != migrate.Latest(ms) {
		t.Fatalf("%d migrations, schema version %d", len(ms), SchemaVersion())
	}
}

// BenchmarkLoadVectors measures what a process starting on a database whose
// passages are embedded pays instead of the embeddings calls: loading
// 10,000 vectors of 768 dimensions.
func BenchmarkLoadVectors(b *testing.B) {
	ctx := context.Background()
	s := openTest(b, Options{})
	const n, dims = 10_000, 768
	hashes := make([][32]byte, n)
	scales := make([]float32, n)
	data := make([][]byte, n)
	for i := range n {
		hashes[i] = sha256.Sum256(fmt.Appendf(nil, "passage %d", i))
		scales[i] = 1.0 / 127
		data[i] = bytes.Repeat([]byte{byte(i)}, dims)
	}
	for start := 0; start < n; start += 1_000 {
		if err := s.StoreVectors(ctx, "m", hashes[start:start+1_000], scales[start:start+1_000], data[start:start+1_000]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		got := 0
		err := s.LoadVectors(ctx, "m", hashes, func([32]byte, int, float32, []byte) { got++ })
		if err != nil || got != n {
			b.Fatalf("loaded %d, %v", got, err)
		}
	}
}
