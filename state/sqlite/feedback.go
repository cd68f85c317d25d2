package sqlite

import (
	"context"
	"fmt"
	"time"

	"attache"
	"attache/state"
)

// RecordAnswer keeps an answer so that votes can refer to it, and returns
// its new ID.
func (s *Store) RecordAnswer(ctx context.Context, f attache.Feedback) (string, error) {
	id, err := state.NewAnswerID()
	if err != nil {
		return "", err
	}
	pj, qj, at := state.EncodeAnswer(f)
	if _, err := s.db.ExecContext(ctx, `INSERT INTO feedback_answers (id, question, answer, passage_ids, quotes, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, id, f.Question, f.Answer, pj, qj, at.UnixNano()); err != nil {
		return "", fmt.Errorf("record answer: %w", err)
	}
	return id, nil
}

// Vote records a user's vote on an answer; a second vote by the same user
// replaces the first.
func (s *Store) Vote(ctx context.Context, answerID, user string, vote int) error {
	if err := state.CheckVote(vote); err != nil {
		return err
	}
	return s.vote(ctx, answerID, user, vote, "", "")
}

// VoteReason records a user's unhelpful vote on an answer with its reason
// (one of attache.VoteReasons) and free text; it replaces the user's
// earlier vote.
func (s *Store) VoteReason(ctx context.Context, answerID, user, reason, details string) error {
	if err := state.CheckReason(reason); err != nil {
		return err
	}
	return s.vote(ctx, answerID, user, -1, reason, details)
}

func (s *Store) vote(ctx context.Context, answerID, user string, vote int, reason, details string) error {
	res, err := s.db.ExecContext(ctx, `INSERT INTO feedback_votes (answer_id, user, vote, reason, details, at)
		SELECT id, ?, ?, ?, ?, ? FROM feedback_answers WHERE id = ?
		ON CONFLICT (answer_id, user) DO UPDATE SET vote = excluded.vote, reason = excluded.reason,
			details = excluded.details, at = excluded.at`,
		user, vote, reason, details, time.Now().UnixNano(), answerID)
	if err != nil {
		return fmt.Errorf("vote: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return state.NotFound(answerID)
	}
	return nil
}

// FlagSource records that a user found source n of an answer wrong.
// Flagging the same source twice changes nothing.
func (s *Store) FlagSource(ctx context.Context, answerID, user string, n int) error {
	a, err := s.RecordedAnswer(ctx, answerID)
	if err != nil {
		return err
	}
	if err := state.CheckSource(a, n); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO feedback_flags (answer_id, user, n, at) VALUES (?, ?, ?, ?)
		ON CONFLICT (answer_id, user, n) DO NOTHING`, answerID, user, n, time.Now().UnixNano()); err != nil {
		return fmt.Errorf("flag source: %w", err)
	}
	return nil
}

const answerColumns = `a.id, a.question, a.answer, a.passage_ids, a.quotes, a.created_at,
	(SELECT count(*) FROM feedback_votes WHERE answer_id = a.id AND vote = 1),
	(SELECT count(*) FROM feedback_votes WHERE answer_id = a.id AND vote = -1)`

type scanner interface{ Scan(dest ...any) error }

func scanAnswer(row scanner) (attache.Feedback, error) {
	var (
		f      attache.Feedback
		pj, qj string
		at     int64
	)
	if err := row.Scan(&f.AnswerID, &f.Question, &f.Answer, &pj, &qj, &at, &f.Up, &f.Down); err != nil {
		return f, err
	}
	if err := state.DecodeAnswer(&f, pj, qj); err != nil {
		return f, err
	}
	f.Time = time.Unix(0, at).UTC()
	f.Vote = f.Up - f.Down
	return f, nil
}

// RecordedAnswer returns a recorded answer with its quotes and vote
// counts.
func (s *Store) RecordedAnswer(ctx context.Context, id string) (attache.Feedback, error) {
	f, err := scanAnswer(s.db.QueryRowContext(ctx, `SELECT `+answerColumns+` FROM feedback_answers a WHERE id = ?`, id))
	if errNoRows(err) {
		return attache.Feedback{}, state.NotFound(id)
	}
	if err != nil {
		return attache.Feedback{}, fmt.Errorf("recorded answer: %w", err)
	}
	return f, nil
}

// Feedback returns every answer readers voted on or flagged a source of,
// with the sum of its votes, its vote counts, the reasons given and the
// sources flagged, oldest first (answers nobody reacted to say nothing and
// are left out).
func (s *Store) Feedback(ctx context.Context) ([]attache.Feedback, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+answerColumns+` FROM feedback_answers a
		WHERE EXISTS (SELECT 1 FROM feedback_votes WHERE answer_id = a.id)
		   OR EXISTS (SELECT 1 FROM feedback_flags WHERE answer_id = a.id)
		ORDER BY a.created_at, a.id`)
	if err != nil {
		return nil, fmt.Errorf("feedback: %w", err)
	}
	var out []attache.Feedback
	for rows.Next() {
		f, err := scanAnswer(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("feedback: %w", err)
		}
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feedback: %w", err)
	}
	// The details are read once the list is closed: the store has one
	// connection.
	for i := range out {
		if err := s.feedbackDetails(ctx, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// feedbackDetails fills in the reasons and source flags of an answer.
func (s *Store) feedbackDetails(ctx context.Context, f *attache.Feedback) error {
	rows, err := s.db.QueryContext(ctx, `SELECT user, reason, details FROM feedback_votes
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
	rows, err = s.db.QueryContext(ctx, `SELECT n, count(*) FROM feedback_flags WHERE answer_id = ? GROUP BY n ORDER BY n`, f.AnswerID)
	if err != nil {
		return fmt.Errorf("feedback flags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var fl attache.SourceFlag
		if err := rows.Scan(&fl.N, &fl.Count); err != nil {
			return fmt.Errorf("feedback flags: %w", err)
		}
		fl.PassageID = state.PassageOf(*f, fl.N)
		f.WrongSources = append(f.WrongSources, fl)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("feedback flags: %w", err)
	}
	return nil
}
