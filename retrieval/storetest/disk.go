package storetest

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

func sizeOption(size int64) string { return "size=" + strconv.FormatInt(size, 10) }

// FillDisk writes a file into dir until the file system is full, and
// returns its path.
func FillDisk(t testing.TB, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	for {
		if _, err := f.Write(buf); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				return path
			}
			t.Fatalf("fill %s: %v", dir, err)
		}
	}
}

// ReadOnlyDir makes dir and the files in it read-only for the test: a
// read-only tmpfs where this process may mount one, otherwise file modes,
// which bind every user but root. setup fills dir before it turns
// read-only. It reports false, having logged why, when neither works.
func ReadOnlyDir(t testing.TB, dir string, setup func()) bool {
	t.Helper()
	if MountTmpfs(t, dir, 16<<20) {
		setup()
		RemountReadOnly(t, dir)
		return true
	}
	if os.Geteuid() == 0 {
		t.Log("root ignores file modes and this process may not mount a read-only file system")
		return false
	}
	setup()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := os.Chmod(filepath.Join(dir, e.Name()), 0o444); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) }) //nolint:errcheck // best effort, so the folder can be removed
	return true
}
