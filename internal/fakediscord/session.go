package fakediscord

import (
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// NewSession returns a discordgo session for the bot, pointed at this fake
// and with ShouldReconnectOnError off (a session that reconnects on its
// own outlives its test). It is not opened: see Open.
func (s *Server) NewSession(t testing.TB) *discordgo.Session {
	t.Helper()
	dg, err := discordgo.New("Bot " + s.BotToken)
	if err != nil {
		t.Fatalf("fakediscord: discordgo.New: %v", err)
	}
	dg.Client = s.HTTPClient()
	dg.ShouldReconnectOnError = false
	return dg
}

// Open opens dg on this fake, waits until its heartbeat goroutine has sent
// its first heartbeat, and closes dg when the test ends (before the fake
// closes). Waiting for the heartbeat matters: a Close that overtakes the
// first heartbeat makes discordgo log an error and try to reconnect.
func (s *Server) Open(t testing.TB, dg *discordgo.Session) {
	t.Helper()
	before := s.countFrames(opHeartbeat)
	if err := dg.Open(); err != nil {
		t.Fatalf("fakediscord: Open: %v", err)
	}
	t.Cleanup(func() { _ = dg.Close() })
	s.WaitHeartbeat(t, 5*time.Second, before+1)
}

func (s *Server) countFrames(op int) int {
	n := 0
	for _, f := range s.Frames() {
		if f.Op == op {
			n++
		}
	}
	return n
}

// WaitHeartbeat blocks until clients have sent n heartbeats in all, or
// fails the test after timeout.
func (s *Server) WaitHeartbeat(t testing.TB, timeout time.Duration, n int) {
	t.Helper()
	s.waitFor(t, timeout, "a heartbeat", func() bool { return s.countFrames(opHeartbeat) >= n })
}
