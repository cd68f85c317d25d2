package fakediscord

import (
	"errors"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

func TestShardOf(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		guild string
		count int
		want  int
	}{
		{"", 4, 0},
		{"not-a-number", 4, 0},
		{"1100000000000000020", 1, 0},
		// 1100000000000000020 >> 22 = 262260437011
		{"1100000000000000020", 2, 1},
		{"1100000000000000020", 7, int(262260437011 % 7)},
		{"4194304", 2, 1}, // 1 << 22
	} {
		if got := ShardOf(c.guild, c.count); got != c.want {
			t.Errorf("ShardOf(%q, %d) = %d, want %d", c.guild, c.count, got, c.want)
		}
	}
	for count := 1; count <= 5; count++ {
		for shard := range count {
			for n := range 3 {
				if g := GuildOnShard(shard, count, n); ShardOf(g, count) != shard {
					t.Errorf("GuildOnShard(%d, %d, %d) = %s is on shard %d", shard, count, n, g, ShardOf(g, count))
				}
			}
		}
	}
	if GuildOnShard(1, 3, 0) == GuildOnShard(1, 3, 1) {
		t.Error("GuildOnShard gives the same guild for different n")
	}
}

// shardSession opens a session on one shard of count and collects the
// guild ids of the MESSAGE_CREATE events it receives.
func shardSession(t *testing.T, fake *Server, shard, count int) <-chan string {
	t.Helper()
	dg := fake.NewSession(t)
	dg.ShardID, dg.ShardCount = shard, count
	got := make(chan string, 16)
	dg.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { got <- m.GuildID })
	fake.Open(t, dg)
	return got
}

func TestDispatchGoesToTheShardThatOwnsTheGuild(t *testing.T) {
	t.Parallel()
	fake := New(t)
	shard0 := shardSession(t, fake, 0, 2)
	shard1 := shardSession(t, fake, 1, 2)
	if got := fake.Shards(); len(got) != 2 || got[0] != (Shard{0, 2}) || got[1] != (Shard{1, 2}) {
		t.Fatalf("Shards() = %v", got)
	}
	g0, g1 := GuildOnShard(0, 2, 0), GuildOnShard(1, 2, 0)
	for _, c := range []struct {
		name  string
		send  func()
		to    <-chan string
		other <-chan string
		guild string
	}{
		{"guild of shard 0", func() { fake.Dispatch(t, "MESSAGE_CREATE", MessageCreate(MessageOpts{GuildID: g0})) }, shard0, shard1, g0},
		{"guild of shard 1", func() { fake.Dispatch(t, "MESSAGE_CREATE", MessageCreate(MessageOpts{GuildID: g1})) }, shard1, shard0, g1},
		{"direct message", func() { fake.Dispatch(t, "MESSAGE_CREATE", MessageCreate(MessageOpts{DM: true})) }, shard0, shard1, ""},
		{"DispatchGuild", func() {
			// The payload names guild g0, but the test routes it as g1's.
			fake.DispatchGuild(t, g1, "MESSAGE_CREATE", MessageCreate(MessageOpts{GuildID: g0}))
		}, shard1, shard0, g0},
	} {
		c.send()
		if g := receive(t, c.to); g != c.guild {
			t.Errorf("%s: the owner received guild %q, want %q", c.name, g, c.guild)
		}
		// Events on one connection arrive in order: a marker sent after the
		// case to the other shard proves it did not get the case's event.
		marker := g0
		if c.other == shard1 {
			marker = g1
		}
		fake.Dispatch(t, "MESSAGE_CREATE", MessageCreate(MessageOpts{GuildID: marker}))
		if g := receive(t, c.other); g != marker {
			t.Errorf("%s: the other shard received guild %q too", c.name, g)
		}
	}
}

func TestGatewayBotRecommendsShards(t *testing.T) {
	t.Parallel()
	fake := New(t)
	fake.RecommendedShards = 3
	dg := fake.NewSession(t)
	gb, err := dg.GatewayBot()
	if err != nil {
		t.Fatal(err)
	}
	if gb.Shards != 3 || strings.TrimSuffix(gb.URL, "/") != fake.GatewayURL() {
		t.Errorf("GatewayBot = %+v, want 3 shards at %s", gb, fake.GatewayURL())
	}
}

func TestShardRefusals(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name         string
		shard, count int
		recommended  int
		require      bool
		taken        bool // shard [0, 2] is connected first
		code         int
	}{
		{name: "out of range", shard: 2, count: 2, code: CloseInvalidShard},
		{name: "negative", shard: -1, count: 2, code: CloseInvalidShard},
		{name: "taken", shard: 0, count: 2, taken: true, code: CloseInvalidShard},
		{name: "too few shards", shard: 0, count: 1, recommended: 2, require: true, code: CloseShardingRequired},
		{name: "other shard is free", shard: 1, count: 2, taken: true},
		{name: "enough shards", shard: 1, count: 2, recommended: 2, require: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fake := New(t)
			fake.RecommendedShards, fake.RequireSharding = c.recommended, c.require
			if c.taken {
				shardSession(t, fake, 0, 2)
			}
			dg := fake.NewSession(t)
			dg.ShardID, dg.ShardCount = c.shard, c.count
			if c.shard < 0 || c.shard >= c.count {
				// discordgo refuses these itself; send them by hand.
				dg.Identify.Shard = &[2]int{c.shard, c.count}
				dg.ShardID, dg.ShardCount = 0, 0
			}
			if c.code == 0 {
				fake.Open(t, dg)
				return
			}
			err := dg.Open()
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != c.code {
				t.Fatalf("Open = %v, want close code %d", err, c.code)
			}
		})
	}
}

func TestRefuseNextSession(t *testing.T) {
	t.Parallel()
	fake := New(t)
	fake.RefuseNextSession(CloseShardingRequired, "Sharding required.")
	dg := fake.NewSession(t)
	var ce *websocket.CloseError
	if err := dg.Open(); !errors.As(err, &ce) || ce.Code != CloseShardingRequired || ce.Text != "Sharding required." {
		t.Fatalf("Open = %v, want close 4011", err)
	}
	// Only the next session is refused.
	fake.Open(t, fake.NewSession(t))
	if n := fake.Connected(); n != 1 {
		t.Errorf("%d clients connected after the refusal, want 1", n)
	}
}
