package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"attache"
	"attache/retrieval"
)

// maxTerms bounds the size of one match expression.
const maxTerms = 64

// ftsString quotes s as an FTS5 string, so that whatever it contains is
// tokenised as text and never read as query syntax. It reports false when s
// has no letter or digit, and would therefore match nothing.
func ftsString(s string) (string, bool) {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) {
		return "", false
	}
	s = strings.ReplaceAll(s, "\x00", "")
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`, true
}

// matchExpr builds an FTS5 expression matching any of the terms, each quoted
// as a string. Duplicate terms and terms without letters or digits are left
// out; n is the number of terms kept. Weights are ignored: bm25() cannot
// weight terms of one expression differently.
func matchExpr(terms []retrieval.Term) (expr string, n int, err error) {
	if len(terms) > maxTerms {
		return "", 0, attache.Errorf(attache.EINVALID, "too many search terms (%d, at most %d)", len(terms), maxTerms)
	}
	seen := make(map[string]bool, len(terms))
	var b strings.Builder
	for _, t := range terms {
		q, ok := ftsString(strings.ToLower(t.Text))
		if !ok || seen[q] {
			continue
		}
		seen[q] = true
		if n > 0 {
			b.WriteString(" OR ")
		}
		b.WriteString(q)
		n++
	}
	return b.String(), n, nil
}

// Search returns up to q.K passages matching any of q.Terms, best BM25 score
// first. Hits carry Rank from 1 and Score = -bm25 (higher is better).
func (s *Store) Search(ctx context.Context, q retrieval.Query) ([]attache.Hit, error) {
	if q.K < 0 {
		return nil, attache.Errorf(attache.EINVALID, "result count %d is negative", q.K)
	}
	expr, n, err := matchExpr(q.Terms)
	if err != nil {
		return nil, err
	}
	hits := []attache.Hit{}
	if n == 0 || q.K == 0 {
		return hits, nil
	}
	filter, args := hitFilter(q.Dates, q.Sources)
	if filter == "" {
		hits, _, err = s.searchTop(ctx, expr, q.K, q.K, "", nil)
	} else {
		// Filters apply after ranking, so fetch more candidates than
		// asked for, and more again while too few pass the filters and
		// more are left.
		fetch := max(4*q.K, 64)
		for {
			var more bool
			hits, more, err = s.searchTop(ctx, expr, fetch, q.K, filter, args)
			if err != nil || len(hits) >= q.K || !more {
				break
			}
			if fetch >= 8192 {
				hits, err = s.searchAll(ctx, expr, q.K, filter, args)
				break
			}
			fetch *= 8
		}
	}
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", s.path, err)
	}
	for i := range hits {
		hits[i].Rank = i + 1
	}
	return hits, nil
}

// hitFilter returns a SQL condition on documents d for the date range and
// sources, with its arguments, or "" when there is nothing to filter.
func hitFilter(dates attache.DateRange, sources []string) (string, []any) {
	var conds []string
	var args []any
	// Same semantics as attache.DateRange.Contains.
	if dates.Since != "" || dates.Until != "" {
		conds = append(conds, "d.date <> ''")
	}
	if dates.Since != "" {
		conds = append(conds, "(d.date >= ? OR substr(?, 1, length(d.date)) = d.date)")
		args = append(args, dates.Since, dates.Since)
	}
	if dates.Until != "" {
		conds = append(conds, "(d.date <= ? OR substr(d.date, 1, length(?)) = ?)")
		args = append(args, dates.Until, dates.Until, dates.Until)
	}
	if len(sources) > 0 {
		js, _ := json.Marshal(sources) // a []string always marshals
		conds = append(conds, "d.source IN (SELECT value FROM json_each(?))")
		args = append(args, string(js))
	}
	return strings.Join(conds, " AND "), args
}

// hitColumns select a passage p of document d; offsets are in bytes, hence
// the casts.
const hitColumns = `p.id, p.doc_id, p.ordinal, p.start, p."end",
	coalesce(p.text, CAST(substr(CAST(d.text AS BLOB), p.start + 1, p."end" - p.start) AS TEXT)),
	d.title, d.date, d.url, d.source, d.path, d.outlet`

// searchTop ranks the best fetch passages with FTS5's rank optimisation, then
// joins and filters only those, returning at most k. more reports whether
// FTS5 had fetch candidates, so that others may be left.
func (s *Store) searchTop(ctx context.Context, expr string, fetch, k int, filter string, fargs []any) (hits []attache.Hit, more bool, err error) {
	where := ""
	if filter != "" {
		where = "WHERE " + filter
	}
	query := `WITH top AS MATERIALIZED (
		SELECT rowid AS rid, rank FROM passages_fts
		WHERE passages_fts MATCH ? AND rank MATCH ?
		ORDER BY rank LIMIT ?)
	SELECT ` + hitColumns + `, -top.rank, (SELECT count(*) FROM top)
	FROM top JOIN passages p ON p.rid = top.rid JOIN documents d ON d.id = p.doc_id
	` + where + `
	ORDER BY top.rank, p.rid LIMIT ?`
	args := append([]any{expr, s.rank, fetch}, fargs...)
	args = append(args, k)
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	hits = []attache.Hit{}
	var candidates int
	for rows.Next() {
		var h attache.Hit
		p := &h.Passage
		if err := rows.Scan(&p.ID, &p.DocID, &p.Ordinal, &p.Start, &p.End, &p.Text,
			&p.Title, &p.Date, &p.URL, &p.Source, &p.Path, &p.Outlet, &h.Score, &candidates); err != nil {
			return nil, false, err
		}
		hits = append(hits, h)
	}
	return hits, candidates >= fetch, rows.Err()
}

// searchAll scores every match that passes the filter; used when the filter
// is so selective that ranking first and filtering after finds too little.
func (s *Store) searchAll(ctx context.Context, expr string, k int, filter string, fargs []any) ([]attache.Hit, error) {
	query := `SELECT ` + hitColumns + `, -bm25(passages_fts, ?, 1, 1) AS score
	FROM passages_fts JOIN passages p ON p.rid = passages_fts.rowid JOIN documents d ON d.id = p.doc_id
	WHERE passages_fts MATCH ? AND ` + filter + `
	ORDER BY score DESC, p.rid LIMIT ?`
	args := append([]any{s.titleWeight, expr}, fargs...)
	args = append(args, k)
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	hits := []attache.Hit{}
	for rows.Next() {
		var h attache.Hit
		p := &h.Passage
		if err := rows.Scan(&p.ID, &p.DocID, &p.Ordinal, &p.Start, &p.End, &p.Text,
			&p.Title, &p.Date, &p.URL, &p.Source, &p.Path, &p.Outlet, &h.Score); err != nil {
			return nil, err
		}
		hits = append(hits, h)
	}
	return hits, rows.Err()
}
