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

// migrations returns the embedded migrations in order. Their numbers are
// distinct and start at 1; a gap is allowed (it leaves a number for a
// change being made alongside), and a migration that fills it later is
// applied to schemas migrated past it.
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
		switch {
		case i == 0 && m.version != 1:
			return nil, fmt.Errorf("migration %s: the first migration must be number 1", m.name)
		case i > 0 && m.version == out[i-1].version:
			return nil, fmt.Errorf("migration %s: number %d is taken by %s", m.name, m.version, out[i-1].name)
		}
	}
	return out, nil
}

// SchemaVersion is the schema version this program writes: the number of
// its last migration.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// unapplied returns the migrations of ms whose numbers applied lacks, in
// order.
func unapplied(ms []migration, applied map[int]bool) []migration {
	var out []migration
	for _, m := range ms {
		if !applied[m.version] {
			out = append(out, m)
		}
	}
	return out
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
		rows, err := tx.Query(ctx, "SELECT version FROM "+ident+"."+versionTable)
		if err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		versions, err := pgx.CollectRows(rows, pgx.RowTo[int])
		if err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		applied := make(map[int]bool, len(versions))
		version := 0
		for _, v := range versions {
			applied[v] = true
			version = max(version, v)
		}
		if latest := ms[len(ms)-1].version; version > latest {
			return attache.Errorf(attache.EINVALID,
				"the index schema %s has version %d, newer than this program supports (%d); upgrade Attaché or use another schema",
				s.schema, version, latest)
		}
		for _, m := range unapplied(ms, applied) {
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
