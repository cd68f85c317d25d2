package bot

import (
	"context"
	"fmt"
	"strings"

	"attache"
)

// Scope narrows what questions asked in a channel are answered from:
// source names and tags of sources (none of either = every source) and a
// default publication window, used when a request names none.
type Scope struct {
	Sources []string
	Tags    []string
	Dates   attache.DateRange
}

// IsZero reports whether the scope narrows nothing.
func (s Scope) IsZero() bool {
	return len(s.Sources) == 0 && len(s.Tags) == 0 && s.Dates.Since == "" && s.Dates.Until == ""
}

// String describes the scope for /sources.
func (s Scope) String() string {
	var parts []string
	if len(s.Sources) > 0 {
		parts = append(parts, "sources "+strings.Join(s.Sources, ", "))
	}
	if len(s.Tags) > 0 {
		parts = append(parts, "tags "+strings.Join(s.Tags, ", "))
	}
	switch {
	case s.Dates.Since != "" && s.Dates.Until != "":
		parts = append(parts, fmt.Sprintf("articles from %s to %s", s.Dates.Since, s.Dates.Until))
	case s.Dates.Since != "":
		parts = append(parts, "articles since "+s.Dates.Since)
	case s.Dates.Until != "":
		parts = append(parts, "articles until "+s.Dates.Until)
	}
	if len(parts) == 0 {
		return "everything"
	}
	return strings.Join(parts, "; ")
}

// scopeFor is the scope of a channel: its own entry in Config.Channels,
// else its parent's (for a thread), else its category's.
func (b *Bot) scopeFor(ctx context.Context, channelID string) Scope {
	if len(b.cfg.Channels) == 0 || channelID == "" {
		return Scope{}
	}
	if sc, ok := b.cfg.Channels[channelID]; ok {
		return sc
	}
	for _, id := range b.placeChain(ctx, channelID)[1:] {
		if sc, ok := b.cfg.Channels[id]; ok {
			return sc
		}
	}
	return Scope{}
}

type scopeKey struct{}

// withScope carries the scope of the channel a command came from to the
// code that runs it.
func withScope(ctx context.Context, sc Scope) context.Context {
	if sc.IsZero() {
		return ctx
	}
	return context.WithValue(ctx, scopeKey{}, sc)
}

func scopeOf(ctx context.Context) Scope {
	sc, _ := ctx.Value(scopeKey{}).(Scope)
	return sc
}

// renderScoped is /sources in a scoped channel: the scope, then the
// sources it draws on.
func renderScoped(sc Scope, srcs []SourceInfo) string {
	if sc.IsZero() {
		return renderSources(srcs)
	}
	var in []SourceInfo
	for _, s := range srcs {
		if (len(sc.Sources) == 0 && len(sc.Tags) == 0) || contains(sc.Sources, s.Name) || anyOf(s.Tags, sc.Tags) {
			in = append(in, s)
		}
	}
	return "In this channel I answer from " + escapeMarkdown(sc.String()) + ".\n" + renderSources(in)
}
