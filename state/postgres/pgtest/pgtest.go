// Package pgtest gives tests a PostgreSQL schema of their own: created
// for one test in the database of ATTACHE_TEST_POSTGRES_DSN, dropped when
// the test ends. Without that variable the test is skipped.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
)

// EnvDSN names the environment variable holding the test database's DSN.
const EnvDSN = "ATTACHE_TEST_POSTGRES_DSN"

// Schema creates a schema for t and returns a DSN whose search_path is
// that schema; the schema and everything in it are dropped after t.
func Schema(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvDSN)
	if dsn == "" {
		t.Skip("set " + EnvDSN + "=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable to run PostgreSQL tests")
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "attache_state_test_" + hex.EncodeToString(b[:])
	exec(t, dsn, "CREATE SCHEMA "+schema)
	t.Cleanup(func() { exec(t, dsn, "DROP SCHEMA "+schema+" CASCADE") })
	return WithSearchPath(dsn, schema)
}

// Database creates a database for t on the server of the test DSN and
// returns a DSN naming it; it is dropped (with any connection still open)
// after t. Tests whose faults reach every connection of a database (ending
// them, say) use one, so that other tests are not touched.
func Database(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvDSN)
	if dsn == "" {
		t.Skip("set " + EnvDSN + "=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable to run PostgreSQL tests")
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("%s: %v", EnvDSN, err)
	}
	var b [6]byte
	rand.Read(b[:])
	name := "attache_test_db_" + hex.EncodeToString(b[:])
	exec(t, dsn, "CREATE DATABASE "+name)
	t.Cleanup(func() { exec(t, dsn, "DROP DATABASE "+name+" WITH (FORCE)") })
	u := &url.URL{Scheme: "postgres", Host: net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))), Path: "/" + name, RawQuery: "sslmode=disable"}
	if cfg.User != "" {
		u.User = url.UserPassword(cfg.User, cfg.Password)
		if cfg.Password == "" {
			u.User = url.User(cfg.User)
		}
	}
	return u.String()
}

// Exec runs one statement on dsn, failing t on error.
func Exec(t testing.TB, dsn, stmt string, args ...any) {
	t.Helper()
	exec(t, dsn, stmt, args...)
}

func exec(t testing.TB, dsn, stmt string, args ...any) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, stmt, args...); err != nil {
		t.Fatal(err)
	}
}

// WithSearchPath returns dsn (a URL or key=value connection string) with
// its search_path set to schema.
func WithSearchPath(dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		return dsn + sep + "search_path=" + schema
	}
	return strings.TrimSpace(dsn) + " search_path=" + schema
}

// Hold runs stmt (a LOCK TABLE, say) in a transaction on dsn and keeps the
// transaction open until the returned function is called (at the latest
// when t ends), so that tests can make the server block others.
func Hold(t testing.TB, dsn, stmt string) (release func()) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		conn.Close(ctx)
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, stmt); err != nil {
		conn.Close(ctx)
		t.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			tx.Rollback(ctx)
			conn.Close(ctx)
		})
	}
	t.Cleanup(release)
	return release
}
