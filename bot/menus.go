package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"attache"
	"attache/internal/text"
)

// The message context-menu commands (right click on a message → Apps).
const (
	menuAsk     = "Ask Attaché about this message"
	menuSources = "Find sources for this"
)

// maxClaims bounds how many sentences of a message are checked, and
// claimHits how many passages are shown for each.
const (
	maxClaims = 5
	claimHits = 2
)

func menuCommands() []*discordgo.ApplicationCommand {
	return []*discordgo.ApplicationCommand{
		{Type: discordgo.MessageApplicationCommand, Name: menuAsk},
		{Type: discordgo.MessageApplicationCommand, Name: menuSources},
	}
}

// targetMessage is the message a context-menu command was used on.
func targetMessage(data discordgo.ApplicationCommandInteractionData) *discordgo.Message {
	if data.Resolved == nil {
		return nil
	}
	return data.Resolved.Messages[data.TargetID]
}

// runMenu answers a context-menu command: a question taken from the
// message, or the sources for its claims.
func (b *Bot) runMenu(ctx context.Context, cmd string, msg *discordgo.Message, spanish bool, out output) {
	content := cleanQuestion(msg.Content)
	switch cmd {
	case menuAsk:
		b.answerQuestion(ctx, "menu_ask", Query{Question: content}, out)
	case menuSources:
		report, err := b.findSources(ctx, content, spanish)
		if err != nil {
			b.log.Error("finding sources failed", "err", err)
			out.fail(userMessage(err))
			b.outcome(ctx, "menu_sources", "error", nil)
			return
		}
		out.finish(report, nil, nil)
		b.outcome(ctx, "menu_sources", "answered", nil)
	default:
		out.fail(msgUnknown)
	}
}

