package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"attache"
	"attache/retrieval"
)

// rankCDWords: up to this many words, a candidate's frequencies are read
// with one ts_rank_cd per word rather than by filtering its tsvector.
const rankCDWords = 3

// BM25 parameters, FTS5's.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// term is one search term as the store sees it: its words (several form a
// phrase) and the tsquery text matching it.
type term struct {
	text  string
	words []string
}

// searchTerms lower-cases and de-duplicates the query terms and drops those
// without a word, which would match nothing.
func searchTerms(terms []retrieval.Term) ([]term, error) {
	if len(terms) > retrieval.MaxTerms {
		return nil, attache.Errorf(attache.EINVALID, "too many search terms (%d, at most %d)", len(terms), retrieval.MaxTerms)
	}
	out := make([]term, 0, len(terms))
	seen := make(map[string]bool, len(terms))
	for _, t := range terms {
		w := strings.ToLower(t.Text)
		ws := termWords(w)
		if len(ws) == 0 || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, term{text: w, words: ws})
	}
	return out, nil
}

// groupsQuery returns the tsquery text requiring one word of every group,
// restricted to weight when not empty, and false when a group has no word
// that could match.
func groupsQuery(groups [][]string, weight string) (string, []string, bool) {
	var out, all []string
	for _, g := range groups {
		var alts []string
		for _, w := range g {
			if ws := termWords(strings.ToLower(w)); len(ws) > 0 {
				alts = append(alts, phrase(ws, weight))
				all = append(all, ws...)
			}
		}
		if len(alts) == 0 {
			return "", nil, false
		}
		out = append(out, "("+strings.Join(alts, " | ")+")")
	}
	return strings.Join(out, " & "), all, true
}

// Search returns up to q.K passages matching any of q.Terms (or every group
// of q.Require), and every group of q.Title in the title, best BM25 score
// first. Hits carry Rank from 1 and Score (higher is better), or 0 for an
// unranked conjunctive search whose matches fit in q.K. When the terms
// together occur in more than MaxScan passages, the most common ones are
// left out, rarest kept, as the SQLite store does; when those kept are still
// in more than retrieval.CandidateFactor × MaxScan passages, that many candidates are
// scored: the most recently indexed (see window), or with the RUM index the
// passages where the words are most frequent.
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
	title, titleWords, ok := groupsQuery(q.Title, "")
	if !ok {
		return []attache.Hit{}, nil // a group that matches nothing: so does the whole
	}
	var hits []attache.Hit
	var err error
	if len(q.Require) > 0 {
		hits, err = s.searchAll(ctx, q, title, titleWords)
	} else {
		hits, err = s.searchAny(ctx, q, title, titleWords)
	}
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", s.schema, err)
	}
	for i := range hits {
		hits[i].Rank = i + 1
	}
	return hits, nil
}

func (s *Store) searchAny(ctx context.Context, q retrieval.Query, title string, titleWords []string) ([]attache.Hit, error) {
	terms, err := searchTerms(q.Terms)
	if err != nil {
		return nil, err
	}
	if q.K == 0 || len(terms) == 0 && title == "" {
		return []attache.Hit{}, nil
	}
	matches := 0 // passages holding the kept terms, when known
	if s.maxScan > 0 && len(terms) > 1 {
		bound := s.maxScan
		if title != "" {
			bound *= retrieval.TitleScanFactor
		}
		if terms, matches, err = s.boundScan(ctx, terms, bound); err != nil {
			return nil, err
		}
	}
	alts := make([]string, len(terms))
	scored := slices.Clone(titleWords)
	for i, t := range terms {
		alts[i] = phrase(t.words, "")
		scored = append(scored, t.words...)
	}
	expr := strings.Join(alts, " | ")
	if s.maxScan > 0 && title == "" && len(terms) > 0 {
		if len(terms) == 1 {
			df, _, err := s.docFreq(ctx, []string{terms[0].text})
			if err != nil {
				return nil, err
			}
			matches = df[terms[0].text]
		}
		var c candidates
		switch bound := s.maxScan * retrieval.CandidateFactor; {
		case matches <= bound:
		case s.rankOp != "":
			c.top = bound
		default:
			if c.after, err = s.window(ctx, matches, bound); err != nil {
				return nil, err
			}
		}
		if c != (candidates{}) {
			hits, err := s.ranked(ctx, expr, title, scored, q, c)
			if err != nil || len(hits) >= q.K {
				return hits, err
			}
			// Too few candidates (a word of older passages, or a
			// filter): the whole index is searched after all.
		}
	}
	return s.ranked(ctx, expr, title, scored, q, candidates{})
}

// candidates bounds the passages a ranked search scores: with top, the top
// passages of the RUM index's order (the query's words weighing most in
// them, by frequency alone), which the search then scores by BM25; with
// after, those with a greater rid (see window); else every match.
type candidates struct {
	top   int
	after int64
}

