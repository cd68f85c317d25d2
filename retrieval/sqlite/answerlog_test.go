package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"attache"
)

func openLog(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestAnswerLogRoundTripAndRetention(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "index.db")
	s := openLog(t, path)
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	entries := []attache.LoggedAnswer{
		{Time: now.AddDate(0, 0, -40), Question: "Old question?", Outcome: attache.OutcomeRefused, Command: "ask"},
		{Time: now.Add(-time.Hour), Question: "Who signed the accord?", Outcome: attache.OutcomeAnswered,
			DocIDs: []string{"kb/a.md", "kb/b.md"}, LatencyMS: map[string]int64{"retrieve": 12, "generate": 900},
			Model: "m1", Usage: attache.Usage{PromptTokens: 300, CompletionTokens: 40}, Command: "ask", ChannelID: "c1"},
		{Time: now, Question: "When did talks resume?", Outcome: attache.OutcomePartial, DocIDs: []string{"kb/c.md"}, Command: "mention"},
	}
	for _, e := range entries {
		if err := s.LogAnswer(ctx, e, "123456789012345678"); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.LoggedAnswers(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d entries, want 3", len(got))
	}
	e := got[1]
	if !e.Time.Equal(entries[1].Time) || e.Question != entries[1].Question || e.Outcome != attache.OutcomeAnswered ||
		strings.Join(e.DocIDs, ",") != "kb/a.md,kb/b.md" || e.LatencyMS["generate"] != 900 || e.Model != "m1" ||
		e.Usage.PromptTokens != 300 || e.Usage.CompletionTokens != 40 || e.Usage.TotalTokens != 340 ||
		e.Command != "ask" || e.ChannelID != "c1" {
		t.Errorf("round trip: %+v", e)
	}
	if e.UserHash == "" || strings.Contains(e.UserHash, "123456789012345678") {
		t.Errorf("user hash %q", e.UserHash)
	}
	for _, g := range got {
		if g.UserHash != e.UserHash {
			t.Errorf("one user, two hashes: %q %q", g.UserHash, e.UserHash)
		}
	}
	if recent, err := s.LoggedAnswers(ctx, now.Add(-2*time.Hour)); err != nil || len(recent) != 2 {
		t.Errorf("since: %d entries, %v; want 2", len(recent), err)
	}
	n, err := s.PruneAnswerLog(ctx, now.AddDate(0, 0, -30))
	if err != nil || n != 1 {
		t.Fatalf("prune: %d, %v; want 1", n, err)
	}
	left, err := s.LoggedAnswers(ctx, time.Time{})
	if err != nil || len(left) != 2 || left[0].Question != entries[1].Question {
		t.Errorf("after prune: %+v, %v", left, err)
	}
}

func TestAnswerLogNeverStoresRawUserID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openLog(t, filepath.Join(t.TempDir(), "index.db"))
	const user = "987654321098765432"
	if err := s.LogAnswer(ctx, attache.LoggedAnswer{Question: "q?", Outcome: attache.OutcomeAnswered, UserHash: user}, user); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.write.QueryRowContext(ctx, `SELECT count(*) FROM answer_log WHERE instr(user_hash, ?) > 0 OR instr(channel_id, ?) > 0
		OR instr(question, ?) > 0`, user, user, user).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d rows hold the raw user ID", n)
	}
}

func TestAnswerLogSalt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "index.db")
	s := openLog(t, path)
	first, err := s.HashUser(ctx, "u1")
	if err != nil || first == "" {
		t.Fatalf("hash: %q %v", first, err)
	}
	other, _ := s.HashUser(ctx, "u2")
	if other == first {
		t.Error("two users share a hash")
	}
	s.Close()

	// The stored salt is kept across openings of the database.
	again, err := openLog(t, path).HashUser(ctx, "u1")
	if err != nil || again != first {
		t.Errorf("reopened: %q %v, want %q", again, err, first)
	}
	// Another database has its own random salt.
	elsewhere, _ := openLog(t, filepath.Join(dir, "other.db")).HashUser(ctx, "u1")
	if elsewhere == first {
		t.Error("two databases share a salt")
	}
	// A configured salt replaces the stored one, the same in every database.
	for _, p := range []string{path, filepath.Join(dir, "other.db")} {
		st := openLog(t, p)
		st.SetAnswerLogSalt("configured secret")
		h, err := st.HashUser(ctx, "u1")
		if err != nil || h == first || h == elsewhere {
			t.Errorf("%s with a configured salt: %q %v", filepath.Base(p), h, err)
		}
	}
	// Back to the stored salt when the configured one is removed.
	st := openLog(t, path)
	st.SetAnswerLogSalt("configured secret")
	st.SetAnswerLogSalt("")
	if h, err := st.HashUser(ctx, "u1"); err != nil || h != first {
		t.Errorf("configured salt removed: %q %v, want %q", h, err, first)
	}
	a := openLog(t, path)
	a.SetAnswerLogSalt("configured secret")
	b := openLog(t, filepath.Join(dir, "other.db"))
	b.SetAnswerLogSalt("configured secret")
	ha, _ := a.HashUser(ctx, "u1")
	hb, _ := b.HashUser(ctx, "u1")
	if ha != hb {
		t.Errorf("configured salt: %q != %q", ha, hb)
	}
}

func BenchmarkLogAnswer(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "index.db"), Options{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	e := attache.LoggedAnswer{Question: "Who signed the accord?", Outcome: attache.OutcomeAnswered, DocIDs: []string{"kb/a.md", "kb/b.md"},
		LatencyMS: map[string]int64{"retrieve": 12, "generate": 900, "total": 950}, Model: "m", Command: "ask", ChannelID: "c1"}
	for b.Loop() {
		if err := s.LogAnswer(ctx, e, "123456789012345678"); err != nil {
			b.Fatal(err)
		}
	}
}
