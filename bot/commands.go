package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"attache"
	"attache/internal/metrics"
)

var adminPermission = int64(discordgo.PermissionManageGuild)

// commands are the commands the bot registers: slash commands and message
// context-menu commands, localized, usable in guilds and, when DMs are
// allowed, in the bot's DMs (so Discord offers none where it would refuse).
func commands(allowDMs bool) []*discordgo.ApplicationCommand {
	minDays := 1.0
	str := func(name, desc string, required, auto bool) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name,
			Description: desc, Required: required, Autocomplete: auto, MaxLength: 1000}
	}
	withDates := func(opts ...*discordgo.ApplicationCommandOption) []*discordgo.ApplicationCommandOption {
		return append(opts, dateOptions()...)
	}
	cmds := []*discordgo.ApplicationCommand{
		{Name: "ask", Description: "Ask a question; the answer cites the articles it comes from",
			Options: withDates(
				str("question", "Your question", true, false),
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionBoolean, Name: "private", Description: "Only you see the answer"},
			)},
		{Name: "summary", Description: "Summarise an article, a topic, or recent articles",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "article", Description: "Summarise one article",
					Options: []*discordgo.ApplicationCommandOption{str("title", "Start typing the article's title", true, true)}},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "topic", Description: "Summarise a topic across articles",
					Options: withDates(str("topic", "The topic", true, false))},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "recent", Description: "Summarise the latest articles",
					Options: withDates(&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionInteger, Name: "days",
						Description: "How many days back (default 7)", MinValue: &minDays, MaxValue: 3650})},
			}},
		{Name: "timeline", Description: "Dated events on a topic, in order, each cited",
			Options: withDates(str("topic", "The topic", true, false))},
		{Name: "search", Description: "Show the passages that best match a query (no model)",
			Options: []*discordgo.ApplicationCommandOption{str("query", "What to look for", true, false)}},
		{Name: "sources", Description: "The knowledge sources, their document counts and last indexing"},
		{Name: "reload", Description: "Re-read the configuration and re-index (admins)", DefaultMemberPermissions: &adminPermission},
		{Name: "help", Description: "How to use Attaché"},
	}
	cmds = append(cmds, menuCommands()...)
	contexts := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	if allowDMs {
		contexts = append(contexts, discordgo.InteractionContextBotDM)
	}
	guildOnly := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	install := []discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}
	for _, c := range cmds {
		c.Contexts = &contexts
		if c.Name == "reload" { // administers a guild: meaningless in a DM
			c.Contexts = &guildOnly
		}
		c.IntegrationTypes = &install
	}
	localize(cmds)
	return cmds
}

// registerCommands puts the commands in place, per guild when guild IDs are
// configured (instant), else globally. Bulk overwrite also removes commands
// the bot no longer has.
func (b *Bot) registerCommands(ctx context.Context) error {
	cmds := commands(b.cfg.AllowDMs)
	targets := b.cfg.GuildIDs
	if len(targets) == 0 {
		targets = []string{""}
	}
	for _, g := range targets {
		if _, err := b.session.ApplicationCommandBulkOverwrite(b.appID(), g, cmds, discordgo.WithContext(ctx)); err != nil {
			where := "globally"
			if g != "" {
				where = "in guild " + g
			}
			return fmt.Errorf("register commands %s: %w", where, err)
		}
	}
	return nil
}

const helpText = `**Attaché** answers questions on bilateral relations from a library of news articles. Every sentence of an answer cites its source [n]; the sources are listed under the answer with their date and link.

• ` + "`/ask question`" + ` — ask anything; add ` + "`private:true`" + ` to see the answer alone.
• ` + "`/summary article|topic|recent`" + ` — summarise one article, a topic, or the last days.
• ` + "`/timeline topic`" + ` — dated events in order.
• ` + "`/search query`" + ` — the matching passages, without a model.
• ` + "`/sources`" + ` — what the library holds.
• Right click a message → Apps: ask me about it, or find the sources for its claims.
• ` + "`since`/`until`" + ` (YYYY, YYYY-MM or YYYY-MM-DD) narrow /ask, /summary and /timeline to a window of dates.
• Mention me or reply to one of my answers to ask a follow-up.
• Under an answer, **Show quotes** shows you the cited sentences; 👎 asks what was wrong.

When the articles do not cover a question, I say so rather than guess.`

// onInteraction routes every interaction. It never blocks: slow work is
// acknowledged first and done in a goroutine.
func (b *Bot) onInteraction(s *discordgo.Session, ic *discordgo.InteractionCreate) {
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("panic in interaction handler", "interaction", ic.ID, "panic", fmt.Sprint(r))
		}
	}()
	switch ic.Type {
	case discordgo.InteractionApplicationCommand:
		b.onCommand(ic.Interaction)
	case discordgo.InteractionApplicationCommandAutocomplete:
		b.onAutocomplete(ic.Interaction)
	case discordgo.InteractionMessageComponent:
		b.onButton(ic.Interaction)
	case discordgo.InteractionModalSubmit:
		b.onModal(ic.Interaction)
	}
}

