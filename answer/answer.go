// Package answer owns grounded answering: deciding whether the knowledge base
// covers a question, composing an answer whose every sentence cites a
// numbered passage, and refusing plainly when nothing relevant was found.
//
// It declares the Retriever it needs and never imports the retrieval or llm
// packages; cmd/attache wires them in.
package answer

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"attache"
)

// Retriever finds the passages most relevant to a question, best first, with
// Hit.Coverage filled in.
type Retriever func(ctx context.Context, question string, k int, dates attache.DateRange) ([]attache.Hit, error)

// Options tune answering.
type Options struct {
	K            int     // passages retrieved per question (0 = 5)
	MaxSentences int     // sentences in an extractive answer (0 = 4)
	MinCoverage  float64 // below this share of the question's weight in the best passage, refuse (0 = DefaultMinCoverage)
}

// DefaultMinCoverage is the calibrated refusal threshold: the best passage
// must contain at least this share of the question's (IDF-weighted) words.
const DefaultMinCoverage = 0.5

// Service answers questions from retrieved passages.
type Service struct {
	Retrieve Retriever
	Options  Options
	Logger   *slog.Logger
}

// Request is one question, with optional conversation history and date window.
type Request struct {
	Question string
	History  []attache.Turn
	Dates    attache.DateRange
}

// Ask answers a question in extractive mode.
func (s *Service) Ask(ctx context.Context, req Request) (attache.Answer, error) {
	q := strings.TrimSpace(req.Question)
	ans := attache.Answer{Question: req.Question, Mode: attache.ModeExtractive,
		Citations: []attache.Citation{}, Warnings: []string{}}
	if q == "" {
		return ans, attache.Errorf(attache.EINVALID, "the question is empty")
	}
	query := q
	if len(req.History) > 0 {
		query = CondenseHeuristic(q, req.History)
	}
	hits, err := s.Retrieve(ctx, query, s.k(), req.Dates)
	if err != nil {
		return ans, fmt.Errorf("ask: %w", err)
	}
	if !s.covered(hits) {
		ans.Text = refusal(hits)
		return ans, nil
	}
	ans.Text, ans.Citations = Extract(query, hits, s.maxSentences())
	ans.Answered = len(ans.Citations) > 0
	if !ans.Answered {
		ans.Text = refusal(hits)
	}
	return ans, nil
}

func (s *Service) k() int {
	if s.Options.K > 0 {
		return s.Options.K
	}
	return 5
}

func (s *Service) maxSentences() int {
	if s.Options.MaxSentences > 0 {
		return s.Options.MaxSentences
	}
	return 4
}

// covered reports whether the best hit clears the refusal threshold.
func (s *Service) covered(hits []attache.Hit) bool {
	if len(hits) == 0 {
		return false
	}
	minCov := s.Options.MinCoverage
	if minCov <= 0 {
		minCov = DefaultMinCoverage
	}
	best := 0.0
	for _, h := range hits {
		best = max(best, h.Coverage)
	}
	return best >= minCov
}

// refusal says plainly that the knowledge base does not cover the question,
// naming the closest articles when there are any.
func refusal(hits []attache.Hit) string {
	var b strings.Builder
	b.WriteString("I could not find this in the knowledge base.")
	seen := map[string]bool{}
	var titles []string
	for _, h := range hits {
		if seen[h.DocID] || len(titles) == 3 {
			continue
		}
		seen[h.DocID] = true
		t := h.Title
		if h.Date != "" {
			t += " (" + h.Date + ")"
		}
		titles = append(titles, t)
	}
	if len(titles) > 0 {
		b.WriteString(" The closest articles are: ")
		b.WriteString(strings.Join(titles, "; "))
		b.WriteString(".")
	}
	return b.String()
}
