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