func interactionUser(i *discordgo.Interaction) (id string, roles []string) {
	if i.Member != nil {
		roles = i.Member.Roles
		if i.Member.User != nil {
			id = i.Member.User.ID
		}
	}
	if id == "" && i.User != nil {
		id = i.User.ID
	}
	return id, roles
}

// respondNow answers an interaction immediately with a message.
func (b *Bot) respondNow(i *discordgo.Interaction, content string, ephemeral bool) {
	data := &discordgo.InteractionResponseData{Content: translate(i.Locale, content), AllowedMentions: noMentions()}
	if ephemeral {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	if err := b.session.InteractionRespond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource, Data: data}); err != nil {
		b.log.Warn("interaction response failed", "interaction", i.ID, "err", err)
	}
}

func (b *Bot) onCommand(i *discordgo.Interaction) {
	data := i.ApplicationCommandData()
	user, roles := interactionUser(i)
	cmd := data.Name
	if cmd == "help" {
		// Help is no answer: it is not counted among them.
		b.respondNow(i, translate(i.Locale, helpText), true)
		return
	}
	lookup, cancel := context.WithTimeout(b.baseCtx, channelLookupTimeout)
	defer cancel()
	if !b.allowedHere(lookup, i.GuildID, i.ChannelID, roles) {
		b.respondNow(i, msgNotHere, true)
		b.metrics.Answer(commandLabel(cmd), metrics.OutcomeNotAllowed)
		return
	}
	if cmd == "reload" && !b.isAdmin(i) {
		b.respondNow(i, msgAdminOnly, true)
		b.metrics.Answer(commandLabel(cmd), "refused")
		return
	}
	opts := optionMap(data.Options)
	dates, derr := dateWindow(opts)
	if derr != nil {
		b.respondNow(i, derr.text(isSpanish(i.Locale)), true)
		b.metrics.Answer(commandLabel(cmd), "refused")
		return
	}
	var target *discordgo.Message
	if data.CommandType == discordgo.MessageApplicationCommand {
		if target = targetMessage(data); target == nil || cleanQuestion(target.Content) == "" {
			b.respondNow(i, msgNoMessage, true)
			b.metrics.Answer(commandLabel(cmd), "refused")
			return
		}
	}
	if !freeLookup(cmd) {
		if ok, wait := b.limiter.allow(b.baseCtx, user); !ok {
			b.respondNow(i, slowDown(i.Locale, wait), true)
			b.metrics.RateLimited()
			b.outcome(withAsked(b.baseCtx, askedBy(cmd, i, opts, target)), commandLabel(cmd), "rate_limited", nil)
			return
		}
	}
	private := cmd == "ask" && opts["private"].boolVal
	switch cmd {
	case "reload", menuAsk, menuSources:
		private = true // an administrator's reload, and a context-menu answer, are the asker's own
	}
	// Acknowledge at once; the answer follows by editing this response.
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if private {
		resp.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
	}
	if err := b.session.InteractionRespond(i, resp); err != nil {
		b.log.Warn("acknowledging interaction failed", "interaction", i.ID, "command", cmd, "err", err)
		return
	}
	out := &interactionOut{b: b, i: i, ephemeral: private}
	started := b.spawn(commandLabel(cmd), i.ID, func(ctx context.Context) {
		ctx = withAsked(ctx, askedBy(cmd, i, opts, target))
		defer b.recoverTo(ctx, out, commandLabel(cmd), i.ID)
		ctx = withScope(ctx, b.scopeFor(ctx, i.ChannelID))
		if target != nil {
			b.runGated(ctx, cmd, out, func(ctx context.Context) { b.runMenu(ctx, cmd, target, isSpanish(i.Locale), out) })
			return
		}
		if cmd == "ask" && !private && b.askInThread(ctx, i, opts, dates, isSpanish(i.Locale)) {
			return
		}
		b.runGated(ctx, cmd, out, func(ctx context.Context) { b.dispatch(ctx, cmd, opts, dates, isSpanish(i.Locale), out) })
	})
	if !started {
		out.fail(restartMessage)
	}
}

// freeLookup reports whether a command only looks things up, without a
// model: it does not spend the asker's question budget.
func freeLookup(cmd string) bool {
	switch cmd {
	case "search", "sources", "help":
		return true
	}
	return false
}

func roundWait(d time.Duration) string {
	if d < time.Second {
		return "a second"
	}
	return d.Round(time.Second).String()
}

