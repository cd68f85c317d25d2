// Package sqlite is the state store of a single process: votes, the answer
// log and the rate limit in a SQLite file of their own (modernc.org/sqlite,
// WAL), kept in the user state folder rather than beside the index, which
// is a cache. When the file is new it takes over the votes and the answer
// log that older versions kept inside the index database.
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
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"attache"
	"attache/state"
)

// FileName is the name of the state database in the state folder.
const FileName = "state.db"

// applicationID marks a SQLite file as Attaché's state ("AtSt").
const applicationID = 0x41745374

// schemaVersion is the version of the schema below; a file with a higher
// one was written by a newer release and is refused.
const schemaVersion = 2

const busyTimeout = 10_000 // ms

// upgrades take a state database from one schema version to the next:
// upgrades[v-1] from version v to v+1.
var upgrades = [][]string{
	// 1 → 2: the rule that refused a question, kept with it.
	{`ALTER TABLE answer_log ADD COLUMN reason TEXT NOT NULL DEFAULT ''`},
}

// upgrade brings a state database written by an older release to this
// release's schema, in the transaction that opened it.
func upgrade(ctx context.Context, tx *sql.Tx, version int64) error {
	if version < 1 || int(version) > len(upgrades) {
		return attache.Errorf(attache.EINVALID, "unknown state schema version %d", version)
	}
	for v := version; v < schemaVersion; v++ {
		for _, stmt := range upgrades[v-1] {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("upgrade state schema %d: %w", v, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion)); err != nil {
		return fmt.Errorf("upgrade state schema: %w", err)
	}
	return nil
}

var schema = []string{
	`CREATE TABLE feedback_answers (
		id          TEXT PRIMARY KEY,
		question    TEXT NOT NULL,
		answer      TEXT NOT NULL,
		passage_ids TEXT NOT NULL, -- JSON array
		quotes      TEXT NOT NULL DEFAULT '[]', -- JSON array of attache.Quote
		created_at  INTEGER NOT NULL -- Unix nanoseconds
	)`,
	`CREATE INDEX feedback_answers_created ON feedback_answers (created_at)`,
	`CREATE TABLE feedback_votes (
		answer_id TEXT NOT NULL REFERENCES feedback_answers (id) ON DELETE CASCADE,
		user      TEXT NOT NULL,
		vote      INTEGER NOT NULL CHECK (vote IN (-1, 1)),
		reason    TEXT NOT NULL DEFAULT '',
		details   TEXT NOT NULL DEFAULT '',
		at        INTEGER NOT NULL,
		PRIMARY KEY (answer_id, user)
	) WITHOUT ROWID`,
	`CREATE TABLE feedback_flags (
		answer_id TEXT NOT NULL REFERENCES feedback_answers (id) ON DELETE CASCADE,
		user      TEXT NOT NULL,
		n         INTEGER NOT NULL CHECK (n >= 1),
		at        INTEGER NOT NULL,
		PRIMARY KEY (answer_id, user, n)
	) WITHOUT ROWID`,
	`CREATE TABLE answer_log (
		at          INTEGER NOT NULL,
		question    TEXT NOT NULL,
		outcome     TEXT NOT NULL,
		doc_ids     TEXT NOT NULL, -- JSON array
		latency_ms  TEXT NOT NULL, -- JSON object, stage -> ms
		model       TEXT NOT NULL,
		prompt_tokens     INTEGER NOT NULL,
		completion_tokens INTEGER NOT NULL,
		command     TEXT NOT NULL,
		channel_id  TEXT NOT NULL,
		user_hash   TEXT NOT NULL,
		reason      TEXT NOT NULL DEFAULT '' -- the rule that refused the question
	)`,
	`CREATE INDEX answer_log_at ON answer_log (at)`,
	// The salt of the user hashes: created once, at random.
	`CREATE TABLE answer_log_salt (
		id   INTEGER PRIMARY KEY CHECK (id = 1),
		salt TEXT NOT NULL
	)`,
	// One token bucket per key; granted says whether the last take got one.
	`CREATE TABLE rate_limit (
		key     TEXT PRIMARY KEY,
		tokens  REAL NOT NULL,
		at      INTEGER NOT NULL,
		granted INTEGER NOT NULL
	) WITHOUT ROWID`,
}

// Options tune Open.
type Options struct {
	// ImportFrom is the index database whose feedback and answer log
	// tables (kept there by older versions) are copied into a new state
	// database; "" or a missing file imports nothing.
	ImportFrom string
}

// Store is the SQLite state store. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
	log  *slog.Logger
	salt state.Salt
}

