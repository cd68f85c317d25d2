package retrieval_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"attache/retrieval"
	"attache/retrieval/sqlite"
)

// watchTimeout bounds every wait on the watcher; it is generous because
// file events and syncs are slow on a loaded machine, and a passing test
// never waits for it.
const watchTimeout = 15 * time.Second

// syncRecorder collects what the watcher reports through OnSync.
type syncRecorder struct {
	mu     sync.Mutex
	sums   []retrieval.Summary
	errs   []error
	signal chan struct{}
}

func newSyncRecorder() *syncRecorder { return &syncRecorder{signal: make(chan struct{}, 1)} }

func (r *syncRecorder) record(s retrieval.Summary, err error) {
	r.mu.Lock()
	r.sums = append(r.sums, s)
	r.errs = append(r.errs, err)
	r.mu.Unlock()
	select {
	case r.signal <- struct{}{}:
	default:
	}
}

func (r *syncRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sums)
}

// since returns the summaries and errors of syncs numbered from on.
func (r *syncRecorder) since(from int) ([]retrieval.Summary, []error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if from > len(r.sums) {
		return nil, nil
	}
	return append([]retrieval.Summary(nil), r.sums[from:]...), append([]error(nil), r.errs[from:]...)
}

// wait waits until the syncs numbered from on satisfy ok, and returns the
// number of syncs seen by then.
func (r *syncRecorder) wait(t *testing.T, from int, what string, ok func([]retrieval.Summary, []error) bool) int {
	t.Helper()
	deadline := time.NewTimer(watchTimeout)
	defer deadline.Stop()
	for {
		sums, errs := r.since(from)
		if ok(sums, errs) {
			return from + len(sums)
		}
		select {
		case <-r.signal:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s; syncs since #%d: %+v, errors %v", what, from, sums, errs)
		}
	}
}

// quiet waits until no sync has come for the period d, and returns the
// number of syncs seen by then (at least n).
func (r *syncRecorder) quiet(t *testing.T, n int, d time.Duration) int {
	t.Helper()
	deadline := time.After(watchTimeout)
	for {
		select {
		case <-r.signal:
			n = r.count()
		case <-time.After(d):
			return max(n, r.count())
		case <-deadline:
			t.Fatalf("syncs did not stop within %v", watchTimeout)
		}
	}
}

// noSync fails the test if a sync after the first n comes within d.
func (r *syncRecorder) noSync(t *testing.T, n int, d time.Duration, cause string) {
	t.Helper()
	end := time.After(d)
	for {
		select {
		case <-r.signal:
			if r.count() > n {
				sums, errs := r.since(n)
				t.Fatalf("%s caused syncs: %+v, %v", cause, sums, errs)
			}
		case <-end:
			return
		}
	}
}

// added sums the documents added by syncs.
func added(sums []retrieval.Summary) int {
	n := 0
	for _, s := range sums {
		n += s.Added
	}
	return n
}

type watchFixture struct {
	store    retrieval.Store
	searcher *retrieval.Searcher
	watcher  *retrieval.Watcher
	rec      *syncRecorder
	cancel   context.CancelFunc
	done     chan error
}

// startWatcher opens a store at dbPath (a temporary one when empty), starts
// a watcher on sources and waits for its first sync.
func startWatcher(t *testing.T, dbPath string, debounce time.Duration, sources ...retrieval.Source) *watchFixture {
	t.Helper()
	if dbPath == "" {
		dbPath = filepath.Join(t.TempDir(), "index.db")
	}
	st, err := sqlite.Open(context.Background(), dbPath, sqlite.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &watchFixture{
		store:    st,
		searcher: &retrieval.Searcher{Store: st, K: 5},
		rec:      newSyncRecorder(),
		done:     make(chan error, 1),
	}
	f.watcher = &retrieval.Watcher{
		Indexer:   &retrieval.Indexer{Store: st, Sources: sources},
		Debounce:  debounce,
		OnSync:    f.rec.record,
		IndexPath: dbPath,
	}
	ctx, cancel := context.WithCancel(context.Background())
	f.cancel = cancel
	go func() { f.done <- f.watcher.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-f.done:
		case <-time.After(watchTimeout):
			t.Error("watcher did not stop")
		}
	})
	f.rec.wait(t, 0, "the first sync", func(s []retrieval.Summary, errs []error) bool {
		if len(errs) > 0 && errs[0] != nil {
			t.Fatalf("first sync: %v", errs[0])
		}
		return len(s) > 0
	})
	return f
}

// found reports whether a search for q has hits.
func (f *watchFixture) found(t *testing.T, q string) bool {
	t.Helper()
	res, err := f.searcher.Search(context.Background(), q, retrieval.SearchOptions{})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return len(res.Hits) > 0
}

