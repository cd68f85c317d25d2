package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"attache"
	"attache/bot"
	"attache/internal/fakediscord"
	"attache/internal/fakellm"
	"attache/retrieval"
	"attache/state"
)

func TestMain(m *testing.M) {
	if code, ok := runChild(); ok {
		os.Exit(code)
	}
	logs := fakediscord.CaptureLogs()
	os.Exit(logs.ExitCode(m.Run(), os.Stderr))
}

// harness runs `attache serve` in process against a fake Discord and,
// optionally, a fake model.
type harness struct {
	t       *testing.T
	discord *fakediscord.Server
	llm     *fakellm.Server
	env     map[string]string
	app     *app
	bot     *bot.Bot
	watcher *retrieval.Watcher
	cancel  context.CancelFunc
	done    chan error
	stopped sync.Once
}

type harnessOpts struct {
	knowledge string            // default: the bundled folder
	config    string            // a config file instead of --knowledge
	httpAddr  string            // serve /healthz, /readyz, /metrics here
	env       map[string]string // extra environment
	llm       func(n int, r fakellm.Request) fakellm.Reply
	withLLM   bool
	proxy     bool        // reach the fake through discord.api_base_url instead of an HTTP client
	state     state.Store // replaces the state store the configuration opens
}

func startBot(t *testing.T, o harnessOpts) *harness {
	t.Helper()
	h := &harness{t: t, discord: fakediscord.New(t), done: make(chan error, 1)}
	h.env = testEnv(t)
	if o.withLLM || o.llm != nil {
		h.llm = fakellm.New(t, o.llm)
		for k, v := range llmEnv(t, h.llm.BaseURL()) {
			h.env[k] = v
		}
	}
	h.env["ATTACHE_DISCORD_TOKEN"] = h.discord.BotToken
	h.env["ATTACHE_DISCORD_GUILD_IDS"] = fakediscord.DefaultGuildID
	h.env["ATTACHE_DISCORD_EDIT_INTERVAL"] = "150ms"
	if o.proxy {
		h.env["ATTACHE_DISCORD_API_BASE_URL"] = h.discord.URL
	}
	for k, v := range o.env {
		h.env[k] = v
	}
	kn := o.knowledge
	if kn == "" {
		kn = "../../knowledge"
	}
	e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return h.env[k] }}
	if o.config != "" {
		e.flags.config = o.config
	} else {
		e.flags.knowledge = kn
	}
	e.flags.index = filepath.Join(t.TempDir(), "index.db")
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	a, err := e.open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h.app = a
	if o.state != nil {
		a.state = o.state
	}
	started := make(chan struct{})
	hooks := &serveHooks{configPoll: 50 * time.Millisecond, started: func(b *bot.Bot, w *retrieval.Watcher) {
		b.Session().ShouldReconnectOnError = false
		h.bot, h.watcher = b, w
		close(started)
	}}
	if !o.proxy {
		hooks.httpClient = h.discord.HTTPClient()
	}
	go func() { h.done <- a.serve(ctx, e, o.httpAddr, hooks) }()
	select {
	case <-started:
	case err := <-h.done:
		t.Fatalf("serve stopped: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	h.discord.WaitIdentify(t, 10*time.Second)
	h.discord.WaitCall(t, 10*time.Second, func(c fakediscord.Call) bool {
		return c.Method == "PUT" && strings.Contains(c.Path, "/guilds/"+fakediscord.DefaultGuildID+"/commands")
	})
	h.discord.WaitHeartbeat(t, 10*time.Second, 1)
	t.Cleanup(func() {
		h.stop()
		a.Close()
		h.checkNoMentions()
	})
	return h
}

// stop shuts the bot down and waits for serve to return.
func (h *harness) stop() {
	h.stopped.Do(func() {
		h.cancel()
		select {
		case err := <-h.done:
			if err != nil {
				h.t.Errorf("serve: %v", err)
			}
		case <-time.After(40 * time.Second):
			h.t.Error("serve did not stop")
		}
	})
}

// checkNoMentions asserts that every message the bot sent allowed no mention.
func (h *harness) checkNoMentions() {
	h.t.Helper()
	for _, m := range h.discord.Messages() {
		am := m.AllowedMentions
		if am == nil || len(am.Parse) != 0 || len(am.Users) != 0 || len(am.Roles) != 0 || am.RepliedUser {
			h.t.Errorf("%s message without allowed_mentions none: %s", m.Kind, string(m.Payload))
		}
	}
}

func (h *harness) slash(opts fakediscord.SlashOpts) fakediscord.SlashOpts {
	h.t.Helper()
	if opts.ID == "" {
		opts.ID = fmt.Sprint(time.Now().UnixNano())
	}
	if opts.Token == "" {
		opts.Token = "tok-" + opts.ID
	}
	h.discord.Dispatch(h.t, "INTERACTION_CREATE", fakediscord.SlashCommand(opts))
	return opts
}

// final waits for the last edit of an interaction's response: the one that
// carries the sources embed or, for answers without sources, any edit
// matching pred.
func (h *harness) waitEdit(token string, timeout time.Duration, pred func(fakediscord.Message) bool) fakediscord.Message {
	h.t.Helper()
	return h.discord.WaitMessage(h.t, timeout, func(m fakediscord.Message) bool {
		return m.Kind == fakediscord.KindWebhookEdit && m.Token == token && pred(m)
	})
}

// waitReport waits until the reply to an interaction, its first part (the
// deferred response, edited) and the follow-ups a long reply is split
// into, joined, satisfies done, and returns it.
func (h *harness) waitReport(token string, timeout time.Duration, done func(string) bool) string {
	h.t.Helper()
	joined := func() string {
		var b strings.Builder
		for _, m := range h.discord.Messages() {
			if m.Token == token && (m.Kind == fakediscord.KindWebhookEdit || m.Kind == fakediscord.KindWebhookSend) {
				b.WriteString(m.Content)
			}
		}
		return b.String()
	}
	h.discord.WaitMessage(h.t, timeout, func(fakediscord.Message) bool { return done(joined()) })
	return joined()
}

func (h *harness) callback(token string, timeout time.Duration) fakediscord.Call {
	h.t.Helper()
	return h.discord.WaitCall(h.t, timeout, func(c fakediscord.Call) bool {
		return c.Method == "POST" && strings.HasSuffix(c.Path, "/"+token+"/callback")
	})
}

func callbackType(t *testing.T, c fakediscord.Call) (int, map[string]any) {
	t.Helper()
	var body struct {
		Type int            `json:"type"`
		Data map[string]any `json:"data"`
	}
	if err := c.JSON(&body); err != nil {
		t.Fatal(err)
	}
	return body.Type, body.Data
}

func hasSourcesEmbed(m fakediscord.Message) bool {
	return len(m.Embeds) > 0 && m.Embeds[0].Title == "Sources"
}

func TestBotAskAcknowledgedAndAnswered(t *testing.T) {
	t.Parallel()
	for _, proxy := range []bool{false, true} {
		t.Run(fmt.Sprintf("proxy=%v", proxy), func(t *testing.T) {
			t.Parallel()
			h := startBot(t, harnessOpts{proxy: proxy})
			sent := time.Now()
			o := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
			cb := h.callback(o.Token, 10*time.Second)
			if typ, _ := callbackType(t, cb); typ != int(discordgo.InteractionResponseDeferredChannelMessageWithSource) {
				t.Errorf("first response type %d, want deferred (5)", typ)
			}
			if d := cb.At.Sub(sent); d > 3*time.Second {
				t.Errorf("acknowledged after %s", d)
			}
			m := h.waitEdit(o.Token, 20*time.Second, hasSourcesEmbed)
			if !strings.Contains(m.Content, "[1]") || !strings.Contains(m.Content, "Havana") {
				t.Errorf("answer content: %s", m.Content)
			}
			if !strings.Contains(m.Embeds[0].Description, "Respect in Migration Talks") || !strings.Contains(m.Embeds[0].Description, "2010-02") {
				t.Errorf("sources embed: %s", m.Embeds[0].Description)
			}
			if len(m.Components) == 0 {
				t.Error("no feedback buttons")
			}
			if cb.Header.Get("Authorization") != "Bot "+h.discord.BotToken {
				t.Errorf("authorization header %q", cb.Header.Get("Authorization"))
			}
		})
	}
}

func TestBotLongAnswerSplit(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{llm: func(_ int, r fakellm.Request) fakellm.Reply {
		first := fakellm.FirstSentence(fakellm.Sources(r.LastUser())[1])
		var parts []string
		for range 16 {
			parts = append(parts, first+" [1]")
		}
		return fakellm.Reply{Text: strings.Join(parts, "\n\n")}
	}})
	o := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
	last := h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool {
		return m.Kind == fakediscord.KindWebhookSend && m.Token == o.Token && hasSourcesEmbed(m)
	})
	var total int
	for _, m := range h.discord.Messages() {
		if m.Token != o.Token {
			continue
		}
		if n := utf8.RuneCountInString(m.Content); n > bot.MaxContent {
			t.Errorf("%s message of %d characters", m.Kind, n)
		}
		if m.Kind == fakediscord.KindWebhookSend {
			total++
		}
		if strings.Count(m.Content, "[")-strings.Count(m.Content, "]") != 0 {
			t.Errorf("a citation marker was split: %q", m.Content[max(0, len(m.Content)-40):])
		}
	}
	if total == 0 || !strings.Contains(last.Content, "[1]") {
		t.Errorf("no follow-up message: %d", total)
	}
}