type optValue struct {
	str     string
	intVal  int64
	boolVal bool
	sub     string
	focused bool
}

// optionMap flattens options (one level of subcommand) by name; the
// subcommand's name is under "".
func optionMap(opts []*discordgo.ApplicationCommandInteractionDataOption) map[string]optValue {
	m := map[string]optValue{}
	for _, o := range opts {
		switch o.Type {
		case discordgo.ApplicationCommandOptionSubCommand:
			m[""] = optValue{sub: o.Name}
			for k, v := range optionMap(o.Options) {
				m[k] = v
			}
		case discordgo.ApplicationCommandOptionString:
			s, _ := o.Value.(string)
			m[o.Name] = optValue{str: s, focused: o.Focused}
		case discordgo.ApplicationCommandOptionInteger:
			f, _ := o.Value.(float64)
			m[o.Name] = optValue{intVal: int64(f), focused: o.Focused}
		case discordgo.ApplicationCommandOptionBoolean:
			v, _ := o.Value.(bool)
			m[o.Name] = optValue{boolVal: v}
		}
	}
	return m
}

func (b *Bot) isAdmin(i *discordgo.Interaction) bool {
	if i.Member == nil {
		return false
	}
	if len(b.cfg.AdminRoles) > 0 {
		return anyOf(i.Member.Roles, b.cfg.AdminRoles)
	}
	p := i.Member.Permissions
	return p&discordgo.PermissionAdministrator != 0 || p&discordgo.PermissionManageGuild != 0
}

// runGated runs work under the concurrency bound and the answer timeout.
func (b *Bot) runGated(ctx context.Context, cmd string, out output, work func(ctx context.Context)) {
	b.metrics.InFlight(1)
	defer b.metrics.InFlight(-1)
	release, err := b.gate.acquire(ctx)
	if err != nil {
		out.fail(userMessage(err))
		b.outcome(ctx, commandLabel(cmd), gateOutcome(err), nil)
		return
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, b.cfg.AnswerTimeout)
	defer cancel()
	start := time.Now()
	work(ctx)
	b.metrics.Stage("total", time.Since(start))
}

// dispatch does a slash command's work.
func (b *Bot) dispatch(ctx context.Context, cmd string, opts map[string]optValue, dates attache.DateRange, spanish bool, out output) {
	switch cmd {
	case "ask":
		q := cleanQuestion(opts["question"].str)
		b.answerQuestion(ctx, cmd, Query{Question: q, Scope: scopeOf(ctx), Dates: dates}, out)
	case "summary":
		sq := SummaryQuery{Scope: scopeOf(ctx), Dates: dates}
		switch opts[""].sub {
		case "article":
			sq.DocID = opts["title"].str
		case "topic":
			sq.Topic = cleanQuestion(opts["topic"].str)
		case "recent":
			sq.Days = int(opts["days"].intVal)
			if sq.Days <= 0 {
				sq.Days = 7
			}
		}
		a, err := b.ans.Summarize(ctx, sq)
		if err == nil && opts[""].sub == "recent" && len(a.Citations) == 0 && dates == (attache.DateRange{}) {
			a, err = b.newestSummary(ctx, sq.Days, spanish, a)
		}
		b.finishAnswer(ctx, cmd, a, err, out)
	case "timeline":
		a, err := b.ans.Timeline(ctx, cleanQuestion(opts["topic"].str), scopeOf(ctx), dates)
		b.finishAnswer(ctx, cmd, a, err, out)
	case "search":
		hits, err := b.ans.Search(ctx, cleanQuestion(opts["query"].str), 5, scopeOf(ctx))
		if err != nil {
			b.log.Error("search failed", "err", err)
			out.fail(userMessage(err))
			b.outcome(ctx, commandLabel(cmd), "error", nil)
			return
		}
		out.finish(renderHits(hits), nil, nil)
		b.outcome(ctx, commandLabel(cmd), "answered", &attache.Answer{Answered: true, Citations: hitCitations(hits)})
	case "sources":
		srcs, err := b.ans.Sources(ctx)
		if err != nil {
			out.fail(userMessage(err))
			b.metrics.Answer(commandLabel(cmd), "error")
			return
		}
		out.finish(renderScoped(scopeOf(ctx), srcs), nil, nil)
		b.metrics.Answer(commandLabel(cmd), "answered")
	case "reload":
		msg, err := b.ans.Reload(ctx)
		if err != nil {
			b.log.Warn("reload refused", "err", err)
			out.fail("Reload failed: " + userMessage(err))
			b.metrics.Answer(commandLabel(cmd), "error")
			return
		}
		out.finish("Reloaded. "+msg, nil, nil)
		b.metrics.Answer(commandLabel(cmd), "answered")
	default:
		out.fail(msgUnknown)
	}
}

