package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"attache/eval"
	"attache/retrieval"
	"attache/retrieval/postgres"
)

// postgresEnv returns a test environment whose index lives in a new schema
// of the test server, dropped when the test ends, or skips the test.
func postgresEnv(t *testing.T) (map[string]string, string) {
	t.Helper()
	base := os.Getenv("ATTACHE_TEST_POSTGRES_DSN")
	if base == "" {
		t.Skip("set ATTACHE_TEST_POSTGRES_DSN=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable to run PostgreSQL tests")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "attache_cmd_" + hex.EncodeToString(b)
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	dsn := base + sep + "search_path=" + schema
	t.Cleanup(func() {
		s, err := postgres.Open(context.Background(), dsn, postgres.Options{}, nil)
		if err != nil {
			t.Errorf("open %s to drop it: %v", schema, err)
			return
		}
		defer s.Close()
		if err := s.Drop(context.Background()); err != nil {
			t.Errorf("drop %s: %v", schema, err)
		}
	})
	env := testEnv(t)
	env["ATTACHE_INDEX_DRIVER"] = "postgres"
	env["ATTACHE_INDEX_DSN"] = dsn
	return env, dsn
}

// The commands that read and write the index run on PostgreSQL over the
// bundled articles, keeping the indexer's catalog in the cache folder.
func TestPostgresCommands(t *testing.T) {
	t.Parallel()
	env, _ := postgresEnv(t)
	kn := []string{"--knowledge", bundledKnowledge}
	code, _, errs := run(t, env, append(kn, "index")...)
	if code != 0 {
		t.Fatalf("index: exit %d: %s", code, errs)
	}
	catalogs, _ := filepath.Glob(filepath.Join(env["XDG_CACHE_HOME"], "attache", "postgres-*", ".index.files"))
	if len(catalogs) != 1 {
		t.Errorf("catalog files in the cache folder: %v, want one", catalogs)
	}
	code, out, errs := run(t, env, append(kn, "index")...)
	if code != 0 || strings.Contains(errs, "error") {
		t.Fatalf("second index: exit %d: %s\n%s", code, errs, out)
	}

	code, out, errs = run(t, env, append(kn, "index", "--rebuild")...)
	if code != 0 {
		t.Fatalf("index --rebuild: exit %d: %s\n%s", code, errs, out)
	}

	code, out, errs = run(t, env, append(kn, "sources")...)
	if code != 0 || !strings.Contains(out, "index: PostgreSQL ") || !strings.Contains(out, "search_path=attache_cmd_") {
		t.Errorf("sources: exit %d: %s\n%s", code, errs, out)
	}

	code, out, errs = run(t, env, append(kn, "search", "Havana", "migration", "talks", "2010")...)
	if code != 0 || !strings.Contains(out, "2010-02-us-cuba-migration-talks") {
		t.Errorf("search: exit %d: %s\n%s", code, errs, out)
	}

	code, out, errs = run(t, env, append(kn, "ask", "--json", "What did the US and Cuban delegations discuss in Havana in February 2010?")...)
	if code != 0 {
		t.Fatalf("ask: exit %d: %s", code, errs)
	}
	var a askOut
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("ask: %v\n%s", err, out)
	}
	if !a.Answered || len(a.Citations) == 0 || a.Citations[0].DocID != "knowledge/2010-02-us-cuba-migration-talks.md" {
		t.Errorf("ask: %+v", a)
	}
	checkMarkers(t, a)

	code, out, errs = run(t, env, append(kn, "eval", "--questions", "../../eval/bundled.jsonl", "--json")...)
	if code != 0 {
		t.Fatalf("eval: exit %d: %s", code, errs)
	}
	var rep evalJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("eval: %v\n%s", err, out)
	}
	if o := rep.Overall; o.Errors != 0 || o.N == 0 || o.RecallAtK < 0.9 || o.MRR < 0.75 {
		t.Errorf("eval on PostgreSQL: %+v", o)
	}
	t.Logf("eval on PostgreSQL: %+v", rep.Overall)
}

