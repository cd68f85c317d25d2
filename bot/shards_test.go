package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"attache"
	"attache/internal/fakediscord"
	"attache/internal/metrics"
)

// shardedBot opens a bot on the fake with the given shard settings; its
// shards connect without Discord's five seconds between them.
func shardedBot(t *testing.T, fake *fakediscord.Server, count int, ids []int, logs *syncBuffer, m *metrics.Metrics) *Bot {
	t.Helper()
	b, err := newShardedBot(fake, count, ids, logs, m)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func newShardedBot(fake *fakediscord.Server, count int, ids []int, logs *syncBuffer, m *metrics.Metrics) (*Bot, error) {
	o := Options{HTTPClient: fake.HTTPClient(), Metrics: m}
	if logs != nil {
		o.Logger = slog.New(slog.NewTextHandler(logs, nil))
	}
	b, err := New(Config{Token: fake.BotToken, ShardCount: count, ShardIDs: ids}, panicky{}, o)
	if err != nil {
		return nil, err
	}
	b.identifyWait = 0
	return b, nil
}

// helpIn runs /help in a guild and returns how many times it was answered.
func helpIn(t *testing.T, fake *fakediscord.Server, guild, id string) int {
	t.Helper()
	token := "tok-" + id
	fake.Dispatch(t, "INTERACTION_CREATE", fakediscord.SlashCommand(fakediscord.SlashOpts{Command: "help", ID: id, Token: token, GuildID: guild}))
	fake.WaitCall(t, 10*time.Second, func(c fakediscord.Call) bool { return strings.Contains(c.Path, token+"/callback") })
	n := 0
	for _, c := range fake.Calls() {
		if strings.Contains(c.Path, token+"/callback") {
			n++
		}
	}
	return n
}

func commandPuts(fake *fakediscord.Server) int {
	n := 0
	for _, c := range fake.Calls() {
		if fakediscord.Match("PUT", "/applications/*/commands")(c) {
			n++
		}
	}
	return n
}

func TestOneProcessRunsTheShardsDiscordRecommends(t *testing.T) {
	t.Parallel()
	fake := fakediscord.New(t)
	fake.RecommendedShards = 3
	m := metrics.New()
	b := shardedBot(t, fake, 0, nil, nil, m)
	got := fake.WaitShards(t, 5*time.Second, 3)
	for i, sh := range got {
		if sh != (fakediscord.Shard{ID: i, Count: 3}) {
			t.Errorf("connection %d is shard %+v, want [%d, 3]", i, sh, i)
		}
	}
	if ids, count := b.Shards(); count != 3 || len(ids) != 3 {
		t.Errorf("Shards() = %v, %d", ids, count)
	}
	if err := b.Ready(); err != nil {
		t.Errorf("Ready() = %v with every shard connected", err)
	}
	if n := commandPuts(fake); n != 1 {
		t.Errorf("commands registered %d times, want once", n)
	}
	for shard := range 3 {
		g := fakediscord.GuildOnShard(shard, 3, 0)
		if n := helpIn(t, fake, g, fmt.Sprintf("90%d", shard)); n != 1 {
			t.Errorf("/help in a guild of shard %d answered %d times, want once", shard, n)
		}
	}

	// Every shard's reconnection is counted.
	fake.WaitHeartbeat(t, 5*time.Second, 3)
	fake.RequestReconnect(t)
	deadline := time.Now().Add(10 * time.Second)
	for gatewayReconnects(t, m) != 3 {
		if time.Now().After(deadline) {
			t.Fatalf("reconnects = %v after one reconnect of 3 shards, want 3", gatewayReconnects(t, m))
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The resumed sessions keep their shards: each guild is still answered
	// once, by its shard.
	deadline = time.Now().Add(5 * time.Second)
	for len(fake.Shards()) != 3 {
		if time.Now().After(deadline) {
			t.Fatalf("connections after the reconnect: %v", fake.Shards())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := fake.Shards(); got[0].ID != 0 || got[1].ID != 1 || got[2].ID != 2 || got[2].Count != 3 {
		t.Errorf("shards after the reconnect: %v", got)
	}
	for shard := range 3 {
		g := fakediscord.GuildOnShard(shard, 3, 1)
		if n := helpIn(t, fake, g, fmt.Sprintf("91%d", shard)); n != 1 {
			t.Errorf("after the reconnect, /help in a guild of shard %d answered %d times, want once", shard, n)
		}
	}

	// A shard whose connection drops is reconnected.
	if err := b.shards[1].session.Close(); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(10 * time.Second)
	for gatewayReconnects(t, m) != 4 {
		if time.Now().After(deadline) {
			t.Fatalf("reconnects = %v after shard 1 dropped, want 4", gatewayReconnects(t, m))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := helpIn(t, fake, fakediscord.GuildOnShard(1, 3, 2), "9201"); n != 1 {
		t.Errorf("after shard 1 reconnected, /help in its guild answered %d times, want once", n)
	}

	// A shard that drops out for good makes the bot not ready.
	b.shards[2].reconnect = false
	if err := b.shards[2].session.Close(); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(5 * time.Second)
	for err := b.Ready(); err == nil || !strings.Contains(err.Error(), "shard(s) 2 of 3"); err = b.Ready() {
		if time.Now().After(deadline) {
			t.Fatalf("Ready() = %v with shard 2 closed", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func gatewayReconnects(t *testing.T, m *metrics.Metrics) float64 {
	t.Helper()
	families, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == "attache_gateway_reconnects_total" {
			return f.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatal("no attache_gateway_reconnects_total")
	return 0
}

func TestTwoProcessesShareTheShards(t *testing.T) {
	t.Parallel()
	fake := fakediscord.New(t)
	var logs0, logs1 syncBuffer
	shardedBot(t, fake, 2, []int{0}, &logs0, nil)
	shardedBot(t, fake, 2, []int{1}, &logs1, nil)
	fake.WaitShards(t, 5*time.Second, 2)
	if n := commandPuts(fake); n != 1 {
		t.Errorf("commands registered %d times by two processes, want once", n)
	}
	if l := logs1.String(); !strings.Contains(l, "slash commands left to the process that runs shard 0") {
		t.Errorf("the process without shard 0 does not say it skips commands:\n%s", l)
	}
	if strings.Contains(logs0.String(), "left to the process") {
		t.Errorf("the process with shard 0 says it skips commands:\n%s", logs0.String())
	}
	for shard := range 2 {
		g := fakediscord.GuildOnShard(shard, 2, 1)
		if n := helpIn(t, fake, g, fmt.Sprintf("80%d", shard)); n != 1 {
			t.Errorf("/help in a guild of shard %d answered %d times, want once", shard, n)
		}
	}
}

func TestShardTakenStopsWithAClearError(t *testing.T) {
	t.Parallel()
	fake := fakediscord.New(t)
	shardedBot(t, fake, 3, []int{1}, nil, nil)
	fake.WaitShards(t, 5*time.Second, 1)
	var logs syncBuffer
	// Shard 0 connects, then shard 1 is refused.
	second, err := newShardedBot(fake, 3, []int{1, 0}, &logs, nil)
	if err != nil {
		t.Fatal(err)
	}
	second.Session().ShouldReconnectOnError = false
	err = second.Open(context.Background())
	if attache.ErrorCode(err) != attache.EINVALID {
		t.Fatalf("Open = %v, want EINVALID", err)
	}
	for _, want := range []string{"shard 1 of 3", "4010", "discord.shard_ids", "discord.shard_count"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if l := logs.String(); !strings.Contains(l, "shard=1") || !strings.Contains(l, "close_code=4010") {
		t.Errorf("the refusal is not logged with the shard and code:\n%s", l)
	}
	if err := second.Ready(); err == nil {
		t.Error("a bot whose shard was refused says it is ready")
	}
	// The refused process's shard 0 was closed again: only the first
	// process's shard is connected.
	deadline := time.Now().Add(5 * time.Second)
	for len(fake.Shards()) != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("connections after the refusal: %v, want only the first process's shard 1", fake.Shards())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestShardSettingsRefused(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name        string
		count       int
		ids         []int
		recommended int
		want        string
		atOpen      bool
	}{
		{name: "negative count", count: -1, want: "discord.shard_count"},
		{name: "id beyond count", count: 2, ids: []int{2}, want: "shard 2 does not exist"},
		{name: "negative id", count: 2, ids: []int{-1}, want: "start at 0"},
		{name: "id twice", count: 2, ids: []int{1, 1}, want: "listed twice"},
		{name: "id beyond Discord's count", ids: []int{1}, recommended: 1, want: "Discord recommends 1", atOpen: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fake := fakediscord.New(t)
			fake.RecommendedShards = c.recommended
			b, err := newShardedBot(fake, c.count, c.ids, nil, nil)
			if c.atOpen {
				if err != nil {
					t.Fatal(err)
				}
				err = b.Open(context.Background())
				if fake.Connected() != 0 {
					t.Error("a bot with invalid shards connected")
				}
			}
			if attache.ErrorCode(err) != attache.EINVALID || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want EINVALID saying %q", err, c.want)
			}
		})
	}
}

func TestShardRefusedOnReconnectStopsTheBot(t *testing.T) {
	t.Parallel()
	fake := fakediscord.New(t)
	var logs syncBuffer
	b := shardedBot(t, fake, 2, []int{1}, &logs, nil)
	fake.WaitHeartbeat(t, 5*time.Second, 1)
	fake.RefuseNextSession(fakediscord.CloseInvalidShard, "Invalid shard.")
	fake.RequestReconnect(t)
	select {
	case err := <-b.Failed():
		if attache.ErrorCode(err) != attache.EINVALID || !strings.Contains(err.Error(), "shard 1 of 2") || !strings.Contains(err.Error(), "discord.shard_ids") {
			t.Errorf("Failed delivered %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a shard refused on reconnect did not stop the bot")
	}
	if err := b.Ready(); err == nil || !strings.Contains(err.Error(), "4010") {
		t.Errorf("Ready() = %v after the refusal", err)
	}
	if l := logs.String(); !strings.Contains(l, "close_code=4010") || strings.Contains(l, "retrying") {
		t.Errorf("the refusal is not logged once, without retries:\n%s", l)
	}
	if n := fake.Connected(); n != 0 {
		t.Errorf("%d connections after the refusal", n)
	}
}
