package fakediscord

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Frame is one gateway payload received from a client.
type Frame struct {
	Op   int
	Type string
	Data json.RawMessage // the payload's "d"
	At   time.Time
}

// Gateway opcodes the fake speaks.
const (
	opDispatch       = 0
	opHeartbeat      = 1
	opIdentify       = 2
	opResume         = 6
	opHello          = 10
	opHeartbeatACK   = 11
	closeAuthFailed  = 4004
	closeDecodeError = 4002
)

type gwConn struct {
	ws  *websocket.Conn
	wmu sync.Mutex // gorilla/websocket allows one writer at a time
	seq int64
	// shard is what the connection identified with (see shards.go); it is
	// set under Server.mu before the connection becomes a Dispatch target.
	shard Shard
	// session is the id of the gateway session on the connection.
	session string
}

// write sends one text frame; dispatches (op 0) get the connection's next
// sequence number.
func (c *gwConn) write(op int, eventType string, d any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.writeLocked(op, eventType, d)
}

func (c *gwConn) writeLocked(op int, eventType string, d any) error {
	p := map[string]any{"op": op, "d": d}
	if op == opDispatch {
		c.seq++
		p["s"] = c.seq
		p["t"] = eventType
	} else {
		p["s"] = nil
		p["t"] = nil
	}
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

func (c *gwConn) closeWith(code int, text string) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.closeLocked(code, text)
}

func (c *gwConn) closeLocked(code int, text string) {
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	_ = c.ws.Close()
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered with an HTTP error
	}
	c := &gwConn{ws: ws}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = ws.Close()
		return
	}
	s.allConns[c] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.allConns, c)
		delete(s.conns, c)
		s.notifyLocked()
		s.mu.Unlock()
		_ = ws.Close()
	}()

	if c.write(opHello, "", map[string]any{"heartbeat_interval": HeartbeatInterval}) != nil {
		return
	}
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var f struct {
			Op int             `json:"op"`
			T  string          `json:"t"`
			D  json.RawMessage `json:"d"`
		}
		if err := json.Unmarshal(msg, &f); err != nil {
			c.closeWith(closeDecodeError, "Decode error.")
			return
		}
		s.mu.Lock()
		s.frames = append(s.frames, Frame{Op: f.Op, Type: f.T, Data: f.D, At: time.Now()})
		s.notifyLocked()
		s.mu.Unlock()

		switch f.Op {
		case opHeartbeat:
			if c.write(opHeartbeatACK, "", nil) != nil {
				return
			}
		case opIdentify, opResume:
			var auth struct {
				Token string `json:"token"`
			}
			_ = json.Unmarshal(f.D, &auth)
			if auth.Token != "Bot "+s.BotToken && auth.Token != s.BotToken {
				c.closeWith(closeAuthFailed, "Authentication failed.")
				return
			}
			if s.ready(c, f.Op, f.D) != nil {
				return
			}
		}
		// Other opcodes (presence updates, member requests...) are only recorded.
	}
}

// ready answers IDENTIFY with READY (RESUME with RESUMED) and makes the
// connection a target of Dispatch, or closes it when its shard is refused
// (see claimLocked). The write lock is held throughout, so that the client
// has the connection registered once it reads READY and no dispatch can
// overtake READY.
func (s *Server) ready(c *gwConn, op int, d json.RawMessage) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	s.mu.Lock()
	if code, text := s.claimLocked(c, op, d); code != 0 {
		s.mu.Unlock()
		c.closeLocked(code, text)
		return errRefused
	}
	event, data := "RESUMED", map[string]any{}
	if op == opIdentify {
		event, data = "READY", s.readyPayload()
		if c.shard.sharded() {
			data["shard"] = []int{c.shard.ID, c.shard.Count}
		}
		c.session = data["session_id"].(string)
		s.sessionShards[c.session] = c.shard
	}
	s.conns[c] = true
	s.notifyLocked()
	s.mu.Unlock()
	return c.writeLocked(opDispatch, event, data)
}

var errRefused = errors.New("fakediscord: gateway connection refused")

func (s *Server) botUser() map[string]any {
	return map[string]any{
		"id":            s.BotUserID,
		"username":      BotUsername,
		"discriminator": "0",
		"global_name":   nil,
		"avatar":        nil,
		"bot":           true,
	}
}

func (s *Server) readyPayload() map[string]any {
	return map[string]any{
		"v":                  9,
		"session_id":         "fake-session-" + newID(),
		"resume_gateway_url": s.GatewayURL(),
		"user":               s.botUser(),
		"application":        map[string]any{"id": s.AppID, "flags": 0},
		"guilds":             []any{},
		"private_channels":   []any{},
	}
}

