package fakediscord

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"testing"
	"time"
)

// Sharding, as Discord does it: a client that identifies with
// "shard": [id, count] receives only the events of the guilds that shard
// owns, (guild_id >> 22) % count == id, and direct messages go to shard 0.
// A client that identifies without a shard (or with count 1) receives
// everything.
//
// The fake closes an IDENTIFY with 4010 (Invalid shard) when the id is not
// within [0, count) or when another open connection already runs that shard
// (a RESUME too, in the latter case),
// and with 4011 (Sharding required) when RequireSharding is set and the
// client asks for fewer shards than GET /gateway/bot recommends.

// Gateway close codes for sharding.
const (
	CloseInvalidShard     = 4010
	CloseShardingRequired = 4011
)

// Shard is a gateway connection's [id, count]; the zero value is an
// unsharded connection.
type Shard struct{ ID, Count int }

func (sh Shard) sharded() bool { return sh.Count > 1 }

// owns reports whether a connection with this shard receives the events of
// guildID ("" = a direct message).
func (sh Shard) owns(guildID string) bool {
	if !sh.sharded() {
		return true
	}
	return ShardOf(guildID, sh.Count) == sh.ID
}

// ShardOf returns the shard that owns a guild among count shards:
// (guild_id >> 22) % count; direct messages ("") and ids that are not
// numbers belong to shard 0.
func ShardOf(guildID string, count int) int {
	if count <= 1 || guildID == "" {
		return 0
	}
	g, err := strconv.ParseUint(guildID, 10, 64)
	if err != nil {
		return 0
	}
	return int((g >> 22) % uint64(count))
}

// GuildOnShard returns a plausible guild id (a snowflake) owned by shard
// among count shards; n tells several such guilds apart.
func GuildOnShard(shard, count, n int) string {
	if count < 1 {
		count = 1
	}
	const base = 300_000_000_000 // milliseconds since Discord's epoch, in 2021
	ts := uint64(base-base%count+shard) + uint64(n*count)
	return strconv.FormatUint(ts<<22|20, 10)
}

// recommendedShards is what GET /gateway/bot answers in "shards".
func (s *Server) recommendedShards() int {
	if s.RecommendedShards > 0 {
		return s.RecommendedShards
	}
	return 1
}

// claimLocked decides whether an IDENTIFY (or RESUME) on c may proceed and
// records the connection's shard. It returns a close code and reason when
// the fake refuses it; s.mu must be held.
func (s *Server) claimLocked(c *gwConn, op int, d json.RawMessage) (int, string) {
	if r := s.refuseNext; r != nil {
		s.refuseNext = nil
		return r.code, r.text
	}
	if op == opResume {
		var r struct {
			SessionID string `json:"session_id"`
		}
		_ = json.Unmarshal(d, &r)
		c.shard, c.session = s.sessionShards[r.SessionID], r.SessionID
		if s.takenLocked(c) {
			return CloseInvalidShard, fmt.Sprintf("Invalid shard: shard [%d, %d] is already connected.", c.shard.ID, c.shard.Count)
		}
		return 0, ""
	}
	var id struct {
		Shard *[2]int `json:"shard"`
	}
	_ = json.Unmarshal(d, &id)
	var sh Shard
	if id.Shard != nil {
		sh = Shard{ID: id.Shard[0], Count: id.Shard[1]}
		if sh.Count < 1 || sh.ID < 0 || sh.ID >= sh.Count {
			return CloseInvalidShard, "Invalid shard."
		}
	}
	if s.RequireSharding && max(sh.Count, 1) < s.recommendedShards() {
		return CloseShardingRequired, "Sharding required."
	}
	c.shard = sh
	if s.takenLocked(c) {
		return CloseInvalidShard, fmt.Sprintf("Invalid shard: shard [%d, %d] is already connected.", sh.ID, sh.Count)
	}
	return 0, ""
}

// takenLocked reports whether another open connection runs c's shard; the
// connection a session is resumed from, not closed yet, does not count.
func (s *Server) takenLocked(c *gwConn) bool {
	if !c.shard.sharded() {
		return false
	}
	for other := range s.conns {
		if other != c && other.shard == c.shard && (c.session == "" || other.session != c.session) {
			return true
		}
	}
	return false
}

type refusal struct {
	code int
	text string
}

// RefuseNextSession closes the next IDENTIFY or RESUME, of any client,
// with code and text (e.g. CloseInvalidShard), as Discord does when it
// refuses a session.
func (s *Server) RefuseNextSession(code int, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuseNext = &refusal{code: code, text: text}
}

// Shards returns the shards of the identified connections open now, in
// order; an unsharded connection is Shard{}.
func (s *Server) Shards() []Shard {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Shard, 0, len(s.conns))
	for c := range s.conns {
		out = append(out, c.shard)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count < out[j].Count
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// WaitShards blocks until n identified connections are open, or fails the
// test after timeout, and returns their shards.
func (s *Server) WaitShards(t testing.TB, timeout time.Duration, n int) []Shard {
	t.Helper()
	s.waitFor(t, timeout, fmt.Sprintf("%d gateway connections", n), func() bool { return len(s.Shards()) >= n })
	return s.Shards()
}

// DispatchGuild sends a dispatch event to the connection(s) whose shard owns
// guildID ("" = direct messages, shard 0), whatever the payload says: the
// event reaches exactly the process that would receive it from Discord. It
// fails the test if no connected client owns the guild.
func (s *Server) DispatchGuild(t testing.TB, guildID, eventType string, data any) {
	t.Helper()
	s.dispatch(t, eventType, data, &guildID)
}

// targets returns the open connections that own guildID.
func (s *Server) targets(guildID string) []*gwConn {
	var out []*gwConn
	for _, c := range s.connections() {
		if c.shard.owns(guildID) {
			out = append(out, c)
		}
	}
	return out
}

// eventGuild is the guild of a dispatched payload, "" when it has none (a
// direct message, or an event outside guilds).
func eventGuild(raw []byte) string {
	var e struct {
		GuildID string `json:"guild_id"`
	}
	_ = json.Unmarshal(raw, &e)
	return e.GuildID
}
