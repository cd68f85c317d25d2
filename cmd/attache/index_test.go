package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"attache/retrieval"
	"attache/retrieval/sqlite"
	"attache/retrieval/storetest"
)

// indexFixture is a knowledge folder with one article, indexed at index.
type indexFixture struct {
	env       map[string]string
	knowledge string
	index     string
}

func (f indexFixture) args(a ...string) []string {
	return append([]string{"--knowledge", f.knowledge, "--index", f.index}, a...)
}

// newIndexFixture writes the folder; the index goes in indexDir.
func newIndexFixture(t *testing.T, indexDir string) indexFixture {
	t.Helper()
	f := indexFixture{env: testEnv(t), knowledge: filepath.Join(t.TempDir(), "articles"), index: filepath.Join(indexDir, "index.db")}
	writeFile(t, filepath.Join(f.knowledge, "2024-05-01-embassy.md"), "---\ntitle: Embassy Reopens in Havana\ndate: 2024-05-01\n---\n\nThe embassy in Havana resumed full visa processing for walrus keepers on Wednesday.\n")
	return f
}

func (f indexFixture) build(t *testing.T) {
	t.Helper()
	if code, _, errs := run(t, f.env, f.args("index")...); code != 0 {
		t.Fatalf("index: exit %d: %s", code, errs)
	}
}

// addArticle adds a second article, which a query's refresh would index.
func (f indexFixture) addArticle(t *testing.T) {
	t.Helper()
	writeFile(t, filepath.Join(f.knowledge, "2024-06-01-ferry.md"), "---\ntitle: Ferry Service Resumes\ndate: 2024-06-01\n---\n\nA ferry for walrus keepers sails from Key West again.\n")
}

// queryCommands are the commands that bring the index up to date before
// they answer; each must find the first article.
var queryCommands = []struct {
	name string
	args []string
	want string
}{
	{"search", []string{"search", "walrus", "embassy"}, "Embassy Reopens in Havana"},
	{"ask", []string{"ask", "When did the embassy in Havana resume visa processing?"}, "Embassy Reopens in Havana"},
}

// runner runs the CLI and returns its exit code and output.
type runner func(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string)

// checkAnswersBehind runs every query command with run and expects an
// answer from the index as it was, with a warning naming why it may be
// behind.
func checkAnswersBehind(t *testing.T, f indexFixture, run runner, warning string) {
	t.Helper()
	for _, q := range queryCommands {
		code, out, errs := run(t, f.env, f.args(q.args...)...)
		if code != 0 {
			t.Errorf("%s: exit %d: %s", q.name, code, errs)
			continue
		}
		if !strings.Contains(out, q.want) {
			t.Errorf("%s: output lacks %q:\n%s", q.name, q.want, out)
		}
		if strings.Contains(out, "Ferry Service") {
			t.Errorf("%s: found the article added after the index was frozen:\n%s", q.name, out)
		}
		if !strings.Contains(errs, warning) || !strings.Contains(errs, "may be behind") {
			t.Errorf("%s: stderr lacks the warning %q:\n%s", q.name, warning, errs)
		}
	}
}

// signalWriter collects what is written to it and closes seen once the
// text holds want. It is safe for concurrent use.
type signalWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
	once sync.Once
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

func (w *signalWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// holdIndex opens the index independently and keeps a write batch open on
// it until release is called.
func holdIndex(t *testing.T, path string) (release func()) {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path, sqlite.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	inside, hold, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- s.Apply(context.Background(), retrieval.Changes{Stream: func(context.Context, func(retrieval.Change) error) error {
			close(inside)
			<-hold
			return nil
		}})
	}()
	select {
	case <-inside:
	case err := <-done:
		t.Fatalf("holding batch ended early: %v", err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			close(hold)
			if err := <-done; err != nil {
				t.Errorf("holding batch: %v", err)
			}
			s.Close()
		})
	}
	t.Cleanup(release)
	return release
}

