package retrieval_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"attache"
	"attache/retrieval"
	"attache/retrieval/sqlite"
)

func openStore(t *testing.T) retrieval.Store {
	t.Helper()
	return openStoreAt(t, filepath.Join(t.TempDir(), "index.db"))
}

func openStoreAt(t testing.TB, path string) retrieval.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path, sqlite.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func write(t *testing.T, path, content string) { writeF(t, path, content) }

func writeF(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// bump moves a file's modification time so the fast path sees a change even
// within the file system's timestamp resolution.
func bump(t *testing.T, path string, d time.Duration) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, fi.ModTime().Add(d), fi.ModTime().Add(d)); err != nil {
		t.Fatal(err)
	}
}

func newIndexer(t *testing.T, dir string) (*retrieval.Indexer, *retrieval.Searcher) {
	t.Helper()
	st := openStore(t)
	ix := &retrieval.Indexer{Store: st, Sources: []retrieval.Source{{Name: "kb", Path: dir}}}
	return ix, &retrieval.Searcher{Store: st, K: 5}
}

func search(t *testing.T, s *retrieval.Searcher, q string) []attache.Hit {
	t.Helper()
	res, err := s.Search(context.Background(), q, retrieval.SearchOptions{})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return res.Hits
}

func TestIncrementalSync(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.md"), "---\ntitle: Alpha\ndate: 2020-01-02\n---\n\nThe walrus treaty was signed in Oslo.\n")
	write(t, filepath.Join(dir, "b.txt"), "Beta\n\nA pelican survey covered the coast of Peru.\n")
	ix, s := newIndexer(t, dir)

	sum, err := ix.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != 2 || sum.Skipped != 0 {
		t.Fatalf("first sync: %s", sum)
	}

	t.Run("unchanged", func(t *testing.T) {
		sum, err := ix.Sync(ctx)
		if err != nil || sum.Unchanged != 2 || sum.Changed() {
			t.Fatalf("%s %v", sum, err)
		}
	})
	t.Run("touched but same bytes", func(t *testing.T) {
		bump(t, filepath.Join(dir, "a.md"), time.Second)
		sum, err := ix.Sync(ctx)
		if err != nil || sum.Unchanged != 2 || sum.Updated != 0 {
			t.Fatalf("%s %v", sum, err)
		}
	})
	t.Run("modify", func(t *testing.T) {
		write(t, filepath.Join(dir, "a.md"), "---\ntitle: Alpha\ndate: 2020-01-02\n---\n\nThe narwhal accord was signed in Bergen.\n")
		bump(t, filepath.Join(dir, "a.md"), 2*time.Second)
		sum, err := ix.Sync(ctx)
		if err != nil || sum.Updated != 1 {
			t.Fatalf("%s %v", sum, err)
		}
		if len(search(t, s, "walrus")) != 0 {
			t.Error("old text still found")
		}
		if h := search(t, s, "narwhal"); len(h) != 1 || h[0].DocID != "kb/a.md" {
			t.Errorf("new text not found: %+v", h)
		}
	})
	t.Run("add", func(t *testing.T) {
		write(t, filepath.Join(dir, "sub", "c.md"), "# Gamma\n\nAn okapi reserve opened in Congo.\n")
		sum, err := ix.Sync(ctx)
		if err != nil || sum.Added != 1 {
			t.Fatalf("%s %v", sum, err)
		}
		if h := search(t, s, "okapi"); len(h) != 1 || h[0].Path != "sub/c.md" || h[0].Title != "Gamma" {
			t.Errorf("added file: %+v", h)
		}
	})
	t.Run("rename", func(t *testing.T) {
		if err := os.Rename(filepath.Join(dir, "b.txt"), filepath.Join(dir, "b2.txt")); err != nil {
			t.Fatal(err)
		}
		sum, err := ix.Sync(ctx)
		if err != nil || sum.Added != 1 || sum.Removed != 1 {
			t.Fatalf("%s %v", sum, err)
		}
		h := search(t, s, "pelican")
		if len(h) != 1 || h[0].DocID != "kb/b2.txt" {
			t.Errorf("renamed file: %+v", h)
		}
	})
	t.Run("delete", func(t *testing.T) {
		if err := os.Remove(filepath.Join(dir, "b2.txt")); err != nil {
			t.Fatal(err)
		}
		sum, err := ix.Sync(ctx)
		if err != nil || sum.Removed != 1 {
			t.Fatalf("%s %v", sum, err)
		}
		if len(search(t, s, "pelican")) != 0 {
			t.Error("deleted file still found")
		}
	})
	t.Run("file turns bad", func(t *testing.T) {
		write(t, filepath.Join(dir, "sub", "c.md"), "")
		bump(t, filepath.Join(dir, "sub", "c.md"), 3*time.Second)
		sum, err := ix.Sync(ctx)
		if err != nil || sum.Skipped != 1 || sum.Removed != 1 {
			t.Fatalf("%s %v", sum, err)
		}
		if len(sum.Skips) != 1 || sum.Skips[0].Path != "sub/c.md" || sum.Skips[0].Reason == "" {
			t.Errorf("skip not reported: %+v", sum.Skips)
		}
		if len(search(t, s, "okapi")) != 0 {
			t.Error("stale copy of a now-empty file still found")
		}
	})
}

