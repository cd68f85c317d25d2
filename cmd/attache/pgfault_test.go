package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

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

// TestPostgresRestartWhileServing ends every connection the bot holds to
// its database, as a restart of the server does: the question asked then
// gets an answer or a clear "unavailable" message, never a generic
// failure, and the next question is answered without restarting the bot.
func TestPostgresRestartWhileServing(t *testing.T) {
	t.Parallel()
	dsn := pgtest.Database(t)
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
	pgtest.Exec(t, admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", strings.TrimPrefix(u.Path, "/"))
	if m := ask("during"); !hasSourcesEmbed(m) && !strings.Contains(m.Content, "unavailable right now") {
		t.Errorf("the question asked as the connections ended got %q, want an answer or the unavailable message", m.Content)
	}
	if m := ask("after"); !hasSourcesEmbed(m) {
		t.Errorf("the next question was not answered: %q", m.Content)
	}
}

// TestPostgresPoolBusyWhileServing holds the one connection of the bot's
// pool in a question blocked by a table lock: the next question waits for a
// connection as long as the queue timeout, then is told the bot is busy
// (the blocked one too when it needs a second connection at once); once the
// lock goes, questions are answered again.
func TestPostgresPoolBusyWhileServing(t *testing.T) {
	t.Parallel()
	dsn := pgtest.Database(t)
	h := startBot(t, harnessOpts{env: map[string]string{
		"ATTACHE_INDEX_DRIVER":             "postgres",
		"ATTACHE_INDEX_DSN":                dsn,
		"ATTACHE_INDEX_MAX_CONNS":          "1",
		"ATTACHE_DISCORD_QUEUE_TIMEOUT":    "1s",
		"ATTACHE_DISCORD_RATE_LIMIT_BURST": "10",
	}})
	ask := func(token string) {
		t.Helper()
		h.slash(fakediscord.SlashOpts{Command: "ask", Token: token, Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
	}
	reply := func(token string) fakediscord.Message {
		t.Helper()
		return h.discord.WaitMessage(t, 30*time.Second, func(m fakediscord.Message) bool {
			return strings.Contains(m.Call.Path, "/"+token) &&
				(hasSourcesEmbed(m) || strings.Contains(m.Content, "Sorry") || strings.Contains(m.Content, "right now"))
		})
	}
	ask("warm")
	if m := reply("warm"); !hasSourcesEmbed(m) {
		t.Fatalf("first question not answered: %q", m.Content)
	}
	release := pgtest.Hold(t, dsn, "LOCK TABLE attache.passages IN ACCESS EXCLUSIVE MODE")
	// One question takes the connection and blocks on the lock; the other
	// (whichever comes second) finds no free connection.
	ask("blocked")
	ask("waiting")
	busy := h.discord.WaitMessage(t, 30*time.Second, func(m fakediscord.Message) bool {
		return (strings.Contains(m.Call.Path, "/blocked") || strings.Contains(m.Call.Path, "/waiting")) &&
			strings.Contains(m.Content, "answering many questions right now")
	})
	first := "waiting"
	if strings.Contains(busy.Call.Path, "/waiting") {
		first = "blocked"
	}
	release()
	if m := reply(first); !hasSourcesEmbed(m) && !strings.Contains(m.Content, "answering many questions right now") {
		t.Errorf("the question that held the connection got %q, want an answer or the busy message", m.Content)
	}
	ask("after")
	if m := reply("after"); !hasSourcesEmbed(m) {
		t.Errorf("a question after the lock went got %q, want an answer", m.Content)
	}
}
