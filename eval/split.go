package eval

import (
	"fmt"
	"hash/fnv"
)

// Halves of a question set. Questions are split by document, never by
// question, so that no document of the test half was seen while tuning.
const (
	HalfTune = "tune"
	HalfTest = "test"
	// HalfAll names the whole set, both halves.
	HalfAll = "all"
)

// Halves lists the values a half can be selected by.
var Halves = []string{HalfTune, HalfTest, HalfAll}

// SelectHalf returns the questions of qs in half (HalfTune, HalfTest, or
// HalfAll for all of them), in their order.
func SelectHalf(qs []Question, half string) ([]Question, error) {
	switch half {
	case HalfAll:
		return qs, nil
	case HalfTune, HalfTest:
	default:
		return nil, fmt.Errorf("half %q: want tune, test or all", half)
	}
	var out []Question
	for _, q := range qs {
		if q.Half() == half {
			out = append(out, q)
		}
	}
	return out, nil
}

// Half returns the half a question belongs to: decided by its first
// expected document (or, for a question derived from a document, that
// document; else its ID), so every question about one document falls in
// the same half.
func (q Question) Half() string {
	key := q.ID
	switch {
	case len(q.DocIDs) > 0:
		key = baseName(q.DocIDs[0])
	case q.Origin != "":
		key = baseName(q.Origin)
	}
	h := fnv.New32a()
	h.Write([]byte(key))
	if h.Sum32()%2 == 0 {
		return HalfTune
	}
	return HalfTest
}

// baseName is the last element of a slash-separated document ID or path.
func baseName(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return s[i+1:]
		}
	}
	return s
}
