package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"attache"
	"attache/internal/fakediscord"
	"attache/internal/fakellm"
	"attache/internal/text"
)

// buttonByPrefix returns the button of a message whose custom id starts
// with prefix.
func buttonByPrefix(t *testing.T, m fakediscord.Message, prefix string) discordgo.Button {
	t.Helper()
	for _, b := range m.Buttons() {
		if strings.HasPrefix(b.CustomID, prefix) {
			return b
		}
	}
	t.Fatalf("no button %s… on %s", prefix, m)
	return discordgo.Button{}
}

func TestBotQuotesAndFeedback(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{})
	o := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
	answer := h.waitEdit(o.Token, 20*time.Second, hasSourcesEmbed)
	if n := len(answer.Buttons()); n != 3 {
		t.Fatalf("%d buttons under the answer, want 👍 👎 and Show quotes", n)
	}
	fs := stateOf(t, h.app)

	// Show quotes: a private view with the cited sentences of each source.
	show := buttonByPrefix(t, answer, "fq:")
	if show.Label != "Show quotes" {
		t.Errorf("quotes button: %+v", show)
	}
	h.discord.Dispatch(t, "INTERACTION_CREATE", h.discord.ButtonOn(show.CustomID, answer, fakediscord.SlashOpts{ID: "q1", Token: "tok-q1"}))
	view := h.discord.WaitMessage(t, 10*time.Second, func(m fakediscord.Message) bool { return m.Token == "tok-q1" })
	if view.ResponseType != 4 || !view.Ephemeral() || len(view.Embeds) != 1 || view.Embeds[0].Title != "Quotes" {
		t.Fatalf("quotes view: %s", view.Payload)
	}
	rec, err := fs.RecordedAnswer(context.Background(), strings.TrimPrefix(show.CustomID, "fq:"))
	if err != nil || len(rec.Quotes) == 0 {
		t.Fatalf("recorded quotes: %+v %v", rec, err)
	}
	fields := view.Embeds[0].Fields
	if len(fields) != len(rec.Quotes) || len(view.Buttons()) != len(rec.Quotes) {
		t.Fatalf("%d fields and %d buttons for %d sources", len(fields), len(view.Buttons()), len(rec.Quotes))
	}
	for k, q := range rec.Quotes {
		if len(q.Sentences) == 0 || !strings.HasPrefix(fields[k].Name, "[") || !strings.Contains(fields[k].Value, "> ") {
			t.Errorf("source [%d]: %+v / %+v", q.N, q, fields[k])
		}
		if q.Date != "" && !strings.Contains(fields[k].Value, q.Date) {
			t.Errorf("source [%d] shows no date: %s", q.N, fields[k].Value)
		}
	}
	// Each quoted sentence is in the passage the answer cites.
	for _, q := range rec.Quotes {
		doc, _, _ := strings.Cut(q.PassageID, "#")
		ps, err := h.app.store.Passages(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		var passage string
		for _, p := range ps {
			if p.ID == q.PassageID {
				passage = strings.Join(strings.Fields(p.Text), " ")
			}
		}
		for _, s := range q.Sentences {
			if passage == "" || !strings.Contains(passage, s) {
				t.Errorf("quote %q of [%d] is not in passage %s", s, q.N, q.PassageID)
			}
		}
	}

	// Flag a source as wrong: the button is disabled and the flag stored.
	flag := view.Buttons()[0]
	h.discord.Dispatch(t, "INTERACTION_CREATE", h.discord.ButtonOn(flag.CustomID, view, fakediscord.SlashOpts{ID: "w1", Token: "tok-w1"}))
	upd := h.discord.WaitMessage(t, 10*time.Second, func(m fakediscord.Message) bool { return m.Token == "tok-w1" })
	if got := buttonByPrefix(t, upd, flag.CustomID); upd.ResponseType != 7 || !got.Disabled || !strings.HasPrefix(got.Label, "✓") {
		t.Errorf("flagged button: %d %+v", upd.ResponseType, got)
	}

	// 👍 shows its count.
	up := buttonByPrefix(t, answer, "fb:up:")
	h.discord.Dispatch(t, "INTERACTION_CREATE", h.discord.ButtonOn(up.CustomID, answer, fakediscord.SlashOpts{ID: "u1", Token: "tok-u1", UserID: "1100000000000000011"}))
	counted := h.discord.WaitMessage(t, 10*time.Second, func(m fakediscord.Message) bool {
		return m.Token == "tok-u1" && m.Kind == fakediscord.KindInteractionResponse
	})
	if counted.ResponseType != 7 || buttonByPrefix(t, counted, "fb:up:").Label != "1" {
		t.Errorf("after 👍: %s", counted.Payload)
	}
	thanks := h.discord.WaitMessage(t, 10*time.Second, func(m fakediscord.Message) bool { return m.Token == "tok-u1" && m.Kind == fakediscord.KindWebhookSend })
	if !thanks.Ephemeral() || !strings.Contains(thanks.Content, "Thanks") {
		t.Errorf("thanks: %s", thanks.Payload)
	}

	// 👎 asks for a reason in a modal; the reason is stored with the vote.
	down := buttonByPrefix(t, answer, "fb:down:")
	h.discord.Dispatch(t, "INTERACTION_CREATE", h.discord.ButtonOn(down.CustomID, answer, fakediscord.SlashOpts{ID: "d1", Token: "tok-d1"}))
	modal := h.discord.WaitModal(t, 10*time.Second, "tok-d1")
	if !strings.HasPrefix(modal.CustomID, "fr:") || len(modal.CustomID) > 100 || len(modal.Inputs) != 2 {
		t.Fatalf("modal: %+v", modal)
	}
	fields2 := []fakediscord.Field{{CustomID: modal.Inputs[0].CustomID, Value: "3"}, {CustomID: modal.Inputs[1].CustomID, Value: "The figures are from 2014."}}
	h.discord.Dispatch(t, "INTERACTION_CREATE", h.discord.ModalSubmitOn(modal.CustomID, fields2, answer, fakediscord.SlashOpts{ID: "m1", Token: "tok-m1"}))
	after := h.discord.WaitMessage(t, 10*time.Second, func(m fakediscord.Message) bool {
		return m.Token == "tok-m1" && m.Kind == fakediscord.KindInteractionResponse
	})
	if after.ResponseType != 7 || buttonByPrefix(t, after, "fb:down:").Label != "1" || buttonByPrefix(t, after, "fb:up:").Label != "1" {
		t.Errorf("after the reason: %s", after.Payload)
	}
	noted := h.discord.WaitMessage(t, 10*time.Second, func(m fakediscord.Message) bool { return m.Token == "tok-m1" && m.Kind == fakediscord.KindWebhookSend })
	if !noted.Ephemeral() || !strings.Contains(noted.Content, "outdated") {
		t.Errorf("reason acknowledgement: %s", noted.Payload)
	}

	// The updates kept the answer's text and sources.
	for _, m := range []fakediscord.Message{counted, after} {
		if m.Content != answer.Content || len(m.Embeds) != 1 || m.Embeds[0].Description != answer.Embeds[0].Description {
			t.Errorf("an update changed the answer: %q / %+v", m.Content, m.Embeds)
		}
	}

	items, err := fs.Feedback(context.Background())
	if err != nil || len(items) != 1 {
		t.Fatalf("feedback: %+v %v", items, err)
	}
	f := items[0]
	if f.Up != 1 || f.Down != 1 || len(f.Reasons) != 1 || f.Reasons[0].Reason != attache.ReasonOutdated ||
		f.Reasons[0].Details != "The figures are from 2014." || len(f.WrongSources) != 1 || f.WrongSources[0].N != rec.Quotes[0].N {
		t.Errorf("stored feedback: %+v", f)
	}
	h.checkNoMentions()
}

