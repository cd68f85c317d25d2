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
)

// batch is one Apply in progress: a transaction on the writer connection,
// its prepared statements, and what the batch wrote so far.
type batch struct {
	s    *Store
	ctx  context.Context
	conn *sql.Conn
	tx   *sql.Tx

	oldRids, delFTS, delPassages, delDoc, putDoc, putPassage, putFTS, touch *sql.Stmt

	rid     int64   // last passage rowid used
	now     int64   // indexed_at of the batch's documents
	rids    []int64 // scratch for removePassages
	removed int     // passages removed
	added   int     // passages written
	writes  int     // documents written, touched or deleted
	replace bool    // the batch emptied the index first
	done    bool    // committed or rolled back
}

// begin starts a batch: it takes the write lock (see lock), prepares the
// statements and reads the next passage rowid.
func (s *Store) begin(ctx context.Context) (*batch, error) {
	if s.readOnly {
		return nil, fmt.Errorf("%w: it was opened read-only (%v)", retrieval.ErrReadOnly, s.roCause)
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return nil, err
	}
	b := &batch{s: s, ctx: ctx, conn: conn, now: time.Now().UnixNano()}
	if b.tx, err = s.lock(ctx, conn); err != nil {
		return nil, errors.Join(err, s.unlock(conn))
	}
	if err := b.prepare(); err != nil {
		b.end() //nolint:errcheck // the original error matters more
		return nil, err
	}
	if err := b.tx.QueryRowContext(ctx, `SELECT coalesce(max(rid), 0) FROM passages`).Scan(&b.rid); err != nil {
		b.end() //nolint:errcheck // the original error matters more
		return nil, err
	}
	return b, nil
}

