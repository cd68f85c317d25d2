package bot

import (
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// output is where an answer goes: an interaction's deferred response, or a
// reply message. update shows partial text while streaming; finish shows the
// final content (split over several messages when longer than Discord
// allows), with embeds and buttons on the last message; fail shows an error.
type output interface {
	update(content string)
	finish(content string, embeds []*discordgo.MessageEmbed, buttons []discordgo.MessageComponent)
	fail(msg string)
}

// interactionOut edits the deferred response of an interaction and sends
// overflow as follow-up messages.
type interactionOut struct {
	b         *Bot
	i         *discordgo.Interaction
	ephemeral bool
}

func (o *interactionOut) edit(content string, embeds []*discordgo.MessageEmbed, buttons []discordgo.MessageComponent) {
	e := &discordgo.WebhookEdit{Content: &content, AllowedMentions: noMentions()}
	if embeds != nil {
		e.Embeds = &embeds
	}
	if buttons != nil {
		e.Components = &buttons
	}
	if _, err := o.b.session.InteractionResponseEdit(o.i, e); err != nil {
		o.b.log.Warn("editing interaction response failed", "interaction", o.i.ID, "err", err)
	}
}

func (o *interactionOut) update(content string) { o.edit(content, nil, nil) }

func (o *interactionOut) finish(content string, embeds []*discordgo.MessageEmbed, buttons []discordgo.MessageComponent) {
	parts := Split(content, MaxContent)
	if len(parts) == 0 {
		parts = []string{"(no answer)"}
	}
	if len(parts) == 1 {
		o.edit(parts[0], embeds, buttons)
		return
	}
	o.edit(parts[0], []*discordgo.MessageEmbed{}, []discordgo.MessageComponent{})
	for k, p := range parts[1:] {
		params := &discordgo.WebhookParams{Content: p, AllowedMentions: noMentions()}
		if o.ephemeral {
			params.Flags = discordgo.MessageFlagsEphemeral
		}
		if k == len(parts)-2 {
			params.Embeds, params.Components = embeds, buttons
		}
		if _, err := o.b.session.FollowupMessageCreate(o.i, true, params); err != nil {
			o.b.log.Warn("follow-up message failed", "interaction", o.i.ID, "err", err)
			return
		}
	}
}

// fail tells the asker what went wrong, in their language. A public
// response is not overwritten with the failure: its placeholder is removed
// (or, failing that, made neutral) and the asker alone reads why.
func (o *interactionOut) fail(msg string) {
	msg = translate(o.i.Locale, msg)
	if o.ephemeral {
		o.edit(msg, []*discordgo.MessageEmbed{}, []discordgo.MessageComponent{})
		return
	}
	o.failPrivately(msg)
}

// messageOut answers a message with a reply, edited while streaming.
type messageOut struct {
	b         *Bot
	channelID string
	replyTo   *discordgo.MessageReference
	mu        sync.Mutex
	msgID     string // the reply being edited, once sent
}

func (o *messageOut) send(content string, embeds []*discordgo.MessageEmbed, buttons []discordgo.MessageComponent, ref *discordgo.MessageReference) *discordgo.Message {
	m, err := o.b.session.ChannelMessageSendComplex(o.channelID, &discordgo.MessageSend{
		Content: content, Embeds: embeds, Components: buttons, Reference: ref, AllowedMentions: noMentions()})
	if err != nil {
		o.b.log.Warn("sending reply failed", "channel", o.channelID, "err", err)
		return nil
	}
	return m
}

func (o *messageOut) editMsg(id, content string, embeds []*discordgo.MessageEmbed, buttons []discordgo.MessageComponent) {
	e := &discordgo.MessageEdit{ID: id, Channel: o.channelID, Content: &content, AllowedMentions: noMentions()}
	if embeds != nil {
		e.Embeds = &embeds
	}
	if buttons != nil {
		e.Components = &buttons
	}
	if _, err := o.b.session.ChannelMessageEditComplex(e); err != nil {
		o.b.log.Warn("editing reply failed", "channel", o.channelID, "err", err)
	}
}

func (o *messageOut) update(content string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.msgID == "" {
		if m := o.send(content, nil, nil, o.replyTo); m != nil {
			o.msgID = m.ID
		}
		return
	}
	o.editMsg(o.msgID, content, nil, nil)
}

func (o *messageOut) finish(content string, embeds []*discordgo.MessageEmbed, buttons []discordgo.MessageComponent) {
	o.mu.Lock()
	defer o.mu.Unlock()
	parts := Split(content, MaxContent)
	if len(parts) == 0 {
		parts = []string{"(no answer)"}
	}
	for k, p := range parts {
		var em []*discordgo.MessageEmbed
		var bt []discordgo.MessageComponent
		if k == len(parts)-1 {
			em, bt = embeds, buttons
		}
		if k == 0 && o.msgID != "" {
			if em == nil {
				em = []*discordgo.MessageEmbed{}
			}
			o.editMsg(o.msgID, p, em, bt)
			continue
		}
		ref := o.replyTo
		if k > 0 {
			ref = nil
		}
		if m := o.send(p, em, bt, ref); m != nil && k == 0 {
			o.msgID = m.ID
		}
	}
}

func (o *messageOut) fail(msg string) { o.finish(msg, nil, nil) }

// streamer turns a model's streamed fragments into throttled edits: at most
// one edit per EditInterval, never showing a half-written citation marker.
type streamer struct {
	out      output
	interval time.Duration

	mu      sync.Mutex
	text    string
	shown   string
	pending bool
	done    chan struct{}
	wg      sync.WaitGroup
}

func newStreamer(b *Bot, out output) *streamer {
	s := &streamer{out: out, interval: b.cfg.EditInterval, done: make(chan struct{})}
	s.wg.Add(1)
	go s.loop()
	return s
}

func (s *streamer) add(delta string) {
	s.mu.Lock()
	s.text += delta
	s.pending = true
	s.mu.Unlock()
}

func (s *streamer) loop() {
	defer s.wg.Done()
	// An edit starts at least one interval after the previous one started,
	// however long the previous one took.
	last := time.Now()
	t := time.NewTimer(s.interval)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
		}
		s.mu.Lock()
		text, pending := preview(s.text), s.pending
		s.pending = false
		s.mu.Unlock()
		if pending && text != "" && text != s.shown {
			last = time.Now()
			s.out.update(text + " …")
			s.shown = text
		}
		t.Reset(max(time.Until(last.Add(s.interval)), s.interval/10))
	}
}

// stop ends streaming; the final edit is the caller's.
func (s *streamer) stop() {
	close(s.done)
	s.wg.Wait()
}
