// Package attache holds the domain types shared by every part of Attaché: the
// documents that are indexed, the passages they are cut into, the search hits,
// the citations and answers given back to people, and the error codes that the
// edges (CLI, Discord) turn into safe messages.
//
// The package depends on nothing but the standard library. Adapters live in
// sub-packages (retrieval, answer, llm, bot) that import this one and never
// each other; cmd/attache wires them together.
package attache

import (
	"strings"
	"time"
)

// Document is one article from a knowledge source.
type Document struct {
	// ID is stable across runs: the source name, a slash, and the path
	// relative to the source folder ("knowledge/2021-07-22-cuba.md").
	ID string `json:"doc_id"`
	// Source is the name of the configured source the file came from.
	Source string `json:"source"`
	// Path is the file path relative to the source folder, with forward slashes.
	Path  string `json:"path"`
	Title string `json:"title"`
	// Date is the publication date as an ISO 8601 prefix: "2006-01-02",
	// "2006-01" or "2006" when only that much is known, "" when unknown.
	// Prefixes sort and compare as strings.
	Date     string   `json:"date"`
	URL      string   `json:"url"`
	Outlet   string   `json:"outlet,omitempty"`
	Language string   `json:"language,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	// Text is the article body as plain text (Markdown markup kept light),
	// paragraphs separated by blank lines. Passage offsets index into it.
	Text string `json:"-"`
	// Hash is the hex SHA-256 of the raw file bytes; in the index it is
	// followed by the chunking settings the passages were cut with.
	Hash string `json:"hash,omitempty"`
	// Size and ModTime describe the file when it was read.
	Size    int64     `json:"-"`
	ModTime time.Time `json:"-"`
}

// Passage is a contiguous piece of a document, the unit of retrieval and citation.
type Passage struct {
	// ID is the document ID, '#', and the ordinal.
	ID      string `json:"passage_id"`
	DocID   string `json:"doc_id"`
	Ordinal int    `json:"ordinal"`
	// Start and End are byte offsets of Text within Document.Text.
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`

	// Copied from the document so that a hit can be shown without another look-up.
	Title  string `json:"title"`
	Date   string `json:"date"`
	URL    string `json:"url"`
	Source string `json:"source"`
	Path   string `json:"path"`
	Outlet string `json:"outlet,omitempty"`
}

// Hit is a passage returned by a search, with its rank (1-based) and score
// (higher is better; comparable only within one result list).
type Hit struct {
	Passage
	Rank  int     `json:"rank"`
	Score float64 `json:"score"`
	// Coverage is the share of the question's weighted words that the
	// passage contains (0..1), a word it says otherwise counting as
	// contained in the hits a search returns; the answer layer uses it to
	// decide whether the knowledge base covers a question at all.
	Coverage float64 `json:"coverage"`
	// Lacks names the country or agency the question is about (its rarest
	// such name) when the passage, title included, does not mention it:
	// a passage about another country does not answer the question.
	Lacks string `json:"lacks,omitempty"`
	// Missing lists the specific names of the question (people,
	// organisations, places, countries, agencies) that the passage does
	// not match as names (a person named anywhere in the best hit's
	// article counts as matched by its passages); empty when it matches
	// them all.
	Missing []string `json:"missing,omitempty"`
	// Focus is the share of the question's focus (its rarest content
	// words, by document frequency) that the passage holds (0..1), read
	// as Coverage is.
	Focus float64 `json:"focus"`
	// Features are the relevance features of the passage for the question,
	// by name, when the search was asked to explain itself.
	Features map[string]float64 `json:"features,omitempty"`
}

// Citation is a numbered source of an answer; [N] in the answer text refers to it.
type Citation struct {
	N       int    `json:"n"`
	DocID   string `json:"doc_id"`
	Title   string `json:"title"`
	Path    string `json:"path"`
	Source  string `json:"source"`
	Date    string `json:"date"`
	URL     string `json:"url"`
	Outlet  string `json:"outlet,omitempty"`
	Passage string `json:"passage"`
	// PassageID identifies the cited passage in the index.
	PassageID string `json:"passage_id,omitempty"`
}

