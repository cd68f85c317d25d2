package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"attache"
	"attache/internal/text"
)

// Custom IDs of the feedback components; each ends with the recorded
// answer's ID (16 hex digits), well under Discord's 100 characters.
const (
	feedbackPrefix = "fb:" // fb:up:<answer>, fb:down:<answer>
	quotesPrefix   = "fq:" // fq:<answer>
	wrongPrefix    = "fw:" // fw:<answer>:<n>
	reasonPrefix   = "fr:" // the reason modal: fr:<answer>
)

// Text inputs of the reason modal.
const (
	inputReason  = "reason"
	inputDetails = "details"
)

// reasonLabels name the reasons of attache.VoteReasons, in order.
var reasonLabels = map[string]string{
	attache.ReasonWrongSource: "wrong source",
	attache.ReasonIncomplete:  "incomplete",
	attache.ReasonOutdated:    "outdated",
	attache.ReasonOther:       "other",
}

func wrongSourceID(answerID string, n int) string {
	return wrongPrefix + answerID + ":" + strconv.Itoa(n)
}

// feedbackButtons are the 👍, 👎 and "Show quotes" buttons under an
// answer; the vote buttons carry the counts recorded so far.
func feedbackButtons(answerID string, up, down int) []discordgo.MessageComponent {
	count := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{CustomID: feedbackPrefix + "up:" + answerID, Label: count(up), Emoji: &discordgo.ComponentEmoji{Name: "👍"}, Style: discordgo.SecondaryButton},
		discordgo.Button{CustomID: feedbackPrefix + "down:" + answerID, Label: count(down), Emoji: &discordgo.ComponentEmoji{Name: "👎"}, Style: discordgo.SecondaryButton},
		discordgo.Button{CustomID: quotesPrefix + answerID, Label: "Show quotes", Style: discordgo.SecondaryButton},
	}}}
}

// onButton handles the feedback components: votes, the quotes view and
// "wrong source" flags. None of them spends the question budget.
func (b *Bot) onButton(i *discordgo.Interaction) {
	id := i.MessageComponentData().CustomID
	user, _ := interactionUser(i)
	ctx, cancel := context.WithTimeout(b.baseCtx, 5*time.Second)
	defer cancel()
	switch {
	case strings.HasPrefix(id, feedbackPrefix):
		dir, answerID, ok := strings.Cut(strings.TrimPrefix(id, feedbackPrefix), ":")
		if !ok || (dir != "up" && dir != "down") {
			return
		}
		vote := 1
		if dir == "down" {
			vote = -1
		}
		if err := b.ans.Vote(ctx, answerID, user, vote); err != nil {
			b.log.Warn("recording vote failed", "answer", answerID, "err", err)
			b.respondNow(i, translate(i.Locale, msgVoteFailed), true)
			return
		}
		if vote < 0 {
			b.askReason(i, answerID)
			return
		}
		b.showVotes(ctx, i, answerID, translate(i.Locale, msgVoteThanks))
	case strings.HasPrefix(id, quotesPrefix):
		b.showQuotes(ctx, i, strings.TrimPrefix(id, quotesPrefix))
	case strings.HasPrefix(id, wrongPrefix):
		answerID, nStr, _ := strings.Cut(strings.TrimPrefix(id, wrongPrefix), ":")
		n, err := strconv.Atoi(nStr)
		if err != nil {
			return
		}
		if err := b.ans.FlagSource(ctx, answerID, user, n); err != nil {
			b.log.Warn("recording a wrong source failed", "answer", answerID, "err", err)
			b.respondNow(i, translate(i.Locale, msgRecordFailed), true)
			return
		}
		if i.Message == nil {
			b.respondNow(i, fmt.Sprintf(translate(i.Locale, msgFlagged), n), true)
			return
		}
		b.updateComponents(i, markFlagged(i.Message.Components, id))
	}
}

func (b *Bot) respond(i *discordgo.Interaction, typ discordgo.InteractionResponseType, data *discordgo.InteractionResponseData) bool {
	if err := b.session.InteractionRespond(i, &discordgo.InteractionResponse{Type: typ, Data: data}); err != nil {
		b.log.Warn("interaction response failed", "interaction", i.ID, "err", err)
		return false
	}
	return true
}

// updateComponents replaces the components of the message carrying the
// clicked component. Content and embeds are sent back unchanged: an update
// without them would blank them.
func (b *Bot) updateComponents(i *discordgo.Interaction, comps []discordgo.MessageComponent) bool {
	return b.respond(i, discordgo.InteractionResponseUpdateMessage, &discordgo.InteractionResponseData{
		Content: i.Message.Content, Embeds: i.Message.Embeds, Components: comps, AllowedMentions: noMentions()})
}

