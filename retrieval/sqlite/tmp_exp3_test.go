package sqlite

import (
	"context"
	"fmt"
	"math"
	"os"
	"sort"
	"testing"

	"attache/retrieval"
	"attache/retrieval/storetest"
)

func BenchmarkExpSplit(b *testing.B) {
	if os.Getenv("EXP") == "" {
		b.Skip()
	}
	s := benchStore(b, "100k", 10_000)
	ctx := context.Background()
	qs := storetest.SyntheticQueries(200, 7)
	const K = 8
	for _, B := range []int{1000, 3000, 10000} {
		for _, M := range []int{50, 200, 1000} {
			ok, okNoEM := 0, 0
			rowsE := 0
			for _, q := range qs {
				var words []string
				for _, t := range q {
					words = append(words, t.Text)
				}
				df, N, _ := s.DocFreq(ctx, words)
				sort.Slice(q, func(i, j int) bool { return df[q[i].Text] < df[q[j].Text] })
				var E, F []retrieval.Term
				sum := 0
				for i, t := range q {
					if i == 0 || sum+df[t.Text] <= B {
						E = append(E, t)
						sum += df[t.Text]
					} else {
						F = append(F, t)
					}
				}
				rowsE += sum
				ub := 0.0
				for _, t := range F {
					d := float64(df[t.Text])
					idf := math.Log((float64(N) - d + 0.5) / (d + 0.5))
					if idf <= 0 {
						idf = 1e-6
					}
					ub += 2.2 * idf
				}
				full, _, _ := matchExpr(q)
				hits, _, _ := s.searchTop(ctx, full, K, K, "", nil)
				theta := 0.0
				if len(hits) == K {
					theta = hits[K-1].Score
				}
				ee, _, _ := matchExpr(E)
				eh, _, _ := s.searchTop(ctx, ee, M, M, "", nil)
				em := 0.0
				if len(eh) == M {
					em = eh[M-1].Score
				}
				if theta >= em+ub {
					ok++
				}
				if theta >= ub {
					okNoEM++
				}
			}
			fmt.Fprintf(os.Stderr, "B=%d M=%d exact %d/%d (F-only ok %d) avg E rows %d\n", B, M, ok, len(qs), okNoEM, rowsE/len(qs))
		}
	}
}
