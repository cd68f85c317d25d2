package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"

	"attache/retrieval"

	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"
)

// busyTimeout is how long a statement on the writer connection waits for a
// lock held by another connection, except when a batch starts (see lock).
const busyTimeout = 10_000 // ms

// pollTimeout is how long one attempt to take the write lock waits while
// Apply waits for another writer; between attempts the context is checked.
const pollTimeout = 250 // ms

// lock starts a write transaction on conn (BEGIN IMMEDIATE). When another
// connection holds the write lock it fails at once with
// retrieval.ErrBusy, so that a reader can go on with the last committed
// index, unless the store was opened with Options.WaitForWriter: then it
// calls it once and waits until the lock is free or ctx is done.
func (s *Store) lock(ctx context.Context, conn *sql.Conn) (*sql.Tx, error) {
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		return nil, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err == nil || !isBusy(err) {
		return tx, err
	}
	if s.waitForWriter == nil {
		return nil, retrieval.ErrBusy
	}
	s.waitForWriter()
	return waitLock(ctx, conn)
}

// waitLock takes the write lock on conn, waiting for other writers until
// ctx is done.
func waitLock(ctx context.Context, conn *sql.Conn) (*sql.Tx, error) {
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", pollTimeout)); err != nil {
		return nil, err
	}
	for {
		tx, err := conn.BeginTx(ctx, nil)
		if err == nil || !isBusy(err) {
			return tx, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
}

// WaitForWriters returns when no other connection or process is writing
// the index, or when ctx is done. A caller whose Apply failed with
// retrieval.ErrBusy can wait with it, then look at the index again: what
// it holds may have changed meanwhile.
func (s *Store) WaitForWriters(ctx context.Context) error {
	if s.readOnly {
		return nil
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("wait for index %s: %w", s.path, err)
	}
	tx, err := waitLock(ctx, conn)
	if err == nil {
		err = tx.Rollback()
	}
	if err = errors.Join(err, s.unlock(conn)); err != nil {
		return fmt.Errorf("wait for index %s: %w", s.path, err)
	}
	return nil
}

// unlock restores the writer connection's usual busy timeout and returns it
// to the pool.
func (s *Store) unlock(conn *sql.Conn) error {
	_, err := conn.ExecContext(context.Background(), fmt.Sprintf("PRAGMA busy_timeout = %d", busyTimeout))
	return errors.Join(err, conn.Close())
}

// sqliteCode returns the primary SQLite result code in err's chain, or 0.
func sqliteCode(err error) int {
	var se *sqlite3.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

func isBusy(err error) bool {
	c := sqliteCode(err)
	return c == sqlite3lib.SQLITE_BUSY || c == sqlite3lib.SQLITE_LOCKED
}

// IsCorrupt reports whether err says the index file is damaged: rebuilding
// it is the remedy. (A file that is not a database at all is not an index
// to rebuild.)
func IsCorrupt(err error) bool {
	return sqliteCode(err) == sqlite3lib.SQLITE_CORRUPT
}

// unwritable reports whether err comes from storage that cannot be written
// (a read-only file, folder or file system, a full disk, a write that
// failed), as opposed to a damaged or foreign file.
func unwritable(err error) bool {
	switch sqliteCode(err) {
	case sqlite3lib.SQLITE_READONLY, sqlite3lib.SQLITE_CANTOPEN, sqlite3lib.SQLITE_FULL,
		sqlite3lib.SQLITE_IOERR, sqlite3lib.SQLITE_PERM:
		return true
	}
	return errors.Is(err, syscall.EROFS) || errors.Is(err, syscall.EACCES) ||
		errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// Header is what the first bytes of a file say about it as an index.
type Header struct {
	SQLite bool // the file starts with the SQLite magic string
	Ours   bool // and carries the application id of an Attaché index
}

// ReadHeader reads the header of the database file at path. A missing or
// empty file gives a zero Header and no error.
func ReadHeader(path string) (Header, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return Header{}, nil
	} else if err != nil {
		return Header{}, fmt.Errorf("read index header %s: %w", path, err)
	}
	defer f.Close()
	var h [100]byte
	n, err := io.ReadFull(f, h[:])
	if err != nil && n < 72 {
		if n == 0 || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return Header{}, nil
		}
		return Header{}, fmt.Errorf("read index header %s: %w", path, err)
	}
	if string(h[:16]) != "SQLite format 3\x00" {
		return Header{}, nil
	}
	// The application id is a big-endian 32-bit integer at offset 68.
	id := uint32(h[68])<<24 | uint32(h[69])<<16 | uint32(h[70])<<8 | uint32(h[71])
	return Header{SQLite: true, Ours: id == applicationID}, nil
}

// Remove deletes the index file at path with its write-ahead log and
// shared-memory files, so that the next Open starts an empty index. It
// refuses a file that is not an Attaché index. No process may have the
// index open.
func Remove(path string) error {
	h, err := ReadHeader(path)
	if err != nil {
		return err
	}
	if st, err := os.Stat(path); err == nil && st.Size() > 0 && !h.Ours {
		return fmt.Errorf("remove index %s: the file is not an Attaché index; delete it yourself or choose another index path", path)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove index %s: %w", path, err)
		}
	}
	return nil
}
