package bot

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"attache"
)

// Thread modes of Config.Threads: where an answer opens a thread of its own.
const (
	ThreadsOff    = "off"    // answers stay in the channel
	ThreadsAsk    = "ask"    // answers to /ask open a thread
	ThreadsAlways = "always" // answers to /ask and to mentions open a thread
)

// ThreadModes lists the valid values of Config.Threads.
var ThreadModes = []string{ThreadsOff, ThreadsAsk, ThreadsAlways}

// maxThreadName is Discord's limit on a thread's name, in characters.
const maxThreadName = 100

// threadArchiveMinutes is how long a thread the bot opens stays active
// without messages (one day).
const threadArchiveMinutes = 1440

// channelLookupTimeout bounds a channel fetch made before an interaction is
// acknowledged (Discord allows three seconds).
const channelLookupTimeout = 2 * time.Second

// threadName names a thread after the question: one line, at most
// maxThreadName characters, cut at a word when possible.
func threadName(question string) string {
	name := strings.Join(strings.Fields(question), " ")
	if name == "" {
		return "Question"
	}
	if utf8.RuneCountInString(name) <= maxThreadName {
		return name
	}
	r := []rune(name)[:maxThreadName-1]
	cut := string(r)
	if i := strings.LastIndex(cut, " "); i > maxThreadName/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}

// threadsFor reports whether an answer to this kind of request ("ask" or
// "mention") opens a thread.
func (b *Bot) threadsFor(kind string) bool {
	switch b.cfg.Threads {
	case ThreadsAlways:
		return true
	case ThreadsAsk:
		return kind == "ask"
	}
	return false
}

func isThread(c *discordgo.Channel) bool {
	return c != nil && (c.Type == discordgo.ChannelTypeGuildPublicThread ||
		c.Type == discordgo.ChannelTypeGuildPrivateThread || c.Type == discordgo.ChannelTypeGuildNewsThread)
}

// lookupFailed marks a channel that could not be read, and when; it is
// not asked for again before lookupRetry has passed.
type lookupFailed time.Time

const lookupRetry = time.Minute

// channel returns a channel's description from the session state, the
// bot's cache or Discord; nil when it cannot be had.
func (b *Bot) channel(ctx context.Context, id string) *discordgo.Channel {
	if id == "" {
		return nil
	}
	if v, ok := b.channels.Load(id); ok {
		switch c := v.(type) {
		case *discordgo.Channel:
			return c
		case lookupFailed:
			if time.Since(time.Time(c)) < lookupRetry {
				return nil
			}
		}
	}
	if b.session.State != nil {
		if c, err := b.session.State.Channel(id); err == nil && c != nil {
			return c
		}
	}
	c, err := b.session.Channel(id, discordgo.WithContext(ctx))
	if err != nil {
		b.log.Debug("channel lookup failed", "channel", id, "err", err)
		b.channels.Store(id, lookupFailed(time.Now()))
		return nil
	}
	b.remember(c)
	return c
}

// remember caches a channel's description: a thread's parent and owner
// and a channel's category do not change.
func (b *Bot) remember(c *discordgo.Channel) {
	if c != nil && c.ID != "" {
		b.channels.Store(c.ID, c)
	}
}

// placeChain is the channel, then for a thread its parent channel, then
// the category above: an allow-list entry for any of them covers the place.
func (b *Bot) placeChain(ctx context.Context, channelID string) []string {
	chain := []string{channelID}
	c := b.channel(ctx, channelID)
	for hops := 0; c != nil && c.ParentID != "" && hops < 2; hops++ {
		chain = append(chain, c.ParentID)
		c = b.channel(ctx, c.ParentID)
	}
	return chain
}

