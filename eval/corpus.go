package eval

import (
	"slices"
	"strconv"
	"strings"

	"attache"
	"attache/internal/text"
)

// Corpus is what the question generator knows of the articles: their
// passages, with an inverted index of folded words and of stems so that "does
// any article say X together with Y" is answered without a search engine
// (whose ranking is what the generated questions are meant to test).
type Corpus struct {
	passages []attache.Passage
	// words holds each passage's folded words joined by single spaces, with a
	// space at either end, for phrase tests.
	words []string
	// byWord and byStem list the passages holding a folded word or a stem,
	// in increasing order.
	byWord map[string][]int32
	byStem map[string][]int32
	// docs maps a document's ID, path and base name to its passages.
	docs map[string][]int32
	// minYear and maxYear bound the years of the dated documents.
	minYear, maxYear int
}

// NewCorpus indexes passages (of any number of documents, in any order).
func NewCorpus(ps []attache.Passage) *Corpus {
	c := &Corpus{passages: ps, words: make([]string, len(ps)),
		byWord: map[string][]int32{}, byStem: map[string][]int32{}, docs: map[string][]int32{}}
	for i, p := range ps {
		ws := text.Words(p.Title + "\n" + p.Text)
		c.words[i] = " " + strings.Join(ws, " ") + " "
		for _, w := range ws {
			add(c.byWord, w, int32(i))
			add(c.byStem, key(w), int32(i))
		}
		for _, key := range []string{p.DocID, p.Path, baseName(p.DocID)} {
			if key != "" {
				add(c.docs, key, int32(i))
			}
		}
		if y := yearOf(p.Date); y > 0 {
			if c.minYear == 0 || y < c.minYear {
				c.minYear = y
			}
			c.maxYear = max(c.maxYear, y)
		}
	}
	return c
}

// key is what a word is compared by when asking whether a passage holds a
// question's words: the name it is a form of ("Cuban", "Havana" → Cuba), else
// its stem.
func key(w string) string {
	if g, ok := text.NameGroup(w); ok {
		return "#" + strconv.Itoa(g)
	}
	return text.Stem(w)
}

// add appends i to m[k] unless it is already its last element (passages are
// added in order, so the lists stay sorted and unique).
func add(m map[string][]int32, k string, i int32) {
	l := m[k]
	if n := len(l); n > 0 && l[n-1] == i {
		return
	}
	m[k] = append(l, i)
}

func yearOf(date string) int {
	if len(date) < 4 {
		return 0
	}
	y := 0
	for _, r := range date[:4] {
		if r < '0' || r > '9' {
			return 0
		}
		y = y*10 + int(r-'0')
	}
	return y
}

// intersect returns the elements common to sorted lists a and b.
func intersect(a, b []int32) []int32 {
	var out []int32
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

// withAll returns the passages holding every one of the lists' keys; nil
// keys match every passage.
func (c *Corpus) withAll(index map[string][]int32, keys []string) []int32 {
	var out []int32
	for i, k := range keys {
		if i == 0 {
			out = index[k]
		} else {
			out = intersect(out, index[k])
		}
		if len(out) == 0 {
			return nil
		}
	}
	if len(keys) == 0 {
		out = make([]int32, len(c.passages))
		for i := range out {
			out[i] = int32(i)
		}
	}
	return out
}

// phrase returns the passages holding the words of phrase in a row.
func (c *Corpus) phrase(phrase string) []int32 {
	ws := text.Words(phrase)
	if len(ws) == 0 {
		return nil
	}
	seq := " " + strings.Join(ws, " ") + " "
	var out []int32
	for _, i := range c.withAll(c.byWord, slices.Compact(slices.Sorted(slices.Values(ws)))) {
		if strings.Contains(c.words[i], seq) {
			out = append(out, i)
		}
	}
	return out
}

// Mentions reports whether any passage holds one of the phrases.
func (c *Corpus) Mentions(phrases ...string) bool {
	for _, p := range phrases {
		if len(c.phrase(p)) > 0 {
			return true
		}
	}
	return false
}

// document returns the passages of a document named by ID, path or base name.
func (c *Corpus) document(id string) []int32 {
	if ps, ok := c.docs[id]; ok {
		return ps
	}
	return c.docs[baseName(id)]
}
