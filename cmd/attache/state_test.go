package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"attache"
	"attache/state"
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
