package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"attache/internal/fakediscord"
)

func TestBotChannelScopes(t *testing.T) {
	t.Parallel()
	const fishing, trade, thread = "8001", "8002", "8003"
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "nordic", "a.md"), md("Fisheries talks", "2022-01-10", "Norway and Iceland held trade talks in Reykjavik on mackerel quotas and fishing rights."))
	writeFile(t, filepath.Join(dir, "africa", "b.md"), md("Clove accord", "2024-03-05", "Tanzania and Oman held trade talks in Zanzibar and signed a clove trade accord."))
	cfg := filepath.Join(dir, "attache.yaml")
	writeFile(t, cfg, "knowledge:\n  sources:\n    - {name: nordic, path: ./nordic}\n    - {name: africa, path: ./africa, tags: [spices]}\n"+
		"discord:\n  channels:\n    \""+fishing+"\": {sources: [nordic]}\n    \""+trade+"\": {tags: [spices], since: \"2023-01-01\"}\n")
	h := startBot(t, harnessOpts{config: cfg, env: map[string]string{"ATTACHE_DISCORD_RATE_LIMIT_BURST": "20"}})
	h.discord.AddChannel(fakediscord.ChannelOpts{ID: thread, Type: fakediscord.ChannelPublicThread, ParentID: fishing, OwnerID: fakediscord.DefaultUserID})

	tests := []struct {
		channel     string
		want, avoid string
	}{
		{fishing, "Reykjavik", "Zanzibar"},
		{trade, "Zanzibar", "Reykjavik"},
		{thread, "Reykjavik", "Zanzibar"}, // a thread follows its channel
	}
	for _, tt := range tests {
		o := h.slash(fakediscord.SlashOpts{Command: "search", ChannelID: tt.channel, Options: []fakediscord.Opt{{Name: "query", Value: "trade talks"}}})
		m := h.waitEdit(o.Token, 20*time.Second, func(m fakediscord.Message) bool { return m.Content != "" })
		if !strings.Contains(m.Content, tt.want) || strings.Contains(m.Content, tt.avoid) {
			t.Errorf("/search in %s: %s", tt.channel, m.Content)
		}
	}

	// A mention in the scoped channel answers from its sources only.
	h.discord.Dispatch(t, "MESSAGE_CREATE", fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "8010", ChannelID: fishing, MentionBot: true,
		Content: botMention + " Where were the trade talks held?"}))
	final := h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool { return m.ChannelID == fishing && hasSourcesEmbed(m) })
	if !strings.Contains(final.Content+final.Embeds[0].Description, "Reykjavik") || strings.Contains(final.Content, "Zanzibar") {
		t.Errorf("scoped mention answer: %s", final.Content)
	}

	// /sources shows the channel's scope and the sources it draws on.
	o := h.slash(fakediscord.SlashOpts{Command: "sources", ChannelID: trade})
	m := h.waitEdit(o.Token, 20*time.Second, func(m fakediscord.Message) bool { return m.Content != "" })
	if !strings.Contains(m.Content, "tags spices") || !strings.Contains(m.Content, "since 2023-01-01") ||
		!strings.Contains(m.Content, "**africa**") || strings.Contains(m.Content, "**nordic**") {
		t.Errorf("/sources in a scoped channel: %s", m.Content)
	}
	// Elsewhere, every source.
	o = h.slash(fakediscord.SlashOpts{Command: "sources"})
	m = h.waitEdit(o.Token, 20*time.Second, func(m fakediscord.Message) bool { return m.Content != "" })
	if !strings.Contains(m.Content, "**africa**") || !strings.Contains(m.Content, "**nordic**") || strings.Contains(m.Content, "this channel") {
		t.Errorf("/sources unscoped: %s", m.Content)
	}
}
