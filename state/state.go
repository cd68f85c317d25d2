// Package state owns what the bot remembers that is not the index: the
// answers readers voted on (votes, reasons, flagged sources), the answer log
// kept for operators, and the per-user rate limit when several processes
// share one budget. The index is a cache of the knowledge folders and may be
// rebuilt or thrown away at any time; this state may not, so it lives in a
// store of its own (state/sqlite in the user state folder, state/postgres
// beside a PostgreSQL index). state/statetest is the contract every store
// passes.
package state

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"attache"
)

// Store is what the bot and the operator console need of the state.
type Store interface {
	// RecordAnswer keeps an answer so that votes can refer to it, and
	// returns its new ID.
	RecordAnswer(ctx context.Context, f attache.Feedback) (string, error)
	// Vote records a user's vote (+1 or -1) on an answer; a second vote by
	// the same user replaces the first, and its reason.
	Vote(ctx context.Context, answerID, user string, vote int) error
	// VoteReason records a user's unhelpful vote with its reason (one of
	// attache.VoteReasons) and free text, replacing the user's earlier vote.
	VoteReason(ctx context.Context, answerID, user, reason, details string) error
	// FlagSource records that a user found source n of an answer wrong;
	// flagging the same source twice changes nothing.
	FlagSource(ctx context.Context, answerID, user string, n int) error
	// RecordedAnswer returns a recorded answer with its quotes and vote
	// counts.
	RecordedAnswer(ctx context.Context, answerID string) (attache.Feedback, error)
	// Feedback returns every answer readers voted on or flagged a source
	// of, with its counts, reasons and flagged sources, oldest first.
	Feedback(ctx context.Context) ([]attache.Feedback, error)

	// SetAnswerLogSalt makes the answer log hash user IDs with salt instead
	// of the random salt kept in the store; "" keeps the stored one.
	SetAnswerLogSalt(salt string)
	// HashUser returns the salted hash under which the answer log keeps a
	// user ID ("" for no user).
	HashUser(ctx context.Context, userID string) (string, error)
	// LogAnswer adds one question to the answer log. userID is hashed; the
	// raw ID is never stored (e.UserHash is ignored).
	LogAnswer(ctx context.Context, e attache.LoggedAnswer, userID string) error
	// LoggedAnswers returns the entries at or after since, oldest first (a
	// zero since returns them all).
	LoggedAnswers(ctx context.Context, since time.Time) ([]attache.LoggedAnswer, error)
	// PruneAnswerLog deletes the entries older than before and returns how
	// many went.
	PruneAnswerLog(ctx context.Context, before time.Time) (int64, error)

	// Take takes a token from the bucket of key, which holds at most burst
	// tokens and gains perMinute a minute; it reports whether one was
	// there and, when not, how long until one will be. Concurrent takes,
	// from any process sharing the store, see one bucket. A rate of zero
	// or less allows everything.
	Take(ctx context.Context, key string, perMinute float64, burst int, now time.Time) (ok bool, wait time.Duration, err error)
	// PruneBuckets deletes the rate limit's buckets last used before
	// before (full again, since) and returns how many went.
	PruneBuckets(ctx context.Context, before time.Time) (int64, error)

	Close() error
}

