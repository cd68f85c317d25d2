//go:build !unix

package ingest

import "errors"

// mkfifo reports that named pipes cannot be made here.
func mkfifo(string) error { return errors.ErrUnsupported }
