package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
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
}

func (s *Store) ensureFeedback(ctx context.Context) error {
	s.feedbackOnce.Do(func() {
		for _, stmt := range feedbackSchema {
			if _, err := s.write.ExecContext(ctx, stmt); err != nil {
				s.feedbackErr = fmt.Errorf("feedback schema: %w", err)
				return
			}
		}
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
	at := f.Time
	if at.IsZero() {
		at = time.Now()
	}
	if _, err := s.write.ExecContext(ctx, `INSERT INTO feedback_answers (id, question, answer, passage_ids, created_at)
		VALUES (?, ?, ?, ?, ?)`, id, f.Question, f.Answer, string(pj), at.UnixNano()); err != nil {
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
	res, err := s.write.ExecContext(ctx, `INSERT INTO feedback_votes (answer_id, user, vote, at)
		SELECT id, ?, ?, ? FROM feedback_answers WHERE id = ?
		ON CONFLICT (answer_id, user) DO UPDATE SET vote = excluded.vote, at = excluded.at`,
		user, vote, time.Now().UnixNano(), answerID)
	if err != nil {
		return fmt.Errorf("vote: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return attache.Errorf(attache.ENOTFOUND, "answer %q not found", answerID)
	}
	return nil
}

// Feedback returns every voted answer with the sum of its votes, oldest
// first (answers nobody voted on are left out: they say nothing).
func (s *Store) Feedback(ctx context.Context) ([]attache.Feedback, error) {
	if err := s.ensureFeedback(ctx); err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT a.id, a.question, a.answer, a.passage_ids, a.created_at, sum(v.vote)
		FROM feedback_answers a JOIN feedback_votes v ON v.answer_id = a.id
		GROUP BY a.id ORDER BY a.created_at, a.id`)
	if err != nil {
		return nil, fmt.Errorf("feedback: %w", err)
	}
	defer rows.Close()
	var out []attache.Feedback
	for rows.Next() {
		var f attache.Feedback
		var pj string
		var at int64
		var sum sql.NullInt64
		if err := rows.Scan(&f.AnswerID, &f.Question, &f.Answer, &pj, &at, &sum); err != nil {
			return nil, fmt.Errorf("feedback: %w", err)
		}
		if err := json.Unmarshal([]byte(pj), &f.PassageIDs); err != nil {
			return nil, fmt.Errorf("feedback %s: %w", f.AnswerID, err)
		}
		f.Time = time.Unix(0, at).UTC()
		f.Vote = int(sum.Int64)
		out = append(out, f)
	}
	return out, rows.Err()
}
