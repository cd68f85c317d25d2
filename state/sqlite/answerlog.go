package sqlite

import (
	"context"
	"fmt"
	"time"

	"attache"
	"attache/state"
)

// SetAnswerLogSalt makes the answer log hash user IDs with salt instead of
// the random salt kept in the database; "" keeps the stored one.
func (s *Store) SetAnswerLogSalt(salt string) { s.salt.Set(salt) }

// storedSalt returns the database's salt, creating a random one the first
// time.
func (s *Store) storedSalt(ctx context.Context) (string, error) {
	fresh, err := state.NewSalt()
	if err != nil {
		return "", err
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO answer_log_salt (id, salt) VALUES (1, ?) ON CONFLICT (id) DO NOTHING`, fresh); err != nil {
		return "", err
	}
	var salt string
	err = s.db.QueryRowContext(ctx, `SELECT salt FROM answer_log_salt WHERE id = 1`).Scan(&salt)
	return salt, err
}

// HashUser returns the salted hash under which the answer log keeps a user
// ID ("" for no user).
func (s *Store) HashUser(ctx context.Context, userID string) (string, error) {
	if userID == "" {
		return "", nil
	}
	salt, err := s.salt.Get(ctx, s.storedSalt)
	if err != nil {
		return "", err
	}
	return state.HashUser(salt, userID), nil
}

// LogAnswer adds one question to the answer log. userID is hashed with the
// log's salt; the raw ID is not stored (e.UserHash is ignored).
func (s *Store) LogAnswer(ctx context.Context, e attache.LoggedAnswer, userID string) error {
	hash, err := s.HashUser(ctx, userID)
	if err != nil {
		return err
	}
	dj, lj, at := state.EncodeLogged(e)
	if _, err := s.db.ExecContext(ctx, `INSERT INTO answer_log (at, question, outcome, doc_ids, latency_ms, model,
		prompt_tokens, completion_tokens, command, channel_id, user_hash, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		at.UnixNano(), e.Question, e.Outcome, dj, lj, e.Model,
		e.Usage.PromptTokens, e.Usage.CompletionTokens, e.Command, e.ChannelID, hash, e.Reason); err != nil {
		return fmt.Errorf("log answer: %w", err)
	}
	return nil
}

// LoggedAnswers returns the answer log's entries at or after since, oldest
// first (a zero since returns them all).
func (s *Store) LoggedAnswers(ctx context.Context, since time.Time) ([]attache.LoggedAnswer, error) {
	var from int64
	if !since.IsZero() {
		from = since.UnixNano()
	}
	rows, err := s.db.QueryContext(ctx, `SELECT at, question, outcome, doc_ids, latency_ms, model, prompt_tokens,
		completion_tokens, command, channel_id, user_hash, reason FROM answer_log WHERE at >= ? ORDER BY at, rowid`, from)
	if err != nil {
		return nil, fmt.Errorf("answer log: %w", err)
	}
	defer rows.Close()
	out := []attache.LoggedAnswer{}
	for rows.Next() {
		var (
			e      attache.LoggedAnswer
			at     int64
			dj, lj string
		)
		if err := rows.Scan(&at, &e.Question, &e.Outcome, &dj, &lj, &e.Model, &e.Usage.PromptTokens,
			&e.Usage.CompletionTokens, &e.Command, &e.ChannelID, &e.UserHash, &e.Reason); err != nil {
			return nil, fmt.Errorf("answer log: %w", err)
		}
		e.Time = time.Unix(0, at).UTC()
		if err := state.DecodeLogged(&e, dj, lj); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("answer log: %w", err)
	}
	return out, nil
}

// PruneAnswerLog deletes the answer log's entries older than before and
// returns how many went.
func (s *Store) PruneAnswerLog(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM answer_log WHERE at < ?`, before.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("prune answer log: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
