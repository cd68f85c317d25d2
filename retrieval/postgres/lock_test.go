package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"attache"
	"attache/retrieval"
	"attache/retrieval/storetest"
)

// rawConn opens a plain connection to the test server, outside any store.
func rawConn(t testing.TB) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), testDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// holdWriteLock takes the schema's write lock on a connection of its own, as
// another indexing run would, and returns a function that releases it.
func holdWriteLock(t *testing.T, schema string) func() {
	t.Helper()
	c := rawConn(t)
	if _, err := c.Exec(context.Background(), `SELECT pg_advisory_lock($1, $2)`, lockWrite, schemaKey(schema)); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release := func() {
		once.Do(func() {
			if _, err := c.Exec(context.Background(), `SELECT pg_advisory_unlock($1, $2)`, lockWrite, schemaKey(schema)); err != nil {
				t.Error(err)
			}
		})
	}
	t.Cleanup(release)
	return release
}

func sampleDocs(n int) []retrieval.IndexedDoc { return storetest.Synthetic(n, 2, 30, 7) }

// firstWord returns a query on the first word of a document's first passage.
func firstWord(d retrieval.IndexedDoc) retrieval.Query {
	w, _, _ := strings.Cut(strings.ToLower(d.Passages[0].Text), " ")
	return retrieval.Query{Terms: []retrieval.Term{{Text: strings.Trim(w, ".,"), Weight: 1}}, K: 5}
}

