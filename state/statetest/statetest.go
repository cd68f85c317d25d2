// Package statetest is the contract every state store passes: feedback
// votes, reasons and flags, the answer log with its salted user hashes,
// and the shared rate limit.
package statetest

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"attache"
	"attache/state"
)

// Open returns a new, empty store for one test; it closes the store when
// the test ends (t.Cleanup). Two calls give two separate stores.
type Open func(t *testing.T) state.Store

// Run runs the contract against the stores that open returns.
func Run(t *testing.T, open Open) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, open Open)
	}{
		{"Votes", testVotes},
		{"ReasonsAndFlags", testReasonsAndFlags},
		{"ConcurrentVotes", testConcurrentVotes},
		{"AnswerLog", testAnswerLog},
		{"AnswerLogUserHash", testAnswerLogUserHash},
		{"AnswerLogSalt", testAnswerLogSalt},
		{"Take", testTake},
		{"TakeRefills", testTakeRefills},
		{"TakeConcurrent", testTakeConcurrent},
		{"PruneBuckets", testPruneBuckets},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, open) })
	}
}

func testVotes(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	id, err := s.RecordAnswer(ctx, attache.Feedback{Question: "What was agreed?", Answer: "A deal [1].",
		PassageIDs: []string{"kb/a.md#0"}, Time: at})
	if err != nil {
		t.Fatal(err)
	}
	silent, err := s.RecordAnswer(ctx, attache.Feedback{Question: "Unvoted?", Answer: "x"})
	if err != nil || silent == id || silent == "" {
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
	if len(got) != 1 {
		t.Fatalf("feedback: %d answers, want the one voted on: %+v", len(got), got)
	}
	f := got[0]
	if f.AnswerID != id || f.Vote != -1 || f.Up != 1 || f.Down != 2 || f.Question != "What was agreed?" ||
		f.Answer != "A deal [1]." || !slices.Equal(f.PassageIDs, []string{"kb/a.md#0"}) || !f.Time.Equal(at) {
		t.Errorf("feedback: %+v", f)
	}
	if len(f.Quotes) != 0 || len(f.Reasons) != 0 || len(f.WrongSources) != 0 {
		t.Errorf("feedback details: %+v", f)
	}
	rec, err := s.RecordedAnswer(ctx, silent)
	if err != nil || rec.AnswerID != silent || rec.Question != "Unvoted?" || rec.Up != 0 || rec.Down != 0 ||
		rec.PassageIDs == nil || rec.Time.IsZero() {
		t.Errorf("unvoted answer: %+v %v", rec, err)
	}
}

func testReasonsAndFlags(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	quotes := []attache.Quote{
		{N: 1, PassageID: "kb/a.md#0", Title: "A", Date: "2020-01-02", URL: "https://example.com/a", Sentences: []string{"The deal was signed."}},
		{N: 2, PassageID: "kb/b.md#3", Title: "B", Sentences: []string{"Talks went on."}},
	}
	id, err := s.RecordAnswer(ctx, attache.Feedback{Question: "q?", Answer: "a [1][2].",
		PassageIDs: []string{"kb/a.md#0", "kb/b.md#3"}, Quotes: quotes})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.RecordedAnswer(ctx, id)
	if err != nil || len(got.Quotes) != 2 || got.Quotes[1].Sentences[0] != "Talks went on." ||
		got.Quotes[0].Date != "2020-01-02" || got.Quotes[0].URL != "https://example.com/a" {
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
	if items, err = s.Feedback(ctx); err != nil || len(items) != 1 || items[0].Up != 2 || len(items[0].Reasons) != 0 {
		t.Errorf("after a changed vote: %+v %v", items, err)
	}

	// An answer with only a flagged source is feedback too, listed after
	// the older one.
	later, err := s.RecordAnswer(ctx, attache.Feedback{Question: "later?", Answer: "b [1].", PassageIDs: []string{"kb/c.md#1"},
		Time: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.FlagSource(ctx, later, "u5", 1); err != nil {
		t.Fatal(err)
	}
	items, err = s.Feedback(ctx)
	if err != nil || len(items) != 2 || items[0].AnswerID != id || items[1].AnswerID != later ||
		len(items[1].WrongSources) != 1 || items[1].WrongSources[0] != (attache.SourceFlag{N: 1, PassageID: "kb/c.md#1", Count: 1}) {
		t.Errorf("flag only: %+v %v", items, err)
	}
}

func testConcurrentVotes(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	id, err := s.RecordAnswer(ctx, attache.Feedback{Question: "q?", Answer: "a"})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Go(func() {
			vote := 1
			if i%4 == 0 {
				vote = -1
			}
			errs <- s.Vote(ctx, id, "u"+string(rune('a'+i)), vote)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	f, err := s.RecordedAnswer(ctx, id)
	if err != nil || f.Up != 12 || f.Down != 4 || f.Vote != 8 {
		t.Errorf("after 16 concurrent votes: up %d down %d vote %d, %v", f.Up, f.Down, f.Vote, err)
	}
}

func testAnswerLog(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	if got, err := s.LoggedAnswers(ctx, time.Time{}); err != nil || len(got) != 0 || got == nil {
		t.Errorf("empty log: %#v %v", got, err)
	}
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	entries := []attache.LoggedAnswer{
		{Time: now.AddDate(0, 0, -40), Question: "Old question?", Outcome: attache.OutcomeRefused, Command: "ask"},
		{Time: now.Add(-time.Hour), Question: "Who signed the accord?", Outcome: attache.OutcomeAnswered,
			DocIDs: []string{"kb/a.md", "kb/b.md"}, LatencyMS: map[string]int64{"retrieve": 12, "generate": 900},
			Model: "m1", Usage: attache.Usage{PromptTokens: 300, CompletionTokens: 40}, Command: "ask", ChannelID: "c1"},
		{Time: now, Question: "When did talks resume?", Outcome: attache.OutcomePartial, DocIDs: []string{"kb/c.md"}, Command: "mention",
			Reason: "detail: date"},
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
	if got[2].Reason != "detail: date" || got[1].Reason != "" {
		t.Errorf("reasons come back %q and %q, want %q and none", got[2].Reason, got[1].Reason, "detail: date")
	}
	if got[0].DocIDs == nil || got[0].LatencyMS == nil {
		t.Errorf("empty lists come back empty, not null: %+v", got[0])
	}
	if recent, err := s.LoggedAnswers(ctx, now.Add(-2*time.Hour)); err != nil || len(recent) != 2 || recent[0].Question != entries[1].Question {
		t.Errorf("since: %+v, %v; want the 2 recent ones", recent, err)
	}
	n, err := s.PruneAnswerLog(ctx, now.AddDate(0, 0, -30))
	if err != nil || n != 1 {
		t.Fatalf("prune: %d, %v; want 1", n, err)
	}
	left, err := s.LoggedAnswers(ctx, time.Time{})
	if err != nil || len(left) != 2 || left[0].Question != entries[1].Question {
		t.Errorf("after prune: %+v, %v", left, err)
	}
	if n, err := s.PruneAnswerLog(ctx, now.AddDate(0, 0, -30)); err != nil || n != 0 {
		t.Errorf("second prune: %d, %v; want 0", n, err)
	}
}

func testAnswerLogUserHash(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	const user = "987654321098765432"
	if err := s.LogAnswer(ctx, attache.LoggedAnswer{Question: "q?", Outcome: attache.OutcomeAnswered, UserHash: user}, user); err != nil {
		t.Fatal(err)
	}
	if err := s.LogAnswer(ctx, attache.LoggedAnswer{Question: "from the CLI", Outcome: attache.OutcomeAnswered, Command: "cli"}, ""); err != nil {
		t.Fatal(err)
	}
	got, err := s.LoggedAnswers(ctx, time.Time{})
	if err != nil || len(got) != 2 {
		t.Fatalf("log: %+v %v", got, err)
	}
	want, err := s.HashUser(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].UserHash != want || want == "" || strings.Contains(want, user) {
		t.Errorf("user hash %q, want %q (HashUser), never the raw ID", got[0].UserHash, want)
	}
	if got[1].UserHash != "" {
		t.Errorf("no user, hash %q", got[1].UserHash)
	}
	if h, err := s.HashUser(ctx, ""); err != nil || h != "" {
		t.Errorf("hash of no user: %q %v", h, err)
	}
}

func testAnswerLogSalt(t *testing.T, open Open) {
	ctx := context.Background()
	a, b := open(t), open(t)
	first, err := a.HashUser(ctx, "u1")
	if err != nil || first == "" {
		t.Fatalf("hash: %q %v", first, err)
	}
	if again, _ := a.HashUser(ctx, "u1"); again != first {
		t.Errorf("one user, two hashes: %q %q", first, again)
	}
	if other, _ := a.HashUser(ctx, "u2"); other == first {
		t.Error("two users share a hash")
	}
	elsewhere, err := b.HashUser(ctx, "u1")
	if err != nil || elsewhere == first {
		t.Errorf("two stores share a salt: %q %v", elsewhere, err)
	}
	a.SetAnswerLogSalt("configured secret")
	b.SetAnswerLogSalt("configured secret")
	ha, _ := a.HashUser(ctx, "u1")
	hb, _ := b.HashUser(ctx, "u1")
	if ha != hb || ha == first || ha == elsewhere {
		t.Errorf("configured salt: %q and %q, stored %q and %q", ha, hb, first, elsewhere)
	}
	a.SetAnswerLogSalt("")
	if h, err := a.HashUser(ctx, "u1"); err != nil || h != first {
		t.Errorf("configured salt removed: %q %v, want %q", h, err, first)
	}
}

func testTake(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	// Six a minute: one token every ten seconds, three at once.
	for i, want := range []bool{true, true, true, false, false} {
		ok, wait, err := s.Take(ctx, "u1", 6, 3, now)
		if err != nil {
			t.Fatal(err)
		}
		if ok != want {
			t.Fatalf("take %d: %v, want %v", i+1, ok, want)
		}
		if ok && wait != 0 || !ok && (wait < 9900*time.Millisecond || wait > 10100*time.Millisecond) {
			t.Errorf("take %d: wait %v", i+1, wait)
		}
	}
	if ok, _, err := s.Take(ctx, "u2", 6, 3, now); err != nil || !ok {
		t.Errorf("another key has its own bucket: %v %v", ok, err)
	}
	if ok, _, err := s.Take(ctx, "u1", 0, 3, now); err != nil || !ok {
		t.Errorf("a zero rate allows everything: %v %v", ok, err)
	}
	if ok, _, err := s.Take(ctx, "u3", 6, 0, now); err != nil || !ok {
		t.Errorf("a burst below one holds one token: %v %v", ok, err)
	}
	if ok, _, err := s.Take(ctx, "u3", 6, 0, now); err != nil || ok {
		t.Errorf("a burst below one holds only one token: %v %v", ok, err)
	}
}

func testTakeRefills(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	take := func(at time.Time) (bool, time.Duration) {
		t.Helper()
		ok, wait, err := s.Take(ctx, "u1", 6, 2, at)
		if err != nil {
			t.Fatal(err)
		}
		return ok, wait
	}
	take(now)
	take(now)
	if ok, wait := take(now.Add(4 * time.Second)); ok || wait < 5900*time.Millisecond || wait > 6100*time.Millisecond {
		t.Errorf("4 s later: %v, wait %v; want refused, about 6 s", ok, wait)
	}
	if ok, _ := take(now.Add(11 * time.Second)); !ok {
		t.Error("11 s later: refused, want a token")
	}
	if ok, _ := take(now.Add(12 * time.Second)); ok {
		t.Error("12 s later: a second token, want none")
	}
	// A long pause fills the bucket to its burst, no more.
	late := now.Add(time.Hour)
	for i, want := range []bool{true, true, false} {
		if ok, _ := take(late); ok != want {
			t.Errorf("an hour later, take %d: %v, want %v", i+1, ok, want)
		}
	}
	// A clock that goes back (another process's) adds nothing.
	if ok, _ := take(late.Add(-time.Minute)); ok {
		t.Error("an earlier time gave a token")
	}
}

func testTakeConcurrent(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		took int
	)
	for range 20 {
		wg.Go(func() {
			ok, _, err := s.Take(ctx, "shared", 1, 5, now)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				took++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if took != 5 {
		t.Errorf("20 concurrent takes from a burst of 5: %d succeeded, want 5", took)
	}
}

func testPruneBuckets(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	t0 := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	take := func(key string, at time.Time) bool {
		t.Helper()
		ok, _, err := s.Take(ctx, key, 1, 1, at)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !take("old", t0) || take("old", t0) {
		t.Fatal("a burst of one does not allow exactly one take")
	}
	take("recent", t0.Add(time.Hour))
	if n, err := s.PruneBuckets(ctx, t0); err != nil || n != 0 {
		t.Errorf("prune before the first use: %d, %v; want none", n, err)
	}
	if n, err := s.PruneBuckets(ctx, t0.Add(time.Minute)); err != nil || n != 1 {
		t.Errorf("prune of the idle bucket: %d, %v; want 1", n, err)
	}
	// A pruned bucket starts full again; the recent one is kept.
	if !take("old", t0.Add(time.Second)) {
		t.Error("a pruned bucket does not start full")
	}
	if take("recent", t0.Add(time.Hour)) {
		t.Error("the recent bucket was pruned")
	}
}
