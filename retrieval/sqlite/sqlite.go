// Package sqlite is the embedded default passage index: a retrieval.Store on a
// single SQLite file, with full-text search by SQLite FTS5 (BM25 ranking,
// Porter stemming, diacritics folded). It owns the database file, its schema
// and migrations, and the translation of sanitised query terms into FTS5
// match expressions.
//
// The index is a cache of the knowledge folder: when the schema changes the
// file is rebuilt empty and the next indexing run fills it again.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"attache"
	"attache/retrieval"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Options tune the store.
type Options struct {
	// TitleWeight multiplies occurrences of a term in a document title for
	// BM25 ranking, relative to the body. 0 means retrieval.DefaultTitleWeight.
	TitleWeight float64
	// MaxScan bounds the work of one search: when the query terms occur in
	// more passages than this together, the most common terms are left out
	// (the rarest one is always kept), since scoring costs about 3 µs per
	// matching passage. 0 means retrieval.DefaultMaxScan; negative means no bound.
	MaxScan int
	// WaitForWriter, when set, makes Apply wait for another connection or
	// process that is writing the index, calling WaitForWriter once when
	// the wait begins. When nil, Apply fails at once with an error
	// wrapping retrieval.ErrBusy, and the caller can go on reading the last
	// committed index.
	WaitForWriter func()
	// Progress, when set, is called after each document a batch writes,
	// with the number of documents the batch wrote so far.
	Progress func(docs int)
}

// Store is a retrieval.Store on SQLite. It is safe for concurrent use: reads
// go through a pool of read-only connections and see the last committed
// state (WAL mode) while one writer connection applies changes.
type Store struct {
	path        string
	write       *sql.DB
	read        *sql.DB
	logger      *slog.Logger
	titleWeight float64 // bm25() weight of the title column
	maxScan     int     // see Options.MaxScan; 0 = no limit

	waitForWriter func()
	progress      func(docs int)
	// readOnly: the file could not be written when it was opened; roCause
	// says why. Apply then fails with retrieval.ErrReadOnly.
	readOnly bool
	roCause  error

	df    retrieval.DocFreqCache
	close sync.Once

	stmts sync.Map // query text → *sql.Stmt on the read pool
}

var _ retrieval.Store = (*Store)(nil)

// Open opens the index at path, creating it and its parent directories if
// needed. A file written by a newer version of Attaché, or not an Attaché
// index at all, gives an error and is left untouched; one written by an older
// version is rebuilt empty. An index that exists but cannot be written (a
// read-only file, folder or file system, a full disk) is opened read-only:
// searches work and Apply fails with retrieval.ErrReadOnly.
func Open(ctx context.Context, path string, o Options, logger *slog.Logger) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if path == "" {
		return nil, attache.Errorf(attache.EINVALID, "index path is empty")
	}
	var err error
	if o.TitleWeight, o.MaxScan, err = retrieval.StoreBounds(o.TitleWeight, o.MaxScan); err != nil {
		return nil, err
	}
	s := &Store{
		path:          path,
		logger:        logger,
		titleWeight:   o.TitleWeight,
		maxScan:       o.MaxScan,
		waitForWriter: o.WaitForWriter,
		progress:      o.Progress,
	}
	err = s.openWritable(ctx)
	if err == nil {
		return s, nil
	}
	// An index that exists but cannot be written (a read-only file, folder
	// or disk, a full disk) can still answer from what it holds.
	if st, serr := os.Stat(path); serr != nil || !st.Mode().IsRegular() || st.Size() == 0 || !unwritable(err) {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	if rerr := s.openReadOnly(ctx); rerr != nil {
		logger.Debug("the index cannot be read either", "path", path, "err", rerr)
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	s.readOnly, s.roCause = true, err
	logger.Warn("the index cannot be written; reading it as it is", "path", path, "err", err)
	return s, nil
}

// openWritable opens the writer connection and the pool of readers,
// creating the file and its schema when needed.
func (s *Store) openWritable(ctx context.Context) error {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o755); err != nil {
		return err
	}
	var err error
	// One writer connection: SQLite allows a single writer anyway, and
	// BEGIN IMMEDIATE takes the write lock before a batch reads anything
	// (see lock).
	s.write, err = sql.Open("sqlite", dsn(s.path, "_txlock=immediate", "_pragma=cache_size(-65536)"))
	if err != nil {
		return err
	}
	s.write.SetMaxOpenConns(1)
	s.write.SetMaxIdleConns(1)
	s.write.SetConnMaxLifetime(0)
	s.write.SetConnMaxIdleTime(0)
	if err := s.setup(ctx); err != nil {
		s.write.Close()
		return err
	}
	s.read, err = sql.Open("sqlite", dsn(s.path, "_pragma=query_only(1)", "_pragma=cache_size(-16384)"))
	if err != nil {
		s.write.Close()
		return err
	}
	s.sizeReadPool()
	if err := s.read.PingContext(ctx); err != nil {
		s.read.Close()
		s.write.Close()
		return err
	}
	return nil
}

