// Package pgtest gives tests a PostgreSQL schema of their own: created
// for one test in the database of ATTACHE_TEST_POSTGRES_DSN, dropped when
// the test ends. Without that variable the test is skipped.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
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

func exec(t testing.TB, dsn, stmt string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, stmt); err != nil {
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