// window returns the rid above which a search scores the passages holding
// its terms (matches of them), or 0 for no bound. When even the terms kept
// by the scan bound are in more than bound passages, only the most recently
// indexed part of the index, where about bound of them are expected, is
// scored: rids grow with every insert, so the rids above the cutoff are a
// span of (bound / matches) of the index, its newest. The cutoff depends
// only on the rids and the counts, as in the SQLite store, so that both
// score the same candidates (unless this store has the RUM index).
func (s *Store) window(ctx context.Context, matches, bound int) (int64, error) {
	if bound <= 0 || matches <= bound {
		return 0, nil
	}
	var lo, hi int64
	err := s.do(ctx, func(c *pgxpool.Conn) error {
		return c.QueryRow(ctx, `SELECT coalesce(min(rid), 0), coalesce(max(rid), 0) FROM passages`).Scan(&lo, &hi)
	})
	if err != nil {
		return 0, err
	}
	return retrieval.WindowStart(lo, hi, matches, bound), nil
}

func (s *Store) searchAll(ctx context.Context, q retrieval.Query, title string, titleWords []string) ([]attache.Hit, error) {
	var parts, words []string
	for _, g := range q.Require {
		if e, ws, ok := groupsQuery([][]string{g}, ""); ok {
			parts = append(parts, e)
			words = append(words, ws...)
		} else if q.AtLeast <= 0 {
			return []attache.Hit{}, nil // a group that matches nothing: so does the whole
		}
	}
	if len(parts) == 0 || q.K == 0 || len(parts) < q.AtLeast {
		return []attache.Hit{}, nil
	}
	expr := retrieval.AtLeastExpr(parts, q.AtLeast, " & ", " | ")
	words = append(words, titleWords...)
	if q.Unranked {
		hits, fit, err := s.unranked(ctx, expr, title, q)
		if err != nil || fit {
			return hits, err
		}
		if q.Selective {
			return []attache.Hit{}, nil
		}
	}
	return s.ranked(ctx, expr, title, words, q, candidates{})
}

// matchCond returns the condition on passages p matching the tsquery text
// expr (if any) and, in the title, title (if any): the title has an index
// of its own (the stems of weight A).
func matchCond(a *args, expr, title string) string {
	var conds []string
	if expr != "" {
		conds = append(conds, "p.tsv @@ to_tsquery('attache', "+a.add(expr)+")")
	}
	if title != "" {
		conds = append(conds, "ts_filter(p.tsv, '{a}') @@ to_tsquery('attache', "+a.add(title)+")")
	}
	return strings.Join(conds, " AND ")
}

// boundScan keeps the rarest terms whose passages together number at most
// maxScan, and always the rarest one, and returns the sum of their counts.
// Terms in no passage are dropped.
func (s *Store) boundScan(ctx context.Context, terms []term, maxScan int) ([]term, int, error) {
	texts := make([]string, len(terms))
	byText := make(map[string]term, len(terms))
	for i, t := range terms {
		texts[i] = t.text
		byText[t.text] = t
	}
	df, _, err := s.docFreq(ctx, texts)
	if err != nil {
		return nil, 0, err
	}
	kept, sum := retrieval.KeepRarest(texts, df, maxScan)
	out := make([]term, len(kept))
	for i, w := range kept {
		out[i] = byText[w]
	}
	if len(out) < len(terms) {
		s.logger.Debug("common search terms left out", "kept", len(out), "terms", len(terms), "passages", sum)
	}
	return out, sum, nil
}

// args collects positional query arguments.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// hitFilter returns a SQL condition on the date and source columns of table
// t (d: documents, p: passages) for the date range and sources, or "" when
// there is nothing to filter.
func hitFilter(a *args, t string, dates attache.DateRange, sources []string) string {
	var conds []string
	date := t + ".date"
	// Same semantics as attache.DateRange.Contains.
	if dates.Since != "" || dates.Until != "" {
		conds = append(conds, date+" <> ''")
	}
	if dates.Since != "" {
		p := a.add(dates.Since)
		conds = append(conds, "("+date+" >= "+p+" OR left("+p+", length("+date+")) = "+date+")")
	}
	if dates.Until != "" {
		p := a.add(dates.Until)
		conds = append(conds, "("+date+" <= "+p+" OR left("+date+", length("+p+")) = "+p+")")
	}
	if len(sources) > 0 {
		conds = append(conds, t+".source = ANY("+a.add(sources)+"::text[])")
	}
	return strings.Join(conds, " AND ")
}

// hitColumns select a passage p of document d.
const hitColumns = `p.id, p.doc_id, p.ordinal, p.start, p."end", p.text,
	d.title, d.date, d.url, d.source, d.path, d.outlet`

