package storetest

import (
	"errors"
	"syscall"
	"testing"
	"time"
)

// MountTmpfs mounts a fresh tmpfs of size bytes on dir (which must exist),
// unmounted when the test ends. It reports false when this process may not
// mount file systems (it needs root with CAP_SYS_ADMIN).
func MountTmpfs(t testing.TB, dir string, size int64) bool {
	t.Helper()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, sizeOption(size)); err != nil {
		t.Logf("cannot mount a tmpfs on %s: %v", dir, err)
		return false
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
				t.Errorf("unmount %s: %v", dir, err)
			}
		}
	})
	return true
}

// RemountReadOnly makes a file system mounted by MountTmpfs read-only; even
// root cannot write it afterwards.
func RemountReadOnly(t testing.TB, dir string) {
	t.Helper()
	// A file open for writing makes the remount fail with EBUSY; a process
	// forked by a parallel test holds copies of this process's files until
	// it calls exec, so a busy mount is tried again for a while.
	var err error
	for range 100 {
		err = syscall.Mount("", dir, "", syscall.MS_REMOUNT|syscall.MS_RDONLY|syscall.MS_NOSUID|syscall.MS_NODEV, "")
		if !errors.Is(err, syscall.EBUSY) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("remount %s read-only: %v", dir, err)
	}
}
