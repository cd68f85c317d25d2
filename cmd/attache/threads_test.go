package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"attache/internal/fakediscord"
)

const botMention = "<@" + fakediscord.DefaultBotUserID + ">"

// storedMessage returns a message the fake holds, as a payload for ReplyTo.
func storedMessage(t *testing.T, h *harness, channelID, id string) map[string]any {
	t.Helper()
	raw, ok := h.discord.StoredMessage(channelID, id)
	var m map[string]any
	if !ok || json.Unmarshal(raw, &m) != nil {
		t.Fatalf("message %s in %s is not stored", id, channelID)
	}
	return m
}

// replyTo waits for the bot's first message replying to message id.
func replyTo(t *testing.T, h *harness, id string) fakediscord.Message {
	t.Helper()
	return h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool {
		return m.Kind == fakediscord.KindChannelSend && m.MessageReference != nil && m.MessageReference.MessageID == id
	})
}

func TestBotSmallTalkIsNeverRefused(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{withLLM: true})
	tests := []struct {
		id, content string
		want        string
	}{
		{"7001", botMention + " thanks!", "welcome"},
		{"7002", botMention + " hello", "Hello"},
		{"7003", botMention + " great, thank you", "welcome"},
		{"7004", botMention + " gracias", "De nada"},
		{"7005", botMention + " hola", "Hola"},
		{"7006", botMention, "/ask"},
	}
	for _, tt := range tests {
		h.discord.Dispatch(t, "MESSAGE_CREATE", fakediscord.MessageCreate(fakediscord.MessageOpts{ID: tt.id, MentionBot: true, Content: tt.content}))
		got := replyTo(t, h, tt.id)
		if !strings.Contains(got.Content, tt.want) || strings.Contains(got.Content, "does not cover") || len(got.Embeds) > 0 {
			t.Errorf("%q: reply %q, want a short reply with %q", tt.content, got.Content, tt.want)
		}
	}
	if n := len(h.llm.Requests()); n != 0 {
		t.Errorf("small talk reached the model %d times", n)
	}

	// A reply to an answer that asks nothing is not a follow-up question.
	h.discord.Dispatch(t, "MESSAGE_CREATE", fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "7010", MentionBot: true,
		Content: botMention + " " + seedQ}))
	answer := replyTo(t, h, "7010")
	prev := storedMessage(t, h, answer.ChannelID, answer.MessageID)
	h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool { return hasSourcesEmbed(m) })
	n := len(h.llm.Requests())
	h.discord.Dispatch(t, "MESSAGE_CREATE", fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "7011", Content: "ok", ReplyTo: prev}))
	if got := replyTo(t, h, "7011"); !strings.Contains(got.Content, "another question") {
		t.Errorf("reply \"ok\" got %q", got.Content)
	}
	if m := len(h.llm.Requests()); m != n {
		t.Errorf("\"ok\" reached the model (%d requests)", m-n)
	}
}

func TestBotMentionInReplyAsksAboutQuotedMessage(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{})
	other := fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "7101", AuthorID: "1100000000000000077", Author: "other", Content: seedQ})
	h.discord.SeedMessage(fakediscord.DefaultChannelID, other)
	h.discord.Dispatch(t, "MESSAGE_CREATE", fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "7102", MentionBot: true,
		Content: botMention, ReplyTo: other}))
	final := h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool { return hasSourcesEmbed(m) })
	if !strings.Contains(final.Content, "[1]") || !strings.Contains(strings.ToLower(final.Content+final.Embeds[0].Description), "havana") {
		t.Errorf("answer to the quoted message: %s", final.Content)
	}
}

// threadOpened waits for the bot to open a thread on message id in channel.
func threadOpened(t *testing.T, h *harness, channelID, id string) map[string]any {
	t.Helper()
	h.discord.WaitCall(t, 20*time.Second, fakediscord.Match("POST", "/channels/"+channelID+"/messages/"+id+"/threads"))
	th, ok := h.discord.Channel(id)
	if !ok {
		t.Fatalf("thread %s not created", id)
	}
	return th
}

