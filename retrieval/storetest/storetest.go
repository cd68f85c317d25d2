// Package storetest is the contract every retrieval.Store must pass: the
// behaviour the indexer and the searcher rely on (ranking, filters,
// incremental updates, atomic batches, safe handling of hostile terms,
// concurrent use), written once and run against each implementation: the
// SQLite and the PostgreSQL store both run Run and CandidateWindow.
//
// It also generates deterministic synthetic corpora and queries for
// benchmarks and load tests (Synthetic, SyntheticQueries).
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"attache"
	"attache/retrieval"
)

// Run runs the contract suite. open must return a new, empty store for the
// calling (sub)test; Run closes it when the subtest ends.
func Run(t *testing.T, open func(t *testing.T) retrieval.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s retrieval.Store)
	}{
		{"RareTermsFirst", testRareTermsFirst},
		{"HitFields", testHitFields},
		{"TitleWeight", testTitleWeight},
		{"DateAndSourceFilters", testFilters},
		{"PartialDates", testPartialDates},
		{"UpsertReplacesPassages", testUpsertReplaces},
		{"TouchKeepsContent", testTouch},
		{"DeleteRemoves", testDelete},
		{"StatesRoundTrip", testStates},
		{"AtomicCancelledContext", testAtomicCancelled},
		{"AtomicFailedBatch", testAtomicFailedBatch},
		{"StreamedChanges", testStream},
		{"Replace", testReplace},
		{"InvalidInput", testInvalidInput},
		{"DocumentAndPassages", testDocumentAndPassages},
		{"DocumentsOrdering", testDocumentsOrdering},
		{"DocumentsTitleContains", testTitleContains},
		{"DocumentsFilters", testDocumentsFilters},
		{"Stats", testStats},
		{"DocFreq", testDocFreq},
		{"HostileTerms", testHostileTerms},
		{"EmptyQuery", testEmptyQuery},
		{"KRespected", testK},
		{"Conjunctive", testConjunctive},
		{"AtLeast", testAtLeast},
		{"ConcurrentSearchDuringApply", testConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("close: %v", err)
				}
			})
			tc.fn(t, s)
		})
	}
}

// baseTime is the modification time of the test documents.
var baseTime = time.Date(2024, 3, 1, 12, 0, 0, 123456789, time.UTC)

// doc builds a document whose text is paras separated by blank lines, with
// one passage per paragraph.
func doc(source, path, title, date string, paras ...string) retrieval.IndexedDoc {
	id := source + "/" + path
	text := strings.Join(paras, "\n\n")
	d := attache.Document{
		ID: id, Source: source, Path: path, Title: title, Date: date,
		URL: "https://example.org/" + path, Outlet: "Example Wire", Language: "en",
		Tags: []string{"test"}, Text: text, Hash: fmt.Sprintf("%x", len(text)*7919+len(id)),
		Size: int64(len(text)), ModTime: baseTime,
	}
	var ps []attache.Passage
	off := 0
	for i, p := range paras {
		ps = append(ps, attache.Passage{
			ID: fmt.Sprintf("%s#%d", id, i), DocID: id, Ordinal: i,
			Start: off, End: off + len(p), Text: p,
			Title: title, Date: date, URL: d.URL, Source: source, Path: path, Outlet: d.Outlet,
		})
		off += len(p) + 2
	}
	return retrieval.IndexedDoc{Doc: d, Passages: ps}
}

func apply(t *testing.T, s retrieval.Store, ch retrieval.Changes) {
	t.Helper()
	if err := s.Apply(context.Background(), ch); err != nil {
		t.Fatalf("apply: %v", err)
	}
}

func upsert(t *testing.T, s retrieval.Store, docs ...retrieval.IndexedDoc) {
	t.Helper()
	apply(t, s, retrieval.Changes{Upsert: docs})
}

func terms(words ...string) []retrieval.Term {
	out := make([]retrieval.Term, len(words))
	for i, w := range words {
		out[i] = retrieval.Term{Text: w, Weight: 1}
	}
	return out
}

func search(t *testing.T, s retrieval.Store, q retrieval.Query) []attache.Hit {
	t.Helper()
	hits, err := s.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	checkRanks(t, hits)
	return hits
}

// checkRanks checks the invariants of every result list: ranks 1..n, scores
// positive and not increasing.
func checkRanks(t *testing.T, hits []attache.Hit) {
	t.Helper()
	for i, h := range hits {
		if h.Rank != i+1 {
			t.Errorf("hit %d (%s) has rank %d", i, h.ID, h.Rank)
		}
		if h.Score <= 0 {
			t.Errorf("hit %s has score %g, want > 0", h.ID, h.Score)
		}
		if i > 0 && h.Score > hits[i-1].Score {
			t.Errorf("hit %s scores %g, more than the one ranked above it (%g)", h.ID, h.Score, hits[i-1].Score)
		}
	}
}

func passageIDs(hits []attache.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

func docIDs(docs []attache.Document) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.ID
	}
	return out
}

// hitDocs returns the distinct document IDs of hits, sorted.
func hitDocs(hits []attache.Hit) []string {
	var out []string
	for _, h := range hits {
		if !slices.Contains(out, h.DocID) {
			out = append(out, h.DocID)
		}
	}
	slices.Sort(out)
	return out
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one with code %q", code)
	}
	if got := attache.ErrorCode(err); got != code {
		t.Fatalf("error %v has code %q, want %q", err, got, code)
	}
}

