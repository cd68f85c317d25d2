package fakediscord

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// discordEpoch is the first millisecond of 2015, the origin of snowflakes.
const discordEpoch = 1420070400000

var (
	idMu   sync.Mutex
	lastID uint64
)

// newID returns a fresh snowflake-like id: unique in the process,
// increasing, with the creation time in its upper bits as Discord's have.
func newID() string {
	idMu.Lock()
	defer idMu.Unlock()
	id := uint64(time.Now().UnixMilli()-discordEpoch) << 22
	if id <= lastID {
		id = lastID + 1
	}
	lastID = id
	return strconv.FormatUint(id, 10)
}

func timestamp() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// Discord's JSON error codes used by the fake.
const (
	codeUnknownApplication = 10002
	codeUnknownMessage     = 10008
	codeUnknownWebhook     = 10015
	codeUnknownCommand     = 10063
	codeInvalidJSON        = 50109
	codeAlreadyAcked       = 40060
)

// match reports whether path segments fit pattern ("*" matches any one
// segment) and returns the segments that the stars matched.
func match(segs []string, pattern ...string) ([]string, bool) {
	if len(segs) != len(pattern) {
		return nil, false
	}
	var vars []string
	for i, p := range pattern {
		switch {
		case p == "*":
			vars = append(vars, segs[i])
		case p != segs[i]:
			return nil, false
		}
	}
	return vars, true
}

var notFound = errorBody(0, "404: Not Found")

// routeLocked answers an authorised request that no rule intercepted.
func (s *Server) routeLocked(c Call, route string) (int, any, http.Header) {
	segs := strings.Split(strings.Trim(route, "/"), "/")
	m := c.Method
	if st, resp, ok := s.channelRouteLocked(c, segs); ok {
		return st, resp, nil
	}
	if v, ok := match(segs, "applications", "*", "commands"); ok {
		return s.commandsLocked(c, v[0], "", "")
	}
	if v, ok := match(segs, "applications", "*", "commands", "*"); ok {
		return s.commandsLocked(c, v[0], "", v[1])
	}
	if v, ok := match(segs, "applications", "*", "guilds", "*", "commands"); ok {
		return s.commandsLocked(c, v[0], v[1], "")
	}
	if v, ok := match(segs, "applications", "*", "guilds", "*", "commands", "*"); ok {
		return s.commandsLocked(c, v[0], v[1], v[2])
	}
	if v, ok := match(segs, "interactions", "*", "*", "callback"); ok && m == http.MethodPost {
		return s.callbackLocked(c, v[0], v[1])
	}
	if v, ok := match(segs, "webhooks", "*", "*"); ok && m == http.MethodPost {
		return s.webhookLocked(c, v[0], v[1], "")
	}
	if v, ok := match(segs, "webhooks", "*", "*", "messages", "*"); ok {
		return s.webhookLocked(c, v[0], v[1], v[2])
	}
	if v, ok := match(segs, "channels", "*", "messages"); ok && m == http.MethodPost {
		return s.channelMessageLocked(c, v[0], "")
	}
	if v, ok := match(segs, "channels", "*", "messages", "*"); ok {
		return s.channelMessageLocked(c, v[0], v[1])
	}
	if _, ok := match(segs, "channels", "*", "typing"); ok && m == http.MethodPost {
		return http.StatusNoContent, nil, nil
	}
	switch {
	case m == http.MethodGet && route == "/gateway":
		return http.StatusOK, map[string]any{"url": s.GatewayURL()}, nil
	case m == http.MethodGet && route == "/gateway/bot":
		return http.StatusOK, map[string]any{
			"url":    s.GatewayURL(),
			"shards": s.recommendedShards(),
			"session_start_limit": map[string]any{
				"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1,
			},
		}, nil
	case m == http.MethodGet && route == "/users/@me":
		return http.StatusOK, s.botUser(), nil
	case m == http.MethodPost && route == "/users/@me/channels":
		return s.dmChannelLocked(c)
	case m == http.MethodGet && (route == "/applications/@me" || route == "/oauth2/applications/@me" || route == "/applications/"+s.AppID):
		return http.StatusOK, map[string]any{
			"id": s.AppID, "name": BotUsername, "flags": 0, "bot": s.botUser(), "owner": nil, "team": nil,
		}, nil
	}
	return http.StatusNotFound, notFound, nil
}

// payload decodes a JSON or multipart (payload_json) body into a map.
func payload(c Call) (map[string]any, bool) {
	var p map[string]any
	if len(c.Body) == 0 {
		return map[string]any{}, true
	}
	if c.JSON(&p) != nil {
		return nil, false
	}
	if p == nil {
		p = map[string]any{}
	}
	return p, true
}

