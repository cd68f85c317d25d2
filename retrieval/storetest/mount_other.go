//go:build !linux

package storetest

import "testing"

// MountTmpfs reports false: mounting is only done on Linux.
func MountTmpfs(t testing.TB, dir string, size int64) bool {
	t.Helper()
	return false
}

// RemountReadOnly is never reached where MountTmpfs reports false.
func RemountReadOnly(t testing.TB, dir string) {
	t.Helper()
	t.Fatal("remount is not supported on this system")
}