// openReadOnly opens the file for reading only. In WAL mode even a reader
// needs the shared-memory file; when it cannot be created the file is read
// as immutable, which is safe because nothing can write it either.
func (s *Store) openReadOnly(ctx context.Context) error {
	var errs []error
	for _, mode := range []string{"mode=ro", "immutable=1"} {
		db, err := sql.Open("sqlite", dsn(s.path, mode, "_pragma=query_only(1)", "_pragma=cache_size(-16384)"))
		if err != nil {
			return err
		}
		s.read = db
		s.sizeReadPool()
		if err = s.check(ctx); err == nil {
			s.write = db // writes fail with SQLITE_READONLY
			return nil
		}
		db.Close()
		errs = append(errs, err)
	}
	s.read = nil
	return errors.Join(errs...)
}

// check reads the schema through the read pool and refuses a file that is
// not an index this version can read as it is.
func (s *Store) check(ctx context.Context) error {
	action, version, err := planFile(ctx, s.read)
	if err != nil {
		return err
	}
	if action != schemaReady {
		return fmt.Errorf("the index has schema version %d, not %d, and cannot be rebuilt read-only", version, schemaVersion)
	}
	return nil
}

func (s *Store) sizeReadPool() {
	n := max(4, runtime.GOMAXPROCS(0)*2)
	s.read.SetMaxOpenConns(n)
	s.read.SetMaxIdleConns(n)
	s.read.SetConnMaxIdleTime(0)
	s.read.SetConnMaxLifetime(0)
}

// Check runs SQLite's integrity check on the index, and an error says what
// is damaged.
func (s *Store) Check(ctx context.Context) error {
	rows, err := s.read.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("check index %s: %w", s.path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("check index %s: %w", s.path, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check index %s: %w", s.path, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("check index %s: %s", s.path, strings.Join(problems, "; "))
	}
	return nil
}

// ReadOnly reports whether the index was opened read-only because it could
// not be written, and why.
func (s *Store) ReadOnly() (bool, error) { return s.readOnly, s.roCause }

// dsn builds a modernc.org/sqlite URI for path with the common connection
// settings and extra query parameters.
func dsn(path string, extra ...string) string {
	// The path part of a file: URI is percent-decoded by SQLite, so
	// characters that would end it or be decoded are escaped.
	p := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(path))
	q := []string{
		fmt.Sprintf("_pragma=busy_timeout(%d)", busyTimeout),
		"_pragma=foreign_keys(1)",
		"_pragma=synchronous(NORMAL)",
		"_pragma=temp_store(MEMORY)",
		"_pragma=mmap_size(268435456)",
	}
	q = append(q, extra...)
	for i, kv := range q {
		k, v, _ := strings.Cut(kv, "=")
		q[i] = k + "=" + url.QueryEscape(v)
	}
	return "file:" + p + "?" + strings.Join(q, "&")
}

// Close closes the database. It is safe to call more than once.
func (s *Store) Close() error {
	var err error
	s.close.Do(func() {
		s.stmts.Range(func(_, st any) bool {
			st.(*sql.Stmt).Close()
			return true
		})
		if s.read != nil {
			err = s.read.Close()
		}
		if s.write != nil && s.write != s.read {
			// The last connection to close checkpoints and removes the WAL.
			err = errors.Join(err, s.write.Close())
		}
		if err != nil {
			err = fmt.Errorf("close index %s: %w", s.path, err)
		}
	})
	return err
}
