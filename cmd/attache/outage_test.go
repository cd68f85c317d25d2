package main

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"attache/internal/fakediscord"
	"attache/internal/fakellm"
)

// loadQuestions are answerable from the bundled articles.
var loadQuestions = []string{
	seedQ,
	"Who headed the American side at the 2010 migration talks with Cuba?",
	"When had the US-Cuba migration talks been suspended before they resumed, and who suspended them?",
}

const (
	fallbackNote = "The language model is unavailable"
	busyNote     = "answering many questions right now"
	restartNote  = "I'm restarting"
	stoppedNote  = "I had to stop before finishing"
)

// finalEdits waits until every token has an edit (or, for a failure, a
// private follow-up) matching final, and
// returns the first such edit of each.
func finalEdits(t *testing.T, h *harness, tokens []string, timeout time.Duration, final func(fakediscord.Message) bool) map[string]fakediscord.Message {
	t.Helper()
	want := map[string]bool{}
	for _, tok := range tokens {
		want[tok] = true
	}
	deadline := time.Now().Add(timeout)
	for {
		got := map[string]fakediscord.Message{}
		for _, m := range h.discord.Messages() {
			if _, seen := got[m.Token]; !seen && want[m.Token] && (m.Kind == fakediscord.KindWebhookEdit || m.Kind == fakediscord.KindWebhookSend) && final(m) {
				got[m.Token] = m
			}
		}
		if len(got) == len(want) {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d questions got no final answer within %s", len(want)-len(got), len(want), timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// isFinal reports whether an edit ends a question: the answer with its
// sources, or a message that no answer will come.
func isFinal(m fakediscord.Message) bool {
	return hasSourcesEmbed(m) || strings.Contains(m.Content, busyNote) ||
		strings.Contains(m.Content, restartNote) || strings.Contains(m.Content, stoppedNote)
}

// While the model fails (429 and 500 in turn), every question is answered
// extractively with the warning, none is turned away as busy, and the model
// is spared; once it recovers, answers come from it again.
func TestBotModelOutageUnderLoadAnswersExtractively(t *testing.T) {
	t.Parallel()
	var down atomic.Bool
	down.Store(true)
	var answerCalls atomic.Int64
	h := startBot(t, harnessOpts{
		llm: func(n int, r fakellm.Request) fakellm.Reply {
			if !down.Load() {
				return fakellm.Grounded(r)
			}
			if r.Stream { // the bot streams answers; probes do not
				answerCalls.Add(1)
			}
			if n%2 == 0 {
				return fakellm.Reply{Status: http.StatusInternalServerError}
			}
			return fakellm.Reply{Status: http.StatusTooManyRequests, Header: map[string]string{"Retry-After": "1"}}
		},
		env: map[string]string{
			"ATTACHE_LLM_MAX_RETRIES":      "3",
			"ATTACHE_LLM_BREAKER_COOLDOWN": "300ms",
			// Long enough that only the model, not the machine's speed,
			// can make a question wait too long.
			"ATTACHE_DISCORD_QUEUE_TIMEOUT": "5m",
		},
	})

	// 150 questions from 50 users, within each user's burst.
	const users, each = 50, 3
	var tokens []string
	sent := map[string]time.Time{}
	for i := range users * each {
		o := fakediscord.SlashOpts{Command: "ask", UserID: fmt.Sprint(700000 + i%users), ID: fmt.Sprintf("outage-%d", i),
			Options: []fakediscord.Opt{{Name: "question", Value: loadQuestions[i%len(loadQuestions)]}}}
		sent["tok-"+o.ID] = time.Now()
		o = h.slash(o)
		tokens = append(tokens, o.Token)
	}
	began := time.Now()
	finals := finalEdits(t, h, tokens, 4*time.Minute, isFinal)
	t.Logf("%d questions answered in %s; the model got %d answer requests", len(finals), time.Since(began), answerCalls.Load())
	for tok, m := range finals {
		if !hasSourcesEmbed(m) || !strings.Contains(m.Content, fallbackNote) {
			t.Errorf("%s: want an extractive answer with the warning, got %q", tok, m.Content)
		}
	}
	for _, c := range h.discord.Calls() {
		for tok, at := range sent {
			if c.Method == "POST" && strings.HasSuffix(c.Path, "/"+tok+"/callback") && c.At.Sub(at) > 3*time.Second {
				t.Errorf("%s acknowledged after %s", tok, c.At.Sub(at))
			}
		}
	}
	// Once the breaker opened, questions no longer went to the model.
	if n := answerCalls.Load(); n >= users*each/3 {
		t.Errorf("the failing model got %d answer requests for %d questions", n, users*each)
	}

	// The model recovers: after a probe, answers come from it again.
	down.Store(false)
	fromModel := func(i int) bool {
		o := h.slash(fakediscord.SlashOpts{Command: "ask", UserID: fmt.Sprint(800000 + i),
			Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
		m := h.waitEdit(o.Token, 30*time.Second, hasSourcesEmbed)
		return !strings.Contains(m.Content, fallbackNote)
	}
	recovered := false
	for i := 0; i < 40 && !recovered; i++ {
		recovered = fromModel(i)
		if !recovered {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !recovered {
		t.Fatal("answers did not come from the model after it recovered")
	}
	if !fromModel(99) {
		t.Error("an answer after recovery fell back again")
	}
}

// At shutdown, questions waiting for an answer slot hear at once that the
// bot is restarting, and are never started; an answer in flight that
// finishes within the grace period is delivered; one that does not is
// stopped when the grace period ends, with the same advice; and serve
// returns once the grace period is over.
func TestBotShutdownReleasesQueueAndGivesAnswersAGracePeriod(t *testing.T) {
	t.Parallel()
	const grace = 3 * time.Second
	var modelCalls atomic.Int64
	slowStarted, hangStarted := make(chan struct{}), make(chan struct{})
	addr := freeAddr(t)
	h := startBot(t, harnessOpts{
		httpAddr: addr,
		llm: func(n int, r fakellm.Request) fakellm.Reply {
			modelCalls.Add(1)
			switch n {
			case 1: // finishes about a second after shutdown begins
				close(slowStarted)
				rep := fakellm.Grounded(r)
				rep.Chunked = strings.SplitAfter(rep.Text, " ")
				rep.Delay = 1500 * time.Millisecond / time.Duration(len(rep.Chunked))
				return rep
			case 2: // never finishes
				close(hangStarted)
				return fakellm.Reply{Hang: true}
			}
			return fakellm.Grounded(r)
		},
		env: map[string]string{
			"ATTACHE_DISCORD_MAX_CONCURRENT": "2",
			"ATTACHE_DISCORD_SHUTDOWN_GRACE": grace.String(),
			"ATTACHE_LLM_TIMEOUT":            "60s",
		},
	})
	ask := func(i int) string {
		o := h.slash(fakediscord.SlashOpts{Command: "ask", UserID: fmt.Sprint(900000 + i),
			Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
		return o.Token
	}
	wait := func(ch chan struct{}, what string) {
		select {
		case <-ch:
		case <-time.After(20 * time.Second):
			t.Fatalf("%s never reached the model", what)
		}
	}
	slow := ask(0)
	wait(slowStarted, "the first question")
	hung := ask(1)
	wait(hangStarted, "the second question")
	var queued []string
	for i := range 5 {
		queued = append(queued, ask(2+i))
	}
	waitMetric(t, addr, "attache_answers_in_flight 7", 20*time.Second)

	stopAt := time.Now()
	h.stop()
	took := time.Since(stopAt)
	t.Logf("serve returned %s after shutdown began (grace %s)", took, grace)

	finals := finalEdits(t, h, append([]string{slow, hung}, queued...), time.Second, isFinal)
	if n := modelCalls.Load(); n != 2 {
		t.Errorf("the model got %d requests; a queued question was started after shutdown began", n)
	}
	last := finals[queued[0]].Call.At
	for _, tok := range queued {
		m := finals[tok]
		if !strings.Contains(m.Content, restartNote) {
			t.Errorf("queued question: got %q, want the restart message", m.Content)
		}
		if m.Call.At.After(last) {
			last = m.Call.At
		}
	}
	if d := last.Sub(stopAt); d > grace/2 {
		t.Errorf("queued questions released %s after shutdown began, want at once", d)
	}
	done := finals[slow]
	if !hasSourcesEmbed(done) || !strings.Contains(done.Content, "[1]") {
		t.Errorf("answer in flight not delivered: %q", done.Content)
	}
	if !done.Call.At.After(last) || done.Call.At.Sub(stopAt) > grace {
		t.Errorf("answer in flight delivered %s after shutdown began, want after the queue's release and within %s",
			done.Call.At.Sub(stopAt), grace)
	}
	stopped := finals[hung]
	if !strings.Contains(stopped.Content, stoppedNote) {
		t.Errorf("answer past the grace period: got %q, want the stop message", stopped.Content)
	}
	if d := stopped.Call.At.Sub(stopAt); d < grace-100*time.Millisecond {
		t.Errorf("answer stopped %s after shutdown began, before the %s grace period", d, grace)
	}
	if took < grace-100*time.Millisecond || took > grace+5*time.Second {
		t.Errorf("serve returned %s after shutdown began, want about %s", took, grace)
	}
}
