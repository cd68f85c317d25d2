package bot

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"attache"
	"attache/internal/fakediscord"
)

func TestMain(m *testing.M) {
	logs := fakediscord.CaptureLogs()
	os.Exit(logs.ExitCode(m.Run(), os.Stderr))
}

// panicky is an Answerer whose Ask panics: the real one cannot be made to,
// and a panic is what this test is about. Everything else is unused.
type panicky struct{ Answerer }

func (panicky) Ask(context.Context, Query) (attache.Answer, error) { panic("boom") }

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestPanicInHandlerIsRecoveredAndLogged(t *testing.T) {
	t.Parallel()
	fake := fakediscord.New(t)
	var logs syncBuffer
	b, err := New(Config{Token: fake.BotToken}, panicky{}, Options{
		HTTPClient: fake.HTTPClient(), Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	b.Session().ShouldReconnectOnError = false
	if err := b.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	fake.WaitHeartbeat(t, 5*time.Second, 1)
	t.Cleanup(func() { b.Close() })
	o := fakediscord.SlashOpts{Command: "ask", ID: "9001", Token: "tok-9001", Options: []fakediscord.Opt{{Name: "question", Value: "anything?"}}}
	fake.Dispatch(t, "INTERACTION_CREATE", fakediscord.SlashCommand(o))
	m := fake.WaitMessage(t, 10*time.Second, func(m fakediscord.Message) bool {
		return m.Kind == fakediscord.KindWebhookSend && m.Token == "tok-9001"
	})
	if !strings.Contains(m.Content, "something went wrong") || strings.Contains(m.Content, "boom") {
		t.Errorf("user saw %q", m.Content)
	}
	if m.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("the failure of a public question was told publicly: %q", m.Content)
	}
	if l := logs.String(); !strings.Contains(l, "panic in handler") || !strings.Contains(l, "9001") || !strings.Contains(l, "boom") {
		t.Errorf("panic not logged with the interaction ID: %s", l)
	}
	// The bot still answers afterwards.
	h := fakediscord.SlashOpts{Command: "help", ID: "9002", Token: "tok-9002"}
	fake.Dispatch(t, "INTERACTION_CREATE", fakediscord.SlashCommand(h))
	fake.WaitCall(t, 10*time.Second, func(c fakediscord.Call) bool { return strings.Contains(c.Path, "tok-9002/callback") })
}

func TestNewWithoutTokenExplains(t *testing.T) {
	_, err := New(Config{}, panicky{}, Options{})
	if attache.ErrorCode(err) != attache.EINVALID || !strings.Contains(err.Error(), "ATTACHE_DISCORD_TOKEN") {
		t.Errorf("error %v", err)
	}
}