// NewAnswerID returns a new random ID for a recorded answer.
func NewAnswerID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("answer id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// NewSalt returns a new random salt for the user hashes of the answer log.
func NewSalt() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("answer log salt: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// BucketKey is the form in which a store keeps a rate limit's key: a
// SHA-256, so that the user IDs the keys name are not stored as such.
func BucketKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// HashUser is the answer log's hash of a user ID under salt.
func HashUser(salt []byte, userID string) string {
	if userID == "" {
		return ""
	}
	h := hmac.New(sha256.New, salt)
	h.Write([]byte(userID))
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// CheckVote refuses a vote other than +1 and -1.
func CheckVote(vote int) error {
	if vote != 1 && vote != -1 {
		return attache.Errorf(attache.EINVALID, "a vote is +1 or -1, not %d", vote)
	}
	return nil
}

// CheckReason refuses a reason that is not one of attache.VoteReasons.
func CheckReason(reason string) error {
	if !attache.ValidReason(reason) {
		return attache.Errorf(attache.EINVALID, "unknown reason %q", reason)
	}
	return nil
}

// NotFound is the error for an answer ID that no answer has.
func NotFound(answerID string) error {
	return attache.Errorf(attache.ENOTFOUND, "answer %q not found", answerID)
}

// CheckSource refuses to flag a source that answer a does not cite.
func CheckSource(a attache.Feedback, n int) error {
	for _, q := range a.Quotes {
		if q.N == n {
			return nil
		}
	}
	if n >= 1 && n <= len(a.PassageIDs) {
		return nil
	}
	return attache.Errorf(attache.EINVALID, "answer %q has no source [%d]", a.AnswerID, n)
}

// PassageOf is the passage that answer f cites as [n], "" if unknown.
func PassageOf(f attache.Feedback, n int) string {
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

// EncodeAnswer returns the passage IDs and quotes of f as JSON arrays and
// its time (now when unset), as the stores keep them.
func EncodeAnswer(f attache.Feedback) (passages, quotes string, at time.Time) {
	ids := f.PassageIDs
	if ids == nil {
		ids = []string{}
	}
	pj, _ := json.Marshal(ids)
	qs := f.Quotes
	if qs == nil {
		qs = []attache.Quote{}
	}
	qj, _ := json.Marshal(qs)
	at = f.Time
	if at.IsZero() {
		at = time.Now()
	}
	return string(pj), string(qj), at
}

// DecodeAnswer fills the passage IDs and quotes of f from their JSON.
func DecodeAnswer(f *attache.Feedback, passages, quotes string) error {
	if err := json.Unmarshal([]byte(passages), &f.PassageIDs); err != nil {
		return fmt.Errorf("feedback %s: %w", f.AnswerID, err)
	}
	if err := json.Unmarshal([]byte(quotes), &f.Quotes); err != nil {
		return fmt.Errorf("feedback %s: %w", f.AnswerID, err)
	}
	return nil
}

// EncodeLogged returns the documents and latencies of e as JSON and its
// time (now when unset), as the stores keep them.
func EncodeLogged(e attache.LoggedAnswer) (docs, latency string, at time.Time) {
	d := e.DocIDs
	if d == nil {
		d = []string{}
	}
	dj, _ := json.Marshal(d)
	l := e.LatencyMS
	if l == nil {
		l = map[string]int64{}
	}
	lj, _ := json.Marshal(l)
	at = e.Time
	if at.IsZero() {
		at = time.Now()
	}
	return string(dj), string(lj), at
}

// DecodeLogged fills the documents and latencies of e from their JSON.
func DecodeLogged(e *attache.LoggedAnswer, docs, latency string) error {
	if err := json.Unmarshal([]byte(docs), &e.DocIDs); err != nil {
		return fmt.Errorf("answer log: %w", err)
	}
	if err := json.Unmarshal([]byte(latency), &e.LatencyMS); err != nil {
		return fmt.Errorf("answer log: %w", err)
	}
	e.Usage.TotalTokens = e.Usage.PromptTokens + e.Usage.CompletionTokens
	return nil
}

// Wait is how long a bucket holding tokens (less than one) that gains
// perMinute a minute takes to hold one.
func Wait(tokens, perMinute float64) time.Duration {
	if tokens >= 1 || perMinute <= 0 {
		return 0
	}
	return time.Duration((1 - tokens) / perMinute * float64(time.Minute))
}

// Salt holds the salt of the answer log's user hashes: the configured one
// when set, else the store's own, read (and created) once.
type Salt struct {
	mu         sync.Mutex
	configured []byte
	stored     []byte
}

// Set replaces the stored salt with salt; "" goes back to the stored one.
func (s *Salt) Set(salt string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.configured = nil
	if salt != "" {
		s.configured = []byte(salt)
	}
}

// Get returns the salt in use; load reads the store's own salt, creating
// it the first time, and is called until it succeeds.
func (s *Salt) Get(ctx context.Context, load func(ctx context.Context) (string, error)) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.configured != nil {
		return s.configured, nil
	}
	if s.stored != nil {
		return s.stored, nil
	}
	salt, err := load(ctx)
	if err != nil {
		return nil, fmt.Errorf("answer log salt: %w", err)
	}
	s.stored = []byte(salt)
	return s.stored, nil
}
