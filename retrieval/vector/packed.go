package vector

import "encoding/binary"

// The scan's dot product works on sixteen int8 components at a time with
// plain 64-bit integer multiplies (SWAR), which Go compiles to far fewer
// instructions than a component-by-component loop (no assembly, no cgo).
//
// Components are first offset to unsigned bytes, u = v+128 (vector) and
// p = q+128 (query), both in 1..255. Masking a vector word spreads four of
// its bytes (the even or the odd ones) into four 16-bit lanes. The query is
// split into nibbles, p = 16·ph + pl, and for each group of four bytes a
// word holds their low (or high) nibbles in reversed lane order. The 64-bit
// product of the two words then has Σ u·pl of the four pairs in its top
// lane (bits 48–63): the lower lanes hold partial sums too small to carry
// into it (< 2⁴⁶) and the higher ones fall off the product. Four such
// products still fit one lane (16·255·15 < 2¹⁶), so two vector words are
// accumulated before the top lane is read. The offsets are removed at the
// end with the precomputed component sums of the query and of each vector,
// so the result is the exact int32 dot product of the int8 vectors.

const (
	blockLen = 16                 // components per SWAR step
	byteMask = 0x00FF00FF00FF00FF // bytes 0, 2, 4, 6 in 16-bit lanes
	signFlip = 0x8080808080808080 // int8 → uint8 offset by 128, per byte
)

// packedQuery is a query prepared for dotPacked.
type packedQuery struct {
	q []byte // the int8 query (the components past the blocks are used as is)
	// words holds, per 8 components, the reversed-lane nibble words
	// even-low, even-high, odd-low, odd-high.
	words []uint64
	sum   int32 // Σ q over the blocked components
	nb    int   // blocked components: len(q) rounded down to blockLen
}

func packQuery(q []byte) *packedQuery {
	nb := len(q) / blockLen * blockLen
	pq := &packedQuery{q: q, nb: nb, words: make([]uint64, 0, nb/2), sum: blockSum(q, nb)}
	for w := range nb / 8 {
		var el, eh, ol, oh uint64
		for j := range 4 {
			pe := uint64(q[8*w+2*j] ^ 0x80)
			po := uint64(q[8*w+2*j+1] ^ 0x80)
			sh := uint(16 * (3 - j))
			el |= (pe & 15) << sh
			eh |= (pe >> 4) << sh
			ol |= (po & 15) << sh
			oh |= (po >> 4) << sh
		}
		pq.words = append(pq.words, el, eh, ol, oh)
	}
	return pq
}

// blockSum is Σ v[:nb] (int8 components), the per-vector correction
// dotPacked needs.
func blockSum(v []byte, nb int) int32 {
	var s int32
	for _, x := range v[:nb] {
		s += int32(int8(x))
	}
	return s
}

// dotPacked returns the int8 dot product of pq.q and v, where vsum is
// blockSum(v, pq.nb).
func dotPacked(pq *packedQuery, v []byte, vsum int32) int32 {
	// Σ u·p over the blocks, then remove the offsets:
	// Σ (u−128)(p−128) = Σ u·p − 128·Σ v − 128·Σ q − 128²·nb.
	s := int64(swarDot(pq.words, v[:pq.nb])) - 128*int64(vsum) - 128*int64(pq.sum) - 16384*int64(pq.nb)
	return int32(s) + dotInt8(pq.q[pq.nb:], v[pq.nb:])
}

// swarDot returns Σ u·p over b (a multiple of blockLen bytes) for the query
// words qw. It is kept apart from dotPacked so that its loop has every
// register to itself.
func swarDot(qw []uint64, b []byte) uint64 {
	nw := len(b) / 8
	qw = qw[:4*nw]
	var sl, sh uint64
	for w := 0; w+1 < nw; w += 2 {
		x0 := binary.LittleEndian.Uint64(b[8*w:]) ^ signFlip
		x1 := binary.LittleEndian.Uint64(b[8*w+8:]) ^ signFlip
		q := qw[4*w : 4*w+8 : 4*w+8]
		e0, o0 := x0&byteMask, x0>>8&byteMask
		e1, o1 := x1&byteMask, x1>>8&byteMask
		sl += (e0*q[0] + o0*q[2] + e1*q[4] + o1*q[6]) >> 48
		sh += (e0*q[1] + o0*q[3] + e1*q[5] + o1*q[7]) >> 48
	}
	return 16*sh + sl
}
