package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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

// validate checks a batch before anything is written, so that bad input gets
// a clear error.
func validate(ch retrieval.Changes) error {
	docs := make(map[string]bool, len(ch.Upsert))
	passages := make(map[string]bool)
	for _, d := range ch.Upsert {
		if d.Doc.ID == "" {
			return attache.Errorf(attache.EINVALID, "document with empty id (path %q)", d.Doc.Path)
		}
		if docs[d.Doc.ID] {
			return attache.Errorf(attache.EINVALID, "document %q appears twice in one batch", d.Doc.ID)
		}
		docs[d.Doc.ID] = true
		for _, p := range d.Passages {
			if p.ID == "" {
				return attache.Errorf(attache.EINVALID, "document %q has a passage with an empty id", d.Doc.ID)
			}
			if p.DocID != "" && p.DocID != d.Doc.ID {
				return attache.Errorf(attache.EINVALID, "passage %q belongs to %q, not %q", p.ID, p.DocID, d.Doc.ID)
			}
			if passages[p.ID] {
				return attache.Errorf(attache.EINVALID, "passage id %q appears twice in one batch", p.ID)
			}
			passages[p.ID] = true
		}
	}
	for _, t := range ch.Touch {
		if t.ID == "" {
			return attache.Errorf(attache.EINVALID, "touch of a document with an empty id")
		}
	}
	if ch.Replace && len(ch.Touch)+len(ch.Delete) > 0 {
		return attache.Errorf(attache.EINVALID, "a replacing batch cannot touch or delete documents")
	}
	return nil
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
	if err := validate(ch); err != nil {
		return fmt.Errorf("apply to %s: %w", s.path, err)
	}
	if err := s.apply(ctx, ch); err != nil {
		var se *sqlite3.Error
		if errors.As(err, &se) && se.Code() == sqlite3lib.SQLITE_CONSTRAINT_UNIQUE {
			err = attache.Errorf(attache.EINVALID, "a passage id is already used by another document: %v", err)
		}
		return fmt.Errorf("apply to %s: %w", s.path, err)
	}
	return nil
}