func TestBotQuotesOfAnUnknownAnswer(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{})
	h.discord.Dispatch(t, "INTERACTION_CREATE", fakediscord.Button("fq:0000000000000000", fakediscord.SlashOpts{ID: "q1", Token: "tok-q1"}))
	m := h.discord.WaitMessage(t, 10*time.Second, func(m fakediscord.Message) bool { return m.Token == "tok-q1" })
	if !m.Ephemeral() || !strings.Contains(m.Content, "no longer on record") {
		t.Errorf("unknown answer: %s", m.Payload)
	}
	h.checkNoMentions()
}

func TestFeedbackExportReasonsAndFlags(t *testing.T) {
	t.Parallel()
	vars := testEnv(t)
	args := bundled(t)
	e := &env{stdout: os.Stderr, stderr: os.Stderr, getenv: func(k string) string { return vars[k] }}
	e.flags.knowledge, e.flags.index = args[1], args[3]
	a, err := e.open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	fs := stateOf(t, a)
	id, err := fs.RecordAnswer(ctx, attache.Feedback{Question: "q?", Answer: "a [1][2].", PassageIDs: []string{"knowledge/x.md#0", "knowledge/y.md#1"},
		Quotes: []attache.Quote{{N: 1, Title: "X", Sentences: []string{"x."}}, {N: 2, PassageID: "knowledge/y.md#1", Title: "Y", Sentences: []string{"y."}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		fs.Vote(ctx, id, "u1", 1),
		fs.VoteReason(ctx, id, "u2", attache.ReasonWrongSource, "[2] is about another year"),
		fs.FlagSource(ctx, id, "u2", 2),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	a.Close()
	out := filepath.Join(t.TempDir(), "fb.jsonl")
	if code, _, errs := run(t, vars, append(args, "feedback", "export", "-o", out)...); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	// The fields of the first export format stay.
	for _, k := range []string{"answer_id", "question", "answer", "passage_ids", "vote", "time"} {
		if _, ok := got[k]; !ok {
			t.Errorf("export lost %q: %s", k, data)
		}
	}
	var f attache.Feedback
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if f.Vote != 0 || f.Up != 1 || f.Down != 1 || len(f.Quotes) != 2 ||
		len(f.Reasons) != 1 || f.Reasons[0] != (attache.VoteReason{User: "u2", Reason: attache.ReasonWrongSource, Details: "[2] is about another year"}) ||
		len(f.WrongSources) != 1 || f.WrongSources[0] != (attache.SourceFlag{N: 2, PassageID: "knowledge/y.md#1", Count: 1}) {
		t.Errorf("export: %s", data)
	}
}

// A model's answer shows, for each source, the passage sentence its
// citing sentence was written from, wherever it stands in the passage.
func TestBotQuotesOfAModelAnswer(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var from string
	var sentences int
	h := startBot(t, harnessOpts{llm: func(_ int, r fakellm.Request) fakellm.Reply {
		src := fakellm.Sources(r.LastUser())[1]
		spans := text.Sentences(src)
		last := strings.Join(strings.Fields(src[spans[len(spans)-1].Start:spans[len(spans)-1].End]), " ")
		mu.Lock()
		from, sentences = last, len(spans)
		mu.Unlock()
		words := strings.Fields(strings.TrimRight(last, "."))
		return fakellm.Reply{Text: "Reportedly, " + strings.Join(words[1:], " ") + " [1]."}
	}})
	o := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
	answer := h.waitEdit(o.Token, 20*time.Second, hasSourcesEmbed)
	show := buttonByPrefix(t, answer, "fq:")
	h.discord.Dispatch(t, "INTERACTION_CREATE", h.discord.ButtonOn(show.CustomID, answer, fakediscord.SlashOpts{ID: "q1", Token: "tok-q1"}))
	view := h.discord.WaitMessage(t, 10*time.Second, func(m fakediscord.Message) bool { return m.Token == "tok-q1" })
	rec, err := stateOf(t, h.app).RecordedAnswer(context.Background(), strings.TrimPrefix(show.CustomID, "fq:"))
	if err != nil || len(rec.Quotes) == 0 {
		t.Fatalf("recorded: %+v %v (answer %q)", rec, err, answer.Content)
	}
	mu.Lock()
	want, n := from, sentences
	mu.Unlock()
	if n < 2 {
		t.Fatalf("the cited passage has %d sentence: the test needs one that is not the first", n)
	}
	if got := rec.Quotes[0].Sentences; len(got) != 1 || got[0] != want {
		t.Errorf("quote of [1] = %q, want %q (answer %q)", got, want, answer.Content)
	}
	if len(view.Embeds) != 1 || !strings.Contains(view.Embeds[0].Fields[0].Value, "> ") {
		t.Errorf("view: %s", view.Payload)
	}
	h.checkNoMentions()
}
