package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"attache"
	"attache/retrieval"
)

// States returns the fast-path state of every indexed document, by ID.
func (s *Store) States(ctx context.Context) (map[string]retrieval.DocState, error) {
	out := make(map[string]retrieval.DocState)
	err := s.do(ctx, func(c *pgxpool.Conn) error {
		rows, err := c.Query(ctx, `SELECT id, source, path, size, mtime, hash FROM documents`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var st retrieval.DocState
			var mtime *int64
			if err := rows.Scan(&st.ID, &st.Source, &st.Path, &st.Size, &mtime, &st.Hash); err != nil {
				return err
			}
			st.ModTime = fromNanos(mtime)
			out[st.ID] = st
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read states %s: %w", s.schema, err)
	}
	return out, nil
}

// Apply writes one run's changes in a single transaction: deletions first,
// then upserts, then touches, then the stream. On any error, including
// cancellation of ctx, nothing is written. While another run holds the
// schema's write lock, Apply fails at once with an error wrapping
// retrieval.ErrBusy, unless Options.WaitForWriter is set.
func (s *Store) Apply(ctx context.Context, ch retrieval.Changes) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("apply to %s: %w", s.schema, err)
	}
	if ch.Empty() {
		return nil
	}
	if err := ch.Validate(); err != nil {
		return fmt.Errorf("apply to %s: %w", s.schema, err)
	}
	err := s.do(ctx, func(c *pgxpool.Conn) error { return s.apply(ctx, c, ch) })
	if err != nil {
		if isUnique(err) {
			err = attache.Errorf(attache.EINVALID, "a passage id is already used by another document: %v", err)
		}
		return fmt.Errorf("apply to %s: %w", s.schema, err)
	}
	return nil
}

// batch is one Apply in progress.
type batch struct {
	s     *Store
	ctx   context.Context
	tx    pgx.Tx
	start int64 // largest passage rid before the batch: its own are above
	now   int64 // indexed_at of the batch's documents

	passages, tokens int64 // change of the totals
	written          int64 // passages written
	after            int64 // passages in the index after the batch
	writes           int
	replace          bool
}

func (s *Store) apply(ctx context.Context, c *pgxpool.Conn, ch retrieval.Changes) error {
	tx, err := c.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // after Commit this is a no-op
	if err := s.lockWriter(ctx, tx); err != nil {
		return err
	}
	b := &batch{s: s, ctx: ctx, tx: tx, now: time.Now().UnixNano(), replace: ch.Replace}
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(rid), 0) FROM passages`).Scan(&b.start); err != nil {
		return err
	}
	if err := b.write(ch); err != nil {
		return err
	}
	if b.writes == 0 && !b.replace {
		return nil // nothing streamed: nothing to commit
	}
	if err := b.finish(); err != nil {
		return err
	}
	// A cancellation that arrived during the last statement must not
	// commit a batch the caller gave up on.
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	s.df.Invalidate()
	if b.replace || b.written*analyzeShare >= b.after {
		// A large share of the index is new: refresh the planner's
		// statistics now rather than when autovacuum gets to it. An
		// optimisation only: a failure is logged.
		if _, err := c.Exec(context.WithoutCancel(ctx), `ANALYZE passages, documents, term_df`); err != nil {
			s.logger.Warn("updating the index statistics failed", "schema", s.schema, "err", err)
		}
	}
	return nil
}

// analyzeShare: when a batch wrote at least 1/analyzeShare as many passages
// as the index then holds, the tables' statistics are refreshed.
const analyzeShare = 10

// lockWriter takes the schema's write lock for the transaction, or fails
// with retrieval.ErrBusy when another run holds it (waiting instead when
// the store was opened to wait).
func (s *Store) lockWriter(ctx context.Context, tx pgx.Tx) error {
	var ok bool
	if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock($1, $2)`, lockWrite, s.lockKey).Scan(&ok); err != nil {
		return fmt.Errorf("lock the index: %w", err)
	}
	if ok {
		return nil
	}
	if s.waitForWriter == nil {
		return fmt.Errorf("%w (schema %s)", retrieval.ErrBusy, s.schema)
	}
	s.waitForWriter()
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, lockWrite, s.lockKey); err != nil {
		return fmt.Errorf("wait for the index: %w", err)
	}
	return nil
}

