package main

import (
	"context"
	"io"
	"path/filepath"
	"sync"
	"testing"

	"attache/bot"
	"attache/retrieval"
)

// TestReloadWhileResolvingDocuments reloads the configuration while article
// summaries resolve file paths against the configured sources; run with
// -race, any unsynchronised access to the configuration fails it.
func TestReloadWhileResolvingDocuments(t *testing.T) {
	dir := t.TempDir()
	one, two := filepath.Join(dir, "one"), filepath.Join(dir, "two")
	writeFile(t, filepath.Join(one, "a.md"), md("Fisheries talks", "2022-01-10", "Norway and Iceland held fisheries talks in Reykjavik on mackerel quotas."))
	writeFile(t, filepath.Join(two, "b.md"), md("Clove accord", "2024-03-05", "Tanzania and Oman signed a clove trade accord in Zanzibar."))
	cfgPath := filepath.Join(dir, "attache.yaml")
	configs := []string{
		"knowledge:\n  sources:\n    - name: one\n      path: ./one\n",
		"knowledge:\n  sources:\n    - name: one\n      path: ./one\n    - name: two\n      path: ./two\n",
	}
	writeFile(t, cfgPath, configs[0])
	vars := testEnv(t)
	e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return vars[k] }}
	e.flags.config = cfgPath
	e.flags.index = filepath.Join(dir, "index.db")
	ctx := context.Background()
	a, err := e.openFresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	w := &retrieval.Watcher{Indexer: a.indexer, IndexPath: e.flags.index}
	ba := &botAnswerer{app: a, env: e, watcher: w}

	const rounds = 20
	var wg sync.WaitGroup
	wg.Add(2)
	reloadErrs := make(chan error, rounds)
	go func() {
		defer wg.Done()
		for i := range rounds {
			writeFile(t, cfgPath, configs[(i+1)%2])
			if _, err := ba.Reload(ctx); err != nil {
				reloadErrs <- err
			}
		}
	}()
	summaryErrs := make(chan error, rounds)
	go func() {
		defer wg.Done()
		for range rounds {
			ans, err := ba.Summarize(ctx, bot.SummaryQuery{DocID: filepath.Join(one, "a.md")})
			if err == nil && len(ans.Citations) == 0 {
				t.Errorf("summary of a.md has no citations: %q", ans.Text)
			}
			if err != nil {
				summaryErrs <- err
			}
		}
	}()
	wg.Wait()
	close(reloadErrs)
	close(summaryErrs)
	for err := range reloadErrs {
		t.Errorf("reload: %v", err)
	}
	for err := range summaryErrs {
		t.Errorf("summary: %v", err)
	}
	got := a.cfg().Knowledge.Sources
	if len(got) != 1 || got[0].Name != "one" {
		t.Errorf("sources after the last reload = %+v, want only one", got)
	}
}
