package vector

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestDotPackedMatchesPlainProduct(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	naive := func(a, b []byte) int64 {
		var s int64
		for i := range a {
			s += int64(int8(a[i])) * int64(int8(b[i]))
		}
		return s
	}
	fill := func(v []byte, mode int) {
		for i := range v {
			var c int
			switch mode {
			case 0:
				c = r.IntN(255) - 127
			case 1:
				c = 127
			case 2:
				c = -127
			case 3:
				c = 127 - 254*(i%2)
			}
			v[i] = byte(int8(c))
		}
	}
	for _, n := range []int{0, 1, 7, 15, 16, 17, 31, 32, 33, 64, 100, 768, 1536} {
		for ma := range 4 {
			for mb := range 4 {
				a, b := make([]byte, n), make([]byte, n)
				fill(a, ma)
				fill(b, mb)
				pq := packQuery(a)
				want := naive(a, b)
				if got := dotInt8(a, b); int64(got) != want {
					t.Fatalf("n=%d modes %d/%d: dotInt8 = %d, want %d", n, ma, mb, got, want)
				}
				if got := dotPacked(pq, b, blockSum(b, pq.nb)); int64(got) != want {
					t.Fatalf("n=%d modes %d/%d: dotPacked = %d, want %d", n, ma, mb, got, want)
				}
			}
		}
	}
}

func TestQuantize(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, d := range []int{1, 3, 64, 768} {
		v := make([]float32, d)
		for i := range v {
			v[i] = float32(r.NormFloat64() * 5)
		}
		u := unit(v)
		q := make([]byte, d)
		scale := quantize(v, q)
		var maxq int
		for i := range u {
			c := int(int8(q[i]))
			maxq = max(maxq, abs(c))
			if err := math.Abs(float64(u[i]) - float64(c)*float64(scale)); err > float64(scale)/2+1e-7 {
				t.Fatalf("d=%d component %d: %v quantised to %d×%v, error %v > scale/2", d, i, u[i], c, scale, err)
			}
		}
		if maxq != 127 {
			t.Errorf("d=%d: largest quantised component is %d, want 127", d, maxq)
		}
		// The scale makes the dequantised vector unit length, near enough.
		var n2, cos float64
		for i := range u {
			x := float64(int8(q[i])) * float64(scale)
			n2 += x * x
			cos += x * float64(u[i])
		}
		if math.Abs(math.Sqrt(n2)-1) > 0.01 || cos/math.Sqrt(n2) < 0.999 {
			t.Errorf("d=%d: dequantised norm %v, cosine to original %v", d, math.Sqrt(n2), cos/math.Sqrt(n2))
		}
		// Quantisation does not depend on the input's length.
		w := make([]float32, d)
		for i := range v {
			w[i] = v[i] * 0.25
		}
		q2 := make([]byte, d)
		if s2 := quantize(w, q2); string(q2) != string(q) || math.Abs(float64(s2-scale)) > 1e-6*float64(scale) {
			t.Errorf("d=%d: quantising a scaled copy gave a different result", d)
		}
	}
	z := []byte{1, 2, 3}
	if s := quantize([]float32{0, 0, 0}, z); s != 0 || string(z) != "\x00\x00\x00" {
		t.Errorf("zero vector: scale %v data %v, want 0 and zeros", s, z)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestTopHeapKeepsBest(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	scores := make([]float32, 1000)
	h := newTopHeap(25)
	for i := range scores {
		scores[i] = r.Float32()
		h.offer(scores[i], int32(i))
	}
	var kept float32 = 2
	for _, c := range h.c {
		kept = min(kept, c.score)
	}
	better := 0
	for _, s := range scores {
		if s > kept {
			better++
		}
	}
	if len(h.c) != 25 || better != 24 {
		t.Errorf("heap holds %d candidates with %d better scores outside the worst kept, want 25 and 24", len(h.c), better)
	}
}
