// Package postgres is a passage index on PostgreSQL: a retrieval.Store whose
// documents, passages and full-text index (a weighted tsvector per passage
// with a GIN index) live in one schema of a PostgreSQL database. It owns that
// schema, its versioned migrations, the locks that keep one writer at a time,
// and the BM25 scoring that makes its answers match the SQLite store's. It
// also keeps the passage embeddings of hybrid search (vectors.go), so that
// every process using the schema embeds each passage once.
//
// Words are split and folded by the program as SQLite's unicode61 tokenizer
// does and stemmed by the database with the original Porter algorithm, as
// SQLite's porter tokenizer does; candidates and document frequencies come
// from PostgreSQL, and scores are FTS5's bm25 computed in SQL.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"attache"
	"attache/retrieval"
)

// Options tune the store.
type Options struct {
	// Schema is the PostgreSQL schema holding the index; it is created when
	// missing. Empty means the first schema of a search_path given in the
	// DSN, else DefaultSchema.
	Schema string
	// TitleWeight multiplies occurrences of a term in a document title for
	// BM25 ranking, relative to the body. 0 means retrieval.DefaultTitleWeight.
	TitleWeight float64
	// MaxScan bounds the passages one search scores, as in the SQLite store:
	// the most common terms are left out, the rarest kept. 0 means
	// DefaultMaxScan; negative means no bound.
	MaxScan int
	// MaxConns is the size of the connection pool; 0 means
	// max(4, 2×GOMAXPROCS). A call that finds every connection in use waits
	// for one until its context ends, or AcquireTimeout passes, then fails
	// with ErrPoolBusy.
	MaxConns int
	// AcquireTimeout, when positive, bounds how long a call waits for a
	// free connection: a bot waits as long as it lets a question wait for
	// an answer slot, then says it is busy.
	AcquireTimeout time.Duration
	// ApplicationName names the store's connections in pg_stat_activity;
	// empty means "attache".
	ApplicationName string
	// WaitForWriter, when set, makes Apply wait for another run writing the
	// index, calling WaitForWriter once when the wait begins. When nil,
	// Apply fails at once with an error wrapping retrieval.ErrBusy.
	WaitForWriter func()
	// Progress, when set, is called after each document a batch writes,
	// with the number of documents the batch wrote so far.
	Progress func(docs int)
}

// DefaultSchema holds the index when neither the options nor the DSN name one.
const DefaultSchema = "attache"

// Errors a call may wrap besides retrieval.ErrBusy.
var (
	// ErrPoolBusy: every connection of the pool stayed in use until the
	// call's context ended.
	ErrPoolBusy = errors.New("the database is busy: no connection was free in time")
	// ErrConnLost: the connection broke during the call (the server
	// restarted, or an administrator ended it). The next call opens a new
	// one.
	ErrConnLost = errors.New("the database connection was lost")
)

// Store is a retrieval.Store on PostgreSQL. It is safe for concurrent use:
// readers see the last committed state and never wait for a writer.
type Store struct {
	pool        *pgxpool.Pool
	schema      string
	lockKey     int32 // second key of the schema's advisory locks
	logger      *slog.Logger
	titleWeight float64
	maxScan     int
	rankOp      string // the RUM distance operator when passages_rank exists, else ""
	maxConns    int

	acquireTimeout time.Duration
	waitForWriter  func()
	progress       func(docs int)

	df retrieval.DocFreqCache
}

var _ retrieval.Store = (*Store)(nil)

// Advisory lock classes (first key); the second is a hash of the schema.
const (
	lockMigrate int32 = 0x4174_0001
	lockWrite   int32 = 0x4174_0002
)

