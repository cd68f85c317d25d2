package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"attache"
	"attache/internal/fakediscord"
)

func TestBotAnswerLog(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		on   bool
	}{{"log on", true}, {"log off", false}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addr := freeAddr(t)
			env := map[string]string{}
			if tc.on {
				env["ATTACHE_CONSOLE_LOG_QUESTIONS"] = "true"
			}
			h := startBot(t, harnessOpts{httpAddr: addr, withLLM: true, env: env})
			o := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
			h.waitEdit(o.Token, 20*time.Second, hasSourcesEmbed)

			ctx := context.Background()
			got, err := h.app.store.(answerLogStore).LoggedAnswers(ctx, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if !tc.on {
				if len(got) != 0 {
					t.Errorf("log off, yet %d entries: %+v", len(got), got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("%d entries, want 1: %+v", len(got), got)
			}
			e := got[0]
			if e.Question != seedQ || e.Outcome != attache.OutcomeAnswered || e.Command != "ask" ||
				e.ChannelID != fakediscord.DefaultChannelID || e.Model != "fake-model" || e.Usage.PromptTokens <= 0 ||
				len(e.DocIDs) == 0 || e.LatencyMS["retrieve"] < 0 {
				t.Errorf("entry: %+v", e)
			}
			for _, id := range e.DocIDs {
				if _, err := h.app.store.Document(ctx, id); err != nil {
					t.Errorf("cited document %q: %v", id, err)
				}
			}
			if e.UserHash == "" || strings.Contains(e.UserHash, fakediscord.DefaultUserID) {
				t.Errorf("user hash %q", e.UserHash)
			}

			body := getMetrics(t, addr)
			for _, want := range []string{
				`attache_build_info{goversion="go`,
				`attache_llm_tokens_total{kind="prompt",model="fake-model"}`,
				`attache_llm_tokens_total{kind="completion",model="fake-model"}`,
				`attache_gateway_reconnects_total 0`,
				`attache_answers_total{command="ask",outcome="answered"} 1`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("/metrics lacks %s:\n%.3000s", want, body)
				}
			}
		})
	}
}

func getMetrics(t *testing.T, addr string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d %v", resp.StatusCode, err)
	}
	return string(b)
}

func TestLogExportCommand(t *testing.T) {
	t.Parallel()
	vars := testEnv(t)
	args := bundled(t)
	e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return vars[k] }}
	e.flags.knowledge, e.flags.index = args[1], args[3]
	a, err := e.open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s := a.store.(answerLogStore)
	for _, en := range []attache.LoggedAnswer{
		{Time: time.Date(2026, 2, 27, 9, 0, 0, 0, time.UTC), Question: "Earlier?", Outcome: attache.OutcomeRefused, Command: "mention"},
		{Time: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Question: "Later?", Outcome: attache.OutcomePartial,
			DocIDs: []string{"knowledge/x.md"}, Command: "ask"},
	} {
		if err := s.LogAnswer(context.Background(), en, "1100000000000000099"); err != nil {
			t.Fatal(err)
		}
	}
	a.Close()

	for _, tc := range []struct {
		name  string
		flags []string
		want  []string
	}{
		{"all", nil, []string{"Earlier?", "Later?"}},
		{"since a date", []string{"--since", "2026-03-01"}, []string{"Later?"}},
		{"since a time", []string{"--since", "2026-02-27T08:00:00Z"}, []string{"Earlier?", "Later?"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "log.jsonl")
			code, _, errs := run(t, vars, append(append(slices.Clone(args), "log", "export", "-o", out), tc.flags...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			f, err := os.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var got []string
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				var en attache.LoggedAnswer
				if err := json.Unmarshal(sc.Bytes(), &en); err != nil {
					t.Fatalf("line %q: %v", sc.Text(), err)
				}
				if en.UserHash == "" || strings.Contains(sc.Text(), "1100000000000000099") {
					t.Errorf("line shows no hash or the raw user ID: %s", sc.Text())
				}
				got = append(got, en.Question)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("exported %q, want %q", got, tc.want)
			}
		})
	}

	code, _, errs := run(t, vars, append(slices.Clone(args), "log", "export", "--since", "last week")...)
	if code != 2 || !strings.Contains(errs, "--since") {
		t.Errorf("bad --since: exit %d, %s", code, errs)
	}
}