var invalidJSON = errorBody(codeInvalidJSON, "The request body contains invalid JSON.")

func (s *Server) dmChannelLocked(c Call) (int, any, http.Header) {
	p, ok := payload(c)
	if !ok {
		return http.StatusBadRequest, invalidJSON, nil
	}
	rcpt, _ := p["recipient_id"].(string)
	if rcpt == "" {
		return http.StatusBadRequest, errorBody(50035, "Invalid Form Body: recipient_id is required"), nil
	}
	id, ok := s.dmChannels[rcpt]
	if !ok {
		id = newID()
		s.dmChannels[rcpt] = id
	}
	return http.StatusOK, map[string]any{
		"id":         id,
		"type":       1,
		"recipients": []any{map[string]any{"id": rcpt, "username": "user" + rcpt, "discriminator": "0"}},
	}, nil
}

// ---- messages ----

// newMessageLocked builds a Message object from a create payload.
func (s *Server) newMessageLocked(channelID string, p map[string]any, files []File, webhook bool) map[string]any {
	m := messageObject(newID(), channelID, s.botUser())
	if webhook {
		m["webhook_id"] = s.AppID
		m["application_id"] = s.AppID
	}
	for _, k := range []string{"content", "components", "flags", "tts", "poll"} {
		if v, ok := p[k]; ok && v != nil {
			m[k] = v
		}
	}
	if v, ok := p["embeds"].([]any); ok {
		m["embeds"] = richEmbeds(v)
	}
	m["attachments"] = attachments(channelID, p, files)
	if ref, ok := p["message_reference"].(map[string]any); ok {
		ref = copyMap(ref)
		if _, ok := ref["channel_id"]; !ok {
			ref["channel_id"] = channelID
		}
		m["message_reference"] = ref
		m["type"] = 19 // REPLY
		refCh, _ := ref["channel_id"].(string)
		refID, _ := ref["message_id"].(string)
		if prev := s.messages[refCh][refID]; prev != nil {
			m["referenced_message"] = withoutReferenced(prev)
		}
	}
	return m
}

// editMessageLocked applies an edit payload to a stored message.
func editMessageLocked(m map[string]any, p map[string]any, files []File) {
	for _, k := range []string{"content", "components", "flags"} {
		if v, ok := p[k]; ok {
			if v == nil {
				v = emptyValue(k)
			}
			m[k] = v
		}
	}
	if v, ok := p["embeds"]; ok {
		list, _ := v.([]any)
		m["embeds"] = richEmbeds(list)
	}
	if _, ok := p["attachments"]; ok || len(files) > 0 {
		ch, _ := m["channel_id"].(string)
		m["attachments"] = attachments(ch, p, files)
	}
	if f, ok := m["flags"].(float64); ok {
		m["flags"] = int(f) &^ 128 // an edit ends the "thinking..." state
	} else if f, ok := m["flags"].(int); ok {
		m["flags"] = f &^ 128
	}
	m["edited_timestamp"] = timestamp()
}

func emptyValue(k string) any {
	switch k {
	case "content":
		return ""
	case "flags":
		return 0
	}
	return []any{}
}

func richEmbeds(list []any) []any {
	out := make([]any, 0, len(list))
	for _, e := range list {
		if em, ok := e.(map[string]any); ok {
			em = copyMap(em)
			if t, _ := em["type"].(string); t == "" {
				em["type"] = "rich"
			}
			e = em
		}
		out = append(out, e)
	}
	return out
}

