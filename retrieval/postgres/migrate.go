package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"attache"
	"attache/internal/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations returns the embedded migrations in order (see migrate.Load).
func migrations() ([]migrate.Migration, error) {
	return migrate.Load(migrationFiles, "migrations")
}

// SchemaVersion is the schema version this program writes: the number of
// its last migration.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil {
		return 0
	}
	return migrate.Latest(ms)
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
		todo, err := migrate.Pending(ms, versions)
		var newer *migrate.NewerError
		if errors.As(err, &newer) {
			return attache.Errorf(attache.EINVALID,
				"the index schema %s has version %d, newer than this program supports (%d); upgrade Attaché or use another schema",
				s.schema, newer.Version, newer.Latest)
		}
		for _, m := range todo {
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO "+ident+"."+versionTable+" (version, name) VALUES ($1, $2)", m.Version, m.Name); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			s.logger.Info("index schema migrated", "schema", s.schema, "version", m.Version)
		}
		return tx.Commit(ctx)
	})
}
