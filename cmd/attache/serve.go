package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"attache"
	"attache/answer"
	"attache/bot"
	"attache/config"
	"attache/console"
	"attache/internal/metrics"
	"attache/internal/text"
	"attache/llm"
	"attache/retrieval"
)

// feedbackStore is what the state store offers for feedback votes.
type feedbackStore interface {
	RecordAnswer(ctx context.Context, f attache.Feedback) (string, error)
	Vote(ctx context.Context, answerID, user string, vote int) error
	Feedback(ctx context.Context) ([]attache.Feedback, error)
	VoteReason(ctx context.Context, answerID, user, reason, details string) error
	FlagSource(ctx context.Context, answerID, user string, n int) error
	RecordedAnswer(ctx context.Context, answerID string) (attache.Feedback, error)
}

func (e *env) serveCommand() *cobra.Command {
	var httpAddr string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the Discord bot (needs discord.token)",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer a.Close()
			if httpAddr == "" {
				httpAddr = a.cfg().HTTP.Addr
			}
			return a.serve(ctx, e, httpAddr, nil)
		},
	}
	cmd.Flags().StringVar(&httpAddr, "http", "", "serve /healthz, /readyz, /metrics and the console (/console/) on this address (e.g. 127.0.0.1:9090)")
	return cmd
}

// serveHooks lets tests reach into a running bot.
type serveHooks struct {
	httpClient *http.Client // for Discord's REST calls
	started    func(*bot.Bot, *retrieval.Watcher)
	configPoll time.Duration
}

// serve runs the bot until ctx is done: index, watch the knowledge folders,
// serve metrics, connect to Discord.
func (a *app) serve(ctx context.Context, e *env, httpAddr string, hooks *serveHooks) error {
	if strings.TrimSpace(a.cfg().Discord.Token) == "" {
		return attache.Errorf(attache.EINVALID, "discord.token is not set: set ATTACHE_DISCORD_TOKEN (or DISCORD_TOKEN) to your bot's token; see the README's Discord section")
	}
	m := metrics.New()
	m.BuildInfo(buildVersion())
	if g, ok := a.answers.Generator.(generator); ok {
		g.c.OnBreakerChange(func(s llm.BreakerState) { m.Breaker(string(s)) })
		g.c.OnError(m.LLMError)
	}
	sum, err := a.refresh(ctx)
	m.Sync(sum.Duration, sum.Changed(), err)
	if err != nil {
		return err
	}
	a.log.Info("index ready", "summary", sum.String())

	w := &retrieval.Watcher{Indexer: a.indexer, Logger: a.log, IndexPath: a.local, OnSync: func(s retrieval.Summary, err error) {
		err = a.afterSync(ctx, s, err)
		m.Sync(s.Duration, s.Changed(), err)
		if err != nil {
			a.log.Warn("re-indexing failed", "err", err)
		} else if s.Changed() || s.Skipped > 0 {
			a.log.Info("re-indexed", "summary", s.String())
		}
	}}
	// The state store is opened before the bot connects, so that a store
	// that cannot be opened stops the start and votes are taken over from
	// an older index at once.
	st, err := a.stateStore(ctx)
	if err != nil {
		return err
	}
	ba := &botAnswerer{app: a, env: e, watcher: w}
	alog := answerLog{app: a}
	opts := bot.Options{Logger: a.log, Metrics: m, AnswerLog: alog, RateLimit: a.botRateLimit(st), ClaimShards: botClaimShards(st)}
	if hooks != nil {
		opts.HTTPClient = hooks.httpClient
	}
	b, err := bot.New(botConfig(a.cfg().Discord), ba, opts)
	if err != nil {
		return err
	}
	if hooks != nil && hooks.started != nil {
		hooks.started(b, w)
	}

	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := w.Run(runCtx); err != nil {
			errs <- fmt.Errorf("watch knowledge folders: %w", err)
		}
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		alog.keepPruned(runCtx, pruneEvery)
	}()
	poll := configPoll
	if hooks != nil && hooks.configPoll > 0 {
		poll = hooks.configPoll
	}
	if a.cfg().File != "" {
		wg.Add(1)
		go func() {
			defer wg.Done()
			watchConfig(runCtx, a.cfg().File, poll, a.log, func() {
				msg, err := ba.Reload(runCtx)
				if err != nil {
					a.log.Error("configuration change refused; keeping the running configuration", "file", a.cfg().File, "err", err)
					return
				}
				a.log.Info("configuration reloaded", "file", a.cfg().File, "index", msg)
			})
		}()
	}
	if httpAddr != "" {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := m.ServeWith(runCtx, httpAddr, a.serveHandler(m, b.Ready, httpAddr), a.log); err != nil {
				errs <- fmt.Errorf("http %s: %w", httpAddr, err)
			}
		}()
	}
	if err := b.Open(ctx); err != nil {
		stop()
		wg.Wait()
		if ctx.Err() != nil {
			return nil // asked to stop while connecting: a clean stop
		}
		return err
	}
	a.log.Info("bot running; press Ctrl-C to stop")
	select {
	case <-ctx.Done():
	case err = <-errs:
		a.log.Error("stopping", "err", err)
	case err = <-b.Failed(): // Discord refused a shard for good; the refusal is logged
	}
	a.log.Info("shutting down")
	cerr := b.Close()
	stop()
	wg.Wait()
	if err == nil {
		err = cerr
	}
	return err
}