func (s *Store) apply(ctx context.Context, ch retrieval.Changes) (err error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback() //nolint:errcheck // the original error matters more
		}
	}()

	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = tx.PrepareContext(ctx, q)
		return st
	}
	oldRids := prep(`SELECT rid FROM passages WHERE doc_id = ?`)
	delFTS := prep(`DELETE FROM passages_fts WHERE rowid = ?`)
	delPassages := prep(`DELETE FROM passages WHERE doc_id = ?`)
	delDoc := prep(`DELETE FROM documents WHERE id = ?`)
	putDoc := prep(`INSERT INTO documents
		(id, source, path, title, title_fold, date, url, outlet, language, tags, text, hash, size, mtime, indexed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
		source = excluded.source, path = excluded.path, title = excluded.title,
		title_fold = excluded.title_fold, date = excluded.date, url = excluded.url,
		outlet = excluded.outlet, language = excluded.language, tags = excluded.tags,
		text = excluded.text, hash = excluded.hash, size = excluded.size,
		mtime = excluded.mtime, indexed_at = excluded.indexed_at`)
	putPassage := prep(`INSERT INTO passages (rid, id, doc_id, ordinal, start, "end", text) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	putFTS := prep(`INSERT INTO passages_fts (rowid, title, date, body) VALUES (?, ?, ?, ?)`)
	touch := prep(`UPDATE documents SET size = ?, mtime = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	// Statements prepared on a transaction are closed with it.

	var rid int64
	if err = tx.QueryRowContext(ctx, `SELECT coalesce(max(rid), 0) FROM passages`).Scan(&rid); err != nil {
		return err
	}

	// removePassages touches the FTS table only when there is something
	// to remove: a statement on it flushes FTS5's pending in-memory
	// segment, and a flush per document makes bulk loads several times
	// slower.
	var rids []int64
	removed := 0
	writes := 0 // documents written, touched or deleted
	removePassages := func(id string) error {
		rids = rids[:0]
		rows, err := oldRids.QueryContext(ctx, id)
		if err != nil {
			return fmt.Errorf("remove passages of %s: %w", id, err)
		}
		for rows.Next() {
			var rid int64
			if err := rows.Scan(&rid); err != nil {
				rows.Close()
				return fmt.Errorf("remove passages of %s: %w", id, err)
			}
			rids = append(rids, rid)
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("remove passages of %s: %w", id, err)
		}
		if len(rids) == 0 {
			return nil
		}
		for _, rid := range rids {
			if _, err := delFTS.ExecContext(ctx, rid); err != nil {
				return fmt.Errorf("remove passages of %s: %w", id, err)
			}
		}
		if _, err := delPassages.ExecContext(ctx, id); err != nil {
			return fmt.Errorf("remove passages of %s: %w", id, err)
		}
		removed += len(rids)
		return nil
	}

	if ch.Replace {
		// Emptying the full-text index wholesale costs nothing next to
		// removing its rows one by one (behind tombstones), and leaves
		// nothing to merge.
		for _, q := range []string{
			`INSERT INTO passages_fts (passages_fts) VALUES ('delete-all')`,
			`DELETE FROM passages`,
			`DELETE FROM documents`,
		} {
			if _, err = tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("empty the index: %w", err)
			}
		}
	}
	for _, id := range ch.Delete {
		if err = removePassages(id); err != nil {
			return err
		}
		if _, err = delDoc.ExecContext(ctx, id); err != nil {
			return fmt.Errorf("delete %s: %w", id, err)
		}
		writes++
	}

	now := time.Now().UnixNano()
	upsert := func(d retrieval.IndexedDoc) error {
		writes++
		doc := d.Doc
		if err := removePassages(doc.ID); err != nil {
			return err
		}
		tags := doc.Tags
		if tags == nil {
			tags = []string{}
		}
		tagsJSON, err := json.Marshal(tags)
		if err != nil {
			return fmt.Errorf("upsert %s: %w", doc.ID, err)
		}
		if _, err := putDoc.ExecContext(ctx, doc.ID, doc.Source, doc.Path, doc.Title, strings.ToLower(doc.Title),
			doc.Date, doc.URL, doc.Outlet, doc.Language, string(tagsJSON), doc.Text, doc.Hash,
			doc.Size, toNanos(doc.ModTime), now); err != nil {
			return fmt.Errorf("upsert %s: %w", doc.ID, err)
		}
		for _, p := range d.Passages {
			rid++
			// The text is stored only when it is not the slice of the
			// document text its offsets name (as it is for chunked
			// articles): that halves what a bulk load writes.
			var text any = p.Text
			if p.Start >= 0 && p.Start <= p.End && p.End <= len(doc.Text) && doc.Text[p.Start:p.End] == p.Text {
				text = nil
			}
			if _, err := putPassage.ExecContext(ctx, rid, p.ID, doc.ID, p.Ordinal, p.Start, p.End, text); err != nil {
				return fmt.Errorf("upsert passage %s: %w", p.ID, err)
			}
			if _, err := putFTS.ExecContext(ctx, rid, doc.Title, doc.Date, p.Text); err != nil {
				return fmt.Errorf("index passage %s: %w", p.ID, err)
			}
		}
		return nil
	}
	for _, d := range ch.Upsert {
		if err = upsert(d); err != nil {
			return err
		}
	}

	touchOne := func(t retrieval.DocState) error {
		writes++
		res, err := touch.ExecContext(ctx, t.Size, toNanos(t.ModTime), t.ID)
		if err != nil {
			return fmt.Errorf("touch %s: %w", t.ID, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("touch %s: %w", t.ID, err)
		}
		if n == 0 {
			return attache.Errorf(attache.ENOTFOUND, "cannot touch document %q: not in the index", t.ID)
		}
		return nil
	}
	for _, t := range ch.Touch {
		if err = touchOne(t); err != nil {
			return err
		}
	}
	deleteOne := func(id string) error {
		writes++
		if err := removePassages(id); err != nil {
			return err
		}
		if _, err := delDoc.ExecContext(ctx, id); err != nil {
			return fmt.Errorf("delete %s: %w", id, err)
		}
		return nil
	}

	if ch.Stream != nil {
		seen := map[string]bool{}
		for _, d := range ch.Upsert {
			seen[d.Doc.ID] = true
		}
		err = ch.Stream(ctx, func(c retrieval.Change) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			switch {
			case c.Upsert != nil:
				one := retrieval.Changes{Upsert: []retrieval.IndexedDoc{*c.Upsert}}
				if err := validate(one); err != nil {
					return err
				}
				if seen[c.Upsert.Doc.ID] {
					return attache.Errorf(attache.EINVALID, "document %q appears twice in one batch", c.Upsert.Doc.ID)
				}
				seen[c.Upsert.Doc.ID] = true
				return upsert(*c.Upsert)
			case ch.Replace:
				return attache.Errorf(attache.EINVALID, "a replacing batch cannot touch or delete documents")
			case c.Touch != nil:
				return touchOne(*c.Touch)
			case c.Delete != "":
				return deleteOne(c.Delete)
			}
			return attache.Errorf(attache.EINVALID, "an empty change")
		})
		if err != nil {
			return err
		}
	}

	if writes == 0 && !ch.Replace {
		// A stream that yielded nothing (files that still cannot be
		// indexed, say) changes nothing: no new generation, which would
		// empty every reader's frequency cache, and no commit to wait for.
		return tx.Rollback()
	}
	if _, err = tx.ExecContext(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'generation'`); err != nil {
		return err
	}
	// A cancellation that arrived during the last statement must not
	// commit a batch the caller gave up on.
	if err = ctx.Err(); err != nil {
		return err
	}
	var total int
	if removed > 0 {
		if err = tx.QueryRowContext(ctx, `SELECT count(*) FROM passages`).Scan(&total); err != nil {
			return err
		}
	}
	if err = tx.Commit(); err != nil {
		return err
	}
	s.dfMu.Lock()
	s.df.valid = false
	s.dfMu.Unlock()
	if removed > 0 && removed*optimizeShare >= total {
		s.optimize(ctx, removed)
	}
	// Readers find pages in the WAL more slowly than in the main file
	// (mapped in memory), so copy them back now rather than when the WAL
	// reaches its size limit. PASSIVE never waits for readers; what it
	// cannot copy now is copied by a later checkpoint.
	if _, cerr := s.write.ExecContext(context.WithoutCancel(ctx), "PRAGMA wal_checkpoint(PASSIVE)"); cerr != nil {
		s.logger.Debug("wal checkpoint failed", "path", s.path, "err", cerr)
	}
	return nil
}

// optimizeShare: when a batch removed at least 1/optimizeShare as many
// passages as the index now holds, the full-text index is merged into one
// segment. A removed row stays in its segment behind a tombstone that every
// search must check; after a whole corpus is re-cut, searches are twice as
// slow until the segments are merged (7 s for 70k passages).
const optimizeShare = 10

// optimize merges the full-text index into one segment. It is an
// optimisation only: a failure or cancellation is logged and leaves a valid
// index.
func (s *Store) optimize(ctx context.Context, removed int) {
	start := time.Now()
	if _, err := s.write.ExecContext(ctx, `INSERT INTO passages_fts (passages_fts) VALUES ('optimize')`); err != nil {
		s.logger.Warn("merging the search index failed", "path", s.path, "err", err)
		return
	}
	s.logger.Info("merged the search index", "removed_passages", removed, "took", time.Since(start).Round(time.Millisecond))
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