func TestBotStreamingEditsThrottled(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{llm: func(_ int, r fakellm.Request) fakellm.Reply {
		rep := fakellm.Grounded(r)
		var chunks []string
		for _, w := range strings.Fields(rep.Text) {
			chunks = append(chunks, w+" ")
		}
		rep.Chunked = chunks
		rep.Delay = 1200 * time.Millisecond / time.Duration(len(chunks))
		return rep
	}})
	o := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
	final := h.waitEdit(o.Token, 20*time.Second, hasSourcesEmbed)
	var edits []fakediscord.Message
	for _, m := range h.discord.Messages() {
		if m.Kind == fakediscord.KindWebhookEdit && m.Token == o.Token {
			edits = append(edits, m)
		}
	}
	streamed := edits[:len(edits)-1]
	if len(streamed) < 2 {
		t.Fatalf("%d streaming edits before the final one; want several", len(streamed))
	}
	if len(streamed) > 12 {
		t.Errorf("%d streaming edits in about 1.2 s at 150 ms: not throttled", len(streamed))
	}
	// Edits leave the bot at least 150 ms apart; the server sees them with
	// delivery jitter, so half the interval is the bound checked here.
	for i := 1; i < len(streamed); i++ {
		if gap := streamed[i].Call.At.Sub(streamed[i-1].Call.At); gap < 75*time.Millisecond {
			t.Errorf("edits %d and %d only %s apart", i-1, i, gap)
		}
	}
	for _, m := range streamed {
		if strings.HasSuffix(strings.TrimSuffix(m.Content, " …"), "[") || strings.Contains(m.Content, "[1 ") {
			t.Errorf("streamed a half marker: %q", m.Content)
		}
	}
	if final.Content == streamed[len(streamed)-1].Content {
		t.Error("the final edit did not replace the streamed text")
	}
}

