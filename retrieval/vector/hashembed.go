package vector

import (
	"context"
	"errors"
	"hash/fnv"
	"math"
	"strings"
	"unicode"
)

// hashSpread is how many dimensions each word adds to in HashEmbedder.
const hashSpread = 4

// HashEmbedder returns a deterministic, offline Embedder for tests,
// benchmarks and demos of the plumbing. It is NOT a semantic model: each
// lower-cased word (a run of letters and digits) is hashed to a few
// pseudo-random dimensions with pseudo-random signs, the contributions are
// summed and the vector is normalised. Texts that share words therefore come
// out similar and texts that share none come out nearly orthogonal, but
// synonyms, paraphrases and other languages mean nothing to it. A text
// without words gives the zero vector.
func HashEmbedder(dims int) Embedder {
	return func(ctx context.Context, texts []string) ([][]float32, error) {
		if dims <= 0 {
			return nil, errors.New("hash embedder: dimensions must be positive")
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out := make([][]float32, len(texts))
		for i, t := range texts {
			out[i] = hashVector(t, dims)
		}
		return out, nil
	}
}

func hashVector(text string, dims int) []float32 {
	v := make([]float32, dims)
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for _, w := range words {
		h := fnv.New64a()
		h.Write([]byte(w)) //nolint:errcheck // hash writes never fail
		x := h.Sum64()
		for range hashSpread {
			x = splitmix64(x)
			d := int(x % uint64(dims))
			if x>>63 == 0 {
				v[d]++
			} else {
				v[d]--
			}
		}
	}
	var n2 float64
	for _, f := range v {
		n2 += float64(f) * float64(f)
	}
	if n2 > 0 {
		inv := float32(1 / math.Sqrt(n2))
		for i := range v {
			v[i] *= inv
		}
	}
	return v
}

// splitmix64 is one step of the SplitMix64 generator, used as a bit mixer.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
