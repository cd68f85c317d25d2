package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

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
	if _, err := s.pool.Exec(ctx, `INSERT INTO attache_feedback_answers (id, question, answer, passage_ids, quotes, created_at)
		VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6)`, id, f.Question, f.Answer, pj, qj, at); err != nil {
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
	tag, err := s.pool.Exec(ctx, `INSERT INTO attache_feedback_votes (answer_id, user_id, vote, reason, details, at)
		SELECT id, $2, $3, $4, $5, $6 FROM attache_feedback_answers WHERE id = $1
		ON CONFLICT (answer_id, user_id) DO UPDATE SET vote = excluded.vote, reason = excluded.reason,
			details = excluded.details, at = excluded.at`,
		answerID, user, vote, reason, details, time.Now())
	if err != nil {
		return fmt.Errorf("vote: %w", err)
	}
	if tag.RowsAffected() == 0 {
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
	if _, err := s.pool.Exec(ctx, `INSERT INTO attache_feedback_flags (answer_id, user_id, n, at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (answer_id, user_id, n) DO NOTHING`, answerID, user, n, time.Now()); err != nil {
		return fmt.Errorf("flag source: %w", err)
	}
	return nil
}

const answerColumns = `a.id, a.question, a.answer, a.passage_ids::text, a.quotes::text, a.created_at,
	(SELECT count(*) FROM attache_feedback_votes WHERE answer_id = a.id AND vote = 1),
	(SELECT count(*) FROM attache_feedback_votes WHERE answer_id = a.id AND vote = -1)`

func scanAnswer(row pgx.Row) (attache.Feedback, error) {
	var (
		f        attache.Feedback
		pj, qj   string
		up, down int64
	)
	if err := row.Scan(&f.AnswerID, &f.Question, &f.Answer, &pj, &qj, &f.Time, &up, &down); err != nil {
		return f, err
	}
	if err := state.DecodeAnswer(&f, pj, qj); err != nil {
		return f, err
	}
	f.Time = f.Time.UTC()
	f.Up, f.Down = int(up), int(down)
	f.Vote = f.Up - f.Down
	return f, nil
}

// RecordedAnswer returns a recorded answer with its quotes and vote
// counts.
func (s *Store) RecordedAnswer(ctx context.Context, id string) (attache.Feedback, error) {
	f, err := scanAnswer(s.pool.QueryRow(ctx, `SELECT `+answerColumns+` FROM attache_feedback_answers a WHERE id = $1`, id))
	if noRows(err) {
		return attache.Feedback{}, state.NotFound(id)
	}
	if err != nil {
		return attache.Feedback{}, fmt.Errorf("recorded answer: %w", err)
	}
	return f, nil
}

// Feedback returns every answer readers voted on or flagged a source of,
// with the sum of its votes, its vote counts, the reasons given and the
// sources flagged, oldest first.
func (s *Store) Feedback(ctx context.Context) ([]attache.Feedback, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+answerColumns+` FROM attache_feedback_answers a
		WHERE EXISTS (SELECT 1 FROM attache_feedback_votes WHERE answer_id = a.id)
		   OR EXISTS (SELECT 1 FROM attache_feedback_flags WHERE answer_id = a.id)
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
	for i := range out {
		if err := s.feedbackDetails(ctx, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// feedbackDetails fills in the reasons and source flags of an answer.
func (s *Store) feedbackDetails(ctx context.Context, f *attache.Feedback) error {
	rows, err := s.pool.Query(ctx, `SELECT user_id, reason, details FROM attache_feedback_votes
		WHERE answer_id = $1 AND reason != '' ORDER BY at, user_id`, f.AnswerID)
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
	rows, err = s.pool.Query(ctx, `SELECT n, count(*) FROM attache_feedback_flags WHERE answer_id = $1 GROUP BY n ORDER BY n`, f.AnswerID)
	if err != nil {
		return fmt.Errorf("feedback flags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			n     int32
			count int64
		)
		if err := rows.Scan(&n, &count); err != nil {
			return fmt.Errorf("feedback flags: %w", err)
		}
		fl := attache.SourceFlag{N: int(n), Count: int(count)}
		fl.PassageID = state.PassageOf(*f, fl.N)
		f.WrongSources = append(f.WrongSources, fl)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("feedback flags: %w", err)
	}
	return nil
}
