package retrieval

import (
	"sync"
	"time"
)

// DocFreqRecheck is how long a DocFreqCache serves counts without the store
// reading the index's generation again: a search asks several times within
// a few milliseconds, and counts a moment old only weigh words slightly
// differently.
const DocFreqRecheck = time.Second

// maxCachedTerms bounds a DocFreqCache; it is emptied when full.
const maxCachedTerms = 100_000

// DocFreqCache holds a store's document frequencies for one generation of
// its index (a counter every committed write increments), so that a write
// by any process invalidates it. It is safe for concurrent use; the zero
// value is empty.
type DocFreqCache struct {
	mu      sync.Mutex
	gen     int64
	valid   bool
	total   int // -1: not known for gen
	terms   map[string]int
	checked time.Time // when gen was last read from the database
	// minGen is the oldest generation the cache takes counts of: a read
	// that began before this process's last write is not kept.
	minGen int64
}

// Recent serves the counts of terms and the total without a read when every
// term is cached and the generation was read less than DocFreqRecheck ago.
func (c *DocFreqCache) Recent(terms []string) (map[string]int, int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.valid || c.total < 0 || time.Since(c.checked) >= DocFreqRecheck {
		return nil, 0, false
	}
	out := make(map[string]int, len(terms))
	for _, t := range terms {
		n, ok := c.terms[t]
		if !ok {
			return nil, 0, false
		}
		out[t] = n
	}
	return out, c.total, true
}

// Known notes that the store has just read generation gen and returns what
// the cache holds of it: the counts of the terms it has, and the total (-1
// when it has none). A newer generation empties the cache; a reader on an
// older snapshot than the cache's gets nothing and computes everything.
func (c *DocFreqCache) Known(gen int64, terms []string) (map[string]int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.advance(gen)
	if !c.valid || c.gen != gen {
		return map[string]int{}, -1
	}
	c.checked = time.Now()
	out := make(map[string]int, len(terms))
	for _, t := range terms {
		if n, ok := c.terms[t]; ok {
			out[t] = n
		}
	}
	return out, c.total
}

// Put keeps counts and the total read at generation gen (nothing when the
// cache has moved to a newer one).
func (c *DocFreqCache) Put(gen int64, total int, counts map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.advance(gen)
	if !c.valid || c.gen != gen {
		return
	}
	c.checked, c.total = time.Now(), total
	if len(c.terms)+len(counts) > maxCachedTerms {
		c.terms = make(map[string]int)
	}
	for t, n := range counts {
		c.terms[t] = n
	}
}

// Invalidate empties the cache: this process has just written the index,
// so the generation is now newer than any the cache has seen.
func (c *DocFreqCache) Invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.valid {
		c.minGen = max(c.minGen, c.gen+1)
	}
	c.valid = false
}

// Valid reports whether the cache holds a generation.
func (c *DocFreqCache) Valid() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.valid
}

// advance moves an empty or older cache to generation gen, unless gen is
// older than the last write by this process.
func (c *DocFreqCache) advance(gen int64) {
	if gen < c.minGen {
		return
	}
	if !c.valid || gen > c.gen {
		c.gen, c.valid, c.total, c.terms = gen, true, -1, make(map[string]int)
	}
}
