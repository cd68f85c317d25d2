// Package bot is Attaché's Discord front end and the only code that imports
// discordgo: it runs the gateway shards assigned to the process, registers
// the slash commands (in the process that runs shard 0), answers
// interactions, mentions, DMs and reply chains, streams answers into edited
// messages, renders citations as a sources embed, enforces channel, role and
// rate limits, and records feedback votes.
//
// Every interaction is acknowledged at once and answered from a goroutine,
// so Discord never shows "The application did not respond". Every message it
// sends allows no mentions. It declares the Answerer it needs; cmd/attache
// wires the answer and retrieval packages behind it.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"attache"
	"attache/internal/metrics"
)

// Query is a question with its conversation so far.
type Query struct {
	Question string
	History  []attache.Turn
	// Scope is the asking channel's scope.
	Scope Scope
	Dates attache.DateRange // only articles dated inside ("" bounds = open)
	// OnDelta receives the model's reply as it is generated, if it streams.
	OnDelta func(string)
}

// SummaryQuery says what to summarise: one document, a topic, or the
// articles of the last Days days.
type SummaryQuery struct {
	DocID string
	Topic string
	Days  int
	Scope Scope             // the asking channel's scope
	Dates attache.DateRange // an explicit window; Since wins over Days
}

// SourceInfo describes one knowledge source for /sources.
type SourceInfo struct {
	Name        string
	Tags        []string
	Documents   int
	Passages    int
	LastIndexed time.Time
}

// Corroboration is what the articles hold on one claim: the passages that
// cover it (Covered), or else the closest ones, which do not.
type Corroboration struct {
	Covered bool
	Hits    []attache.Hit
	// Missing names what no passage matches (a country, a person), when known.
	Missing []string
}

// Answerer is everything the bot needs from the rest of Attaché.
type Answerer interface {
	Ask(ctx context.Context, q Query) (attache.Answer, error)
	Summarize(ctx context.Context, q SummaryQuery) (attache.Answer, error)
	Timeline(ctx context.Context, topic string, scope Scope, dates attache.DateRange) (attache.Answer, error)
	// Corroborate looks for the passages that bear on a claim and says
	// whether the best of them cover it, by the same rules that decide
	// whether a question is answerable.
	Corroborate(ctx context.Context, claim string) (Corroboration, error)
	Search(ctx context.Context, query string, k int, scope Scope) ([]attache.Hit, error)
	// Titles lists documents whose title contains text, for autocomplete.
	Titles(ctx context.Context, contains string, limit int) ([]attache.Document, error)
	Sources(ctx context.Context) ([]SourceInfo, error)
	// Reload re-reads the configuration and re-indexes; it returns a summary.
	Reload(ctx context.Context) (string, error)
	// RecordAnswer keeps an answer so that votes on it can be stored; it
	// returns the answer's ID.
	RecordAnswer(ctx context.Context, f attache.Feedback) (string, error)
	// Vote records a user's vote (+1 or -1) on a recorded answer.
	Vote(ctx context.Context, answerID, user string, vote int) error
	// VoteReason records a user's unhelpful vote with its reason (one of
	// attache.VoteReasons) and free text.
	VoteReason(ctx context.Context, answerID, user, reason, details string) error
	// FlagSource records that a user found source n of an answer wrong.
	FlagSource(ctx context.Context, answerID, user string, n int) error
	// RecordedAnswer returns a recorded answer with its quotes and votes.
	RecordedAnswer(ctx context.Context, answerID string) (attache.Feedback, error)
}

