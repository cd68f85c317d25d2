package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"attache"
)

// Sharding. Discord sends a guild's events to shard (guild_id >> 22) %
// shard_count and direct messages to shard 0, so each question reaches
// exactly one shard; one process may run several shards, and several
// processes may share them out (Config.ShardIDs). A process opens one
// gateway session per shard it runs; all of them share the handlers, the
// REST session (the first shard's), the answer gate, the rate limiter and
// the feedback store. Slash commands are registered by the process that
// runs shard 0 only.

// identifyInterval is how long a process waits between the IDENTIFY of two
// of its shards: Discord allows one session start per five seconds (per
// max_concurrency bucket).
const identifyInterval = 5 * time.Second

// Gateway close codes that no reconnection can cure: the process must stop
// and its configuration be changed.
const (
	closeAuthFailed       = 4004
	closeInvalidShard     = 4010
	closeShardingRequired = 4011
)

// shard is one gateway session of the bot.
type shard struct {
	id        int
	session   *discordgo.Session
	connected atomic.Bool // between a Connect and a Disconnect event
	// reconnect is the session's ShouldReconnectOnError as set before
	// Open: the bot then reconnects the shard itself (see keepConnected).
	reconnect    bool
	reconnecting atomic.Bool
}

// Bounds of the wait between two attempts to reconnect a shard.
const (
	reconnectFirstWait = time.Second
	reconnectMaxWait   = 10 * time.Minute
)

// validShards checks the sharding settings that do not need Discord.
func validShards(count int, ids []int) error {
	if count < 0 {
		return attache.Errorf(attache.EINVALID, "discord.shard_count: must not be negative (0 asks Discord), got %d", count)
	}
	seen := map[int]bool{}
	for _, id := range ids {
		switch {
		case id < 0:
			return attache.Errorf(attache.EINVALID, "discord.shard_ids: shard ids start at 0, got %d", id)
		case count > 0 && id >= count:
			return attache.Errorf(attache.EINVALID, "discord.shard_ids: shard %d does not exist with discord.shard_count %d (ids run from 0 to %d)", id, count, count-1)
		case seen[id]:
			return attache.Errorf(attache.EINVALID, "discord.shard_ids: shard %d is listed twice", id)
		}
		seen[id] = true
	}
	return nil
}

// planShards settles the shard count (asking Discord when it is not
// configured) and the shards this process runs, in order.
func (b *Bot) planShards(ctx context.Context) (int, []int, error) {
	count := b.cfg.ShardCount
	if count == 0 {
		gb, err := b.session.GatewayBot(discordgo.WithContext(ctx))
		if err != nil {
			return 0, nil, fmt.Errorf("ask discord for the shard count: %w", err)
		}
		count = max(gb.Shards, 1)
		if count > 1 || len(b.cfg.ShardIDs) > 0 {
			b.log.Info("Discord recommends a shard count", "shard_count", count)
		}
	}
	ids := slices.Sorted(slices.Values(b.cfg.ShardIDs))
	if len(ids) == 0 && b.cfg.ShardsPerProcess > 0 {
		return b.claimShards(ctx, count)
	}
	if len(ids) == 0 {
		for id := range count {
			ids = append(ids, id)
		}
	}
	if ids[len(ids)-1] >= count {
		return 0, nil, attache.Errorf(attache.EINVALID,
			"discord.shard_ids: shard %d does not exist: Discord recommends %d shard(s); set discord.shard_count to the count all processes use", ids[len(ids)-1], count)
	}
	return count, ids, nil
}

// ClaimShards takes up to want of the count shards that no other process
// of the bot runs, and holds them until release is called (or the process
// ends): a process that starts while others run takes the shards nobody
// serves. It returns the shards taken, in order, possibly none. When the
// hold is lost while the process runs (other processes may then take the
// shards) it calls lost, once.
type ClaimShards func(ctx context.Context, count, want int, lost func(error)) (ids []int, release func(), err error)

