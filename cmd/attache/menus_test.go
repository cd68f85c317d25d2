package main

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"attache/internal/fakediscord"
	"attache/retrieval"
)

const (
	menuAsk     = "Ask Attaché about this message"
	menuSources = "Find sources for this"
)

// Commands are registered where they work: in the guild, and in the bot's
// DMs only when DMs are allowed; /reload never in DMs; every command and
// option carries its Spanish name for both Spanish locales.
func TestBotCommandRegistration(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		allowDMs bool
		want     []int
	}{{false, []int{0}}, {true, []int{0, 1}}} {
		t.Run(fmt.Sprintf("allow_dms=%v", tt.allowDMs), func(t *testing.T) {
			t.Parallel()
			h := startBot(t, harnessOpts{env: map[string]string{"ATTACHE_DISCORD_ALLOW_DMS": fmt.Sprint(tt.allowDMs)}})
			cmds := h.discord.Commands(fakediscord.DefaultGuildID)
			byName := map[string]fakediscord.RegisteredCommand{}
			for _, c := range cmds {
				byName[c.Name] = c
				if !slices.Equal(c.IntegrationTypes, []int{0}) {
					t.Errorf("%s: integration types %v, want guild install only", c.Name, c.IntegrationTypes)
				}
				want := tt.want
				if c.Name == "reload" {
					want = []int{0}
				}
				if !slices.Equal(c.Contexts, want) {
					t.Errorf("%s: contexts %v, want %v", c.Name, c.Contexts, want)
				}
				for _, l := range []string{"es-ES", "es-419"} {
					if c.NameLocalizations[l] == "" {
						t.Errorf("%s: no %s name", c.Name, l)
					}
				}
			}
			for _, name := range []string{menuAsk, menuSources} {
				if c, ok := byName[name]; !ok || c.Type != 3 {
					t.Errorf("message command %q: registered %v, type %d", name, ok, c.Type)
				}
			}
			if got := byName["ask"].NameLocalizations["es-419"]; got != "preguntar" {
				t.Errorf("ask in Spanish: %q", got)
			}
			raw := string(byName["ask"].Raw)
			for _, opt := range []string{`"name":"since"`, `"name":"until"`, `"es-ES":"desde"`} {
				if !strings.Contains(raw, opt) {
					t.Errorf("ask lacks %s: %s", opt, raw)
				}
			}
		})
	}
}

// A malformed date window is refused at once, privately, and costs no
// question; a valid one bounds the articles cited.
func TestBotDateOptions(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{})
	for _, tt := range []struct {
		cmd          string
		since, until string
		want         string
	}{
		{"ask", "2010-2", "", "want YYYY"},
		{"ask", "", "yesterday", "want YYYY"},
		{"timeline", "2010-13", "", "not a valid date"},
		{"timeline", "2012", "2011", "after until"},
		{"summary", "2010-02-30", "", "not a valid date"},
	} {
		var opts []fakediscord.Opt
		if tt.since != "" {
			opts = append(opts, fakediscord.Opt{Name: "since", Value: tt.since})
		}
		if tt.until != "" {
			opts = append(opts, fakediscord.Opt{Name: "until", Value: tt.until})
		}
		o := fakediscord.SlashOpts{Command: tt.cmd}
		switch tt.cmd {
		case "ask":
			o.Options = append([]fakediscord.Opt{{Name: "question", Value: seedQ}}, opts...)
		case "timeline":
			o.Options = append([]fakediscord.Opt{{Name: "topic", Value: "migration"}}, opts...)
		case "summary":
			o.Options = []fakediscord.Opt{{Name: "topic", Options: append([]fakediscord.Opt{{Name: "topic", Value: "migration"}}, opts...)}}
		}
		o = h.slash(o)
		typ, data := callbackType(t, h.callback(o.Token, 10*time.Second))
		if typ != 4 || data["flags"] != float64(discordgo.MessageFlagsEphemeral) || !strings.Contains(fmt.Sprint(data["content"]), tt.want) {
			t.Errorf("%s since=%q until=%q: callback %d %v, want a private %q", tt.cmd, tt.since, tt.until, typ, data, tt.want)
		}
	}

	const since = "2020"
	o := h.slash(fakediscord.SlashOpts{Command: "timeline", Options: []fakediscord.Opt{
		{Name: "topic", Value: "migration"}, {Name: "since", Value: since}}})
	// A long timeline is split: the sources embed comes with its last part.
	m := h.discord.WaitMessage(t, 30*time.Second, func(m fakediscord.Message) bool { return m.Token == o.Token && hasSourcesEmbed(m) })
	dates := regexp.MustCompile(`— (\d{4}-\d{2}-\d{2})`).FindAllStringSubmatch(m.Embeds[0].Description, -1)
	if len(dates) == 0 {
		t.Fatalf("sources embed without dates: %s", m.Embeds[0].Description)
	}
	for _, d := range dates {
		if d[1] < since {
			t.Errorf("timeline since %s cites an article of %s", since, d[1])
		}
	}
}