// Frames returns the gateway payloads received from clients so far.
func (s *Server) Frames() []Frame {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Frame(nil), s.frames...)
}

// WaitFrame blocks until a client has sent a gateway payload with opcode op
// (1 heartbeat, 2 identify, 3 presence update...) and returns the first one,
// or fails the test after timeout.
func (s *Server) WaitFrame(t testing.TB, timeout time.Duration, op int) Frame {
	t.Helper()
	var got Frame
	s.waitFor(t, timeout, fmt.Sprintf("a gateway frame with op %d", op), func() bool {
		for _, f := range s.Frames() {
			if f.Op == op {
				got = f
				return true
			}
		}
		return false
	})
	return got
}

// WaitIdentify blocks until a client has identified and returns the
// IDENTIFY payload's d (token, intents, properties...) as raw JSON.
func (s *Server) WaitIdentify(t testing.TB, timeout time.Duration) json.RawMessage {
	t.Helper()
	return s.WaitFrame(t, timeout, opIdentify).Data
}

// Connected reports how many clients have identified (or resumed) and are
// still connected.
func (s *Server) Connected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Dispatch sends a gateway dispatch event (op 0) with the next sequence
// number to every identified client that receives it: all of them, unless
// they identified with shards, when only the shard that owns the payload's
// guild_id gets it (see shards.go); data is marshalled to JSON. It fails
// the test if no client receives it. Call it from the test's goroutine.
//
// INTERACTION_CREATE payloads are remembered, so that the fake knows the
// channel of the interaction's responses and can refuse a second
// acknowledgement; MESSAGE_CREATE messages (and their referenced_message)
// are stored, so that GET /channels/{id}/messages/{id} finds them.
func (s *Server) Dispatch(t testing.TB, eventType string, data any) {
	t.Helper()
	s.dispatch(t, eventType, data, nil)
}

// dispatch sends to the owners of *guild, or of the payload's guild_id when
// guild is nil.
func (s *Server) dispatch(t testing.TB, eventType string, data any, guild *string) {
	t.Helper()
	raw, err := json.Marshal(data)
	if err != nil {
		t.Fatalf("fakediscord: Dispatch %s: %v", eventType, err)
	}
	s.mu.Lock()
	s.observeLocked(eventType, raw)
	s.mu.Unlock()
	g := eventGuild(raw)
	if guild != nil {
		g = *guild
	}
	sent := 0
	for _, c := range s.targets(g) {
		if c.write(opDispatch, eventType, json.RawMessage(raw)) == nil {
			sent++
		}
	}
	if sent == 0 {
		t.Fatalf("fakediscord: Dispatch %s: no gateway client is connected that receives guild %q", eventType, g)
	}
}

type interactionInfo struct {
	ID, ChannelID, GuildID, MessageID string
}

// observeLocked remembers what the fake needs from a dispatched event.
func (s *Server) observeLocked(eventType string, raw []byte) {
	switch eventType {
	case "INTERACTION_CREATE":
		var in struct {
			ID        string `json:"id"`
			Token     string `json:"token"`
			ChannelID string `json:"channel_id"`
			GuildID   string `json:"guild_id"`
			Message   *struct {
				ID string `json:"id"`
			} `json:"message"`
		}
		if json.Unmarshal(raw, &in) != nil || in.Token == "" {
			return
		}
		info := interactionInfo{ID: in.ID, ChannelID: in.ChannelID, GuildID: in.GuildID}
		if in.Message != nil {
			info.MessageID = in.Message.ID
		}
		s.interactions[in.Token] = info
	case "THREAD_CREATE", "CHANNEL_CREATE":
		s.observeChannelLocked(raw)
	case "MESSAGE_CREATE":
		var m map[string]any
		if json.Unmarshal(raw, &m) != nil {
			return
		}
		if ref, ok := m["referenced_message"].(map[string]any); ok {
			if ch, _ := ref["channel_id"].(string); ch != "" {
				if id, _ := ref["id"].(string); id != "" && s.messages[ch][id] == nil {
					s.storeLocked(ch, ref)
				}
			}
		}
		if ch, _ := m["channel_id"].(string); ch != "" {
			s.storeLocked(ch, m)
		}
	}
}

// connections returns the gateway connections open now.
func (s *Server) connections() []*gwConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	conns := make([]*gwConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	return conns
}
