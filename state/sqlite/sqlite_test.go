package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"attache"
	"attache/state"
	"attache/state/statetest"
)

func open(t *testing.T, path string, o Options) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestContract(t *testing.T) {
	t.Parallel()
	statetest.Run(t, func(t *testing.T) state.Store {
		return open(t, filepath.Join(t.TempDir(), "state", FileName), Options{})
	})
}

func TestReopenKeepsVotesSaltAndBuckets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	s := open(t, path, Options{})
	id, err := s.RecordAnswer(ctx, attache.Feedback{Question: "q?", Answer: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Vote(ctx, id, "u1", -1); err != nil {
		t.Fatal(err)
	}
	hash, err := s.HashUser(ctx, "u1")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if ok, _, err := s.Take(ctx, "u1", 1, 1, now); err != nil || !ok {
		t.Fatalf("take: %v %v", ok, err)
	}
	s.Close()

	s = open(t, path, Options{})
	if f, err := s.RecordedAnswer(ctx, id); err != nil || f.Down != 1 {
		t.Errorf("reopened: %+v %v", f, err)
	}
	if again, err := s.HashUser(ctx, "u1"); err != nil || again != hash {
		t.Errorf("reopened hash %q %v, want %q", again, err, hash)
	}
	if ok, _, err := s.Take(ctx, "u1", 1, 1, now); err != nil || ok {
		t.Errorf("reopened bucket gave a second token: %v %v", ok, err)
	}
}

func TestRawUserIDNeverStored(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), FileName), Options{})
	const user = "987654321098765432"
	if err := s.LogAnswer(ctx, attache.LoggedAnswer{Question: "q?", Outcome: attache.OutcomeAnswered, UserHash: user}, user); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM answer_log WHERE instr(user_hash, ?1) > 0 OR instr(channel_id, ?1) > 0
		OR instr(question, ?1) > 0`, user).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d rows hold the raw user ID", n)
	}
}

func TestRefusesOtherFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	for _, tc := range []struct {
		name  string
		setup []string
		want  string
	}{
		{"newer schema", nil, "newer than this release"},
		{"another application", []string{"PRAGMA application_id = 7"}, "not an Attaché state database"},
		{"a database with tables", []string{"CREATE TABLE t (x)"}, "not an Attaché state database"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".db")
			if tc.setup == nil {
				open(t, path, Options{}).Close()
				tc.setup = []string{fmt.Sprintf("PRAGMA user_version = %d", schemaVersion+1)}
			}
			execAll(t, path, tc.setup...)
			_, err := Open(ctx, path, Options{}, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) ||
				attache.ErrorCode(err) != attache.EINVALID {
				t.Errorf("open: %v; want %q naming the file", err, tc.want)
			}
		})
	}
}

func execAll(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range stmts {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}

// oldIndex writes the feedback and answer log tables as the index kept them
// before the state database, with rows: first, tables of the first release
// (no quotes, reasons or flags), then the columns added later.
func oldIndex(t *testing.T, path string, latest bool) {
	t.Helper()
	stmts := []string{
		`CREATE TABLE documents (id TEXT PRIMARY KEY)`, // stands for the index itself
		`CREATE TABLE feedback_answers (id TEXT PRIMARY KEY, question TEXT NOT NULL, answer TEXT NOT NULL,
			passage_ids TEXT NOT NULL, created_at INTEGER NOT NULL)`,
		`CREATE TABLE feedback_votes (answer_id TEXT NOT NULL REFERENCES feedback_answers (id) ON DELETE CASCADE,
			user TEXT NOT NULL, vote INTEGER NOT NULL CHECK (vote IN (-1, 1)), at INTEGER NOT NULL,
			PRIMARY KEY (answer_id, user)) WITHOUT ROWID`,
		`INSERT INTO feedback_answers VALUES ('old1', 'Old question?', 'Old answer [1].', '["kb/a.md#0"]', 1000)`,
		`INSERT INTO feedback_answers VALUES ('old2', 'Unvoted?', 'Nothing.', '[]', 2000)`,
		`INSERT INTO feedback_votes VALUES ('old1', 'u1', -1, 2000)`,
		`INSERT INTO feedback_votes VALUES ('old1', 'u2', 1, 3000)`,
	}
	if latest {
		stmts = append(stmts,
			`ALTER TABLE feedback_answers ADD COLUMN quotes TEXT NOT NULL DEFAULT '[]'`,
			`ALTER TABLE feedback_votes ADD COLUMN reason TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE feedback_votes ADD COLUMN details TEXT NOT NULL DEFAULT ''`,
			`UPDATE feedback_answers SET quotes = '[{"n":1,"passage_id":"kb/a.md#0","title":"A","sentences":["It was so."]}]' WHERE id = 'old1'`,
			`UPDATE feedback_votes SET reason = 'outdated', details = 'old figures' WHERE user = 'u1'`,
			`CREATE TABLE feedback_flags (answer_id TEXT NOT NULL REFERENCES feedback_answers (id) ON DELETE CASCADE,
				user TEXT NOT NULL, n INTEGER NOT NULL CHECK (n >= 1), at INTEGER NOT NULL,
				PRIMARY KEY (answer_id, user, n)) WITHOUT ROWID`,
			`INSERT INTO feedback_flags VALUES ('old1', 'u3', 1, 4000)`,
			`CREATE TABLE answer_log (at INTEGER NOT NULL, question TEXT NOT NULL, outcome TEXT NOT NULL,
				doc_ids TEXT NOT NULL, latency_ms TEXT NOT NULL, model TEXT NOT NULL, prompt_tokens INTEGER NOT NULL,
				completion_tokens INTEGER NOT NULL, command TEXT NOT NULL, channel_id TEXT NOT NULL, user_hash TEXT NOT NULL)`,
			`CREATE INDEX answer_log_at ON answer_log (at)`,
			`CREATE TABLE answer_log_salt (id INTEGER PRIMARY KEY CHECK (id = 1), salt TEXT NOT NULL)`,
			`INSERT INTO answer_log_salt VALUES (1, 'old salt')`,
			`INSERT INTO answer_log VALUES (5000, 'Logged?', 'answered', '["kb/a.md"]', '{"total":12}', 'm', 10, 2, 'ask', 'c1', 'h1')`,
			`INSERT INTO answer_log VALUES (6000, 'Refused?', 'refused', '[]', '{}', '', 0, 0, 'mention', 'c2', 'h2')`,
		)
	}
	execAll(t, path, stmts...)
}

func TestImportFromIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, latest := range []bool{false, true} {
		t.Run(fmt.Sprintf("latest=%v", latest), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			index := filepath.Join(dir, "index.db")
			oldIndex(t, index, latest)
			var logs bytes.Buffer
			path := filepath.Join(dir, "state", FileName)
			s, err := Open(ctx, path, Options{ImportFrom: index}, slog.New(slog.NewTextHandler(&logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			want := "answers=2 votes=2 flags=0 logged_questions=0"
			if latest {
				want = "answers=2 votes=2 flags=1 logged_questions=2"
			}
			if !strings.Contains(logs.String(), want) {
				t.Errorf("log %q lacks %q", logs.String(), want)
			}
			items, err := s.Feedback(ctx)
			if err != nil || len(items) != 1 {
				t.Fatalf("feedback: %+v %v", items, err)
			}
			f := items[0]
			if f.AnswerID != "old1" || f.Up != 1 || f.Down != 1 || f.Question != "Old question?" || !f.Time.Equal(time.Unix(0, 1000)) {
				t.Errorf("moved answer: %+v", f)
			}
			if latest && (len(f.Quotes) != 1 || f.Quotes[0].Sentences[0] != "It was so." || len(f.Reasons) != 1 ||
				f.Reasons[0].Details != "old figures" || len(f.WrongSources) != 1 || f.WrongSources[0].Count != 1) {
				t.Errorf("moved details: %+v", f)
			}
			if !latest && (len(f.Quotes) != 0 || len(f.Reasons) != 0) {
				t.Errorf("first release details: %+v", f)
			}
			logged, err := s.LoggedAnswers(ctx, time.Time{})
			if err != nil || latest && (len(logged) != 2 || logged[0].Question != "Logged?" || logged[0].UserHash != "h1" ||
				logged[0].LatencyMS["total"] != 12) || !latest && len(logged) != 0 {
				t.Errorf("moved log: %+v %v", logged, err)
			}
			if latest {
				// The old salt keeps every user's hash.
				h, _ := s.HashUser(ctx, "u1")
				if h != state.HashUser([]byte("old salt"), "u1") {
					t.Errorf("hash %q does not use the moved salt", h)
				}
			}
			// New votes go on as before, on moved answers too.
			if err := s.FlagSource(ctx, "old1", "u9", 1); err != nil {
				t.Errorf("flag a moved answer: %v", err)
			}
			s.Close()

			// Once only: a second opening moves nothing again, and the
			// index keeps its tables.
			logs.Reset()
			s2, err := Open(ctx, path, Options{ImportFrom: index}, slog.New(slog.NewTextHandler(&logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer s2.Close()
			if logs.Len() != 0 {
				t.Errorf("second opening logged %q", logs.String())
			}
			if items, err := s2.Feedback(ctx); err != nil || len(items) != 1 || items[0].Down != 1 {
				t.Errorf("after a second opening: %+v %v", items, err)
			}
			db, err := sql.Open("sqlite", dsn(index, "mode=ro"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var n int
			if err := db.QueryRow(`SELECT count(*) FROM feedback_votes`).Scan(&n); err != nil || n != 2 {
				t.Errorf("index kept %d votes, %v; want 2", n, err)
			}
		})
	}
}

func TestImportWithoutIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	index := filepath.Join(dir, "index.db")
	execAll(t, index, `CREATE TABLE documents (id TEXT PRIMARY KEY)`)
	for _, from := range []string{"", filepath.Join(dir, "missing.db"), index} {
		s, err := Open(ctx, filepath.Join(t.TempDir(), FileName), Options{ImportFrom: from}, nil)
		if err != nil {
			t.Fatalf("import from %q: %v", from, err)
		}
		if items, err := s.Feedback(ctx); err != nil || len(items) != 0 {
			t.Errorf("import from %q: %+v %v", from, items, err)
		}
		s.Close()
	}
}

func BenchmarkTake(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), FileName), Options{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	now := time.Now()
	for b.Loop() {
		if _, _, err := s.Take(ctx, "u1", 6, 3, now); err != nil {
			b.Fatal(err)
		}
	}
}

// TestUpgradeFromVersion1 opens a state file written by a release whose
// answer log kept no reasons: its rows stay, with no reason, and new ones
// keep theirs.
func TestUpgradeFromVersion1(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	s := open(t, path, Options{})
	old := attache.LoggedAnswer{Time: time.Now().Add(-time.Hour), Question: "Old?", Outcome: attache.OutcomeRefused, Command: "ask"}
	if err := s.LogAnswer(ctx, old, ""); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// The version 1 schema: the same tables without the reason column.
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{`ALTER TABLE answer_log DROP COLUMN reason`, `PRAGMA user_version = 1`} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s = open(t, path, Options{})
	if err := s.LogAnswer(ctx, attache.LoggedAnswer{Time: time.Now(), Question: "New?", Outcome: attache.OutcomeRefused,
		Command: "ask", Reason: "names: Peru"}, ""); err != nil {
		t.Fatal(err)
	}
	got, err := s.LoggedAnswers(ctx, time.Time{})
	if err != nil || len(got) != 2 {
		t.Fatalf("after the upgrade: %+v %v", got, err)
	}
	if got[0].Question != "Old?" || got[0].Reason != "" || got[1].Reason != "names: Peru" {
		t.Errorf("after the upgrade: %+v", got)
	}
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil || version != schemaVersion {
		t.Errorf("schema version %d (%v), want %d", version, err, schemaVersion)
	}
}