// Config is the bot's configuration.
type Config struct {
	Token           string
	APIBaseURL      string // replaces scheme and host of every REST call; "" = Discord
	GuildIDs        []string
	AllowedGuilds   []string
	AllowedChannels []string
	AllowedRoles    []string
	AdminRoles      []string
	AllowDMs        bool
	HistoryMessages int
	EditInterval    time.Duration
	AnswerTimeout   time.Duration
	RatePerMinute   float64
	RateBurst       int
	MaxConcurrent   int
	QueueTimeout    time.Duration
	// ShutdownGrace is how long answers in flight may take to finish once
	// shutdown begins; then they are cancelled (0 = DefaultShutdownGrace).
	// Questions still waiting for an answer slot are released at once.
	ShutdownGrace time.Duration
	// Threads is where answers open a thread: ThreadsOff ("" too),
	// ThreadsAsk or ThreadsAlways.
	Threads string
	// ForumAutoReply answers every new post in an allowed forum channel.
	ForumAutoReply bool
	// Channels maps a channel, forum or category id to the scope of the
	// questions asked there (and in its threads and channels).
	Channels map[string]Scope
	// ShardCount is the number of gateway shards of the bot, the same in
	// every process (0 = ask Discord for its recommendation); ShardIDs are
	// the shards this process runs (empty = all). See shards.go.
	ShardCount int
	ShardIDs   []int
	// ShardsPerProcess, when positive and ShardIDs is empty, makes the bot
	// run that many of the shards no other process runs, as
	// Options.ClaimShards finds them.
	ShardsPerProcess int
}

// Defaults of Config: what New applies to a zero value, and what the
// configuration starts from.
const (
	DefaultShutdownGrace   = 10 * time.Second
	DefaultEditInterval    = 1500 * time.Millisecond // Discord allows about five edits in five seconds per message
	DefaultAnswerTimeout   = 90 * time.Second
	DefaultQueueTimeout    = 30 * time.Second
	DefaultHistoryMessages = 6
	DefaultRatePerMinute   = 6
	DefaultRateBurst       = 3
	DefaultMaxConcurrent   = 4
)

// cancelledDelivery bounds how long Close waits, after cancelling the
// answers that outlived the grace period, for them to tell their askers.
const cancelledDelivery = 5 * time.Second

// restartMessage is what a question hears when shutdown began before its
// answer was started.
const restartMessage = "I'm restarting; please ask again in a moment."

// Bot is a running Discord bot.
type Bot struct {
	cfg     Config
	ans     Answerer
	log     *slog.Logger
	metrics *metrics.Metrics
	answers AnswerLog // nil = the answer log is off

	session *discordgo.Session // the first shard's; every REST call goes through it
	shards  []*shard           // the gateway sessions, first is session's
	// shardCount is the shard count of all processes, set by Open.
	shardCount int
	claim      ClaimShards
	// unclaim gives back the shards claim took; nil when none are held.
	unclaim      atomic.Pointer[func()]
	identifyWait time.Duration // between the IDENTIFY of two shards
	limiter      *rateLimiter
	gate         *gate

	baseCtx  context.Context // cancelled when shutdown's grace period runs out
	cancel   context.CancelFunc
	inflight sync.WaitGroup
	closing  atomic.Bool
	// spawnMu orders spawn's Add after its closing check against Close's
	// closing and Wait: a WaitGroup's Add must not race with its Wait.
	spawnMu   sync.Mutex
	abandoned atomic.Bool // Open failed: its shards stay closed
	ready     atomic.Bool
	failed    chan error            // see Failed
	failure   atomic.Pointer[error] // the first error sent on failed
	channels  sync.Map              // channel id -> *discordgo.Channel or lookupFailed, see channel
}

// Options are the bot's optional collaborators.
type Options struct {
	Logger  *slog.Logger
	Metrics *metrics.Metrics
	// HTTPClient replaces the client used for REST calls (tests, proxies).
	HTTPClient *http.Client
	// AnswerLog, when set, keeps every question answered (or turned away
	// by the rate limiter or a full queue); nil keeps none.
	AnswerLog AnswerLog
	// RateLimit, when set, replaces the in-process buckets of the rate
	// limit (Config.RatePerMinute, RateBurst) with a budget shared by
	// every process of the bot; when it fails, the question is let through.
	RateLimit RateLimit
	// ClaimShards takes shards for Config.ShardsPerProcess: see the type.
	ClaimShards ClaimShards
}

