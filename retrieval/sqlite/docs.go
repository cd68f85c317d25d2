package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"attache"
	"attache/retrieval"
)

// Document returns one document's metadata and text.
func (s *Store) Document(ctx context.Context, id string) (attache.Document, error) {
	var d attache.Document
	var tags string
	var mtime sql.NullInt64
	err := s.read.QueryRowContext(ctx, `SELECT id, source, path, title, date, url, outlet, language,
		tags, text, hash, size, mtime FROM documents WHERE id = ?`, id).Scan(
		&d.ID, &d.Source, &d.Path, &d.Title, &d.Date, &d.URL, &d.Outlet, &d.Language,
		&tags, &d.Text, &d.Hash, &d.Size, &mtime)
	if err == sql.ErrNoRows {
		return attache.Document{}, attache.Errorf(attache.ENOTFOUND, "document %q not found", id)
	} else if err != nil {
		return attache.Document{}, fmt.Errorf("read document %s: %w", id, err)
	}
	if d.Tags, err = decodeTags(tags); err != nil {
		return attache.Document{}, fmt.Errorf("read document %s: %w", id, err)
	}
	d.ModTime = fromNanos(mtime)
	return d, nil
}

func decodeTags(s string) ([]string, error) {
	var tags []string
	if err := json.Unmarshal([]byte(s), &tags); err != nil {
		return nil, fmt.Errorf("decode tags: %w", err)
	}
	if len(tags) == 0 {
		return nil, nil
	}
	return tags, nil
}

// Passages returns a document's passages in order, or an error with code
// attache.ENOTFOUND when the document is not indexed.
func (s *Store) Passages(ctx context.Context, docID string) ([]attache.Passage, error) {
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("read passages of %s: %w", docID, err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	var one int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM documents WHERE id = ?`, docID).Scan(&one)
	if err == sql.ErrNoRows {
		return nil, attache.Errorf(attache.ENOTFOUND, "document %q not found", docID)
	} else if err != nil {
		return nil, fmt.Errorf("read passages of %s: %w", docID, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+hitColumns+`
		FROM passages p JOIN documents d ON d.id = p.doc_id
		WHERE p.doc_id = ? ORDER BY p.ordinal, p.rid`, docID)
	if err != nil {
		return nil, fmt.Errorf("read passages of %s: %w", docID, err)
	}
	defer rows.Close()
	out := []attache.Passage{}
	for rows.Next() {
		var p attache.Passage
		if err := rows.Scan(&p.ID, &p.DocID, &p.Ordinal, &p.Start, &p.End, &p.Text,
			&p.Title, &p.Date, &p.URL, &p.Source, &p.Path, &p.Outlet); err != nil {
			return nil, fmt.Errorf("read passages of %s: %w", docID, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read passages of %s: %w", docID, err)
	}
	return out, nil
}

// Documents lists document metadata, Text left empty, newest first (then by
// title). Documents without a date come last.
func (s *Store) Documents(ctx context.Context, f retrieval.DocFilter) ([]attache.Document, error) {
	if f.Limit < 0 {
		return nil, attache.Errorf(attache.EINVALID, "list limit %d is negative", f.Limit)
	}
	filter, args := hitFilter(f.Dates, f.Sources)
	var conds []string
	if filter != "" {
		conds = append(conds, filter)
	}
	if f.TitleContains != "" {
		// instr takes the text literally: no LIKE wildcards to escape.
		conds = append(conds, "instr(d.title_fold, ?) > 0")
		args = append(args, strings.ToLower(f.TitleContains))
	}
	query := `SELECT d.id, d.source, d.path, d.title, d.date, d.url, d.outlet, d.language,
		d.tags, d.hash, d.size, d.mtime FROM documents d`
	if len(conds) > 0 {
		query += " WHERE " + strings.Join(conds, " AND ")
	}
	query += " ORDER BY d.date DESC, d.title, d.id"
	if f.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list documents %s: %w", s.path, err)
	}
	defer rows.Close()
	out := []attache.Document{}
	for rows.Next() {
		var d attache.Document
		var tags string
		var mtime sql.NullInt64
		if err := rows.Scan(&d.ID, &d.Source, &d.Path, &d.Title, &d.Date, &d.URL, &d.Outlet,
			&d.Language, &tags, &d.Hash, &d.Size, &mtime); err != nil {
			return nil, fmt.Errorf("list documents %s: %w", s.path, err)
		}
		if d.Tags, err = decodeTags(tags); err != nil {
			return nil, fmt.Errorf("list documents %s: %s: %w", s.path, d.ID, err)
		}
		d.ModTime = fromNanos(mtime)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list documents %s: %w", s.path, err)
	}
	return out, nil
}

// Stats returns per-source document and passage counts, by source name.
func (s *Store) Stats(ctx context.Context) ([]retrieval.SourceStats, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT d.source, count(*),
		coalesce(sum((SELECT count(*) FROM passages p WHERE p.doc_id = d.id)), 0),
		max(d.indexed_at)
		FROM documents d GROUP BY d.source ORDER BY d.source`)
	if err != nil {
		return nil, fmt.Errorf("stats %s: %w", s.path, err)
	}
	defer rows.Close()
	out := []retrieval.SourceStats{}
	for rows.Next() {
		var st retrieval.SourceStats
		var last int64
		if err := rows.Scan(&st.Source, &st.Documents, &st.Passages, &last); err != nil {
			return nil, fmt.Errorf("stats %s: %w", s.path, err)
		}
		st.LastIndexed = time.Unix(0, last)
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stats %s: %w", s.path, err)
	}
	return out, nil
}
