package attache

import "time"

// Outcomes of a logged question.
const (
	OutcomeAnswered    = "answered"
	OutcomeRefused     = "refused"
	OutcomePartial     = "partial" // the articles report the event but not the detail asked
	OutcomeError       = "error"
	OutcomeRateLimited = "rate_limited"
	OutcomeBusy        = "busy"
)

// LoggedAnswer is one question of the answer log: what was asked, how it
// ended and what it cost. The asker is kept only as a salted hash.
type LoggedAnswer struct {
	Time     time.Time `json:"time"`
	Question string    `json:"question"`
	Outcome  string    `json:"outcome"`
	// Reason is the answerability rule that refused the question or made
	// its answer partial (Answer.Reason), "" otherwise.
	Reason    string           `json:"reason,omitempty"`
	DocIDs    []string         `json:"doc_ids"`
	LatencyMS map[string]int64 `json:"latency_ms"`
	Model     string           `json:"model,omitempty"`
	Usage     Usage            `json:"usage"`
	Command   string           `json:"command"`
	ChannelID string           `json:"channel_id,omitempty"`
	UserHash  string           `json:"user_hash,omitempty"`
}

// AnswerOutcome classifies a finished answer: answered, partial (some of
// what was asked is reported, cited, but not the detail asked) or refused.
func AnswerOutcome(a Answer) string {
	switch {
	case a.Answered:
		return OutcomeAnswered
	case a.Partial:
		return OutcomePartial
	}
	return OutcomeRefused
}

// CitedDocs lists the documents an answer cites, each once, in order.
func CitedDocs(a Answer) []string {
	ids := []string{}
	seen := map[string]bool{}
	for _, c := range a.Citations {
		if c.DocID == "" || seen[c.DocID] {
			continue
		}
		seen[c.DocID] = true
		ids = append(ids, c.DocID)
	}
	return ids
}
