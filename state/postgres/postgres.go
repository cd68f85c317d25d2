// Package postgres is the state store shared by every process of a bot
// whose index is in PostgreSQL: votes, the answer log and the rate limit's
// buckets in tables named attache_* (in the schema the connection's
// search_path names), over pgx. Its schema is versioned by the embedded
// migrations, applied under an advisory lock so that many processes can
// start at once.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"attache"
	"attache/internal/migrate"
	"attache/internal/redact"
	"attache/state"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations returns the embedded migrations in order (see migrate.Load).
func migrations() ([]migrate.Migration, error) {
	return migrate.Load(migrationFiles, "migrations")
}

// Store is the PostgreSQL state store. It is safe for concurrent use, and
// any number of processes may share its tables.
type Store struct {
	pool *pgxpool.Pool
	log  *slog.Logger
	salt state.Salt
}

var _ state.Store = (*Store)(nil)

// Open connects to the database of dsn and brings the state tables up to
// the version this release knows; a database migrated by a newer release
// is refused.
func Open(ctx context.Context, dsn string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// The message may quote the connection string.
		return nil, attache.Errorf(attache.EINVALID, "state: index.dsn: %s", redact.Text(err.Error()))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("state: connect: %w", err)
	}
	s := &Store{pool: pool, log: log}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// migrate applies the migrations the database lacks, in one transaction
// under an advisory lock on the schema: of processes starting together,
// one migrates and the others then find the work done.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return fmt.Errorf("state schema: %w", err)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return unavailable(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('attache_state_schema:' || current_schema()))`); err != nil {
		return fmt.Errorf("state schema: lock: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS attache_state_schema_version (
		version    integer PRIMARY KEY,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`); err != nil {
		return fmt.Errorf("state schema: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT version FROM attache_state_schema_version`)
	if err != nil {
		return fmt.Errorf("state schema: %w", err)
	}
	versions, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return fmt.Errorf("state schema: %w", err)
	}
	todo, err := migrate.Pending(ms, versions)
	var newer *migrate.NewerError
	if errors.As(err, &newer) {
		return attache.Errorf(attache.EINVALID, "state schema: the database is at version %d, newer than this release knows (%d): upgrade Attaché on every process that shares it", newer.Version, newer.Latest)
	}
	for _, m := range todo {
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return fmt.Errorf("state schema: %s: %w", m.Name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO attache_state_schema_version (version) VALUES ($1)`, m.Version); err != nil {
			return fmt.Errorf("state schema: %s: %w", m.Name, err)
		}
		s.log.Info("state schema migrated", "version", m.Version, "migration", m.Name)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("state schema: %w", err)
	}
	return nil
}

// unavailable marks a failure to reach the database.
func unavailable(err error) error {
	return attache.Errorf(attache.EUNAVAILABLE, "state: the database cannot be reached: %s", redact.Text(err.Error()))
}

// Shared reports that every process using the database shares this
// store, so a rate limit kept here is one budget for all of them.
func (s *Store) Shared() bool { return true }

// Close closes the connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Take takes a token from the bucket of key (see state.Store). One
// statement reads and updates the bucket under its row lock, so every
// process sharing the database draws from one budget.
func (s *Store) Take(ctx context.Context, key string, perMinute float64, burst int, now time.Time) (bool, time.Duration, error) {
	if perMinute <= 0 {
		return true, 0, nil
	}
	var (
		tokens  float64
		granted bool
	)
	err := s.pool.QueryRow(ctx, `INSERT INTO attache_rate_limit AS b (key, tokens, at, granted)
		VALUES ($1, $2::float8 - 1, $3::bigint, true)
		ON CONFLICT (key) DO UPDATE SET
			tokens = LEAST($2::float8, b.tokens + GREATEST(0, $3::bigint - b.at)::float8 * $4::float8)
				- CASE WHEN LEAST($2::float8, b.tokens + GREATEST(0, $3::bigint - b.at)::float8 * $4::float8) >= 1 THEN 1 ELSE 0 END,
			granted = LEAST($2::float8, b.tokens + GREATEST(0, $3::bigint - b.at)::float8 * $4::float8) >= 1,
			at = GREATEST(b.at, $3::bigint)
		RETURNING tokens, granted`,
		state.BucketKey(key), float64(max(burst, 1)), now.UnixNano(), perMinute/float64(time.Minute)).Scan(&tokens, &granted)
	if err != nil {
		return false, 0, fmt.Errorf("rate limit: %w", err)
	}
	if granted {
		return true, 0, nil
	}
	return false, state.Wait(tokens, perMinute), nil
}

func noRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// PruneBuckets deletes the rate limit's buckets last used before before.
func (s *Store) PruneBuckets(ctx context.Context, before time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM attache_rate_limit WHERE at < $1`, before.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("prune rate limit: %w", err)
	}
	return tag.RowsAffected(), nil
}
