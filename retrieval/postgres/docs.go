package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"attache"
	"attache/retrieval"
)

// Document returns one document's metadata and text.
func (s *Store) Document(ctx context.Context, id string) (attache.Document, error) {
	var d attache.Document
	var mtime *int64
	err := s.do(ctx, func(c *pgxpool.Conn) error {
		return c.QueryRow(ctx, `SELECT id, source, path, title, date, url, outlet, language,
			tags, text, hash, size, mtime FROM documents WHERE id = $1`, id).Scan(
			&d.ID, &d.Source, &d.Path, &d.Title, &d.Date, &d.URL, &d.Outlet, &d.Language,
			&d.Tags, &d.Text, &d.Hash, &d.Size, &mtime)
	})
	if isNoRows(err) {
		return attache.Document{}, attache.Errorf(attache.ENOTFOUND, "document %q not found", id)
	} else if err != nil {
		return attache.Document{}, fmt.Errorf("read document %s: %w", id, err)
	}
	if len(d.Tags) == 0 {
		d.Tags = nil
	}
	d.ModTime = fromNanos(mtime)
	return d, nil
}

// Passages returns a document's passages in order, or an error with code
// attache.ENOTFOUND when the document is not indexed.
func (s *Store) Passages(ctx context.Context, docID string) ([]attache.Passage, error) {
	out := []attache.Passage{}
	found := false
	err := s.do(ctx, func(c *pgxpool.Conn) error {
		// One statement, so one snapshot: the document and its passages
		// as one run left them.
		rows, err := c.Query(ctx, `SELECT d.id, `+hitColumns+`
			FROM documents d LEFT JOIN passages p ON p.doc_id = d.id
			WHERE d.id = $1 ORDER BY p.ordinal, p.rid`, docID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			found = true
			var id string
			var pid, pdoc, text, title, date, url, source, path, outlet *string
			var ord, start, end *int32
			if err := rows.Scan(&id, &pid, &pdoc, &ord, &start, &end, &text,
				&title, &date, &url, &source, &path, &outlet); err != nil {
				return err
			}
			if pid == nil {
				continue // a document without passages
			}
			out = append(out, attache.Passage{ID: *pid, DocID: *pdoc, Ordinal: int(*ord), Start: int(*start), End: int(*end),
				Text: *text, Title: *title, Date: *date, URL: *url, Source: *source, Path: *path, Outlet: *outlet})
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read passages of %s: %w", docID, err)
	}
	if !found {
		return nil, attache.Errorf(attache.ENOTFOUND, "document %q not found", docID)
	}
	return out, nil
}

// Documents lists document metadata, Text left empty, newest first (then by
// title). Documents without a date come last.
func (s *Store) Documents(ctx context.Context, f retrieval.DocFilter) ([]attache.Document, error) {
	if f.Limit < 0 {
		return nil, attache.Errorf(attache.EINVALID, "list limit %d is negative", f.Limit)
	}
	var a args
	var conds []string
	if filter := hitFilter(&a, "d", f.Dates, f.Sources); filter != "" {
		conds = append(conds, filter)
	}
	if f.TitleContains != "" {
		// strpos takes the text literally: no LIKE wildcards to escape.
		conds = append(conds, "strpos(d.title_fold, "+a.add(strings.ToLower(strings.ReplaceAll(f.TitleContains, "\x00", "")))+") > 0")
	}
	query := `SELECT d.id, d.source, d.path, d.title, d.date, d.url, d.outlet, d.language,
		d.tags, d.hash, d.size, d.mtime FROM documents d`
	if len(conds) > 0 {
		query += " WHERE " + strings.Join(conds, " AND ")
	}
	query += " ORDER BY d.date DESC, d.title, d.id"
	if f.Limit > 0 {
		query += " LIMIT " + a.add(f.Limit)
	}
	out := []attache.Document{}
	err := s.do(ctx, func(c *pgxpool.Conn) error {
		rows, err := c.Query(ctx, query, a...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d attache.Document
			var mtime *int64
			if err := rows.Scan(&d.ID, &d.Source, &d.Path, &d.Title, &d.Date, &d.URL, &d.Outlet,
				&d.Language, &d.Tags, &d.Hash, &d.Size, &mtime); err != nil {
				return err
			}
			if len(d.Tags) == 0 {
				d.Tags = nil
			}
			d.ModTime = fromNanos(mtime)
			out = append(out, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list documents %s: %w", s.schema, err)
	}
	return out, nil
}

// Stats returns per-source document and passage counts, by source name.
func (s *Store) Stats(ctx context.Context) ([]retrieval.SourceStats, error) {
	out := []retrieval.SourceStats{}
	err := s.do(ctx, func(c *pgxpool.Conn) error {
		rows, err := c.Query(ctx, `SELECT d.source, count(*),
			coalesce(sum((SELECT count(*) FROM passages p WHERE p.doc_id = d.id)), 0),
			max(d.indexed_at)
			FROM documents d GROUP BY d.source ORDER BY d.source`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var st retrieval.SourceStats
			var docs, passages, last int64
			if err := rows.Scan(&st.Source, &docs, &passages, &last); err != nil {
				return err
			}
			st.Documents, st.Passages, st.LastIndexed = int(docs), int(passages), time.Unix(0, last)
			out = append(out, st)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("stats %s: %w", s.schema, err)
	}
	return out, nil
}