// messageClaims splits a message into the sentences worth checking: those with
// content words, at most maxClaims.
func messageClaims(s string) []string {
	var out []string
	for _, sp := range text.Sentences(s) {
		c := strings.TrimSpace(s[sp.Start:sp.End])
		if len(text.ContentWords(c)) < 2 {
			continue
		}
		out = append(out, c)
		if len(out) == maxClaims {
			break
		}
	}
	if len(out) == 0 && len(text.ContentWords(s)) > 0 {
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

// findSources lists, for each claim of a message, the passages that cover
// it or, when none does, the closest ones and that they do not cover it.
// It quotes the articles and asserts nothing beyond them: whether a claim
// is true is left to the reader.
func (b *Bot) findSources(ctx context.Context, content string, spanish bool) (string, error) {
	w := reportWords
	if spanish {
		w = reportWordsES
	}
	cs := messageClaims(content)
	if len(cs) == 0 {
		return msgNoMessage, nil
	}
	var sb strings.Builder
	sb.WriteString(w.header)
	for _, c := range cs {
		co, err := b.ans.Corroborate(ctx, c)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&sb, "> %s\n", truncate(strings.Join(strings.Fields(c), " "), 300))
		hits := co.Hits[:min(len(co.Hits), claimHits)]
		switch {
		case co.Covered:
			sb.WriteString(w.covered)
		case len(hits) == 0:
			sb.WriteString(w.notFound)
			continue
		default:
			sb.WriteString(w.notCovered)
			if len(co.Missing) > 0 {
				fmt.Fprintf(&sb, w.missing, strings.Join(co.Missing, ", "))
			}
			sb.WriteString(":\n")
		}
		for _, h := range hits {
			sb.WriteString(hitLine(h))
		}
		sb.WriteString("\n")
	}
	return sb.String(), nil
}

// reportText is the fixed wording of a sources report.
type reportText struct{ header, covered, notFound, notCovered, missing string }

var (
	reportWords = reportText{
		header:     "What the articles say on each claim of the message (quoted, not judged):\n\n",
		covered:    "**Covered** by these passages:\n",
		notFound:   "**Not found**: no passage matches it.\n\n",
		notCovered: "**Not covered**: no passage states all of it; the closest",
		missing:    " (nothing matches %s)",
	}
	reportWordsES = reportText{
		header:     "Lo que dicen los artículos de cada afirmación del mensaje (citado, no juzgado):\n\n",
		covered:    "**Respaldada** por estos pasajes:\n",
		notFound:   "**Sin fuentes**: ningún pasaje coincide.\n\n",
		notCovered: "**No respaldada**: ningún pasaje la afirma entera; los más cercanos",
		missing:    " (nada coincide con %s)",
	}
)

// hitHeading renders a passage's title (at most limit runes, linked without
// a preview when it has a URL) and its date ("undated" when unknown).
func hitHeading(h attache.Hit, limit int) (title, date string) {
	title = escapeMarkdown(truncate(h.Title, limit))
	if h.URL != "" {
		title = "[" + title + "](<" + h.URL + ">)"
	}
	date = h.Date
	if date == "" {
		date = "undated"
	}
	return title, date
}

// hitLine is one cited passage: title (linked), date, and its words.
func hitLine(h attache.Hit) string {
	title, date := hitHeading(h, 100)
	return fmt.Sprintf("• %s (%s): “%s”\n", title, date, truncate(strings.Join(strings.Fields(h.Text), " "), 240))
}

// recentFallback is the note that opens a summary of the newest articles
// when the asked window holds none.
func recentFallback(days int, since string, spanish bool) string {
	if spanish {
		return fmt.Sprintf("No se publicó nada en los últimos %d días; estos son los artículos más recientes, desde el %s.\n\n", days, since)
	}
	return fmt.Sprintf("Nothing was published in the last %d days; here are the newest articles instead, dated from %s on.\n\n", days, since)
}

// newestSince is the date of the oldest of the n newest dated articles,
// "" when none is dated.
func (b *Bot) newestSince(ctx context.Context, n int) string {
	docs, err := b.ans.Titles(ctx, "", n)
	if err != nil {
		b.log.Warn("listing the newest articles failed", "err", err)
		return ""
	}
	since := ""
	for _, d := range docs {
		if d.Date != "" && (since == "" || d.Date < since) {
			since = d.Date
		}
	}
	return since
}

// recentDocs is how many of the newest articles a /summary recent with an
// empty window falls back to.
const recentDocs = 5

// newestSummary summarises the newest articles when the last days hold
// none, saying from when they date; empty is kept when nothing is dated.
func (b *Bot) newestSummary(ctx context.Context, days int, spanish bool, empty attache.Answer) (attache.Answer, error) {
	since := b.newestSince(ctx, recentDocs)
	if since == "" {
		return empty, nil
	}
	a, err := b.ans.Summarize(ctx, SummaryQuery{Dates: attache.DateRange{Since: since}})
	if err != nil || len(a.Citations) == 0 {
		return a, err
	}
	a.Text = recentFallback(days, since, spanish) + a.Text
	return a, nil
}

// failPrivately removes a public response's placeholder and tells the
// asker alone what went wrong. Should the placeholder stay, it is edited to
// a neutral line so that the channel never reads an error.
func (o *interactionOut) failPrivately(msg string) {
	if err := o.b.session.InteractionResponseDelete(o.i); err != nil {
		o.b.log.Warn("removing the public placeholder failed", "interaction", o.i.ID, "err", err)
		o.edit(translate(o.i.Locale, msgFailedPrivately), []*discordgo.MessageEmbed{}, []discordgo.MessageComponent{})
	}
	params := &discordgo.WebhookParams{Content: msg, Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()}
	if _, err := o.b.session.FollowupMessageCreate(o.i, true, params); err != nil {
		o.b.log.Warn("private failure message failed", "interaction", o.i.ID, "err", err)
	}
}

// commandLabel is a command's name as metrics label it: the context-menu
// commands' display names become short identifiers.
func commandLabel(cmd string) string {
	switch cmd {
	case menuAsk:
		return "menu_ask"
	case menuSources:
		return "menu_sources"
	}
	return cmd
}