func TestBotSummaryAutocomplete(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{})
	opts := fakediscord.SlashOpts{Command: "summary", ID: "ac1", Token: "tok-ac1", Options: []fakediscord.Opt{
		{Name: "article", Options: []fakediscord.Opt{{Name: "title", Value: "migration"}}}}}
	h.discord.Dispatch(t, "INTERACTION_CREATE", fakediscord.Autocomplete(opts, "title"))
	cb := h.callback("tok-ac1", 10*time.Second)
	typ, data := callbackType(t, cb)
	if typ != int(discordgo.InteractionApplicationCommandAutocompleteResult) {
		t.Fatalf("callback type %d", typ)
	}
	choices, _ := data["choices"].([]any)
	var found string
	for _, c := range choices {
		ch := c.(map[string]any)
		if strings.Contains(ch["name"].(string), "Respect in Migration Talks") {
			found = ch["value"].(string)
		}
	}
	if found == "" {
		t.Fatalf("choices lack the seed article: %v", choices)
	}
	// Choosing it summarises that article.
	o := h.slash(fakediscord.SlashOpts{Command: "summary", Options: []fakediscord.Opt{
		{Name: "article", Options: []fakediscord.Opt{{Name: "title", Value: found}}}}})
	m := h.waitEdit(o.Token, 20*time.Second, hasSourcesEmbed)
	if !strings.Contains(m.Content, "Craig Kelly") {
		t.Errorf("summary: %s", m.Content)
	}
}