func testRareTermsFirst(t *testing.T, s retrieval.Store) {
	var docs []retrieval.IndexedDoc
	for i := range 6 {
		docs = append(docs, doc("knowledge", fmt.Sprintf("common-%d.md", i), "Officials meet", "2021-01-0"+fmt.Sprint(i+1),
			"Officials from both governments met again to discuss the agenda and the officials agreed to meet."))
	}
	docs = append(docs, doc("knowledge", "rare.md", "Officials meet", "2021-02-01",
		"Officials discussed the remittances ceiling and the travel rules for the coming year."))
	upsert(t, s, docs...)

	hits := search(t, s, retrieval.Query{Terms: terms("officials", "remittances"), K: 10})
	if len(hits) != len(docs) {
		t.Fatalf("got %d hits %v, want %d (every passage has a term)", len(hits), passageIDs(hits), len(docs))
	}
	if hits[0].DocID != "knowledge/rare.md" {
		t.Errorf("first hit is %s, want the passage with the rare term (knowledge/rare.md); hits %v", hits[0].ID, passageIDs(hits))
	}
}

func testHitFields(t *testing.T, s retrieval.Store) {
	d := doc("archive", "2010/talks.md", "Migration talks resume", "2010-02-19",
		"Delegations met in Havana.", "The migration talks covered the accords of 1994 and 1995.")
	upsert(t, s, d)
	hits := search(t, s, retrieval.Query{Terms: terms("accords"), K: 5})
	if len(hits) != 1 {
		t.Fatalf("got %d hits, want 1", len(hits))
	}
	want := d.Passages[1]
	if hits[0].Passage != want {
		t.Errorf("hit passage\n got %+v\nwant %+v", hits[0].Passage, want)
	}
	if got := d.Doc.Text[hits[0].Start:hits[0].End]; got != hits[0].Text {
		t.Errorf("offsets [%d:%d] give %q, not the passage text %q", hits[0].Start, hits[0].End, got, hits[0].Text)
	}
}

func testTitleWeight(t *testing.T, s retrieval.Store) {
	// Same lengths; the term is in one title and once in the other body.
	// Other documents without the term give it a useful IDF.
	for i := range 3 {
		upsert(t, s, doc("knowledge", fmt.Sprintf("other-%d.md", i), "Other news", "2021-01-01", "Nothing to see."))
	}
	upsert(t, s,
		doc("knowledge", "title.md", "Remittances rules change", "2021-01-01",
			"New rules for sending money to relatives were announced on Tuesday by the department."),
		doc("knowledge", "body.md", "Money rules change", "2021-01-01",
			"New rules for sending remittances to relatives were announced on Tuesday by the department."),
	)
	hits := search(t, s, retrieval.Query{Terms: terms("remittances"), K: 5})
	if len(hits) != 2 {
		t.Fatalf("got %d hits %v, want 2", len(hits), passageIDs(hits))
	}
	if hits[0].DocID != "knowledge/title.md" {
		t.Errorf("ranking %v: the title match should come first", passageIDs(hits))
	}
	if hits[0].Score <= hits[1].Score {
		t.Errorf("title match scores %g, body match %g: want the title match higher", hits[0].Score, hits[1].Score)
	}
}

// datedCorpus has one document per date, all about "talks", in two sources.
func datedCorpus() []retrieval.IndexedDoc {
	dates := []struct{ source, date string }{
		{"knowledge", "2009-12-31"},
		{"knowledge", "2010"},
		{"knowledge", "2010-02"},
		{"archive", "2010-02-18"},
		{"archive", "2010-02-19"},
		{"knowledge", "2010-03-01"},
		{"archive", "2011-05-01"},
		{"archive", ""},
	}
	var docs []retrieval.IndexedDoc
	for i, d := range dates {
		name := d.date
		if name == "" {
			name = "undated"
		}
		docs = append(docs, doc(d.source, name+".md", fmt.Sprintf("Report %d", i), d.date,
			"The talks on migration continued between the delegations."))
	}
	return docs
}

func idsOf(source string, dates ...string) []string {
	var out []string
	for _, d := range dates {
		if d == "" {
			d = "undated"
		}
		out = append(out, source+"/"+d+".md")
	}
	return out
}

func sorted(ids ...[]string) []string {
	var out []string
	for _, l := range ids {
		out = append(out, l...)
	}
	slices.Sort(out)
	return out
}

func testFilters(t *testing.T, s retrieval.Store) {
	upsert(t, s, datedCorpus()...)
	tests := []struct {
		name    string
		dates   attache.DateRange
		sources []string
		want    []string
	}{
		{"none", attache.DateRange{}, nil, sorted(
			idsOf("knowledge", "2009-12-31", "2010", "2010-02", "2010-03-01"),
			idsOf("archive", "2010-02-18", "2010-02-19", "2011-05-01", ""))},
		{"since day", attache.DateRange{Since: "2010-02-19"}, nil, sorted(
			idsOf("knowledge", "2010", "2010-02", "2010-03-01"),
			idsOf("archive", "2010-02-19", "2011-05-01"))},
		{"until day", attache.DateRange{Until: "2010-02-18"}, nil, sorted(
			idsOf("knowledge", "2009-12-31", "2010", "2010-02"),
			idsOf("archive", "2010-02-18"))},
		{"closed range", attache.DateRange{Since: "2010-02-01", Until: "2010-02-28"}, nil, sorted(
			idsOf("knowledge", "2010", "2010-02"),
			idsOf("archive", "2010-02-18", "2010-02-19"))},
		{"source", attache.DateRange{}, []string{"archive"},
			sorted(idsOf("archive", "", "2010-02-18", "2010-02-19", "2011-05-01"))},
		{"two sources", attache.DateRange{}, []string{"archive", "knowledge"}, sorted(
			idsOf("knowledge", "2009-12-31", "2010", "2010-02", "2010-03-01"),
			idsOf("archive", "2010-02-18", "2010-02-19", "2011-05-01", ""))},
		{"unknown source", attache.DateRange{}, []string{"nowhere"}, nil},
		{"source and dates", attache.DateRange{Since: "2010-02-19"}, []string{"knowledge"},
			sorted(idsOf("knowledge", "2010", "2010-02", "2010-03-01"))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hits := search(t, s, retrieval.Query{Terms: terms("talks"), K: 50, Dates: tc.dates, Sources: tc.sources})
			if got := hitDocs(hits); !slices.Equal(got, tc.want) {
				t.Errorf("got %v\nwant %v", got, tc.want)
			}
			// The expectation agrees with the reference semantics.
			for _, h := range hits {
				if !tc.dates.Contains(h.Date) {
					t.Errorf("hit %s dated %q is outside %+v", h.ID, h.Date, tc.dates)
				}
			}
		})
	}
}

