package postgres

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"attache"
	"attache/state"
	"attache/state/postgres/pgtest"
	"attache/state/statetest"
)

func testSchema(t *testing.T) string { return pgtest.Schema(t) }

func open(t *testing.T, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestContract(t *testing.T) {
	t.Parallel()
	testSchema(t) // skips without a database
	statetest.Run(t, func(t *testing.T) state.Store { return open(t, testSchema(t)) })
}

// Processes that start at once migrate the schema once, together.
func TestMigrateConcurrently(t *testing.T) {
	t.Parallel()
	dsn := testSchema(t)
	var wg sync.WaitGroup
	stores := make([]*Store, 6)
	errs := make([]error, len(stores))
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = Open(context.Background(), dsn, nil) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v", i, err)
			continue
		}
		defer stores[i].Close()
	}
	if t.Failed() {
		return
	}
	var versions, latest int
	if err := stores[0].pool.QueryRow(context.Background(), `SELECT count(*), max(version) FROM attache_state_schema_version`).Scan(&versions, &latest); err != nil {
		t.Fatal(err)
	}
	ms, _ := migrations()
	if versions != len(ms) || latest != len(ms) {
		t.Errorf("versions recorded: %d up to %d, want %d", versions, latest, len(ms))
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	dsn := testSchema(t)
	s := open(t, dsn)
	if _, err := s.pool.Exec(context.Background(), `INSERT INTO attache_state_schema_version (version) VALUES (99)`); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), dsn, nil)
	if err == nil || attache.ErrorCode(err) != attache.EINVALID || !strings.Contains(err.Error(), "version 99") ||
		!strings.Contains(err.Error(), "upgrade") {
		t.Errorf("open a newer schema: %v", err)
	}
}

// Two processes (two pools) draw from one budget.
func TestOneBudgetAcrossProcesses(t *testing.T) {
	t.Parallel()
	dsn := testSchema(t)
	a, b := open(t, dsn), open(t, dsn)
	now := time.Now()
	var (
		wg   sync.WaitGroup
		took atomic.Int32
	)
	for i := range 20 {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() {
			ok, _, err := s.Take(context.Background(), "discord:u1", 1, 5, now)
			if err != nil {
				t.Error(err)
			}
			if ok {
				took.Add(1)
			}
		})
	}
	wg.Wait()
	if took.Load() != 5 {
		t.Errorf("%d of 20 takes through two stores succeeded, want 5", took.Load())
	}
	if !a.Shared() {
		t.Error("the PostgreSQL store does not say it is shared")
	}
}

func TestRawUserIDNeverStored(t *testing.T) {
	t.Parallel()
	s := open(t, testSchema(t))
	ctx := context.Background()
	const user = "987654321098765432"
	if err := s.LogAnswer(ctx, attache.LoggedAnswer{Question: "q?", Outcome: attache.OutcomeAnswered, UserHash: user}, user); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM attache_answer_log t WHERE strpos(t::text, $1) > 0`, user).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d rows hold the raw user ID", n)
	}
}

func TestDSNErrorsHidePassword(t *testing.T) {
	t.Parallel()
	_, err := Open(context.Background(), "postgres://attache:s3cretpw@127.0.0.1:5432/x?sslmode=nonsense", nil)
	if err == nil || strings.Contains(err.Error(), "s3cretpw") {
		t.Errorf("bad DSN: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = Open(ctx, "postgres://attache:s3cretpw@127.0.0.1:1/x?sslmode=disable&connect_timeout=2", nil)
	if err == nil || strings.Contains(err.Error(), "s3cretpw") || attache.ErrorCode(err) != attache.EUNAVAILABLE {
		t.Errorf("unreachable database: %v", err)
	}
}

func BenchmarkTake(b *testing.B) {
	s, err := Open(context.Background(), pgtest.Schema(b), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	now := time.Now()
	for b.Loop() {
		if _, _, err := s.Take(context.Background(), "discord:u1", 6, 3, now); err != nil {
			b.Fatal(err)
		}
	}
}

// Processes take the shards nobody holds; a stopped process's shards go to
// the next one that asks.
func TestClaimShards(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.Schema(t)
	open := func() *Store {
		t.Helper()
		s, err := Open(ctx, dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b, c := open(), open(), open()
	idsA, releaseA, err := a.ClaimShards(ctx, 3, 2, nil)
	if err != nil || !slices.Equal(idsA, []int{0, 1}) {
		t.Fatalf("first process: %v, %v; want shards 0 and 1", idsA, err)
	}
	idsB, releaseB, err := b.ClaimShards(ctx, 3, 2, nil)
	if err != nil || !slices.Equal(idsB, []int{2}) {
		t.Fatalf("second process: %v, %v; want shard 2, the one left", idsB, err)
	}
	defer releaseB()
	idsC, releaseC, err := c.ClaimShards(ctx, 3, 1, nil)
	if err != nil || len(idsC) != 0 {
		t.Fatalf("third process: %v, %v; want none free", idsC, err)
	}
	releaseC()
	releaseA()
	idsC, releaseC, err = c.ClaimShards(ctx, 3, 1, nil)
	if err != nil || !slices.Equal(idsC, []int{0}) {
		t.Fatalf("after the first process stopped: %v, %v; want shard 0", idsC, err)
	}
	releaseC()
	// Another schema (another bot) has shards of its own.
	other, err := Open(ctx, pgtest.Schema(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	idsO, releaseO, err := other.ClaimShards(ctx, 3, 1, nil)
	if err != nil || !slices.Equal(idsO, []int{0}) {
		t.Fatalf("another schema: %v, %v; want shard 0", idsO, err)
	}
	releaseO()
}

// A process whose connection holding its shards ends learns of it.
func TestClaimShardsLost(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.Schema(t)
	s, err := Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	defer func(d time.Duration) { shardCheckEvery = d }(shardCheckEvery)
	shardCheckEvery = 50 * time.Millisecond
	lost := make(chan error, 2)
	ids, release, err := s.ClaimShards(ctx, 2, 1, func(err error) { lost <- err })
	if err != nil || len(ids) != 1 {
		t.Fatalf("claim: %v, %v", ids, err)
	}
	defer release()
	var schema string
	if err := s.pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	pgtest.Exec(t, dsn, `SELECT pg_terminate_backend(pid) FROM pg_locks
		WHERE locktype = 'advisory' AND classid = (hashtext('attache_shards:' || $1::text)::bigint & 4294967295)::text::oid`, schema)
	select {
	case err := <-lost:
		if err == nil {
			t.Error("lost called with a nil error")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the lost hold was never reported")
	}
	// The shard is free again for another process.
	other, err := Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	got, rel, err := other.ClaimShards(ctx, 2, 1, nil)
	if err != nil || !slices.Equal(got, ids) {
		t.Errorf("after the loss: %v, %v; want %v", got, err, ids)
	}
	rel()
}
