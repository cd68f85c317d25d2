package ingest

import (
	"strconv"
	"strings"
	"testing"
	"unicode"

	"attache"
	"attache/internal/text"
)

// checkPassages asserts the properties every Chunk result must have, and
// returns the word count of each passage.
func checkPassages(t *testing.T, doc attache.Document, o ChunkOptions, ps []attache.Passage) []int {
	t.Helper()
	target := o.TargetWords
	if target <= 0 {
		target = DefaultChunkWords
	}
	limit := o.MaxWords
	if limit <= 0 {
		limit = target * 3 / 2
	}
	limit = max(limit, target)

	// Passages may start and end at sentence boundaries, and at line breaks
	// inside a sentence over the limit.
	spans := text.Sentences(doc.Text)
	bounds := map[int]bool{}
	for _, sp := range spans {
		bounds[sp.Start], bounds[sp.End] = true, true
		if countWords(doc.Text[sp.Start:sp.End]) > limit {
			for _, l := range lineSpans(doc.Text, sp.Start, sp.End) {
				bounds[l.Start], bounds[l.End] = true, true
			}
		}
	}
	units := sentenceUnits(doc.Text, limit)
	starts, ends := map[int]int{}, map[int]int{}
	for i, u := range units {
		if !bounds[u.start] || !bounds[u.end] {
			t.Fatalf("unit %d [%d,%d) is not at a sentence or line boundary", i, u.start, u.end)
		}
		starts[u.start] = i
		ends[u.end] = i
	}
	if len(spans) == 0 && len(ps) != 0 {
		t.Fatalf("no text but %d passages", len(ps))
	}
	words := make([]int, len(ps))
	covered := 0 // doc.Text[:covered] is accounted for
	for i, p := range ps {
		if p.ID != doc.ID+"#"+strconv.Itoa(i) || p.DocID != doc.ID || p.Ordinal != i {
			t.Fatalf("passage %d: id %q doc %q ordinal %d", i, p.ID, p.DocID, p.Ordinal)
		}
		if p.Title != doc.Title || p.Date != doc.Date || p.URL != doc.URL || p.Source != doc.Source || p.Path != doc.Path || p.Outlet != doc.Outlet {
			t.Fatalf("passage %d: metadata not copied: %+v", i, p)
		}
		if p.Start < 0 || p.End > len(doc.Text) || p.Start >= p.End || doc.Text[p.Start:p.End] != p.Text {
			t.Fatalf("passage %d: [%d,%d) does not index its text in a %d-byte document", i, p.Start, p.End, len(doc.Text))
		}
		if strings.TrimSpace(p.Text) == "" {
			t.Fatalf("passage %d is empty", i)
		}
		first, okStart := starts[p.Start]
		last, okEnd := ends[p.End]
		if !okStart || !okEnd {
			t.Fatalf("passage %d [%d,%d) cuts a sentence: %q", i, p.Start, p.End, p.Text)
		}
		if p.Start > covered && strings.TrimFunc(doc.Text[covered:p.Start], unicode.IsSpace) != "" {
			t.Fatalf("text %q before passage %d is in no passage", doc.Text[covered:p.Start], i)
		}
		if i > 0 {
			prev := ps[i-1]
			if p.Start <= prev.Start || p.End <= prev.End {
				t.Fatalf("passage %d [%d,%d) not after passage %d [%d,%d)", i, p.Start, p.End, i-1, prev.Start, prev.End)
			}
			if p.Start < prev.End {
				if !o.Overlap {
					t.Fatalf("passages %d and %d overlap without Overlap", i-1, i)
				}
				if ends[prev.End] != first {
					t.Fatalf("passage %d repeats more than one sentence: %q", i, doc.Text[p.Start:prev.End])
				}
			}
		}
		words[i] = countWords(p.Text)
		if words[i] > limit {
			// Allowed only for one sentence, with any heading lines before it.
			content := 0
			for _, u := range units[first : last+1] {
				if !u.heading {
					content++
				}
			}
			if first != last && (content != 1 || units[last].heading) {
				t.Fatalf("passage %d has %d words over the limit %d and %d sentences: %q", i, words[i], limit, last-first+1, p.Text)
			}
		}
		covered = p.End
	}
	if strings.TrimFunc(doc.Text[covered:], unicode.IsSpace) != "" {
		t.Fatalf("text %q after the last passage is in no passage", doc.Text[covered:])
	}
	return words
}

