package retrieval_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"attache/retrieval"
)

// logBuffer collects an indexer's log lines.
type logBuffer struct{ bytes.Buffer }

func (b *logBuffer) logger() *slog.Logger { return slog.New(slog.NewTextHandler(b, nil)) }

// take returns the lines logged since the last call that contain s.
func (b *logBuffer) take(s string) []string {
	var out []string
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	b.Reset()
	return out
}

func syncOK(t *testing.T, ix *retrieval.Indexer) retrieval.Summary {
	t.Helper()
	sum, err := ix.Sync(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func skipReason(sum retrieval.Summary, path string) string {
	for _, s := range sum.Skips {
		if s.Path == path {
			return s.Reason
		}
	}
	return ""
}

// Nothing outside a source folder is indexed unless the source says so:
// a link that leaves it, a named pipe, a link loop are skipped and logged.
func TestFilesOutsideTheFolderAreNotIndexed(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	dir, outside := filepath.Join(base, "kb"), filepath.Join(base, "private")
	write(t, filepath.Join(dir, "a.md"), md("Fisheries", "2023-09-10", "Canada and the United States signed a fisheries accord."))
	write(t, filepath.Join(outside, "secret.md"), md("Secret", "2023-09-10", "The quartermaster keeps the zeppelin ledger."))
	if err := os.Symlink(filepath.Join(outside, "secret.md"), filepath.Join(dir, "passwd.md")); err != nil {
		t.Skipf("symbolic links unsupported: %v", err)
	}
	if err := os.Symlink("loop.md", filepath.Join(dir, "loop.md")); err != nil {
		t.Fatal(err)
	}
	if err := mkfifo(filepath.Join(dir, "pipe.md")); err != nil {
		t.Skipf("named pipes unsupported: %v", err)
	}
	var logs logBuffer
	ix, s := newIndexer(t, dir)
	ix.Logger = logs.logger()

	// Each file is judged, and logged, when first seen.
	wantLogged := func(sum retrieval.Summary, want map[string]string) {
		t.Helper()
		lines := logs.take("skipped file")
		for file, reason := range want {
			if got := skipReason(sum, file); !strings.Contains(got, reason) {
				t.Errorf("%s: reason %q, want one saying %q", file, got, reason)
			}
			n := 0
			for _, l := range lines {
				if strings.Contains(l, "file="+file) && strings.Contains(l, reason) {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%s: logged %d times in %q, want once saying %q", file, n, lines, reason)
			}
		}
		if len(lines) != len(want) {
			t.Errorf("logged %q, want %d lines", lines, len(want))
		}
	}
	src := ix.CurrentSources()
	src[0].FollowSymlinks = true
	ix.SetSources(src)
	sum := syncOK(t, ix)
	if sum.Added != 2 || len(search(t, s, "zeppelin quartermaster")) != 1 {
		t.Fatalf("with follow_symlinks the linked file is indexed: %s", sum)
	}
	wantLogged(sum, map[string]string{"loop.md": "symbolic link loop", "pipe.md": "named pipe"})

	src[0].FollowSymlinks = false
	ix.SetSources(src)
	sum = syncOK(t, ix)
	if sum.Removed != 1 || len(search(t, s, "zeppelin quartermaster")) != 0 {
		t.Errorf("a link leaving the folder stays indexed: %s", sum)
	}
	wantLogged(sum, map[string]string{"passwd.md": "leaves the source folder"})
	if sum.Skipped != 3 {
		t.Errorf("skipped %d, want the link, the loop and the pipe", sum.Skipped)
	}
	src[0].FollowSymlinks = true
	ix.SetSources(src)
	if sum := syncOK(t, ix); sum.Added != 1 {
		t.Errorf("following links again: %s; want the linked file back", sum)
	}
	if len(search(t, s, "fisheries accord")) != 1 {
		t.Error("the ordinary file is lost")
	}
}

// A file that cannot be indexed is logged once, and again only when it
// changes: not by every run, nor by a new process.
func TestUnindexableFilesLoggedOncePerChange(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.md"), md("Fisheries", "2023-09-10", "Canada and the United States signed a fisheries accord."))
	write(t, filepath.Join(dir, "empty.md"), "")
	write(t, filepath.Join(dir, "front.md"), "---\n- a list\n- not a mapping\n---\n\nThe walrus treaty.\n")
	catalog := filepath.Join(t.TempDir(), ".index.files")
	st := openStore(t)
	var logs logBuffer
	newIx := func() *retrieval.Indexer {
		return &retrieval.Indexer{Store: st, Sources: []retrieval.Source{{Name: "kb", Path: dir}},
			Logger: logs.logger(), CatalogPath: catalog}
	}
	ix := newIx()
	sum := syncOK(t, ix)
	if sum.Added != 1 || sum.Skipped != 2 || !strings.Contains(skipReason(sum, "front.md"), "front matter") {
		t.Fatalf("first run: %s %+v; want broken front matter skipped with its reason", sum, sum.Skips)
	}
	if got := logs.take("skipped file"); len(got) != 2 {
		t.Fatalf("first run logged %q, want both files", got)
	}

	tests := []struct {
		name   string
		ix     func() *retrieval.Indexer
		change func()
		logged []string
	}{
		{name: "same indexer", ix: func() *retrieval.Indexer { return ix }},
		{name: "new process", ix: newIx},
		{name: "new process trusting folder times", ix: func() *retrieval.Indexer {
			n := newIx()
			n.TrustFolderTimes = true
			return n
		}},
		{name: "file changed", ix: newIx, change: func() {
			write(t, filepath.Join(dir, "empty.md"), "  \n")
			bump(t, filepath.Join(dir, "empty.md"), time.Second)
		}, logged: []string{"empty.md"}},
	}
	for _, tc := range tests {
		if tc.change != nil {
			tc.change()
		}
		sum := syncOK(t, tc.ix())
		if sum.Skipped != 2 || sum.Unchanged != 1 || sum.Changed() {
			t.Errorf("%s: %s", tc.name, sum)
		}
		got := logs.take("skipped file")
		if len(got) != len(tc.logged) {
			t.Errorf("%s: logged %q, want %q", tc.name, got, tc.logged)
		}
		for i := range min(len(got), len(tc.logged)) {
			if !strings.Contains(got[i], tc.logged[i]) {
				t.Errorf("%s: logged %q, want %q", tc.name, got[i], tc.logged[i])
			}
		}
	}
}

// Lowering the size limit drops files already indexed that exceed it;
// raising it again brings them back.
func TestSizeLimitAppliesToIndexedFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "big.md"), md("Big", "2023-09-10", "The walrus treaty. "+strings.Repeat("More words about it. ", 100)))
	write(t, filepath.Join(dir, "small.md"), md("Small", "2023-09-10", "The pelican survey."))
	ix, s := newIndexer(t, dir)
	if sum := syncOK(t, ix); sum.Added != 2 {
		t.Fatalf("first run: %s", sum)
	}
	ix.MaxFileBytes = 1000
	sum := syncOK(t, ix)
	if sum.Removed != 1 || sum.Skipped != 1 || !strings.Contains(skipReason(sum, "big.md"), "too large") {
		t.Errorf("after lowering the limit: %s %+v", sum, sum.Skips)
	}
	if len(search(t, s, "walrus treaty")) != 0 || len(search(t, s, "pelican survey")) != 1 {
		t.Error("the file over the limit is still searchable, or the other is lost")
	}
	ix.MaxFileBytes = 0
	if sum := syncOK(t, ix); sum.Added != 1 || len(search(t, s, "walrus treaty")) != 1 {
		t.Errorf("after raising it again: %s", sum)
	}
}