func TestBotThreads(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{withLLM: true, env: map[string]string{"ATTACHE_DISCORD_THREADS": "always"}})
	ch := fakediscord.DefaultChannelID
	h.discord.AddChannel(fakediscord.ChannelOpts{ID: ch, Type: fakediscord.ChannelText})
	long := seedQ + strings.Repeat(" And more context.", 10)
	h.discord.Dispatch(t, "MESSAGE_CREATE", fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "7201", MentionBot: true,
		Content: botMention + " " + long}))
	th := threadOpened(t, h, ch, "7201")
	if name, _ := th["name"].(string); len([]rune(name)) > 100 || !strings.HasPrefix(name, "What did the US") {
		t.Errorf("thread name %q", name)
	}
	first := h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool {
		return m.ChannelID == "7201" && hasSourcesEmbed(m)
	})
	if !strings.Contains(first.Content, "[1]") {
		t.Errorf("answer in the thread: %s", first.Content)
	}

	// In the bot's thread a message needs no mention, and the thread is the history.
	n := len(h.llm.Requests())
	h.discord.Dispatch(t, "MESSAGE_CREATE", fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "7202", ChannelID: "7201",
		Content: "Did they also meet dissidents?"}))
	h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool {
		return m.ChannelID == "7201" && hasSourcesEmbed(m) && m.MessageID != first.MessageID
	})
	reqs := h.llm.Requests()[n:]
	if len(reqs) < 2 || !strings.Contains(reqs[0].LastUser(), "Standalone search query") {
		t.Fatalf("no condense call for the follow-up in the thread: %d requests", len(reqs))
	}
	if cond := reqs[0].LastUser(); !strings.Contains(cond, "Havana") || !strings.Contains(cond, "dissidents") {
		t.Errorf("the thread did not reach the condense prompt:\n%s", cond)
	}

	// A thread someone else started is left alone unless the bot is mentioned.
	h.discord.AddChannel(fakediscord.ChannelOpts{ID: "7300", Type: fakediscord.ChannelPublicThread, ParentID: ch, OwnerID: fakediscord.DefaultUserID})
	h.discord.Dispatch(t, "MESSAGE_CREATE", fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "7301", ChannelID: "7300", Content: seedQ}))
	h.discord.Dispatch(t, "MESSAGE_CREATE", fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "7302", ChannelID: "7300", MentionBot: true,
		Content: botMention + " " + seedQ}))
	h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool { return m.ChannelID == "7300" && hasSourcesEmbed(m) })
	for _, m := range h.discord.Messages() {
		if m.MessageReference != nil && m.MessageReference.MessageID == "7301" {
			t.Errorf("answered a message without mention in a thread it did not start: %s", m.Content)
		}
	}
	for _, c := range h.discord.Calls() {
		if strings.HasSuffix(c.Path, "/7302/threads") {
			t.Error("opened a thread inside a thread")
		}
	}
}

func TestBotAskOpensThread(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{env: map[string]string{"ATTACHE_DISCORD_THREADS": "ask"}})
	ch := fakediscord.DefaultChannelID
	h.discord.AddChannel(fakediscord.ChannelOpts{ID: ch, Type: fakediscord.ChannelText})
	o := h.slash(fakediscord.SlashOpts{Command: "ask", ChannelID: ch, Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
	q := h.waitEdit(o.Token, 20*time.Second, func(m fakediscord.Message) bool { return strings.Contains(m.Content, seedQ) })
	var shown struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(q.Call.Response, &shown); err != nil || shown.ID == "" {
		t.Fatalf("the response showing the question has no id: %s", q.Call.Response)
	}
	th := threadOpened(t, h, ch, shown.ID)
	answer := h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool {
		return m.ChannelID == th["id"] && hasSourcesEmbed(m)
	})
	if !strings.Contains(answer.Content, "[1]") {
		t.Errorf("answer in the thread: %s", answer.Content)
	}
	// Mentions answer in place in "ask" mode.
	h.discord.Dispatch(t, "MESSAGE_CREATE", fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "7401", MentionBot: true,
		Content: botMention + " " + seedQ}))
	if got := replyTo(t, h, "7401"); got.ChannelID != ch {
		t.Errorf("mention answered in %s, want the channel", got.ChannelID)
	}
}

func TestBotThreadAllowedThroughParentAndCategory(t *testing.T) {
	t.Parallel()
	const category, channel, thread, elsewhere = "7500", "7501", "7502", "7503"
	h := startBot(t, harnessOpts{env: map[string]string{"ATTACHE_DISCORD_ALLOWED_CHANNELS": category}})
	h.discord.AddChannel(fakediscord.ChannelOpts{ID: category, Type: fakediscord.ChannelCategory})
	h.discord.AddChannel(fakediscord.ChannelOpts{ID: channel, Type: fakediscord.ChannelText, ParentID: category})
	h.discord.AddChannel(fakediscord.ChannelOpts{ID: thread, Type: fakediscord.ChannelPublicThread, ParentID: channel, OwnerID: fakediscord.DefaultUserID})
	h.discord.AddChannel(fakediscord.ChannelOpts{ID: elsewhere, Type: fakediscord.ChannelText})
	h.discord.Dispatch(t, "MESSAGE_CREATE", fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "7510", ChannelID: elsewhere, MentionBot: true,
		Content: botMention + " " + seedQ}))
	h.discord.Dispatch(t, "MESSAGE_CREATE", fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "7511", ChannelID: thread, MentionBot: true,
		Content: botMention + " " + seedQ}))
	if got := replyTo(t, h, "7511"); got.ChannelID != thread {
		t.Errorf("answered in %s, want the thread", got.ChannelID)
	}
	h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool { return m.ChannelID == thread && hasSourcesEmbed(m) })
	for _, m := range h.discord.Messages() {
		if m.ChannelID == elsewhere {
			t.Errorf("answered outside the allowed category: %s", m.Content)
		}
	}
}

func TestBotForumAutoReply(t *testing.T) {
	t.Parallel()
	const forum, post = "7600", "7601"
	h := startBot(t, harnessOpts{env: map[string]string{"ATTACHE_DISCORD_FORUM_AUTO_REPLY": "true", "ATTACHE_DISCORD_ALLOWED_CHANNELS": forum}})
	h.discord.AddChannel(fakediscord.ChannelOpts{ID: forum, Type: fakediscord.ChannelForum})
	h.discord.SeedMessage(post, map[string]any{"id": post, "content": seedQ})
	h.discord.Dispatch(t, "THREAD_CREATE", fakediscord.ThreadCreate(fakediscord.ChannelOpts{ID: post, ParentID: forum, Name: "Havana talks"}))
	answer := h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool { return m.ChannelID == post && hasSourcesEmbed(m) })
	if !strings.Contains(answer.Content, "[1]") {
		t.Errorf("forum answer: %s", answer.Content)
	}
}
