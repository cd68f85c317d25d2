package retrieval

import (
	"math"
	"sort"

	"attache/internal/text"
)

// Limits on what a question turns into, so that a 10,000-character question
// costs no more than a short one.
const (
	maxCandidateWords = 64 // distinct content words looked up in the index
	maxQueryTerms     = 10 // terms actually sent to the store
)

// QueryTerm is a question word with the weight it carries in a search.
type QueryTerm struct {
	Word   string  `json:"word"`
	DF     int     `json:"df"`     // passages containing it
	Weight float64 `json:"weight"` // inverse document frequency (unknown words weigh as the rarest)
}

// candidateWords returns the distinct content words of a question, in order
// of first appearance, at most maxCandidateWords of them. Anything that is not
// a letter or a digit is a separator, so no user text can become query syntax.
func candidateWords(question string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range text.ContentWords(question) {
		if len(w) > 40 || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
		if len(out) == maxCandidateWords {
			break
		}
	}
	return out
}

// weightTerms turns document frequencies into BM25-style IDF weights and
// picks the terms worth sending: words absent from the index are useless
// (weight 0), and words found in most passages only slow the search down and
// drown the rare ones, so they are dropped when rarer words remain.
func weightTerms(words []string, df map[string]int, total int) (all, send []QueryTerm) {
	n := float64(total)
	idf := func(f float64) float64 { return math.Log(1 + (n-f+0.5)/(f+0.5)) }
	for _, w := range words {
		f := df[w]
		// A word the index does not know weighs as much as the rarest word
		// it does: a question about something the articles never name is
		// not covered by them.
		qt := QueryTerm{Word: w, DF: f, Weight: idf(float64(max(f, 1)))}
		all = append(all, qt)
	}
	for _, qt := range all {
		if qt.DF == 0 {
			continue
		}
		send = append(send, qt)
	}
	sort.SliceStable(send, func(i, j int) bool { return send[i].DF < send[j].DF })
	// Drop very common words while at least two rarer ones carry the query.
	for len(send) > 2 && float64(send[len(send)-1].DF) > 0.25*n {
		send = send[:len(send)-1]
	}
	if len(send) > maxQueryTerms {
		send = send[:maxQueryTerms]
	}
	return all, send
}

// Coverage returns the share of the query's weight that a passage contains:
// 1 when every weighted query word occurs in the passage text or title.
func Coverage(terms []QueryTerm, title, body string) float64 {
	var total, got float64
	if len(terms) == 0 {
		return 0
	}
	stems := map[string]bool{}
	for _, w := range text.Words(title) {
		stems[text.Stem(w)] = true
	}
	for _, w := range text.Words(body) {
		stems[text.Stem(w)] = true
	}
	for _, t := range terms {
		total += t.Weight
		if stems[text.Stem(t.Word)] {
			got += t.Weight
		}
	}
	if total == 0 {
		return 0
	}
	return got / total
}
