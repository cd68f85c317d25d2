package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// run executes the CLI in-process with a private environment: no config file
// from the machine, no cache directory outside the test's temp dir.
func run(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code = Main(context.Background(), args, strings.NewReader(""), &out, &errb, getenv)
	return code, out.String(), errb.String()
}

// testEnv returns an environment whose config and cache dirs are inside a temp dir.
func testEnv(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	return map[string]string{
		"XDG_CONFIG_HOME": filepath.Join(dir, "config"),
		"XDG_CACHE_HOME":  filepath.Join(dir, "cache"),
		"HOME":            dir,
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

type askOut struct {
	Question  string `json:"question"`
	Answer    string `json:"answer"`
	Answered  bool   `json:"answered"`
	Mode      string `json:"mode"`
	Citations []struct {
		N       int    `json:"n"`
		DocID   string `json:"doc_id"`
		Title   string `json:"title"`
		Path    string `json:"path"`
		Source  string `json:"source"`
		Date    string `json:"date"`
		URL     string `json:"url"`
		Passage string `json:"passage"`
	} `json:"citations"`
	Warnings []string `json:"warnings"`
}

var markerRE = regexp.MustCompile(`\[(\d+)\]`)

// checkMarkers asserts that every [n] in the answer names a citation.
func checkMarkers(t *testing.T, a askOut) {
	t.Helper()
	ns := map[int]bool{}
	for _, c := range a.Citations {
		ns[c.N] = true
	}
	for _, m := range markerRE.FindAllStringSubmatch(a.Answer, -1) {
		n, _ := strconv.Atoi(m[1])
		if !ns[n] {
			t.Errorf("answer cites [%d] but citations are %v", n, ns)
		}
	}
}

func TestSeedQuestionOnBundledKnowledge(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	code, out, errs := run(t, env, "--knowledge", "../../knowledge", "ask", "--json",
		"What did the US and Cuban delegations discuss in Havana in February 2010?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var a askOut
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	if !a.Answered || a.Mode != "extractive" {
		t.Fatalf("answered=%v mode=%q: %s", a.Answered, a.Mode, a.Answer)
	}
	if len(a.Citations) == 0 || !strings.Contains(a.Citations[0].Path, "2010-02-us-cuba-migration-talks") {
		t.Fatalf("first citation is not the seed article: %+v", a.Citations)
	}
	if !strings.Contains(strings.ToLower(a.Answer), "migration") {
		t.Errorf("answer does not mention migration: %s", a.Answer)
	}
	if !markerRE.MatchString(a.Answer) {
		t.Errorf("answer has no citation marker: %s", a.Answer)
	}
	if !strings.Contains(a.Answer, "dates from February 2010") {
		t.Errorf("an answer from a 2010 article does not say so: %s", a.Answer)
	}
	checkMarkers(t, a)
}

func TestCLIContracts(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	dir := t.TempDir()
	kn := filepath.Join(dir, "articles")
	writeFile(t, filepath.Join(kn, "2024-05-01-embassy.md"), `---
title: "Embassy Reopens in Havana"
date: 2024-05-01
url: https://example.org/embassy
---

The United States embassy in Havana resumed full visa processing on Wednesday, officials said.
Consular staff had been reduced since 2017 after unexplained health incidents affected diplomats.

The decision follows months of talks between the two governments on migration and family reunification.
`)
	writeFile(t, filepath.Join(kn, "notes", "tariffs.txt"), "Tariffs on steel\n\nThe tariff on imported steel rose to 25 percent in March, according to the trade office.\n")
	writeFile(t, filepath.Join(kn, "broken.md"), "---\ntitle: never closed\ndate: 2020-01-01\n\nbody text here\n")
	writeFile(t, filepath.Join(kn, "empty.txt"), "")
	index := filepath.Join(dir, "index.db")
	base := []string{"--knowledge", kn, "--index", index}

	t.Run("index", func(t *testing.T) {
		code, out, errs := run(t, env, append(base, "index")...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if !strings.Contains(out, "added 2") || !strings.Contains(out, "skipped 2") {
			t.Errorf("summary: %s", out)
		}
		if !strings.Contains(errs, "broken.md") || !strings.Contains(errs, "empty.txt") {
			t.Errorf("skips not logged with file names: %s", errs)
		}
		code, out, _ = run(t, env, append(base, "index")...)
		if code != 0 || !strings.Contains(out, "unchanged 2") || !strings.Contains(out, "added 0") {
			t.Errorf("second run: %d %s", code, out)
		}
	})

	t.Run("search json", func(t *testing.T) {
		code, out, errs := run(t, env, append(base, "search", "--json", "--k", "3", "visa processing embassy")...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var res map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		var results []map[string]any
		if err := json.Unmarshal(res["results"], &results); err != nil || len(results) == 0 {
			t.Fatalf("results: %v %s", err, out)
		}
		for _, key := range []string{"rank", "doc_id", "title", "path", "source", "date", "url", "score", "text"} {
			if _, ok := results[0][key]; !ok {
				t.Errorf("result lacks %q: %v", key, results[0])
			}
		}
		if results[0]["path"] != "2024-05-01-embassy.md" || results[0]["source"] != "articles" ||
			results[0]["doc_id"] != "articles/2024-05-01-embassy.md" || results[0]["date"] != "2024-05-01" {
			t.Errorf("first result: %v", results[0])
		}
		var q string
		if err := json.Unmarshal(res["query"], &q); err != nil || q != "visa processing embassy" {
			t.Errorf("query echoed as %q", q)
		}
	})

	t.Run("ask json", func(t *testing.T) {
		code, out, errs := run(t, env, append(base, "ask", "--json", "When did the embassy in Havana resume visa processing?")...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var a askOut
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Fatal(err)
		}
		if !a.Answered || len(a.Citations) == 0 || a.Citations[0].URL != "https://example.org/embassy" || a.Warnings == nil {
			t.Fatalf("answer: %+v", a)
		}
		checkMarkers(t, a)
	})

	t.Run("unanswerable", func(t *testing.T) {
		code, out, _ := run(t, env, append(base, "ask", "--json", "What is the population of Mars colonies in 2090?")...)
		if code != 0 {
			t.Fatal(code)
		}
		var a askOut
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Fatal(err)
		}
		if a.Answered || len(a.Citations) != 0 || markerRE.MatchString(a.Answer) {
			t.Errorf("expected a refusal: %+v", a)
		}
	})

	t.Run("usage errors exit 2", func(t *testing.T) {
		for _, args := range [][]string{
			{"ask"},
			{"search", "--k", "0", "x"},
			{"search", "--since", "March", "x"},
			{"frobnicate"},
			{"ask", "--no-such-flag", "x"},
		} {
			code, _, errs := run(t, env, append(base, args...)...)
			if code != 2 || errs == "" {
				t.Errorf("%v: exit %d, stderr %q", args, code, errs)
			}
		}
	})

	t.Run("deleted file leaves the index", func(t *testing.T) {
		sub := t.TempDir()
		writeFile(t, filepath.Join(sub, "a.txt"), "Alpha title\n\nZanzibar cloves trade agreement signed.\n")
		writeFile(t, filepath.Join(sub, "b.txt"), "Beta title\n\nQuokka conservation treaty signed.\n")
		args := []string{"--knowledge", sub, "--index", filepath.Join(sub, ".idx", "i.db")}
		if code, _, errs := run(t, env, append(args, "index")...); code != 0 {
			t.Fatal(errs)
		}
		if err := os.Remove(filepath.Join(sub, "b.txt")); err != nil {
			t.Fatal(err)
		}
		_, out, _ := run(t, env, append(args, "search", "--json", "quokka")...)
		if strings.Contains(out, "b.txt") {
			t.Errorf("deleted file still found: %s", out)
		}
	})
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "attache.yaml")
	writeFile(t, cfg, "knowledge:\n  sorces: []\n")
	code, _, errs := run(t, env, "--config", cfg, "config", "check")
	if code != 2 || !strings.Contains(errs, "sorces") {
		t.Errorf("unknown key: exit %d, %s", code, errs)
	}

	secret := "sk-test-SECRET-0123456789"
	env2 := testEnv(t)
	env2["ATTACHE_LLM_API_KEY"] = secret
	env2["ATTACHE_LLM_MODEL"] = "gpt-4o-mini"
	code, out, errs := run(t, env2, "--knowledge", "../../knowledge", "config", "check")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Contains(out+errs, secret) {
		t.Errorf("secret printed by config check")
	}
	if !strings.Contains(out, "gpt-4o-mini") {
		t.Errorf("effective config missing model: %s", out)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	code, out, _ := run(t, testEnv(t), "version")
	if want := "attache " + buildVersion() + "\n"; code != 0 || out != want {
		t.Errorf("version: %d %q, want %q", code, out, want)
	}
	if strings.Contains(out, "dev\n") {
		t.Errorf("version prints a placeholder: %q", out)
	}
}

func TestServeWithoutTokenExplains(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	code, _, errs := run(t, env, "--knowledge", "../../knowledge", "--index", filepath.Join(t.TempDir(), "i.db"), "serve")
	if code != 2 || !strings.Contains(errs, "ATTACHE_DISCORD_TOKEN") {
		t.Errorf("exit %d: %s", code, errs)
	}
}

// openApp wires the app in process, as a command would, over a knowledge
// folder and a private index, brings the index up to date and closes the app
// when the test ends. Logs go to logs when it is not nil.
func openApp(t *testing.T, vars map[string]string, knowledge string, logs io.Writer) *app {
	t.Helper()
	if logs == nil {
		logs = io.Discard
	}
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: logs,
		getenv: func(k string) string { return vars[k] },
		flags:  globalFlags{knowledge: knowledge, index: filepath.Join(t.TempDir(), "index.db"), logLevel: "warn"}}
	a, err := e.openFresh(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// TestAskFromAnyFolder runs the program where there is no ./knowledge: it
// answers from the articles built into it, with the usual document IDs.
func TestAskFromAnyFolder(t *testing.T) {
	t.Chdir(t.TempDir())
	env := testEnv(t)
	code, out, errs := run(t, env, "ask", "--json", "What did the US and Cuban delegations discuss in Havana in February 2010?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var a askOut
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if !a.Answered || len(a.Citations) == 0 || a.Citations[0].DocID != "knowledge/2010-02-us-cuba-migration-talks.md" {
		t.Errorf("answer from the bundled articles: %+v", a)
	}
	checkMarkers(t, a)
	if _, err := os.Stat("knowledge"); err == nil {
		t.Error("a knowledge folder was created in the working directory")
	}
	// The summary of a bundled article finds it by its path.
	code, out, errs = run(t, env, "summarize", "--doc", "2010-02-us-cuba-migration-talks.md")
	if code != 0 || !strings.Contains(out, "[1]") {
		t.Errorf("summarize: exit %d: %s%s", code, out, errs)
	}
}