func TestQueriesAnswerWhileAnotherProcessWrites(t *testing.T) {
	t.Parallel()
	f := newIndexFixture(t, t.TempDir())
	f.build(t)
	f.addArticle(t)
	release := holdIndex(t, f.index)

	checkAnswersBehind(t, f, run, "another process is writing the index")

	// A second indexing run waits for the first, says so, then indexes
	// what the first left to do.
	errw := &signalWriter{want: waitMessage, seen: make(chan struct{})}
	var out bytes.Buffer
	done := make(chan int, 1)
	go func() {
		getenv := func(k string) string { return f.env[k] }
		done <- Main(context.Background(), f.args("index"), strings.NewReader(""), &out, errw, getenv)
	}()
	select {
	case <-errw.seen:
	case code := <-done:
		t.Fatalf("index did not wait for the other writer: exit %d: %s", code, errw.String())
	}
	release()
	if code := <-done; code != 0 {
		t.Fatalf("waiting index: exit %d: %s", code, errw.String())
	}
	if !strings.Contains(out.String(), "added 1, updated 0, unchanged 1") {
		t.Errorf("waiting index summary: %s", out.String())
	}
}

func TestQueriesAnswerFromReadOnlyIndex(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f := newIndexFixture(t, dir)
	if !storetest.ReadOnlyDir(t, dir, func() { f.build(t) }) {
		t.Skip("no way to make a folder read-only here")
	}
	f.addArticle(t)
	checkAnswersBehind(t, f, run, "the index cannot be written")
	if code, _, errs := run(t, f.env, f.args("index")...); code != 1 || !strings.Contains(errs, "cannot be written") {
		t.Errorf("index on a read-only index: exit %d: %s", code, errs)
	}
}

func TestQueriesAnswerFromIndexOnFullDisk(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if !storetest.MountTmpfs(t, dir, 4<<20) {
		t.Skip("a full disk is simulated with a small tmpfs, which this process may not mount")
	}
	f := newIndexFixture(t, dir)
	f.build(t)
	storetest.FillDisk(t, dir)
	f.addArticle(t)
	checkAnswersBehind(t, f, run, "the index cannot be written")
}

// truncate cuts the file at path to half its size, as a crash of the disk
// or a bad copy would.
func truncate(t *testing.T, path string) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, st.Size()/2); err != nil {
		t.Fatal(err)
	}
}

func TestCorruptIndex(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"search says what to do", nil, []string{"search", "walrus"}, 1, "", "attache index --rebuild"},
		{"index says what to do", nil, []string{"index"}, 1, "", "attache index --rebuild"},
		{"index --rebuild", nil, []string{"index", "--rebuild"}, 0, "added 1", ""},
		{"--rebuild-on-corrupt", nil, []string{"--rebuild-on-corrupt", "search", "walrus"}, 0, "Embassy Reopens", "building it again"},
		{"config key", map[string]string{"ATTACHE_INDEX_REBUILD_ON_CORRUPT": "true"}, []string{"search", "walrus"}, 0, "Embassy Reopens", "building it again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newIndexFixture(t, t.TempDir())
			f.build(t)
			truncate(t, f.index)
			for k, v := range tt.env {
				f.env[k] = v
			}
			code, out, errs := run(t, f.env, f.args(tt.args...)...)
			if code != tt.wantCode || !strings.Contains(out, tt.wantOut) || !strings.Contains(errs, tt.wantErr) {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, out, errs)
			}
			if code != 0 {
				return
			}
			// The index was built again and is whole.
			s, err := sqlite.Open(context.Background(), f.index, sqlite.Options{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Check(context.Background()); err != nil {
				t.Errorf("rebuilt index: %v", err)
			}
		})
	}
}