func TestBotMentionAndReplyChain(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{withLLM: true})
	mention := fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "5001", MentionBot: true,
		Content: "<@" + fakediscord.DefaultBotUserID + "> " + seedQ})
	h.discord.Dispatch(t, "MESSAGE_CREATE", mention)
	reply := h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool {
		return m.Kind == fakediscord.KindChannelSend && m.MessageReference != nil && m.MessageReference.MessageID == "5001"
	})
	final := h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool {
		return (m.Kind == fakediscord.KindChannelEdit || m.Kind == fakediscord.KindChannelSend) && hasSourcesEmbed(m)
	})
	if !strings.Contains(final.Content, "[1]") {
		t.Errorf("mention answer: %s", final.Content)
	}
	raw, ok := h.discord.StoredMessage(reply.ChannelID, reply.MessageID)
	var botMsg map[string]any
	if !ok || json.Unmarshal(raw, &botMsg) != nil {
		t.Fatalf("the bot's reply %s is not stored", reply.MessageID)
	}
	n := len(h.llm.Requests())
	// A reply to the bot's answer, without mentioning it, continues the conversation.
	follow := fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "5003", Content: "Did they also meet dissidents?", ReplyTo: botMsg})
	h.discord.Dispatch(t, "MESSAGE_CREATE", follow)
	h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool {
		return m.MessageReference != nil && m.MessageReference.MessageID == "5003"
	})
	h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool {
		return m.Call.At.After(reply.Call.At) && hasSourcesEmbed(m) && m.MessageID != final.MessageID
	})
	reqs := h.llm.Requests()[n:]
	if len(reqs) < 2 || !strings.Contains(reqs[0].LastUser(), "Standalone search query") {
		t.Fatalf("no condense call for the follow-up: %d requests", len(reqs))
	}
	cond := reqs[0].LastUser()
	if !strings.Contains(cond, "Havana") || !strings.Contains(cond, "dissidents") {
		t.Errorf("the reply chain did not reach the condense prompt:\n%s", cond)
	}
}

func TestBotIgnoresDisallowedChannel(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{env: map[string]string{"ATTACHE_DISCORD_ALLOWED_CHANNELS": "999"}})
	h.discord.Dispatch(t, "MESSAGE_CREATE", fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "6001", MentionBot: true,
		Content: "<@" + fakediscord.DefaultBotUserID + "> " + seedQ}))
	// A slash command in the same channel is the sync point: it is handled
	// after the mention, and refused privately.
	o := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
	typ, data := callbackType(t, h.callback(o.Token, 10*time.Second))
	if typ != 4 || !strings.Contains(fmt.Sprint(data["content"]), "don't answer here") || data["flags"] != float64(discordgo.MessageFlagsEphemeral) {
		t.Errorf("slash command in a disallowed channel: type %d %v", typ, data)
	}
	for _, m := range h.discord.Messages() {
		if m.Kind == fakediscord.KindChannelSend {
			t.Errorf("answered a mention in a disallowed channel: %s", m.Content)
		}
	}
}

func TestBotRateLimit(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{env: map[string]string{
		"ATTACHE_DISCORD_RATE_LIMIT_PER_MINUTE": "1", "ATTACHE_DISCORD_RATE_LIMIT_BURST": "1"}})
	a := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
	b := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: "And the dissidents?"}}})
	// Handlers run concurrently: either question may be the one turned away.
	types := map[int]int{}
	var deferred string
	for _, o := range []fakediscord.SlashOpts{a, b} {
		typ, data := callbackType(t, h.callback(o.Token, 10*time.Second))
		types[typ]++
		switch typ {
		case 5:
			deferred = o.Token
		case 4:
			if !strings.Contains(fmt.Sprint(data["content"]), "asking quickly") || data["flags"] != float64(discordgo.MessageFlagsEphemeral) {
				t.Errorf("rate-limited reply: %v", data)
			}
		}
	}
	if types[4] != 1 || types[5] != 1 {
		t.Fatalf("callback types %v: want one answered and one rate-limited", types)
	}
	h.waitEdit(deferred, 20*time.Second, hasSourcesEmbed)
}

