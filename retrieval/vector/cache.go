package vector

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

const cacheSchema = `CREATE TABLE IF NOT EXISTS vectors(
	model TEXT NOT NULL,
	hash  TEXT NOT NULL,
	dims  INTEGER NOT NULL,
	scale REAL NOT NULL,
	data  BLOB NOT NULL,
	PRIMARY KEY(model, hash)
) WITHOUT ROWID`

// loadChunk bounds the number of hashes looked up in one query.
const loadChunk = 500

// openCache opens (creating) the vector cache at path in WAL mode.
func openCache(ctx context.Context, path string) (*sql.DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	// The path part of a file: URI is percent-decoded by SQLite, so
	// characters that would end it or be decoded are escaped.
	p := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(path))
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+p+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	// Only Sync touches the database, one at a time: one connection suffices.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		db.Close()
		return nil, fmt.Errorf("set wal mode: %w", err)
	}
	if mode != "wal" {
		db.Close()
		return nil, fmt.Errorf("set wal mode: journal mode is %q", mode)
	}
	if _, err := db.ExecContext(ctx, cacheSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("create schema: %w", err)
	}
	return db, nil
}

// Cache stores quantised vectors by model and the SHA-256 of the passage
// text: a SQLite file (Open) or a store that several processes share, such
// as the PostgreSQL index (OpenCache). Vectors are kept as given: int8
// components, one per dimension, and the float32 scale that turns them back
// into a unit vector.
type Cache interface {
	// LoadVectors calls found for each vector of model stored under one of
	// hashes, in any order; hashes with no vector are skipped.
	LoadVectors(ctx context.Context, model string, hashes [][32]byte, found func(hash [32]byte, dims int, scale float32, data []byte)) error
	// StoreVectors writes the vectors of model under hashes in one
	// transaction, replacing any stored under the same key: vector i is
	// data[i] (int8 components) times scales[i].
	StoreVectors(ctx context.Context, model string, hashes [][32]byte, scales []float32, data [][]byte) error
}

// sqliteCache is the Cache of Open: a SQLite file of its own.
type sqliteCache struct{ db *sql.DB }

func (c sqliteCache) LoadVectors(ctx context.Context, model string, hashes [][32]byte, found func(h [32]byte, dims int, scale float32, data []byte)) error {
	return loadCached(ctx, c.db, model, hashes, found)
}

func (c sqliteCache) StoreVectors(ctx context.Context, model string, hashes [][32]byte, scales []float32, data [][]byte) error {
	return storeBatch(ctx, c.db, model, hashes, scales, data)
}

// qvec is one quantised vector.
type qvec struct {
	scale float32
	data  []byte // int8 components
}

// loadCached looks up the cached vectors of model for hashes and calls found
// for each row, which decides whether to accept it.
func loadCached(ctx context.Context, db *sql.DB, model string, hashes [][32]byte, found func(h [32]byte, dims int, scale float32, data []byte)) error {
	for start := 0; start < len(hashes); start += loadChunk {
		chunk := hashes[start:min(start+loadChunk, len(hashes))]
		args := make([]any, 0, len(chunk)+1)
		args = append(args, model)
		for _, h := range chunk {
			args = append(args, hex.EncodeToString(h[:]))
		}
		query := "SELECT hash, dims, scale, data FROM vectors WHERE model = ? AND hash IN (?" +
			strings.Repeat(",?", len(chunk)-1) + ")"
		rows, err := db.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var hs string
			var dims int
			var scale float64
			var data []byte
			if err := rows.Scan(&hs, &dims, &scale, &data); err != nil {
				rows.Close()
				return err
			}
			var h [32]byte
			if n, err := hex.Decode(h[:], []byte(hs)); err != nil || n != len(h) {
				continue // not a key this package wrote
			}
			found(h, dims, float32(scale), data)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// storeBatch writes vectors of model in one transaction.
func storeBatch(ctx context.Context, db *sql.DB, model string, hashes [][32]byte, scales []float32, data [][]byte) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit this is a no-op
	stmt, err := tx.PrepareContext(ctx, "INSERT OR REPLACE INTO vectors(model, hash, dims, scale, data) VALUES (?, ?, ?, ?, ?)")
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i, h := range hashes {
		if _, err := stmt.ExecContext(ctx, model, hex.EncodeToString(h[:]), len(data[i]), float64(scales[i]), data[i]); err != nil {
			return err
		}
	}
	return tx.Commit()
}
