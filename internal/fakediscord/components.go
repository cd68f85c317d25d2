package fakediscord

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Field is a text input of a modal as a modal submission carries it.
type Field struct {
	CustomID, Value string
}

// ModalSubmit returns an INTERACTION_CREATE payload for the submission of
// a modal (type 5) with the given custom id and text input values. The
// modal is taken to have been opened from a component of the message
// opts.MessageID, as Discord then includes that message.
func ModalSubmit(customID string, fields []Field, opts SlashOpts) map[string]any {
	o := opts.withDefaults()
	rows := make([]any, 0, len(fields))
	for _, f := range fields {
		rows = append(rows, map[string]any{"type": 1, "components": []any{
			map[string]any{"type": 4, "custom_id": f.CustomID, "value": f.Value},
		}})
	}
	p := interaction(o, 5, map[string]any{"custom_id": customID, "components": rows})
	p["message"] = messageObject(o.MessageID, o.ChannelID, BotUser())
	return p
}

// SelectMenu returns an INTERACTION_CREATE payload for a choice in a string
// select menu (type 3, component_type 3) on the bot's message
// opts.MessageID.
func SelectMenu(customID string, values []string, opts SlashOpts) map[string]any {
	o := opts.withDefaults()
	if values == nil {
		values = []string{}
	}
	p := interaction(o, 3, map[string]any{"custom_id": customID, "component_type": 3, "values": values})
	p["message"] = messageObject(o.MessageID, o.ChannelID, BotUser())
	return p
}

// Modal is a modal the bot opened in answer to an interaction (callback
// type 9).
type Modal struct {
	Token    string // the interaction's
	CustomID string
	Title    string
	Inputs   []discordgo.TextInput
}

// ModalOf decodes the modal of a callback call; ok is false when the call
// is not a modal response.
func ModalOf(c Call) (m Modal, ok bool) {
	segs := strings.Split(strings.Trim(c.Route(), "/"), "/")
	if c.Method != http.MethodPost || len(segs) != 4 || segs[0] != "interactions" || segs[3] != "callback" {
		return Modal{}, false
	}
	var cb struct {
		Type int `json:"type"`
		Data struct {
			CustomID   string            `json:"custom_id"`
			Title      string            `json:"title"`
			Components []json.RawMessage `json:"components"`
		} `json:"data"`
	}
	if c.JSON(&cb) != nil || cb.Type != int(discordgo.InteractionResponseModal) {
		return Modal{}, false
	}
	m = Modal{Token: segs[2], CustomID: cb.Data.CustomID, Title: cb.Data.Title}
	for _, raw := range cb.Data.Components {
		comp, err := discordgo.MessageComponentFromJSON(raw)
		if err != nil {
			continue
		}
		if row, isRow := comp.(*discordgo.ActionsRow); isRow {
			for _, in := range row.Components {
				if ti, isInput := in.(*discordgo.TextInput); isInput {
					m.Inputs = append(m.Inputs, *ti)
				}
			}
		}
	}
	return m, true
}

// WaitModal waits for the bot to open a modal in answer to the interaction
// with the given token.
func (s *Server) WaitModal(t testing.TB, timeout time.Duration, token string) Modal {
	t.Helper()
	c := s.WaitCall(t, timeout, func(c Call) bool {
		m, ok := ModalOf(c)
		return ok && m.Token == token
	})
	m, _ := ModalOf(c)
	return m
}

// Ephemeral reports whether the message is visible only to the user who
// caused it.
func (m Message) Ephemeral() bool { return m.Flags&discordgo.MessageFlagsEphemeral != 0 }

// Buttons lists the buttons of a message's action rows, in order.
func (m Message) Buttons() []discordgo.Button {
	var out []discordgo.Button
	for _, c := range m.Components {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, in := range row.Components {
			if b, ok := in.(*discordgo.Button); ok {
				out = append(out, *b)
			}
		}
	}
	return out
}

// ButtonOn returns an INTERACTION_CREATE payload for a click on the button
// customID of a message the bot posted, as Discord sends it: with the
// message's id, content and components (the message's current state in
// the fake when it holds it, else as the bot sent it), embeds included.
func (s *Server) ButtonOn(customID string, m Message, opts SlashOpts) map[string]any {
	opts.MessageID = m.ID()
	if opts.ChannelID == "" {
		opts.ChannelID = m.ChannelID
	}
	p := Button(customID, opts)
	s.fillMessage(p["message"].(map[string]any), opts.ChannelID, opts.MessageID, m)
	return p
}

// ModalSubmitOn is ModalSubmit for a modal opened from a component of a
// message the bot posted: the submission carries that message, as with
// ButtonOn.
func (s *Server) ModalSubmitOn(customID string, fields []Field, m Message, opts SlashOpts) map[string]any {
	opts.MessageID = m.ID()
	if opts.ChannelID == "" {
		opts.ChannelID = m.ChannelID
	}
	p := ModalSubmit(customID, fields, opts)
	s.fillMessage(p["message"].(map[string]any), opts.ChannelID, opts.MessageID, m)
	return p
}

// fillMessage copies the content, components and embeds of a posted
// message into msg: the fake's current copy if it holds one, else what
// was sent.
func (s *Server) fillMessage(msg map[string]any, channelID, messageID string, m Message) {
	if raw, ok := s.StoredMessage(channelID, messageID); ok {
		var stored map[string]any
		if json.Unmarshal(raw, &stored) == nil {
			for _, k := range []string{"content", "components", "embeds"} {
				if v, ok := stored[k]; ok && v != nil {
					msg[k] = v
				}
			}
			return
		}
	}
	var sent struct {
		Content    string `json:"content"`
		Components []any  `json:"components"`
		Embeds     []any  `json:"embeds"`
	}
	if json.Unmarshal(m.Payload, &sent) == nil {
		msg["content"] = sent.Content
		if sent.Components != nil {
			msg["components"] = sent.Components
		}
		if sent.Embeds != nil {
			msg["embeds"] = sent.Embeds
		}
	}
}

// ID is the id of the message Discord created or edited: the answer's id
// when the call was answered with a message, else MessageID.
func (m Message) ID() string {
	var answer struct {
		ID string `json:"id"`
	}
	if len(m.Call.Response) > 0 && json.Unmarshal(m.Call.Response, &answer) == nil && answer.ID != "" {
		return answer.ID
	}
	return m.MessageID
}
