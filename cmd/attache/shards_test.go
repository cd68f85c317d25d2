package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"attache"
	"attache/bot"
	"attache/internal/fakediscord"
	"attache/retrieval"
	statepostgres "attache/state/postgres"
	"attache/state/postgres/pgtest"
)

// shardFolder is a small folder, so that two processes index it quickly.
const shardFolder = "../../retrieval/testdata/small/southcone"

// shardQ is answered from shardFolder without a model.
const shardQ = "Who led the papal mediation between Chile and Argentina?"

// processHeader marks the REST calls of one serve process.
const processHeader = "X-Test-Process"

// markProcess adds processHeader to every request, so the fake's records
// tell which process made a call.
type markProcess struct {
	name string
	base http.RoundTripper
}

func (m markProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(processHeader, m.name)
	return m.base.RoundTrip(r)
}

// startShard runs `attache serve` in process against fake, running the
// shards ids of count, and stops it when the test ends. It returns once the
// bot is ready.
func startShard(t *testing.T, fake *fakediscord.Server, name string, count int, ids string, extra map[string]string) (stop func()) {
	t.Helper()
	vars := testEnv(t)
	for k, v := range extra {
		vars[k] = v
	}
	vars["ATTACHE_DISCORD_TOKEN"] = fake.BotToken
	vars["ATTACHE_DISCORD_EDIT_INTERVAL"] = "150ms"
	vars["ATTACHE_DISCORD_ALLOW_DMS"] = "true"
	vars["ATTACHE_DISCORD_SHARD_COUNT"] = fmt.Sprint(count)
	vars["ATTACHE_DISCORD_SHARD_IDS"] = ids
	e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return vars[k] }}
	e.flags.knowledge = shardFolder
	e.flags.index = filepath.Join(t.TempDir(), "index.db")
	ctx, cancel := context.WithCancel(context.Background())
	a, err := e.open(ctx)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	beats := heartbeats(fake)
	client := fake.HTTPClient()
	client.Transport = markProcess{name: name, base: client.Transport}
	started := make(chan *bot.Bot, 1)
	hooks := &serveHooks{httpClient: client, started: func(b *bot.Bot, _ *retrieval.Watcher) {
		b.Session().ShouldReconnectOnError = false
		started <- b
	}}
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, e, "", hooks) }()
	var b *bot.Bot
	select {
	case b = <-started:
	case err := <-done:
		cancel()
		t.Fatalf("serve %s stopped: %v", name, err)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatalf("serve %s did not start", name)
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve %s: %v", name, err)
				}
			case <-time.After(40 * time.Second):
				t.Errorf("serve %s did not stop", name)
			}
			a.Close()
		})
	}
	t.Cleanup(stop)
	deadline := time.Now().Add(20 * time.Second)
	for b.Ready() != nil {
		if time.Now().After(deadline) {
			t.Fatalf("serve %s not ready: %v", name, b.Ready())
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A Close that overtakes the first heartbeat makes discordgo reconnect.
	fake.WaitHeartbeat(t, 10*time.Second, beats+1)
	return stop
}

func heartbeats(fake *fakediscord.Server) int {
	n := 0
	for _, f := range fake.Frames() {
		if f.Op == 1 {
			n++
		}
	}
	return n
}

// TestTwoProcessesAnswerEachQuestionOnce runs two serve processes on two
// shards of one fake Discord: each question, in a guild of either shard or
// in a DM, is answered exactly once, by the process that runs its shard,
// and the commands are registered once.
func TestTwoProcessesAnswerEachQuestionOnce(t *testing.T) {
	t.Parallel()
	twoProcesses(t, nil)
}

// TestTwoProcessesOnPostgres runs the same two processes on one PostgreSQL
// database, index and state: both answer from the one index, and the
// questions of both land in the one answer log.
func TestTwoProcessesOnPostgres(t *testing.T) {
	t.Parallel()
	dsn := pgtest.Schema(t)
	twoProcesses(t, map[string]string{
		"ATTACHE_INDEX_DRIVER":          "postgres",
		"ATTACHE_INDEX_DSN":             dsn,
		"ATTACHE_CONSOLE_LOG_QUESTIONS": "true",
	})
	ctx := context.Background()
	st, err := statepostgres.Open(ctx, dsn, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// An entry is written once its answer is sent: wait for the last.
	deadline := time.Now().Add(10 * time.Second)
	var logged []attache.LoggedAnswer
	for {
		logged, err = st.LoggedAnswers(ctx, time.Now().Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(logged) >= 3 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	answered := 0
	for _, e := range logged {
		if e.Question == shardQ && e.Outcome == attache.OutcomeAnswered {
			answered++
		}
	}
	if answered != 3 {
		t.Errorf("the shared answer log holds %d answered questions, want the 3 of both processes: %+v", answered, logged)
	}
}

// twoProcesses starts two serve processes (with the extra environment) on
// shards 0 and 1 of one fake Discord and checks that each question is
// answered once, by the process of its shard.
func twoProcesses(t *testing.T, extra map[string]string) {
	t.Helper()
	fake := fakediscord.New(t)
	startShard(t, fake, "first", 2, "0", extra)
	startShard(t, fake, "second", 2, "1", extra)
	if got := fake.WaitShards(t, 10*time.Second, 2); len(got) != 2 || got[0] != (fakediscord.Shard{ID: 0, Count: 2}) || got[1] != (fakediscord.Shard{ID: 1, Count: 2}) {
		t.Fatalf("gateway connections %v, want shards 0 and 1 of 2", got)
	}
	var puts []fakediscord.Call
	for _, c := range fake.Calls() {
		if fakediscord.Match("PUT", "/applications/*/commands")(c) {
			puts = append(puts, c)
		}
	}
	if len(puts) != 1 || puts[0].Header.Get(processHeader) != "first" {
		t.Errorf("commands registered %d times, want once by the process of shard 0", len(puts))
	}

	mention := "<@" + fakediscord.DefaultBotUserID + "> " + shardQ
	questions := []struct {
		name, id, guild, channel, process string
		dm                                bool
	}{
		{name: "guild of shard 0", id: "9101", guild: fakediscord.GuildOnShard(0, 2, 0), channel: "9100", process: "first"},
		{name: "guild of shard 1", id: "9201", guild: fakediscord.GuildOnShard(1, 2, 0), channel: "9200", process: "second"},
		{name: "direct message", id: "9301", channel: "9300", process: "first", dm: true},
	}
	for _, q := range questions {
		o := fakediscord.MessageOpts{ID: q.id, GuildID: q.guild, ChannelID: q.channel, MentionBot: !q.dm, Content: mention, DM: q.dm}
		if q.dm {
			o.Content = shardQ
		}
		fake.Dispatch(t, "MESSAGE_CREATE", fakediscord.MessageCreate(o))
	}
	slashes := []struct{ guild, token, process string }{
		{fakediscord.GuildOnShard(0, 2, 1), "tok-shard-0", "first"},
		{fakediscord.GuildOnShard(1, 2, 1), "tok-shard-1", "second"},
	}
	for _, s := range slashes {
		fake.Dispatch(t, "INTERACTION_CREATE", fakediscord.SlashCommand(fakediscord.SlashOpts{Command: "help", Token: s.token, GuildID: s.guild}))
	}

	for _, q := range questions {
		final := fake.WaitMessage(t, 30*time.Second, func(m fakediscord.Message) bool {
			return m.ChannelID == q.channel && hasSourcesEmbed(m)
		})
		if !strings.Contains(final.Content, "[1]") {
			t.Errorf("%s: answer %q", q.name, final.Content)
		}
		var replies []fakediscord.Message
		for _, m := range fake.Messages() {
			if m.Kind == fakediscord.KindChannelSend && m.MessageReference != nil && m.MessageReference.MessageID == q.id {
				replies = append(replies, m)
			}
		}
		if len(replies) != 1 {
			t.Errorf("%s: answered %d times, want once", q.name, len(replies))
			continue
		}
		if p := replies[0].Call.Header.Get(processHeader); p != q.process {
			t.Errorf("%s: answered by the %s process, want the %s", q.name, p, q.process)
		}
	}
	for _, s := range slashes {
		fake.WaitCall(t, 10*time.Second, func(c fakediscord.Call) bool { return strings.HasSuffix(c.Path, s.token+"/callback") })
		var by []string
		for _, c := range fake.Calls() {
			if strings.HasSuffix(c.Path, s.token+"/callback") {
				by = append(by, c.Header.Get(processHeader))
			}
		}
		if len(by) != 1 || by[0] != s.process {
			t.Errorf("/help in a guild of the %s process acknowledged by %v, want once by it", s.process, by)
		}
	}
}

// TestSecondProcessOnATakenShardExits starts a process on a shard another
// process runs: it stops at once with an error naming the shard and the
// settings to change, and exits non-zero.
func TestSecondProcessOnATakenShardExits(t *testing.T) {
	t.Parallel()
	fake := fakediscord.New(t)
	startShard(t, fake, "first", 2, "1", nil)
	env := testEnv(t)
	env["ATTACHE_DISCORD_TOKEN"] = fake.BotToken
	env["ATTACHE_DISCORD_API_BASE_URL"] = fake.URL
	env["ATTACHE_DISCORD_SHARD_COUNT"] = "2"
	env["ATTACHE_DISCORD_SHARD_IDS"] = "1"
	code, _, stderr := run(t, env, "--knowledge", shardFolder, "--index", filepath.Join(t.TempDir(), "index.db"), "serve")
	if code == exitOK {
		t.Fatal("serve on a taken shard exited 0")
	}
	for _, want := range []string{"shard 1 of 2", "4010", "discord.shard_ids", "discord.shard_count"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
	if got := fake.Shards(); len(got) != 1 {
		t.Errorf("connections after the refusal: %v, want the first process's only", got)
	}
}

// TestShardRefusedWhileRunningExits refuses a running process's shard when
// it reconnects: serve stops with the reason and exits non-zero instead of
// retrying forever.
func TestShardRefusedWhileRunningExits(t *testing.T) {
	t.Parallel()
	fake := fakediscord.New(t)
	vars := testEnv(t)
	vars["ATTACHE_DISCORD_TOKEN"] = fake.BotToken
	vars["ATTACHE_DISCORD_API_BASE_URL"] = fake.URL
	vars["ATTACHE_DISCORD_SHARD_COUNT"] = "2"
	vars["ATTACHE_DISCORD_SHARD_IDS"] = "0"
	type result struct {
		code   int
		stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, _, stderr := run(t, vars, "--knowledge", shardFolder, "--index", filepath.Join(t.TempDir(), "index.db"), "serve")
		done <- result{code, stderr}
	}()
	fake.WaitShards(t, 30*time.Second, 1)
	fake.WaitHeartbeat(t, 10*time.Second, 1)
	fake.RefuseNextSession(fakediscord.CloseInvalidShard, "Invalid shard.")
	fake.RequestReconnect(t)
	select {
	case r := <-done:
		if r.code == exitOK {
			t.Errorf("serve exited 0 after its shard was refused")
		}
		for _, want := range []string{"shard 0 of 2", "4010", "discord.shard_ids"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("stderr does not say %q:\n%s", want, r.stderr)
			}
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve kept running after its shard was refused")
	}
}

// TestProcessesTakeFreeShards runs processes with
// discord.shards_per_process on one PostgreSQL database: each takes a shard
// nobody runs, one more finds none free and stops with the reason, and once
// a process stops the next one to start takes its shard.
func TestProcessesTakeFreeShards(t *testing.T) {
	t.Parallel()
	dsn := pgtest.Schema(t)
	extra := map[string]string{
		"ATTACHE_INDEX_DRIVER":               "postgres",
		"ATTACHE_INDEX_DSN":                  dsn,
		"ATTACHE_DISCORD_SHARDS_PER_PROCESS": "1",
	}
	fake := fakediscord.New(t)
	stopFirst := startShard(t, fake, "first", 2, "", extra)
	startShard(t, fake, "second", 2, "", extra)
	if got := fake.WaitShards(t, 10*time.Second, 2); len(got) != 2 || got[0].ID != 0 || got[1].ID != 1 {
		t.Fatalf("gateway connections %v, want shards 0 and 1 of 2, one per process", got)
	}

	env := testEnv(t)
	for k, v := range extra {
		env[k] = v
	}
	env["ATTACHE_DISCORD_TOKEN"] = fake.BotToken
	env["ATTACHE_DISCORD_API_BASE_URL"] = fake.URL
	env["ATTACHE_DISCORD_SHARD_COUNT"] = "2"
	code, _, stderr := run(t, env, "--knowledge", shardFolder, "--index", filepath.Join(t.TempDir(), "index.db"), "serve")
	if code == exitOK {
		t.Fatal("a third process with no shard free exited 0")
	}
	for _, want := range []string{"discord.shards_per_process", "every one of the 2 shards"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}

	stopFirst()
	startShard(t, fake, "third", 2, "", extra)
	got := fake.WaitShards(t, 10*time.Second, 2)
	if len(got) != 2 || got[0].ID != 0 || got[1].ID != 1 {
		t.Fatalf("after the first process stopped: connections %v, want shards 0 and 1", got)
	}
	// The newcomer runs shard 0, so it is the one that answers there.
	guild := fakediscord.GuildOnShard(0, 2, 0)
	fake.Dispatch(t, "MESSAGE_CREATE", fakediscord.MessageCreate(fakediscord.MessageOpts{ID: "9401", GuildID: guild, ChannelID: "9400",
		MentionBot: true, Content: "<@" + fakediscord.DefaultBotUserID + "> " + shardQ}))
	final := fake.WaitMessage(t, 30*time.Second, func(m fakediscord.Message) bool { return m.ChannelID == "9400" && hasSourcesEmbed(m) })
	if p := final.Call.Header.Get(processHeader); p != "third" {
		t.Errorf("shard 0 answered by the %s process, want the third", p)
	}
}