func testPartialDates(t *testing.T, s retrieval.Store) {
	upsert(t, s,
		doc("knowledge", "month.md", "Month only", "2010-02", "The embargo was discussed."),
		doc("knowledge", "year.md", "Year only", "2010", "The embargo was discussed."),
		doc("knowledge", "day.md", "Full date", "2010-12-31", "The embargo was discussed."),
	)
	tests := []struct {
		name  string
		dates attache.DateRange
		want  []string
	}{
		// A month is inside a range starting within it, a year likewise.
		{"month and year inside a later day", attache.DateRange{Since: "2010-02-19"},
			[]string{"knowledge/day.md", "knowledge/month.md", "knowledge/year.md"}},
		{"month too early", attache.DateRange{Since: "2010-03-01"},
			[]string{"knowledge/day.md", "knowledge/year.md"}},
		{"until a year keeps its days", attache.DateRange{Until: "2010"},
			[]string{"knowledge/day.md", "knowledge/month.md", "knowledge/year.md"}},
		{"until a month", attache.DateRange{Until: "2010-02"},
			[]string{"knowledge/month.md", "knowledge/year.md"}},
		{"year-only range", attache.DateRange{Since: "2011"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hits := search(t, s, retrieval.Query{Terms: terms("embargo"), K: 10, Dates: tc.dates})
			if got := hitDocs(hits); !slices.Equal(got, tc.want) {
				t.Errorf("search: got %v, want %v", got, tc.want)
			}
			docs, err := s.Documents(context.Background(), retrieval.DocFilter{Dates: tc.dates})
			if err != nil {
				t.Fatal(err)
			}
			got := docIDs(docs)
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("documents: got %v, want %v", got, tc.want)
			}
		})
	}
}

