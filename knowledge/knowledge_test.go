package knowledge

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestBundleHoldsTheFolder(t *testing.T) {
	t.Parallel()
	onDisk, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	bundled, err := fs.Glob(FS(), "*.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(bundled) == 0 || len(bundled) != len(onDisk) {
		t.Fatalf("bundled %d files, the folder has %d", len(bundled), len(onDisk))
	}
	if d := Digest(); len(d) != 12 {
		t.Errorf("digest %q", d)
	}
}

func TestWriteTo(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "cache", "knowledge-"+Digest())
	// Concurrent writers (processes starting together) all succeed.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = WriteTo(dir) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	entries, err := fs.ReadDir(FS(), ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		want, _ := fs.ReadFile(FS(), e.Name())
		got, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s not written as bundled (err %v)", e.Name(), err)
		}
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".tmp-*"))
	if len(left) > 0 {
		t.Errorf("temporary folders left: %v", left)
	}
	// An existing folder is left as it is: its files keep their times, so
	// the index sees them unchanged.
	fi, err := os.Stat(filepath.Join(dir, entries[0].Name()))
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteTo(dir); err != nil {
		t.Fatal(err)
	}
	fi2, err := os.Stat(filepath.Join(dir, entries[0].Name()))
	if err != nil || !fi2.ModTime().Equal(fi.ModTime()) {
		t.Errorf("rewritten: %v", err)
	}
}

func TestWriteToUnwritable(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteTo(filepath.Join(file, "knowledge")); err == nil {
		t.Error("writing under a file succeeded")
	}
}