// New checks the configuration and prepares a session; Open connects.
func New(cfg Config, ans Answerer, o Options) (*Bot, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, attache.Errorf(attache.EINVALID, "discord.token is not set: set ATTACHE_DISCORD_TOKEN (or DISCORD_TOKEN) to the bot token from the Discord developer portal")
	}
	if cfg.EditInterval <= 0 {
		cfg.EditInterval = DefaultEditInterval
	}
	if cfg.AnswerTimeout <= 0 {
		cfg.AnswerTimeout = DefaultAnswerTimeout
	}
	if cfg.QueueTimeout <= 0 {
		cfg.QueueTimeout = DefaultQueueTimeout
	}
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = DefaultShutdownGrace
	}
	if cfg.Threads != "" && !contains(ThreadModes, cfg.Threads) {
		return nil, attache.Errorf(attache.EINVALID, "discord.threads: want one of %s, got %q", strings.Join(ThreadModes, ", "), cfg.Threads)
	}
	if cfg.HistoryMessages < 0 {
		cfg.HistoryMessages = 0
	}
	if err := validShards(cfg.ShardCount, cfg.ShardIDs); err != nil {
		return nil, err
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("discord session: %w", err)
	}
	s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages |
		discordgo.IntentMessageContent
	s.StateEnabled = true
	if o.HTTPClient != nil {
		s.Client = o.HTTPClient
	}
	if cfg.APIBaseURL != "" {
		u, err := url.Parse(cfg.APIBaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, attache.Errorf(attache.EINVALID, "discord.api_base_url: want an http(s) URL")
		}
		base := s.Client.Transport
		if base == nil {
			base = http.DefaultTransport
		}
		s.Client = &http.Client{Transport: &rewriteTransport{scheme: u.Scheme, host: u.Host, base: base}, Timeout: s.Client.Timeout}
	}
	ctx, cancel := context.WithCancel(context.Background())
	b := &Bot{
		cfg: cfg, ans: ans, log: log, metrics: o.Metrics, answers: o.AnswerLog, session: s,
		limiter: newRateLimiter(cfg.RatePerMinute, cfg.RateBurst, o.RateLimit, log),
		claim:   o.ClaimShards,
		gate:    newGate(cfg.MaxConcurrent, cfg.QueueTimeout),
		baseCtx: ctx, cancel: cancel, identifyWait: identifyInterval, failed: make(chan error, 1),
	}
	first := &shard{session: s}
	b.shards = []*shard{first}
	b.attach(first)
	return b, nil
}

// Session exposes the discordgo session of the first shard, for tests that
// tune it before Open, which copies its settings to the sessions of the
// other shards. ShouldReconnectOnError false turns off the reconnection of
// every shard (see keepConnected).
func (b *Bot) Session() *discordgo.Session { return b.session }

// rewriteTransport sends Discord REST calls to another scheme and host,
// paths unchanged (a REST proxy, or a fake in tests).
type rewriteTransport struct {
	scheme, host string
	base         http.RoundTripper
}

func (t *rewriteTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == "discord.com" || strings.HasSuffix(r.URL.Host, ".discord.com") {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host, r.Host = t.scheme, t.host, t.host
	}
	return t.base.RoundTrip(r)
}

// Open settles the shards, connects each to the gateway and, in the process
// that runs shard 0, registers the slash commands.
func (b *Bot) Open(ctx context.Context) (err error) {
	count, ids, err := b.planShards(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			b.releaseShards()
		}
	}()
	if err := b.newShards(count, ids); err != nil {
		return err
	}
	if err := b.openShards(ctx); err != nil {
		return err
	}
	if b.registersCommands() {
		if err := b.registerCommands(ctx); err != nil {
			b.abandon(b.shards)
			return err
		}
	} else {
		b.log.Info("slash commands left to the process that runs shard 0", "shards", ids, "shard_count", count)
	}
	b.ready.Store(true)
	return nil
}

// Ready reports whether every shard of the bot is connected, with the
// commands registered.
func (b *Bot) Ready() error {
	if !b.ready.Load() {
		return errors.New("not connected to Discord")
	}
	return b.shardsReady()
}

