package retrieval_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"attache/retrieval"
)

// BenchmarkSyncUnchanged measures the check that runs before every one-off
// command when no file changed: a full check (every file's size and time)
// against one that trusts folder times. The folder is synthetic (40 folders
// of 50 files); with ATTACHE_LARGE_CORPUS set that folder is indexed (into
// a temporary index) and measured instead.
func BenchmarkSyncUnchanged(b *testing.B) {
	ctx := context.Background()
	dir := os.Getenv("ATTACHE_LARGE_CORPUS")
	if dir == "" {
		dir = b.TempDir()
		for d := range 40 {
			for f := range 50 {
				writeF(b, filepath.Join(dir, fmt.Sprintf("%02d", d), fmt.Sprintf("%02d.md", f)),
					md(fmt.Sprintf("Note %d-%d", d, f), "2023-09-10", fmt.Sprintf("Report %d of folder %d on the fisheries accord.", f, d)))
			}
		}
		age(b, dir)
		for d := range 40 {
			age(b, filepath.Join(dir, fmt.Sprintf("%02d", d)))
		}
	}
	st := openStoreAt(b, filepath.Join(b.TempDir(), "index.db"))
	catalog := filepath.Join(b.TempDir(), ".index.files")
	src := []retrieval.Source{{Name: filepath.Base(dir), Path: dir}}
	if _, err := (&retrieval.Indexer{Store: st, Sources: src, CatalogPath: catalog}).Sync(ctx); err != nil {
		b.Fatal(err)
	}
	for _, quick := range []bool{false, true} {
		name := "full"
		if quick {
			name = "folder-times"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				// A new indexer each time, as each command is a new process.
				ix := &retrieval.Indexer{Store: st, Sources: src, CatalogPath: catalog, TrustFolderTimes: quick}
				sum, err := ix.Sync(ctx)
				if err != nil || sum.Changed() {
					b.Fatalf("%s %v", sum, err)
				}
			}
		})
	}
}
