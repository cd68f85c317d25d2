package sqlite

import (
	"context"
	"fmt"
	"strings"
)

// DocFreq returns, for each term, the number of passages containing it as
// the tokenizer sees it (so "talks" and "talk" count the same passages), and
// the total number of passages. Counts are cached until the next Apply: one
// by this handle clears the cache at once; one by another process is seen
// within retrieval.DocFreqRecheck (the generation is read again at most once a second when
// every term asked is cached, so a search's several lookups cost no read).
func (s *Store) DocFreq(ctx context.Context, terms []string) (map[string]int, int, error) {
	out, total, err := s.docFreq(ctx, terms)
	if err != nil {
		return nil, 0, fmt.Errorf("document frequencies %s: %w", s.path, err)
	}
	return out, total, nil
}

func (s *Store) docFreq(ctx context.Context, terms []string) (map[string]int, int, error) {
	if out, total, ok := s.df.Recent(terms); ok {
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

	known, total := s.df.Known(gen, terms)
	out := make(map[string]int, len(terms))
	var missing []string
	for _, t := range terms {
		if n, ok := known[t]; ok {
			out[t] = n
		} else if _, dup := out[t]; !dup {
			out[t] = 0
			missing = append(missing, t)
		}
	}

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

	fresh := make(map[string]int, len(missing))
	for _, t := range missing {
		fresh[t] = out[t]
	}
	s.df.Put(gen, total, fresh)
	return out, total, nil
}