func TestChunkCorpus(t *testing.T) {
	files := []string{
		"corpus/2010-02-us-cuba-migration-talks.md",
		"corpus/2021-07-22-fact-sheet-measures-on-cuba.md",
		"corpus/2023-12-28-mexico-us-joint-communique-on-migration.md",
		"corpus/2021-03-08-dhs-venezuela-temporary-protected-status.md",
		"messy/2025-09-17-icymi-mortgage-rates-fall-to-three-year-low.md",
		"seed/us-cuba-migration-talks-2010.txt",
	}
	opts := []ChunkOptions{
		{},
		{TargetWords: 40},
		{TargetWords: 40, Overlap: true},
		{TargetWords: 80, MaxWords: 100, Overlap: true},
		{TargetWords: 5, MaxWords: 3},
		{TargetWords: 1000},
	}
	for _, rel := range files {
		doc, err := Parse(rel, readTestdata(t, rel), Options{Source: "k"})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range opts {
			t.Run(rel+"/"+strconv.Itoa(o.TargetWords)+"/"+strconv.FormatBool(o.Overlap), func(t *testing.T) {
				ps := Chunk(doc, o)
				words := checkPassages(t, doc, o, ps)
				total := countWords(doc.Text)
				target := o.TargetWords
				if target == 0 {
					target = DefaultChunkWords
				}
				if target >= 40 && len(ps) < total/(2*target) {
					t.Errorf("%d words cut into only %d passages for target %d", total, len(ps), target)
				}
				// Apart from the last passage, passages are not tiny.
				for i, w := range words[:len(words)-1] {
					if w < target/4 {
						t.Errorf("passage %d has %d words, target %d: %q", i, w, target, ps[i].Text)
					}
				}
			})
		}
	}
}