// /summary recent over a window with no article summarises the newest
// articles and says from when they date.
func TestBotSummaryRecentFallsBackToNewest(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{})
	docs, err := h.app.store.Documents(context.Background(), retrieval.DocFilter{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	oldest := docs[len(docs)-1].Date
	if !time.Now().AddDate(0, 0, -7).After(mustDate(t, docs[0].Date)) {
		t.Skip("the bundled articles are from this week: no empty window to test")
	}
	for _, tt := range []struct{ locale, want string }{{"en-US", "newest articles"}, {"es-ES", "más recientes"}} {
		o := h.slash(fakediscord.SlashOpts{Command: "summary", Locale: tt.locale,
			Options: []fakediscord.Opt{{Name: "recent", Options: []fakediscord.Opt{{Name: "days", Value: 7}}}}})
		m := h.discord.WaitMessage(t, 30*time.Second, func(m fakediscord.Message) bool { return m.Token == o.Token && hasSourcesEmbed(m) })
		first := h.waitEdit(o.Token, time.Second, func(m fakediscord.Message) bool { return strings.Contains(m.Content, oldest) })
		if !strings.Contains(first.Content, tt.want) {
			t.Errorf("%s: summary of an empty window: %s", tt.locale, first.Content)
		}
		if !strings.Contains(m.Embeds[0].Description, docs[0].Date) {
			t.Errorf("the newest article (%s) is not among the sources: %s", docs[0].Date, m.Embeds[0].Description)
		}
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Lookups without a model (/search, /sources, /help) do not spend the
// question budget: after them, the one question allowed is still answered.
func TestBotFreeLookupsSpendNoBudget(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{env: map[string]string{
		"ATTACHE_DISCORD_RATE_LIMIT_PER_MINUTE": "1", "ATTACHE_DISCORD_RATE_LIMIT_BURST": "1"}})
	for _, o := range []fakediscord.SlashOpts{
		{Command: "search", Options: []fakediscord.Opt{{Name: "query", Value: "Havana migration talks"}}},
		{Command: "sources"},
		{Command: "help"},
		{Command: "search", Options: []fakediscord.Opt{{Name: "query", Value: "Zanzibar"}}},
	} {
		o = h.slash(o)
		typ, data := callbackType(t, h.callback(o.Token, 10*time.Second))
		if strings.Contains(fmt.Sprint(data["content"]), "asking quickly") || (typ != 5 && o.Command != "help") {
			t.Errorf("/%s: callback %d %v", o.Command, typ, data)
		}
	}
	ask := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
	if typ, data := callbackType(t, h.callback(ask.Token, 10*time.Second)); typ != 5 {
		t.Fatalf("the first question after lookups: callback %d %v", typ, data)
	}
	again := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
	if _, data := callbackType(t, h.callback(again.Token, 10*time.Second)); !strings.Contains(fmt.Sprint(data["content"]), "asking quickly") {
		t.Errorf("the second question is not limited: %v", data)
	}
}

// Fixed messages follow the interaction's locale: any Spanish locale
// reads Spanish, others English.
func TestBotLocaleMessages(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{env: map[string]string{"ATTACHE_DISCORD_ALLOWED_CHANNELS": "5555"}})
	for _, tt := range []struct {
		locale, cmd, want string
	}{
		{"es-ES", "help", "/preguntar"},
		{"es-419", "help", "Cuando los artículos no cubren"},
		{"en-US", "help", "/ask question"},
		{"fr", "help", "/ask question"},
		{"es-ES", "sources", "No respondo aquí"},
		{"en-GB", "sources", "I don't answer here"},
	} {
		o := h.slash(fakediscord.SlashOpts{Command: tt.cmd, Locale: tt.locale})
		typ, data := callbackType(t, h.callback(o.Token, 10*time.Second))
		if typ != 4 || !strings.Contains(fmt.Sprint(data["content"]), tt.want) {
			t.Errorf("/%s in %s: %d %v, want %q", tt.cmd, tt.locale, typ, data, tt.want)
		}
	}
}

// A failure on a public /ask is told to the asker alone: the public
// placeholder is removed, not overwritten with the error.
func TestBotPublicFailureIsPrivate(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{})
	for _, locale := range []string{"en-US", "es-ES"} {
		o := h.slash(fakediscord.SlashOpts{Command: "ask", Locale: locale, Options: []fakediscord.Opt{{Name: "question", Value: "<@123> <#456>"}}})
		m := h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool {
			return m.Kind == fakediscord.KindWebhookSend && m.Token == o.Token
		})
		if m.Flags&discordgo.MessageFlagsEphemeral == 0 || !strings.Contains(m.Content, "empty") {
			t.Errorf("%s: failure follow-up %q flags %d", locale, m.Content, m.Flags)
		}
		h.discord.WaitCall(t, 10*time.Second, func(c fakediscord.Call) bool {
			return c.Method == "DELETE" && strings.HasSuffix(c.Path, o.Token+"/messages/@original")
		})
		for _, e := range h.discord.Messages() {
			if e.Kind == fakediscord.KindWebhookEdit && e.Token == o.Token {
				t.Errorf("%s: the public placeholder was edited to %q", locale, e.Content)
			}
		}
	}
}

