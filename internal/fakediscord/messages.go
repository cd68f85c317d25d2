package fakediscord

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// File is one file uploaded in a multipart request.
type File struct {
	Field       string // the form field, e.g. files[0]
	Name        string
	ContentType string
	Data        []byte
}

// multipartReader returns a reader over the body's parts, or nil if the
// body is not multipart/form-data.
func (c Call) multipartReader() *multipart.Reader {
	mt, params, err := mime.ParseMediaType(c.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") || params["boundary"] == "" {
		return nil
	}
	return multipart.NewReader(bytes.NewReader(c.Body), params["boundary"])
}

// PayloadJSON returns the JSON document of the body: the body itself, or
// the payload_json part of a multipart body (discordgo sends multipart when
// files are attached).
func (c Call) PayloadJSON() ([]byte, error) {
	mr := c.multipartReader()
	if mr == nil {
		return c.Body, nil
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return nil, errNoPayload
		}
		if err != nil {
			return nil, err
		}
		if p.FormName() == "payload_json" {
			return io.ReadAll(p)
		}
	}
}

// JSON unmarshals the call's JSON body (for a multipart body, its
// payload_json part) into v.
func (c Call) JSON(v any) error {
	b, err := c.PayloadJSON()
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// Files returns the files uploaded in a multipart body (none for JSON).
func (c Call) Files() []File {
	mr := c.multipartReader()
	if mr == nil {
		return nil
	}
	var files []File
	for {
		p, err := mr.NextPart()
		if err != nil {
			return files
		}
		if p.FormName() == "payload_json" {
			continue
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return files
		}
		files = append(files, File{Field: p.FormName(), Name: p.FileName(), ContentType: p.Header.Get("Content-Type"), Data: data})
	}
}

// Route returns the path without its /api/vN prefix, e.g.
// /channels/123/messages.
func (c Call) Route() string { return routePath(c.Path) }

// Kinds of Message.
const (
	KindChannelSend         = "channel.send"         // POST /channels/{id}/messages
	KindChannelEdit         = "channel.edit"         // PATCH /channels/{id}/messages/{id}
	KindInteractionResponse = "interaction.response" // POST /interactions/{id}/{token}/callback, type 4 or 7
	KindWebhookSend         = "webhook.send"         // POST /webhooks/{app}/{token} (a follow-up)
	KindWebhookEdit         = "webhook.edit"         // PATCH /webhooks/{app}/{token}/messages/{id or @original}
)

// Message is a message the bot posted or edited, decoded from a successful
// REST call.
type Message struct {
	Kind      string
	ChannelID string // from the path or the answer; for interactions, the interaction's channel when known
	MessageID string // the id answered, or the path's (e.g. "@original"); "" when the answer had no body
	Token     string // the interaction token, for interaction and webhook kinds
	// ResponseType is the interaction callback type (4 or 7) for KindInteractionResponse.
	ResponseType int

	Content          string
	Embeds           []*discordgo.MessageEmbed
	AllowedMentions  *discordgo.MessageAllowedMentions
	Components       []discordgo.MessageComponent
	MessageReference *discordgo.MessageReference
	Flags            discordgo.MessageFlags
	Files            []File

	Payload json.RawMessage // the message part of the request as sent
	Call    Call
}

type messagePayload struct {
	Content          string                            `json:"content"`
	Embeds           []*discordgo.MessageEmbed         `json:"embeds"`
	AllowedMentions  *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
	Components       []json.RawMessage                 `json:"components"`
	MessageReference *discordgo.MessageReference       `json:"message_reference"`
	Flags            discordgo.MessageFlags            `json:"flags"`
}

// messageFromCall decodes a call into a Message, if it posted one.
func (s *Server) messageFromCallLocked(c Call) (Message, bool) {
	if c.Status < 200 || c.Status > 299 {
		return Message{}, false
	}
	segs := strings.Split(strings.Trim(c.Route(), "/"), "/")
	msg := Message{Call: c}
	raw, err := c.PayloadJSON()
	if err != nil {
		return Message{}, false
	}
	switch {
	case c.Method == http.MethodPost && len(segs) == 3 && segs[0] == "channels" && segs[2] == "messages":
		msg.Kind, msg.ChannelID = KindChannelSend, segs[1]
	case c.Method == http.MethodPatch && len(segs) == 4 && segs[0] == "channels" && segs[2] == "messages":
		msg.Kind, msg.ChannelID, msg.MessageID = KindChannelEdit, segs[1], segs[3]
	case c.Method == http.MethodPost && len(segs) == 4 && segs[0] == "interactions" && segs[3] == "callback":
		var cb struct {
			Type int             `json:"type"`
			Data json.RawMessage `json:"data"`
		}
		if json.Unmarshal(raw, &cb) != nil || (cb.Type != 4 && cb.Type != 7) {
			return Message{}, false
		}
		msg.Kind, msg.Token, msg.ResponseType, raw = KindInteractionResponse, segs[2], cb.Type, cb.Data
		msg.ChannelID = s.interactions[msg.Token].ChannelID
		if cb.Type == 7 {
			msg.MessageID = s.interactions[msg.Token].MessageID
		}
	case c.Method == http.MethodPost && len(segs) == 3 && segs[0] == "webhooks":
		msg.Kind, msg.Token = KindWebhookSend, segs[2]
		msg.ChannelID = s.interactions[msg.Token].ChannelID
	case c.Method == http.MethodPatch && len(segs) == 5 && segs[0] == "webhooks" && segs[3] == "messages":
		msg.Kind, msg.Token, msg.MessageID = KindWebhookEdit, segs[2], segs[4]
		msg.ChannelID = s.interactions[msg.Token].ChannelID
	default:
		return Message{}, false
	}
	var answer struct {
		ID        string `json:"id"`
		ChannelID string `json:"channel_id"`
	}
	if len(c.Response) > 0 && json.Unmarshal(c.Response, &answer) == nil {
		if answer.ID != "" && msg.MessageID == "" {
			msg.MessageID = answer.ID
		}
		if answer.ChannelID != "" {
			msg.ChannelID = answer.ChannelID
		}
	}
	msg.Payload = raw
	var p messagePayload
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &p); err != nil {
			return Message{}, false
		}
	}
	msg.Content, msg.Embeds, msg.AllowedMentions = p.Content, p.Embeds, p.AllowedMentions
	msg.MessageReference, msg.Flags = p.MessageReference, p.Flags
	for _, rc := range p.Components {
		if comp, err := discordgo.MessageComponentFromJSON(rc); err == nil {
			msg.Components = append(msg.Components, comp)
		}
	}
	msg.Files = c.Files()
	return msg, true
}

func (s *Server) messagesLocked() []Message {
	var out []Message
	for _, c := range s.calls {
		if m, ok := s.messageFromCallLocked(c); ok {
			out = append(out, m)
		}
	}
	return out
}

// Messages returns the messages the bot posted or edited, in order, from
// the successful REST calls: channel sends and edits, interaction responses
// that carry a message (types 4 and 7), follow-ups and their edits.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.messagesLocked()
}

// WaitMessage blocks until the bot has posted or edited a message that
// satisfies pred (nil for any) and returns the first one, or fails the test
// after timeout.
func (s *Server) WaitMessage(t testing.TB, timeout time.Duration, pred func(Message) bool) Message {
	t.Helper()
	var got Message
	s.waitFor(t, timeout, "a matching message from the bot", func() bool {
		for _, m := range s.Messages() {
			if pred == nil || pred(m) {
				got = m
				return true
			}
		}
		return false
	})
	return got
}

// String summarises the message for test failures.
func (m Message) String() string {
	return fmt.Sprintf("%s channel=%s id=%s content=%q embeds=%d components=%d flags=%d", m.Kind, m.ChannelID, m.MessageID, m.Content, len(m.Embeds), len(m.Components), m.Flags)
}
