package postgres

import (
	"context"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"attache"
	"attache/retrieval"
	"attache/retrieval/sqlite"
)

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Café in México", []string{"cafe", "in", "mexico"}},
		{"naïve-approach, 2020-01-02", []string{"naive", "approach", "2020", "01", "02"}},
		{`it's "quoted" \ back`, []string{"it", "s", "quoted", "back"}},
		{"ÉCOLE Straße", []string{"ecole", "straße"}},
		{"e\u0301cole", []string{"ecole"}}, // a decomposed accent
		{"zebra\x00river", []string{"zebra", "river"}},
		{"'); DROP TABLE passages; --", []string{"drop", "table", "passages"}},
		{"", nil},
		{"*:&|!", nil},
	}
	for _, tt := range tests {
		var got []string
		words(tt.in, func(w string) { got = append(got, w) })
		if !slices.Equal(got, tt.want) {
			t.Errorf("words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPhraseQuotesEveryWord(t *testing.T) {
	tests := []struct {
		words  []string
		weight string
		want   string
	}{
		{[]string{"zebra"}, "", `'zebra'`},
		{[]string{"zebra", "river"}, "", `('zebra' <-> 'river')`},
		{[]string{"cuba"}, "A", `'cuba':A`},
		{[]string{"it's"}, "", `'it''s'`},
		{[]string{`a\b`}, "", `'a\\b'`},
	}
	for _, tt := range tests {
		if got := phrase(tt.words, tt.weight); got != tt.want {
			t.Errorf("phrase(%q, %q) = %s, want %s", tt.words, tt.weight, got, tt.want)
		}
	}
}

// Both stores split, fold and stem words alike: the same counts for words
// with accents, plurals and numbers, and the same passages found.
func TestFoldingMatchesSQLite(t *testing.T) {
	ctx := context.Background()
	pg := openTest(t, Options{})
	lite, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "index.db"), sqlite.Options{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	docs := []retrieval.IndexedDoc{
		indexed("knowledge/a.md", "Talks in México", "2021-03-04", "The délégations talked about naïve policies.", "Café owners in Ciudad de México met twice."),
		indexed("knowledge/b.md", "Mexico's exports", "2020-01-01", "Exports of coffee rose; the talks stalled.", "Straße and ÉCOLE are words too."),
	}
	for _, st := range []retrieval.Store{pg, lite} {
		if err := st.Apply(ctx, retrieval.Changes{Upsert: docs}); err != nil {
			t.Fatal(err)
		}
	}
	words := []string{"mexico", "méxico", "talks", "talk", "delegations", "naive", "cafe", "café", "exports", "2021", "04", "ecole", "straße", "coffee", "twice"}
	want, wantTotal, err := lite.DocFreq(ctx, words)
	if err != nil {
		t.Fatal(err)
	}
	got, total, err := pg.DocFreq(ctx, words)
	if err != nil {
		t.Fatal(err)
	}
	if total != wantTotal {
		t.Errorf("total %d, SQLite %d", total, wantTotal)
	}
	for _, w := range words {
		if got[w] != want[w] {
			t.Errorf("DocFreq[%q] = %d, SQLite %d", w, got[w], want[w])
		}
		q := retrieval.Query{Terms: []retrieval.Term{{Text: w, Weight: 1}}, K: 10}
		a, err1 := lite.Search(ctx, q)
		b, err2 := pg.Search(ctx, q)
		if err1 != nil || err2 != nil {
			t.Fatalf("search %q: %v, %v", w, err1, err2)
		}
		if ids(a) != ids(b) {
			t.Errorf("search %q: %s, SQLite %s", w, ids(b), ids(a))
			continue
		}
		// The same BM25: same frequencies, lengths and weights.
		for i := range a {
			if d := a[i].Score - b[i].Score; d > 1e-6*a[i].Score || -d > 1e-6*a[i].Score {
				t.Errorf("search %q: %s scores %g, SQLite %g", w, b[i].ID, b[i].Score, a[i].Score)
			}
		}
	}
}

func indexed(id, title, date string, paras ...string) retrieval.IndexedDoc {
	source, path, _ := strings.Cut(id, "/")
	text := strings.Join(paras, "\n\n")
	d := retrieval.IndexedDoc{Doc: attache.Document{ID: id, Source: source, Path: path, Title: title, Date: date, Text: text, Hash: id}}
	start := 0
	for i, p := range paras {
		d.Passages = append(d.Passages, attache.Passage{ID: id + "#" + string(rune('0'+i)), DocID: id, Ordinal: i,
			Start: start, End: start + len(p), Text: p, Title: title, Date: date, Source: source, Path: path})
		start += len(p) + 2
	}
	return d
}

// ids lists hits' passage IDs in order.
func ids(hits []attache.Hit) string {
	var out []string
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return strings.Join(out, ",")
}