func testUpsertReplaces(t *testing.T, s retrieval.Store) {
	ctx := context.Background()
	v1 := doc("knowledge", "a.md", "Zebra crossing", "2020-01-01",
		"The zebra herd crossed the river.", "A second zebra paragraph.", "A third one about zebras.")
	upsert(t, s, v1)
	if hits := search(t, s, retrieval.Query{Terms: terms("zebra"), K: 10}); len(hits) != 3 {
		t.Fatalf("before update: %d hits, want 3", len(hits))
	}
	v2 := doc("knowledge", "a.md", "Yak pasture", "2020-01-02", "Only a yak grazes here now.")
	upsert(t, s, v2)

	if hits := search(t, s, retrieval.Query{Terms: terms("zebra"), K: 10}); len(hits) != 0 {
		t.Errorf("old text still found: %v", passageIDs(hits))
	}
	hits := search(t, s, retrieval.Query{Terms: terms("yak"), K: 10})
	if len(hits) != 1 || hits[0].Passage != v2.Passages[0] {
		t.Errorf("new text: got %+v, want the one new passage %+v", hits, v2.Passages[0])
	}
	ps, err := s.Passages(ctx, v2.Doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ps, v2.Passages) {
		t.Errorf("passages after update:\n got %+v\nwant %+v", ps, v2.Passages)
	}
	got, err := s.Document(ctx, v2.Doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != v2.Doc.Text || got.Title != v2.Doc.Title || got.Date != v2.Doc.Date {
		t.Errorf("document after update: %+v", got)
	}
	df, total, err := s.DocFreq(ctx, []string{"zebra", "yak"})
	if err != nil {
		t.Fatal(err)
	}
	if df["zebra"] != 0 || df["yak"] != 1 || total != 1 {
		t.Errorf("DocFreq after update: %v total %d, want zebra 0, yak 1, total 1", df, total)
	}
}

func testTouch(t *testing.T, s retrieval.Store) {
	ctx := context.Background()
	d := doc("knowledge", "a.md", "Embargo", "2020-01-01", "The embargo stays in place.")
	upsert(t, s, d)
	newTime := baseTime.Add(36*time.Hour + 987654321)
	apply(t, s, retrieval.Changes{Touch: []retrieval.DocState{{
		ID: d.Doc.ID, Source: d.Doc.Source, Path: d.Doc.Path, Size: 4242, ModTime: newTime, Hash: d.Doc.Hash,
	}}})
	st, err := s.States(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := st[d.Doc.ID]
	if got.Size != 4242 || !got.ModTime.Equal(newTime) || got.Hash != d.Doc.Hash {
		t.Errorf("state after touch: %+v, want size 4242, mtime %v, hash %s", got, newTime, d.Doc.Hash)
	}
	full, err := s.Document(ctx, d.Doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if full.Text != d.Doc.Text || full.Title != d.Doc.Title {
		t.Errorf("touch changed the content: %+v", full)
	}
	if hits := search(t, s, retrieval.Query{Terms: terms("embargo"), K: 5}); len(hits) != 1 {
		t.Errorf("after touch: %d hits, want 1", len(hits))
	}
}

func testDelete(t *testing.T, s retrieval.Store) {
	ctx := context.Background()
	a := doc("knowledge", "a.md", "Embargo", "2020-01-01", "The embargo stays.", "Another embargo paragraph.")
	b := doc("knowledge", "b.md", "Travel", "2020-01-02", "Travel rules for the embargo changed.")
	upsert(t, s, a, b)
	apply(t, s, retrieval.Changes{Delete: []string{a.Doc.ID, "knowledge/never-indexed.md"}})

	if _, err := s.Document(ctx, a.Doc.ID); err == nil {
		t.Error("deleted document still found")
	} else {
		wantCode(t, err, attache.ENOTFOUND)
	}
	if _, err := s.Passages(ctx, a.Doc.ID); err == nil {
		t.Error("passages of a deleted document still found")
	} else {
		wantCode(t, err, attache.ENOTFOUND)
	}
	hits := search(t, s, retrieval.Query{Terms: terms("embargo"), K: 10})
	if got := hitDocs(hits); !slices.Equal(got, []string{b.Doc.ID}) {
		t.Errorf("search after delete found %v, want only %s", got, b.Doc.ID)
	}
	st, err := s.States(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := st[a.Doc.ID]; ok || len(st) != 1 {
		t.Errorf("states after delete: %v", st)
	}
	df, total, err := s.DocFreq(ctx, []string{"embargo"})
	if err != nil {
		t.Fatal(err)
	}
	if df["embargo"] != 1 || total != 1 {
		t.Errorf("DocFreq after delete: %v total %d, want 1 and 1", df, total)
	}
	stats, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != 1 || stats[0].Documents != 1 || stats[0].Passages != 1 {
		t.Errorf("stats after delete: %+v", stats)
	}
}

func testStates(t *testing.T, s retrieval.Store) {
	ctx := context.Background()
	a := doc("knowledge", "a.md", "A", "2020-01-01", "Alpha text.")
	a.Doc.ModTime = time.Date(2023, 7, 22, 9, 30, 15, 999999999, time.FixedZone("EST", -5*3600))
	a.Doc.Size = 1234
	b := doc("archive", "sub/b.md", "B", "2020-01-02", "Beta text.")
	b.Doc.ModTime = time.Time{} // unknown
	upsert(t, s, a, b)
	st, err := s.States(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 2 {
		t.Fatalf("got %d states, want 2: %v", len(st), st)
	}
	for _, d := range []attache.Document{a.Doc, b.Doc} {
		got := st[d.ID]
		want := retrieval.DocState{ID: d.ID, Source: d.Source, Path: d.Path, Size: d.Size, ModTime: d.ModTime, Hash: d.Hash}
		if got.ID != want.ID || got.Source != want.Source || got.Path != want.Path ||
			got.Size != want.Size || got.Hash != want.Hash || !got.ModTime.Equal(want.ModTime) ||
			got.ModTime.IsZero() != want.ModTime.IsZero() {
			t.Errorf("state of %s:\n got %+v\nwant %+v", d.ID, got, want)
		}
	}
}

func testAtomicCancelled(t *testing.T, s retrieval.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.Apply(ctx, retrieval.Changes{Upsert: []retrieval.IndexedDoc{
		doc("knowledge", "a.md", "A", "2020-01-01", "Alpha text."),
	}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("apply with a cancelled context: %v, want context.Canceled", err)
	}
	st, err := s.States(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 0 {
		t.Errorf("a cancelled apply wrote %v", st)
	}
}

// assertUnchanged checks that the store still holds exactly before.
func assertUnchanged(t *testing.T, s retrieval.Store, before []retrieval.IndexedDoc) {
	t.Helper()
	ctx := context.Background()
	st, err := s.States(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != len(before) {
		t.Errorf("states: %d documents, want %d: %v", len(st), len(before), st)
	}
	for _, d := range before {
		got, err := s.Document(ctx, d.Doc.ID)
		if err != nil {
			t.Errorf("document %s: %v", d.Doc.ID, err)
			continue
		}
		if got.Text != d.Doc.Text || got.Title != d.Doc.Title {
			t.Errorf("document %s changed: %+v", d.Doc.ID, got)
		}
		ps, err := s.Passages(ctx, d.Doc.ID)
		if err != nil {
			t.Errorf("passages of %s: %v", d.Doc.ID, err)
		} else if !slices.Equal(ps, d.Passages) {
			t.Errorf("passages of %s changed:\n got %+v\nwant %+v", d.Doc.ID, ps, d.Passages)
		}
	}
	if st[before[0].Doc.ID].Size != before[0].Doc.Size {
		t.Errorf("size of %s changed to %d", before[0].Doc.ID, st[before[0].Doc.ID].Size)
	}
}

func testAtomicFailedBatch(t *testing.T, s retrieval.Store) {
	a := doc("knowledge", "a.md", "Alpha", "2020-01-01", "Alpha text about the embargo.")
	b := doc("knowledge", "b.md", "Beta", "2020-01-02", "Beta text about migration.")
	upsert(t, s, a, b)
	before := []retrieval.IndexedDoc{a, b}

	newA := doc("knowledge", "a.md", "Alpha v2", "2020-02-01", "Rewritten alpha text.")
	touchA := retrieval.DocState{ID: a.Doc.ID, Source: "knowledge", Path: "a.md", Size: 99, ModTime: baseTime.Add(time.Hour), Hash: a.Doc.Hash}

	// Two new documents claim the same passage ID.
	c := doc("knowledge", "c.md", "Gamma", "2020-01-03", "Gamma text.")
	d := doc("knowledge", "d.md", "Delta", "2020-01-04", "Delta text.")
	d.Passages[0].ID = c.Passages[0].ID
	// A new document claims the passage ID of an indexed one.
	e := doc("knowledge", "e.md", "Epsilon", "2020-01-05", "Epsilon text.", "More epsilon text.")
	e.Passages[1].ID = b.Passages[0].ID

	tests := []struct {
		name string
		ch   retrieval.Changes
	}{
		{"duplicate passage in batch", retrieval.Changes{
			Upsert: []retrieval.IndexedDoc{newA, c, d}, Delete: []string{b.Doc.ID}}},
		{"passage of another document", retrieval.Changes{
			Upsert: []retrieval.IndexedDoc{newA, e}, Touch: []retrieval.DocState{touchA}}},
		{"touch of an unknown document", retrieval.Changes{
			Upsert: []retrieval.IndexedDoc{newA}, Delete: []string{b.Doc.ID},
			Touch: []retrieval.DocState{{ID: "knowledge/nope.md", Source: "knowledge", Path: "nope.md", Size: 1, ModTime: baseTime}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.Apply(context.Background(), tc.ch); err == nil {
				t.Fatal("apply succeeded, want an error")
			}
			assertUnchanged(t, s, before)
			if hits := search(t, s, retrieval.Query{Terms: terms("rewritten", "gamma", "epsilon"), K: 10}); len(hits) != 0 {
				t.Errorf("text of a failed batch is searchable: %v", passageIDs(hits))
			}
		})
	}
}

func testInvalidInput(t *testing.T, s retrieval.Store) {
	ctx := context.Background()
	noID := doc("knowledge", "a.md", "A", "2020-01-01", "Alpha.")
	noID.Doc.ID = ""
	err := s.Apply(ctx, retrieval.Changes{Upsert: []retrieval.IndexedDoc{noID}})
	wantCode(t, err, attache.EINVALID)
	if st, err := s.States(ctx); err != nil || len(st) != 0 {
		t.Errorf("states after invalid apply: %v, %v", st, err)
	}
	_, err = s.Search(ctx, retrieval.Query{Terms: terms("alpha"), K: -1})
	wantCode(t, err, attache.EINVALID)
	_, err = s.Search(ctx, retrieval.Query{Require: [][]string{{"alpha"}, {"beta"}}, AtLeast: -1, K: 5})
	wantCode(t, err, attache.EINVALID)
	_, err = s.Documents(ctx, retrieval.DocFilter{Limit: -1})
	wantCode(t, err, attache.EINVALID)
}

func testDocumentAndPassages(t *testing.T, s retrieval.Store) {
	ctx := context.Background()
	d := doc("knowledge", "2021/07/measures.md", "Measures on Cuba", "2021-07-22",
		"First paragraph.", "Second paragraph.", "Third paragraph.")
	d.Doc.Tags = []string{"cuba", "sanctions"}
	upsert(t, s, d)
	got, err := s.Document(ctx, d.Doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := d.Doc
	if !got.ModTime.Equal(want.ModTime) {
		t.Errorf("mtime %v, want %v", got.ModTime, want.ModTime)
	}
	got.ModTime, want.ModTime = time.Time{}, time.Time{}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("document\n got %+v\nwant %+v", got, want)
	}
	ps, err := s.Passages(ctx, d.Doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ps, d.Passages) {
		t.Errorf("passages\n got %+v\nwant %+v", ps, d.Passages)
	}
	_, err = s.Document(ctx, "knowledge/missing.md")
	wantCode(t, err, attache.ENOTFOUND)
	if !strings.Contains(attache.ErrorMessage(err), "knowledge/missing.md") {
		t.Errorf("not-found message %q does not name the document", attache.ErrorMessage(err))
	}
	_, err = s.Passages(ctx, "knowledge/missing.md")
	wantCode(t, err, attache.ENOTFOUND)
}

func testDocumentsOrdering(t *testing.T, s retrieval.Store) {
	upsert(t, s,
		doc("knowledge", "old.md", "Old news", "2009-05-01", "Text."),
		doc("knowledge", "b.md", "Beta report", "2021-07-22", "Text."),
		doc("archive", "a.md", "Alpha report", "2021-07-22", "Text."),
		doc("knowledge", "month.md", "Monthly", "2021-07", "Text."),
		doc("knowledge", "undated.md", "Undated", "", "Text."),
		doc("archive", "new.md", "Newest", "2024-01-01", "Text."),
	)
	docs, err := s.Documents(context.Background(), retrieval.DocFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"archive/new.md", "archive/a.md", "knowledge/b.md", "knowledge/month.md", "knowledge/old.md", "knowledge/undated.md"}
	if got := docIDs(docs); !slices.Equal(got, want) {
		t.Errorf("order\n got %v\nwant %v", got, want)
	}
	for _, d := range docs {
		if d.Text != "" {
			t.Errorf("listing of %s carries text", d.ID)
		}
		if d.Title == "" || d.Source == "" || d.Path == "" || d.URL == "" {
			t.Errorf("listing of %s lacks metadata: %+v", d.ID, d)
		}
	}
	limited, err := s.Documents(context.Background(), retrieval.DocFilter{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := docIDs(limited); !slices.Equal(got, want[:2]) {
		t.Errorf("limit 2: got %v, want %v", got, want[:2])
	}
}

func testTitleContains(t *testing.T, s retrieval.Store) {
	upsert(t, s,
		doc("knowledge", "1.md", "CUBA talks resume", "2021-01-01", "Text."),
		doc("knowledge", "2.md", "Cuban migration", "2021-01-02", "Text."),
		doc("knowledge", "3.md", "Haiti aid", "2021-01-03", "Text."),
		doc("knowledge", "4.md", "Tariffs rise 100% overnight", "2021-01-04", "Text."),
		doc("knowledge", "5.md", "Tariffs rise 1000 overnight", "2021-01-05", "Text."),
		doc("knowledge", "6.md", "The snake_case memo", "2021-01-06", "Text."),
		doc("knowledge", "7.md", "The snakeXcase memo", "2021-01-07", "Text."),
		doc("knowledge", "8.md", `Back\slash "quoted" title`, "2021-01-08", "Text."),
	)
	tests := []struct {
		contains string
		want     []string
	}{
		{"cuba", []string{"knowledge/2.md", "knowledge/1.md"}},
		{"CUBAN", []string{"knowledge/2.md"}},
		{"100%", []string{"knowledge/4.md"}},
		{"%", []string{"knowledge/4.md"}},
		{"e_c", []string{"knowledge/6.md"}},
		{"_", []string{"knowledge/6.md"}},
		{`k\s`, []string{"knowledge/8.md"}},
		{`"quoted"`, []string{"knowledge/8.md"}},
		{"'; DROP TABLE documents; --", nil},
		{"nothing like this", nil},
	}
	for _, tc := range tests {
		t.Run(tc.contains, func(t *testing.T) {
			docs, err := s.Documents(context.Background(), retrieval.DocFilter{TitleContains: tc.contains})
			if err != nil {
				t.Fatal(err)
			}
			if got := docIDs(docs); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	all, err := s.Documents(context.Background(), retrieval.DocFilter{})
	if err != nil || len(all) != 8 {
		t.Errorf("after hostile filters: %d documents, %v; want 8", len(all), err)
	}
}

func testDocumentsFilters(t *testing.T, s retrieval.Store) {
	upsert(t, s, datedCorpus()...)
	docs, err := s.Documents(context.Background(), retrieval.DocFilter{
		Dates: attache.DateRange{Since: "2010-02-19"}, Sources: []string{"archive"}})
	if err != nil {
		t.Fatal(err)
	}
	want := idsOf("archive", "2011-05-01", "2010-02-19")
	if got := docIDs(docs); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func testStats(t *testing.T, s retrieval.Store) {
	ctx := context.Background()
	before := time.Now().Add(-time.Second)
	upsert(t, s,
		doc("knowledge", "a.md", "A", "2020-01-01", "One.", "Two.", "Three."),
		doc("knowledge", "b.md", "B", "2020-01-02", "One."),
		doc("archive", "c.md", "C", "2020-01-03", "One.", "Two."),
	)
	after := time.Now().Add(time.Second)
	stats, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []retrieval.SourceStats{
		{Source: "archive", Documents: 1, Passages: 2},
		{Source: "knowledge", Documents: 2, Passages: 4},
	}
	if len(stats) != len(want) {
		t.Fatalf("got %+v, want %+v", stats, want)
	}
	for i, st := range stats {
		if st.Source != want[i].Source || st.Documents != want[i].Documents || st.Passages != want[i].Passages {
			t.Errorf("stats[%d] = %+v, want %+v", i, st, want[i])
		}
		if st.LastIndexed.Before(before) || st.LastIndexed.After(after) {
			t.Errorf("%s last indexed %v, want between %v and %v", st.Source, st.LastIndexed, before, after)
		}
	}
}

func testDocFreq(t *testing.T, s retrieval.Store) {
	ctx := context.Background()
	upsert(t, s,
		doc("knowledge", "a.md", "Embargo", "2020-01-01",
			"The talks resumed in May.",    // talks
			"He said he would talk again.", // talk
			"Nothing relevant here."),
		doc("knowledge", "b.md", "Talks on migration", "2020-01-02", // title: both passages
			"Delegations met.", "They will be talking again soon."),
		doc("archive", "c.md", "Weather", "2020-01-03", "Sunny, no discussion at all."),
	)
	// talks/talk/talking share a stem: a.md#0, a.md#1, b.md#0, b.md#1.
	df, total, err := s.DocFreq(ctx, []string{"talks", "talk", "talking", "zebra", "delegations", "2020"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"talks": 4, "talk": 4, "talking": 4, "zebra": 0, "delegations": 1, "2020": 6}
	for w, n := range want {
		if df[w] != n {
			t.Errorf("DocFreq[%q] = %d, want %d", w, df[w], n)
		}
	}
	if total != 6 {
		t.Errorf("total = %d, want 6", total)
	}
	// Counts follow changes.
	apply(t, s, retrieval.Changes{Delete: []string{"knowledge/b.md"}})
	df, total, err = s.DocFreq(ctx, []string{"talks"})
	if err != nil {
		t.Fatal(err)
	}
	if df["talks"] != 2 || total != 4 {
		t.Errorf("after delete: DocFreq[talks] = %d total %d, want 2 and 4", df["talks"], total)
	}
	// DocFreq agrees with what a search matches.
	hits := search(t, s, retrieval.Query{Terms: terms("talk"), K: 10})
	if len(hits) != df["talks"] {
		t.Errorf("search for talk finds %d passages, DocFreq says %d", len(hits), df["talks"])
	}
}

// hostile are term texts that would be query syntax, or SQL, if a store
// pasted them into a query.
var hostile = []string{
	`"`, `""`, `zebra"`, `"zebra`, `NEAR(`, `NEAR(zebra river, 2)`, `zebra*`, `*`, `:`, `body:zebra`,
	`{title}:zebra`, `^zebra`, `^`, `AND`, `OR`, `NOT`, `zebra AND`, `(`, `)`, `-zebra`, `+`,
	`'; DROP TABLE passages; --`, `' OR 1=1 --`, `\`, `%`, `_`, "zebra\x00river", "\x00",
	"", " ", strings.Repeat("zebra", 200), `title:`, `rank`, `bm25(`, `@`, `$1`, `?`,
}

func testHostileTerms(t *testing.T, s retrieval.Store) {
	ctx := context.Background()
	z := doc("knowledge", "zebra.md", "Zebra crossing", "2020-01-01", "The zebra herd crossed the river.")
	upsert(t, s, z, doc("knowledge", "other.md", "Other", "2020-01-02", "Nothing and everything."))
	for _, h := range hostile {
		t.Run(fmt.Sprintf("%q", h), func(t *testing.T) {
			for _, q := range [][]retrieval.Term{terms(h), terms(h, "zebra"), {{Text: h, Weight: 0}}} {
				if _, err := s.Search(ctx, retrieval.Query{Terms: q, K: 5}); err != nil {
					t.Errorf("search %+v: %v", q, err)
				}
			}
			if _, _, err := s.DocFreq(ctx, []string{h}); err != nil {
				t.Errorf("DocFreq: %v", err)
			}
			// Together with a real word, that word is still found.
			hits, err := s.Search(ctx, retrieval.Query{Terms: terms(h, "zebra"), K: 5})
			if err == nil && !slices.Contains(hitDocs(hits), z.Doc.ID) {
				t.Errorf("zebra not found next to %q: %v", h, passageIDs(hits))
			}
		})
	}
	// Punctuation around a word does not hide it.
	for _, h := range []string{`zebra"`, `"zebra`, `zebra*`, `^zebra`, `-zebra`} {
		hits, err := s.Search(ctx, retrieval.Query{Terms: terms(h), K: 5})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(hitDocs(hits), z.Doc.ID) {
			t.Errorf("term %q does not find the zebra passage: %v", h, passageIDs(hits))
		}
	}
	// Nothing was harmed.
	docs, err := s.Documents(ctx, retrieval.DocFilter{})
	if err != nil || len(docs) != 2 {
		t.Fatalf("after hostile terms: %d documents, %v; want 2", len(docs), err)
	}
	ps, err := s.Passages(ctx, z.Doc.ID)
	if err != nil || !slices.Equal(ps, z.Passages) {
		t.Errorf("after hostile terms: passages %+v, %v", ps, err)
	}
}

func testEmptyQuery(t *testing.T, s retrieval.Store) {
	upsert(t, s, doc("knowledge", "a.md", "A", "2020-01-01", "Some text here."))
	for _, q := range []retrieval.Query{
		{K: 5},
		{Terms: []retrieval.Term{}, K: 5},
		{Terms: terms("", " ", "*", `"`), K: 5},
		{Terms: terms("text"), K: 0},
	} {
		hits, err := s.Search(context.Background(), q)
		if err != nil {
			t.Errorf("search %+v: %v", q, err)
		}
		if hits == nil || len(hits) != 0 {
			t.Errorf("search %+v: got %#v, want an empty, non-nil slice", q, hits)
		}
	}
}

func testK(t *testing.T, s retrieval.Store) {
	var docs []retrieval.IndexedDoc
	for i := range 12 {
		paras := []string{}
		for j := range 3 {
			paras = append(paras, fmt.Sprintf("Paragraph %d of report %d mentions sanctions%s.", j, i, strings.Repeat(" sanctions", (i+j)%4)))
		}
		docs = append(docs, doc("knowledge", fmt.Sprintf("r%02d.md", i), fmt.Sprintf("Report %d", i), "2020-01-01", paras...))
	}
	upsert(t, s, docs...)
	for _, k := range []int{1, 5, 20, 36, 100} {
		hits := search(t, s, retrieval.Query{Terms: terms("sanctions"), K: k})
		if want := min(k, 36); len(hits) != want {
			t.Errorf("K=%d: got %d hits, want %d", k, len(hits), want)
		}
		seen := map[string]bool{}
		for _, h := range hits {
			if seen[h.ID] {
				t.Errorf("K=%d: passage %s returned twice", k, h.ID)
			}
			seen[h.ID] = true
		}
	}
}

// retarget gives d the identity (ID, source, path) of like.
func retarget(d retrieval.IndexedDoc, like attache.Document) retrieval.IndexedDoc {
	d.Doc.ID, d.Doc.Source, d.Doc.Path = like.ID, like.Source, like.Path
	ps := slices.Clone(d.Passages)
	for i := range ps {
		ps[i].ID = fmt.Sprintf("%s#%d", like.ID, ps[i].Ordinal)
		ps[i].DocID, ps[i].Source, ps[i].Path = like.ID, like.Source, like.Path
	}
	d.Passages = ps
	return d
}

func testConcurrent(t *testing.T, s retrieval.Store) {
	ctx := context.Background()
	base := Synthetic(40, 3, 40, 1)
	upsert(t, s, base...)
	queries := SyntheticQueries(20, 2)

	var wg sync.WaitGroup
	stop := make(chan struct{})
	for r := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				q := retrieval.Query{Terms: queries[(i+r)%len(queries)], K: 5}
				hits, err := s.Search(ctx, q)
				if err != nil {
					t.Errorf("search during apply: %v", err)
					return
				}
				if len(hits) > 5 {
					t.Errorf("search during apply: %d hits for K=5", len(hits))
				}
				if _, _, err := s.DocFreq(ctx, []string{q.Terms[0].Text}); err != nil {
					t.Errorf("DocFreq during apply: %v", err)
					return
				}
				if _, err := s.Documents(ctx, retrieval.DocFilter{Limit: 3}); err != nil {
					t.Errorf("documents during apply: %v", err)
					return
				}
			}
		}()
	}
	// Rewrite 30 documents and delete 3 others while the readers run.
	more := Synthetic(30, 2, 40, 3)
	for i := range more {
		more[i] = retarget(more[i], base[i].Doc)
	}
	for b := range 3 {
		apply(t, s, retrieval.Changes{Upsert: more[b*10 : (b+1)*10], Delete: []string{base[30+b].Doc.ID}})
	}
	close(stop)
	wg.Wait()

	st, err := s.States(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(base) - 3; len(st) != want {
		t.Errorf("after concurrent applies: %d documents, want %d", len(st), want)
	}
	ps, err := s.Passages(ctx, more[0].Doc.ID)
	if err != nil || !slices.Equal(ps, more[0].Passages) {
		t.Errorf("rewritten document: %+v, %v", ps, err)
	}
}

func testAtLeast(t *testing.T, s retrieval.Store) {
	upsert(t, s,
		doc("knowledge", "a.md", "Talks", "2021-01-01", "Cuba and the United States discussed migration."),
		doc("knowledge", "b.md", "Talks", "2021-01-02", "Havana hosted talks on remittances."),
		doc("knowledge", "c.md", "Talks", "2021-01-03", "Migration talks with Mexico on remittances."),
		doc("knowledge", "d.md", "Talks", "2021-01-04", "Cuba discussed trade."),
		doc("knowledge", "e.md", "Other", "2021-01-05", "Cuba, migration and remittances."),
		doc("knowledge", "f.md", "Other", "2022-01-05", "Havana and remittances."),
	)
	req := [][]string{{"cuba", "havana"}, {"migration"}, {"remittances"}, {"zanzibar"}}
	cases := []struct {
		name string
		q    retrieval.Query
		want []string
	}{
		{"two of four", retrieval.Query{Require: req, AtLeast: 2, K: 10},
			[]string{"knowledge/a.md#0", "knowledge/b.md#0", "knowledge/c.md#0", "knowledge/e.md#0", "knowledge/f.md#0"}},
		{"three of four", retrieval.Query{Require: req, AtLeast: 3, K: 10}, []string{"knowledge/e.md#0"}},
		{"all of four", retrieval.Query{Require: req, AtLeast: 4, K: 10}, nil},
		{"0 is all", retrieval.Query{Require: req[:2], K: 10}, []string{"knowledge/a.md#0", "knowledge/e.md#0"}},
		{"more than the groups", retrieval.Query{Require: req[:2], AtLeast: 3, K: 10}, nil},
		{"with a date filter", retrieval.Query{Require: req, AtLeast: 2, K: 10, Dates: attache.DateRange{Since: "2022"}},
			[]string{"knowledge/f.md#0"}},
		{"with a title group", retrieval.Query{Require: req, AtLeast: 2, K: 10, Title: [][]string{{"other"}}},
			[]string{"knowledge/e.md#0", "knowledge/f.md#0"}},
	}
	for _, tc := range cases {
		for _, unranked := range []bool{false, true} {
			q := tc.q
			q.Unranked = unranked
			hits, err := s.Search(context.Background(), q)
			if err != nil {
				t.Fatalf("%s, unranked %v: %v", tc.name, unranked, err)
			}
			if got := sorted(passageIDs(hits)); !slices.Equal(got, tc.want) {
				t.Errorf("%s, unranked %v: hits %v, want %v", tc.name, unranked, got, tc.want)
			}
		}
	}
	// More matches than K: the best K of them, ranked.
	hits := search(t, s, retrieval.Query{Require: req, AtLeast: 2, K: 2})
	if len(hits) != 2 || hits[0].Score < hits[1].Score {
		t.Fatalf("K=2: %+v, want 2 hits, best first", hits)
	}
	for _, h := range hits {
		if !slices.Contains(cases[0].want, h.ID) {
			t.Errorf("K=2: %s holds fewer than two of the groups", h.ID)
		}
	}
}

func testConjunctive(t *testing.T, s retrieval.Store) {
	upsert(t, s,
		doc("knowledge", "a.md", "Talks", "2021-01-01", "Cuba and the United States discussed migration."),
		doc("knowledge", "b.md", "Talks", "2021-01-02", "Havana hosted talks on migration and remittances."),
		doc("knowledge", "c.md", "Talks", "2021-01-03", "Migration talks with Mexico."),
		doc("knowledge", "d.md", "Talks", "2021-01-04", "Cuba discussed trade."),
		doc("knowledge", "e.md", "Cuba migration", "2021-01-05", "Cuba, Cuba and migration, migration again."),
	)
	req := [][]string{{"cuba", "havana"}, {"migration"}}
	want := []string{"knowledge/a.md#0", "knowledge/b.md#0", "knowledge/e.md#0"}
	for _, unranked := range []bool{false, true} {
		hits, err := s.Search(context.Background(), retrieval.Query{Require: req, K: 10, Unranked: unranked})
		if err != nil {
			t.Fatalf("unranked %v: %v", unranked, err)
		}
		if got := sorted(passageIDs(hits)); !slices.Equal(got, want) {
			t.Errorf("unranked %v: hits %v, want %v (every group matched)", unranked, got, want)
		}
		for i, h := range hits {
			if h.Rank != i+1 {
				t.Errorf("unranked %v: hit %d has rank %d", unranked, i, h.Rank)
			}
		}
	}
	// More matches than K: the best K, ranked, whether or not the caller
	// scores them itself.
	ranked := search(t, s, retrieval.Query{Require: req, K: 1})
	best := search(t, s, retrieval.Query{Require: req, K: 1, Unranked: true})
	if len(best) != 1 || len(ranked) != 1 || best[0].ID != ranked[0].ID {
		t.Errorf("K=1: unranked %v, ranked %v; want the same best passage", passageIDs(best), passageIDs(ranked))
	}
	// Selective: the matches when they fit in K, none when more match.
	for _, k := range []int{3, 2} {
		hits, err := s.Search(context.Background(), retrieval.Query{Require: req, K: k, Unranked: true, Selective: true})
		if err != nil {
			t.Fatalf("selective, K=%d: %v", k, err)
		}
		if k == 3 && !slices.Equal(sorted(passageIDs(hits)), want) {
			t.Errorf("selective, K=3: hits %v, want %v", passageIDs(hits), want)
		}
		if k == 2 && len(hits) != 0 {
			t.Errorf("selective, K=2: %v, want none (3 match)", passageIDs(hits))
		}
	}
	if hits := search(t, s, retrieval.Query{Require: [][]string{{"cuba"}, {"zanzibar"}}, K: 5, Unranked: true}); len(hits) != 0 {
		t.Errorf("a group nothing matches: %v", passageIDs(hits))
	}
	// Title groups must match the title, with either kind of query.
	title := [][]string{{"cuba", "havana"}}
	for _, q := range []retrieval.Query{
		{Terms: terms("migration", "trade"), Title: title, K: 10},
		{Require: [][]string{{"migration"}}, Title: title, K: 10},
		{Title: title, K: 10},
	} {
		if got := passageIDs(search(t, s, q)); !slices.Equal(got, []string{"knowledge/e.md#0"}) {
			t.Errorf("%+v: hits %v, want only knowledge/e.md#0 (titled Cuba)", q, got)
		}
	}
	if hits := search(t, s, retrieval.Query{Terms: terms("migration"), Title: [][]string{{"zanzibar"}}, K: 5}); len(hits) != 0 {
		t.Errorf("a title group nothing matches: %v", passageIDs(hits))
	}
}