// attachments lists the attachments a payload keeps plus the uploaded files.
func attachments(channelID string, p map[string]any, files []File) []any {
	var out []any
	if list, ok := p["attachments"].([]any); ok {
		for _, a := range list {
			am, ok := a.(map[string]any)
			if !ok {
				continue
			}
			// Entries that describe an upload (id is the file's index) are
			// replaced by the upload itself below.
			if _, isIndex := am["id"].(float64); isIndex {
				continue
			}
			out = append(out, am)
		}
	}
	for _, f := range files {
		id := newID()
		u := "https://cdn.discordapp.com/attachments/" + channelID + "/" + id + "/" + f.Name
		out = append(out, map[string]any{
			"id": id, "filename": f.Name, "size": len(f.Data), "content_type": f.ContentType,
			"url": u, "proxy_url": u,
		})
	}
	if out == nil {
		out = []any{}
	}
	return out
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func withoutReferenced(m map[string]any) map[string]any {
	m = copyMap(m)
	delete(m, "referenced_message")
	return m
}

// storeLocked files a message under its channel.
func (s *Server) storeLocked(channelID string, m map[string]any) {
	if channelID == "" {
		return
	}
	id, _ := m["id"].(string)
	if s.messages[channelID] == nil {
		s.messages[channelID] = map[string]map[string]any{}
	}
	s.messages[channelID][id] = m
}

// SeedMessage stores a message in a channel, so that the bot can fetch it
// with GET /channels/{id}/messages/{id} (a reply chain, say). Missing fields
// get defaults: a new id, the channel, a timestamp, an author (the default
// user), empty content and lists. It returns the message's id. m is copied.
func (s *Server) SeedMessage(channelID string, m map[string]any) string {
	var cp map[string]any
	b, err := json.Marshal(m)
	if err != nil || json.Unmarshal(b, &cp) != nil || cp == nil {
		cp = map[string]any{}
	}
	defaults := messageObject(newID(), channelID, userObject(DefaultUserID, DefaultUsername, false))
	for k, v := range defaults {
		if _, ok := cp[k]; !ok {
			cp[k] = v
		}
	}
	cp["channel_id"] = channelID
	s.mu.Lock()
	defer s.mu.Unlock()
	s.storeLocked(channelID, cp)
	id, _ := cp["id"].(string)
	return id
}

// StoredMessage returns a copy of the message the fake holds in a channel
// (posted by the bot, seeded, or dispatched in MESSAGE_CREATE), as JSON.
func (s *Server) StoredMessage(channelID, messageID string) (json.RawMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messages[channelID][messageID]
	if m == nil {
		return nil, false
	}
	b, err := json.Marshal(m)
	return b, err == nil
}

// messageOp answers GET, PATCH and DELETE on a stored message (nil: not
// found); remove forgets it.
func messageOp(c Call, m map[string]any, remove func()) (int, any, http.Header) {
	if m == nil {
		return http.StatusNotFound, unknownMessage(), nil
	}
	switch c.Method {
	case http.MethodGet:
		return http.StatusOK, m, nil
	case http.MethodPatch:
		p, ok := payload(c)
		if !ok {
			return http.StatusBadRequest, invalidJSON, nil
		}
		editMessageLocked(m, p, c.Files())
		return http.StatusOK, m, nil
	case http.MethodDelete:
		remove()
		return http.StatusNoContent, nil, nil
	}
	return http.StatusMethodNotAllowed, errorBody(0, "405: Method Not Allowed"), nil
}

func unknownMessage() any { return errorBody(codeUnknownMessage, "Unknown Message") }

func (s *Server) channelMessageLocked(c Call, channelID, messageID string) (int, any, http.Header) {
	if messageID == "" { // POST /channels/{id}/messages
		p, ok := payload(c)
		if !ok {
			return http.StatusBadRequest, invalidJSON, nil
		}
		m := s.newMessageLocked(channelID, p, c.Files(), false)
		s.storeLocked(channelID, m)
		return http.StatusOK, m, nil
	}
	return messageOp(c, s.messages[channelID][messageID], func() { delete(s.messages[channelID], messageID) })
}

// ---- interactions and webhooks ----

func (s *Server) callbackLocked(c Call, id, token string) (int, any, http.Header) {
	p, ok := payload(c)
	if !ok {
		return http.StatusBadRequest, invalidJSON, nil
	}
	if s.acked[id] {
		return http.StatusBadRequest, errorBody(codeAlreadyAcked, "Interaction has already been acknowledged."), nil
	}
	s.acked[id] = true
	info := s.interactions[token]
	typ, _ := p["type"].(float64)
	data, _ := p["data"].(map[string]any)
	if data == nil {
		data = map[string]any{}
	}
	switch int(typ) {
	case 4: // CHANNEL_MESSAGE_WITH_SOURCE
		s.setOriginalLocked(token, s.newMessageLocked(info.ChannelID, data, c.Files(), true))
	case 5: // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: "thinking..."
		flags, _ := data["flags"].(float64)
		m := s.newMessageLocked(info.ChannelID, map[string]any{}, nil, true)
		m["flags"] = int(flags) | 128
		s.setOriginalLocked(token, m)
	case 7: // UPDATE_MESSAGE of the component's message
		if m := s.messages[info.ChannelID][info.MessageID]; m != nil {
			editMessageLocked(m, data, c.Files())
		}
	}
	return http.StatusNoContent, nil, nil
}

func (s *Server) setOriginalLocked(token string, m map[string]any) {
	if s.webhookMsgs[token] == nil {
		s.webhookMsgs[token] = map[string]map[string]any{}
	}
	s.webhookMsgs[token]["@original"] = m
	ch, _ := m["channel_id"].(string)
	s.storeLocked(ch, m)
}

func (s *Server) webhookLocked(c Call, app, token, messageID string) (int, any, http.Header) {
	if app != s.AppID {
		return http.StatusNotFound, errorBody(codeUnknownWebhook, "Unknown Webhook"), nil
	}
	if messageID == "" { // POST /webhooks/{app}/{token}: a follow-up
		p, ok := payload(c)
		if !ok {
			return http.StatusBadRequest, invalidJSON, nil
		}
		m := s.newMessageLocked(s.interactions[token].ChannelID, p, c.Files(), true)
		if s.webhookMsgs[token] == nil {
			s.webhookMsgs[token] = map[string]map[string]any{}
		}
		id, _ := m["id"].(string)
		s.webhookMsgs[token][id] = m
		ch, _ := m["channel_id"].(string)
		s.storeLocked(ch, m)
		if c.Query.Get("wait") == "true" {
			return http.StatusOK, m, nil
		}
		return http.StatusNoContent, nil, nil
	}
	m := s.webhookMsgs[token][messageID]
	return messageOp(c, m, func() {
		delete(s.webhookMsgs[token], messageID)
		ch, _ := m["channel_id"].(string)
		id, _ := m["id"].(string)
		delete(s.messages[ch], id)
	})
}

// ---- application commands ----

func (s *Server) commandsLocked(c Call, app, guild, cmdID string) (int, any, http.Header) {
	if app != s.AppID {
		return http.StatusNotFound, errorBody(codeUnknownApplication, "Unknown Application"), nil
	}
	list := s.commands[guild]
	prepare := func(cmd map[string]any) map[string]any {
		cmd = copyMap(cmd)
		if id, _ := cmd["id"].(string); id == "" {
			cmd["id"] = newID()
		}
		if _, ok := cmd["type"]; !ok {
			cmd["type"] = 1
		}
		cmd["application_id"] = s.AppID
		if guild != "" {
			cmd["guild_id"] = guild
		}
		cmd["version"] = newID()
		return cmd
	}
	find := func(id string) int {
		return slices.IndexFunc(list, func(m map[string]any) bool { return m["id"] == id })
	}
	if cmdID == "" {
		switch c.Method {
		case http.MethodGet:
			if list == nil {
				return http.StatusOK, []any{}, nil
			}
			return http.StatusOK, list, nil
		case http.MethodPut:
			var in []map[string]any
			if c.JSON(&in) != nil {
				return http.StatusBadRequest, invalidJSON, nil
			}
			out := make([]map[string]any, 0, len(in))
			for _, cmd := range in {
				// Discord keeps the id of a command whose name is unchanged.
				if i := slices.IndexFunc(list, func(m map[string]any) bool { return m["name"] == cmd["name"] }); i >= 0 {
					if id, _ := cmd["id"].(string); id == "" {
						cmd = copyMap(cmd)
						cmd["id"] = list[i]["id"]
					}
				}
				out = append(out, prepare(cmd))
			}
			s.commands[guild] = out
			return http.StatusOK, out, nil
		case http.MethodPost:
			p, ok := payload(c)
			if !ok {
				return http.StatusBadRequest, invalidJSON, nil
			}
			if i := slices.IndexFunc(list, func(m map[string]any) bool { return m["name"] == p["name"] }); i >= 0 {
				p["id"] = list[i]["id"]
				cmd := prepare(p)
				list[i] = cmd
				return http.StatusOK, cmd, nil
			}
			delete(p, "id")
			cmd := prepare(p)
			s.commands[guild] = append(list, cmd)
			return http.StatusCreated, cmd, nil
		}
		return http.StatusMethodNotAllowed, errorBody(0, "405: Method Not Allowed"), nil
	}
	i := find(cmdID)
	if i < 0 {
		return http.StatusNotFound, errorBody(codeUnknownCommand, "Unknown application command"), nil
	}
	switch c.Method {
	case http.MethodGet:
		return http.StatusOK, list[i], nil
	case http.MethodPatch:
		p, ok := payload(c)
		if !ok {
			return http.StatusBadRequest, invalidJSON, nil
		}
		cmd := copyMap(list[i])
		for k, v := range p {
			cmd[k] = v
		}
		cmd["id"] = cmdID
		list[i] = prepare(cmd)
		return http.StatusOK, list[i], nil
	case http.MethodDelete:
		s.commands[guild] = slices.Delete(list, i, i+1)
		return http.StatusNoContent, nil, nil
	}
	return http.StatusMethodNotAllowed, errorBody(0, "405: Method Not Allowed"), nil
}