// A sync interrupted part-way writes nothing; the next one completes.
func TestSyncInterruptedLeavesIndexIntact(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "keep.txt"), "Keep\n\nThe ibex census counted four hundred animals.\n")
	ix, s := newIndexer(t, dir)
	if _, err := ix.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		write(t, filepath.Join(dir, "new", strings.Repeat("x", i%5+1)+string(rune('a'+i%26))+".txt"),
			"New\n\nThe gazelle migration crossed the plain.\n")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Sync(ctx); err == nil {
		t.Fatal("cancelled sync reported success")
	}
	if len(search(t, s, "gazelle")) != 0 {
		t.Error("part of an interrupted sync is visible")
	}
	if len(search(t, s, "ibex")) != 1 {
		t.Error("earlier index lost")
	}
	sum, err := ix.Sync(context.Background())
	if err != nil || sum.Added == 0 {
		t.Fatalf("resumed sync: %s %v", sum, err)
	}
	if len(search(t, s, "gazelle")) == 0 {
		t.Error("resumed sync did not index the new files")
	}
}

func TestMissingSourceIsAnErrorAndRemovesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	kb := filepath.Join(dir, "kb")
	write(t, filepath.Join(kb, "a.txt"), "A\n\nThe condor nest was found.\n")
	ix, s := newIndexer(t, kb)
	if _, err := ix.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(kb, kb+".moved"); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Sync(context.Background()); err == nil {
		t.Error("sync of a missing folder succeeded")
	}
	if len(search(t, s, "condor")) != 1 {
		t.Error("documents removed because a folder was unreadable")
	}
}

// User text is never query syntax: every hostile input returns results or
// none, never an error.
func TestHostileQueries(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "cuba.md"), "---\ntitle: Migration talks in Havana\ndate: 2010-02\n---\n\n"+
		"A United States delegation met Cuban officials in Havana to discuss migration. "+
		"They also discussed the detention of a USAID contractor.\n")
	ix, s := newIndexer(t, dir)
	if _, err := ix.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("migration Havana ", 600) // over 10,000 characters
	queries := []string{
		`"migration`, `"unbalanced "quotes"" Havana`, `NEAR(migration havana)`, `NEAR(`, `migr*`, `*`,
		`-migration`, `- -`, `title:Havana`, `:`, `^migration`, `^`, `migration AND`, `AND OR NOT`,
		`(migration`, `)`, `((()))`, `'; DROP TABLE passages; --`, `1=1 OR '1'='1'`,
		`🇨🇺 🇺🇸 migration 🤝`, `🇨🇺`, "", "   ", "\x00\x01", `{}[]<>|\\/`, `migration\u200b`,
		`%_%`, `$1`, long,
	}
	for _, q := range queries {
		res, err := s.Search(context.Background(), q, retrieval.SearchOptions{})
		if err != nil {
			t.Errorf("query %.40q: error %v", q, err)
			continue
		}
		if strings.Contains(strings.ToLower(q), "migration") && len(res.Hits) == 0 {
			t.Errorf("query %.40q found nothing", q)
		}
	}
}