func TestChunkRules(t *testing.T) {
	sentence := func(i int) string {
		return "Sentence number " + strconv.Itoa(i) + " has six words."
	}
	para := func(from, n int) string {
		var s []string
		for i := from; i < from+n; i++ {
			s = append(s, sentence(i))
		}
		return strings.Join(s, " ")
	}
	tests := []struct {
		name string
		text string
		o    ChunkOptions
		want []string // passage texts
	}{
		{
			name: "empty document",
			text: "",
			want: nil,
		},
		{
			name: "short document is one passage",
			text: "One sentence. Another one.",
			want: []string{"One sentence. Another one."},
		},
		{
			name: "cut at sentence boundaries near the target",
			text: para(1, 4),
			o:    ChunkOptions{TargetWords: 12},
			want: []string{para(1, 2), para(3, 2)},
		},
		{
			name: "short remainder merges into the previous passage",
			text: para(1, 2) + " The end.",
			o:    ChunkOptions{TargetWords: 12, MaxWords: 18},
			want: []string{para(1, 2) + " The end."},
		},
		{
			name: "remainder kept apart when merging would pass the limit",
			text: para(1, 3),
			o:    ChunkOptions{TargetWords: 12, MaxWords: 12},
			want: []string{para(1, 2), sentence(3)},
		},
		{
			name: "heading stays with the following paragraph",
			text: para(1, 2) + "\n\nNew Section\n\n" + para(3, 2),
			o:    ChunkOptions{TargetWords: 14, MaxWords: 14},
			want: []string{para(1, 2), "New Section\n\n" + para(3, 2)},
		},
		{
			name: "label line ending in a colon stays with its list",
			text: para(1, 2) + " The measures are:\n- sanctions on officials\n- remittances",
			o:    ChunkOptions{TargetWords: 12, MaxWords: 14},
			want: []string{para(1, 2), "The measures are:\n- sanctions on officials\n- remittances"},
		},
		{
			name: "break at a paragraph end rather than inside the next paragraph",
			text: para(1, 2) + "\n\n" + para(3, 3),
			o:    ChunkOptions{TargetWords: 20, MaxWords: 24},
			want: []string{para(1, 2), para(3, 3)},
		},
		{
			name: "overlap repeats one sentence",
			text: para(1, 4),
			o:    ChunkOptions{TargetWords: 12, Overlap: true},
			want: []string{para(1, 2), para(2, 2), para(3, 2)},
		},
		{
			name: "a long sentence alone may pass the limit",
			text: "Short one. Long " + strings.Repeat("long ", 30) + "sentence. Short two.",
			o:    ChunkOptions{TargetWords: 5, MaxWords: 6},
			want: []string{"Short one.", "Long " + strings.Repeat("long ", 30) + "sentence.", "Short two."},
		},
		{
			name: "overlap dropped before a long sentence",
			text: "One two. Three four. Long " + strings.Repeat("long ", 30) + "sentence.",
			o:    ChunkOptions{TargetWords: 8, MaxWords: 9, Overlap: true},
			want: []string{"One two. Three four.", "Long " + strings.Repeat("long ", 30) + "sentence."},
		},
		{
			name: "a long multi-line sentence is cut at its line breaks",
			text: "The Secretary may impose sanctions on any person determined:\n(a) to be responsible for actions that threaten peace;\n" +
				"(b) to be a leader of an entity that has engaged in such actions;\n(c) to have materially assisted any such person or entity.",
			o: ChunkOptions{TargetWords: 10, MaxWords: 12},
			want: []string{
				"The Secretary may impose sanctions on any person determined:\n(a) to be responsible for actions that threaten peace;",
				"(b) to be a leader of an entity that has engaged in such actions;",
				"(c) to have materially assisted any such person or entity.",
			},
		},
		{
			name: "heading kept with a sentence longer than the limit",
			text: "Intro sentence here.\n\nBig Heading\n\nLong " + strings.Repeat("long ", 30) + "sentence.",
			o:    ChunkOptions{TargetWords: 3, MaxWords: 6},
			want: []string{"Intro sentence here.", "Big Heading\n\nLong " + strings.Repeat("long ", 30) + "sentence."},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := attache.Document{ID: "k/doc.md", Source: "k", Path: "doc.md", Title: "T", Date: "2010-02", URL: "u", Outlet: "o", Text: tc.text}
			ps := Chunk(doc, tc.o)
			checkPassages(t, doc, tc.o, ps)
			var got []string
			for _, p := range ps {
				got = append(got, p.Text)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func FuzzChunk(f *testing.F) {
	f.Add("One sentence. Another one.\n\nHeading\n\nA paragraph with U.S. text. More!", 3, 0, true)
	f.Add("- item\n- item two\n# H\n"+strings.Repeat("word ", 50)+".", 10, 12, false)
	f.Fuzz(func(t *testing.T, s string, target, maxWords int, overlap bool) {
		o := ChunkOptions{TargetWords: target % 400, MaxWords: maxWords % 600, Overlap: overlap}
		doc := attache.Document{ID: "f/doc", Text: s}
		checkPassages(t, doc, o, Chunk(doc, o))
	})
}

func BenchmarkChunk(b *testing.B) {
	data := readTestdata(b, "corpus/2021-03-08-dhs-venezuela-temporary-protected-status.md")
	doc, err := Parse("tps.md", data, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc.Text)))
	for b.Loop() {
		Chunk(doc, ChunkOptions{Overlap: true})
	}
}
