package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"attache"
)

// Feedback lives in the index database but outside the index schema: its
// tables are named feedback_* and survive a rebuild of the index, which is
// only a cache of the knowledge folders while votes are not.
var feedbackSchema = []string{
	`CREATE TABLE IF NOT EXISTS feedback_answers (
		id          TEXT PRIMARY KEY,
		question    TEXT NOT NULL,
		answer      TEXT NOT NULL,
		passage_ids TEXT NOT NULL, -- JSON array
		created_at  INTEGER NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS feedback_votes (
		answer_id TEXT NOT NULL REFERENCES feedback_answers (id) ON DELETE CASCADE,
		user      TEXT NOT NULL,
		vote      INTEGER NOT NULL CHECK (vote IN (-1, 1)),
		at        INTEGER NOT NULL,
		PRIMARY KEY (answer_id, user)
	) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS feedback_flags (
		answer_id TEXT NOT NULL REFERENCES feedback_answers (id) ON DELETE CASCADE,
		user      TEXT NOT NULL,
		n         INTEGER NOT NULL CHECK (n >= 1),
		at        INTEGER NOT NULL,
		PRIMARY KEY (answer_id, user, n)
	) WITHOUT ROWID`,
}

// feedbackColumns are columns added to the feedback tables after their
// first release; databases that lack them get them, their rows kept.
var feedbackColumns = []struct{ table, column, decl string }{
	{"feedback_answers", "quotes", "TEXT NOT NULL DEFAULT '[]'"}, // JSON array of attache.Quote
	{"feedback_votes", "reason", "TEXT NOT NULL DEFAULT ''"},
	{"feedback_votes", "details", "TEXT NOT NULL DEFAULT ''"},
}

