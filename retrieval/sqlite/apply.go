package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"attache"
	"attache/retrieval"

	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"
)

// States returns the fast-path state of every indexed document, by ID.
func (s *Store) States(ctx context.Context) (map[string]retrieval.DocState, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, source, path, size, mtime, hash FROM documents`)
	if err != nil {
		return nil, fmt.Errorf("read states %s: %w", s.path, err)
	}
	defer rows.Close()
	out := make(map[string]retrieval.DocState)
	for rows.Next() {
		var st retrieval.DocState
		var mtime sql.NullInt64
		if err := rows.Scan(&st.ID, &st.Source, &st.Path, &st.Size, &mtime, &st.Hash); err != nil {
			return nil, fmt.Errorf("read states %s: %w", s.path, err)
		}
		st.ModTime = fromNanos(mtime)
		out[st.ID] = st
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read states %s: %w", s.path, err)
	}
	return out, nil
}

// Apply writes one run's changes in a single transaction: deletions first,
// then upserts, then touches. On any error, including cancellation of ctx,
// nothing is written.
func (s *Store) Apply(ctx context.Context, ch retrieval.Changes) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("apply to %s: %w", s.path, err)
	}
	if ch.Empty() {
		return nil
	}
	if err := ch.Validate(); err != nil {
		return fmt.Errorf("apply to %s: %w", s.path, err)
	}
	if err := s.apply(ctx, ch); err != nil {
		var se *sqlite3.Error
		switch {
		case errors.As(err, &se) && se.Code() == sqlite3lib.SQLITE_CONSTRAINT_UNIQUE:
			err = attache.Errorf(attache.EINVALID, "a passage id is already used by another document: %v", err)
		case !errors.Is(err, retrieval.ErrReadOnly) && !errors.Is(err, retrieval.ErrBusy) && unwritable(err):
			err = fmt.Errorf("%w: %w", retrieval.ErrReadOnly, err)
		}
		return fmt.Errorf("apply to %s: %w", s.path, err)
	}
	return nil
}

func (s *Store) apply(ctx context.Context, ch retrieval.Changes) (err error) {
	b, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, b.end()) }()
	if err := b.write(ch); err != nil {
		return err
	}
	return b.commit()
}

// optimizeShare: when a batch removed or wrote at least 1/optimizeShare as
// many passages as the index now holds, the full-text index is merged into
// one segment. A removed row stays in its segment behind a tombstone that
// every search must check; after a whole corpus is re-cut, searches are
// twice as slow until the segments are merged (7 s for 70k passages). A bulk
// load leaves its passages spread over several segments, each searched in
// turn: merged, the large corpus's searches take a fifth less (2 s to merge
// 75k passages after 13 s of indexing).
const optimizeShare = 10

// optimize merges the full-text index into one segment. It is an
// optimisation only: a failure or cancellation is logged and leaves a valid
// index.
func (s *Store) optimize(ctx context.Context, conn *sql.Conn, removed, added int) {
	start := time.Now()
	if _, err := conn.ExecContext(ctx, `INSERT INTO passages_fts (passages_fts) VALUES ('optimize')`); err != nil {
		s.logger.Warn("merging the search index failed", "path", s.path, "err", err)
		return
	}
	level := slog.LevelDebug
	if took := time.Since(start); took >= time.Second {
		level = slog.LevelInfo // a pause the operator may notice
	}
	s.logger.Log(ctx, level, "merged the search index", "removed_passages", removed, "added_passages", added, "took", time.Since(start).Round(time.Millisecond))
}

// toNanos encodes a time as Unix nanoseconds, NULL for the zero time.
func toNanos(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

func fromNanos(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64)
}