// allowedHere is allowedPlace for a channel, a thread in it, or a channel
// in an allowed category.
func (b *Bot) allowedHere(ctx context.Context, guildID, channelID string, roles []string) bool {
	if guildID == "" || len(b.cfg.AllowedChannels) == 0 {
		return b.allowedPlace(guildID, channelID, roles)
	}
	for _, id := range b.placeChain(ctx, channelID) {
		if b.allowedPlace(guildID, id, roles) {
			return true
		}
	}
	return false
}

// ownThread reports whether a channel is a thread the bot started.
func (b *Bot) ownThread(ctx context.Context, channelID string) (*discordgo.Channel, bool) {
	c := b.channel(ctx, channelID)
	me := b.botUserID()
	return c, isThread(c) && me != "" && c.OwnerID == me
}

// openThread starts a public thread on a message, named after the
// question; nil when Discord refuses (then the answer stays in place).
func (b *Bot) openThread(ctx context.Context, channelID, messageID, question string) *discordgo.Channel {
	th, err := b.session.MessageThreadStartComplex(channelID, messageID, &discordgo.ThreadStart{
		Name: threadName(question), AutoArchiveDuration: threadArchiveMinutes, Type: discordgo.ChannelTypeGuildPublicThread,
	}, discordgo.WithContext(ctx))
	if err != nil {
		b.log.Warn("opening a thread failed; answering in the channel", "channel", channelID, "err", err)
		return nil
	}
	if th.OwnerID == "" {
		th.OwnerID = b.botUserID()
	}
	if th.ParentID == "" {
		th.ParentID = channelID
	}
	b.remember(th)
	return th
}

// threadHistory is the conversation in a thread the bot started, oldest
// first, without the message being answered: the message that started
// the thread (the first question), then the thread's messages, up to
// HistoryMessages turns.
func (b *Bot) threadHistory(ctx context.Context, th *discordgo.Channel, before string) []attache.Turn {
	if b.cfg.HistoryMessages <= 0 {
		return nil
	}
	me := b.botUserID()
	turn := func(m *discordgo.Message) (attache.Turn, bool) {
		if m == nil || m.Author == nil {
			return attache.Turn{}, false
		}
		if m.Author.ID == me {
			if strings.TrimSpace(m.Content) == "" || isSmallTalkReply(m.Content) {
				return attache.Turn{}, false
			}
			return attache.Turn{Role: "assistant", Content: m.Content}, true
		}
		q := cleanQuestion(m.Content)
		if classifyChat(q) != chatQuestion {
			return attache.Turn{}, false
		}
		return attache.Turn{Role: "user", Content: q}, true
	}
	msgs, err := b.session.ChannelMessages(th.ID, b.cfg.HistoryMessages, before, "", "", discordgo.WithContext(ctx))
	if err != nil {
		b.log.Debug("thread history fetch failed", "thread", th.ID, "err", err)
	}
	var turns []attache.Turn
	for _, m := range msgs { // newest first
		if t, ok := turn(m); ok {
			turns = append(turns, t)
		}
	}
	if len(turns) < b.cfg.HistoryMessages && len(msgs) < b.cfg.HistoryMessages && th.ParentID != "" {
		// A thread opened on a message has that message's id.
		if start, err := b.session.ChannelMessage(th.ParentID, th.ID, discordgo.WithContext(ctx)); err == nil {
			if t, ok := turn(start); ok {
				turns = append(turns, t)
			}
		}
	}
	for i, j := 0, len(turns)-1; i < j; i, j = i+1, j-1 {
		turns[i], turns[j] = turns[j], turns[i]
	}
	return turns
}

// isSmallTalkReply reports whether the bot's message is one of its replies
// to small talk, which carries nothing for the conversation.
func isSmallTalkReply(s string) bool {
	for _, k := range []chatKind{chatThanks, chatGreeting, chatAck, chatEmpty} {
		for _, es := range []string{"", "gracias"} {
			if s == chatReply(k, es) {
				return true
			}
		}
	}
	return false
}

