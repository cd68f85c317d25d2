package retrieval_test

import (
	"context"
	"path/filepath"
	"testing"

	"attache/retrieval"
)

// FuzzSearch checks that no question, however hostile, reaches the store as
// query syntax: every input gives results or none, never an error.
func FuzzSearch(f *testing.F) {
	dir := f.TempDir()
	kb := filepath.Join(dir, "kb")
	writeF(f, filepath.Join(kb, "a.md"), "---\ntitle: Migration talks\ndate: 2010-02\n---\n\nCuban and US officials met in Havana to discuss migration accords.\n")
	writeF(f, filepath.Join(kb, "b.txt"), "Embargo\n\nThe embargo on Cuba was tightened by the Treasury (OFAC) in 2019.\n")
	st := openStoreAt(f, filepath.Join(dir, "index.db"))
	ix := &retrieval.Indexer{Store: st, Sources: []retrieval.Source{{Name: "kb", Path: kb}}}
	if _, err := ix.Sync(context.Background()); err != nil {
		f.Fatal(err)
	}
	s := &retrieval.Searcher{Store: st}
	for _, seed := range []string{
		"migration Havana", `"`, `NEAR(a b)`, `a*`, `-x`, `col:val`, `^x`, `a AND OR NOT b`, `((`,
		`'; DROP TABLE passages; --`, "🇨🇺🇺🇸", "\xff\xfe", "embargo\x00OFAC",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, q string) {
		res, err := s.Search(context.Background(), q, retrieval.SearchOptions{K: 3})
		if err != nil {
			t.Fatalf("query %q: %v", q, err)
		}
		if len(res.Hits) > 3 {
			t.Fatalf("query %q: %d hits for k=3", q, len(res.Hits))
		}
	})
}
