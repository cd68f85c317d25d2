package vector

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"attache"
)

// counting wraps an embedder and records its calls.
type counting struct {
	mu    sync.Mutex
	inner Embedder
	sizes []int    // texts per call
	texts []string // every text sent
	fail  func(call int) error
}

func (c *counting) embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.mu.Lock()
	call := len(c.sizes)
	c.sizes = append(c.sizes, len(texts))
	c.texts = append(c.texts, texts...)
	fail := c.fail
	c.mu.Unlock()
	if fail != nil {
		if err := fail(call); err != nil {
			return nil, err
		}
	}
	return c.inner(ctx, texts)
}

func (c *counting) calls() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sizes)
}

func (c *counting) sent() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.texts)
}

func (c *counting) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sizes, c.texts = nil, nil
}

func open(t *testing.T, path string, o Options, e Embedder) *Index {
	t.Helper()
	x, err := Open(context.Background(), path, o, e, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

func items(texts ...string) []Item {
	out := make([]Item, len(texts))
	for i, s := range texts {
		out[i] = Item{ID: fmt.Sprintf("doc/%d#0", i), Text: s}
	}
	return out
}

var news = []string{
	"The embargo on Cuba was tightened by new sanctions in July.",
	"Heavy rain flooded the harbour district and closed the ferry.",
	"The central bank raised interest rates to curb inflation.",
	"A new vaccine trial started at the university hospital.",
	"Farmers protested against the fuel tax outside parliament.",
}

func sync1(t *testing.T, x *Index, it []Item) int {
	t.Helper()
	n, err := x.Sync(context.Background(), it)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCacheRoundTrip(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "index.db.vectors")
	e := &counting{inner: HashEmbedder(64)}
	x := open(t, path, Options{Model: "m1"}, e.embed)
	if n := sync1(t, x, items(news...)); n != len(news) {
		t.Fatalf("first sync embedded %d, want %d", n, len(news))
	}
	if got := e.calls(); !slices.Equal(got, []int{len(news)}) {
		t.Fatalf("embedder calls %v, want one call of %d", got, len(news))
	}
	before, err := x.Search(ctx, "interest rates inflation", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(before) != 3 || before[0].ID != "doc/2#0" {
		t.Fatalf("search = %v, want doc/2#0 first of 3", before)
	}
	e.reset()
	if n := sync1(t, x, items(news...)); n != 0 || len(e.calls()) != 0 {
		t.Fatalf("second sync embedded %d in %d calls, want none", n, len(e.calls()))
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}

	// A new process: the vectors come from the SQLite cache.
	x2 := open(t, path, Options{Model: "m1"}, e.embed)
	if n := sync1(t, x2, items(news...)); n != 0 || len(e.calls()) != 0 {
		t.Fatalf("sync after reopening embedded %d in %d calls, want none", n, len(e.calls()))
	}
	e.reset()
	after, err := x2.Search(ctx, "interest rates inflation", 3)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(before, after) {
		t.Errorf("search from the cache = %v, want %v", after, before)
	}

	// The file holds one int8 row per text, keyed by model and hex SHA-256, in WAL mode.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows, dims, blob int
	var mode string
	if err := db.QueryRow("SELECT count(*), min(dims), min(length(data)) FROM vectors WHERE model = 'm1'").Scan(&rows, &dims, &blob); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	var hash string
	if err := db.QueryRow("SELECT hash FROM vectors WHERE model = 'm1' AND hash = lower(hex(?))", sha256Bytes(news[0])).Scan(&hash); err != nil {
		t.Errorf("no row keyed by the text's SHA-256: %v", err)
	}
	if rows != len(news) || dims != 64 || blob != 64 || mode != "wal" {
		t.Errorf("cache has %d rows of %d dims, %d-byte blobs, journal %q; want %d, 64, 64, wal", rows, dims, blob, mode, len(news))
	}
}

func TestModelChangeReEmbeds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.db")
	e := &counting{inner: HashEmbedder(32)}
	x := open(t, path, Options{Model: "old"}, e.embed)
	sync1(t, x, items(news...))
	x.Close()

	y := open(t, path, Options{Model: "new"}, e.embed)
	if n := sync1(t, y, items(news...)); n != len(news) {
		t.Errorf("sync with another model embedded %d, want all %d", n, len(news))
	}
	y.Close()

	// Both models stay cached side by side.
	e.reset()
	z := open(t, path, Options{Model: "old"}, e.embed)
	if n := sync1(t, z, items(news...)); n != 0 {
		t.Errorf("sync back on the first model embedded %d, want 0", n)
	}
}

func TestBatchesAndResume(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v.db")
	texts := make([]string, 10)
	for i := range texts {
		texts[i] = fmt.Sprintf("passage number %d about topic %d", i, i*7)
	}
	broken := errors.New("endpoint down")
	e := &counting{inner: HashEmbedder(16), fail: func(call int) error {
		if call == 2 {
			return broken
		}
		return nil
	}}
	x := open(t, path, Options{Model: "m", BatchSize: 4}, e.embed)
	n, err := x.Sync(ctx, items(texts...))
	if !errors.Is(err, broken) {
		t.Fatalf("sync error = %v, want the embedder's error", err)
	}
	if n != 8 || x.Len() != 0 {
		t.Fatalf("failed sync: embedded %d, index holds %d; want 8 embedded and the index unchanged (0)", n, x.Len())
	}
	// The two batches that succeeded were committed; a retry embeds the rest.
	e.reset()
	e.fail = nil
	if n := sync1(t, x, items(texts...)); n != 2 || x.Len() != 10 {
		t.Fatalf("retry embedded %d, index holds %d; want 2 and 10", n, x.Len())
	}
	if got := e.calls(); !slices.Equal(got, []int{2}) {
		t.Errorf("retry calls %v, want [2]", got)
	}

	// A fresh cache with the same batch size: ceil(10/4) calls of 4, 4, 2.
	e.reset()
	y := open(t, filepath.Join(t.TempDir(), "w.db"), Options{Model: "m", BatchSize: 4}, e.embed)
	sync1(t, y, items(texts...))
	if got := e.calls(); !slices.Equal(got, []int{4, 4, 2}) {
		t.Errorf("calls %v, want [4 4 2]", got)
	}
}

func TestChangedTextIsReEmbedded(t *testing.T) {
	ctx := context.Background()
	e := &counting{inner: HashEmbedder(64)}
	x := open(t, filepath.Join(t.TempDir(), "v.db"), Options{Model: "m"}, e.embed)
	it := items(news...)
	sync1(t, x, it)
	e.reset()
	it[1].Text = "Volcanic ash grounded every flight at the airport."
	if n := sync1(t, x, it); n != 1 {
		t.Fatalf("embedded %d, want 1", n)
	}
	if got := e.sent(); !slices.Equal(got, []string{it[1].Text}) {
		t.Errorf("sent %q, want only the changed text", got)
	}
	res, err := x.Search(ctx, "volcanic ash flight", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].ID != it[1].ID {
		t.Errorf("search = %v, want %s", res, it[1].ID)
	}
}

func TestDroppedPassagesDisappear(t *testing.T) {
	ctx := context.Background()
	e := &counting{inner: HashEmbedder(64)}
	x := open(t, filepath.Join(t.TempDir(), "v.db"), Options{Model: "m"}, e.embed)
	it := items(news...)
	sync1(t, x, it)
	kept := slices.Delete(slices.Clone(it), 2, 3) // drop the central bank passage
	if n := sync1(t, x, kept); n != 0 || x.Len() != len(news)-1 {
		t.Fatalf("embedded %d, index holds %d; want 0 and %d", n, x.Len(), len(news)-1)
	}
	res, err := x.Search(ctx, "central bank interest rates inflation", len(news))
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(news)-1 {
		t.Fatalf("got %d results, want %d", len(res), len(news)-1)
	}
	for _, r := range res {
		if r.ID == it[2].ID {
			t.Errorf("dropped passage %s still found", r.ID)
		}
	}
	// Bringing it back reuses the cached vector.
	if n := sync1(t, x, it); n != 0 || x.Len() != len(news) {
		t.Errorf("re-adding: embedded %d, index holds %d; want 0 and %d", n, x.Len(), len(news))
	}
}

func TestSyncEdgeCases(t *testing.T) {
	ctx := context.Background()
	e := &counting{inner: HashEmbedder(32)}
	x := open(t, filepath.Join(t.TempDir(), "v.db"), Options{Model: "m"}, e.embed)

	// An empty index answers nothing without calling the embedder.
	if res, err := x.Search(ctx, "anything", 5); err != nil || res != nil || len(e.calls()) != 0 {
		t.Fatalf("empty index: %v, %v, %d calls; want nothing", res, err, len(e.calls()))
	}
	// Same text twice: embedded once, both passages found.
	it := []Item{{"a#0", "same words here"}, {"b#0", "same words here"}, {"c#0", "  \n "}, {"d#0", "other text"}}
	if n := sync1(t, x, it); n != 2 || x.Len() != 3 {
		t.Fatalf("embedded %d, index holds %d; want 2 (blank text left out) and 3", n, x.Len())
	}
	res, err := x.Search(ctx, "same words", 2)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{res[0].ID, res[1].ID}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"a#0", "b#0"}) || math.Abs(res[0].Score-res[1].Score) > 1e-9 {
		t.Errorf("search = %v, want a#0 and b#0 with equal scores", res)
	}
	// A passage listed twice is an input error.
	_, err = x.Sync(ctx, []Item{{"a#0", "x"}, {"a#0", "y"}})
	if attache.ErrorCode(err) != attache.EINVALID || !strings.Contains(err.Error(), "a#0") {
		t.Errorf("duplicate ID: err = %v, want invalid naming a#0", err)
	}
	// Syncing nothing empties the index.
	if n := sync1(t, x, nil); n != 0 || x.Len() != 0 {
		t.Errorf("empty sync: embedded %d, holds %d", n, x.Len())
	}
}