// askReason opens the modal that asks why an answer was not helpful.
func (b *Bot) askReason(i *discordgo.Interaction, answerID string) {
	b.respond(i, discordgo.InteractionResponseModal, &discordgo.InteractionResponseData{
		CustomID: reasonPrefix + answerID,
		Title:    translate(i.Locale, msgReasonTitle),
		Components: []discordgo.MessageComponent{
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
				CustomID: inputReason, Label: "Reason (a number or a word)", Style: discordgo.TextInputShort,
				Placeholder: "1 wrong source · 2 incomplete · 3 outdated · 4 other", Required: true, MaxLength: 100}}},
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
				CustomID: inputDetails, Label: "Anything to add? (optional)", Style: discordgo.TextInputParagraph,
				Required: false, MaxLength: 1000}}},
		},
	})
}

// onModal stores the reason given for an unhelpful vote.
func (b *Bot) onModal(i *discordgo.Interaction) {
	data := i.ModalSubmitData()
	answerID, ok := strings.CutPrefix(data.CustomID, reasonPrefix)
	if !ok {
		return
	}
	values := map[string]string{}
	for _, c := range data.Components {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, in := range row.Components {
			if ti, ok := in.(*discordgo.TextInput); ok {
				values[ti.CustomID] = ti.Value
			}
		}
	}
	reason, extra := parseReason(values[inputReason])
	details := strings.TrimSpace(strings.Join([]string{extra, strings.TrimSpace(values[inputDetails])}, "\n"))
	user, _ := interactionUser(i)
	ctx, cancel := context.WithTimeout(b.baseCtx, 5*time.Second)
	defer cancel()
	if err := b.ans.VoteReason(ctx, answerID, user, reason, details); err != nil {
		b.log.Warn("recording a vote reason failed", "answer", answerID, "err", err)
		b.respondNow(i, translate(i.Locale, msgReasonFailed), true)
		return
	}
	b.showVotes(ctx, i, answerID, fmt.Sprintf(translate(i.Locale, msgReasonThanks), reasonLabels[reason]))
}

// parseReason reads the reason typed in the modal: a number of the list,
// or a word that starts one of the reasons' names. Anything else is
// "other", and the text is kept as extra detail.
func parseReason(s string) (reason, extra string) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(strings.Trim(s, ".)")); err == nil && n >= 1 && n <= len(attache.VoteReasons) {
		return attache.VoteReasons[n-1], ""
	}
	words := text.Words(s)
	if len(words) > 0 && len([]rune(words[0])) >= 3 {
		for _, r := range attache.VoteReasons {
			label := strings.Fields(reasonLabels[r])
			if !startsAny(words[0], label) {
				continue
			}
			for _, w := range words[1:] {
				if !startsAny(w, label) {
					return r, s // more than the reason's name: keep the words
				}
			}
			return r, ""
		}
	}
	return attache.ReasonOther, s
}

// showVotes updates the message carrying the feedback buttons with the
// recorded counts, then thanks the voter privately.
func (b *Bot) showVotes(ctx context.Context, i *discordgo.Interaction, answerID, thanks string) {
	f, err := b.ans.RecordedAnswer(ctx, answerID)
	if err != nil || i.Message == nil {
		if err != nil {
			b.log.Warn("reading a recorded answer failed", "answer", answerID, "err", err)
		}
		b.respondNow(i, thanks, true)
		return
	}
	if !b.updateComponents(i, feedbackButtons(answerID, f.Up, f.Down)) {
		return
	}
	if _, err := b.session.FollowupMessageCreate(i, false, &discordgo.WebhookParams{Content: thanks,
		Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()}); err != nil {
		b.log.Warn("follow-up message failed", "interaction", i.ID, "err", err)
	}
}

// showQuotes answers "Show quotes" with a private view of the cited
// sentences.
func (b *Bot) showQuotes(ctx context.Context, i *discordgo.Interaction, answerID string) {
	f, err := b.ans.RecordedAnswer(ctx, answerID)
	switch {
	case attache.ErrorCode(err) == attache.ENOTFOUND:
		b.respondNow(i, translate(i.Locale, msgNotOnRecord), true)
	case err != nil:
		b.log.Warn("reading a recorded answer failed", "answer", answerID, "err", err)
		b.respondNow(i, translate(i.Locale, msgQuotesFailed), true)
	case len(f.Quotes) == 0:
		b.respondNow(i, translate(i.Locale, msgNoQuotes), true)
	default:
		b.respond(i, discordgo.InteractionResponseChannelMessageWithSource, quotesView(f, i.Locale))
	}
}

// startsAny reports whether w starts one of the words.
func startsAny(w string, words []string) bool {
	for _, x := range words {
		if strings.HasPrefix(x, w) {
			return true
		}
	}
	return false
}
