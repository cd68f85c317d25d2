package main

import (
	"context"
	"slices"

	"attache"
	"attache/answer"
	"attache/bot"
	"attache/config"
	"attache/retrieval"
)

// scopedLibrary lists only the documents of some sources.
type scopedLibrary struct {
	library
	sources []string
}

func (l scopedLibrary) Documents(ctx context.Context, dates attache.DateRange, limit int) ([]attache.Document, error) {
	return l.store.Documents(ctx, retrieval.DocFilter{Dates: dates, Sources: l.sources, Limit: limit})
}

// scopeSources names the knowledge sources a channel scope draws on: those
// it names and those carrying one of its tags; nil when it narrows none.
func (b *botAnswerer) scopeSources(sc bot.Scope) ([]string, error) {
	if len(sc.Sources) == 0 && len(sc.Tags) == 0 {
		return nil, nil
	}
	var names []string
	for _, s := range b.app.indexer.CurrentSources() {
		if slices.Contains(sc.Sources, s.Name) || slices.ContainsFunc(s.Tags, func(t string) bool { return slices.Contains(sc.Tags, t) }) {
			names = append(names, s.Name)
		}
	}
	if len(names) == 0 {
		return nil, attache.Errorf(attache.EINVALID, "this channel is limited to sources that are not configured; ask an administrator to check discord.channels")
	}
	return names, nil
}

// scoped is the answer service narrowed to the sources of a channel scope.
func (b *botAnswerer) scoped(sc bot.Scope) (*answer.Service, []string, error) {
	names, err := b.scopeSources(sc)
	if err != nil || names == nil {
		return b.app.answers, nil, err
	}
	svc := *b.app.answers
	svc.Retrieve = func(ctx context.Context, query string, k int, dates attache.DateRange) ([]attache.Hit, error) {
		res, err := b.app.searcher.Search(ctx, query, retrieval.SearchOptions{K: k, Dates: dates, Sources: names})
		if err != nil {
			return nil, err
		}
		return res.Hits, nil
	}
	svc.Library = scopedLibrary{library{b.app.store}, names}
	return &svc, names, nil
}

// orScope is a request's date window, or the scope's default when the
// request names none.
func orScope(d attache.DateRange, sc bot.Scope) attache.DateRange {
	if d.Since == "" && d.Until == "" {
		return sc.Dates
	}
	return d
}

// channelScopes converts the configured channel scopes for the bot.
func channelScopes(in map[string]config.ChannelScope) map[string]bot.Scope {
	if len(in) == 0 {
		return nil
	}
	out := make(map[string]bot.Scope, len(in))
	for id, sc := range in {
		out[id] = bot.Scope{Sources: sc.Sources, Tags: sc.Tags, Dates: attache.DateRange{Since: sc.Since, Until: sc.Until}}
	}
	return out
}