func TestStopwordsDoNotDrownContent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.txt"), "Filler\n\nWhat is it that they did with the one that was there and then what?\n")
	write(t, filepath.Join(dir, "b.txt"), "Talks\n\nThe delegations discussed consular staffing in Havana.\n")
	ix, s := newIndexer(t, dir)
	if _, err := ix.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	hits := search(t, s, "What was it that they did about consular staffing in Havana and what was there?")
	if len(hits) == 0 || hits[0].DocID != "kb/b.txt" {
		t.Fatalf("stopwords won: %+v", hits)
	}
	for _, h := range hits {
		if h.DocID == "kb/a.txt" {
			t.Error("a passage of only stopwords matched")
		}
	}
}

func TestMaxPerDocAndCoverage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var long strings.Builder
	long.WriteString("Many\n\n")
	// Distinct paragraphs (not near-duplicates) that all match the query.
	for i := range 8 {
		fmt.Fprintf(&long, "The sugar quota for Cuba was raised again this year, officials said. ")
		for j := range 30 {
			fmt.Fprintf(&long, "topic%dword%d ", i, j)
		}
		long.WriteString(".\n\n")
	}
	write(t, filepath.Join(dir, "many.txt"), long.String())
	write(t, filepath.Join(dir, "one.txt"), "One\n\nA sugar quota dispute also arose with Cuba last spring.\n")
	st := openStore(t)
	ix := &retrieval.Indexer{Store: st, Sources: []retrieval.Source{{Name: "kb", Path: dir}}}
	ix.Chunk.TargetWords = 50
	if _, err := ix.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := &retrieval.Searcher{Store: st, K: 5, MaxPerDoc: 2}
	hits := search(t, s, "sugar quota Cuba")
	per := map[string]int{}
	for i, h := range hits {
		per[h.DocID]++
		if h.Rank != i+1 {
			t.Errorf("rank %d at position %d", h.Rank, i)
		}
		if h.Coverage != 1 {
			t.Errorf("coverage %.2f for a passage with every word", h.Coverage)
		}
	}
	if per["kb/many.txt"] != 2 || per["kb/one.txt"] != 1 {
		t.Errorf("per-document limit not applied: %v", per)
	}
}

// Changing the chunking settings re-cuts every file, though no file changed.
func TestChunkSettingsChangeReindexes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var body strings.Builder
	body.WriteString("Long\n\n")
	for i := range 60 {
		fmt.Fprintf(&body, "Sentence number %d about the fisheries accord and its quotas. ", i)
	}
	write(t, filepath.Join(dir, "long.txt"), body.String())
	st := openStore(t)
	ix := &retrieval.Indexer{Store: st, Sources: []retrieval.Source{{Name: "kb", Path: dir}}}
	ix.Chunk.TargetWords = 300
	if _, err := ix.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	before, _ := st.Passages(context.Background(), "kb/long.txt")
	ix.Chunk.TargetWords = 60
	sum, err := ix.Sync(context.Background())
	if err != nil || sum.Updated != 1 {
		t.Fatalf("after a chunking change: %s %v", sum, err)
	}
	after, _ := st.Passages(context.Background(), "kb/long.txt")
	if len(after) <= len(before) {
		t.Errorf("passages %d → %d: not re-cut", len(before), len(after))
	}
	if sum, _ := ix.Sync(context.Background()); sum.Unchanged != 1 || sum.Changed() {
		t.Errorf("third run: %s", sum)
	}
}