// A file name that is not valid UTF-8 gives a printable document ID that
// finds the document again; names differing only in such bytes stay apart.
func TestFileNamesThatAreNotUTF8(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	names := map[string]string{
		"caf\xe9.md":    "The walrus treaty was signed in Oslo.",
		"caf\xe8.md":    "The pelican survey covered Peru.",
		"50%-rise.md":   "The okapi reserve grew by half.",
		"caf%E9.md":     "The narwhal accord was signed in Bergen.",
		"d\xff/nota.md": "The lemur census counted many.",
	}
	for name, body := range names {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte("# Note\n\n"+body+"\n"), 0o644); err != nil {
			t.Skipf("file system refuses the name %q: %v", name, err)
		}
	}
	ix, s := newIndexer(t, dir)
	if sum := syncOK(t, ix); sum.Added != len(names) {
		t.Fatalf("indexed %s, want %d added", sum, len(names))
	}
	ids := map[string]string{}
	for name, body := range names {
		hits := search(t, s, body)
		if len(hits) == 0 {
			t.Errorf("%q: not found", name)
			continue
		}
		h := hits[0]
		if !utf8.ValidString(h.DocID) || !utf8.ValidString(h.Path) || h.DocID != "kb/"+h.Path {
			t.Errorf("%q: ID %q, path %q: not printable", name, h.DocID, h.Path)
		}
		if other, dup := ids[h.DocID]; dup {
			t.Errorf("%q and %q share the ID %q", name, other, h.DocID)
		}
		ids[h.DocID] = name
		doc, err := s.Store.Document(context.Background(), h.DocID)
		if err != nil || !strings.Contains(doc.Text, body) {
			t.Errorf("%q: lookup by its printed ID %q: %v", name, h.DocID, err)
		}
	}
	if sum := syncOK(t, ix); sum.Unchanged != len(names) || sum.Changed() {
		t.Errorf("second run: %s", sum)
	}
}

