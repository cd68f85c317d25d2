package retrieval

import (
	"context"
	"errors"
	"strings"
	"time"

	"attache"
)

// DocState is what the indexer keeps about a file to decide cheaply whether
// it changed since the last run.
type DocState struct {
	ID      string
	Source  string
	Path    string
	Size    int64
	ModTime time.Time
	Hash    string
}

// IndexedDoc is a document with its passages, ready to be written.
type IndexedDoc struct {
	Doc      attache.Document
	Passages []attache.Passage
}

// Changes is everything one indexing run writes. A store applies it in one
// transaction: either all of it is visible afterwards or none of it is.
type Changes struct {
	Upsert []IndexedDoc // new or changed documents (their old passages are replaced)
	Touch  []DocState   // same content, new size/mtime: refresh the fast-path state only
	Delete []string     // document IDs that no longer exist
	// Stream, when set, yields further changes one at a time, inside the
	// same transaction, after the slices above are written: a large run
	// then never holds every document in memory. An error from Stream (or
	// from put) aborts the whole transaction.
	Stream func(ctx context.Context, put func(Change) error) error
	// Replace makes the run a rebuild: the store first removes every
	// document it holds, as cheaply as it can, and the run's upserts are
	// then all it holds. Touch and Delete are refused with it.
	Replace bool
}

// Change is one streamed change: exactly one field is set.
type Change struct {
	Upsert *IndexedDoc
	Touch  *DocState
	Delete string
}

// Empty reports whether the changes would write nothing.
func (c Changes) Empty() bool {
	return len(c.Upsert) == 0 && len(c.Touch) == 0 && len(c.Delete) == 0 && c.Stream == nil && !c.Replace
}

// Term is one search term. Text is a single lower-case word made only of
// letters and digits (the query builder guarantees it), so a store can quote it
// without ever treating user text as query syntax.
type Term struct {
	Text string
	// Weight scales the term's contribution (1 = normal). Stores that cannot
	// weight terms may ignore it.
	Weight float64
}

// Query is a search request as a store sees it: already tokenised and sanitised.
type Query struct {
	// Any: a passage matches if it contains at least one of these terms.
	Terms []Term
	// K is the maximum number of hits to return.
	K int
	// Dates restricts hits to documents published in the range.
	Dates attache.DateRange
	// Sources, when not empty, restricts hits to these source names.
	Sources []string
	// Require, when not empty, makes the search conjunctive: a passage must
	// contain at least one word of every group (each group is a concept and
	// its other names; words are as in Term.Text). Terms are then ignored.
	Require [][]string
	// AtLeast, when above 0, loosens Require: a passage must contain a
	// word of at least AtLeast of its groups (any two of the question's
	// concepts, say); more than there are groups matches nothing, and a
	// negative count is refused. See AtLeastExpr.
	AtLeast int
	// Title, when not empty, further requires each group to match the
	// document's title (one word of the group, as in Require): "articles
	// about Mexico", whatever the passage says.
	Title [][]string
	// Unranked says the caller scores hits itself: when no more than K
	// passages match, the store may skip scoring them and return them in
	// any order with Score 0. When more match, the best K are returned as
	// usual.
	Unranked bool
	// Selective, with Unranked, asks for the matches only when no more
	// than K passages match, and for none otherwise: a query worth its
	// cost only when it singles out a few passages.
	Selective bool
}

// DocFilter selects documents for listing.
type DocFilter struct {
	Dates   attache.DateRange
	Sources []string
	// TitlePrefix, when set, keeps documents whose title contains this text
	// (case-insensitive), for autocomplete.
	TitleContains string
	Limit         int
}

// SourceStats summarises one source in the index.
type SourceStats struct {
	Source      string
	Documents   int
	Passages    int
	LastIndexed time.Time
}

// Errors a Store's Apply may wrap when it cannot write, though what the index
// holds can still be read: a caller that only wants an up-to-date index can
// go on with the last committed one.
var (
	// ErrBusy: another process or connection is writing the index.
	ErrBusy = errors.New("another process is writing the index")
	// ErrReadOnly: the index cannot be written (a read-only file or
	// folder, a full disk).
	ErrReadOnly = errors.New("the index cannot be written")
)

// Store is a passage index. The SQLite store is the default; every store must
// pass the contract suite in retrieval/storetest.
type Store interface {
	// States returns the fast-path state of every indexed document, by ID.
	States(ctx context.Context) (map[string]DocState, error)
	// Apply writes one run's changes atomically. It may fail with an error
	// wrapping ErrBusy or ErrReadOnly, having written nothing.
	Apply(ctx context.Context, ch Changes) error
	// Search returns up to q.K passages ranked by relevance (BM25 or
	// equivalent; title matches count more than body matches), best first,
	// Rank starting at 1. No terms, or no match, gives an empty slice and no error.
	Search(ctx context.Context, q Query) ([]attache.Hit, error)
	// Document returns one document's metadata and text, or an error with
	// code attache.ENOTFOUND.
	Document(ctx context.Context, id string) (attache.Document, error)
	// Passages returns a document's passages in order.
	Passages(ctx context.Context, docID string) ([]attache.Passage, error)
	// Documents lists document metadata (Text left empty), newest first.
	Documents(ctx context.Context, f DocFilter) ([]attache.Document, error)
	// Stats returns per-source counts.
	Stats(ctx context.Context) ([]SourceStats, error)
	// DocFreq returns, for each term, the number of passages containing it,
	// and the total number of passages. Used to weight and drop terms.
	DocFreq(ctx context.Context, terms []string) (map[string]int, int, error)
	Close() error
}

// AtLeastExpr returns a boolean expression true when at least k of parts are
// (each part an expression in the store's syntax, and and or its operators),
// built as "p1 and (at least k-1 of the rest), or at least k of the rest":
// fewer parts written than in one conjunction for every choice of k parts
// (16 for any two of six, against 30), and matching stays an intersection
// of posting lists. k of 0 or less asks for all of them, as does a k above
// len(parts), which no passage could meet: callers match nothing then.
func AtLeastExpr(parts []string, k int, and, or string) string {
	if k <= 0 || k > len(parts) {
		k = len(parts)
	}
	var build func(ps []string, k int) string
	build = func(ps []string, k int) string {
		switch {
		case k == len(ps):
			return "(" + strings.Join(ps, and) + ")"
		case k == 1:
			return "(" + strings.Join(ps, or) + ")"
		}
		return "((" + ps[0] + and + build(ps[1:], k-1) + ")" + or + build(ps[1:], k) + ")"
	}
	return build(parts, k)
}