// onThreadCreate answers a new post in an allowed forum channel when
// ForumAutoReply is on: the post's title and first message are the
// question, and the answer goes in the post's thread.
func (b *Bot) onThreadCreate(_ *discordgo.Session, tc *discordgo.ThreadCreate) {
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("panic in thread handler", "panic", fmt.Sprint(r))
		}
	}()
	if tc.Channel == nil {
		return
	}
	b.remember(tc.Channel)
	th := tc.Channel
	me := b.botUserID()
	if !b.cfg.ForumAutoReply || !tc.NewlyCreated || me == "" || th.OwnerID == me || th.ParentID == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.baseCtx, channelLookupTimeout)
	defer cancel()
	parent := b.channel(ctx, th.ParentID)
	if parent == nil || parent.Type != discordgo.ChannelTypeGuildForum {
		return
	}
	if !b.allowedHere(ctx, th.GuildID, th.ID, nil) {
		b.metrics.Answer("forum", "not_allowed")
		return
	}
	// A forum post's first message has the thread's id; it may not be
	// readable yet, and then the title alone is the question.
	question := th.Name
	var ref *discordgo.MessageReference
	if first, err := b.session.ChannelMessage(th.ID, th.ID, discordgo.WithContext(ctx)); err == nil && first != nil {
		if body := cleanQuestion(first.Content); body != "" {
			question = th.Name + "\n" + body
		}
		ref = &discordgo.MessageReference{MessageID: first.ID, ChannelID: th.ID, GuildID: th.GuildID}
	}
	question = strings.TrimSpace(question)
	if question == "" {
		return
	}
	owner := th.OwnerID
	out := &messageOut{b: b, channelID: th.ID, replyTo: ref}
	if ok, wait := b.limiter.allow(b.baseCtx, owner); !ok {
		out.finish(fmt.Sprintf("You're asking quickly! Please wait %s before the next question.", roundWait(wait)), nil, nil)
		b.metrics.RateLimited()
		b.logAnswer(b.baseCtx, &asked{command: "forum", channelID: th.ID, userID: owner, question: question}, "rate_limited", nil)
		b.metrics.Answer("forum", "rate_limited")
		return
	}
	b.spawn("forum", th.ID, func(ctx context.Context) {
		ctx = withAsked(ctx, &asked{command: "forum", channelID: th.ID, userID: owner, question: question})
		defer b.recoverTo(ctx, out, "forum", th.ID)
		b.answerMessage(ctx, "forum", th.ID, Query{Question: question, Scope: b.scopeFor(ctx, th.ID)}, out)
	})
}

// askInThread answers a public /ask in a thread when Config.Threads says
// so: the response shows the question and opens the thread, and the
// answer goes there. It reports false when no thread was opened; the
// answer then goes in the response as usual.
func (b *Bot) askInThread(ctx context.Context, i *discordgo.Interaction, opts map[string]optValue, dates attache.DateRange, spanish bool) bool {
	q := cleanQuestion(opts["question"].str)
	if !b.threadsFor("ask") || i.GuildID == "" || q == "" {
		return false
	}
	lookup, cancel := context.WithTimeout(ctx, channelLookupTimeout)
	defer cancel()
	if c := b.channel(lookup, i.ChannelID); c == nil || isThread(c) || c.Type == discordgo.ChannelTypeGuildForum {
		return false
	}
	content := "**Q:** " + q
	if len([]rune(content)) > MaxContent {
		content = string([]rune(content)[:MaxContent-1]) + "…"
	}
	msg, err := b.session.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &content, AllowedMentions: noMentions()},
		discordgo.WithContext(ctx))
	if err != nil || msg == nil {
		b.log.Warn("showing the question failed", "interaction", i.ID, "err", err)
		return false
	}
	th := b.openThread(ctx, i.ChannelID, msg.ID, q)
	if th == nil {
		return false
	}
	out := &messageOut{b: b, channelID: th.ID}
	b.runGated(ctx, "ask", out, func(ctx context.Context) { b.dispatch(ctx, "ask", opts, dates, spanish, out) })
	return true
}