func TestMigrateConcurrentOpens(t *testing.T) {
	testDSN(t)
	schema := uniqueSchema()
	t.Cleanup(func() { dropSchema(t, schema) })
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	stores := make([]*Store, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = Open(context.Background(), testDSN(t), Options{Schema: schema}, nil)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	var rows, version int
	err := rawConn(t).QueryRow(context.Background(),
		"SELECT count(*), max(version) FROM "+pgx.Identifier{schema, versionTable}.Sanitize()).Scan(&rows, &version)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if rows != len(ms) || version != SchemaVersion() {
		t.Errorf("after %d concurrent opens: %d migration rows up to version %d, want %d up to %d", n, rows, version, len(ms), SchemaVersion())
	}
	// Every handle works on the one schema.
	if err := stores[0].Apply(context.Background(), retrieval.Changes{Upsert: sampleDocs(3)}); err != nil {
		t.Fatal(err)
	}
	if st, err := stores[n-1].States(context.Background()); err != nil || len(st) != 3 {
		t.Errorf("another handle sees %d documents, %v; want 3", len(st), err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	s := openTest(t, Options{})
	if err := s.Apply(context.Background(), retrieval.Changes{Upsert: sampleDocs(2)}); err != nil {
		t.Fatal(err)
	}
	future := SchemaVersion() + 1
	if _, err := rawConn(t).Exec(context.Background(), "INSERT INTO "+pgx.Identifier{s.Schema(), versionTable}.Sanitize()+
		" (version, name) VALUES ($1, 'from a newer program')", future); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), testDSN(t), Options{Schema: s.Schema()}, nil)
	if err == nil {
		t.Fatal("a schema of a newer version was opened")
	}
	for _, want := range []string{fmt.Sprintf("version %d", future), "newer than this program supports", s.Schema()} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if attache.ErrorCode(err) != attache.EINVALID {
		t.Errorf("error code %q, want %q", attache.ErrorCode(err), attache.EINVALID)
	}
	// Nothing was touched.
	if st, err := s.States(context.Background()); err != nil || len(st) != 2 {
		t.Errorf("after the refusal: %d documents, %v", len(st), err)
	}
}

func TestApplyBusy(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	docs := sampleDocs(4)
	if err := s.Apply(ctx, retrieval.Changes{Upsert: docs[:2]}); err != nil {
		t.Fatal(err)
	}
	release := holdWriteLock(t, s.Schema())

	// Without waiting: at once, ErrBusy, nothing written, reads go on.
	err := s.Apply(ctx, retrieval.Changes{Upsert: docs[2:]})
	if !errors.Is(err, retrieval.ErrBusy) {
		t.Fatalf("apply while another run writes: %v, want ErrBusy", err)
	}
	if st, err := s.States(ctx); err != nil || len(st) != 2 {
		t.Errorf("while busy: %d documents, %v; want the 2 committed", len(st), err)
	}
	if hits, err := s.Search(ctx, firstWord(docs[0])); err != nil || len(hits) == 0 {
		t.Errorf("search while busy: %d hits, %v", len(hits), err)
	}

	// Waiting: the callback says so once, and the write lands after the
	// other run ends.
	var said atomic.Int32
	w := openSchema(t, s.Schema(), Options{WaitForWriter: func() { said.Add(1) }})
	done := make(chan error, 1)
	go func() { done <- w.Apply(ctx, retrieval.Changes{Upsert: docs[2:]}) }()
	waited := make(chan error, 1)
	go func() { waited <- s.WaitForWriters(ctx) }()
	time.Sleep(200 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("apply finished while another run held the lock: %v", err)
	case err := <-waited:
		t.Fatalf("WaitForWriters returned while another run held the lock: %v", err)
	default:
	}
	release()
	if err := <-done; err != nil {
		t.Fatalf("waiting apply: %v", err)
	}
	if err := <-waited; err != nil {
		t.Fatalf("WaitForWriters: %v", err)
	}
	if said.Load() != 1 {
		t.Errorf("WaitForWriter called %d times, want 1", said.Load())
	}
	if st, err := s.States(ctx); err != nil || len(st) != 4 {
		t.Errorf("after the wait: %d documents, %v; want 4", len(st), err)
	}
}

// writeCorpus writes n small articles under dir.
func writeCorpus(t *testing.T, dir string, n int) {
	t.Helper()
	for i := range n {
		body := fmt.Sprintf("---\ntitle: Report %d on harbour works\ndate: 2021-02-%02d\n---\n\n", i, i%28+1)
		for j := range 6 {
			body += fmt.Sprintf("Paragraph %d of report %d: the harbour authority discussed dredging, cranes and tariffs number %d.\n\n", j, i, i*j)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("r%03d.md", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Two indexing runs at once on one schema, through the real indexer: one
// writes, the other is told the index is busy (or finds it done); after
// both, the index holds every file exactly once.
func TestTwoIndexersAtOnce(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	writeCorpus(t, dir, 60)
	a := openTest(t, Options{})
	b := openSchema(t, a.Schema(), Options{})
	src := []retrieval.Source{{Name: "knowledge", Path: dir}}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	sums := make([]retrieval.Summary, 2)
	for i, st := range []*Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ix := &retrieval.Indexer{Store: st, Sources: src, Logger: slog.New(slog.DiscardHandler)}
			sums[i], errs[i] = ix.Sync(ctx)
		}()
	}
	wg.Wait()
	ok := 0
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, retrieval.ErrBusy):
		default:
			t.Fatalf("run %d: %v", i, err)
		}
	}
	if ok == 0 {
		t.Fatalf("neither run wrote: %v", errs)
	}
	// A run after both finds nothing to do: the index is complete.
	sum, err := (&retrieval.Indexer{Store: b, Sources: src}).Sync(ctx)
	if err != nil || sum.Changed() {
		t.Errorf("a later run: %v, %v; want nothing to change", sum, err)
	}
	st, err := a.Stats(ctx)
	if err != nil || len(st) != 1 || st[0].Documents != 60 || st[0].Passages < 60 {
		t.Fatalf("stats %+v, %v; want 60 documents", st, err)
	}
	df, total, err := a.DocFreq(ctx, []string{"harbour"})
	if err != nil || total != st[0].Passages || df["harbour"] == 0 {
		t.Errorf("DocFreq: %v of %d, %v; want the %d passages counted once", df, total, err, st[0].Passages)
	}
}