// ranked returns the best q.K passages matching the tsquery text expr,
// scored by FTS5's bm25 over the stems of words: for each word, its inverse
// document frequency (from term_df) times its saturated frequency in the
// passage, title occurrences counting TitleWeight times, normalised by the
// passage's length against the average. c bounds the passages scored.
func (s *Store) ranked(ctx context.Context, expr, title string, words []string, q retrieval.Query, c candidates) ([]attache.Hit, error) {
	var a args
	match := matchCond(&a, expr, title)
	pw := a.add(words)
	where := ""
	if f := hitFilter(&a, "p", q.Dates, q.Sources); f != "" {
		where = " AND " + f
	}
	if c.after > 0 {
		where += " AND p.rid > " + a.add(c.after)
	}
	from := "passages p WHERE " + match + where
	if c.top > 0 && expr != "" {
		// The RUM index returns its matches in order, reading
		// positions from the index rather than every passage.
		from = "(SELECT p.rid, p.len, p.tsv FROM passages p WHERE " + match + where +
			" ORDER BY p.tsv " + s.rankOp + " to_tsquery('attache', " + a.add(expr) + ") LIMIT " + a.add(c.top) + ") p"
	}
	pk := a.add(q.K)
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	// The frequencies of the query's stems in passage p (title hits
	// counted TitleWeight times), as rows (idf, tf). With few stems,
	// ts_rank_cd of each stem alone is its weighted frequency (the sum of
	// its positions' weights, each of them a cover by itself), computed
	// in C without copying the tsvector. With more, the double ts_delete
	// keeps only the query's stems, whose positions are then counted.
	var freqs string
	if len(words) > rankCDWords {
		pt := a.add(s.titleWeight)
		freqs = `(SELECT lex.idf, f0.tf FROM (SELECT u.lexeme, (` + pt + `::float8 - 1) * cardinality(array_positions(u.weights, 'A')) + cardinality(u.positions) AS tf
				FROM unnest(ts_delete(p.tsv, tsvector_to_array(ts_delete(p.tsv, (SELECT array_agg(lexeme) FROM lex))))) u) f0
			JOIN lex ON lex.lexeme = f0.lexeme) f`
	} else {
		m := max(s.titleWeight, 1)
		weights := "'{" + f(1/m) + "," + f(1/m) + "," + f(1/m) + "," + f(s.titleWeight/m) + "}'::float4[]"
		freqs = `(SELECT lex.idf, ` + f(m) + ` * ts_rank_cd(` + weights + `, p.tsv, lex.q, 0) AS tf FROM lex) f
			WHERE f.tf > 0`
	}
	// Each candidate's score is one subquery over the query's stems (freqs),
	// never an expansion of its whole tsvector into rows.
	query := `WITH t AS MATERIALIZED (SELECT passages::float8 AS n, tokens::float8 / greatest(passages, 1) AS avgdl FROM totals),
	lex AS MATERIALIZED (
		SELECT w.lexeme, greatest(ln((t.n - coalesce(df.df, 0) + 0.5) / (coalesce(df.df, 0) + 0.5)), 1e-6) AS idf,
			('''' || replace(w.lexeme, '''', '''''') || '''')::tsquery AS q
		FROM t, unnest(` + pw + `::text[]) AS x(word),
			LATERAL (SELECT (tsvector_to_array(to_tsvector('attache', x.word)))[1] AS lexeme) w
			LEFT JOIN term_df df ON df.lexeme = w.lexeme
		WHERE w.lexeme IS NOT NULL
	),
	scored AS (
		SELECT p.rid, (
			SELECT sum(f.idf * f.tf * ` + f(bm25K1+1) + ` / (f.tf + ` + f(bm25K1) + ` * (` + f(1-bm25B) + ` + ` + f(bm25B) + ` * p.len / (SELECT avgdl FROM t))))
			FROM ` + freqs + `
		) AS score
		FROM ` + from + `
		ORDER BY score DESC NULLS LAST, p.rid
		LIMIT ` + pk + `
	)
	SELECT ` + hitColumns + `, coalesce(s.score, 0)
	FROM scored s JOIN passages p ON p.rid = s.rid JOIN documents d ON d.id = p.doc_id
	ORDER BY s.score DESC NULLS LAST, s.rid`
	var local string
	if c.after > 0 {
		// The window's rids and the word's matches are two bitmaps to
		// intersect before reading a passage; a plain scan of the rids
		// would read every passage of the window instead.
		local = "SET LOCAL enable_indexscan = off"
	}
	return s.hits(ctx, query, a, q.K, local)
}