// waitFound polls the search for q until it has hits (want) or none.
func (f *watchFixture) waitFound(t *testing.T, q string, want bool) {
	t.Helper()
	deadline := time.Now().Add(watchTimeout)
	for f.found(t, q) != want {
		if time.Now().After(deadline) {
			t.Fatalf("search %q: found = %v after %v, want %v", q, !want, watchTimeout, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func writeArticle(t *testing.T, path, title, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	content := fmt.Sprintf("---\ntitle: %s\ndate: 2024-05-01\n---\n\n%s\n", title, body)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWatcherIndexesNewFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f := startWatcher(t, "", 20*time.Millisecond, retrieval.Source{Name: "kb", Path: dir})
	if f.found(t, "walrus") {
		t.Fatal("walrus found before any file was written")
	}
	from := f.rec.count()
	writeArticle(t, filepath.Join(dir, "walrus.md"), "Walrus accord", "The walrus accord was signed in Oslo.")
	f.waitFound(t, "walrus", true)
	f.rec.wait(t, from, "a sync adding the file", func(s []retrieval.Summary, _ []error) bool { return added(s) == 1 })
}

func TestWatcherDebouncesBursts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const debounce = 100 * time.Millisecond
	f := startWatcher(t, "", debounce, retrieval.Source{Name: "kb", Path: dir})
	from := f.rec.count()
	const writes = 20
	for i := range writes {
		writeArticle(t, filepath.Join(dir, fmt.Sprintf("note-%02d.md", i)), fmt.Sprintf("Note %d", i), "Fisheries talks continued.")
	}
	seen := f.rec.wait(t, from, "all files indexed", func(s []retrieval.Summary, errs []error) bool {
		for _, err := range errs {
			if err != nil {
				t.Fatalf("sync: %v", err)
			}
		}
		return added(s) == writes
	})
	// Let any sync still to come happen before counting.
	seen = f.rec.quiet(t, seen, 3*debounce)
	if syncs := seen - from; syncs >= writes {
		t.Fatalf("%d writes caused %d syncs; want fewer syncs than writes", writes, syncs)
	} else {
		t.Logf("%d writes, %d syncs", writes, syncs)
	}
}

func TestWatcherPicksUpNewSubdirectories(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f := startWatcher(t, "", 20*time.Millisecond, retrieval.Source{Name: "kb", Path: dir})
	deep := filepath.Join(dir, "2024", "march")
	from := f.rec.count()
	writeArticle(t, filepath.Join(deep, "pelican.md"), "Pelican survey", "A pelican survey covered the coast of Peru.")
	f.waitFound(t, "pelican", true)
	f.rec.wait(t, from, "a sync adding the file", func(s []retrieval.Summary, _ []error) bool { return added(s) == 1 })

	// Only a watch on the new, nested folder can notice this one.
	writeArticle(t, filepath.Join(deep, "narwhal.md"), "Narwhal count", "The narwhal count rose in Greenland.")
	f.waitFound(t, "narwhal", true)
}

func TestWatcherDropsDeletedFilesAndFolders(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeArticle(t, filepath.Join(dir, "walrus.md"), "Walrus accord", "The walrus accord was signed in Oslo.")
	writeArticle(t, filepath.Join(dir, "old", "pelican.md"), "Pelican survey", "A pelican survey covered the coast of Peru.")
	f := startWatcher(t, "", 20*time.Millisecond, retrieval.Source{Name: "kb", Path: dir})
	if sums, _ := f.rec.since(0); added(sums) != 2 {
		t.Fatalf("first sync added %d documents, want 2", added(sums))
	}
	if !f.found(t, "walrus") || !f.found(t, "pelican") {
		t.Fatal("existing files not indexed by the first sync")
	}

	if err := os.Remove(filepath.Join(dir, "walrus.md")); err != nil {
		t.Fatal(err)
	}
	f.waitFound(t, "walrus", false)

	if err := os.RemoveAll(filepath.Join(dir, "old")); err != nil {
		t.Fatal(err)
	}
	f.waitFound(t, "pelican", false)

	// A folder created again under the same name is watched again.
	writeArticle(t, filepath.Join(dir, "old", "narwhal.md"), "Narwhal count", "The narwhal count rose in Greenland.")
	f.waitFound(t, "narwhal", true)
	writeArticle(t, filepath.Join(dir, "old", "otter.md"), "Otter census", "The otter census covered Alaska.")
	f.waitFound(t, "otter", true)
}

func TestWatcherSetSources(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const debounce = 20 * time.Millisecond
	a, b := t.TempDir(), t.TempDir()
	writeArticle(t, filepath.Join(a, "walrus.md"), "Walrus accord", "The walrus accord was signed in Oslo.")
	writeArticle(t, filepath.Join(b, "pelican.md"), "Pelican survey", "A pelican survey covered the coast of Peru.")
	f := startWatcher(t, "", debounce, retrieval.Source{Name: "a", Path: a})
	if !f.found(t, "walrus") || f.found(t, "pelican") {
		t.Fatal("first sync should index folder a only")
	}

	if err := f.watcher.SetSources(ctx, []retrieval.Source{{Name: "b", Path: b}}); err != nil {
		t.Fatal(err)
	}
	// SetSources syncs before returning.
	if f.found(t, "walrus") {
		t.Error("documents of the old folder still found after SetSources")
	}
	if !f.found(t, "pelican") {
		t.Error("documents of the new folder not found after SetSources")
	}
	if docs, err := f.store.Documents(ctx, retrieval.DocFilter{}); err != nil || len(docs) != 1 || docs[0].ID != "b/pelican.md" {
		t.Fatalf("documents after SetSources = %+v, %v; want only b/pelican.md", docs, err)
	}

	// The old folder is no longer watched.
	seen := f.rec.count()
	writeArticle(t, filepath.Join(a, "dolphin.md"), "Dolphin pact", "The dolphin pact was renewed.")
	f.rec.noSync(t, seen, 20*debounce, "a write in the old folder")

	// The new folder is watched.
	writeArticle(t, filepath.Join(b, "narwhal.md"), "Narwhal count", "The narwhal count rose in Greenland.")
	f.waitFound(t, "narwhal", true)

	// A missing folder is refused and changes nothing.
	err := f.watcher.SetSources(ctx, []retrieval.Source{{Name: "gone", Path: filepath.Join(b, "missing")}})
	if err == nil {
		t.Fatal("SetSources with a missing folder: no error")
	}
	writeArticle(t, filepath.Join(b, "otter.md"), "Otter census", "The otter census covered Alaska.")
	f.waitFound(t, "otter", true)
	if !f.found(t, "pelican") {
		t.Error("refused SetSources dropped the current documents")
	}
}

func TestWatcherIgnoresHiddenFilesAndIndex(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const debounce = 20 * time.Millisecond
	// The index lives inside the watched folder: writing it must not
	// trigger another sync.
	f := startWatcher(t, filepath.Join(dir, "index.db"), debounce, retrieval.Source{Name: "kb", Path: dir})
	from := f.rec.count()
	writeArticle(t, filepath.Join(dir, "walrus.md"), "Walrus accord", "The walrus accord was signed in Oslo.")
	seen := f.rec.wait(t, from, "a sync adding the file", func(s []retrieval.Summary, _ []error) bool { return added(s) == 1 })

	for i := range 5 {
		if err := os.WriteFile(filepath.Join(dir, ".walrus.md.swp"), []byte(fmt.Sprint(i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, ".git", "objects"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".git", "objects", "x.md"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}

	// Give an unwanted sync ample time (many debounce periods) to show up.
	f.rec.noSync(t, seen, 20*debounce, "ignored files or the index")
}

func TestWatcherRunStopsOnCancel(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "index.db"), sqlite.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rec := newSyncRecorder()
	w := &retrieval.Watcher{
		Indexer:  &retrieval.Indexer{Store: st, Sources: []retrieval.Source{{Name: "kb", Path: dir}}},
		Debounce: 10 * time.Millisecond,
		OnSync:   rec.record,
	}
	for run := range 2 { // a stopped watcher can run again
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		from := rec.count()
		go func() { done <- w.Run(ctx) }()
		rec.wait(t, from, "the first sync", func(s []retrieval.Summary, _ []error) bool { return len(s) > 0 })

		if err := w.Run(ctx); err == nil {
			t.Errorf("run %d: a second concurrent Run returned nil", run)
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("run %d: Run after cancel = %v, want nil", run, err)
			}
		case <-time.After(watchTimeout):
			t.Fatalf("run %d: Run did not return after cancel", run)
		}
	}
}

func TestWatcherMissingSourceFails(t *testing.T) {
	t.Parallel()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "index.db"), sqlite.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rec := newSyncRecorder()
	w := &retrieval.Watcher{
		Indexer: &retrieval.Indexer{Store: st, Sources: []retrieval.Source{{Name: "kb", Path: filepath.Join(t.TempDir(), "missing")}}},
		OnSync:  rec.record,
	}
	ctx, cancel := context.WithTimeout(context.Background(), watchTimeout)
	defer cancel()
	err = w.Run(ctx)
	if err == nil || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run with a missing folder = %v, want an error at once", err)
	}
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Run error %v does not say the folder is missing", err)
	}
	if n := rec.count(); n != 0 {
		t.Errorf("Run that could not start synced %d times", n)
	}
}
