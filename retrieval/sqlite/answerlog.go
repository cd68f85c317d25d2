package sqlite

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"attache"
)

// The answer log lives, like feedback, in the index database but outside
// the index schema (tables named answer_log*), so it survives a rebuild.
var answerLogSchema = []string{
	`CREATE TABLE IF NOT EXISTS answer_log (
		at          INTEGER NOT NULL,
		question    TEXT NOT NULL,
		outcome     TEXT NOT NULL,
		doc_ids     TEXT NOT NULL, -- JSON array
		latency_ms  TEXT NOT NULL, -- JSON object, stage -> ms
		model       TEXT NOT NULL,
		prompt_tokens     INTEGER NOT NULL,
		completion_tokens INTEGER NOT NULL,
		command     TEXT NOT NULL,
		channel_id  TEXT NOT NULL,
		user_hash   TEXT NOT NULL
	)`,
	`CREATE INDEX IF NOT EXISTS answer_log_at ON answer_log (at)`,
	// The salt of the user hashes: created once, at random.
	`CREATE TABLE IF NOT EXISTS answer_log_salt (
		id   INTEGER PRIMARY KEY CHECK (id = 1),
		salt TEXT NOT NULL
	)`,
}

type answerLogState struct {
	once       sync.Once
	err        error
	mu         sync.Mutex
	configured []byte // see SetAnswerLogSalt
	stored     []byte // the database's own salt, once read
}

func (s *Store) ensureAnswerLog(ctx context.Context) error {
	s.answerLog.once.Do(func() {
		for _, stmt := range answerLogSchema {
			if _, err := s.write.ExecContext(ctx, stmt); err != nil {
				s.answerLog.err = fmt.Errorf("answer log schema: %w", err)
				return
			}
		}
	})
	return s.answerLog.err
}

// SetAnswerLogSalt makes the answer log hash user IDs with salt instead of
// the random salt kept in the database; "" keeps the stored one.
func (s *Store) SetAnswerLogSalt(salt string) {
	s.answerLog.mu.Lock()
	defer s.answerLog.mu.Unlock()
	s.answerLog.configured = nil
	if salt != "" {
		s.answerLog.configured = []byte(salt)
	}
}

// answerLogSalt returns the salt in use, creating and storing a random one
// the first time a database needs it.
func (s *Store) answerLogSalt(ctx context.Context) ([]byte, error) {
	s.answerLog.mu.Lock()
	defer s.answerLog.mu.Unlock()
	if s.answerLog.configured != nil {
		return s.answerLog.configured, nil
	}
	if s.answerLog.stored != nil {
		return s.answerLog.stored, nil
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("answer log salt: %w", err)
	}
	if _, err := s.write.ExecContext(ctx, `INSERT INTO answer_log_salt (id, salt) VALUES (1, ?) ON CONFLICT (id) DO NOTHING`,
		hex.EncodeToString(b[:])); err != nil {
		return nil, fmt.Errorf("answer log salt: %w", err)
	}
	var salt string
	if err := s.write.QueryRowContext(ctx, `SELECT salt FROM answer_log_salt WHERE id = 1`).Scan(&salt); err != nil {
		return nil, fmt.Errorf("answer log salt: %w", err)
	}
	s.answerLog.stored = []byte(salt)
	return s.answerLog.stored, nil
}

// HashUser returns the salted hash under which the answer log keeps a user
// ID ("" for no user).
func (s *Store) HashUser(ctx context.Context, userID string) (string, error) {
	if userID == "" {
		return "", nil
	}
	if err := s.ensureAnswerLog(ctx); err != nil {
		return "", err
	}
	salt, err := s.answerLogSalt(ctx)
	if err != nil {
		return "", err
	}
	h := hmac.New(sha256.New, salt)
	h.Write([]byte(userID))
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

// LogAnswer adds one question to the answer log. userID is hashed with the
// log's salt; the raw ID is not stored (e.UserHash is ignored).
func (s *Store) LogAnswer(ctx context.Context, e attache.LoggedAnswer, userID string) error {
	if err := s.ensureAnswerLog(ctx); err != nil {
		return err
	}
	hash, err := s.HashUser(ctx, userID)
	if err != nil {
		return err
	}
	docs := e.DocIDs
	if docs == nil {
		docs = []string{}
	}
	dj, _ := json.Marshal(docs)
	lat := e.LatencyMS
	if lat == nil {
		lat = map[string]int64{}
	}
	lj, _ := json.Marshal(lat)
	at := e.Time
	if at.IsZero() {
		at = time.Now()
	}
	if _, err := s.write.ExecContext(ctx, `INSERT INTO answer_log (at, question, outcome, doc_ids, latency_ms, model,
		prompt_tokens, completion_tokens, command, channel_id, user_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		at.UnixNano(), e.Question, e.Outcome, string(dj), string(lj), e.Model,
		e.Usage.PromptTokens, e.Usage.CompletionTokens, e.Command, e.ChannelID, hash); err != nil {
		return fmt.Errorf("log answer: %w", err)
	}
	return nil
}

// LoggedAnswers returns the answer log's entries at or after since, oldest
// first (a zero since returns them all).
func (s *Store) LoggedAnswers(ctx context.Context, since time.Time) ([]attache.LoggedAnswer, error) {
	if err := s.ensureAnswerLog(ctx); err != nil {
		return nil, err
	}
	var from int64
	if !since.IsZero() {
		from = since.UnixNano()
	}
	rows, err := s.write.QueryContext(ctx, `SELECT at, question, outcome, doc_ids, latency_ms, model, prompt_tokens,
		completion_tokens, command, channel_id, user_hash FROM answer_log WHERE at >= ? ORDER BY at, rowid`, from)
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
			&e.Usage.CompletionTokens, &e.Command, &e.ChannelID, &e.UserHash); err != nil {
			return nil, fmt.Errorf("answer log: %w", err)
		}
		e.Time = time.Unix(0, at).UTC()
		e.Usage.TotalTokens = e.Usage.PromptTokens + e.Usage.CompletionTokens
		if err := errors.Join(json.Unmarshal([]byte(dj), &e.DocIDs), json.Unmarshal([]byte(lj), &e.LatencyMS)); err != nil {
			return nil, fmt.Errorf("answer log: %w", err)
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
	if err := s.ensureAnswerLog(ctx); err != nil {
		return 0, err
	}
	res, err := s.write.ExecContext(ctx, `DELETE FROM answer_log WHERE at < ?`, before.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("prune answer log: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
