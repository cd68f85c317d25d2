package attache

// Reasons a reader can give for an unhelpful answer.
const (
	ReasonWrongSource = "wrong_source"
	ReasonIncomplete  = "incomplete"
	ReasonOutdated    = "outdated"
	ReasonOther       = "other"
)

// VoteReasons lists the reasons in the order they are offered.
var VoteReasons = []string{ReasonWrongSource, ReasonIncomplete, ReasonOutdated, ReasonOther}

// ValidReason reports whether r is one of VoteReasons.
func ValidReason(r string) bool {
	for _, v := range VoteReasons {
		if v == r {
			return true
		}
	}
	return false
}

// Quote is one cited source of an answer with the sentences of its passage
// that the answer quoted or that support it.
type Quote struct {
	N         int      `json:"n"`
	PassageID string   `json:"passage_id,omitempty"`
	Title     string   `json:"title"`
	Date      string   `json:"date,omitempty"`
	URL       string   `json:"url,omitempty"`
	Sentences []string `json:"sentences"`
}

// VoteReason is why a reader found an answer unhelpful.
type VoteReason struct {
	User    string `json:"user,omitempty"`
	Reason  string `json:"reason"`
	Details string `json:"details,omitempty"`
}

// SourceFlag counts the readers who flagged source N of an answer as wrong.
type SourceFlag struct {
	N         int    `json:"n"`
	PassageID string `json:"passage_id,omitempty"`
	Count     int    `json:"count"`
}