// "Ask Attaché about this message" answers the message as a question,
// privately.
func TestBotContextMenuAsk(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{})
	target := fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "8001", AuthorID: "4242", Author: "someone", Content: seedQ})
	h.discord.Dispatch(t, "INTERACTION_CREATE", fakediscord.MessageCommand(menuAsk, target, fakediscord.SlashOpts{ID: "8101", Token: "tok-8101"}))
	typ, data := callbackType(t, h.callback("tok-8101", 10*time.Second))
	if typ != 5 || data["flags"] != float64(discordgo.MessageFlagsEphemeral) {
		t.Errorf("acknowledged with %d %v, want a private deferral", typ, data)
	}
	m := h.waitEdit("tok-8101", 30*time.Second, hasSourcesEmbed)
	if !strings.Contains(m.Content, "[1]") {
		t.Errorf("answer without citation: %s", m.Content)
	}

	// A message with no text is refused at once.
	empty := fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "8002", AuthorID: "4242", Content: ""})
	h.discord.Dispatch(t, "INTERACTION_CREATE", fakediscord.MessageCommand(menuAsk, empty, fakediscord.SlashOpts{ID: "8102", Token: "tok-8102"}))
	if typ, data := callbackType(t, h.callback("tok-8102", 10*time.Second)); typ != 4 || !strings.Contains(fmt.Sprint(data["content"]), "no text") {
		t.Errorf("empty message: %d %v", typ, data)
	}
}

// "Find sources for this" quotes, for each claim of the message, the
// passages that cover it, or says that the closest ones do not.
func TestBotContextMenuFindSources(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{})
	covered := "US and Cuban delegations held migration talks in Havana in February 2010."
	uncovered := "Norway sold three submarines to Paraguay last week."
	partial := "Cuba expelled the US delegation from Havana in February 2010."
	target := fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "8201", AuthorID: "4242", Content: covered + " " + uncovered + " " + partial})
	h.discord.Dispatch(t, "INTERACTION_CREATE", fakediscord.MessageCommand(menuSources, target, fakediscord.SlashOpts{ID: "8301", Token: "tok-8301"}))
	// A long report is split into follow-ups: it is read whole.
	report := h.waitReport("tok-8301", 30*time.Second, func(r string) bool { return strings.Contains(r, "> "+partial) })
	first, second, ok := strings.Cut(report, "> "+uncovered)
	if !ok {
		t.Fatalf("the second claim is not quoted: %s", report)
	}
	if !strings.Contains(first, "> "+covered) || !strings.Contains(first, "**Covered**") || !strings.Contains(first, "Migration Talks") {
		t.Errorf("the reported claim is not shown as covered with its source: %s", first)
	}
	second, third, ok := strings.Cut(second, "> "+partial)
	if !ok {
		t.Fatalf("the third claim is not quoted: %s", report)
	}
	for _, c := range []string{second, third} {
		if strings.Contains(c, "**Covered**") {
			t.Errorf("a claim no article reports is shown as covered: %s", c)
		}
	}
	// A claim that bends a reported story shows the closest passages, not as
	// support.
	if !strings.Contains(third, "**Not covered**") || !strings.Contains(third, "Migration Talks") {
		t.Errorf("the bent claim: %s", third)
	}
}
