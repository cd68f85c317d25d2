package vector

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sync"
)

// quantize normalises v to unit length and writes it to dst (len(dst) ≥
// len(v)) as int8 two's-complement bytes, returning the scale that turns dst
// back into the unit vector: unit[i] ≈ int8(dst[i]) × scale, with
// scale = max|unit[i]| / 127. A zero vector gives zeros and scale 0.
func quantize(v []float32, dst []byte) float32 {
	dst = dst[:len(v)]
	var norm2 float64
	var maxAbs float32
	for _, f := range v {
		norm2 += float64(f) * float64(f)
		if a := abs32(f); a > maxAbs {
			maxAbs = a
		}
	}
	if maxAbs == 0 || norm2 == 0 {
		clear(dst)
		return 0
	}
	// unit[i]/scale = v[i]/norm * 127*norm/maxAbs = v[i]*127/maxAbs.
	inv := 127 / maxAbs
	for i, f := range v {
		// |f*inv| ≤ 127, so f*inv+128.5 is in [1, 255.5]: truncating it
		// rounds to nearest (halves up) without a branch.
		dst[i] = byte(int32(f*inv+128.5) - 128)
	}
	return float32(float64(maxAbs) / math.Sqrt(norm2) / 127)
}

func abs32(f float32) float32 {
	if f < 0 {
		return -f
	}
	return f
}

// unit returns v scaled to unit length (a copy), or nil for a zero vector.
func unit(v []float32) []float32 {
	var n2 float64
	for _, f := range v {
		n2 += float64(f) * float64(f)
	}
	if n2 == 0 || math.IsNaN(n2) || math.IsInf(n2, 0) {
		return nil
	}
	inv := float32(1 / math.Sqrt(n2))
	out := make([]float32, len(v))
	for i, f := range v {
		out[i] = f * inv
	}
	return out
}

// finite reports whether every component of v is a finite number.
func finite(v []float32) bool {
	for _, f := range v {
		if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
			return false
		}
	}
	return true
}

// dotInt8 is the dot product of a and b (len(b) ≥ len(a)), both int8
// vectors held as two's-complement bytes, with int32 accumulation. It is the
// plain reference for dotPacked and computes the components past its blocks.
func dotInt8(a, b []byte) int32 {
	b = b[:len(a)]
	var s int32
	for i, x := range a {
		s += int32(int8(x)) * int32(int8(b[i]))
	}
	return s
}

// dotDequant is Σ q[i]*float32(int8(v[i])) in float32 (len(v) ≥ len(q)).
func dotDequant(q []float32, v []byte) float32 {
	v = v[:len(q)]
	var s0, s1, s2, s3 float32
	for len(q) >= 4 && len(v) >= 4 {
		x, y := q[:4:4], v[:4:4]
		s0 += x[0] * float32(int8(y[0]))
		s1 += x[1] * float32(int8(y[1]))
		s2 += x[2] * float32(int8(y[2]))
		s3 += x[3] * float32(int8(y[3]))
		q, v = q[4:], v[4:]
	}
	for i := range q {
		s0 += q[i] * float32(int8(v[i]))
	}
	return s0 + s1 + s2 + s3
}

// snapshot is an immutable set of quantised vectors. Sync builds a new one
// and swaps it in; searches keep using the one they started with.
type snapshot struct {
	dims   int
	ids    []string
	hashes [][32]byte // SHA-256 of each passage text, to reuse vectors on the next Sync
	scales []float32
	sums   []int32 // blockSum of each row, for dotPacked
	// data is one contiguous slab of len(ids) × dims int8 components (as
	// two's-complement bytes, the form the cache's BLOBs and the SWAR loads
	// use), row i being vector i.
	data []byte
}

func (s *snapshot) len() int {
	if s == nil {
		return 0
	}
	return len(s.ids)
}

func (s *snapshot) row(i int) []byte { return s.data[i*s.dims : (i+1)*s.dims : (i+1)*s.dims] }

// cand is a scan candidate: an approximate score and a row.
type cand struct {
	score float32
	row   int32
}