func TestWrongDimensions(t *testing.T) {
	ctx := context.Background()
	good := HashEmbedder(8)
	short := func(ctx context.Context, texts []string) ([][]float32, error) {
		out, err := good(ctx, texts)
		for i, s := range texts {
			if strings.Contains(s, "broken") {
				out[i] = out[i][:7]
			}
		}
		return out, err
	}
	for _, dims := range []int{8, 0} { // fixed, or taken from the first vector
		x := open(t, filepath.Join(t.TempDir(), "v.db"), Options{Model: "m", Dimensions: dims, BatchSize: 2}, short)
		sync1(t, x, items("fine text"))
		_, err := x.Sync(ctx, []Item{{"ok#0", "fine text"}, {"bad#3", "broken text"}})
		if attache.ErrorCode(err) != attache.EINVALID || !strings.Contains(err.Error(), "bad#3") ||
			!strings.Contains(err.Error(), "7 dimensions, want 8") {
			t.Errorf("dims %d: err = %v, want invalid naming bad#3 and the sizes", dims, err)
		}
		if x.Len() != 1 {
			t.Errorf("dims %d: failed sync changed the index (%d vectors)", dims, x.Len())
		}
		if _, err := x.Search(ctx, "broken query", 1); attache.ErrorCode(err) != attache.EINVALID {
			t.Errorf("dims %d: search with a short query vector: err = %v, want invalid", dims, err)
		}
		if res := x.SearchVector(make([]float32, 7), 1); res != nil {
			t.Errorf("dims %d: SearchVector with 7 dims = %v, want nil", dims, res)
		}
	}
	// The embedder's vectors do not match the configured size at all.
	x := open(t, filepath.Join(t.TempDir(), "v.db"), Options{Model: "m", Dimensions: 16}, good)
	if _, err := x.Sync(ctx, items("fine text")); !strings.Contains(fmt.Sprint(err), "8 dimensions, want 16") {
		t.Errorf("err = %v, want a dimension mismatch", err)
	}
}