// unranked returns the passages matching expr, unscored, and true, when
// there are at most q.K of them; otherwise false.
func (s *Store) unranked(ctx context.Context, expr, title string, q retrieval.Query) ([]attache.Hit, bool, error) {
	var a args
	match := matchCond(&a, expr, title)
	where := ""
	if f := hitFilter(&a, "p", q.Dates, q.Sources); f != "" {
		where = " AND " + f
	}
	pk := a.add(q.K + 1)
	query := `SELECT ` + hitColumns + `, 0::float8
		FROM passages p JOIN documents d ON d.id = p.doc_id
		WHERE ` + match + where + `
		ORDER BY p.rid LIMIT ` + pk
	hits, err := s.hits(ctx, query, a, q.K+1, "")
	if err != nil || len(hits) > q.K {
		return nil, false, err
	}
	return hits, true, nil
}

// hits runs a hit query: its columns are hitColumns and a score. A local
// setting, when not empty, is set for this query alone.
func (s *Store) hits(ctx context.Context, query string, a args, k int, local string) ([]attache.Hit, error) {
	hits := make([]attache.Hit, 0, min(k, 1024))
	err := s.do(ctx, func(c *pgxpool.Conn) error {
		var q interface {
			Query(context.Context, string, ...any) (pgx.Rows, error)
		} = c
		if local != "" {
			tx, err := c.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
			if err != nil {
				return err
			}
			defer tx.Rollback(ctx) //nolint:errcheck // read-only
			if _, err := tx.Exec(ctx, local); err != nil {
				return err
			}
			q = tx
		}
		rows, err := q.Query(ctx, query, a...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var h attache.Hit
			p := &h.Passage
			var ord, start, end int32
			if err := rows.Scan(&p.ID, &p.DocID, &ord, &start, &end, &p.Text,
				&p.Title, &p.Date, &p.URL, &p.Source, &p.Path, &p.Outlet, &h.Score); err != nil {
				return err
			}
			p.Ordinal, p.Start, p.End = int(ord), int(start), int(end)
			hits = append(hits, h)
		}
		return rows.Err()
	})
	return hits, err
}

// DocFreq returns, for each term, the number of passages containing it as
// the tokenizer sees it (so "talks" and "talk" count the same passages), and
// the total number of passages. Counts come from the table every write keeps
// up to date, read in one snapshot with the total, and are cached until the
// next write: one by this handle clears the cache at once; one by another
// process is seen within retrieval.DocFreqRecheck.
func (s *Store) DocFreq(ctx context.Context, terms []string) (map[string]int, int, error) {
	out, total, err := s.docFreq(ctx, terms)
	if err != nil {
		return nil, 0, fmt.Errorf("document frequencies %s: %w", s.schema, err)
	}
	return out, total, nil
}

func (s *Store) docFreq(ctx context.Context, terms []string) (map[string]int, int, error) {
	if out, total, ok := s.df.Recent(terms); ok {
		return out, total, nil
	}
	out, total, gen, err := s.readDocFreq(ctx, terms)
	if err != nil {
		return nil, 0, err
	}
	s.df.Put(gen, total, out)
	return out, total, nil
}

// readDocFreq reads the counts, the total and the generation in one
// snapshot.
func (s *Store) readDocFreq(ctx context.Context, terms []string) (map[string]int, int, int64, error) {
	out := make(map[string]int, len(terms))
	var single, singleWord []string // terms of one word, and that word
	var phrases []string            // terms of several words
	for _, t := range terms {
		if _, dup := out[t]; dup {
			continue
		}
		out[t] = 0
		switch ws := termWords(strings.ToLower(t)); len(ws) {
		case 0:
		case 1:
			single, singleWord = append(single, t), append(singleWord, ws[0])
		default:
			phrases = append(phrases, t)
		}
	}
	var total, gen int64
	err := s.do(ctx, func(c *pgxpool.Conn) error {
		tx, err := c.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx) //nolint:errcheck // read-only
		if err := tx.QueryRow(ctx, `SELECT passages, generation FROM totals`).Scan(&total, &gen); err != nil {
			return err
		}
		if len(single) > 0 {
			rows, err := tx.Query(ctx, `SELECT x.i, coalesce(df.df, 0)
				FROM unnest($1::text[]) WITH ORDINALITY AS x(word, i),
					LATERAL (SELECT (tsvector_to_array(to_tsvector('attache', x.word)))[1] AS lexeme) w
					LEFT JOIN term_df df ON df.lexeme = w.lexeme`, singleWord)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var i int64
				var n int32
				if err := rows.Scan(&i, &n); err != nil {
					return err
				}
				out[single[i-1]] = int(n)
			}
			if err := rows.Err(); err != nil {
				return err
			}
		}
		for _, t := range phrases {
			var n int64
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM passages WHERE tsv @@ to_tsquery('attache', $1)`,
				phrase(termWords(strings.ToLower(t)), "")).Scan(&n); err != nil {
				return err
			}
			out[t] = int(n)
		}
		return nil
	})
	if err != nil {
		return nil, 0, 0, err
	}
	return out, int(total), gen, nil
}