var _ state.Store = (*Store)(nil)

// DefaultPath is the state database in folder dir.
func DefaultPath(dir string) string { return filepath.Join(dir, FileName) }

// Open opens the state database at path, creating it and its folder when
// needed. A database it creates takes over the votes and answer log of
// o.ImportFrom.
func Open(ctx context.Context, path string, o Options, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", dsn(path, "_pragma=journal_mode(WAL)", "_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	// One connection: writes are small and SQLite takes one writer at a
	// time anyway; other processes wait up to the busy timeout.
	db.SetMaxOpenConns(1)
	s := &Store{db: db, path: path, log: log}
	if err := s.setup(ctx, o); err != nil {
		db.Close()
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	return s, nil
}

// dsn builds a modernc.org/sqlite URI for path with the common connection
// settings and extra query parameters.
func dsn(path string, extra ...string) string {
	// The path part of a file: URI is percent-decoded by SQLite.
	p := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(path))
	q := append([]string{
		fmt.Sprintf("_pragma=busy_timeout(%d)", busyTimeout),
		"_pragma=foreign_keys(1)",
		"_pragma=synchronous(NORMAL)",
	}, extra...)
	for i, kv := range q {
		k, v, _ := strings.Cut(kv, "=")
		q[i] = k + "=" + url.QueryEscape(v)
	}
	return "file:" + p + "?" + strings.Join(q, "&")
}

// setup creates the schema of a new database (importing older data) in one
// transaction, or checks the schema of an existing one.
func (s *Store) setup(ctx context.Context, o Options) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var appID, version int64
	if err := tx.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return fmt.Errorf("read schema: %w", err)
	}
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema: %w", err)
	}
	switch {
	case appID != 0 && appID != applicationID:
		return attache.Errorf(attache.EINVALID, "not an Attaché state database")
	case version > schemaVersion:
		return attache.Errorf(attache.EINVALID, "the state database has schema version %d, newer than this release reads (%d): upgrade Attaché", version, schemaVersion)
	case version == schemaVersion:
		return nil
	case version != 0:
		if err := upgrade(ctx, tx, version); err != nil {
			return err
		}
		return tx.Commit()
	}
	var objects int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&objects); err != nil {
		return fmt.Errorf("read schema: %w", err)
	}
	if objects > 0 {
		return attache.Errorf(attache.EINVALID, "not an Attaché state database")
	}
	for _, stmt := range schema {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create schema: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion)); err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	if o.ImportFrom != "" {
		n, err := importIndex(ctx, tx, o.ImportFrom)
		if err != nil {
			return fmt.Errorf("take over votes and answer log from the index %s: %w", o.ImportFrom, err)
		}
		if n.any() {
			s.log.Info("moved votes and the answer log from the index to the state database",
				"index", o.ImportFrom, "state", s.path, "answers", n.answers, "votes", n.votes,
				"flags", n.flags, "logged_questions", n.logged)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	return nil
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close closes the database. It is safe to call more than once.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close state %s: %w", s.path, err)
	}
	return nil
}

// Take takes a token from the bucket of key (see state.Store). One
// statement reads and updates the bucket, so concurrent takes, from this
// process or another, never share a token.
func (s *Store) Take(ctx context.Context, key string, perMinute float64, burst int, now time.Time) (bool, time.Duration, error) {
	if perMinute <= 0 {
		return true, 0, nil
	}
	var (
		tokens  float64
		granted int
	)
	err := s.db.QueryRowContext(ctx, `INSERT INTO rate_limit (key, tokens, at, granted) VALUES (?1, ?2 - 1, ?3, 1)
		ON CONFLICT (key) DO UPDATE SET
			tokens = min(?2, tokens + max(0, ?3 - at) * ?4) - (min(?2, tokens + max(0, ?3 - at) * ?4) >= 1),
			granted = min(?2, tokens + max(0, ?3 - at) * ?4) >= 1,
			at = max(at, ?3)
		RETURNING tokens, granted`,
		state.BucketKey(key), float64(max(burst, 1)), now.UnixNano(), perMinute/float64(time.Minute)).Scan(&tokens, &granted)
	if err != nil {
		return false, 0, fmt.Errorf("rate limit: %w", err)
	}
	if granted == 1 {
		return true, 0, nil
	}
	return false, state.Wait(tokens, perMinute), nil
}

// errNoRows reports whether err says a query found nothing.
func errNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// PruneBuckets deletes the rate limit's buckets last used before before.
func (s *Store) PruneBuckets(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM rate_limit WHERE at < ?`, before.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("prune rate limit: %w", err)
	}
	return res.RowsAffected()
}
