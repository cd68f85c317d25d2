package main

import (
	"context"
	"io"
	"maps"
	"os"
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

// A process whose watcher found nothing to write (another process wrote
// the change first) still loads the new passages' vectors, from the shared
// cache, without embedding them again.
func TestPostgresVectorsFollowAnotherWriter(t *testing.T) {
	t.Parallel()
	fake := fakellm.New(t, nil)
	vars0, _ := postgresEnv(t)
	vars0["ATTACHE_EMBEDDINGS_BASE_URL"] = fake.BaseURL()
	vars0["ATTACHE_EMBEDDINGS_MODEL"] = "fake-embed"
	dir := filepath.Join(t.TempDir(), "knowledge")
	seed, err := os.ReadFile(filepath.Join(bundledKnowledge, "2010-02-us-cuba-migration-talks.md"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "a.md"), string(seed))
	open := func(cache string) *app {
		t.Helper()
		vars := maps.Clone(vars0)
		vars["XDG_CACHE_HOME"] = cache
		e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return vars[k] }}
		e.flags.knowledge = dir
		a, err := e.open(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { a.Close() })
		if _, err := a.refresh(context.Background()); err != nil {
			t.Fatal(err)
		}
		return a
	}
	first, second := open(t.TempDir()), open(t.TempDir())
	before := second.vectors.Len()
	if before == 0 {
		t.Fatal("the second process holds no vectors")
	}

	writeFile(t, filepath.Join(dir, "b.md"), strings.Replace(string(seed), "Respect in Migration Talks", "Another Round of Talks", 1)+"\n\nA new closing paragraph on the next round.\n")
	sum, err := first.refresh(context.Background())
	if err != nil || !sum.Changed() {
		t.Fatalf("the first process's sync: %v, %v", sum, err)
	}
	embedded := fake.Embedded()
	// The second process's watcher syncs too, and finds the work done.
	sum, err = second.indexer.Sync(context.Background())
	if err != nil || sum.Changed() {
		t.Fatalf("the second process's sync: %v, %v; want nothing left to write", sum, err)
	}
	if err := second.afterSync(context.Background(), sum, nil); err != nil {
		t.Fatal(err)
	}
	if got := second.vectors.Len(); got <= before {
		t.Errorf("the second process holds %d vectors after the change, %d before", got, before)
	}
	if n := fake.Embedded() - embedded; n != 0 {
		t.Errorf("the second process embedded %d texts; the first had embedded them", n)
	}
}