func TestBotReloadNeedsAdmin(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{})
	o := h.slash(fakediscord.SlashOpts{Command: "reload"})
	typ, data := callbackType(t, h.callback(o.Token, 10*time.Second))
	if typ != 4 || !strings.Contains(fmt.Sprint(data["content"]), "Only administrators") {
		t.Errorf("non-admin reload: type %d %v", typ, data)
	}
	admin := h.slash(fakediscord.SlashOpts{Command: "reload", Permissions: fmt.Sprint(discordgo.PermissionManageGuild)})
	if typ, _ := callbackType(t, h.callback(admin.Token, 10*time.Second)); typ != 5 {
		t.Errorf("admin reload not deferred: %d", typ)
	}
	m := h.waitEdit(admin.Token, 20*time.Second, func(m fakediscord.Message) bool { return strings.HasPrefix(m.Content, "Reloaded") })
	if !strings.Contains(m.Content, "unchanged 42") {
		t.Errorf("reload summary: %s", m.Content)
	}
}

func TestBotHonoursDiscord429(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{})
	h.discord.RateLimit("PATCH", "/webhooks/", 1, 300*time.Millisecond)
	o := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
	h.waitEdit(o.Token, 20*time.Second, hasSourcesEmbed)
	var patches []fakediscord.Call
	for _, c := range h.discord.Calls() {
		if c.Method == "PATCH" && strings.Contains(c.Path, o.Token) {
			patches = append(patches, c)
		}
	}
	if len(patches) < 2 || patches[0].Status != 429 {
		t.Fatalf("expected a 429 then a retry: %d calls", len(patches))
	}
	if gap := patches[1].At.Sub(patches[0].At); gap < 280*time.Millisecond {
		t.Errorf("retried after %s, before retry_after", gap)
	}
}

func TestBotShutdownFinishesAnswerInFlight(t *testing.T) {
	t.Parallel()
	var once sync.Once
	streaming := make(chan struct{})
	h := startBot(t, harnessOpts{llm: func(_ int, r fakellm.Request) fakellm.Reply {
		once.Do(func() { close(streaming) })
		rep := fakellm.Grounded(r)
		rep.Chunked = strings.SplitAfter(rep.Text, " ")
		rep.Delay = 40 * time.Millisecond
		return rep
	}})
	o := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
	select {
	case <-streaming:
	case <-time.After(20 * time.Second):
		t.Fatal("the model was not called")
	}
	h.stop() // mid-answer
	var final *fakediscord.Message
	for _, m := range h.discord.Messages() {
		if m.Token == o.Token && hasSourcesEmbed(m) {
			final = &m
		}
	}
	if final == nil || !strings.Contains(final.Content, "[1]") {
		t.Fatal("the answer in flight was not finished before shutdown")
	}
	if h.discord.Connected() != 0 {
		t.Error("gateway still connected after shutdown")
	}
}

func TestBotNewFileAnswerableWithoutRestart(t *testing.T) {
	t.Parallel()
	kn := t.TempDir()
	writeFile(t, filepath.Join(kn, "a.md"), "---\ntitle: Fisheries talks\ndate: 2022-01-10\n---\n\nNorway and Iceland held fisheries talks in Reykjavik on quotas for mackerel.\n")
	h := startBot(t, harnessOpts{knowledge: kn})
	writeFile(t, filepath.Join(kn, "zanzibar.md"), "---\ntitle: Clove trade accord\ndate: 2024-03-05\n---\n\n"+
		"Tanzania and Oman signed a clove trade accord in Zanzibar on March 4, covering export tariffs.\n")
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := h.app.searcher.Search(context.Background(), "Zanzibar clove accord", retrieval.SearchOptions{K: 1})
		if err == nil && len(res.Hits) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the new file was not indexed while serving")
		}
		time.Sleep(50 * time.Millisecond)
	}
	o := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: "What did Tanzania and Oman sign in Zanzibar?"}}})
	m := h.waitEdit(o.Token, 20*time.Second, hasSourcesEmbed)
	if !strings.Contains(m.Embeds[0].Description, "Clove trade accord") {
		t.Errorf("answer does not cite the new file: %s", m.Embeds[0].Description)
	}
}

