package sqlite

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// maxCachedTerms bounds the document-frequency cache; it is emptied when full.
const maxCachedTerms = 100_000

// dfCache holds document frequencies for one generation of the index (the
// counter Apply increments in table meta), so that a write by any process
// invalidates it.
type dfCache struct {
	gen     int64
	valid   bool
	total   int
	terms   map[string]int
	checked time.Time // when gen was last read from the database
}

// dfRecheck is how long cached frequencies are served without reading the
// generation again: a search asks several times within a few milliseconds,
// and counts a moment old only weigh words slightly differently.
const dfRecheck = time.Second

// recentDocFreq serves the counts from the cache, without a read, when
// every term is cached and the generation was read less than dfRecheck ago.
func (s *Store) recentDocFreq(terms []string) (map[string]int, int, bool) {
	s.dfMu.Lock()
	defer s.dfMu.Unlock()
	if !s.df.valid || s.df.total < 0 || time.Since(s.df.checked) >= dfRecheck {
		return nil, 0, false
	}
	out := make(map[string]int, len(terms))
	for _, t := range terms {
		n, ok := s.df.terms[t]
		if !ok {
			return nil, 0, false
		}
		out[t] = n
	}
	return out, s.df.total, true
}

// DocFreq returns, for each term, the number of passages containing it as
// the tokenizer sees it (so "talks" and "talk" count the same passages), and
// the total number of passages. Counts are cached until the next Apply: one
// by this handle clears the cache at once; one by another process is seen
// within dfRecheck (the generation is read again at most once a second when
// every term asked is cached, so a search's several lookups cost no read).
func (s *Store) DocFreq(ctx context.Context, terms []string) (map[string]int, int, error) {
	out, total, err := s.docFreq(ctx, terms)
	if err != nil {
		return nil, 0, fmt.Errorf("document frequencies %s: %w", s.path, err)
	}
	return out, total, nil
}

func (s *Store) docFreq(ctx context.Context, terms []string) (map[string]int, int, error) {
	if out, total, ok := s.recentDocFreq(terms); ok {
		return out, total, nil
	}
	// One read transaction, so that the generation and the counts belong
	// to the same snapshot.
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	var gen int64
	if err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'generation'`).Scan(&gen); err != nil {
		return nil, 0, err
	}

	out := make(map[string]int, len(terms))
	var missing []string
	total := -1
	s.dfMu.Lock()
	if !s.df.valid || gen > s.df.gen {
		s.df = dfCache{gen: gen, valid: true, total: -1, terms: make(map[string]int)}
	}
	if s.df.gen == gen {
		s.df.checked = time.Now()
	}
	// A reader on an older snapshot than the cache's computes everything.
	cached := s.df.gen == gen
	if cached {
		total = s.df.total
	}
	for _, t := range terms {
		if n, ok := s.df.terms[t]; ok && cached {
			out[t] = n
		} else if _, dup := out[t]; !dup {
			out[t] = 0
			missing = append(missing, t)
		}
	}
	s.dfMu.Unlock()

	if total < 0 {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM passages`).Scan(&total); err != nil {
			return nil, 0, err
		}
	}
	if len(missing) > 0 {
		stmt, err := tx.PrepareContext(ctx, `SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?`)
		if err != nil {
			return nil, 0, err
		}
		defer stmt.Close()
		for _, t := range missing {
			q, ok := ftsString(strings.ToLower(t))
			if !ok {
				continue
			}
			var n int
			if err := stmt.QueryRowContext(ctx, q).Scan(&n); err != nil {
				return nil, 0, err
			}
			out[t] = n
		}
	}

	s.dfMu.Lock()
	if s.df.gen == gen {
		s.df.total = total
		if len(s.df.terms)+len(missing) > maxCachedTerms {
			s.df.terms = make(map[string]int)
		}
		for _, t := range missing {
			s.df.terms[t] = out[t]
		}
	}
	s.dfMu.Unlock()
	return out, total, nil
}
