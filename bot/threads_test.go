package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestThreadName(t *testing.T) {
	long := strings.Repeat("sanctions ", 30)
	tests := []struct {
		in, want string
	}{
		{"What did the minister announce?", "What did the minister announce?"},
		{"  two\nlines  ", "two lines"},
		{"", "Question"},
		{strings.Repeat("é", 100), strings.Repeat("é", 100)},
		{strings.Repeat("é", 101), strings.Repeat("é", 99) + "…"},
		{long, strings.TrimSpace(strings.Repeat("sanctions ", 9)) + "…"},
	}
	for _, tt := range tests {
		got := threadName(tt.in)
		if got != tt.want {
			t.Errorf("threadName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if n := utf8.RuneCountInString(got); n > maxThreadName {
			t.Errorf("threadName(%q) has %d characters", tt.in, n)
		}
	}
}

func TestThreadsFor(t *testing.T) {
	tests := []struct {
		mode          string
		ask, mentions bool
	}{
		{"", false, false},
		{ThreadsOff, false, false},
		{ThreadsAsk, true, false},
		{ThreadsAlways, true, true},
	}
	for _, tt := range tests {
		b := &Bot{cfg: Config{Threads: tt.mode}}
		if got := b.threadsFor("ask"); got != tt.ask {
			t.Errorf("%q: threads for /ask = %v", tt.mode, got)
		}
		if got := b.threadsFor("mention"); got != tt.mentions {
			t.Errorf("%q: threads for mentions = %v", tt.mode, got)
		}
	}
}

func TestNewRefusesUnknownThreadMode(t *testing.T) {
	_, err := New(Config{Token: "t", Threads: "sometimes"}, nil, Options{})
	if err == nil || !strings.Contains(err.Error(), "discord.threads") {
		t.Errorf("New with threads %q: %v", "sometimes", err)
	}
	b, err := New(Config{Token: "t", Threads: ThreadsAlways}, nil, Options{})
	if err != nil || b.cfg.Threads != ThreadsAlways {
		t.Errorf("New with threads %q: %v", ThreadsAlways, err)
	}
}
