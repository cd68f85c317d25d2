package bot

import (
	"attache/internal/metrics"
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"attache"
)

// onMessage answers a message that mentions the bot in an allowed channel,
// a DM when DMs are allowed, a reply to one of the bot's answers, or any
// message in a thread the bot started; the reply chain (or the thread)
// becomes the conversation history. Small talk gets a short reply, never
// an answer from the knowledge base.
func (b *Bot) onMessage(s *discordgo.Session, mc *discordgo.MessageCreate) {
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("panic in message handler", "message", mc.ID, "panic", fmt.Sprint(r))
		}
	}()
	m := mc.Message
	me := b.botUserID()
	if m.Author == nil || m.Author.Bot || m.Author.ID == me || me == "" {
		return
	}
	var roles []string
	if m.Member != nil {
		roles = m.Member.Roles
	}
	isDM := m.GuildID == ""
	mentioned := mentions(m, me)
	replyToBot := m.ReferencedMessage != nil && m.ReferencedMessage.Author != nil && m.ReferencedMessage.Author.ID == me
	lookup, cancel := context.WithTimeout(b.baseCtx, channelLookupTimeout)
	defer cancel()
	var thread *discordgo.Channel
	inOwnThread := false
	if !isDM && (mentioned || replyToBot || (b.cfg.Threads != ThreadsOff && b.cfg.Threads != "")) {
		thread, inOwnThread = b.ownThread(lookup, m.ChannelID)
	}
	if !isDM && !mentioned && !replyToBot && !inOwnThread {
		return
	}
	if !b.allowedHere(lookup, m.GuildID, m.ChannelID, roles) {
		b.metrics.Answer("mention", metrics.OutcomeNotAllowed)
		return // silently: a disallowed channel is ignored
	}
	question := cleanQuestion(m.Content)
	quoted := false
	if question == "" && mentioned && m.ReferencedMessage != nil && !replyToBot {
		// A mention in reply to someone else's message asks about that message.
		question, quoted = cleanQuestion(m.ReferencedMessage.Content), true
	}
	out := &messageOut{b: b, channelID: m.ChannelID,
		replyTo: &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID}}
	if kind := classifyChat(question); kind != chatQuestion && !quoted {
		if kind == chatEmpty && !mentioned && !isDM {
			return // an empty reply or thread message (an image, say) asks nothing
		}
		out.finish(chatReply(kind, question), nil, nil)
		b.metrics.Answer("mention", "small_talk")
		return
	}
	if question == "" {
		return
	}
	if ok, wait := b.limiter.allow(b.baseCtx, m.Author.ID); !ok {
		out.finish(fmt.Sprintf("You're asking quickly! Please wait %s before the next question.", roundWait(wait)), nil, nil)
		b.metrics.RateLimited()
		b.logAnswer(b.baseCtx, &asked{command: "mention", channelID: m.ChannelID, userID: m.Author.ID, question: question}, "rate_limited", nil)
		b.metrics.Answer("mention", "rate_limited")
		return
	}
	b.spawn("mention", m.ID, func(ctx context.Context) {
		ctx = withAsked(ctx, &asked{command: "mention", channelID: m.ChannelID, userID: m.Author.ID, question: question})
		defer b.recoverTo(ctx, out, "mention", m.ID)
		var history []attache.Turn
		switch {
		case quoted:
			// The quoted message is the question; nothing before it counts.
		case inOwnThread && !replyToBot:
			history = b.threadHistory(ctx, thread, m.ID)
		default:
			history = b.replyChain(ctx, m)
		}
		if !isDM && !inOwnThread && !isThread(thread) && b.threadsFor("mention") {
			if th := b.openThread(ctx, m.ChannelID, m.ID, question); th != nil {
				out = &messageOut{b: b, channelID: th.ID}
			}
		}
		q := Query{Question: question, History: history, Scope: b.scopeFor(ctx, m.ChannelID)}
		b.answerMessage(ctx, "mention", out.channelID, q, out)
	})
}

// answerMessage answers a question asked in a message, in out: typing
// indicator, an answer slot, the answer timeout.
func (b *Bot) answerMessage(ctx context.Context, what, channelID string, q Query, out output) {
	if err := b.session.ChannelTyping(channelID, discordgo.WithContext(ctx)); err != nil {
		b.log.Debug("typing indicator failed", "err", err)
	}
	b.metrics.InFlight(1)
	defer b.metrics.InFlight(-1)
	release, err := b.gate.acquire(ctx)
	if err != nil {
		out.fail(userMessage(err))
		b.outcome(ctx, what, gateOutcome(err), nil)
		return
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, b.cfg.AnswerTimeout)
	defer cancel()
	b.answerQuestion(ctx, what, q, out)
}

func mentions(m *discordgo.Message, id string) bool {
	for _, u := range m.Mentions {
		if u != nil && u.ID == id {
			return true
		}
	}
	return strings.Contains(m.Content, "<@"+id+">") || strings.Contains(m.Content, "<@!"+id+">")
}

// replyChain walks the chain of replies above m, oldest first, up to
// HistoryMessages messages: the bot's messages become assistant turns.
func (b *Bot) replyChain(ctx context.Context, m *discordgo.Message) []attache.Turn {
	var turns []attache.Turn
	me := b.botUserID()
	cur := m.ReferencedMessage
	var ref *discordgo.MessageReference
	if cur == nil {
		ref = m.MessageReference
	}
	for len(turns) < b.cfg.HistoryMessages {
		if cur == nil {
			if ref == nil || ref.MessageID == "" {
				break
			}
			ch := ref.ChannelID
			if ch == "" {
				ch = m.ChannelID
			}
			got, err := b.session.ChannelMessage(ch, ref.MessageID, discordgo.WithContext(ctx))
			if err != nil {
				b.log.Debug("reply chain fetch failed", "message", ref.MessageID, "err", err)
				break
			}
			cur = got
		}
		role := "user"
		content := cur.Content
		if cur.Author != nil && cur.Author.ID == me {
			role = "assistant"
		} else {
			content = cleanQuestion(content)
		}
		if strings.TrimSpace(content) != "" {
			turns = append(turns, attache.Turn{Role: role, Content: content})
		}
		ref = cur.MessageReference
		cur = cur.ReferencedMessage
	}
	// Oldest first.
	for i, j := 0, len(turns)-1; i < j; i, j = i+1, j-1 {
		turns[i], turns[j] = turns[j], turns[i]
	}
	return turns
}
