package main

import (
	"strings"
	"testing"
	"time"

	"attache/internal/fakediscord"
)

// discordMarkup is every kind of markup a Discord message can hold around a
// question: none of it may reach search or the reply.
var discordMarkup = []string{"<@" + fakediscord.DefaultBotUserID + ">", "<@!4242>", "<@&4343>", "<#4444>",
	"@everyone", "@here", "<:cuba:4545>", "<a:wave:4646>", "</ask:4747>", "<t:1266537600:R>"}

// TestBotIgnoresDiscordMarkup asks the same question with and without markup
// around it, by slash command and by mention: the answers are the same and no
// reply holds the markup.
func TestBotIgnoresDiscordMarkup(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{env: map[string]string{"ATTACHE_DISCORD_RATE_LIMIT_BURST": "10"}})
	marked := strings.Join(discordMarkup[:5], " ") + ", " + seedQ + " " + strings.Join(discordMarkup[5:], " ")

	plain := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
	want := h.waitEdit(plain.Token, 20*time.Second, hasSourcesEmbed)
	if !strings.Contains(want.Content, "[1]") {
		t.Fatalf("the question without markup was not answered: %s", want.Content)
	}
	noMarkup := func(what, content string) {
		t.Helper()
		for _, m := range append(discordMarkup, "<@", "<#", "<:", "<t:") {
			if strings.Contains(content, m) {
				t.Errorf("%s: the reply holds %q: %s", what, m, content)
			}
		}
	}

	slash := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: marked}}})
	got := h.waitEdit(slash.Token, 20*time.Second, hasSourcesEmbed)
	if got.Content != want.Content || got.Embeds[0].Description != want.Embeds[0].Description {
		t.Errorf("/ask with markup answered\n%s\nwithout\n%s", got.Content, want.Content)
	}
	noMarkup("/ask", got.Content)

	h.discord.Dispatch(t, "MESSAGE_CREATE", fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "6001",
		MentionBot: true, Mentions: []string{"4242"}, MentionRoles: []string{"4343"}, Content: marked}))
	reply := h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool {
		return m.Kind == fakediscord.KindChannelSend && m.MessageReference != nil && m.MessageReference.MessageID == "6001"
	})
	final := h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool {
		return m.MessageID == reply.MessageID && hasSourcesEmbed(m)
	})
	if final.Content != want.Content {
		t.Errorf("mention with markup answered\n%s\nwithout\n%s", final.Content, want.Content)
	}
	noMarkup("mention", final.Content)

	// Nothing but markup is an empty question.
	empty := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: strings.Join(discordMarkup, " ")}}})
	msg := h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool {
		return m.Kind == fakediscord.KindWebhookSend && m.Token == empty.Token
	})
	if !strings.Contains(msg.Content, "empty") {
		t.Errorf("a question of markup only: %s", msg.Content)
	}
	noMarkup("markup only", msg.Content)
}