// table serves fixed vectors by text.
func table(vecs map[string][]float32) Embedder {
	return func(_ context.Context, texts []string) ([][]float32, error) {
		out := make([][]float32, len(texts))
		for i, s := range texts {
			v, ok := vecs[s]
			if !ok {
				return nil, fmt.Errorf("no vector for %q", s)
			}
			out[i] = v
		}
		return out, nil
	}
}

// storedVectors reads the cache back as dequantised float64 vectors by hex hash.
func storedVectors(t *testing.T, path, model string) map[string][]float64 {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT hash, scale, data FROM vectors WHERE model = ?", model)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]float64{}
	for rows.Next() {
		var h string
		var scale float64
		var data []byte
		if err := rows.Scan(&h, &scale, &data); err != nil {
			t.Fatal(err)
		}
		v := make([]float64, len(data))
		for i, b := range data {
			v[i] = float64(int8(b)) * float64(float32(scale))
		}
		out[h] = v
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func sha256Bytes(s string) []byte {
	h := sumText(s)
	return h[:]
}

// TestSearchVectorExact compares the search with a float brute force over the
// vectors as stored (int8 × scale, read back from the SQLite file), and bounds
// the difference from the original float32 vectors.
func TestSearchVectorExact(t *testing.T) {
	for _, c := range []struct{ n, dims int }{{600, 64}, {300, 100}} {
		t.Run(fmt.Sprintf("%dx%d", c.n, c.dims), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(c.n), uint64(c.dims)))
			orig := randomUnit(r, c.n, c.dims)
			vecs := map[string][]float32{}
			it := make([]Item, c.n)
			for i, v := range orig {
				it[i] = Item{ID: fmt.Sprintf("p%d", i), Text: fmt.Sprintf("text %d", i)}
				vecs[it[i].Text] = v
			}
			path := filepath.Join(t.TempDir(), "v.db")
			x := open(t, path, Options{Model: "rand", Dimensions: c.dims, BatchSize: 500}, table(vecs))
			sync1(t, x, it)
			stored := storedVectors(t, path, "rand")
			deq := make([][]float64, c.n)
			for i := range it {
				deq[i] = stored[fmt.Sprintf("%x", sumText(it[i].Text))]
				if len(deq[i]) != c.dims {
					t.Fatalf("passage %d: no stored vector", i)
				}
			}

			const queries, k = 200, 10
			index := make(map[string]int, c.n)
			for i, p := range it {
				index[p.ID] = i
			}
			same := 0
			var recall float64 // against the original float32 vectors
			byStored, byOrig := make([]float64, c.n), make([]float64, c.n)
			for range queries {
				q := randomUnit(r, 1, c.dims)[0]
				got := x.SearchVector(q, k)
				if len(got) != k {
					t.Fatalf("got %d results, want %d", len(got), k)
				}
				for i := range c.n {
					var s, e float64
					dv, ov := deq[i], orig[i]
					for j, f := range q {
						s += dv[j] * float64(f)
						e += float64(ov[j]) * float64(f)
					}
					byStored[i], byOrig[i] = s, e
				}
				want, wantExact := topK(byStored, k), topK(byOrig, k)
				if got[0].ID != it[want[0]].ID {
					t.Fatalf("top-1 %s, brute force %s", got[0].ID, it[want[0]].ID)
				}
				equal := true
				for i, g := range got {
					equal = equal && g.ID == it[want[i]].ID
					if math.Abs(g.Score-byStored[want[i]]) > 1e-5 {
						t.Errorf("rank %d: score %v, brute force %v", i+1, g.Score, byStored[want[i]])
					}
					if slices.Contains(wantExact, index[g.ID]) {
						recall += 1.0 / (k * queries)
					}
				}
				if equal {
					same++
				}
				// The score of a byStored vector is within the quantisation error of
				// the original cosine: |q·(v' − v)| ≤ Σ|q_i| · scale/2.
				var l1 float64
				for _, f := range q {
					l1 += math.Abs(float64(f))
				}
				for _, g := range got {
					i := index[g.ID]
					var maxAbs float64
					for _, f := range orig[i] {
						maxAbs = max(maxAbs, math.Abs(float64(f)))
					}
					if bound := l1*maxAbs/127/2 + 1e-5; math.Abs(g.Score-byOrig[i]) > bound {
						t.Errorf("%s: score %v is %v from the original cosine %v, bound %v", g.ID, g.Score, math.Abs(g.Score-byOrig[i]), byOrig[i], bound)
					}
				}
			}
			t.Logf("top-%d identical to the stored vectors' brute force in %d of %d queries; recall@%d against the original float32 vectors %.3f",
				k, same, queries, k, recall)
			if same < queries*99/100 {
				t.Errorf("top-%d identical in %d of %d queries, want ≥ 99%%", k, same, queries)
			}
			// int8 storage can swap neighbours whose cosines differ by less
			// than the quantisation error; it must not lose more than that.
			if recall < 0.95 {
				t.Errorf("recall@%d against the original vectors %.3f, want ≥ 0.95", k, recall)
			}
		})
	}
}

