package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"attache"
	"attache/retrieval"
)

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

// Search returns up to q.K passages matching any of q.Terms (or every group
// of q.Require), and every group of q.Title in the title, best BM25 score
// first. Hits carry Rank from 1 and Score = -bm25 (higher is better), or 0
// for an unranked conjunctive search whose matches fit in q.K.
//
// Scoring is the cost of a search (a few µs per matching passage, mostly
// FTS5 reading each passage's length), so when the terms together occur in
// more than MaxScan passages the most common ones are left out, rarest kept;
// when those kept are still in more than retrieval.CandidateFactor × MaxScan passages,
// only the most recently indexed of them, about that many, are scored (see
// window).
func (s *Store) Search(ctx context.Context, q retrieval.Query) ([]attache.Hit, error) {
	if q.K < 0 {
		return nil, attache.Errorf(attache.EINVALID, "result count %d is negative", q.K)
	}
	if q.AtLeast < 0 {
		return nil, attache.Errorf(attache.EINVALID, "group count %d is negative", q.AtLeast)
	}
	if len(q.Require)+len(q.Title) > retrieval.MaxTerms {
		return nil, attache.Errorf(attache.EINVALID, "too many search groups (%d, at most %d)", len(q.Require)+len(q.Title), retrieval.MaxTerms)
	}
	title, ok := groupsExpr(q.Title, "title : ")
	if !ok {
		return []attache.Hit{}, nil // a group that matches nothing: so does the whole
	}
	if len(q.Require) > 0 {
		return s.searchAll(ctx, q, title)
	}
	terms, err := searchTerms(q.Terms)
	if err != nil {
		return nil, err
	}
	if q.K == 0 || len(terms) == 0 && title == "" {
		return []attache.Hit{}, nil
	}
	matches := 0 // passages holding the kept terms, when known
	if s.maxScan > 0 && len(terms) > 1 {
		// A title group bounds the passages scored by itself; what is
		// left to bound is bm25 counting each word's passages.
		bound := s.maxScan
		if title != "" {
			bound *= retrieval.TitleScanFactor
		}
		if terms, matches, err = s.boundScan(ctx, terms, bound); err != nil {
			return nil, fmt.Errorf("search %s: %w", s.path, err)
		}
	}
	quoted := make([]string, len(terms))
	for i, t := range terms {
		quoted[i], _ = ftsString(t)
	}
	expr := strings.Join(quoted, " OR ")
	switch {
	case title != "" && expr != "":
		expr = title + " AND (" + expr + ")"
	case title != "":
		expr = title
	}
	hits, err := s.searchWindow(ctx, expr, terms, matches, title == "", q)
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", s.path, err)
	}
	for i := range hits {
		hits[i].Rank = i + 1
	}
	return hits, nil
}

// searchWindow runs a search of terms, which together are in matches
// passages when known, bounded by window when bounded is set and the terms
// are in more passages than the candidate bound.
func (s *Store) searchWindow(ctx context.Context, expr string, terms []string, matches int, bounded bool, q retrieval.Query) ([]attache.Hit, error) {
	if s.maxScan <= 0 || !bounded || len(terms) == 0 {
		return s.search(ctx, expr, q, 0)
	}
	if len(terms) == 1 {
		df, _, err := s.docFreq(ctx, terms)
		if err != nil {
			return nil, err
		}
		matches = df[terms[0]]
	}
	after, err := s.window(ctx, matches, s.maxScan*retrieval.CandidateFactor)
	if err != nil {
		return nil, err
	}
	if after > 0 {
		hits, err := s.search(ctx, expr, q, after)
		if err != nil || len(hits) >= q.K {
			return hits, err
		}
		// Too few in the window (a word of older passages, or a filter):
		// the whole index is searched after all.
	}
	return s.search(ctx, expr, q, 0)
}

// window returns the rowid above which a search scores the passages holding
// its terms (matches of them), or 0 for no bound. When even the terms kept
// by the scan bound are in more than bound passages, only the most recently
// indexed part of the index, where about bound of them are expected, is
// scored: rowids grow with every insert, so the rowids above the cutoff are
// a span of (bound / matches) of the index, its newest. FTS5 seeks to the
// cutoff in each posting list. The cutoff depends only on the rowids and the
// counts, as in the PostgreSQL store, so that both score the same
// candidates.
func (s *Store) window(ctx context.Context, matches, bound int) (int64, error) {
	if bound <= 0 || matches <= bound {
		return 0, nil
	}
	var lo, hi int64
	if err := s.read.QueryRowContext(ctx, `SELECT coalesce((SELECT min(rid) FROM passages), 0), coalesce((SELECT max(rid) FROM passages), 0)`).Scan(&lo, &hi); err != nil {
		return 0, err
	}
	return retrieval.WindowStart(lo, hi, matches, bound), nil
}

// groupsExpr returns the FTS5 expression requiring one word of every group,
// each group prefixed (with a column filter, say), and false when a group
// has no word that could match.
func groupsExpr(groups [][]string, prefix string) (string, bool) {
	var out []string
	for _, g := range groups {
		var alts []string
		for _, w := range g {
			if quoted, ok := ftsString(strings.ToLower(w)); ok {
				alts = append(alts, quoted)
			}
		}
		if len(alts) == 0 {
			return "", false
		}
		out = append(out, prefix+"("+strings.Join(alts, " OR ")+")")
	}
	return strings.Join(out, " AND "), true
}