func TestRebuildLeavesForeignFileAlone(t *testing.T) {
	t.Parallel()
	f := newIndexFixture(t, t.TempDir())
	data := append([]byte("SQLite format 3\x00"), bytes.Repeat([]byte{0x5a}, 8192)...)
	if err := os.WriteFile(f.index, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run(t, f.env, f.args("--rebuild-on-corrupt", "index", "--rebuild")...)
	if code == 0 {
		t.Errorf("rebuild over a file that is not an index succeeded: %s", errs)
	}
	if got, err := os.ReadFile(f.index); err != nil || !bytes.Equal(got, data) {
		t.Errorf("the foreign file was changed (err %v)", err)
	}
}

func TestRebuildReplacesHealthyIndex(t *testing.T) {
	t.Parallel()
	f := newIndexFixture(t, t.TempDir())
	f.build(t)
	f.addArticle(t)
	code, out, errs := run(t, f.env, f.args("index", "--rebuild")...)
	if code != 0 || !strings.Contains(out, "added 2, updated 0, unchanged 0, removed 0") {
		t.Fatalf("index --rebuild: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = run(t, f.env, f.args("search", "--k", "5", "walrus")...)
	if code != 0 || strings.Count(out, "walrus") < 2 {
		t.Errorf("search after rebuild: exit %d\n%s%s", code, out, errs)
	}
}

func TestProgressLine(t *testing.T) {
	t.Parallel()
	clock := time.Unix(1_700_000_000, 0)
	var buf bytes.Buffer
	p := &progressLine{w: &buf, now: func() time.Time { return clock }}
	steps := []struct {
		after time.Duration
		docs  int
		want  string // the whole output so far
	}{
		{0, 1, ""},
		{progressDelay / 2, 10, ""},
		{progressDelay / 2, 20, "\rindexing the knowledge folders: 20 documents written"},
		{progressEvery / 2, 30, "\rindexing the knowledge folders: 20 documents written"},
		{progressEvery / 2, 40, "\rindexing the knowledge folders: 20 documents written\rindexing the knowledge folders: 40 documents written"},
	}
	p.begin()
	for i, s := range steps {
		clock = clock.Add(s.after)
		p.update(s.docs)
		if buf.String() != s.want {
			t.Fatalf("step %d: output %q, want %q", i, buf.String(), s.want)
		}
	}
	p.end()
	if !strings.HasSuffix(buf.String(), "\r\x1b[K") {
		t.Errorf("end does not clear the line: %q", buf.String())
	}
	// A run shorter than the delay shows nothing, not even the clearing.
	buf.Reset()
	p.begin()
	p.update(100)
	p.end()
	if buf.Len() != 0 {
		t.Errorf("a short run wrote %q", buf.String())
	}
}

// TestWriterOpenRebuildsCorruptIndex covers the commands that open the
// index without the query path's retry (serve, eval): damage found when the
// file is opened is repaired too.
func TestWriterOpenRebuildsCorruptIndex(t *testing.T) {
	t.Parallel()
	for _, rebuild := range []bool{false, true} {
		f := newIndexFixture(t, t.TempDir())
		f.build(t)
		truncate(t, f.index)
		var errb bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &errb,
			getenv: func(k string) string { return f.env[k] },
			flags:  globalFlags{knowledge: f.knowledge, index: f.index, rebuildOnCorrupt: rebuild}}
		a, err := e.open(context.Background())
		if !rebuild {
			if !sqlite.IsCorrupt(err) {
				t.Errorf("open of a damaged index without rebuilding: %v, want a corruption error", err)
			}
			if a != nil {
				a.Close()
			}
			continue
		}
		if err != nil {
			t.Fatalf("open with rebuild on corrupt: %v", err)
		}
		sum, err := a.refresh(context.Background())
		a.Close()
		if err != nil || sum.Added != 1 {
			t.Errorf("refresh after the rebuild: %v, %v", sum, err)
		}
		if !strings.Contains(errb.String(), "building it again") {
			t.Errorf("the rebuild was not logged: %s", errb.String())
		}
	}
}