// While another run writes the index, `search` answers from the last
// committed index with a warning, and `index` waits for the run to end.
func TestPostgresIndexBusy(t *testing.T) {
	t.Parallel()
	env, dsn := postgresEnv(t)
	f := newIndexFixture(t, t.TempDir())
	for k, v := range env {
		f.env[k] = v
	}
	f.build(t)
	f.addArticle(t)

	// Another run holds the write lock until released.
	other, err := postgres.Open(context.Background(), dsn, postgres.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	holding, release := make(chan struct{}), make(chan struct{})
	applied := make(chan error, 1)
	go func() {
		applied <- other.Apply(context.Background(), retrieval.Changes{Stream: func(ctx context.Context, put func(retrieval.Change) error) error {
			close(holding)
			<-release
			return nil
		}})
	}()
	<-holding

	code, out, errs := run(t, f.env, f.args("search", "walrus", "embassy")...)
	if code != 0 || !strings.Contains(out, "Embassy Reopens in Havana") || strings.Contains(out, "Ferry Service") {
		t.Errorf("search while another run writes: exit %d: %s\n%s", code, errs, out)
	}
	if !strings.Contains(errs, "answering from the last complete index") {
		t.Errorf("search while another run writes: no warning: %s", errs)
	}

	indexed := make(chan string, 1)
	go func() {
		code, _, errs := run(t, f.env, f.args("index")...)
		if code != 0 {
			errs += " (exit " + string(rune('0'+code)) + ")"
		}
		indexed <- errs
	}()
	time.Sleep(500 * time.Millisecond)
	select {
	case errs := <-indexed:
		t.Fatalf("index finished while another run wrote: %s", errs)
	default:
	}
	close(release)
	if err := <-applied; err != nil {
		t.Fatal(err)
	}
	if errs := <-indexed; !strings.Contains(errs, waitMessage) || strings.Contains(errs, "exit") {
		t.Errorf("index after waiting: %s", errs)
	}
	code, out, errs = run(t, f.env, f.args("search", "walrus", "ferry")...)
	if code != 0 || !strings.Contains(out, "Ferry Service") {
		t.Errorf("search after the wait: exit %d: %s\n%s", code, errs, out)
	}
}

// topDocs returns the first k distinct documents of a search.
func topDocs(t *testing.T, a *app, q string, k int) []string {
	t.Helper()
	res, err := a.searcher.Search(context.Background(), q, retrieval.SearchOptions{K: 10})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	var out []string
	seen := map[string]bool{}
	for _, h := range res.Hits {
		if !seen[h.DocID] && len(out) < k {
			seen[h.DocID] = true
			out = append(out, h.DocID)
		}
	}
	return out
}

// Both stores give the same five best documents for nearly every bundled
// question: the same candidates, frequencies and scores feed the same
// re-ranking.
func TestPostgresSameTopDocsAsSQLite(t *testing.T) {
	t.Parallel()
	pgEnv, _ := postgresEnv(t)
	pg := openApp(t, pgEnv, bundledKnowledge, nil)
	lite := openApp(t, testEnv(t), bundledKnowledge, nil)
	files, _ := filepath.Glob("../../eval/bundled*.jsonl")
	var qs []eval.Question
	for _, f := range files {
		more, err := eval.LoadQuestions(f)
		if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, more...)
	}
	if len(qs) < 100 {
		t.Fatalf("%d bundled questions in %v", len(qs), files)
	}
	same := 0
	for _, q := range qs {
		a, b := topDocs(t, lite, q.Question, 5), topDocs(t, pg, q.Question, 5)
		if equalSets(a, b) {
			same++
		} else {
			t.Logf("%s %q:\n  sqlite   %v\n  postgres %v", q.ID, q.Question, a, b)
		}
	}
	share := float64(same) / float64(len(qs))
	t.Logf("same top-5 documents for %d of %d questions (%.1f%%)", same, len(qs), 100*share)
	if share < 0.95 {
		t.Errorf("same top-5 documents for %.1f%% of the bundled questions, want at least 95%%", 100*share)
	}
}

func equalSets(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	in := map[string]bool{}
	for _, x := range a {
		in[x] = true
	}
	for _, x := range b {
		if !in[x] {
			return false
		}
	}
	return true
}