// serveHandler is what "serve --http" serves: the health and metrics
// endpoints and, on a loopback address or with console.token set, the
// operator console under /console/, whose re-index runs like the
// watcher's.
func (a *app) serveHandler(m *metrics.Metrics, ready func() error, addr string) http.Handler {
	h := m.Handler(ready)
	token := a.cfg().Console.Token
	if err := consoleAllowed(addr, token); err != nil {
		a.log.Warn("console not served on this address", "addr", addr, "reason", err)
		return h
	}
	o := a.consoleOptions(token, !console.Loopback(addr), func(rctx context.Context) (string, error) {
		sum, err := a.refresh(rctx)
		if err == nil && sum.Changed() && a.vectors != nil {
			err = a.syncVectors(rctx)
		}
		m.Sync(sum.Duration, sum.Changed(), err)
		if err != nil {
			return "", err
		}
		return sum.String(), nil
	})
	o.ModelErrors = func() []console.ModelError {
		var out []console.ModelError
		for _, e := range m.LLMErrors() {
			out = append(out, console.ModelError{Model: e.Model, Kind: e.Kind, Count: e.Count})
		}
		return out
	}
	con, err := console.New(o)
	if err != nil {
		a.log.Warn("console not served", "err", err)
		return h
	}
	a.log.Info("console served", "path", con.Prefix(), "token", token != "")
	return consoleMux(con, h)
}

// afterSync brings the vectors up to date after a watcher's sync that
// ended with err. With a shared index another process may have written the
// change this one waited for, so its sync saw none: when the index differs
// from what the vectors were synced with, the passages' vectors are loaded
// from the shared cache (embedded by the writer), not fetched again.
func (a *app) afterSync(ctx context.Context, s retrieval.Summary, err error) error {
	if err != nil || a.vectors == nil {
		return err
	}
	if !s.Changed() && a.cfg().Index.Driver == config.DriverPostgres {
		// Another process may have written: the vectors are read again
		// only when the index is not what they were synced with.
		stamp, err := a.indexStamp(ctx)
		if at := a.vectorsAt.Load(); err != nil || at != nil && stamp == *at {
			return err
		}
	}
	if s.Changed() || a.cfg().Index.Driver == config.DriverPostgres {
		return a.syncVectors(ctx)
	}
	return nil
}

// configPoll is how often the config file is checked for changes. Polling
// survives editors that replace the file rather than write it.
const configPoll = 2 * time.Second

// watchConfig calls reload whenever the file's size or modification time
// changes, until ctx is done.
func watchConfig(ctx context.Context, path string, every time.Duration, log *slog.Logger, reload func()) {
	stamp := func() (int64, time.Time) {
		fi, err := os.Stat(path)
		if err != nil {
			return -1, time.Time{}
		}
		return fi.Size(), fi.ModTime()
	}
	size, mod := stamp()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s, m := stamp()
		if s == size && m.Equal(mod) {
			continue
		}
		size, mod = s, m
		if s < 0 {
			log.Debug("config file missing; waiting for it", "file", path)
			continue
		}
		reload()
	}
}

