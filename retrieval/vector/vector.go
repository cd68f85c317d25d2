package vector

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"attache"
)

// Embedder computes embeddings for texts, one vector per text in input
// order (cmd/attache adapts llm.Client.Embed to it).
type Embedder func(ctx context.Context, texts []string) ([][]float32, error)

// Options configures an Index.
type Options struct {
	// Model names the embeddings model; it is part of the cache key, so
	// changing it re-embeds every passage.
	Model string
	// Dimensions is the vector length the model must return. 0 takes it
	// from the first vector seen (cached or new); every later vector must
	// have the same length.
	Dimensions int
	// BatchSize is the number of texts per embeddings call (0 = 64).
	BatchSize int
}

// DefaultBatchSize is the number of texts per embeddings call when
// Options.BatchSize is 0.
const DefaultBatchSize = 64

// Item is one passage to index: its ID and its text.
type Item struct {
	ID   string // passage ID
	Text string
}

// Scored is a passage ID with a score, higher is better: cosine similarity
// for Search, the fused score for Fuse.
type Scored struct {
	ID    string
	Score float64
}

// Index holds the vectors of the current passages in memory, backed by a
// cache of every vector computed. Search and SearchVector may run
// concurrently with each other and with Sync; Syncs run one at a time.
type Index struct {
	cache  Cache
	closer func() error // closes a cache the index opened; nil otherwise
	path   string       // names the cache in errors
	opts   Options
	embed  Embedder
	logger *slog.Logger

	syncMu sync.Mutex // one Sync at a time; guards dims
	dims   int        // vector length, 0 until known

	mu   sync.RWMutex // guards snap
	snap *snapshot

	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating) the vector cache, a SQLite file at path (for
// example the index path + ".vectors"), in WAL mode. The index starts
// empty; Sync fills it.
func Open(ctx context.Context, path string, o Options, embed Embedder, logger *slog.Logger) (*Index, error) {
	if err := o.check(embed); err != nil {
		return nil, fmt.Errorf("open vectors %s: %w", path, err)
	}
	db, err := openCache(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open vectors %s: %w", path, err)
	}
	x := newIndex(sqliteCache{db}, path, o, embed, logger)
	x.closer = db.Close
	return x, nil
}

// OpenCache returns an empty index whose vectors are kept in cache, which
// the caller owns and closes after the index: the PostgreSQL index, for
// instance, so that every process using one database embeds each passage
// once. name says where the cache is, for errors. Sync fills the index.
func OpenCache(cache Cache, name string, o Options, embed Embedder, logger *slog.Logger) (*Index, error) {
	if cache == nil {
		return nil, fmt.Errorf("open vectors %s: %w", name, attache.Errorf(attache.EINVALID, "no cache given"))
	}
	if err := o.check(embed); err != nil {
		return nil, fmt.Errorf("open vectors %s: %w", name, err)
	}
	return newIndex(cache, name, o, embed, logger), nil
}

func (o Options) check(embed Embedder) error {
	if embed == nil {
		return attache.Errorf(attache.EINVALID, "no embedder given")
	}
	if o.Dimensions < 0 {
		return attache.Errorf(attache.EINVALID, "embedding dimensions must not be negative")
	}
	return nil
}

func newIndex(cache Cache, name string, o Options, embed Embedder, logger *slog.Logger) *Index {
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Index{cache: cache, path: name, opts: o, embed: embed, logger: logger, dims: o.Dimensions}
}

// Close closes the cache when Open opened it (a cache given to OpenCache
// stays open). It is safe to call more than once; the in-memory vectors
// stay searchable.
func (x *Index) Close() error {
	x.closeOnce.Do(func() {
		if x.closer != nil {
			x.closeErr = x.closer()
		}
	})
	return x.closeErr
}

// Len returns the number of passages in the in-memory index.
func (x *Index) Len() int { return x.current().len() }

func (x *Index) current() *snapshot {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.snap
}

// pending is a distinct passage text that Sync needs a vector for.
type pending struct {
	id   string // first passage with this text, to name it in errors
	text string
}

// Sync makes the in-memory index match passages. Vectors already in memory
// or in the cache under (model, text hash) are reused; the other texts are
// embedded in batches of BatchSize, each batch written to the cache in one
// transaction. Passages not listed are dropped from memory (the cache keeps
// their vectors). Passages with the same text share one embedding; passages
// whose text is blank are left out. It returns the number of texts
// embedded. On error the in-memory index is unchanged, and batches already
// written stay cached, so a retry resumes where it stopped.
func (x *Index) Sync(ctx context.Context, passages []Item) (embedded int, err error) {
	x.syncMu.Lock()
	defer x.syncMu.Unlock()
	start := time.Now()

	ids := make([]string, 0, len(passages))
	hashes := make([][32]byte, 0, len(passages))
	need := make(map[[32]byte]pending, len(passages))
	seen := make(map[string]bool, len(passages))
	for _, p := range passages {
		if seen[p.ID] {
			return 0, fmt.Errorf("vector sync: %w", attache.Errorf(attache.EINVALID, "passage %s is listed twice", p.ID))
		}
		seen[p.ID] = true
		if strings.TrimSpace(p.Text) == "" {
			continue
		}
		h := sumText(p.Text)
		ids = append(ids, p.ID)
		hashes = append(hashes, h)
		if _, ok := need[h]; !ok {
			need[h] = pending{id: p.ID, text: p.Text}
		}
	}

	// 1. Vectors already in memory.
	vecs := make(map[[32]byte]qvec, len(need))
	if old := x.current(); old != nil && old.dims == x.dims {
		for i, h := range old.hashes {
			if _, ok := need[h]; ok {
				vecs[h] = qvec{scale: old.scales[i], data: old.row(i)}
			}
		}
	}
	reused := len(vecs)

	// 2. Vectors in the cache.
	var missing [][32]byte
	for i, h := range hashes {
		if _, ok := vecs[h]; !ok && need[h].id == ids[i] {
			missing = append(missing, h)
		}
	}
	err = x.cache.LoadVectors(ctx, x.opts.Model, missing, func(h [32]byte, dims int, scale float32, data []byte) {
		if x.dims == 0 && dims > 0 {
			x.dims = dims
		}
		if dims != x.dims || len(data) != dims {
			return // another size: embed again
		}
		vecs[h] = qvec{scale: scale, data: data}
	})
	if err != nil {
		return 0, fmt.Errorf("vector sync: read cache %s: %w", x.path, err)
	}
	cached := len(vecs) - reused

	// 3. Embed the rest, in passage order.
	var todo [][32]byte
	for _, h := range missing {
		if _, ok := vecs[h]; !ok {
			todo = append(todo, h)
		}
	}
	for start := 0; start < len(todo); start += x.opts.BatchSize {
		batch := todo[start:min(start+x.opts.BatchSize, len(todo))]
		if err := x.embedBatch(ctx, batch, need, vecs); err != nil {
			return embedded, fmt.Errorf("vector sync: %w", err)
		}
		embedded += len(batch)
		x.logger.Debug("embedded passages", "done", embedded, "of", len(todo))
	}

	// 4. Build the new slab and swap it in.
	snap := newSnapshot(x.dims, len(ids))
	snap.ids, snap.hashes = ids, hashes
	for i, h := range hashes {
		v := vecs[h]
		snap.set(i, v.scale, v.data)
	}
	x.mu.Lock()
	x.snap = snap
	x.mu.Unlock()
	level := slog.LevelDebug
	if embedded > 0 {
		level = slog.LevelInfo
	}
	x.logger.Log(ctx, level, "vectors synced", "passages", len(ids), "reused", reused, "cached", cached,
		"embedded", embedded, "dims", x.dims, "duration", time.Since(start))
	return embedded, nil
}

// embedBatch embeds the texts of batch, checks and quantises the vectors,
// writes them to the cache in one transaction and adds them to vecs.
func (x *Index) embedBatch(ctx context.Context, batch [][32]byte, need map[[32]byte]pending, vecs map[[32]byte]qvec) error {
	texts := make([]string, len(batch))
	for i, h := range batch {
		texts[i] = need[h].text
	}
	out, err := x.embed(ctx, texts)
	if err != nil {
		return fmt.Errorf("embed %d passages from %s: %w", len(batch), need[batch[0]].id, err)
	}
	if len(out) != len(batch) {
		return fmt.Errorf("embed %d passages from %s: got %d vectors", len(batch), need[batch[0]].id, len(out))
	}
	scales, data := make([]float32, len(batch)), make([][]byte, len(batch))
	for i, v := range out {
		id := need[batch[i]].id
		if len(v) == 0 {
			return attache.Errorf(attache.EINVALID, "embedding of passage %s is empty", id)
		}
		if x.dims == 0 {
			x.dims = len(v)
		}
		if len(v) != x.dims {
			return attache.Errorf(attache.EINVALID,
				"embedding of passage %s has %d dimensions, want %d (check the embeddings model and dimensions)", id, len(v), x.dims)
		}
		if !finite(v) {
			return attache.Errorf(attache.EINVALID, "embedding of passage %s has a value that is not a finite number", id)
		}
		data[i] = make([]byte, len(v))
		scales[i] = quantize(v, data[i])
	}
	if err := x.cache.StoreVectors(ctx, x.opts.Model, batch, scales, data); err != nil {
		return fmt.Errorf("write cache %s: %w", x.path, err)
	}
	for i, h := range batch {
		vecs[h] = qvec{scale: scales[i], data: data[i]}
	}
	return nil
}

// Search embeds the query and returns the k passages nearest to it by cosine
// similarity, best first, exactly (brute force over all vectors). An empty
// index gives no results without calling the embedder.
func (x *Index) Search(ctx context.Context, query string, k int) ([]Scored, error) {
	snap := x.current()
	if snap.len() == 0 || k <= 0 || strings.TrimSpace(query) == "" {
		return nil, nil
	}
	out, err := x.embed(ctx, []string{query})
	if err != nil {
		return nil, fmt.Errorf("vector search: embed query: %w", err)
	}
	if len(out) != 1 {
		return nil, fmt.Errorf("vector search: embed query: got %d vectors for 1 text", len(out))
	}
	if len(out[0]) != snap.dims {
		return nil, fmt.Errorf("vector search: %w", attache.Errorf(attache.EINVALID,
			"query embedding has %d dimensions, want %d (check the embeddings model and dimensions)", len(out[0]), snap.dims))
	}
	if !finite(out[0]) {
		return nil, errors.New("vector search: query embedding has a value that is not a finite number")
	}
	return snap.searchUnit(unit(out[0]), k), nil
}

// SearchVector is Search with a ready query vector (its length does not
// matter). It returns nil when q does not have the index's dimensions, is
// zero, or holds a value that is not a finite number.
func (x *Index) SearchVector(q []float32, k int) []Scored {
	snap := x.current()
	if snap.len() == 0 || len(q) != snap.dims || !finite(q) {
		return nil
	}
	return snap.searchUnit(unit(q), k)
}

func (s *snapshot) searchUnit(q []float32, k int) []Scored {
	if q == nil {
		return nil
	}
	return s.search(q, k)
}

// sumText is the cache key of a passage text: its SHA-256.
func sumText(s string) [32]byte { return sha256.Sum256([]byte(s)) }