// Run blocks until ctx is done, then shuts down: new questions and those
// waiting for an answer slot are told at once that the bot is restarting,
// answers in flight get up to ShutdownGrace to finish, and the session is
// closed.
func (b *Bot) Run(ctx context.Context) error {
	<-ctx.Done()
	return b.Close()
}

// Close shuts the bot down; see Run.
func (b *Bot) Close() error {
	b.spawnMu.Lock()
	already := b.closing.Swap(true)
	b.spawnMu.Unlock()
	if already {
		return nil
	}
	b.ready.Store(false)
	b.gate.close()
	done := make(chan struct{})
	go func() { b.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(b.cfg.ShutdownGrace):
		b.log.Warn("shutdown: answers still running after the grace period; cancelling them", "grace", b.cfg.ShutdownGrace)
		b.cancel()
		select {
		case <-done:
		case <-time.After(cancelledDelivery):
		}
	}
	b.cancel()
	err := b.closeShards(b.shards)
	b.releaseShards()
	return err
}

// spawn runs work in a goroutine tracked for shutdown, recovering panics.
func (b *Bot) spawn(what, id string, work func(ctx context.Context)) bool {
	b.spawnMu.Lock()
	if b.closing.Load() {
		b.spawnMu.Unlock()
		return false
	}
	b.inflight.Add(1)
	b.spawnMu.Unlock()
	go func() {
		defer b.inflight.Done()
		defer func() {
			if r := recover(); r != nil {
				b.log.Error("panic in handler", "handler", what, "id", id, "panic", fmt.Sprint(r))
				b.metrics.Answer(what, "error")
			}
		}()
		work(b.baseCtx)
	}()
	return true
}

// recoverTo turns a panic while answering into a logged error and a safe
// message in place of the answer.
func (b *Bot) recoverTo(ctx context.Context, out output, what, id string) {
	if r := recover(); r != nil {
		b.log.Error("panic in handler", "handler", what, "id", id, "panic", fmt.Sprint(r))
		b.outcome(ctx, what, "error", nil)
		out.fail("Sorry, something went wrong while answering. The error has been logged.")
	}
}

func (b *Bot) botUserID() string {
	if b.session.State != nil && b.session.State.User != nil {
		return b.session.State.User.ID
	}
	return ""
}

func (b *Bot) appID() string {
	if b.session.State != nil && b.session.State.Application != nil {
		return b.session.State.Application.ID
	}
	return b.botUserID()
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func anyOf(have, want []string) bool {
	for _, h := range have {
		if contains(want, h) {
			return true
		}
	}
	return false
}

// allowedPlace reports whether the bot may answer in this guild and channel
// for a member with these roles.
func (b *Bot) allowedPlace(guildID, channelID string, roles []string) bool {
	if guildID == "" {
		return b.cfg.AllowDMs
	}
	if len(b.cfg.AllowedGuilds) > 0 && !contains(b.cfg.AllowedGuilds, guildID) {
		return false
	}
	if len(b.cfg.AllowedChannels) > 0 && !contains(b.cfg.AllowedChannels, channelID) {
		return false
	}
	if len(b.cfg.AllowedRoles) > 0 && !anyOf(roles, b.cfg.AllowedRoles) {
		return false
	}
	return true
}

// userMessage is what a person sees when something went wrong: safe, short.
func userMessage(err error) string {
	switch {
	case errors.Is(err, ErrBusy):
		return "I'm answering many questions right now. Please try again in a minute."
	case errors.Is(err, errRestarting):
		return restartMessage
	case errors.Is(err, context.DeadlineExceeded):
		return "Sorry, that took too long. Please try again, perhaps with a narrower question."
	case errors.Is(err, context.Canceled):
		return "Sorry, I had to stop before finishing this answer (the bot is restarting). Please ask again."
	}
	switch attache.ErrorCode(err) {
	case attache.EINVALID, attache.ENOTFOUND:
		return attache.ErrorMessage(err)
	case attache.EUNAVAILABLE:
		return "A service I depend on is unavailable right now. Please try again later."
	}
	return "Sorry, something went wrong while answering. The error has been logged."
}
