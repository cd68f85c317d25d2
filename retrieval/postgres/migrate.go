package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"attache"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered SQL file: NNN_name.sql.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in order; their numbers run
// from 1 without gaps.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: the name does not start with a number", e.Name())
		}
		b, err := migrationFiles.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: want number %d", m.name, i+1)
		}
	}
	return out, nil
}

// SchemaVersion is the schema version this program writes: the number of
// its migrations.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil {
		return 0
	}
	return len(ms)
}

// versionTable records the migrations applied to a schema, one row each.
const versionTable = "attache_index_schema_version"

// migrate creates the schema or applies the migrations it lacks, in one
// transaction holding an advisory lock, so that processes opening the same
// schema at once wait for each other and apply each migration once. A schema
// whose version is newer than this program's is refused.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	return s.do(ctx, func(c *pgxpool.Conn) error {
		tx, err := c.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx) //nolint:errcheck // after Commit this is a no-op
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1, $2)", lockMigrate, s.lockKey); err != nil {
			return fmt.Errorf("lock for migration: %w", err)
		}
		ident := pgx.Identifier{s.schema}.Sanitize()
		for _, q := range []string{
			"CREATE SCHEMA IF NOT EXISTS " + ident,
			"CREATE TABLE IF NOT EXISTS " + ident + "." + versionTable + ` (
				version    integer PRIMARY KEY,
				name       text NOT NULL,
				applied_at timestamptz NOT NULL DEFAULT now())`,
		} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return fmt.Errorf("create schema: %w", err)
			}
		}
		var version int
		if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM "+ident+"."+versionTable).Scan(&version); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		if version > len(ms) {
			return attache.Errorf(attache.EINVALID,
				"the index schema %s has version %d, newer than this program supports (%d); upgrade Attaché or use another schema",
				s.schema, version, len(ms))
		}
		for _, m := range ms[version:] {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO "+ident+"."+versionTable+" (version, name) VALUES ($1, $2)", m.version, m.name); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			s.logger.Info("index schema migrated", "schema", s.schema, "version", m.version)
		}
		return tx.Commit(ctx)
	})
}
