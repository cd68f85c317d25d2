package vector

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

const benchDims = 768

var benchData = map[int]*snapshot{}
var benchMu sync.Mutex

// benchSnapshot builds (once per size) n random unit vectors of benchDims.
func benchSnapshot(n int) *snapshot {
	benchMu.Lock()
	defer benchMu.Unlock()
	if s, ok := benchData[n]; ok {
		return s
	}
	s := snapshotOf(randomUnit(rand.New(rand.NewPCG(uint64(n), 7)), n, benchDims))
	benchData[n] = s
	return s
}

// bytesPerVector is the in-memory cost of one vector: int8 data, scale,
// component sum, text hash, ID string header and bytes.
func bytesPerVector(s *snapshot) float64 {
	total := len(s.data) + 4*len(s.scales) + 4*len(s.sums) + 32*len(s.hashes)
	for _, id := range s.ids {
		total += 16 + len(id)
	}
	return float64(total) / float64(len(s.ids))
}

func BenchmarkSearchVector(b *testing.B) {
	for _, bc := range []struct {
		name string
		n    int
	}{{"10k", 10_000}, {"100k", 100_000}} {
		b.Run(bc.name, func(b *testing.B) {
			x := &Index{snap: benchSnapshot(bc.n)}
			queries := randomUnit(rand.New(rand.NewPCG(3, 4)), 64, benchDims)
			var times []time.Duration
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				t0 := time.Now()
				res := x.SearchVector(queries[i%len(queries)], 10)
				times = append(times, time.Since(t0))
				if len(res) != 10 {
					b.Fatalf("got %d results, want 10", len(res))
				}
			}
			b.StopTimer()
			slices.Sort(times)
			pct := func(p float64) float64 {
				return float64(times[int(p*float64(len(times)-1))]) / float64(time.Millisecond)
			}
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.95), "p95-ms")
			b.ReportMetric(bytesPerVector(x.snap), "B/vector")
		})
	}
}

func BenchmarkQuantize(b *testing.B) {
	v := randomUnit(rand.New(rand.NewPCG(5, 6)), 1, benchDims)[0]
	dst := make([]byte, benchDims)
	b.SetBytes(int64(4 * benchDims))
	b.ReportAllocs()
	for b.Loop() {
		quantize(v, dst)
	}
}

func BenchmarkDotInt8(b *testing.B) {
	r := rand.New(rand.NewPCG(8, 9))
	x, y := make([]byte, benchDims), make([]byte, benchDims)
	for i := range x {
		x[i], y[i] = byte(int8(r.IntN(255)-127)), byte(int8(r.IntN(255)-127))
	}
	pq := packQuery(x)
	ys := blockSum(y, pq.nb)
	b.SetBytes(benchDims)
	var sink int32
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			sink += dotInt8(x, y)
		}
	})
	b.Run("packed", func(b *testing.B) {
		for b.Loop() {
			sink += dotPacked(pq, y, ys)
		}
	})
	if sink == 1 {
		b.Log(sink)
	}
}
