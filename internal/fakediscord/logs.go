package fakediscord

import (
	"fmt"
	"io"
	"sync"

	"github.com/bwmarrin/discordgo"
)

// LogLine is one line discordgo logged.
type LogLine struct {
	Level int // discordgo.LogError, LogWarning...
	Text  string
}

// Logs collects what discordgo logs.
type Logs struct {
	mu    sync.Mutex
	lines []LogLine
}

// CaptureLogs replaces discordgo.Logger with a collector and returns it.
// discordgo.Logger is a package global: call this once, from TestMain,
// before m.Run (setting it while tests run is a data race). discordgo
// reports unmarshalling failures of events only as error lines (the handler
// then gets a zero value), so a suite should fail on any; see ExitCode.
func CaptureLogs() *Logs {
	l := &Logs{}
	discordgo.Logger = func(level, _ int, format string, a ...any) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.lines = append(l.lines, LogLine{Level: level, Text: fmt.Sprintf(format, a...)})
	}
	return l
}

// Lines returns everything logged so far.
func (l *Logs) Lines() []LogLine {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]LogLine(nil), l.lines...)
}

// Errors returns the error-level lines logged so far.
func (l *Logs) Errors() []string {
	var out []string
	for _, line := range l.Lines() {
		if line.Level <= discordgo.LogError {
			out = append(out, line.Text)
		}
	}
	return out
}

// ExitCode is for TestMain: it returns code, or 1 after printing them to w
// if discordgo logged errors. Usage:
//
//	func TestMain(m *testing.M) {
//		logs := fakediscord.CaptureLogs()
//		os.Exit(logs.ExitCode(m.Run(), os.Stderr))
//	}
func (l *Logs) ExitCode(code int, w io.Writer) int {
	errs := l.Errors()
	if len(errs) == 0 {
		return code
	}
	fmt.Fprintf(w, "discordgo logged %d error(s):\n", len(errs))
	for _, e := range errs {
		fmt.Fprintf(w, "  %s\n", e)
	}
	return 1
}
