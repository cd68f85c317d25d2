package retrieval_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"attache/retrieval"
)

// Skipped reads back, from the catalog, the files the last run could not
// index, with their reasons.
func TestSkippedReadsTheCatalog(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.md"), md("Fisheries", "2023-09-10", "Canada and the United States signed a fisheries accord."))
	write(t, filepath.Join(dir, "empty.md"), "")
	write(t, filepath.Join(dir, "front.md"), "---\n- a list\n- not a mapping\n---\n\nThe walrus treaty.\n")
	catalog := filepath.Join(t.TempDir(), ".index.files")

	if got, err := retrieval.Skipped(catalog); err != nil || len(got) != 0 {
		t.Fatalf("before any run: %+v, %v; want none and no error", got, err)
	}
	syncOK(t, &retrieval.Indexer{Store: openStore(t), Sources: []retrieval.Source{{Name: "kb", Path: dir}}, CatalogPath: catalog})
	got, err := retrieval.Skipped(catalog)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Path != "empty.md" || got[1].Path != "front.md" || got[0].Source != "kb" {
		t.Fatalf("skipped = %+v, want empty.md and front.md of kb", got)
	}
	if !strings.Contains(got[1].Reason, "front matter") || got[0].Reason == "" || got[1].ModTime.IsZero() {
		t.Errorf("skipped = %+v, want reasons and modification times", got)
	}

	if err := os.WriteFile(catalog, []byte("not a catalog"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := retrieval.Skipped(catalog); err == nil {
		t.Error("a damaged catalog gave no error")
	}
}