func (s *Store) addFeedbackColumns(ctx context.Context) error {
	for _, c := range feedbackColumns {
		var n int
		if err := s.write.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info(?) WHERE name = ?`, c.table, c.column).Scan(&n); err != nil {
			return fmt.Errorf("feedback schema: %w", err)
		}
		if n > 0 {
			continue
		}
		if _, err := s.write.ExecContext(ctx, "ALTER TABLE "+c.table+" ADD COLUMN "+c.column+" "+c.decl); err != nil {
			return fmt.Errorf("feedback schema: add %s.%s: %w", c.table, c.column, err)
		}
	}
	return nil
}

func (s *Store) ensureFeedback(ctx context.Context) error {
	s.feedbackOnce.Do(func() {
		for _, stmt := range feedbackSchema {
			if _, err := s.write.ExecContext(ctx, stmt); err != nil {
				s.feedbackErr = fmt.Errorf("feedback schema: %w", err)
				return
			}
		}
		s.feedbackErr = s.addFeedbackColumns(ctx)
	})
	return s.feedbackErr
}

// RecordAnswer keeps an answer so that votes can refer to it, and returns
// its new ID.
func (s *Store) RecordAnswer(ctx context.Context, f attache.Feedback) (string, error) {
	if err := s.ensureFeedback(ctx); err != nil {
		return "", err
	}
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("record answer: %w", err)
	}
	id := hex.EncodeToString(b[:])
	ids := f.PassageIDs
	if ids == nil {
		ids = []string{}
	}
	pj, _ := json.Marshal(ids)
	quotes := f.Quotes
	if quotes == nil {
		quotes = []attache.Quote{}
	}
	qj, _ := json.Marshal(quotes)
	at := f.Time
	if at.IsZero() {
		at = time.Now()
	}
	if _, err := s.write.ExecContext(ctx, `INSERT INTO feedback_answers (id, question, answer, passage_ids, quotes, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, id, f.Question, f.Answer, string(pj), string(qj), at.UnixNano()); err != nil {
		return "", fmt.Errorf("record answer: %w", err)
	}
	return id, nil
}

// Vote records a user's vote on an answer; a second vote by the same user
// replaces the first.
func (s *Store) Vote(ctx context.Context, answerID, user string, vote int) error {
	if vote != 1 && vote != -1 {
		return attache.Errorf(attache.EINVALID, "a vote is +1 or -1, not %d", vote)
	}
	if err := s.ensureFeedback(ctx); err != nil {
		return err
	}
	return s.vote(ctx, answerID, user, vote, "", "")
}

// VoteReason records a user's unhelpful vote on an answer with its reason
// (one of attache.VoteReasons) and free text; it replaces the user's
// earlier vote.
func (s *Store) VoteReason(ctx context.Context, answerID, user, reason, details string) error {
	if !attache.ValidReason(reason) {
		return attache.Errorf(attache.EINVALID, "unknown reason %q", reason)
	}
	if err := s.ensureFeedback(ctx); err != nil {
		return err
	}
	return s.vote(ctx, answerID, user, -1, reason, details)
}

func (s *Store) vote(ctx context.Context, answerID, user string, vote int, reason, details string) error {
	res, err := s.write.ExecContext(ctx, `INSERT INTO feedback_votes (answer_id, user, vote, reason, details, at)
		SELECT id, ?, ?, ?, ?, ? FROM feedback_answers WHERE id = ?
		ON CONFLICT (answer_id, user) DO UPDATE SET vote = excluded.vote, reason = excluded.reason,
			details = excluded.details, at = excluded.at`,
		user, vote, reason, details, time.Now().UnixNano(), answerID)
	if err != nil {
		return fmt.Errorf("vote: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return attache.Errorf(attache.ENOTFOUND, "answer %q not found", answerID)
	}
	return nil
}

// FlagSource records that a user found source n of an answer wrong.
// Flagging the same source twice changes nothing.
func (s *Store) FlagSource(ctx context.Context, answerID, user string, n int) error {
	if err := s.ensureFeedback(ctx); err != nil {
		return err
	}
	a, err := s.RecordedAnswer(ctx, answerID)
	if err != nil {
		return err
	}
	if !hasQuote(a, n) {
		return attache.Errorf(attache.EINVALID, "answer %q has no source [%d]", answerID, n)
	}
	if _, err := s.write.ExecContext(ctx, `INSERT INTO feedback_flags (answer_id, user, n, at) VALUES (?, ?, ?, ?)
		ON CONFLICT (answer_id, user, n) DO NOTHING`, answerID, user, n, time.Now().UnixNano()); err != nil {
		return fmt.Errorf("flag source: %w", err)
	}
	return nil
}

func hasQuote(a attache.Feedback, n int) bool {
	for _, q := range a.Quotes {
		if q.N == n {
			return true
		}
	}
	return n >= 1 && n <= len(a.PassageIDs)
}

// RecordedAnswer returns a recorded answer with its quotes and vote
// counts.
func (s *Store) RecordedAnswer(ctx context.Context, id string) (attache.Feedback, error) {
	if err := s.ensureFeedback(ctx); err != nil {
		return attache.Feedback{}, err
	}
	var f attache.Feedback
	var pj, qj string
	var at int64
	err := s.read.QueryRowContext(ctx, `SELECT id, question, answer, passage_ids, quotes, created_at,
		(SELECT count(*) FROM feedback_votes WHERE answer_id = a.id AND vote = 1),
		(SELECT count(*) FROM feedback_votes WHERE answer_id = a.id AND vote = -1)
		FROM feedback_answers a WHERE id = ?`, id).Scan(&f.AnswerID, &f.Question, &f.Answer, &pj, &qj, &at, &f.Up, &f.Down)
	if errors.Is(err, sql.ErrNoRows) {
		return attache.Feedback{}, attache.Errorf(attache.ENOTFOUND, "answer %q not found", id)
	}
	if err != nil {
		return attache.Feedback{}, fmt.Errorf("recorded answer: %w", err)
	}
	if err := decodeAnswer(&f, pj, qj, at); err != nil {
		return attache.Feedback{}, err
	}
	f.Vote = f.Up - f.Down
	return f, nil
}

func decodeAnswer(f *attache.Feedback, pj, qj string, at int64) error {
	if err := json.Unmarshal([]byte(pj), &f.PassageIDs); err != nil {
		return fmt.Errorf("feedback %s: %w", f.AnswerID, err)
	}
	if err := json.Unmarshal([]byte(qj), &f.Quotes); err != nil {
		return fmt.Errorf("feedback %s: %w", f.AnswerID, err)
	}
	f.Time = time.Unix(0, at).UTC()
	return nil
}

// Feedback returns every answer readers voted on or flagged a source of,
// with the sum of its votes, its vote counts, the reasons given and the
// sources flagged, oldest first (answers nobody reacted to say nothing and
// are left out).
func (s *Store) Feedback(ctx context.Context) ([]attache.Feedback, error) {
	if err := s.ensureFeedback(ctx); err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT a.id, a.question, a.answer, a.passage_ids, a.quotes, a.created_at,
		(SELECT count(*) FROM feedback_votes WHERE answer_id = a.id AND vote = 1),
		(SELECT count(*) FROM feedback_votes WHERE answer_id = a.id AND vote = -1)
		FROM feedback_answers a
		WHERE EXISTS (SELECT 1 FROM feedback_votes WHERE answer_id = a.id)
		   OR EXISTS (SELECT 1 FROM feedback_flags WHERE answer_id = a.id)
		ORDER BY a.created_at, a.id`)
	if err != nil {
		return nil, fmt.Errorf("feedback: %w", err)
	}
	var out []attache.Feedback
	for rows.Next() {
		var f attache.Feedback
		var pj, qj string
		var at int64
		if err := rows.Scan(&f.AnswerID, &f.Question, &f.Answer, &pj, &qj, &at, &f.Up, &f.Down); err != nil {
			rows.Close()
			return nil, fmt.Errorf("feedback: %w", err)
		}
		if err := decodeAnswer(&f, pj, qj, at); err != nil {
			rows.Close()
			return nil, err
		}
		f.Vote = f.Up - f.Down
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feedback: %w", err)
	}
	for i := range out {
		if err := s.feedbackDetails(ctx, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// feedbackDetails fills in the reasons and source flags of an answer.
func (s *Store) feedbackDetails(ctx context.Context, f *attache.Feedback) error {
	rows, err := s.read.QueryContext(ctx, `SELECT user, reason, details FROM feedback_votes
		WHERE answer_id = ? AND reason != '' ORDER BY at, user`, f.AnswerID)
	if err != nil {
		return fmt.Errorf("feedback reasons: %w", err)
	}
	for rows.Next() {
		var r attache.VoteReason
		if err := rows.Scan(&r.User, &r.Reason, &r.Details); err != nil {
			rows.Close()
			return fmt.Errorf("feedback reasons: %w", err)
		}
		f.Reasons = append(f.Reasons, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("feedback reasons: %w", err)
	}
	rows, err = s.read.QueryContext(ctx, `SELECT n, count(*) FROM feedback_flags WHERE answer_id = ? GROUP BY n ORDER BY n`, f.AnswerID)
	if err != nil {
		return fmt.Errorf("feedback flags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var fl attache.SourceFlag
		if err := rows.Scan(&fl.N, &fl.Count); err != nil {
			return fmt.Errorf("feedback flags: %w", err)
		}
		fl.PassageID = passageOf(*f, fl.N)
		f.WrongSources = append(f.WrongSources, fl)
	}
	return rows.Err()
}

// passageOf is the passage cited as [n] by an answer.
func passageOf(f attache.Feedback, n int) string {
	for _, q := range f.Quotes {
		if q.N == n && q.PassageID != "" {
			return q.PassageID
		}
	}
	if n >= 1 && n <= len(f.PassageIDs) {
		return f.PassageIDs[n-1]
	}
	return ""
}