// A chunking change re-cuts every file in one rebuild: files removed or
// broken meanwhile are gone afterwards, the others all searchable.
func TestChunkSettingsChangeRebuildsWithOtherChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.md"), md("Fisheries", "2023-09-10", "Canada and the United States signed a fisheries accord on salmon quotas."))
	write(t, filepath.Join(dir, "b.md"), md("Embassy", "2024-05-01", "The embassy in Havana resumed visa processing."))
	write(t, filepath.Join(dir, "c.md"), md("Minerals", "2023-03-24", "A joint plan on critical minerals was announced."))
	st := openStore(t)
	ix := &retrieval.Indexer{Store: st, Sources: []retrieval.Source{{Name: "kb", Path: dir}}}
	ix.Chunk.TargetWords = 300
	if _, err := ix.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "b.md")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "c.md"), "---\ntitle: [broken\n---\n")
	ix.Chunk.TargetWords = 120
	sum, err := ix.Sync(ctx)
	if err != nil || sum.Updated != 1 || sum.Removed != 2 || sum.Skipped != 1 {
		t.Fatalf("rebuild: %s %v; want 1 updated, 2 removed, 1 skipped", sum, err)
	}
	states, err := st.States(ctx)
	if err != nil || len(states) != 1 || states["kb/a.md"].ID == "" {
		t.Fatalf("states after the rebuild: %v %v; want kb/a.md only", states, err)
	}
	s := &retrieval.Searcher{Store: st}
	res, err := s.Search(ctx, "fisheries accord salmon", retrieval.SearchOptions{})
	if err != nil || len(res.Hits) == 0 || res.Hits[0].DocID != "kb/a.md" {
		t.Errorf("search after the rebuild: %v %v", res.Hits, err)
	}
	if sum, _ := ix.Sync(ctx); sum.Unchanged != 1 || sum.Changed() {
		t.Errorf("next run: %s", sum)
	}
}

// searchFolder indexes articles (file name → Markdown with front matter)
// and returns the paths of the hits for question.
func searchFolder(t *testing.T, articles map[string]string, question string) []string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range articles {
		write(t, filepath.Join(dir, name), content)
	}
	ix, s := newIndexer(t, dir)
	if _, err := ix.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, h := range search(t, s, question) {
		paths = append(paths, h.Path)
	}
	return paths
}

// TestDescribedMonthSearched: a question that names one time and describes
// its article by another ("in 2020, according to the May 2021 fact sheet")
// finds the article of the other time, though many of the time named match
// its words.
func TestDescribedMonthSearched(t *testing.T) {
	articles := map[string]string{"mitigation.md": "---\ntitle: Fact sheet on disaster mitigation funding\ndate: 2021-05-24\n---\n\n" +
		"The administration will direct $1 billion to pre-disaster mitigation. In 2020 the country saw a record 30 named storms in the Atlantic basin.\n"}
	for i := range 8 {
		articles[fmt.Sprintf("storm%d.md", i)] = fmt.Sprintf(
			"---\ntitle: Atlantic hurricane update %d\ndate: 2020-%02d-10\n---\n\nThe storm season in the Atlantic brought named storms and hurricanes to the coast, number %d.\n", i, i+3, i)
	}
	paths := searchFolder(t, articles, "How many named storms formed in the Atlantic in 2020, according to the May 2021 fact sheet on the $1 billion for pre-disaster mitigation?")
	if !slices.Contains(paths, "mitigation.md") {
		t.Errorf("the May 2021 fact sheet is not among the hits %v", paths)
	}
}

// TestDayArticlesAreCandidates: a question naming a day finds an article of
// that day that writes none of its words but the day's.
func TestDayArticlesAreCandidates(t *testing.T) {
	articles := map[string]string{
		"call.md": "---\ntitle: Readout of a call with the heads of government of Finland and Sweden\ndate: 2022-05-13\n---\n\n" +
			"The President held a call with President Niinistö of Finland and Prime Minister Andersson of Sweden about their applications to join the alliance.\n",
		"other.md": "---\ntitle: Statement on the economy\ndate: 2022-05-13\n---\n\nThe economy added jobs in April.\n",
	}
	for i := range 8 {
		articles[fmt.Sprintf("nordic%d.md", i)] = fmt.Sprintf(
			"---\ntitle: Nordic leaders summit %d\ndate: 2023-07-%02d\n---\n\nThe Nordic leaders met President Biden to discuss security cooperation, session %d.\n", i, i+10, i)
	}
	paths := searchFolder(t, articles, "Which two Nordic leaders did Biden speak with on May 13, 2022 about their security cooperation?")
	if !slices.Contains(paths, "call.md") {
		t.Errorf("the call of May 13, 2022 is not among the hits %v", paths)
	}
}
