package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
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
			env := map[string]string{"ATTACHE_DISCORD_RATE_LIMIT_PER_MINUTE": "1", "ATTACHE_DISCORD_RATE_LIMIT_BURST": "1"}
			if tc.on {
				env["ATTACHE_CONSOLE_LOG_QUESTIONS"] = "true"
			}
			h := startBot(t, harnessOpts{httpAddr: addr, withLLM: true, env: env})
			o := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
			h.waitEdit(o.Token, 20*time.Second, hasSourcesEmbed)

			ctx := context.Background()
			got, err := stateOf(t, h.app).LoggedAnswers(ctx, time.Time{})
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

			// A question turned away by the rate limiter is logged too, under
			// the same user hash.
			again := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: "And the dissidents?"}}})
			h.callback(again.Token, 10*time.Second)
			got = waitEntries(t, stateOf(t, h.app), 2)
			if r := got[1]; r.Outcome != attache.OutcomeRateLimited || r.Question != "And the dissidents?" || r.UserHash != e.UserHash {
				t.Errorf("rate-limited entry: %+v", r)
			}

			// An answer that says the articles do not give the detail asked is
			// partial; another asker has another hash.
			const partialQ = "Who led the July 2009 round of migration talks in New York?"
			p := h.slash(fakediscord.SlashOpts{Command: "ask", UserID: "1100000000000000077",
				Options: []fakediscord.Opt{{Name: "question", Value: partialQ}}})
			h.waitEdit(p.Token, 20*time.Second, hasSourcesEmbed)
			got = waitEntries(t, stateOf(t, h.app), 3)
			if r := got[2]; r.Outcome != attache.OutcomePartial || r.Question != partialQ || len(r.DocIDs) == 0 ||
				r.UserHash == "" || r.UserHash == e.UserHash || !strings.HasPrefix(r.Reason, "detail: ") {
				t.Errorf("partial entry: %+v", r)
			}

			body := getMetrics(t, addr)
			for _, want := range []string{
				`attache_build_info{goversion="go`,
				`attache_llm_tokens_total{kind="prompt",model="fake-model"}`,
				`attache_llm_tokens_total{kind="completion",model="fake-model"}`,
				`attache_gateway_reconnects_total 0`,
				`attache_answers_total{command="ask",outcome="answered"} 1`,
				`attache_answers_total{command="ask",outcome="partial"} 1`,
				`attache_answers_total{command="ask",outcome="rate_limited"} 1`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("/metrics lacks %s:\n%.3000s", want, body)
				}
			}
		})
	}
}

// waitEntries waits for the answer log to hold n entries and returns them.
func waitEntries(t *testing.T, s answerLogStore, n int) []attache.LoggedAnswer {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := s.LoggedAnswers(context.Background(), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) >= n || time.Now().After(deadline) {
			if len(got) != n {
				t.Fatalf("%d entries, want %d: %+v", len(got), n, got)
			}
			return got
		}
		time.Sleep(20 * time.Millisecond)
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
	s := stateOf(t, a)
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

func TestAskCommandAnswerLog(t *testing.T) {
	t.Parallel()
	for _, on := range []bool{true, false} {
		vars := testEnv(t)
		args := bundled(t)
		if on {
			vars["ATTACHE_CONSOLE_LOG_QUESTIONS"] = "true"
		}
		if code, _, errs := run(t, vars, append(slices.Clone(args), "ask", seedQ)...); code != 0 {
			t.Fatalf("ask: exit %d: %s", code, errs)
		}
		code, out, errs := run(t, vars, append(slices.Clone(args), "log", "export")...)
		if code != 0 {
			t.Fatalf("export: exit %d: %s", code, errs)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if !on {
			if strings.TrimSpace(out) != "" {
				t.Errorf("log off, yet exported %q", out)
			}
			continue
		}
		var e attache.LoggedAnswer
		if len(lines) != 1 || json.Unmarshal([]byte(lines[0]), &e) != nil {
			t.Fatalf("export: %q", out)
		}
		if e.Question != seedQ || e.Command != "cli" || e.Outcome != attache.OutcomeAnswered || len(e.DocIDs) == 0 || e.UserHash != "" {
			t.Errorf("entry: %+v", e)
		}
	}
}

func TestAnswerLogRetention(t *testing.T) {
	t.Parallel()
	vars := testEnv(t)
	vars["ATTACHE_CONSOLE_RETENTION_DAYS"] = "7"
	a := openApp(t, vars, bundledKnowledge, nil)
	ctx := context.Background()
	now := time.Now()
	s := stateOf(t, a)
	for _, age := range []int{0, 6, 8, 40} {
		en := attache.LoggedAnswer{Time: now.AddDate(0, 0, -age), Question: fmt.Sprintf("%d days ago?", age), Outcome: attache.OutcomeAnswered}
		if err := s.LogAnswer(ctx, en, ""); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := (answerLog{app: a}).prune(ctx, now); err != nil || n != 2 {
		t.Fatalf("pruned %d, %v; want 2", n, err)
	}
	got, err := s.LoggedAnswers(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var qs []string
	for _, g := range got {
		qs = append(qs, g.Question)
	}
	if want := []string{"6 days ago?", "0 days ago?"}; !slices.Equal(qs, want) {
		t.Errorf("kept %q, want %q", qs, want)
	}
}

// Idle rate limit buckets go once they would be full again: after a day
// at the usual rate, later when the rate is so slow that a bucket takes
// longer than that to fill.
func TestIdleBucketsPruned(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, perMinute string
		idle            time.Duration
		pruned          int64
	}{
		{"usual rate, a day idle", "6", 25 * time.Hour, 1},
		{"usual rate, an hour idle", "6", time.Hour, 0},
		{"slow rate, a day idle", "0.001", 25 * time.Hour, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vars := testEnv(t)
			vars["ATTACHE_DISCORD_RATE_LIMIT_PER_MINUTE"] = tc.perMinute
			vars["ATTACHE_STATE_DIR"] = t.TempDir()
			a := openApp(t, vars, bundledKnowledge, nil)
			ctx := context.Background()
			now := time.Now()
			if _, _, err := stateOf(t, a).Take(ctx, "discord:1", 6, 3, now.Add(-tc.idle)); err != nil {
				t.Fatal(err)
			}
			if n, err := (answerLog{app: a}).pruneBuckets(ctx, now); err != nil || n != tc.pruned {
				t.Errorf("pruned %d, %v; want %d", n, err, tc.pruned)
			}
		})
	}
}
