package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"attache"
	"attache/bot"
	"attache/internal/fakediscord"
	"attache/retrieval/postgres"
	"attache/state/postgres/pgtest"
)

func TestStoreErrorClassification(t *testing.T) {
	for _, tc := range []struct {
		name     string
		err      error
		busy     bool
		code     string
		original error
	}{
		{"pool busy", fmt.Errorf("search: %w", postgres.ErrPoolBusy), true, attache.EINTERNAL, postgres.ErrPoolBusy},
		{"connection lost", fmt.Errorf("search: %w", postgres.ErrConnLost), false, attache.EUNAVAILABLE, postgres.ErrConnLost},
		{"other", errors.New("boom"), false, attache.EINTERNAL, nil},
		{"invalid stays invalid", attache.Errorf(attache.EINVALID, "bad date"), false, attache.EINVALID, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := storeError(tc.err)
			if errors.Is(got, bot.ErrBusy) != tc.busy {
				t.Errorf("busy = %v, want %v", errors.Is(got, bot.ErrBusy), tc.busy)
			}
			if c := attache.ErrorCode(got); c != tc.code {
				t.Errorf("code %q, want %q", c, tc.code)
			}
			if tc.original != nil && !errors.Is(got, tc.original) {
				t.Errorf("the cause is lost: %v", got)
			}
		})
	}
	if storeError(nil) != nil {
		t.Error("storeError(nil) is not nil")
	}
}

// pgDatabase creates a database of the test's own on the server of
// ATTACHE_TEST_POSTGRES_DSN (so that its connections can be ended without
// touching other tests) and returns its DSN; it is dropped after the test.
func pgDatabase(t *testing.T) string {
	t.Helper()
	base := os.Getenv(pgtest.EnvDSN)
	if base == "" {
		t.Skip("set " + pgtest.EnvDSN + "=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable to run PostgreSQL tests")
	}
	u, err := url.Parse(base)
	if err != nil || u.Scheme == "" {
		t.Skipf("%s is not a URL; this test needs one", pgtest.EnvDSN)
	}
	var b [6]byte
	rand.Read(b[:])
	name := "attache_fault_" + hex.EncodeToString(b[:])
	adminExec(t, base, "CREATE DATABASE "+name)
	t.Cleanup(func() { adminExec(t, base, "DROP DATABASE "+name+" WITH (FORCE)") })
	u.Path = "/" + name
	return u.String()
}

func adminExec(t *testing.T, dsn, stmt string, args ...any) {
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

// TestPostgresRestartWhileServing ends every connection the bot holds to
// its database, as a restart of the server does: the question asked then
// gets an answer or a clear "unavailable" message, never a generic
// failure, and the next question is answered without restarting the bot.
func TestPostgresRestartWhileServing(t *testing.T) {
	t.Parallel()
	dsn := pgDatabase(t)
	h := startBot(t, harnessOpts{env: map[string]string{
		"ATTACHE_INDEX_DRIVER":          "postgres",
		"ATTACHE_INDEX_DSN":             dsn,
		"ATTACHE_CONSOLE_LOG_QUESTIONS": "true",
	}})
	ask := func(token string) fakediscord.Message {
		t.Helper()
		h.slash(fakediscord.SlashOpts{Command: "ask", Token: token, Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
		// A failure goes privately to the asker, as a follow-up.
		return h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool {
			return strings.Contains(m.Call.Path, "/"+token) &&
				(hasSourcesEmbed(m) || strings.Contains(m.Content, "Sorry") || strings.Contains(m.Content, "unavailable"))
		})
	}
	if m := ask("before"); !hasSourcesEmbed(m) {
		t.Fatalf("first question not answered: %q", m.Content)
	}
	u, _ := url.Parse(dsn)
	admin := os.Getenv(pgtest.EnvDSN)
	adminExec(t, admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", strings.TrimPrefix(u.Path, "/"))
	if m := ask("during"); !hasSourcesEmbed(m) && !strings.Contains(m.Content, "unavailable right now") {
		t.Errorf("the question asked as the connections ended got %q, want an answer or the unavailable message", m.Content)
	}
	if m := ask("after"); !hasSourcesEmbed(m) {
		t.Errorf("the next question was not answered: %q", m.Content)
	}
}