// searchAll runs a conjunctive search: every group must match (or at least
// q.AtLeast of them: any of those conjunctions), and the title expression if
// there is one. FTS5 intersects the groups' posting
// lists, so this stays cheap however common the words, and needs no scan
// bound.
func (s *Store) searchAll(ctx context.Context, q retrieval.Query, title string) ([]attache.Hit, error) {
	var parts []string
	for _, g := range q.Require {
		if e, ok := groupsExpr([][]string{g}, ""); ok {
			parts = append(parts, e)
		} else if q.AtLeast <= 0 {
			return []attache.Hit{}, nil // a group that matches nothing: so does the whole
		}
	}
	if len(parts) == 0 || q.K == 0 || len(parts) < q.AtLeast {
		return []attache.Hit{}, nil
	}
	expr := retrieval.AtLeastExpr(parts, q.AtLeast, " AND ", " OR ")
	if title != "" {
		expr = title + " AND " + expr
	}
	if q.Unranked {
		// Scoring costs more than matching (bm25 counts every group's
		// passages first): when the matches fit, they are returned as
		// they are.
		hits, fit, err := s.unranked(ctx, expr, q)
		if err != nil {
			return nil, fmt.Errorf("search %s: %w", s.path, err)
		}
		if fit {
			return hits, nil
		}
		if q.Selective {
			return []attache.Hit{}, nil
		}
	}
	hits, err := s.search(ctx, expr, q, 0)
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", s.path, err)
	}
	for i := range hits {
		hits[i].Rank = i + 1
	}
	return hits, nil
}

// prepared returns a prepared statement for a query text, preparing it once:
// parsing the SQL costs as much as a small search. The few query shapes
// (with or without each filter) are all that is ever cached.
func (s *Store) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := s.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.read.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// searchTerms lower-cases and de-duplicates the query terms and drops those
// without a letter or digit, which would match nothing.
func searchTerms(terms []retrieval.Term) ([]string, error) {
	if len(terms) > retrieval.MaxTerms {
		return nil, attache.Errorf(attache.EINVALID, "too many search terms (%d, at most %d)", len(terms), retrieval.MaxTerms)
	}
	out := make([]string, 0, len(terms))
	seen := make(map[string]bool, len(terms))
	for _, t := range terms {
		w := strings.ToLower(t.Text)
		if _, ok := ftsString(w); !ok || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out, nil
}

// boundScan keeps the rarest terms whose passages together number at most
// maxScan, and always the rarest one, and returns the sum of their counts.
// Terms in no passage are dropped.
func (s *Store) boundScan(ctx context.Context, terms []string, maxScan int) ([]string, int, error) {
	df, _, err := s.docFreq(ctx, terms)
	if err != nil {
		return nil, 0, err
	}
	out, sum := retrieval.KeepRarest(terms, df, maxScan)
	if len(out) < len(terms) {
		s.logger.Debug("common search terms left out", "kept", out, "terms", terms, "passages", sum)
	}
	return out, sum, nil
}

// search runs the match expression. FTS5 yields matching rows in rowid
// order and bm25() scores each; SQLite keeps the best K as it goes (cheaper
// than FTS5's own ORDER BY rank, which sorts every match). With filters,
// each match is joined to its document first, so that only passing rows are
// scored; CROSS JOIN keeps FTS5 as the outer loop (the other way round would
// restart the FTS5 query, and bm25's statistics, for each row). Passage
// columns are read for the final rows only.
func (s *Store) search(ctx context.Context, expr string, q retrieval.Query, after int64) ([]attache.Hit, error) {
	filter, fargs := hitFilter(q.Dates, q.Sources)
	var inner string
	args := []any{s.titleWeight, expr}
	window := ""
	if after > 0 {
		window = " AND passages_fts.rowid > ?"
		args = append(args, after)
	}
	if filter == "" {
		inner = `SELECT rowid AS rid, bm25(passages_fts, ?, 1, 1) AS score
			FROM passages_fts WHERE passages_fts MATCH ?` + window + `
			ORDER BY score, rowid LIMIT ?`
	} else {
		inner = `SELECT passages_fts.rowid AS rid, bm25(passages_fts, ?, 1, 1) AS score
			FROM passages_fts
			CROSS JOIN passages p ON p.rid = passages_fts.rowid
			CROSS JOIN documents d ON d.id = p.doc_id
			WHERE passages_fts MATCH ?` + window + ` AND ` + filter + `
			ORDER BY score, passages_fts.rowid LIMIT ?`
		args = append(args, fargs...)
	}
	args = append(args, q.K)
	query := `SELECT ` + hitColumns + `, -t.score
		FROM (` + inner + `) t
		JOIN passages p ON p.rid = t.rid JOIN documents d ON d.id = p.doc_id
		ORDER BY t.score, t.rid`
	return s.query(ctx, query, args, q.K)
}

// query runs a prepared hit query: its columns are hitColumns and a score.
func (s *Store) query(ctx context.Context, query string, args []any, k int) ([]attache.Hit, error) {
	stmt, err := s.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	hits := make([]attache.Hit, 0, k)
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

// unranked returns the passages matching expr, unscored, and true, when
// there are at most q.K of them; otherwise false.
func (s *Store) unranked(ctx context.Context, expr string, q retrieval.Query) ([]attache.Hit, bool, error) {
	filter, fargs := hitFilter(q.Dates, q.Sources)
	args := []any{expr}
	where := ""
	if filter != "" {
		where = " AND " + filter
		args = append(args, fargs...)
	}
	args = append(args, q.K+1)
	query := `SELECT ` + hitColumns + `, 0
		FROM passages_fts
		CROSS JOIN passages p ON p.rid = passages_fts.rowid
		CROSS JOIN documents d ON d.id = p.doc_id
		WHERE passages_fts MATCH ?` + where + `
		LIMIT ?`
	hits, err := s.query(ctx, query, args, q.K+1)
	if err != nil || len(hits) > q.K {
		return nil, false, err
	}
	for i := range hits {
		hits[i].Rank = i + 1
	}
	return hits, true, nil
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