// claimShards takes the process's shards through Options.ClaimShards.
func (b *Bot) claimShards(ctx context.Context, count int) (int, []int, error) {
	if b.claim == nil {
		return 0, nil, attache.Errorf(attache.EINVALID, "discord.shards_per_process: needs a database shared by the bot's processes (index.driver postgres)")
	}
	lost := func(err error) {
		b.fail(attache.Errorf(attache.EUNAVAILABLE, "the hold on shards %v was lost (%v): other processes may take them, so this one stops; restart it to take free shards again", b.runningShards(), err))
	}
	ids, release, err := b.claim(ctx, count, b.cfg.ShardsPerProcess, lost)
	if err != nil {
		return 0, nil, fmt.Errorf("take free shards: %w", err)
	}
	if len(ids) == 0 {
		release()
		return 0, nil, attache.Errorf(attache.EINVALID,
			"discord.shards_per_process: every one of the %d shards is run by another process; raise discord.shard_count (in every process) or stop one", count)
	}
	b.unclaim.Store(&release)
	b.log.Info("took free shards", "shards", ids, "shard_count", count)
	return count, ids, nil
}

// runningShards lists the shards this process runs.
func (b *Bot) runningShards() []int {
	ids := make([]int, len(b.shards))
	for i, sh := range b.shards {
		ids[i] = sh.id
	}
	return ids
}

// releaseShards gives back the shards claimShards took, once.
func (b *Bot) releaseShards() {
	if f := b.unclaim.Swap(nil); f != nil {
		(*f)()
	}
}

// newShards makes one session per shard: the one New prepared for the
// first, copies of it for the others.
func (b *Bot) newShards(count int, ids []int) error {
	first := b.shards[0]
	first.id = ids[0]
	if count > 1 {
		first.session.ShardID, first.session.ShardCount = ids[0], count
	}
	// discordgo's own reconnection retries forever, whatever Discord
	// answers; the bot reconnects its shards itself.
	reconnect := first.session.ShouldReconnectOnError
	first.reconnect, first.session.ShouldReconnectOnError = reconnect, false
	for _, id := range ids[1:] {
		s, err := discordgo.New(first.session.Token)
		if err != nil {
			return fmt.Errorf("discord session for shard %d: %w", id, err)
		}
		s.Identify.Intents = first.session.Identify.Intents
		s.StateEnabled = first.session.StateEnabled
		s.Client = first.session.Client
		s.Dialer = first.session.Dialer
		s.Ratelimiter = first.session.Ratelimiter
		s.ShouldReconnectOnError = false
		s.ShardID, s.ShardCount = id, count
		sh := &shard{id: id, session: s, reconnect: reconnect}
		b.attach(sh)
		b.shards = append(b.shards, sh)
	}
	b.shardCount = count
	return nil
}

// attach gives a shard's session the bot's handlers.
func (b *Bot) attach(sh *shard) {
	s := sh.session
	s.AddHandler(b.onInteraction)
	s.AddHandler(b.onMessage)
	s.AddHandler(b.onThreadCreate)
	b.watchGateway(sh)
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		attrs := []any{"user", r.User.Username, "guilds", len(r.Guilds)}
		if b.shardCount > 1 {
			attrs = append(attrs, "shard", sh.id, "shard_count", b.shardCount)
		}
		b.log.Info("connected to Discord", attrs...)
	})
}

// openShards connects the shards one after the other, identifyWait apart.
// When one fails, those already open are closed.
func (b *Bot) openShards(ctx context.Context) error {
	for i, sh := range b.shards {
		if i > 0 && b.identifyWait > 0 {
			select {
			case <-ctx.Done():
				b.abandon(b.shards[:i])
				return ctx.Err()
			case <-time.After(b.identifyWait):
			}
		}
		if err := sh.session.Open(); err != nil {
			b.abandon(b.shards[:i])
			return b.refused(sh, err)
		}
		// Connected now; the Connect event's handler runs on its own time.
		sh.connected.Store(true)
	}
	return nil
}

