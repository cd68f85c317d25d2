package storetest

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestSyntheticShape(t *testing.T) {
	docs := Synthetic(50, 4, 60, 9)
	if len(docs) != 50 {
		t.Fatalf("got %d documents, want 50", len(docs))
	}
	ids := map[string]bool{}
	sources := map[string]bool{}
	partial, undated := 0, 0
	for _, d := range docs {
		if ids[d.Doc.ID] {
			t.Errorf("duplicate document id %s", d.Doc.ID)
		}
		ids[d.Doc.ID] = true
		sources[d.Doc.Source] = true
		if d.Doc.ID != d.Doc.Source+"/"+d.Doc.Path {
			t.Errorf("id %q is not source/path", d.Doc.ID)
		}
		switch len(d.Doc.Date) {
		case 0:
			undated++
		case 4, 7:
			partial++
		}
		if len(d.Passages) != 4 {
			t.Errorf("%s has %d passages, want 4", d.Doc.ID, len(d.Passages))
		}
		for i, p := range d.Passages {
			if ids[p.ID] {
				t.Errorf("duplicate passage id %s", p.ID)
			}
			ids[p.ID] = true
			if p.Ordinal != i || p.DocID != d.Doc.ID || p.Title != d.Doc.Title || p.Date != d.Doc.Date {
				t.Errorf("passage %s: %+v", p.ID, p)
			}
			if d.Doc.Text[p.Start:p.End] != p.Text {
				t.Errorf("passage %s: offsets do not name its text", p.ID)
			}
			if n := len(strings.Fields(p.Text)); n < 30 || n > 91 {
				t.Errorf("passage %s has %d words, want 30..90", p.ID, n)
			}
		}
	}
	if len(sources) != 3 {
		t.Errorf("%d sources, want 3", len(sources))
	}
	if partial == 0 || undated+partial == len(docs) {
		t.Errorf("%d partial and %d undated dates of %d: want a mix", partial, undated, len(docs))
	}
}

func TestSyntheticDeterministic(t *testing.T) {
	if !reflect.DeepEqual(Synthetic(20, 3, 50, 1), Synthetic(20, 3, 50, 1)) {
		t.Error("same seed, different corpora")
	}
	if reflect.DeepEqual(Synthetic(20, 3, 50, 1), Synthetic(20, 3, 50, 2)) {
		t.Error("different seeds, same corpus")
	}
	if !reflect.DeepEqual(SyntheticQueries(30, 4), SyntheticQueries(30, 4)) {
		t.Error("same seed, different queries")
	}
}

func TestSyntheticVocabulary(t *testing.T) {
	if n := len(syntheticVocab); n < 2000 || n > 10000 {
		t.Errorf("vocabulary of %d words, want a few thousand", n)
	}
	for _, w := range []string{"cuba", "mexico", "haiti", "1994", "migration"} {
		if !slices.Contains(syntheticVocab, w) {
			t.Errorf("vocabulary lacks %q", w)
		}
	}
	// Zipf-like: the most frequent word is far more common than a middle one.
	counts := map[string]int{}
	for _, d := range Synthetic(30, 5, 200, 3) {
		for _, w := range strings.FieldsFunc(strings.ToLower(d.Doc.Text), func(r rune) bool { return r == ' ' || r == '.' || r == ',' || r == '\n' }) {
			counts[w]++
		}
	}
	if top, mid := counts[syntheticVocab[0]], counts[syntheticVocab[1000]]; top < 20*max(mid, 1) {
		t.Errorf("rank 0 occurs %d times, rank 1000 %d: not Zipf-like", top, mid)
	}
}

func TestSyntheticQueries(t *testing.T) {
	stop := map[string]bool{}
	for _, w := range syntheticStopWords {
		stop[w] = true
	}
	rank := map[string]int{}
	for i, w := range syntheticVocab {
		rank[w] = i
	}
	frequent, rare := 0, 0
	for _, q := range SyntheticQueries(200, 5) {
		if len(q) < 3 || len(q) > 6 {
			t.Errorf("query %v has %d terms, want 3..6", q, len(q))
		}
		seen := map[string]bool{}
		for _, term := range q {
			if seen[term.Text] || stop[term.Text] || term.Weight != 1 {
				t.Errorf("query %v: bad term %+v", q, term)
			}
			seen[term.Text] = true
			r, ok := rank[term.Text]
			if !ok {
				t.Errorf("term %q not in the vocabulary", term.Text)
			}
			if r < syntheticFirstContent+300 {
				frequent++
			} else if r >= syntheticFirstContent+1500 {
				rare++
			}
		}
	}
	if frequent == 0 || rare == 0 {
		t.Errorf("%d frequent and %d rare terms: want a mix", frequent, rare)
	}
}
