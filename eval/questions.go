package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"attache"
)

// Question types.
const (
	TypeFactoid      = "factoid"
	TypeDate         = "date"
	TypeWho          = "who"
	TypeWhy          = "why"
	TypeSummary      = "summary"
	TypeUnanswerable = "unanswerable"
)

// Types lists the valid question types.
var Types = []string{TypeFactoid, TypeDate, TypeWho, TypeWhy, TypeSummary, TypeUnanswerable}

// DefaultK is the number of hits examined when Options.K is zero.
const DefaultK = 5

// Question is one line of a question set.
type Question struct {
	ID       string `json:"id"`
	Question string `json:"question"`
	// DocIDs are the expected documents: IDs ("source/path") or paths
	// relative to the corpus root, as the file is named or as Attaché
	// prints it (a '%' written "%25"; see Options.PathForm). Empty for
	// unanswerable questions.
	DocIDs []string `json:"doc_ids"`
	// Evidence is a phrase that a correct passage contains, compared
	// ignoring case, white space, accents, quote and dash styles; may be "".
	Evidence string `json:"evidence"`
	// Type is one of Types.
	Type string `json:"type"`
	// History holds the earlier turns of a follow-up question.
	History []attache.Turn `json:"history"`
	// Origin is the document a question was derived from when it expects
	// none (an unanswerable question made by changing one thing of an
	// answerable one); it decides the question's Half.
	Origin string `json:"origin,omitempty"`
	// Rule names the rule that made an unanswerable question from an
	// answerable one (see Perturb); "" for a question written by hand.
	Rule string `json:"rule,omitempty"`
}

// Answerable reports whether the knowledge base is expected to cover q.
func (q Question) Answerable() bool { return q.Type != TypeUnanswerable }

// ReadQuestions reads a question set: one JSON object per line; blank lines
// and lines starting with # are skipped. Errors name the line and the field.
func ReadQuestions(r io.Reader) ([]Question, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 8<<20)
	var qs []Question
	seen := map[string]int{}
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if line == 1 {
			b = bytes.TrimPrefix(b, []byte("\uFEFF"))
		}
		if len(b) == 0 || b[0] == '#' {
			continue
		}
		var q Question
		if err := json.Unmarshal(b, &q); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, describeJSONError(err))
		}
		if err := validate(&q); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if first, dup := seen[q.ID]; dup {
			return nil, fmt.Errorf("line %d: id: duplicate %q (first on line %d)", line, q.ID, first)
		}
		seen[q.ID] = line
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	return qs, nil
}

func describeJSONError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fmt.Errorf("%s: want %s, not a JSON %s", te.Field, te.Type, te.Value)
	}
	return fmt.Errorf("not a JSON object: %w", err)
}

// validate trims q's fields and checks them.
func validate(q *Question) error {
	q.ID = strings.TrimSpace(q.ID)
	q.Question = strings.TrimSpace(q.Question)
	q.Type = strings.TrimSpace(q.Type)
	q.Evidence = strings.TrimSpace(q.Evidence)
	if q.ID == "" {
		return errors.New("id: missing")
	}
	if q.Question == "" {
		return errors.New("question: missing")
	}
	if !slices.Contains(Types, q.Type) {
		if q.Type == "" {
			return fmt.Errorf("type: missing (want %s)", strings.Join(Types, "|"))
		}
		return fmt.Errorf("type: unknown %q (want %s)", q.Type, strings.Join(Types, "|"))
	}
	docs := q.DocIDs[:0]
	for _, d := range q.DocIDs {
		if d = strings.TrimSpace(d); d != "" {
			docs = append(docs, d)
		}
	}
	q.DocIDs = docs
	switch {
	case !q.Answerable() && len(q.DocIDs) > 0:
		return errors.New("doc_ids: an unanswerable question expects no documents")
	case q.Answerable() && len(q.DocIDs) == 0:
		return fmt.Errorf("doc_ids: missing for a %s question", q.Type)
	}
	for i, t := range q.History {
		if t.Role != "user" && t.Role != "assistant" {
			return fmt.Errorf("history[%d].role: %q, want \"user\" or \"assistant\"", i, t.Role)
		}
	}
	return nil
}

// LoadQuestions reads a question set from a file.
func LoadQuestions(path string) ([]Question, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	qs, err := ReadQuestions(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return qs, nil
}