func TestBotFeedbackVoteExported(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{})
	o := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
	m := h.waitEdit(o.Token, 20*time.Second, hasSourcesEmbed)
	raw, _ := json.Marshal(m.Components)
	var rows []struct {
		Components []struct {
			CustomID string `json:"custom_id"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &rows); err != nil || len(rows) == 0 || len(rows[0].Components) < 2 {
		t.Fatalf("buttons: %s", raw)
	}
	up := rows[0].Components[0].CustomID
	h.discord.Dispatch(t, "INTERACTION_CREATE", fakediscord.Button(up, fakediscord.SlashOpts{ID: "b1", Token: "tok-b1"}))
	typ, data := callbackType(t, h.callback("tok-b1", 10*time.Second))
	if typ != 7 || data["components"] == nil {
		t.Fatalf("vote response: %d %v", typ, data)
	}
	fs := stateOf(t, h.app)
	items, err := fs.Feedback(context.Background())
	if err != nil || len(items) != 1 || items[0].Vote != 1 || items[0].Question != seedQ || len(items[0].PassageIDs) == 0 {
		t.Fatalf("feedback: %+v %v", items, err)
	}
}

func TestBotHelpSourcesSearch(t *testing.T) {
	t.Parallel()
	h := startBot(t, harnessOpts{})
	help := h.slash(fakediscord.SlashOpts{Command: "help"})
	if typ, data := callbackType(t, h.callback(help.Token, 10*time.Second)); typ != 4 || !strings.Contains(fmt.Sprint(data["content"]), "/ask") {
		t.Errorf("help: %d %v", typ, data)
	}
	src := h.slash(fakediscord.SlashOpts{Command: "sources"})
	m := h.waitEdit(src.Token, 20*time.Second, func(m fakediscord.Message) bool { return strings.Contains(m.Content, "documents") })
	if !strings.Contains(m.Content, "**knowledge** — 42 documents") {
		t.Errorf("sources: %s", m.Content)
	}
	s := h.slash(fakediscord.SlashOpts{Command: "search", Options: []fakediscord.Opt{{Name: "query", Value: "Havana migration talks"}}})
	m = h.waitEdit(s.Token, 20*time.Second, func(m fakediscord.Message) bool { return strings.Contains(m.Content, "**1.**") })
	if !strings.Contains(m.Content, "Respect in Migration Talks") {
		t.Errorf("search: %s", m.Content)
	}
}

func TestBotConfigEditAppliesValidSourcesOnly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	one, two := filepath.Join(dir, "one"), filepath.Join(dir, "two")
	writeFile(t, filepath.Join(one, "a.md"), md("Fisheries talks", "2022-01-10", "Norway and Iceland held fisheries talks in Reykjavik on mackerel quotas."))
	writeFile(t, filepath.Join(two, "b.md"), md("Clove accord", "2024-03-05", "Tanzania and Oman signed a clove trade accord in Zanzibar."))
	cfg := filepath.Join(dir, "attache.yaml")
	writeFile(t, cfg, "knowledge:\n  sources:\n    - name: one\n      path: ./one\n")
	h := startBot(t, harnessOpts{config: cfg})
	found := func(q string) bool {
		res, err := h.app.searcher.Search(context.Background(), q, retrieval.SearchOptions{K: 1})
		return err == nil && len(res.Hits) > 0
	}
	if !found("mackerel Reykjavik") || found("Zanzibar clove") {
		t.Fatal("initial sources wrong")
	}
	// A bad edit (a folder that does not exist) is refused; the bot goes on.
	writeFile(t, cfg, "knowledge:\n  sources:\n    - name: one\n      path: ./missing\n")
	time.Sleep(300 * time.Millisecond)
	if !found("mackerel Reykjavik") {
		t.Fatal("a bad config edit dropped the running sources")
	}
	// A good edit takes effect without a restart.
	writeFile(t, cfg, "knowledge:\n  sources:\n    - name: one\n      path: ./one\n    - name: two\n      path: ./two\n")
	deadline := time.Now().Add(15 * time.Second)
	for !found("Zanzibar clove") {
		if time.Now().After(deadline) {
			t.Fatal("the new source was not indexed after the config edit")
		}
		time.Sleep(50 * time.Millisecond)
	}
	o := h.slash(fakediscord.SlashOpts{Command: "sources"})
	m := h.waitEdit(o.Token, 20*time.Second, func(m fakediscord.Message) bool { return strings.Contains(m.Content, "**two**") })
	if !strings.Contains(m.Content, "**one**") {
		t.Errorf("sources after reload: %s", m.Content)
	}
}

func TestBotHealthAndMetrics(t *testing.T) {
	t.Parallel()
	addr := freeAddr(t)
	h := startBot(t, harnessOpts{httpAddr: addr})
	o := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
	h.waitEdit(o.Token, 20*time.Second, hasSourcesEmbed)
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz %d", code)
	}
	// Readiness follows the end of the bot's start-up (commands
	// registered), which a loaded machine may finish after the first
	// answer: it must come, not be there at once.
	code, body := get("/readyz")
	for deadline := time.Now().Add(10 * time.Second); code != 200 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		code, body = get("/readyz")
	}
	if code != 200 {
		t.Errorf("/readyz %d %s", code, body)
	}
	help := h.slash(fakediscord.SlashOpts{Command: "help"})
	h.callback(help.Token, 10*time.Second)
	// The answer's figures are recorded once it is finished, just after
	// its last edit is sent.
	waitMetric(t, addr, "attache_answers_in_flight 0", 10*time.Second)
	code, body = get("/metrics")
	if code != 200 || !strings.Contains(body, `attache_answers_total{command="ask",outcome="answered"} 1`) ||
		!strings.Contains(body, "attache_stage_seconds_bucket") {
		t.Errorf("/metrics %d:\n%.2000s", code, body)
	}
	// One answer records its total time once; help is no answer.
	if !strings.Contains(body, `attache_stage_seconds_count{stage="total"} 1`) {
		t.Errorf("the total stage is not recorded once per answer:\n%.3000s", body)
	}
	if strings.Contains(body, `command="help"`) {
		t.Errorf("/help counted as an answer")
	}
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// waitMetric polls the bot's /metrics until it contains line, or fails.
func waitMetric(t *testing.T, addr, line string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var body []byte
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + addr + "/metrics"); err == nil {
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(body), line) {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("/metrics never showed %q:\n%.2000s", line, body)
}

func TestFeedbackExportCommand(t *testing.T) {
	t.Parallel()
	vars := testEnv(t)
	args := bundled(t)
	e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return vars[k] }}
	e.flags.knowledge, e.flags.index = args[1], args[3]
	a, err := e.open(context.Background()) // the export below must read this index
	if err != nil {
		t.Fatal(err)
	}
	fs := stateOf(t, a)
	id, err := fs.RecordAnswer(context.Background(), attache.Feedback{Question: "q?", Answer: "a [1].", PassageIDs: []string{"knowledge/x.md#0"}})
	if err != nil || fs.Vote(context.Background(), id, "u1", -1) != nil {
		t.Fatal(err)
	}
	a.Close()
	out := filepath.Join(t.TempDir(), "fb.jsonl")
	code, _, errs := run(t, vars, append(args, "feedback", "export", "-o", out)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var f attache.Feedback
	if err := json.Unmarshal(data, &f); err != nil || f.AnswerID != id || f.Vote != -1 || f.Question != "q?" {
		t.Errorf("export: %s (%v)", data, err)
	}
}

func md(title, date, body string) string {
	return fmt.Sprintf("---\ntitle: %s\ndate: %s\n---\n\n%s\n", title, date, body)
}

func TestBotDirectMessages(t *testing.T) {
	t.Parallel()
	for _, allow := range []bool{true, false} {
		t.Run(fmt.Sprintf("allow_dms=%v", allow), func(t *testing.T) {
			t.Parallel()
			addr := freeAddr(t)
			h := startBot(t, harnessOpts{httpAddr: addr, env: map[string]string{"ATTACHE_DISCORD_ALLOW_DMS": fmt.Sprint(allow)}})
			h.discord.Dispatch(t, "MESSAGE_CREATE", fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "7001", DM: true, ChannelID: "7000", Content: seedQ}))
			if allow {
				m := h.discord.WaitMessage(t, 20*time.Second, func(m fakediscord.Message) bool { return m.ChannelID == "7000" && hasSourcesEmbed(m) })
				if !strings.Contains(m.Content, "[1]") {
					t.Errorf("DM answer: %s", m.Content)
				}
				return
			}
			// Sync point: the bot counts the DM it turned away.
			waitMetric(t, addr, `attache_answers_total{command="mention",outcome="not_allowed"} 1`, 20*time.Second)
			for _, m := range h.discord.Messages() {
				if m.ChannelID == "7000" {
					t.Errorf("answered a DM with allow_dms false: %s", m.Content)
				}
			}
		})
	}
}