// topK returns the indexes of the k highest scores, best first.
func topK(scores []float64, k int) []int {
	top := make([]int, 0, k+1)
	for i, s := range scores {
		if len(top) == k && s <= scores[top[k-1]] {
			continue
		}
		at, _ := slices.BinarySearchFunc(top, s, func(j int, s float64) int { return cmp.Compare(s, scores[j]) })
		top = slices.Insert(top, at, i)
		if len(top) > k {
			top = top[:k]
		}
	}
	return top
}

// TestSearchFindsNearCopies checks that a query close to one original vector
// finds that passage first, whatever the quantisation.
func TestSearchFindsNearCopies(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	const n, d = 1000, 96
	orig := randomUnit(r, n, d)
	x := &Index{snap: snapshotOf(orig)}
	for i := range 100 {
		target := r.IntN(n)
		q := make([]float32, d)
		for j := range q {
			q[j] = orig[target][j] + float32(r.NormFloat64()*0.02)
		}
		got := x.SearchVector(q, 5)
		if len(got) != 5 || got[0].ID != fmt.Sprintf("v%d", target) {
			t.Fatalf("query %d near v%d: got %v", i, target, got)
		}
		for j := 1; j < len(got); j++ {
			if got[j].Score > got[j-1].Score {
				t.Fatalf("results not best first: %v", got)
			}
		}
	}
}