// WaitForWriters waits until no run is writing the index.
func (s *Store) WaitForWriters(ctx context.Context) error {
	err := s.do(ctx, func(c *pgxpool.Conn) error {
		if _, err := c.Exec(ctx, `SELECT pg_advisory_lock($1, $2)`, lockWrite, s.lockKey); err != nil {
			return err
		}
		_, err := c.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1, $2)`, lockWrite, s.lockKey)
		return err
	})
	if err != nil {
		return fmt.Errorf("wait for the index writer %s: %w", s.schema, err)
	}
	return nil
}

// write applies every change of ch (see retrieval.ChangeWriter).
func (b *batch) write(ch retrieval.Changes) error {
	w := retrieval.ChangeWriter{Clear: b.clear, Delete: b.delete, Upsert: b.upsert, Touch: b.touchDoc}
	return w.Write(b.ctx, ch)
}

// clear empties the index. DELETE rather than TRUNCATE: readers go on
// reading the old rows until the batch commits.
func (b *batch) clear() error {
	for _, q := range []string{
		`DELETE FROM passages`,
		`DELETE FROM documents`,
		`DELETE FROM term_df`,
		`UPDATE totals SET passages = 0, tokens = 0`,
	} {
		if _, err := b.tx.Exec(b.ctx, q); err != nil {
			return fmt.Errorf("empty the index: %w", err)
		}
	}
	return nil
}

// removePassages is the statement that removes a document's passages and
// takes those written before the batch out of the term counts (the batch's
// own are counted when it ends).
const removePassages = `WITH gone AS (
		DELETE FROM passages WHERE doc_id = $1 RETURNING rid, len, tsv
	), counted AS (
		SELECT l, count(*) AS n FROM gone, unnest(tsvector_to_array(gone.tsv)) AS l
		WHERE gone.rid <= $2 GROUP BY l
	), dec AS (
		UPDATE term_df t SET df = t.df - counted.n FROM counted WHERE t.lexeme = counted.l
	)
	SELECT count(*) FILTER (WHERE rid <= $2), coalesce(sum(len) FILTER (WHERE rid <= $2), 0),
		count(*) FILTER (WHERE rid > $2), coalesce(sum(len) FILTER (WHERE rid > $2), 0)
	FROM gone`

func (b *batch) removePassages(id string) error {
	if b.replace {
		// The index was emptied, and a batch writes a document once.
		return nil
	}
	var oldN, oldLen, newN, newLen int64
	if err := b.tx.QueryRow(b.ctx, removePassages, id, b.start).Scan(&oldN, &oldLen, &newN, &newLen); err != nil {
		return fmt.Errorf("remove passages of %s: %w", id, err)
	}
	b.passages -= oldN + newN
	b.tokens -= oldLen + newLen
	return nil
}

// delete removes a document and its passages.
func (b *batch) delete(id string) error {
	b.writes++
	if err := b.removePassages(id); err != nil {
		return err
	}
	if _, err := b.tx.Exec(b.ctx, `DELETE FROM documents WHERE id = $1`, id); err != nil {
		return fmt.Errorf("delete %s: %w", id, err)
	}
	return nil
}

const putDoc = `INSERT INTO documents
	(id, source, path, title, title_fold, date, url, outlet, language, tags, text, hash, size, mtime, indexed_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
	ON CONFLICT (id) DO UPDATE SET
	source = excluded.source, path = excluded.path, title = excluded.title,
	title_fold = excluded.title_fold, date = excluded.date, url = excluded.url,
	outlet = excluded.outlet, language = excluded.language, tags = excluded.tags,
	text = excluded.text, hash = excluded.hash, size = excluded.size,
	mtime = excluded.mtime, indexed_at = excluded.indexed_at`

// putPassages inserts a document's passages; the words of the title are
// weighted A, those of the date and body left at D.
const putPassages = `INSERT INTO passages (id, doc_id, ordinal, start, "end", text, len, tsv, date, source)
	SELECT u.id, $1, u.ordinal, u.start, u.stop, u.text, u.len,
		setweight(to_tsvector('attache', $2::text), 'A') || to_tsvector('attache', u.words), $10, $11
	FROM unnest($3::text[], $4::int[], $5::int[], $6::int[], $7::text[], $8::int[], $9::text[])
		AS u(id, ordinal, start, stop, text, len, words)`

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
	var words strings.Builder
	titleLen := tokenText(&words, doc.Title)
	titleWords := words.String()
	n := len(d.Passages)
	ids, texts, ws := make([]string, n), make([]string, n), make([]string, n)
	ords, starts, ends, lens := make([]int32, n), make([]int32, n), make([]int32, n), make([]int32, n)
	for i, p := range d.Passages {
		words.Reset()
		l := titleLen + tokenText(&words, doc.Date) + tokenText(&words, p.Text)
		ids[i], texts[i], ws[i] = p.ID, strings.ReplaceAll(p.Text, "\x00", ""), words.String()
		ords[i], starts[i], ends[i], lens[i] = int32(p.Ordinal), int32(p.Start), int32(p.End), int32(l)
		b.passages++
		b.written++
		b.tokens += int64(l)
	}
	pb := &pgx.Batch{}
	pb.Queue(putDoc, doc.ID, doc.Source, doc.Path, doc.Title, strings.ToLower(doc.Title),
		doc.Date, doc.URL, doc.Outlet, doc.Language, tags, doc.Text, doc.Hash,
		doc.Size, toNanos(doc.ModTime), b.now)
	if n > 0 {
		pb.Queue(putPassages, doc.ID, titleWords, ids, ords, starts, ends, texts, lens, ws, doc.Date, doc.Source)
	}
	if err := b.tx.SendBatch(b.ctx, pb).Close(); err != nil {
		return fmt.Errorf("upsert %s: %w", doc.ID, err)
	}
	if b.s.progress != nil {
		b.s.progress(b.writes)
	}
	return nil
}

// touchDoc refreshes a document's size and modification time.
func (b *batch) touchDoc(t retrieval.DocState) error {
	b.writes++
	tag, err := b.tx.Exec(b.ctx, `UPDATE documents SET size = $1, mtime = $2 WHERE id = $3`, t.Size, toNanos(t.ModTime), t.ID)
	if err != nil {
		return fmt.Errorf("touch %s: %w", t.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return attache.Errorf(attache.ENOTFOUND, "cannot touch document %q: not in the index", t.ID)
	}
	return nil
}

// finish counts the batch's new passages into the term counts and the
// totals.
func (b *batch) finish() error {
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO term_df (lexeme, df)
			SELECT l, count(*) FROM passages p, unnest(tsvector_to_array(p.tsv)) AS l
			WHERE p.rid > $1 GROUP BY l
			ON CONFLICT (lexeme) DO UPDATE SET df = term_df.df + excluded.df`, []any{b.start}},
		{`DELETE FROM term_df WHERE df <= 0`, nil},
	} {
		if _, err := b.tx.Exec(b.ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("count terms: %w", err)
		}
	}
	err := b.tx.QueryRow(b.ctx, `UPDATE totals SET passages = passages + $1, tokens = tokens + $2, generation = generation + 1
		RETURNING passages`, b.passages, b.tokens).Scan(&b.after)
	if err != nil {
		return fmt.Errorf("count passages: %w", err)
	}
	return nil
}

// toNanos encodes a time as Unix nanoseconds, NULL for the zero time.
func toNanos(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	n := t.UnixNano()
	return &n
}

func fromNanos(n *int64) time.Time {
	if n == nil {
		return time.Time{}
	}
	return time.Unix(0, *n)
}

var errNoRows = pgx.ErrNoRows

func isNoRows(err error) bool { return errors.Is(err, errNoRows) }
