package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"attache"
	"attache/retrieval"
	"attache/retrieval/storetest"
)

func openAt(t *testing.T, path string, o Options) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, o, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openTest(t *testing.T, o Options) *Store {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "index", "attache.db"), o)
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) retrieval.Store { return openTest(t, Options{}) })
}

// rawDB opens the file directly, for setting up odd files.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func pragma(t *testing.T, db *sql.DB, name string) int64 {
	t.Helper()
	var v int64
	if err := db.QueryRow("PRAGMA " + name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func sampleDoc(id, text string) retrieval.IndexedDoc {
	source, path, _ := strings.Cut(id, "/")
	d := attache.Document{ID: id, Source: source, Path: path, Title: "Title of " + path, Date: "2020-01-01", Text: text, Hash: "h", Size: int64(len(text)), ModTime: time.Unix(1700000000, 5)}
	return retrieval.IndexedDoc{Doc: d, Passages: []attache.Passage{{
		ID: id + "#0", DocID: id, Ordinal: 0, Start: 0, End: len(text), Text: text,
		Title: d.Title, Date: d.Date, Source: source, Path: path,
	}}}
}

func TestPlanSchema(t *testing.T) {
	tests := []struct {
		name     string
		appID    int64
		version  int64
		objects  int
		want     schemaAction
		errMatch string
	}{
		{"empty file", 0, 0, 0, schemaCreate, ""},
		{"current", applicationID, schemaVersion, 9, schemaReady, ""},
		{"older", applicationID, schemaVersion - 1, 9, schemaRebuild, ""},
		{"newer", applicationID, schemaVersion + 1, 9, 0, "newer than this program supports"},
		{"someone else's database", 0, 0, 3, 0, "not an Attaché index"},
		{"another application", 0x12345678, 1, 3, 0, "not an Attaché index"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := planSchema(tc.appID, tc.version, tc.objects)
			if tc.errMatch != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errMatch) || attache.ErrorCode(err) != attache.EINVALID {
					t.Fatalf("got %v, %v; want an invalid error containing %q", got, err, tc.errMatch)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestOpenRefusesForeignFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	db := rawDB(t, path)
	if _, err := db.Exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')"); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), path, Options{}, nil)
	if attache.ErrorCode(err) != attache.EINVALID || !strings.Contains(err.Error(), "not an Attaché index") {
		t.Fatalf("open of a foreign database: %v", err)
	}
	var body string
	if err := db.QueryRow("SELECT body FROM notes").Scan(&body); err != nil || body != "keep me" {
		t.Errorf("foreign database changed: %q, %v", body, err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "attache.db")
	s, err := Open(context.Background(), path, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(context.Background(), retrieval.Changes{Upsert: []retrieval.IndexedDoc{sampleDoc("k/a.md", "alpha")}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db := rawDB(t, path)
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", schemaVersion+1)); err != nil {
		t.Fatal(err)
	}
	_, err = Open(context.Background(), path, Options{}, nil)
	if attache.ErrorCode(err) != attache.EINVALID || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("open of a newer index: %v", err)
	}
	if v := pragma(t, db, "user_version"); v != schemaVersion+1 {
		t.Errorf("user_version changed to %d", v)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM documents").Scan(&n); err != nil || n != 1 {
		t.Errorf("newer index changed: %d documents, %v", n, err)
	}
}

func TestOpenRebuildsOlderSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "attache.db")
	db := rawDB(t, path)
	// A version-0 index of ours: an unrelated old layout.
	for _, q := range []string{
		fmt.Sprintf("PRAGMA application_id = %d", applicationID),
		"CREATE TABLE documents (id TEXT PRIMARY KEY, body TEXT)",
		"CREATE VIRTUAL TABLE old_fts USING fts5(body)",
		"CREATE VIEW old_view AS SELECT id FROM documents",
		"INSERT INTO documents VALUES ('x', 'stale')",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	s := openAt(t, path, Options{})
	st, err := s.States(context.Background())
	if err != nil || len(st) != 0 {
		t.Fatalf("rebuilt index has states %v, %v", st, err)
	}
	if v := pragma(t, db, "user_version"); v != schemaVersion {
		t.Errorf("user_version %d after rebuild, want %d", v, schemaVersion)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'old%'").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d old objects left, %v", n, err)
	}
	if err := s.Apply(context.Background(), retrieval.Changes{Upsert: []retrieval.IndexedDoc{sampleDoc("k/a.md", "alpha beta")}}); err != nil {
		t.Fatal(err)
	}
	hits, err := s.Search(context.Background(), retrieval.Query{Terms: []retrieval.Term{{Text: "beta", Weight: 1}}, K: 3})
	if err != nil || len(hits) != 1 {
		t.Errorf("search after rebuild: %v, %v", hits, err)
	}
}

func TestReopenKeepsData(t *testing.T) {
	// The directory name has characters that mean something in a URI.
	path := filepath.Join(t.TempDir(), "dir with ?query#frag%20", "attache.db")
	ctx := context.Background()
	s, err := Open(ctx, path, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := sampleDoc("k/a.md", "alpha beta")
	if err := s.Apply(ctx, retrieval.Changes{Upsert: []retrieval.IndexedDoc{d}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("index not at the given path: %v", err)
	}
	s2 := openAt(t, path, Options{})
	got, err := s2.Document(ctx, d.Doc.ID)
	if err != nil || got.Text != d.Doc.Text || !got.ModTime.Equal(d.Doc.ModTime) {
		t.Errorf("after reopen: %+v, %v", got, err)
	}
}

func TestMaxScanLeavesOutCommonTerms(t *testing.T) {
	ctx := context.Background()
	var docs []retrieval.IndexedDoc
	for i := range 10 {
		docs = append(docs, sampleDoc(fmt.Sprintf("k/%02d.md", i), "the common word appears here"))
	}
	docs = append(docs, sampleDoc("k/rare.md", "a rare word and the common one"))
	tests := []struct {
		maxScan int
		want    int // hits for "common rare"
	}{
		{-1, 11}, // unbounded: every passage with either term
		{5, 1},   // "common" is in 11 passages: left out, "rare" kept
		{11, 1},  // 1 + 11 > 11
		{12, 11}, // 1 + 11 fit
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.maxScan), func(t *testing.T) {
			s := openTest(t, Options{MaxScan: tc.maxScan})
			if err := s.Apply(ctx, retrieval.Changes{Upsert: docs}); err != nil {
				t.Fatal(err)
			}
			hits, err := s.Search(ctx, retrieval.Query{Terms: []retrieval.Term{{Text: "common", Weight: 1}, {Text: "rare", Weight: 1}}, K: 20})
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) != tc.want || hits[0].DocID != "k/rare.md" {
				t.Errorf("got %d hits (first %s), want %d with k/rare.md first", len(hits), hits[0].DocID, tc.want)
			}
			// A term found nowhere does not count.
			hits, err = s.Search(ctx, retrieval.Query{Terms: []retrieval.Term{{Text: "absent", Weight: 1}, {Text: "common", Weight: 1}}, K: 20})
			if err != nil || len(hits) != 11 {
				t.Errorf("absent and common: %d hits, %v; want 11", len(hits), err)
			}
			// A single term is never left out.
			hits, err = s.Search(ctx, retrieval.Query{Terms: []retrieval.Term{{Text: "common", Weight: 1}}, K: 20})
			if err != nil || len(hits) != 11 {
				t.Errorf("single common term: %d hits, %v; want 11", len(hits), err)
			}
		})
	}
}

func TestFTSString(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"cuba", `"cuba"`, true},
		{`say "hi"`, `"say ""hi"""`, true},
		{"NEAR(a", `"NEAR(a"`, true},
		{"a\x00b", `"ab"`, true},
		{"***", "", false},
		{"", "", false},
		{`"`, "", false},
		{"año", `"año"`, true},
		{"٣", `"٣"`, true}, // a digit, if not an ASCII one
	}
	for _, tc := range tests {
		got, ok := ftsString(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ftsString(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestDocFreqSeesOtherWriters checks that the cache follows writes made
// through another handle, as by another process.
func TestDocFreqSeesOtherWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "attache.db")
	reader := openAt(t, path, Options{})
	writer := openAt(t, path, Options{})
	if err := writer.Apply(ctx, retrieval.Changes{Upsert: []retrieval.IndexedDoc{sampleDoc("k/a.md", "embargo talks"), sampleDoc("k/b.md", "embargo")}}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct{ df, total int }{{2, 2}, {2, 2}} { // the second call is cached
		df, total, err := reader.DocFreq(ctx, []string{"embargo"})
		if err != nil || df["embargo"] != want.df || total != want.total {
			t.Fatalf("DocFreq = %v, %d, %v; want %d of %d", df, total, err, want.df, want.total)
		}
	}
	if err := writer.Apply(ctx, retrieval.Changes{Delete: []string{"k/b.md"}}); err != nil {
		t.Fatal(err)
	}
	df, total, err := reader.DocFreq(ctx, []string{"embargo", "talks"})
	if err != nil || df["embargo"] != 1 || df["talks"] != 1 || total != 1 {
		t.Errorf("after another handle's delete: %v, %d, %v; want embargo 1, talks 1, total 1", df, total, err)
	}
	// The handle's own writes are seen at once, cached terms included.
	if err := reader.Apply(ctx, retrieval.Changes{Upsert: []retrieval.IndexedDoc{sampleDoc("k/c.md", "embargo")}}); err != nil {
		t.Fatal(err)
	}
	df, total, err = reader.DocFreq(ctx, []string{"embargo"})
	if err != nil || df["embargo"] != 2 || total != 2 {
		t.Errorf("after its own write: %v, %d, %v; want embargo 2 of 2", df, total, err)
	}
}

// TestPassageTextKept checks that a passage whose text is not the slice its
// offsets name (normalised text, or offsets past the end) comes back as given.
func TestPassageTextKept(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	d := sampleDoc("k/a.md", "Alpha  beta\ngamma. Delta")
	d.Passages = []attache.Passage{
		{ID: "k/a.md#0", DocID: "k/a.md", Ordinal: 0, Start: 0, End: 17, Text: "Alpha beta gamma."},
		{ID: "k/a.md#1", DocID: "k/a.md", Ordinal: 1, Start: 19, End: 24, Text: "Delta"},
		{ID: "k/a.md#2", DocID: "k/a.md", Ordinal: 2, Start: 20, End: 99, Text: "Out of range"},
		{ID: "k/a.md#3", DocID: "", Ordinal: 3, Start: 5, End: 3, Text: "Backwards"},
	}
	if err := s.Apply(ctx, retrieval.Changes{Upsert: []retrieval.IndexedDoc{d}}); err != nil {
		t.Fatal(err)
	}
	ps, err := s.Passages(ctx, "k/a.md")
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, p := range ps {
		texts = append(texts, p.Text)
		if p.DocID != "k/a.md" || p.Title != d.Doc.Title {
			t.Errorf("passage %s: doc %q, title %q", p.ID, p.DocID, p.Title)
		}
	}
	if want := []string{"Alpha beta gamma.", "Delta", "Out of range", "Backwards"}; !slices.Equal(texts, want) {
		t.Errorf("texts %q, want %q", texts, want)
	}
}

// TestIndexIntegrity runs FTS5's own check after updates and deletes.
func TestIndexIntegrity(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	docs := storetest.Synthetic(30, 3, 30, 5)
	if err := s.Apply(ctx, retrieval.Changes{Upsert: docs}); err != nil {
		t.Fatal(err)
	}
	more := storetest.Synthetic(30, 2, 30, 6)
	for i := range 10 {
		d := more[i]
		d.Doc.ID, d.Doc.Source, d.Doc.Path = docs[i].Doc.ID, docs[i].Doc.Source, docs[i].Doc.Path
		d.Passages = slices.Clone(d.Passages)
		for j := range d.Passages {
			d.Passages[j].ID = fmt.Sprintf("%s#%d", d.Doc.ID, j)
			d.Passages[j].DocID = d.Doc.ID
		}
		more[i] = d
	}
	if err := s.Apply(ctx, retrieval.Changes{Upsert: more[:10], Delete: []string{docs[20].Doc.ID, docs[21].Doc.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.write.ExecContext(ctx, `INSERT INTO passages_fts (passages_fts, rank) VALUES ('integrity-check', 0)`); err != nil {
		t.Errorf("integrity check: %v", err)
	}
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM passages`).Scan(&n); err != nil || n != 10*2+18*3 {
		t.Errorf("%d passages, %v; want %d", n, err, 10*2+18*3)
	}
}

// segments counts the full-text index's b-tree segments.
func segments(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.read.QueryRow(`SELECT count(DISTINCT segid) FROM passages_fts_idx`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLargeReplacementMergesIndex(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	docs := storetest.Synthetic(40, 3, 30, 7)
	if err := s.Apply(ctx, retrieval.Changes{Upsert: docs}); err != nil {
		t.Fatal(err)
	}
	replace := func(n int, word string) {
		t.Helper()
		var ch retrieval.Changes
		for _, d := range docs[:n] {
			d := sampleDoc(d.Doc.ID, "a replacement passage about "+word)
			ch.Upsert = append(ch.Upsert, d)
		}
		if err := s.Apply(ctx, ch); err != nil {
			t.Fatal(err)
		}
	}
	// One document of forty: a small change leaves its own segment.
	before := segments(t, s)
	replace(1, "zanzibar")
	if got := segments(t, s); got != before+1 {
		t.Errorf("after a small change: %d segments, want %d", got, before+1)
	}
	// Half the documents: the index is merged into one segment, whose
	// searches no longer step over the removed rows.
	replace(20, "quokka")
	if got := segments(t, s); got != 1 {
		t.Errorf("after replacing half the documents: %d segments, want 1", got)
	}
	if _, err := s.write.ExecContext(ctx, `INSERT INTO passages_fts (passages_fts, rank) VALUES ('integrity-check', 0)`); err != nil {
		t.Errorf("integrity check: %v", err)
	}
	hits, err := s.Search(ctx, retrieval.Query{Terms: []retrieval.Term{{Text: "quokka", Weight: 1}}, K: 50})
	if err != nil || len(hits) != 20 {
		t.Errorf("search after merge: %d hits, %v; want 20", len(hits), err)
	}
	hits, err = s.Search(ctx, retrieval.Query{Terms: []retrieval.Term{{Text: "zanzibar", Weight: 1}}, K: 50})
	if err != nil || len(hits) != 0 {
		t.Errorf("replaced text still found: %d hits, %v", len(hits), err)
	}
}

func TestEmptyStreamChangesNothing(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	if err := s.Apply(ctx, retrieval.Changes{Upsert: []retrieval.IndexedDoc{sampleDoc("k/a.md", "embargo talks")}}); err != nil {
		t.Fatal(err)
	}
	generation := func() int64 {
		t.Helper()
		var g int64
		if err := s.read.QueryRow(`SELECT value FROM meta WHERE key = 'generation'`).Scan(&g); err != nil {
			t.Fatal(err)
		}
		return g
	}
	before := generation()
	if _, _, err := s.DocFreq(ctx, []string{"embargo"}); err != nil {
		t.Fatal(err)
	}
	err := s.Apply(ctx, retrieval.Changes{Stream: func(ctx context.Context, put func(retrieval.Change) error) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if g := generation(); g != before {
		t.Errorf("generation %d → %d after a stream that yielded nothing", before, g)
	}
	if !s.df.Valid() {
		t.Error("the frequency cache was emptied by a batch that changed nothing")
	}
	// A batch that does change something still makes a new generation.
	if err := s.Apply(ctx, retrieval.Changes{Delete: []string{"k/a.md"}}); err != nil {
		t.Fatal(err)
	}
	if g := generation(); g != before+1 {
		t.Errorf("generation %d → %d after a delete, want +1", before, g)
	}
}

// TestBulkAddMergesIndex: a batch that adds at least a tenth of the index
// leaves it in one segment; a small one adds a segment of its own.
func TestBulkAddMergesIndex(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	docs := storetest.Synthetic(60, 3, 30, 11)
	add := func(ds []retrieval.IndexedDoc) {
		t.Helper()
		if err := s.Apply(ctx, retrieval.Changes{Upsert: ds}); err != nil {
			t.Fatal(err)
		}
	}
	add(docs[:40])
	if got := segments(t, s); got != 1 {
		t.Errorf("after the first load: %d segments, want 1", got)
	}
	add(docs[40:41])
	if got := segments(t, s); got != 2 {
		t.Errorf("after adding one document of 41: %d segments, want 2", got)
	}
	add(docs[41:])
	if got := segments(t, s); got != 1 {
		t.Errorf("after adding a third as many again: %d segments, want 1", got)
	}
	hits, err := s.Search(ctx, retrieval.Query{Terms: []retrieval.Term{{Text: strings.Fields(docs[59].Passages[0].Text)[0], Weight: 1}}, K: 100})
	if err != nil || len(hits) == 0 {
		t.Errorf("search after merge: %d hits, %v", len(hits), err)
	}
}
