package vector

import (
	"fmt"
	"math/rand/v2"
)

// randomUnit returns n random unit vectors of d dimensions (isotropic).
func randomUnit(r *rand.Rand, n, d int) [][]float32 {
	out := make([][]float32, n)
	for i := range out {
		v := make([]float32, d)
		for j := range v {
			v[j] = float32(r.NormFloat64())
		}
		out[i] = unit(v)
	}
	return out
}

// snapshotOf builds an in-memory snapshot directly, without cache or
// embedder, IDs "v0", "v1", ...
func snapshotOf(vecs [][]float32) *snapshot {
	d := len(vecs[0])
	s := newSnapshot(d, len(vecs))
	s.ids, s.hashes = make([]string, len(vecs)), make([][32]byte, len(vecs))
	buf := make([]byte, d)
	for i, v := range vecs {
		s.ids[i] = fmt.Sprintf("v%d", i)
		s.set(i, quantize(v, buf), buf)
	}
	return s
}