// refused explains why a shard could not connect. A shard Discord refuses
// for good (wrong token, invalid or taken shard, sharding required) is an
// EINVALID error that says what to change, and is logged: the process
// stops rather than retry.
func (b *Bot) refused(sh *shard, err error) error {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return fmt.Errorf("discord connect shard %d: %w", sh.id, err)
	}
	var fix string
	switch ce.Code {
	case closeAuthFailed:
		return attache.Errorf(attache.EINVALID, "discord refused the token (close code 4004): check discord.token (ATTACHE_DISCORD_TOKEN)")
	case closeInvalidShard:
		fix = "each shard must run in exactly one process and every process must use the same discord.shard_count: check discord.shard_ids and discord.shard_count of the processes, or stop the one already running this shard"
	case closeShardingRequired:
		fix = "Discord requires more shards: set discord.shard_count to at least the recommended count (0 asks Discord) and share the shards out with discord.shard_ids"
	default:
		return fmt.Errorf("discord connect shard %d: %w", sh.id, err)
	}
	reason := strings.TrimSpace(ce.Text)
	b.log.Error("Discord refused this process's shard; stopping", "shard", sh.id, "shard_count", b.shardCount,
		"close_code", ce.Code, "reason", reason, "fix", fix)
	return attache.Errorf(attache.EINVALID, "discord refused shard %d of %d (close code %d %s): %s", sh.id, b.shardCount, ce.Code, reason, fix)
}

// fatalClose reports whether a gateway error is a refusal that no retry can
// cure.
func fatalClose(err error) bool {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return false
	}
	switch ce.Code {
	case closeAuthFailed, closeInvalidShard, closeShardingRequired:
		return true
	}
	return false
}

// keepConnected reconnects a shard that lost its connection, resuming its
// session when Discord allows, with a doubling wait between attempts. A
// refusal for good (see refused) stops the retries and is reported on
// Failed, so that the process stops instead of retrying forever.
func (b *Bot) keepConnected(sh *shard) {
	if !sh.reconnect || b.abandoned.Load() || b.closing.Load() || !sh.reconnecting.CompareAndSwap(false, true) {
		return
	}
	defer sh.reconnecting.Store(false)
	wait := reconnectFirstWait
	for !b.closing.Load() && !b.abandoned.Load() {
		err := sh.session.Open()
		if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
			sh.connected.Store(true)
			if b.closing.Load() {
				sh.session.Close() // Close ran while this Open did
			}
			return
		}
		if fatalClose(err) {
			b.fail(b.refused(sh, err))
			return
		}
		b.log.Warn("reconnecting to the Discord gateway failed; retrying", "shard", sh.id, "in", wait, "err", err)
		select {
		case <-time.After(wait):
		case <-b.baseCtx.Done():
			return
		}
		wait = min(2*wait, reconnectMaxWait)
	}
}

// fail records the error that stops the bot, the first one only.
func (b *Bot) fail(err error) {
	b.failure.CompareAndSwap(nil, &err)
	select {
	case b.failed <- err:
	default:
	}
}

// Failed delivers the error that made the bot stop working while it ran:
// Discord refused to reconnect one of its shards for good (the token, an
// invalid or taken shard). The process should stop and report it.
func (b *Bot) Failed() <-chan error { return b.failed }

// registersCommands reports whether this process registers the slash
// commands: the one that runs shard 0 does, so they are registered once.
func (b *Bot) registersCommands() bool { return b.shards[0].id == 0 }

// abandon closes the shards of an Open that failed, for good.
func (b *Bot) abandon(shards []*shard) {
	b.abandoned.Store(true)
	b.closeShards(shards)
}

// closeShards closes sessions at once (each Close takes a second).
func (b *Bot) closeShards(shards []*shard) error {
	errs := make([]error, len(shards))
	var wg sync.WaitGroup
	for i, sh := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := sh.session.Close(); err != nil {
				errs[i] = fmt.Errorf("close shard %d: %w", sh.id, err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// shardsReady says which shards are not connected now, nil when all are.
func (b *Bot) shardsReady() error {
	if err := b.failure.Load(); err != nil {
		return *err
	}
	var down []string
	for _, sh := range b.shards {
		if !sh.connected.Load() {
			down = append(down, fmt.Sprint(sh.id))
		}
	}
	if len(down) == 0 {
		return nil
	}
	if b.shardCount <= 1 {
		return errors.New("not connected to Discord")
	}
	return fmt.Errorf("shard(s) %s of %d not connected to Discord", strings.Join(down, ", "), b.shardCount)
}

// Shards returns the shards this process runs and the shard count, once
// Open has settled them.
func (b *Bot) Shards() (ids []int, count int) {
	for _, sh := range b.shards {
		ids = append(ids, sh.id)
	}
	return ids, b.shardCount
}