// killBackends ends every server process of connections named app.
func killBackends(t *testing.T, app string) int {
	t.Helper()
	var n int
	if err := rawConn(t).QueryRow(context.Background(),
		`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1`, app).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestConnectionsKilled(t *testing.T) {
	ctx := context.Background()
	app := uniqueSchema()
	s := openTest(t, Options{ApplicationName: app})
	docs := sampleDocs(6)
	if err := s.Apply(ctx, retrieval.Changes{Upsert: docs[:5]}); err != nil {
		t.Fatal(err)
	}
	query := firstWord(docs[0])
	want, err := s.Search(ctx, query)
	if err != nil || len(want) == 0 {
		t.Fatalf("search: %d hits, %v", len(want), err)
	}

	// A call in progress when its connection is ended fails, clearly.
	release := holdWriteLock(t, s.Schema())
	waited := make(chan error, 1)
	go func() { waited <- s.WaitForWriters(ctx) }()
	time.Sleep(200 * time.Millisecond)
	if n := killBackends(t, app); n == 0 {
		t.Fatal("no backend of the store to end")
	}
	err = <-waited
	if !errors.Is(err, ErrConnLost) || !strings.Contains(err.Error(), "connection was lost") {
		t.Errorf("call whose connection was ended: %v, want ErrConnLost", err)
	}
	release()

	// The next calls work on new connections, without reopening.
	for i := range 3 {
		hits, err := s.Search(ctx, query)
		if err != nil || len(hits) != len(want) {
			t.Fatalf("search %d after the kill: %d hits, %v", i, len(hits), err)
		}
	}
	// Idle connections ended between calls: at most one call fails, with
	// the clear error, and the next works.
	if n := killBackends(t, app); n == 0 {
		t.Fatal("no idle backend of the store to end")
	}
	if _, err := s.Search(ctx, query); err != nil && !errors.Is(err, ErrConnLost) {
		t.Errorf("search on an ended idle connection: %v, want success or ErrConnLost", err)
	}
	if err := s.Apply(ctx, retrieval.Changes{Upsert: docs[5:]}); err != nil {
		t.Errorf("apply after the kill: %v", err)
	}
	if st, err := s.States(ctx); err != nil || len(st) != 6 {
		t.Errorf("after the kill: %d documents, %v; want 6", len(st), err)
	}
}

// exhaustPool indexes three documents in s, whose pool holds two
// connections, and has both wait for the write lock another run holds. The
// returned function lets the lock go and waits for both.
func exhaustPool(t *testing.T, s *Store) (release func()) {
	t.Helper()
	ctx := context.Background()
	if err := s.Apply(ctx, retrieval.Changes{Upsert: sampleDocs(3)}); err != nil {
		t.Fatal(err)
	}
	unlock := holdWriteLock(t, s.Schema())
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.WaitForWriters(ctx); err != nil {
				t.Errorf("WaitForWriters: %v", err)
			}
		}()
	}
	time.Sleep(200 * time.Millisecond)
	return func() {
		unlock()
		wg.Wait()
	}
}

func TestPoolExhausted(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{MaxConns: 2})
	release := exhaustPool(t, s)
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.States(short)
	if !errors.Is(err, ErrPoolBusy) || !strings.Contains(err.Error(), "database is busy") {
		t.Errorf("call with every connection in use: %v, want ErrPoolBusy", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("call with every connection in use: %v, want it to wait for its deadline", err)
	}
	if waited := time.Since(start); waited < 250*time.Millisecond {
		t.Errorf("call gave up after %v, before its deadline", waited)
	}
	release()
	if st, err := s.States(ctx); err != nil || len(st) != 3 {
		t.Errorf("after the pool is free: %d documents, %v", len(st), err)
	}
}

// A DSN's password never shows in an error, whether the server cannot be
// reached, refuses the login or the string cannot be parsed.
func TestOpenErrorsHidePassword(t *testing.T) {
	const secret = "sekrit-pw-42"
	for _, dsn := range []string{
		"postgres://postgres:" + secret + "@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=2",
		"host=127.0.0.1 port=1 user=postgres password=" + secret + " sslmode=disable connect_timeout=2",
		"postgres://postgres:" + secret + "@127.0.0.1:5432/postgres?sslmode=disable&pool_max_conns=x",
		"postgres://postgres:" + secret + "@[::1/postgres",
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		s, err := Open(ctx, dsn, Options{}, nil)
		cancel()
		if err == nil {
			s.Close()
			t.Errorf("open succeeded")
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error shows the password: %v", err)
		}
	}
}

// With AcquireTimeout, a call whose own context has no deadline still gives
// up waiting for a connection when the timeout passes.
func TestPoolExhaustedAcquireTimeout(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{MaxConns: 2, AcquireTimeout: 300 * time.Millisecond})
	release := exhaustPool(t, s)
	start := time.Now()
	_, err := s.States(ctx)
	if !errors.Is(err, ErrPoolBusy) {
		t.Errorf("call with every connection in use: %v, want ErrPoolBusy", err)
	}
	if waited := time.Since(start); waited < 250*time.Millisecond || waited > 5*time.Second {
		t.Errorf("call gave up after %v, want about the acquire timeout", waited)
	}
	release()
	if st, err := s.States(ctx); err != nil || len(st) != 3 {
		t.Errorf("after the pool is free: %d documents, %v", len(st), err)
	}
}