func botConfig(d config.Discord) bot.Config {
	return bot.Config{
		Token: d.Token, APIBaseURL: d.APIBaseURL, GuildIDs: d.GuildIDs, AllowedGuilds: d.AllowedGuilds,
		AllowedChannels: d.AllowedChannels, AllowedRoles: d.AllowedRoles, AdminRoles: d.AdminRoles,
		AllowDMs: d.AllowDMs, HistoryMessages: d.HistoryMessages, EditInterval: d.EditInterval,
		AnswerTimeout: d.AnswerTimeout, RatePerMinute: d.RateLimit.PerMinute, RateBurst: d.RateLimit.Burst,
		MaxConcurrent: d.MaxConcurrent, QueueTimeout: d.QueueTimeout, ShutdownGrace: d.ShutdownGrace,
		Threads: d.Threads, ForumAutoReply: d.ForumAutoReply, Channels: channelScopes(d.Channels),
		ShardCount: d.ShardCount, ShardIDs: d.ShardIDs, ShardsPerProcess: d.ShardsPerProcess,
	}
}

// botAnswerer gives the bot what it needs from the app.
type botAnswerer struct {
	app     *app
	env     *env
	watcher *retrieval.Watcher
	mu      sync.Mutex // serialises reloads
}

func (b *botAnswerer) Ask(ctx context.Context, q bot.Query) (attache.Answer, error) {
	svc, _, err := b.scoped(q.Scope)
	if err != nil {
		return attache.Answer{}, err
	}
	a, err := svc.Ask(ctx, answer.Request{Question: q.Question, History: q.History, OnDelta: q.OnDelta, Dates: orScope(q.Dates, q.Scope)})
	return a, storeError(err)
}

func (b *botAnswerer) Summarize(ctx context.Context, q bot.SummaryQuery) (attache.Answer, error) {
	req := answer.SummaryRequest{DocID: q.DocID, Topic: q.Topic, Dates: q.Dates}
	if q.Days > 0 && req.Dates.Since == "" {
		req.Dates.Since = time.Now().AddDate(0, 0, -q.Days).Format(time.DateOnly)
	}
	req.Dates = orScope(req.Dates, q.Scope)
	svc, _, err := b.scoped(q.Scope)
	if err != nil {
		return attache.Answer{}, err
	}
	if q.DocID != "" {
		id, err := b.app.resolveDoc(ctx, q.DocID)
		if err != nil {
			return attache.Answer{}, err
		}
		req.DocID = id
	}
	a, err := svc.Summarize(ctx, req)
	return a, storeError(err)
}

func (b *botAnswerer) Timeline(ctx context.Context, topic string, sc bot.Scope, dates attache.DateRange) (attache.Answer, error) {
	svc, _, err := b.scoped(sc)
	if err != nil {
		return attache.Answer{}, err
	}
	tl, err := svc.Timeline(ctx, answer.TimelineRequest{Topic: topic, Dates: orScope(dates, sc)})
	return tl.Answer, storeError(err)
}

// corroborateK is how many passages are weighed for one claim.
const corroborateK = 5

// claimCoverage is the share of a claim's weighted words a passage must
// hold to cover it. A question is answered by a passage on its topic; a
// claim asserts each of its words, so a passage that lacks one (the verb of
// a bent story, a wrong place) does not support it.
const claimCoverage = 0.999

// Corroborate searches a claim as if it were a question and applies the
// answerability rules; of the passages that would answer it, those that
// hold all of its weighted words cover it.
func (b *botAnswerer) Corroborate(ctx context.Context, claim string) (bot.Corroboration, error) {
	query := text.EnglishQuery(claim)
	res, err := b.app.searcher.Search(ctx, query, retrieval.SearchOptions{K: corroborateK})
	if err != nil {
		return bot.Corroboration{}, storeError(fmt.Errorf("corroborate: %w", err))
	}
	d := answer.Decide(claim, query, res.Hits, answer.Thresholds{MinCoverage: b.app.cfg().Answer.MinCoverage})
	if d.Verdict == answer.Answerable {
		var full []attache.Hit
		for _, h := range d.Hits {
			if h.Coverage >= claimCoverage {
				full = append(full, h)
			}
		}
		if len(full) > 0 {
			return bot.Corroboration{Covered: true, Hits: full}, nil
		}
	}
	return bot.Corroboration{Hits: res.Hits, Missing: d.Missing}, nil
}

