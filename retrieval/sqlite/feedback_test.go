package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"attache"
)

func TestFeedback(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "index.db")
	s, err := Open(ctx, path, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.RecordAnswer(ctx, attache.Feedback{Question: "What was agreed?", Answer: "A deal [1].", PassageIDs: []string{"kb/a.md#0"}})
	if err != nil {
		t.Fatal(err)
	}
	silent, err := s.RecordAnswer(ctx, attache.Feedback{Question: "Unvoted?", Answer: "x"})
	if err != nil || silent == id {
		t.Fatalf("second answer: %q %v", silent, err)
	}
	for _, v := range []struct {
		user string
		vote int
	}{{"u1", 1}, {"u2", 1}, {"u2", -1}, {"u3", -1}} {
		if err := s.Vote(ctx, id, v.user, v.vote); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Vote(ctx, "nope", "u1", 1); attache.ErrorCode(err) != attache.ENOTFOUND {
		t.Errorf("vote on a missing answer: %v", err)
	}
	if err := s.Vote(ctx, id, "u1", 5); attache.ErrorCode(err) != attache.EINVALID {
		t.Errorf("vote of 5: %v", err)
	}
	got, err := s.Feedback(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].AnswerID != id || got[0].Vote != -1 || got[0].Question != "What was agreed?" ||
		len(got[0].PassageIDs) != 1 || got[0].PassageIDs[0] != "kb/a.md#0" {
		t.Fatalf("feedback: %+v", got)
	}
	s.Close()

	// Votes survive a rebuild of the index schema.
	s2, err := Open(ctx, path, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, err := s2.write.ExecContext(ctx, "PRAGMA user_version = 0"); err != nil {
		t.Fatal(err)
	}
	s2.Close()
	s3, err := Open(ctx, path, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s3.Close()
	got, err = s3.Feedback(ctx)
	if err != nil || len(got) != 1 {
		t.Fatalf("after rebuild: %+v %v", got, err)
	}
}

func TestFeedbackReasonsAndFlags(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "index.db"), Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	quotes := []attache.Quote{
		{N: 1, PassageID: "kb/a.md#0", Title: "A", Date: "2020-01-02", Sentences: []string{"The deal was signed."}},
		{N: 2, PassageID: "kb/b.md#3", Title: "B", Sentences: []string{"Talks went on."}},
	}
	id, err := s.RecordAnswer(ctx, attache.Feedback{Question: "q?", Answer: "a [1][2].", PassageIDs: []string{"kb/a.md#0", "kb/b.md#3"}, Quotes: quotes})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.RecordedAnswer(ctx, id)
	if err != nil || len(got.Quotes) != 2 || got.Quotes[1].Sentences[0] != "Talks went on." || got.Quotes[0].Date != "2020-01-02" {
		t.Fatalf("recorded answer: %+v %v", got, err)
	}
	if _, err := s.RecordedAnswer(ctx, "nope"); attache.ErrorCode(err) != attache.ENOTFOUND {
		t.Errorf("missing answer: %v", err)
	}
	for _, c := range []struct {
		name      string
		run       func() error
		wantError string
	}{
		{"up", func() error { return s.Vote(ctx, id, "u1", 1) }, ""},
		{"reason", func() error { return s.VoteReason(ctx, id, "u2", attache.ReasonOutdated, "2019 figures") }, ""},
		{"unknown reason", func() error { return s.VoteReason(ctx, id, "u3", "boring", "") }, attache.EINVALID},
		{"reason on a missing answer", func() error { return s.VoteReason(ctx, "nope", "u3", attache.ReasonOther, "") }, attache.ENOTFOUND},
		{"flag", func() error { return s.FlagSource(ctx, id, "u2", 2) }, ""},
		{"flag again", func() error { return s.FlagSource(ctx, id, "u2", 2) }, ""},
		{"flag by another", func() error { return s.FlagSource(ctx, id, "u4", 2) }, ""},
		{"flag a source the answer lacks", func() error { return s.FlagSource(ctx, id, "u2", 3) }, attache.EINVALID},
		{"flag on a missing answer", func() error { return s.FlagSource(ctx, "nope", "u2", 1) }, attache.ENOTFOUND},
	} {
		err := c.run()
		if c.wantError == "" && err != nil || c.wantError != "" && attache.ErrorCode(err) != c.wantError {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	items, err := s.Feedback(ctx)
	if err != nil || len(items) != 1 {
		t.Fatalf("feedback: %+v %v", items, err)
	}
	f := items[0]
	if f.Up != 1 || f.Down != 1 || f.Vote != 0 {
		t.Errorf("counts: up %d down %d vote %d", f.Up, f.Down, f.Vote)
	}
	if len(f.Reasons) != 1 || f.Reasons[0] != (attache.VoteReason{User: "u2", Reason: attache.ReasonOutdated, Details: "2019 figures"}) {
		t.Errorf("reasons: %+v", f.Reasons)
	}
	if len(f.WrongSources) != 1 || f.WrongSources[0] != (attache.SourceFlag{N: 2, PassageID: "kb/b.md#3", Count: 2}) {
		t.Errorf("wrong sources: %+v", f.WrongSources)
	}
	// A later 👍 by the same reader replaces the vote and its reason.
	if err := s.Vote(ctx, id, "u2", 1); err != nil {
		t.Fatal(err)
	}
	if items, err = s.Feedback(ctx); err != nil || items[0].Up != 2 || len(items[0].Reasons) != 0 {
		t.Errorf("after a changed vote: %+v %v", items, err)
	}
}

// A database written before reasons, quotes and flags existed keeps its
// votes and gains the new columns.
func TestFeedbackMigratesOldTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "index.db")
	s, err := Open(ctx, path, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`CREATE TABLE feedback_answers (id TEXT PRIMARY KEY, question TEXT NOT NULL, answer TEXT NOT NULL,
			passage_ids TEXT NOT NULL, created_at INTEGER NOT NULL)`,
		`CREATE TABLE feedback_votes (answer_id TEXT NOT NULL REFERENCES feedback_answers (id) ON DELETE CASCADE,
			user TEXT NOT NULL, vote INTEGER NOT NULL CHECK (vote IN (-1, 1)), at INTEGER NOT NULL,
			PRIMARY KEY (answer_id, user)) WITHOUT ROWID`,
		`INSERT INTO feedback_answers VALUES ('old1', 'Old question?', 'Old answer [1].', '["kb/a.md#0"]', 1)`,
		`INSERT INTO feedback_votes VALUES ('old1', 'u1', -1, 2)`,
	} {
		if _, err := s.write.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s, err = Open(ctx, path, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	items, err := s.Feedback(ctx)
	if err != nil || len(items) != 1 || items[0].AnswerID != "old1" || items[0].Vote != -1 || items[0].Down != 1 || len(items[0].Quotes) != 0 {
		t.Fatalf("old votes: %+v %v", items, err)
	}
	if err := s.FlagSource(ctx, "old1", "u2", 1); err != nil {
		t.Errorf("flag on an old answer: %v", err)
	}
	if err := s.VoteReason(ctx, "old1", "u1", attache.ReasonIncomplete, ""); err != nil {
		t.Errorf("reason on an old answer: %v", err)
	}
}