func TestConcurrentSearchDuringSync(t *testing.T) {
	ctx := context.Background()
	x := open(t, filepath.Join(t.TempDir(), "v.db"), Options{Model: "m", BatchSize: 3}, HashEmbedder(32))
	a := items(news...)
	b := items("Storm warnings for the coast", "Elections were called for spring", "The museum reopened after repairs")
	for i := range b {
		b[i].ID = "b/" + b[i].ID
	}
	valid := map[string]bool{}
	for _, p := range append(slices.Clone(a), b...) {
		valid[p.ID] = true
	}
	sync1(t, x, a)
	stop := make(chan struct{})
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				var res []Scored
				if w%2 == 0 {
					var err error
					if res, err = x.Search(ctx, "new storm sanctions museum", 3); err != nil {
						errs <- err
						return
					}
				} else {
					res = x.SearchVector(hashVector("rain harbour elections", 32), 3)
				}
				if len(res) == 0 || len(res) > 3 || !valid[res[0].ID] {
					errs <- fmt.Errorf("bad result %v", res)
					return
				}
				_ = x.Len()
			}
		})
	}
	for i := range 30 {
		set := a
		if i%2 == 0 {
			set = b
		}
		if _, err := x.Sync(ctx, set); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestHashEmbedder(t *testing.T) {
	ctx := context.Background()
	e := HashEmbedder(256)
	v, err := e(ctx, []string{"Cuba embargo sanctions", "cuba EMBARGO, sanctions!", "Cuba embargo talks", "rain flooded harbour", ""})
	if err != nil {
		t.Fatal(err)
	}
	cos := func(a, b []float32) float64 {
		var s float64
		for i := range a {
			s += float64(a[i]) * float64(b[i])
		}
		return s
	}
	if math.Abs(cos(v[0], v[0])-1) > 1e-5 {
		t.Errorf("not unit length: %v", cos(v[0], v[0]))
	}
	if cos(v[0], v[1]) < 0.9999 {
		t.Errorf("case and punctuation changed the vector: cosine %v", cos(v[0], v[1]))
	}
	if s, d := cos(v[0], v[2]), cos(v[0], v[3]); s < 0.5 || s <= d+0.3 {
		t.Errorf("shared words cosine %v, disjoint %v; want shared clearly higher", s, d)
	}
	if cos(v[4], v[4]) != 0 {
		t.Errorf("empty text gave a non-zero vector")
	}
	if _, err := HashEmbedder(0)(ctx, []string{"x"}); err == nil {
		t.Error("0 dimensions: no error")
	}
}

func TestOpenValidates(t *testing.T) {
	ctx := context.Background()
	if _, err := Open(ctx, filepath.Join(t.TempDir(), "v.db"), Options{}, nil, nil); attache.ErrorCode(err) != attache.EINVALID {
		t.Errorf("nil embedder: err = %v, want invalid", err)
	}
	if _, err := Open(ctx, filepath.Join(t.TempDir(), "v.db"), Options{Dimensions: -1}, HashEmbedder(8), nil); attache.ErrorCode(err) != attache.EINVALID {
		t.Errorf("negative dimensions: err = %v, want invalid", err)
	}
	if _, err := OpenCache(nil, "nowhere", Options{}, HashEmbedder(8), nil); attache.ErrorCode(err) != attache.EINVALID {
		t.Errorf("nil cache: err = %v, want invalid", err)
	}
	db, err := openCache(ctx, filepath.Join(t.TempDir(), "shared.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := OpenCache(sqliteCache{db}, "shared", Options{Dimensions: -1}, HashEmbedder(8), nil); attache.ErrorCode(err) != attache.EINVALID {
		t.Errorf("OpenCache, negative dimensions: err = %v, want invalid", err)
	}
	if _, err := OpenCache(sqliteCache{db}, "shared", Options{}, nil, nil); attache.ErrorCode(err) != attache.EINVALID {
		t.Errorf("OpenCache, nil embedder: err = %v, want invalid", err)
	}
	// Closing an index leaves a cache it was given open for its owner.
	shared, err := OpenCache(sqliteCache{db}, "shared", Options{Model: "m"}, HashEmbedder(8), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := sync1(t, shared, items(news...)); n != len(news) {
		t.Fatalf("synced %d, want %d", n, len(news))
	}
	if err := shared.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.PingContext(ctx); err != nil {
		t.Errorf("the given cache was closed with the index: %v", err)
	}
	again, err := OpenCache(sqliteCache{db}, "shared", Options{Model: "m"}, HashEmbedder(8), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := sync1(t, again, items(news...)); n != 0 || again.Len() != len(news) {
		t.Errorf("a second index on the cache embedded %d and holds %d; want 0 and %d", n, again.Len(), len(news))
	}
	x := open(t, filepath.Join(t.TempDir(), "sub", "dir", "v.db"), Options{}, HashEmbedder(8))
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
}
