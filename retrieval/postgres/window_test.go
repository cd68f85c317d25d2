package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"attache"
	"attache/retrieval"
	"attache/retrieval/storetest"
)

// windowDoc is a document of one passage, text under the title "Title of"
// its path.
func windowDoc(id, text string) retrieval.IndexedDoc {
	source, path, _ := strings.Cut(id, "/")
	d := attache.Document{ID: id, Source: source, Path: path, Title: "Title of " + path, Date: "2020-01-01", Text: text, Hash: "h", Size: int64(len(text))}
	return retrieval.IndexedDoc{Doc: d, Passages: []attache.Passage{{
		ID: id + "#0", DocID: id, Ordinal: 0, Start: 0, End: len(text), Text: text,
		Title: d.Title, Date: d.Date, Source: source, Path: path,
	}}}
}

// TestCandidateWindow runs the stores' window contract on a schema
// without the optional RUM index.
func TestCandidateWindow(t *testing.T) {
	testDSN(t)
	storetest.CandidateWindow(t, func(t *testing.T, maxScan int) retrieval.Store {
		s := openTest(t, Options{MaxScan: maxScan})
		if s.rankOp != "" {
			t.Fatal("a new schema has a RUM index")
		}
		return s
	})
}

// addRankIndex creates the optional RUM index in s's schema, the rum
// extension in the schema public if it is missing, and makes s find it; it
// skips the test where the extension cannot be created.
func addRankIndex(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	c := rawConn(t)
	if _, err := c.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS rum SCHEMA public"); err != nil {
		t.Skipf("no rum extension in this database (%v); install postgresql-15-rum to run this test", err)
	}
	var ext string
	if err := c.QueryRow(ctx, "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'rum'").Scan(&ext); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, "CREATE INDEX passages_rank ON "+pgx.Identifier{s.schema, "passages"}.Sanitize()+
		" USING rum (tsv "+ext+".rum_tsvector_ops)"); err != nil {
		t.Fatal(err)
	}
	if err := s.findRankIndex(ctx); err != nil || s.rankOp == "" {
		t.Fatalf("RUM index not found (%v)", err)
	}
}

// TestRankedCandidates: with the RUM index, a word in more passages than the
// candidate bound is scored in the passages where it is most frequent, which
// BM25 then orders; unbounded, BM25 alone prefers short passages.
func TestRankedCandidates(t *testing.T) {
	testDSN(t)
	ctx := context.Background()
	// 40 passages hold "common": alone in the short k/00 to k/09, three
	// times among 100 other words in k/10 to k/17, once in the rest.
	filler := strings.Repeat(" word", 100)
	var docs []retrieval.IndexedDoc
	for i := range 40 {
		text := "common" + filler
		switch {
		case i < 10:
			text = "common"
		case i < 18:
			text = "common common common" + filler
		}
		docs = append(docs, windowDoc(fmt.Sprintf("k/%02d.md", i), text))
	}
	tests := []struct {
		name     string
		maxScan  int
		terms    []string
		k        int
		want     int    // hits
		from, to string // the first min(want, 8) hits are in this range
	}{
		{"unbounded", -1, []string{"common"}, 5, 5, "k/00.md", "k/09.md"},
		// bound 8 (MaxScan 4)
		{"one word", 4, []string{"common"}, 5, 5, "k/10.md", "k/17.md"},
		{"two words", 4, []string{"common", "word"}, 8, 8, "k/10.md", "k/17.md"},
		{"fewer candidates than K", 4, []string{"common"}, 20, 20, "k/00.md", "k/09.md"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openTest(t, Options{MaxScan: tc.maxScan})
			addRankIndex(t, s)
			if err := s.Apply(ctx, retrieval.Changes{Upsert: docs}); err != nil {
				t.Fatal(err)
			}
			var terms []retrieval.Term
			for _, w := range tc.terms {
				terms = append(terms, retrieval.Term{Text: w, Weight: 1})
			}
			hits, err := s.Search(ctx, retrieval.Query{Terms: terms, K: tc.k})
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) != tc.want {
				t.Fatalf("%d hits, want %d", len(hits), tc.want)
			}
			for _, h := range hits[:min(len(hits), 8)] {
				if h.DocID < tc.from || h.DocID > tc.to {
					t.Errorf("hit %s, want one of %s to %s", h.DocID, tc.from, tc.to)
				}
			}
		})
	}
}
