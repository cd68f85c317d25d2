package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"attache"
	"attache/internal/fakediscord"
	"attache/state"
	statepostgres "attache/state/postgres"
	"attache/state/postgres/pgtest"
)

// stateOf returns the state store of a, opening it when needed.
func stateOf(t *testing.T, a *app) state.Store {
	t.Helper()
	st, err := a.stateStore(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// Votes live in the state folder, not beside the index in the cache: a
// cleared cache (or another set of sources, hence another index file)
// keeps them.
func TestVotesSurviveAClearedCache(t *testing.T) {
	t.Parallel()
	vars := testEnv(t)
	vars["XDG_STATE_HOME"] = filepath.Join(t.TempDir(), "state home")
	index := filepath.Join(vars["XDG_CACHE_HOME"], "attache", "index.db")
	args := []string{"--knowledge", "../../knowledge", "--index", index}
	e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return vars[k] }}
	e.flags.knowledge, e.flags.index = args[1], args[3]
	a, err := e.open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	fs := stateOf(t, a)
	id, err := fs.RecordAnswer(ctx, attache.Feedback{Question: "Kept?", Answer: "Yes [1].", PassageIDs: []string{"knowledge/x.md#0"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := fs.Vote(ctx, id, "u1", -1); err != nil {
		t.Fatal(err)
	}
	a.Close()
	if _, err := os.Stat(filepath.Join(vars["XDG_STATE_HOME"], "attache", "state.db")); err != nil {
		t.Errorf("no state database in the state folder: %v", err)
	}
	if err := os.RemoveAll(vars["XDG_CACHE_HOME"]); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "fb.jsonl")
	if code, _, errs := run(t, vars, append(args, "feedback", "export", "-o", out)...); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var f attache.Feedback
	if err := json.Unmarshal(data, &f); err != nil || f.AnswerID != id || f.Down != 1 {
		t.Errorf("export after the cache was cleared: %s %v", data, err)
	}

	// state.dir moves it.
	vars["ATTACHE_STATE_DIR"] = filepath.Join(t.TempDir(), "elsewhere")
	if code, _, errs := run(t, vars, append(args, "feedback", "export", "-o", out)...); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if data, err := os.ReadFile(out); err != nil || len(data) != 0 {
		t.Errorf("another state folder has votes: %q %v", data, err)
	}
	if _, err := os.Stat(filepath.Join(vars["ATTACHE_STATE_DIR"], "state.db")); err != nil {
		t.Errorf("state.dir not used: %v", err)
	}
}

// Two bot processes on one PostgreSQL state store share each user's rate
// limit: a user over the burst across both is turned away by either.
func TestBotsShareOneRateLimit(t *testing.T) {
	t.Parallel()
	dsn := pgtest.Schema(t)
	env := map[string]string{"ATTACHE_DISCORD_RATE_LIMIT_PER_MINUTE": "1", "ATTACHE_DISCORD_RATE_LIMIT_BURST": "2"}
	var bots []*harness
	for range 2 {
		st, err := statepostgres.Open(context.Background(), dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		bots = append(bots, startBot(t, harnessOpts{env: env, state: st}))
	}
	for i, step := range []struct {
		bot     int
		user    string
		limited bool
	}{
		{0, fakediscord.DefaultUserID, false},
		{1, fakediscord.DefaultUserID, false},
		{1, fakediscord.DefaultUserID, true}, // the third question across both processes
		{0, fakediscord.DefaultUserID, true},
		{1, "1100000000000000077", false}, // another user has a budget of their own
	} {
		h := bots[step.bot]
		o := h.slash(fakediscord.SlashOpts{Command: "ask", UserID: step.user,
			Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
		typ, data := callbackType(t, h.callback(o.Token, 10*time.Second))
		limited := typ == 4 && strings.Contains(fmt.Sprint(data["content"]), "asking quickly")
		if limited != step.limited || !limited && typ != 5 {
			t.Errorf("question %d (bot %d, user %s): callback %d %v, want rate-limited %v", i+1, step.bot, step.user, typ, data, step.limited)
		}
		if !limited {
			h.waitEdit(o.Token, 20*time.Second, hasSourcesEmbed)
		}
	}
}

// Without a shared store (sqlite), each process keeps its own buckets.
func TestSQLiteStateKeepsTheRateLimitInProcess(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{})
	st := stateOf(t, h.app)
	if h.app.botRateLimit(st) != nil {
		t.Error("the SQLite state store is used as a shared rate limit")
	}
}
