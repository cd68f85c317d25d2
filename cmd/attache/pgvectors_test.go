package main

import (
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"attache/internal/fakellm"
)

// With the index on PostgreSQL, embeddings are kept in the database: a
// process on another machine (another cache folder) answers from the
// vectors the first computed, embedding only its question, and no process
// keeps a vectors file of its own.
func TestPostgresHybridSharesEmbeddings(t *testing.T) {
	t.Parallel()
	fake := fakellm.New(t, nil)
	env, _ := postgresEnv(t)
	env["ATTACHE_EMBEDDINGS_BASE_URL"] = fake.BaseURL()
	env["ATTACHE_EMBEDDINGS_MODEL"] = "fake-embed"
	env["ATTACHE_EMBEDDINGS_BATCH_SIZE"] = "16"
	kn := []string{"--knowledge", bundledKnowledge}

	a := askLLM(t, env, append(kn, "ask", "--json", seedQ)...)
	if !a.Answered || a.Mode != "extractive" || len(a.Citations) == 0 || !strings.Contains(a.Citations[0].Path, "2010-02-us-cuba") {
		t.Fatalf("hybrid answer on PostgreSQL: %+v", a)
	}
	first := fake.Embedded()
	if first < 42 {
		t.Fatalf("only %d texts embedded for 42 articles", first)
	}

	other := maps.Clone(env)
	other["XDG_CACHE_HOME"] = filepath.Join(t.TempDir(), "cache")
	b := askLLM(t, other, append(kn, "ask", "--json", "What measures did the administration take on Cuba in July 2021?")...)
	if !b.Answered || len(b.Citations) == 0 {
		t.Errorf("second process: %+v", b)
	}
	got := fake.Embedded() - first
	if got > 1 {
		t.Errorf("a second process embedded %d texts; want only the question", got)
	}
	t.Logf("texts embedded: %d by the first process, %d by the second", first, got)

	for _, home := range []string{env["XDG_CACHE_HOME"], other["XDG_CACHE_HOME"]} {
		files, _ := filepath.Glob(filepath.Join(home, "attache", "postgres-*", "*.vectors*"))
		if len(files) != 0 {
			t.Errorf("vectors kept in local files: %v", files)
		}
	}
}