func (b *botAnswerer) Search(ctx context.Context, query string, k int, sc bot.Scope) ([]attache.Hit, error) {
	_, names, err := b.scoped(sc)
	if err != nil {
		return nil, err
	}
	res, err := b.app.searcher.Search(ctx, query, retrieval.SearchOptions{K: k, Dates: sc.Dates, Sources: names})
	return res.Hits, storeError(err)
}

func (b *botAnswerer) Titles(ctx context.Context, contains string, limit int) ([]attache.Document, error) {
	return b.app.store.Documents(ctx, retrieval.DocFilter{TitleContains: contains, Limit: limit})
}

func (b *botAnswerer) Sources(ctx context.Context) ([]bot.SourceInfo, error) {
	stats, err := b.app.store.Stats(ctx)
	if err != nil {
		return nil, err
	}
	byName := map[string]retrieval.SourceStats{}
	for _, s := range stats {
		byName[s.Source] = s
	}
	var out []bot.SourceInfo
	for _, s := range b.app.indexer.CurrentSources() {
		st := byName[s.Name]
		out = append(out, bot.SourceInfo{Name: s.Name, Tags: s.Tags, Documents: st.Documents, Passages: st.Passages, LastIndexed: st.LastIndexed})
	}
	return out, nil
}

// Reload re-reads the configuration; a valid change of knowledge sources
// takes effect at once, a bad one is refused and the running config kept.
func (b *botAnswerer) Reload(ctx context.Context) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	cfg, err := b.env.loadConfig()
	if err != nil {
		return "", err
	}
	srcs := sources(cfg)
	if err := b.watcher.SetSources(ctx, srcs); err != nil {
		return "", err
	}
	sum, err := b.app.refresh(ctx)
	if err != nil {
		return "", err
	}
	next := *b.app.cfg()
	next.Knowledge.Sources = cfg.Knowledge.Sources
	b.app.setConfig(&next)
	return sum.String() + ".", nil
}

func (b *botAnswerer) feedback(ctx context.Context) (feedbackStore, error) {
	return b.app.stateStore(ctx)
}

func (b *botAnswerer) RecordAnswer(ctx context.Context, f attache.Feedback) (string, error) {
	fs, err := b.feedback(ctx)
	if err != nil {
		return "", err
	}
	return fs.RecordAnswer(ctx, f)
}

func (b *botAnswerer) Vote(ctx context.Context, answerID, user string, vote int) error {
	fs, err := b.feedback(ctx)
	if err != nil {
		return err
	}
	return fs.Vote(ctx, answerID, user, vote)
}

func (b *botAnswerer) VoteReason(ctx context.Context, answerID, user, reason, details string) error {
	fs, err := b.feedback(ctx)
	if err != nil {
		return err
	}
	return fs.VoteReason(ctx, answerID, user, reason, details)
}

func (b *botAnswerer) FlagSource(ctx context.Context, answerID, user string, n int) error {
	fs, err := b.feedback(ctx)
	if err != nil {
		return err
	}
	return fs.FlagSource(ctx, answerID, user, n)
}

func (b *botAnswerer) RecordedAnswer(ctx context.Context, answerID string) (attache.Feedback, error) {
	fs, err := b.feedback(ctx)
	if err != nil {
		return attache.Feedback{}, err
	}
	return fs.RecordedAnswer(ctx, answerID)
}

func (e *env) feedbackCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "feedback", Short: "Work with the 👍/👎 votes readers gave answers"}
	var outPath string
	export := &cobra.Command{
		Use:   "export",
		Short: "Write the recorded answers and votes as JSON Lines (one answer per line)",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer a.Close()
			fs, err := a.stateStore(ctx)
			if err != nil {
				return err
			}
			items, err := fs.Feedback(ctx)
			if err != nil {
				return err
			}
			return exportLines(e, outPath, "answers", items)
		},
	}
	export.Flags().StringVarP(&outPath, "output", "o", "", "file to write (default standard output)")
	cmd.AddCommand(export)
	return cmd
}