// prepare prepares the batch's statements; they are closed with the
// transaction.
func (b *batch) prepare() error {
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = b.tx.PrepareContext(b.ctx, q)
		return st
	}
	b.oldRids = prep(`SELECT rid FROM passages WHERE doc_id = ?`)
	b.delFTS = prep(`DELETE FROM passages_fts WHERE rowid = ?`)
	b.delPassages = prep(`DELETE FROM passages WHERE doc_id = ?`)
	b.delDoc = prep(`DELETE FROM documents WHERE id = ?`)
	b.putDoc = prep(`INSERT INTO documents
		(id, source, path, title, title_fold, date, url, outlet, language, tags, text, hash, size, mtime, indexed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
		source = excluded.source, path = excluded.path, title = excluded.title,
		title_fold = excluded.title_fold, date = excluded.date, url = excluded.url,
		outlet = excluded.outlet, language = excluded.language, tags = excluded.tags,
		text = excluded.text, hash = excluded.hash, size = excluded.size,
		mtime = excluded.mtime, indexed_at = excluded.indexed_at`)
	b.putPassage = prep(`INSERT INTO passages (rid, id, doc_id, ordinal, start, "end", text) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	b.putFTS = prep(`INSERT INTO passages_fts (rowid, title, date, body) VALUES (?, ?, ?, ?)`)
	b.touch = prep(`UPDATE documents SET size = ?, mtime = ? WHERE id = ?`)
	return err
}

// write applies every change of ch (see retrieval.ChangeWriter).
func (b *batch) write(ch retrieval.Changes) error {
	b.replace = ch.Replace
	w := retrieval.ChangeWriter{Clear: b.clear, Delete: b.delete, Upsert: b.upsert, Touch: b.touchDoc}
	return w.Write(b.ctx, ch)
}

// clear empties the index. Emptying the full-text index wholesale costs
// nothing next to removing its rows one by one (behind tombstones), and
// leaves nothing to merge.
func (b *batch) clear() error {
	for _, q := range []string{
		`INSERT INTO passages_fts (passages_fts) VALUES ('delete-all')`,
		`DELETE FROM passages`,
		`DELETE FROM documents`,
	} {
		if _, err := b.tx.ExecContext(b.ctx, q); err != nil {
			return fmt.Errorf("empty the index: %w", err)
		}
	}
	return nil
}

// removePassages removes a document's passages. It touches the FTS table
// only when there is something to remove: a statement on it flushes
// FTS5's pending in-memory segment, and a flush per document makes bulk
// loads several times slower.
func (b *batch) removePassages(id string) error {
	b.rids = b.rids[:0]
	rows, err := b.oldRids.QueryContext(b.ctx, id)
	if err != nil {
		return fmt.Errorf("remove passages of %s: %w", id, err)
	}
	for rows.Next() {
		var rid int64
		if err := rows.Scan(&rid); err != nil {
			rows.Close()
			return fmt.Errorf("remove passages of %s: %w", id, err)
		}
		b.rids = append(b.rids, rid)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("remove passages of %s: %w", id, err)
	}
	if len(b.rids) == 0 {
		return nil
	}
	for _, rid := range b.rids {
		if _, err := b.delFTS.ExecContext(b.ctx, rid); err != nil {
			return fmt.Errorf("remove passages of %s: %w", id, err)
		}
	}
	if _, err := b.delPassages.ExecContext(b.ctx, id); err != nil {
		return fmt.Errorf("remove passages of %s: %w", id, err)
	}
	b.removed += len(b.rids)
	return nil
}

// delete removes a document and its passages.
func (b *batch) delete(id string) error {
	b.writes++
	if err := b.removePassages(id); err != nil {
		return err
	}
	if _, err := b.delDoc.ExecContext(b.ctx, id); err != nil {
		return fmt.Errorf("delete %s: %w", id, err)
	}
	return nil
}

// upsert writes a document and replaces its passages.
func (b *batch) upsert(d retrieval.IndexedDoc) error {
	b.writes++
	doc := d.Doc
	if err := b.removePassages(doc.ID); err != nil {
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
	if _, err := b.putDoc.ExecContext(b.ctx, doc.ID, doc.Source, doc.Path, doc.Title, strings.ToLower(doc.Title),
		doc.Date, doc.URL, doc.Outlet, doc.Language, string(tagsJSON), doc.Text, doc.Hash,
		doc.Size, toNanos(doc.ModTime), b.now); err != nil {
		return fmt.Errorf("upsert %s: %w", doc.ID, err)
	}
	for _, p := range d.Passages {
		b.rid++
		b.added++
		// The text is stored only when it is not the slice of the
		// document text its offsets name (as it is for chunked
		// articles): that halves what a bulk load writes.
		var text any = p.Text
		if p.Start >= 0 && p.Start <= p.End && p.End <= len(doc.Text) && doc.Text[p.Start:p.End] == p.Text {
			text = nil
		}
		if _, err := b.putPassage.ExecContext(b.ctx, b.rid, p.ID, doc.ID, p.Ordinal, p.Start, p.End, text); err != nil {
			return fmt.Errorf("upsert passage %s: %w", p.ID, err)
		}
		if _, err := b.putFTS.ExecContext(b.ctx, b.rid, doc.Title, doc.Date, p.Text); err != nil {
			return fmt.Errorf("index passage %s: %w", p.ID, err)
		}
	}
	if b.s.progress != nil {
		b.s.progress(b.writes)
	}
	return nil
}

// touchDoc refreshes a document's size and modification time.
func (b *batch) touchDoc(t retrieval.DocState) error {
	b.writes++
	res, err := b.touch.ExecContext(b.ctx, t.Size, toNanos(t.ModTime), t.ID)
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

// commit ends a batch that wrote something with a new generation and a
// commit, then tidies the index; a batch that wrote nothing is rolled back.
func (b *batch) commit() error {
	if b.writes == 0 && !b.replace {
		// A stream that yielded nothing (files that still cannot be
		// indexed, say) changes nothing: no new generation, which would
		// empty every reader's frequency cache, and no commit to wait for.
		return nil
	}
	ctx, tx := b.ctx, b.tx
	if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'generation'`); err != nil {
		return err
	}
	// A cancellation that arrived during the last statement must not
	// commit a batch the caller gave up on.
	if err := ctx.Err(); err != nil {
		return err
	}
	var total int
	if b.removed+b.added > 0 {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM passages`).Scan(&total); err != nil {
			return err
		}
	}
	b.done = true
	if err := tx.Commit(); err != nil {
		return err
	}
	s := b.s
	s.df.Invalidate()
	if changed := b.removed + b.added; changed > 0 && changed*optimizeShare >= total {
		s.optimize(ctx, b.conn, b.removed, b.added)
	}
	// Readers find pages in the WAL more slowly than in the main file
	// (mapped in memory), so copy them back now rather than when the WAL
	// reaches its size limit. PASSIVE never waits for readers; what it
	// cannot copy now is copied by a later checkpoint.
	if _, err := b.conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
		s.logger.Debug("wal checkpoint failed", "path", s.path, "err", err)
	}
	return nil
}

// end rolls back a batch that was not committed and gives the writer
// connection back.
func (b *batch) end() error {
	var err error
	if !b.done {
		b.done = true
		err = b.tx.Rollback()
		if errors.Is(err, sql.ErrTxDone) {
			err = nil
		}
	}
	return errors.Join(err, b.s.unlock(b.conn))
}
