package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"attache"
)

// applicationID marks a database file as an Attaché index ("AtCh").
const applicationID = 0x41744368

// schemaVersion is stored in PRAGMA user_version. Bump it whenever the schema
// below changes; older files are then rebuilt empty.
const schemaVersion = 1

// schema creates version schemaVersion. Times are Unix nanoseconds.
var schema = []string{
	`CREATE TABLE meta (
		key   TEXT PRIMARY KEY,
		value INTEGER NOT NULL
	) WITHOUT ROWID`,
	`INSERT INTO meta (key, value) VALUES ('generation', 0)`,
	`CREATE TABLE documents (
		id         TEXT PRIMARY KEY,
		source     TEXT NOT NULL,
		path       TEXT NOT NULL,
		title      TEXT NOT NULL,
		title_fold TEXT NOT NULL, -- lower-cased title for substring search
		date       TEXT NOT NULL, -- ISO 8601 prefix or ''
		url        TEXT NOT NULL,
		outlet     TEXT NOT NULL,
		language   TEXT NOT NULL,
		tags       TEXT NOT NULL, -- JSON array
		text       TEXT NOT NULL,
		hash       TEXT NOT NULL,
		size       INTEGER NOT NULL,
		mtime      INTEGER,       -- NULL when unknown
		indexed_at INTEGER NOT NULL
	)`,
	`CREATE INDEX documents_date ON documents (date DESC, title, id)`,
	`CREATE INDEX documents_source ON documents (source)`,
	// rid is the FTS rowid of the passage.
	`CREATE TABLE passages (
		rid     INTEGER PRIMARY KEY,
		id      TEXT NOT NULL UNIQUE,
		doc_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
		ordinal INTEGER NOT NULL,
		start   INTEGER NOT NULL,
		"end"   INTEGER NOT NULL,
		text    TEXT -- NULL when it is substr(documents.text, start, end)
	)`,
	`CREATE INDEX passages_doc ON passages (doc_id, ordinal)`,
	// Contentless: the text lives in passages, the FTS table keeps only the
	// index. Title and date are indexed with every passage so that they
	// count in its ranking.
	`CREATE VIRTUAL TABLE passages_fts USING fts5 (
		title, date, body,
		content = '',
		contentless_delete = 1,
		tokenize = 'porter unicode61 remove_diacritics 2'
	)`,
	// Bulk loads: a larger in-memory segment (32 MiB rather than 1) and
	// merging 8 segments at a time rather than 4 mean fewer merges; a
	// first run over 100k passages takes ~15 s instead of ~18 s. Searches
	// and DocFreq on an index with many small updates are somewhat slower
	// than with 4; the FTS5 'optimize' command restores them.
	`INSERT INTO passages_fts (passages_fts, rank) VALUES ('hashsize', 33554432)`,
	`INSERT INTO passages_fts (passages_fts, rank) VALUES ('automerge', 8)`,
}

type schemaAction int

const (
	schemaReady schemaAction = iota
	schemaCreate
	schemaRebuild
)

// planSchema decides what to do with a database file from its header fields
// and the number of objects in its schema.
func planSchema(appID, version int64, objects int) (schemaAction, error) {
	switch {
	case appID == 0 && version == 0 && objects == 0:
		return schemaCreate, nil
	case appID != applicationID:
		return 0, attache.Errorf(attache.EINVALID,
			"the file is not an Attaché index (application id %#x, %d schema objects); choose another index path", appID, objects)
	case version > schemaVersion:
		return 0, attache.Errorf(attache.EINVALID,
			"the index has schema version %d, newer than this program supports (%d); upgrade Attaché or delete the index to rebuild it", version, schemaVersion)
	case version < schemaVersion:
		return schemaRebuild, nil
	default:
		return schemaReady, nil
	}
}

// setup switches the file to WAL and creates, checks or rebuilds the schema.
// A file that is ready is only read: opening it never waits for, nor
// blocks, another process writing the index.
func (s *Store) setup(ctx context.Context) error {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("read journal mode: %w", err)
	}
	if mode != "wal" {
		if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
			return fmt.Errorf("set wal mode: %w", err)
		}
		if mode != "wal" {
			return fmt.Errorf("set wal mode: journal mode is %q", mode)
		}
	}
	if action, _, err := planFile(ctx, conn); err != nil || action == schemaReady {
		return err
	}

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit this is a no-op
	// Another process may have created the schema meanwhile.
	action, version, err := planFile(ctx, tx)
	if err != nil || action == schemaReady {
		return err
	}
	if action == schemaRebuild {
		s.logger.Warn("index schema is out of date; rebuilding it empty",
			"path", s.path, "version", version, "want", schemaVersion)
		if err := dropAll(ctx, tx); err != nil {
			return fmt.Errorf("drop old schema: %w", err)
		}
	}
	for _, stmt := range schema {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create schema: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
		return fmt.Errorf("set application id: %w", err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion)); err != nil {
		return fmt.Errorf("set schema version: %w", err)
	}
	return tx.Commit()
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// planFile reads the file's header fields and schema size and decides what
// to do with it; it returns the file's schema version too.
func planFile(ctx context.Context, q querier) (schemaAction, int64, error) {
	var appID, version int64
	var objects int
	if err := q.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return 0, 0, fmt.Errorf("read application id: %w", err)
	}
	if err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return 0, 0, fmt.Errorf("read schema version: %w", err)
	}
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&objects); err != nil {
		return 0, 0, fmt.Errorf("read schema: %w", err)
	}
	action, err := planSchema(appID, version, objects)
	return action, version, err
}

// dropAll drops every table and view of an older schema, except the
// feedback and answer log tables that older versions kept here, which are
// not part of the index (the state database takes them over, see package
// state/sqlite). Virtual tables go first, which takes their shadow tables
// with them.
func dropAll(ctx context.Context, tx *sql.Tx) error {
	for {
		var typ, name string
		err := tx.QueryRowContext(ctx, `SELECT type, name FROM sqlite_schema
			WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
			AND name NOT LIKE 'feedback\_%' ESCAPE '\'
			AND name NOT LIKE 'answer\_log%' ESCAPE '\'
			ORDER BY sql LIKE 'CREATE VIRTUAL%' DESC, type = 'view' DESC LIMIT 1`).Scan(&typ, &name)
		if err == sql.ErrNoRows {
			return nil
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DROP %s "%s"`, typ, quoteIdent(name))); err != nil {
			return err
		}
	}
}

func quoteIdent(s string) string {
	out := make([]byte, 0, len(s))
	for i := range len(s) {
		if s[i] == '"' {
			out = append(out, '"')
		}
		out = append(out, s[i])
	}
	return string(out)
}
