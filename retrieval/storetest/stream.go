package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"attache"
	"attache/retrieval"
)

// testStream checks streamed changes: written in the same transaction as
// the slices, all kinds of change, and nothing written when the stream fails.
func testStream(t *testing.T, s retrieval.Store) {
	ctx := context.Background()
	a := doc("knowledge", "a.md", "Alpha", "2020-01-01", "Alpha text about the embargo.")
	b := doc("knowledge", "b.md", "Beta", "2020-01-02", "Beta text about migration.")
	upsert(t, s, a, b)
	before := []retrieval.IndexedDoc{a, b}

	c := doc("knowledge", "c.md", "Gamma", "2020-01-03", "Gamma text about consular staffing.")
	touchA := retrieval.DocState{ID: a.Doc.ID, Source: "knowledge", Path: "a.md", Size: 77, ModTime: baseTime.Add(2 * time.Hour), Hash: a.Doc.Hash}

	t.Run("failure writes nothing", func(t *testing.T) {
		applyFailingStream(t, s, retrieval.Changes{Delete: []string{b.Doc.ID}}, c)
		assertUnchanged(t, s, before)
		if hits := search(t, s, retrieval.Query{Terms: terms("consular"), K: 5}); len(hits) != 0 {
			t.Errorf("a failed stream's document is searchable: %v", hitDocs(hits))
		}
	})
	t.Run("duplicate document in stream", func(t *testing.T) {
		err := s.Apply(ctx, retrieval.Changes{
			Stream: func(ctx context.Context, put func(retrieval.Change) error) error {
				if err := put(retrieval.Change{Upsert: &c}); err != nil {
					return err
				}
				return put(retrieval.Change{Upsert: &c})
			},
		})
		wantCode(t, err, attache.EINVALID)
		assertUnchanged(t, s, before)
	})
	t.Run("all kinds", func(t *testing.T) {
		err := s.Apply(ctx, retrieval.Changes{
			Stream: func(ctx context.Context, put func(retrieval.Change) error) error {
				for _, ch := range []retrieval.Change{{Upsert: &c}, {Touch: &touchA}, {Delete: b.Doc.ID}} {
					if err := put(ch); err != nil {
						return err
					}
				}
				return nil
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		if hits := search(t, s, retrieval.Query{Terms: terms("consular"), K: 5}); len(hits) != 1 || hits[0].DocID != c.Doc.ID {
			t.Errorf("streamed upsert: %v", hitDocs(hits))
		}
		if hits := search(t, s, retrieval.Query{Terms: terms("migration"), K: 5}); len(hits) != 0 {
			t.Errorf("streamed delete: %v", hitDocs(hits))
		}
		st, err := s.States(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := st[a.Doc.ID]; got.Size != 77 || !got.ModTime.Equal(touchA.ModTime) {
			t.Errorf("streamed touch: %+v", got)
		}
	})
}

func testReplace(t *testing.T, s retrieval.Store) {
	ctx := context.Background()
	a := doc("knowledge", "a.md", "Alpha", "2020-01-01", "Alpha text about the embargo.")
	b := doc("knowledge", "b.md", "Beta", "2020-01-02", "Beta text about migration.")
	upsert(t, s, a, b)
	before := []retrieval.IndexedDoc{a, b}

	a2 := doc("knowledge", "a.md", "Alpha", "2020-01-01", "Alpha text about remittances.", "And a second passage.")
	c := doc("knowledge", "c.md", "Gamma", "2020-01-03", "Gamma text about consular staffing.")

	t.Run("failure writes nothing", func(t *testing.T) {
		applyFailingStream(t, s, retrieval.Changes{Replace: true}, c)
		assertUnchanged(t, s, before)
	})
	t.Run("touch or delete refused", func(t *testing.T) {
		for _, ch := range []retrieval.Changes{
			{Replace: true, Delete: []string{b.Doc.ID}},
			{Replace: true, Touch: []retrieval.DocState{{ID: a.Doc.ID}}},
			{Replace: true, Stream: func(ctx context.Context, put func(retrieval.Change) error) error {
				return put(retrieval.Change{Delete: b.Doc.ID})
			}},
		} {
			wantCode(t, s.Apply(ctx, ch), attache.EINVALID)
			assertUnchanged(t, s, before)
		}
	})
	t.Run("the run's documents are all that is left", func(t *testing.T) {
		err := s.Apply(ctx, retrieval.Changes{Replace: true, Upsert: []retrieval.IndexedDoc{a2}, Stream: func(ctx context.Context, put func(retrieval.Change) error) error {
			return put(retrieval.Change{Upsert: &c})
		}})
		if err != nil {
			t.Fatal(err)
		}
		st, err := s.States(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st) != 2 || st[a.Doc.ID].ID == "" || st[c.Doc.ID].ID == "" {
			t.Errorf("states after replace: %v, want a.md and c.md", st)
		}
		if hits := search(t, s, retrieval.Query{Terms: terms("migration", "embargo"), K: 5}); len(hits) != 0 {
			t.Errorf("replaced text still found: %v", hitDocs(hits))
		}
		if hits := search(t, s, retrieval.Query{Terms: terms("remittances", "consular"), K: 5}); len(hits) != 2 {
			t.Errorf("new text: %v, want a.md and c.md", hitDocs(hits))
		}
		ps, err := s.Passages(ctx, a.Doc.ID)
		if err != nil || len(ps) != 2 {
			t.Errorf("passages of a.md: %d, %v; want 2", len(ps), err)
		}
		if _, err := s.Document(ctx, b.Doc.ID); attache.ErrorCode(err) != attache.ENOTFOUND {
			t.Errorf("b.md after replace: %v, want not found", err)
		}
	})
}

// applyFailingStream applies ch with a stream that yields doc and then
// fails, and checks that Apply returns the stream's error.
func applyFailingStream(t *testing.T, s retrieval.Store, ch retrieval.Changes, doc retrieval.IndexedDoc) {
	t.Helper()
	boom := errors.New("parser died")
	ch.Stream = func(ctx context.Context, put func(retrieval.Change) error) error {
		if err := put(retrieval.Change{Upsert: &doc}); err != nil {
			return err
		}
		return boom
	}
	if err := s.Apply(context.Background(), ch); !errors.Is(err, boom) {
		t.Fatalf("apply: %v, want the stream's error", err)
	}
}