// Open connects to the database named by dsn, creates the schema or brings
// it up to date, and returns the store. A schema written by a newer version
// of Attaché is refused and left untouched. Errors never show the DSN's
// password.
func Open(ctx context.Context, dsn string, o Options, logger *slog.Logger) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	var err error
	if o.TitleWeight, o.MaxScan, err = retrieval.StoreBounds(o.TitleWeight, o.MaxScan); err != nil {
		return nil, err
	}
	if o.MaxConns <= 0 {
		o.MaxConns = max(4, 2*runtime.GOMAXPROCS(0))
	}
	if o.ApplicationName == "" {
		o.ApplicationName = "attache"
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's parse errors may quote the DSN, password and all.
		return nil, attache.Errorf(attache.EINVALID, "index.dsn is not a valid PostgreSQL connection string")
	}
	schema := o.Schema
	if schema == "" {
		// The first schema of the DSN's search path, unquoted.
		first, _, _ := strings.Cut(cfg.ConnConfig.RuntimeParams["search_path"], ",")
		schema = strings.Trim(strings.TrimSpace(first), `"`)
	}
	if schema == "" {
		schema = DefaultSchema
	}
	cfg.MaxConns = int32(o.MaxConns)
	cfg.MinConns = 0
	cfg.ConnConfig.RuntimeParams["application_name"] = o.ApplicationName
	// Every connection sees the store's schema first: its tables and text
	// search configuration are found without qualification.
	cfg.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{schema}.Sanitize()
	// Searches are short: compiling them (JIT) costs far more than it
	// saves, and the planner's guesses on small tables trigger it.
	cfg.ConnConfig.RuntimeParams["jit"] = "off"
	// Every query of the store has an index to follow (the GIN index for
	// searches, keys for the rest); the planner's row estimates for a
	// tsquery are poor and, right after a bulk load, made without
	// statistics, and a scan of every passage costs a hundred times more
	// than the index. Parallel workers only add start-up time to queries
	// this short.
	cfg.ConnConfig.RuntimeParams["enable_seqscan"] = "off"
	cfg.ConnConfig.RuntimeParams["max_parallel_workers_per_gather"] = "0"
	s := &Store{
		schema:         schema,
		lockKey:        schemaKey(schema),
		logger:         logger,
		titleWeight:    o.TitleWeight,
		maxScan:        o.MaxScan,
		maxConns:       o.MaxConns,
		acquireTimeout: o.AcquireTimeout,
		waitForWriter:  o.WaitForWriter,
		progress:       o.Progress,
	}
	s.pool, err = pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open index database: %w", err)
	}
	if err := s.migrate(ctx); err != nil {
		s.pool.Close()
		return nil, fmt.Errorf("open index schema %s: %w", schema, err)
	}
	if err := s.findRankIndex(ctx); err != nil {
		s.pool.Close()
		return nil, fmt.Errorf("open index schema %s: %w", schema, err)
	}
	return s, nil
}

// findRankIndex sets rankOp when the schema has an index passages_rank of
// the rum access method: the distance operator, qualified by the
// extension's schema, that orders its scans. The index is optional and made
// by hand where the rum extension is installed:
//
//	CREATE INDEX passages_rank ON passages USING rum (tsv public.rum_tsvector_ops)
//
// It returns a word's passages best first (by the word's weighted frequency)
// from positions kept in the index, so that a search whose words are in more
// passages than the candidate bound scores the passages where they weigh
// most rather than the most recently indexed. Every insert updates it too: a
// full build of the large corpus took four times as long, hence no migration
// creates it.
func (s *Store) findRankIndex(ctx context.Context) error {
	var ext *string
	err := s.do(ctx, func(c *pgxpool.Conn) error {
		return c.QueryRow(ctx, `SELECT n.nspname::text
			FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace,
				pg_class i JOIN pg_am am ON am.oid = i.relam
			WHERE e.extname = 'rum' AND i.oid = to_regclass('passages_rank') AND am.amname = 'rum'`).Scan(&ext)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if ext != nil {
		s.rankOp = "OPERATOR(" + pgx.Identifier{*ext}.Sanitize() + ".<=>)"
	}
	return nil
}

func schemaKey(schema string) int32 {
	h := fnv.New32a()
	h.Write([]byte(schema))
	return int32(h.Sum32())
}

// Schema returns the name of the schema holding the index.
func (s *Store) Schema() string { return s.schema }

// Close closes the pool. It is safe to call more than once.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Drop removes the store's schema and everything in it (the whole index).
func (s *Store) Drop(ctx context.Context) error {
	return s.do(ctx, func(c *pgxpool.Conn) error {
		_, err := c.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{s.schema}.Sanitize()+" CASCADE")
		return err
	})
}

// do runs fn on a connection of the pool. Waiting for a connection until ctx
// ends gives ErrPoolBusy; a connection that breaks during fn gives
// ErrConnLost, and every idle connection is dropped so that the next call
// starts on a fresh one.
func (s *Store) do(ctx context.Context, fn func(c *pgxpool.Conn) error) error {
	actx := ctx
	if s.acquireTimeout > 0 {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(ctx, s.acquireTimeout)
		defer cancel()
	}
	c, err := s.pool.Acquire(actx)
	if err != nil {
		if actx.Err() != nil {
			return fmt.Errorf("%w (%d connections in use): %w", ErrPoolBusy, s.maxConns, actx.Err())
		}
		return fmt.Errorf("%w: %w", attache.Errorf(attache.EUNAVAILABLE, "the index database cannot be reached"), err)
	}
	err = fn(c)
	lost := err != nil && c.Conn().IsClosed()
	c.Release()
	if lost && ctx.Err() == nil {
		// The server may have ended the other connections too.
		s.pool.Reset()
		return fmt.Errorf("%w: %w", ErrConnLost, err)
	}
	return err
}

// isUnique reports whether err is a unique constraint violation.
func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}