// age sets the modification times of folders to one moment in the past,
// as folders untouched for a while are.
func age(t testing.TB, dirs ...string) {
	t.Helper()
	old := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, d := range dirs {
		if err := os.Chtimes(d, old, old); err != nil {
			t.Fatal(err)
		}
	}
}

// With TrustFolderTimes a run reads only the folders whose time changed:
// files added, removed or renamed are seen; a file rewritten in place is
// seen by the next full check. An index replaced meanwhile is checked in full.
func TestTrustFolderTimes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	write(t, filepath.Join(dir, "a.md"), md("Fisheries", "2023-09-10", "Canada and the United States signed a fisheries accord."))
	write(t, filepath.Join(sub, "b.md"), md("Embassy", "2024-05-01", "The embassy in Havana resumed visa processing."))
	write(t, filepath.Join(sub, "empty.md"), "")
	age(t, dir, sub)
	catalog := filepath.Join(t.TempDir(), ".index.files")
	st := openStore(t)
	s := &retrieval.Searcher{Store: st}
	newIx := func(store retrieval.Store, quick bool) *retrieval.Indexer {
		return &retrieval.Indexer{Store: store, Sources: []retrieval.Source{{Name: "kb", Path: dir}},
			CatalogPath: catalog, TrustFolderTimes: quick}
	}
	if sum := syncOK(t, newIx(st, false)); sum.Added != 2 || sum.Skipped != 1 {
		t.Fatalf("first run: %s", sum)
	}

	steps := []struct {
		name   string
		change func()
		quick  bool
		want   string // the summary
		find   string // a query the index must now answer ("" = none)
	}{
		{name: "nothing changed", quick: true, want: "added 0, updated 0, unchanged 2, removed 0, skipped 1"},
		{name: "edited in place: not seen by folder times", quick: true, change: func() {
			write(t, filepath.Join(sub, "b.md"), md("Embassy", "2024-05-01", "The embassy in Havana resumed walrus processing."))
			bump(t, filepath.Join(sub, "b.md"), time.Second)
			age(t, sub)
		}, want: "added 0, updated 0, unchanged 2, removed 0, skipped 1"},
		{name: "edited in place: seen by a full check", want: "added 0, updated 1, unchanged 1, removed 0, skipped 1", find: "walrus"},
		{name: "added in a subfolder", quick: true, change: func() {
			write(t, filepath.Join(sub, "c.md"), md("Minerals", "2023-03-24", "A joint plan on critical minerals."))
		}, want: "added 1, updated 0, unchanged 2, removed 0, skipped 1", find: "minerals"},
		{name: "removed from the top", quick: true, change: func() {
			if err := os.Remove(filepath.Join(dir, "a.md")); err != nil {
				t.Fatal(err)
			}
		}, want: "added 0, updated 0, unchanged 2, removed 1, skipped 1"},
		{name: "folder removed", quick: true, change: func() {
			if err := os.RemoveAll(sub); err != nil {
				t.Fatal(err)
			}
		}, want: "added 0, updated 0, unchanged 0, removed 2, skipped 0"},
	}
	for _, step := range steps {
		if step.change != nil {
			step.change()
		}
		sum := syncOK(t, newIx(st, step.quick))
		if sum.String() != step.want {
			t.Errorf("%s: %s, want %s", step.name, sum, step.want)
		}
		if step.find != "" && len(search(t, s, step.find)) == 0 {
			t.Errorf("%s: %q not found", step.name, step.find)
		}
	}

	// Another index with the same catalog is not trusted to be current.
	write(t, filepath.Join(dir, "d.md"), md("Salmon", "2023-09-10", "Salmon quotas were agreed."))
	age(t, dir)
	syncOK(t, newIx(st, false))
	if sum := syncOK(t, newIx(openStore(t), true)); sum.Added != 1 {
		t.Errorf("a new index trusted the folder times of another: %s", sum)
	}

	// A damaged catalog is ignored: every file is checked.
	write(t, filepath.Join(dir, "d.md"), md("Salmon", "2023-09-10", "Salmon quotas were agreed with Norway."))
	bump(t, filepath.Join(dir, "d.md"), time.Second)
	age(t, dir)
	if err := os.WriteFile(catalog, []byte("not a catalog"), 0o600); err != nil {
		t.Fatal(err)
	}
	if sum := syncOK(t, newIx(st, true)); sum.Updated != 1 {
		t.Errorf("with a damaged catalog: %s, want the file edited in place updated", sum)
	}
}
