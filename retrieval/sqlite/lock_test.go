package sqlite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"attache/retrieval"
	"attache/retrieval/storetest"
)

func findDocs(t *testing.T, s *Store, word string) []string {
	t.Helper()
	hits, err := s.Search(context.Background(), retrieval.Query{Terms: []retrieval.Term{{Text: word, Weight: 1}}, K: 10})
	if err != nil {
		t.Fatalf("search %q: %v", word, err)
	}
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.DocID)
	}
	return ids
}

// holdWriteLock starts a batch on s that writes doc and then waits until
// the returned release is called; it returns once the batch holds the write
// lock. release reports the batch's error.
func holdWriteLock(t *testing.T, s *Store, doc retrieval.IndexedDoc) (release func() error) {
	t.Helper()
	inside, hold, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- s.Apply(context.Background(), retrieval.Changes{Stream: func(ctx context.Context, put func(retrieval.Change) error) error {
			if err := put(retrieval.Change{Upsert: &doc}); err != nil {
				return err
			}
			close(inside)
			<-hold
			return nil
		}})
	}()
	select {
	case <-inside:
	case err := <-done:
		t.Fatalf("the holding batch ended early: %v", err)
	}
	return func() error { close(hold); return <-done }
}

func TestReadersAndOpenersDoNotWaitForAWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "attache.db")
	writer := openAt(t, path, Options{})
	if err := writer.Apply(context.Background(), retrieval.Changes{Upsert: []retrieval.IndexedDoc{sampleDoc("a/old.md", "committed walrus")}}); err != nil {
		t.Fatal(err)
	}
	release := holdWriteLock(t, writer, sampleDoc("a/new.md", "pending walrus"))

	// A second, independent open of the same file while the first writes.
	other := openAt(t, path, Options{})
	err := other.Apply(context.Background(), retrieval.Changes{Upsert: []retrieval.IndexedDoc{sampleDoc("a/third.md", "third walrus")}})
	if !errors.Is(err, retrieval.ErrBusy) {
		t.Fatalf("Apply during another write = %v, want ErrBusy", err)
	}
	if got := findDocs(t, other, "walrus"); strings.Join(got, ",") != "a/old.md" {
		t.Errorf("search during another write found %v, want the committed a/old.md only", got)
	}

	waiting := make(chan struct{})
	patient := openAt(t, path, Options{WaitForWriter: func() { close(waiting) }})
	done := make(chan error, 1)
	go func() {
		done <- patient.Apply(context.Background(), retrieval.Changes{Upsert: []retrieval.IndexedDoc{sampleDoc("a/third.md", "third walrus")}})
	}()
	select {
	case <-waiting:
	case err := <-done:
		t.Fatalf("a waiting Apply ended before the first writer did: %v", err)
	}
	if err := release(); err != nil {
		t.Fatalf("holding batch: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("waiting Apply: %v", err)
	}
	got := findDocs(t, other, "walrus")
	if len(got) != 3 {
		t.Errorf("after both writers found %v, want all three documents", got)
	}
}

func TestWaitingApplyStopsWhenCancelled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "attache.db")
	writer := openAt(t, path, Options{})
	release := holdWriteLock(t, writer, sampleDoc("a/new.md", "pending walrus"))
	ctx, cancel := context.WithCancel(context.Background())
	patient := openAt(t, path, Options{WaitForWriter: cancel})
	err := patient.Apply(ctx, retrieval.Changes{Upsert: []retrieval.IndexedDoc{sampleDoc("a/x.md", "x walrus")}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait = %v, want context.Canceled", err)
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	if got := findDocs(t, writer, "walrus"); strings.Join(got, ",") != "a/new.md" {
		t.Errorf("found %v, want only the first writer's document", got)
	}
}

// buildIndex writes one document to a new index at path and closes it.
func buildIndex(t *testing.T, path string) {
	t.Helper()
	s, err := Open(context.Background(), path, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(context.Background(), retrieval.Changes{Upsert: []retrieval.IndexedDoc{sampleDoc("a/old.md", "committed walrus")}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// checkReadable opens the index at path and expects it searchable, Apply
// failing with ErrReadOnly, and the store opened read-only when
// mustBeReadOnly (a full disk may still let it open for writing).
func checkReadable(t *testing.T, path string, mustBeReadOnly bool) {
	t.Helper()
	s := openAt(t, path, Options{})
	if ro, cause := s.ReadOnly(); mustBeReadOnly && !ro {
		t.Errorf("ReadOnly() = false (%v), want true", cause)
	}
	if got := findDocs(t, s, "walrus"); strings.Join(got, ",") != "a/old.md" {
		t.Errorf("found %v, want the indexed a/old.md", got)
	}
	big := sampleDoc("a/big.md", "walrus "+strings.Repeat("lorem ipsum dolor sit amet ", 40_000))
	err := s.Apply(context.Background(), retrieval.Changes{Upsert: []retrieval.IndexedDoc{big}})
	if !errors.Is(err, retrieval.ErrReadOnly) {
		t.Errorf("Apply = %v, want ErrReadOnly", err)
	}
}

func TestReadOnlyIndexIsSearchable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "attache.db")
	if !storetest.ReadOnlyDir(t, dir, func() { buildIndex(t, path) }) {
		t.Skip("no way to make a folder read-only here")
	}
	checkReadable(t, path, true)
}

func TestFullDiskIndexIsSearchable(t *testing.T) {
	dir := t.TempDir()
	if !storetest.MountTmpfs(t, dir, 4<<20) {
		t.Skip("a full disk is simulated with a small tmpfs, which this process may not mount")
	}
	path := filepath.Join(dir, "attache.db")
	buildIndex(t, path)
	filler := storetest.FillDisk(t, dir)
	checkReadable(t, path, false)

	// With room again, the index is intact and writable.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	s := openAt(t, path, Options{})
	var check string
	if err := s.read.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	if err := s.Apply(context.Background(), retrieval.Changes{Upsert: []retrieval.IndexedDoc{sampleDoc("a/new.md", "new walrus")}}); err != nil {
		t.Fatalf("Apply with room again: %v", err)
	}
}