// answerQuestion runs a question with streaming edits and renders the result.
func (b *Bot) answerQuestion(ctx context.Context, cmd string, q Query, out output) {
	st := newStreamer(b, out)
	q.OnDelta = st.add
	a, err := b.ans.Ask(ctx, q)
	st.stop()
	b.finishAnswer(ctx, cmd, a, err, out)
}

// finishAnswer renders an answer (or error) as the final message(s), with
// the sources embed and feedback buttons.
func (b *Bot) finishAnswer(ctx context.Context, cmd string, a attache.Answer, err error, out output) {
	if err != nil {
		if attache.ErrorCode(err) == attache.EINTERNAL && ctx.Err() == nil {
			b.log.Error("answer failed", "command", cmd, "err", err)
		}
		out.fail(userMessage(err))
		outcome := metrics.OutcomeError
		if errors.Is(err, ErrBusy) {
			outcome = metrics.OutcomeBusy
		}
		b.outcome(ctx, commandLabel(cmd), outcome, &a)
		return
	}
	for stage, ms := range a.LatencyMS {
		if stage == "total" {
			continue // the command's whole time is recorded once, by runGated
		}
		b.metrics.Stage(stage, time.Duration(ms)*time.Millisecond)
	}
	b.metrics.CitationFailures(len(a.Unsupported))
	b.metrics.Tokens(a.Model, a.Usage.PromptTokens, a.Usage.CompletionTokens)
	outcome := metrics.OutcomeAnswered
	switch {
	case a.Partial && !a.Answered:
		outcome = metrics.OutcomePartial
	case !a.Answered:
		outcome = metrics.OutcomeRefused
		b.metrics.Refusal()
	case a.Fallback:
		outcome = metrics.OutcomeFallback
	}
	b.outcome(ctx, commandLabel(cmd), outcome, &a)

	var buttons []discordgo.MessageComponent
	if a.Answered {
		id, err := b.ans.RecordAnswer(ctx, attache.Feedback{Question: a.Question, Answer: a.Text, PassageIDs: passageIDs(a), Quotes: quotes(a), Time: time.Now()})
		if err != nil {
			b.log.Warn("recording answer for feedback failed", "err", err)
		} else {
			buttons = feedbackButtons(id, 0, 0)
		}
	}
	var embeds []*discordgo.MessageEmbed
	if e := sourcesEmbed(a.Question, a.Citations); e != nil {
		embeds = append(embeds, e)
	}
	out.finish(answerText(a), embeds, buttons)
}

func passageIDs(a attache.Answer) []string {
	var ids []string
	for _, c := range a.Citations {
		ids = append(ids, c.PassageID)
	}
	return ids
}

func renderHits(hits []attache.Hit) string {
	if len(hits) == 0 {
		return msgNoPassage
	}
	var b strings.Builder
	for _, h := range hits {
		title, date := hitHeading(h, 120)
		fmt.Fprintf(&b, "**%d.** %s (%s)\n> %s\n\n", h.Rank, title, date, truncate(strings.Join(strings.Fields(h.Text), " "), 280))
	}
	return b.String()
}

func renderSources(srcs []SourceInfo) string {
	if len(srcs) == 0 {
		return "No knowledge source is configured."
	}
	var b strings.Builder
	for _, s := range srcs {
		last := "never indexed"
		if !s.LastIndexed.IsZero() {
			last = "last indexed <t:" + fmt.Sprint(s.LastIndexed.Unix()) + ":R>"
		}
		fmt.Fprintf(&b, "**%s** — %d documents, %d passages, %s\n", escapeMarkdown(s.Name), s.Documents, s.Passages, last)
	}
	return b.String()
}

// onAutocomplete suggests article titles for /summary article.
func (b *Bot) onAutocomplete(i *discordgo.Interaction) {
	data := i.ApplicationCommandData()
	opts := optionMap(data.Options)
	var typed string
	for _, v := range opts {
		if v.focused {
			typed = v.str
		}
	}
	ctx, cancel := context.WithTimeout(b.baseCtx, 2*time.Second)
	defer cancel()
	docs, err := b.ans.Titles(ctx, strings.TrimSpace(typed), 25)
	if err != nil {
		b.log.Warn("autocomplete failed", "err", err)
	}
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	for _, d := range docs {
		if len(d.ID) > 100 {
			continue // a choice value cannot be longer
		}
		name := d.Title
		if d.Date != "" {
			name = truncate(d.Title, 100-len(d.Date)-3) + " (" + d.Date + ")"
		}
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: truncate(name, 100), Value: d.ID})
	}
	if err := b.session.InteractionRespond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	}); err != nil {
		b.log.Warn("autocomplete response failed", "err", err)
	}
}