// CitationFor builds the citation numbered n for passage p.
func CitationFor(n int, p Passage) Citation {
	return Citation{N: n, DocID: p.DocID, Title: p.Title, Path: p.Path, Source: p.Source,
		Date: p.Date, URL: p.URL, Outlet: p.Outlet, Passage: p.Text, PassageID: p.ID}
}

// Answer modes.
const (
	ModeExtractive = "extractive"
	ModeLLM        = "llm"
)

// Answer is a grounded reply to a question.
type Answer struct {
	Question string `json:"question"`
	// Text carries [n] markers; every marker names an entry of Citations.
	Text     string `json:"answer"`
	Answered bool   `json:"answered"`
	// Partial is true when the articles report what the question is about
	// but not the detail it asks for: the answer says so and quotes them.
	Partial bool `json:"partial,omitempty"`
	// Reason says, when the answer is a refusal or partial, which rule of
	// the answerability decision made it so ("names: Peru", "focus",
	// "coverage: 0.41", "detail: date").
	Reason    string     `json:"reason,omitempty"`
	Mode      string     `json:"mode"`
	Citations []Citation `json:"citations"`
	Warnings  []string   `json:"warnings"`

	// Model is the language model that wrote the answer ("" in extractive mode).
	Model string `json:"model"`
	// Fallback is true when a language model is configured but could not
	// be used, so the answer is extractive (a warning says so).
	Fallback bool `json:"fallback,omitempty"`
	// Unsupported lists the sentences that failed the citation check.
	Unsupported []string `json:"unsupported"`
	// Usage counts the model's tokens for this answer, all calls included.
	Usage Usage `json:"usage"`
	// LatencyMS gives the time spent per stage: "condense", "retrieve",
	// "generate", "check", "total".
	LatencyMS map[string]int64 `json:"latency_ms"`
}

// Usage counts the tokens of language-model calls.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// Add returns the sum of two usages.
func (u Usage) Add(v Usage) Usage {
	return Usage{u.PromptTokens + v.PromptTokens, u.CompletionTokens + v.CompletionTokens, u.TotalTokens + v.TotalTokens}
}

// Turn is one earlier message of a conversation, used to understand follow-ups.
type Turn struct {
	Role    string `json:"role"` // "user" or "assistant"
	Content string `json:"content"`
}

// DateRange bounds publication dates, inclusive, as ISO prefixes ("" = open).
type DateRange struct {
	Since string `json:"since,omitempty"`
	Until string `json:"until,omitempty"`
}

// Contains reports whether an ISO date prefix falls inside the range. An
// unknown date ("") is outside any bounded range. A partial date such as
// "2010-02" is inside when any day of it could be.
func (r DateRange) Contains(date string) bool {
	if r.Since == "" && r.Until == "" {
		return true
	}
	if date == "" {
		return false
	}
	if r.Since != "" && date < r.Since && !strings.HasPrefix(r.Since, date) {
		return false
	}
	if r.Until != "" && date > r.Until && !strings.HasPrefix(date, r.Until) {
		return false
	}
	return true
}

// Feedback is a reader's vote on an answer, kept to build evaluation sets.
type Feedback struct {
	AnswerID   string    `json:"answer_id"`
	Question   string    `json:"question"`
	Answer     string    `json:"answer"`
	PassageIDs []string  `json:"passage_ids"`
	Vote       int       `json:"vote"` // +1 helpful, -1 not helpful
	User       string    `json:"user,omitempty"`
	Time       time.Time `json:"time"`
	// Quotes are the cited sources with the sentences that back the answer,
	// recorded with it so that readers can see them on demand.
	Quotes []Quote `json:"quotes,omitempty"`
	// Up and Down count the helpful and unhelpful votes.
	Up   int `json:"up"`
	Down int `json:"down"`
	// Reasons are the reasons readers gave with an unhelpful vote.
	Reasons []VoteReason `json:"reasons,omitempty"`
	// WrongSources are the sources readers flagged as wrong for this answer.
	WrongSources []SourceFlag `json:"wrong_sources,omitempty"`
}