// topHeap keeps the best cap(c) candidates seen, as a min-heap on score.
type topHeap struct{ c []cand }

func newTopHeap(n int) topHeap { return topHeap{c: make([]cand, 0, n)} }

// offer adds a candidate if there is room or it beats the worst one kept.
func (h *topHeap) offer(score float32, row int32) {
	c := h.c
	if len(c) < cap(c) {
		c = append(c, cand{score, row})
		// Sift up.
		i := len(c) - 1
		for i > 0 {
			p := (i - 1) / 2
			if c[p].score <= c[i].score {
				break
			}
			c[p], c[i] = c[i], c[p]
			i = p
		}
		h.c = c
		return
	}
	if score <= c[0].score {
		return
	}
	c[0] = cand{score, row}
	// Sift down.
	i, n := 0, len(c)
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && c[r].score < c[l].score {
			m = r
		}
		if c[i].score <= c[m].score {
			break
		}
		c[i], c[m] = c[m], c[i]
		i = m
	}
}

// scan offers rows [lo, hi) scored by the int8 dot product with q times the
// row's scale (the query's own scale is a common factor and is left out).
func (s *snapshot) scan(q *packedQuery, lo, hi int, h *topHeap) {
	d := s.dims
	data, scales, sums := s.data, s.scales[:hi], s.sums[:hi]
	full := false
	var worst float32
	for i := lo; i < hi; i++ {
		sc := float32(dotPacked(q, data[i*d:(i+1)*d], sums[i])) * scales[i]
		if full && sc <= worst {
			continue
		}
		h.offer(sc, int32(i))
		if len(h.c) == cap(h.c) {
			full, worst = true, h.c[0].score
		}
	}
}

// parallelMin is the slab size (bytes) from which a scan is split over
// goroutines; below it the goroutine start-up costs more than it saves.
const parallelMin = 1 << 21

// search returns the k rows nearest to the unit query qf: an int8 scan keeps
// the best max(4k, 32) candidates, which are rescored against the
// dequantised vectors in float32.
func (s *snapshot) search(qf []float32, k int) []Scored {
	n := s.len()
	if n == 0 || k <= 0 || len(qf) != s.dims {
		return nil
	}
	k = min(k, n)
	nc := min(max(4*k, 32), n)
	qb := make([]byte, s.dims)
	quantize(qf, qb)
	q := packQuery(qb)

	workers := 1
	if len(s.data) >= parallelMin {
		workers = min(runtime.GOMAXPROCS(0), n/1024+1)
	}
	var cands []cand
	if workers <= 1 {
		h := newTopHeap(nc)
		s.scan(q, 0, n, &h)
		cands = h.c
	} else {
		heaps := make([]topHeap, workers)
		var wg sync.WaitGroup
		for w := range workers {
			lo, hi := n*w/workers, n*(w+1)/workers
			heaps[w] = newTopHeap(nc)
			wg.Go(func() { s.scan(q, lo, hi, &heaps[w]) })
		}
		wg.Wait()
		cands = make([]cand, 0, nc*workers)
		for _, h := range heaps {
			cands = append(cands, h.c...)
		}
	}

	out := make([]Scored, len(cands))
	for i, c := range cands {
		r := int(c.row)
		out[i] = Scored{ID: s.ids[r], Score: float64(dotDequant(qf, s.row(r)) * s.scales[r])}
	}
	sortScored(out)
	return out[:min(k, len(out))]
}

// sortScored orders by score, best first; equal scores by ID, for stable output.
func sortScored(s []Scored) {
	slices.SortFunc(s, func(a, b Scored) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// newSnapshot allocates a snapshot of n rows of d dimensions; the caller
// fills ids and hashes and sets every row.
func newSnapshot(d, n int) *snapshot {
	return &snapshot{dims: d, scales: make([]float32, n), sums: make([]int32, n), data: make([]byte, n*d)}
}

// set stores row i: its scale and int8 components.
func (s *snapshot) set(i int, scale float32, data []byte) {
	copy(s.row(i), data)
	s.scales[i] = scale
	s.sums[i] = blockSum(s.row(i), s.dims/blockLen*blockLen)
}
