package main

import (
	"context"
	"time"

	"attache/bot"
	"attache/config"
	"attache/state"
	statesqlite "attache/state/sqlite"
)

// openState opens the state store for the index driver: with sqlite, the
// state database in state.dir (which takes over the votes and answer log an
// older version kept in the index file); with postgres, the index database.
func openState(ctx context.Context, cfg *config.Config, a *app) (state.Store, error) {
	switch cfg.Index.Driver {
	case config.DriverPostgres:
		return openPostgresState(ctx, cfg, a)
	default:
		return statesqlite.Open(ctx, statesqlite.DefaultPath(cfg.State.Dir), statesqlite.Options{ImportFrom: cfg.Index.Path}, a.log)
	}
}

// stateStore returns the app's state store, opening it the first time it is
// needed (a command that only searches never creates one). A failed opening
// is tried again on the next call.
func (a *app) stateStore(ctx context.Context) (state.Store, error) {
	a.stateMu.Lock()
	defer a.stateMu.Unlock()
	if a.state != nil {
		return a.state, nil
	}
	st, err := openState(ctx, a.cfg(), a)
	if err != nil {
		return nil, err
	}
	a.state = st
	return st, nil
}

// closeState closes the state store if it was opened.
func (a *app) closeState() error {
	a.stateMu.Lock()
	defer a.stateMu.Unlock()
	if a.state == nil {
		return nil
	}
	err := a.state.Close()
	a.state = nil
	return err
}

// shared is what a state store kept by many processes says of itself.
type shared interface{ Shared() bool }

// botRateLimit is the bot's rate limit hook: the state store's buckets when
// that store is shared by every process of the bot (the postgres driver),
// nil (each process counts alone) otherwise.
func (a *app) botRateLimit(st state.Store) bot.RateLimit {
	if sh, ok := st.(shared); !ok || !sh.Shared() {
		return nil
	}
	return func(ctx context.Context, user string) (bool, time.Duration, error) {
		rl := a.cfg().Discord.RateLimit
		return st.Take(ctx, "discord:"+user, rl.PerMinute, rl.Burst, time.Now())
	}
}

// shardClaimer is what a state store shared by the bot's processes offers
// for sharing out the gateway shards.
type shardClaimer interface {
	ClaimShards(ctx context.Context, count, want int, lost func(error)) ([]int, func(), error)
}

// botClaimShards is the bot's hook for discord.shards_per_process: the
// state store's shard locks when it has them, nil otherwise (the bot then
// refuses the setting with the reason).
func botClaimShards(st state.Store) bot.ClaimShards {
	c, ok := st.(shardClaimer)
	if !ok {
		return nil
	}
	return c.ClaimShards
}
