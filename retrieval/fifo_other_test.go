//go:build !unix

package retrieval_test

import "errors"

// mkfifo reports that named pipes cannot be made here.
func mkfifo(string) error { return errors.ErrUnsupported }
