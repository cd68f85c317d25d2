package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"attache/retrieval"
	"attache/retrieval/storetest"
)

// testDSN returns the test server's DSN, or skips the test.
func testDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("ATTACHE_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("set ATTACHE_TEST_POSTGRES_DSN=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable to run PostgreSQL tests")
	}
	return dsn
}

// uniqueSchema returns a new schema name for one test.
func uniqueSchema() string {
	b := make([]byte, 6)
	rand.Read(b)
	return "attache_test_" + hex.EncodeToString(b)
}

// openSchema opens a store on schema and drops the schema when the test ends.
func openSchema(t testing.TB, schema string, o Options) *Store {
	t.Helper()
	o.Schema = schema
	s, err := Open(context.Background(), testDSN(t), o, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		dropSchema(t, schema)
	})
	return s
}

// dropSchema drops a test schema on a connection of its own (the store may
// be closed already).
func dropSchema(t testing.TB, schema string) {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, testDSN(t))
	if err != nil {
		t.Errorf("drop schema %s: %v", schema, err)
		return
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
		t.Errorf("drop schema %s: %v", schema, err)
	}
}

func openTest(t testing.TB, o Options) *Store {
	t.Helper()
	return openSchema(t, uniqueSchema(), o)
}

func TestContract(t *testing.T) {
	testDSN(t)
	storetest.Run(t, func(t *testing.T) retrieval.Store { return openTest(t, Options{}) })
}
