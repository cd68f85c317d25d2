package retrieval

import (
	"fmt"
	"io"
	"math"
	"slices"
)

// FitQuestion is what fitting knows of one question: the features of its
// relevant candidates (passages that answer it) and of the others that
// re-ranking weighed against them.
type FitQuestion struct {
	ID       string               `json:"id"`
	Relevant []map[string]float64 `json:"relevant"`
	Other    []map[string]float64 `json:"other"`
}

// FitResult is the outcome of fitting.
type FitResult struct {
	Weights Weights
	// Fixed lists the features that no pair of candidates told apart, so
	// that the data says nothing of their weight: they keep the starting
	// weight.
	Fixed []string
	// Questions and Pairs counted; PairsBefore and PairsAfter are the
	// shares of pairs ranked right (relevant above other) with the starting
	// and the fitted weights, weighing every question equally.
	Questions, Pairs        int
	PairsBefore, PairsAfter float64
}

// Fit fits the weights of the relevance model by pairwise logistic
// regression: for every question, every relevant candidate should score
// above every other candidate, P(relevant above other) = σ(w · (f_rel −
// f_other)). Each question weighs the same whatever its number of pairs;
// the weights are L2-regularised by lambda and found by Newton's method,
// so the result is deterministic. Features that no pair tells apart keep
// their weight in start, relative to BM25's (the scale of the score).
func Fit(qs []FitQuestion, lambda float64, start Weights) FitResult {
	names := Features()
	type pair struct {
		d []float64
		w float64
	}
	var pairs []pair
	res := FitResult{Weights: Weights{}}
	vec := func(m map[string]float64) []float64 {
		v := make([]float64, len(names))
		for i, n := range names {
			v[i] = m[n]
		}
		return v
	}
	for _, q := range qs {
		if len(q.Relevant) == 0 || len(q.Other) == 0 {
			continue
		}
		res.Questions++
		w := 1 / float64(len(q.Relevant)*len(q.Other))
		for _, r := range q.Relevant {
			rv := vec(r)
			for _, o := range q.Other {
				ov := vec(o)
				d := make([]float64, len(names))
				for i := range d {
					d[i] = rv[i] - ov[i]
				}
				pairs = append(pairs, pair{d, w})
			}
		}
	}
	res.Pairs = len(pairs)
	// Only features that some pair tells apart are fitted.
	var active []int
	for i, n := range names {
		varies := slices.ContainsFunc(pairs, func(p pair) bool { return p.d[i] != 0 })
		if varies {
			active = append(active, i)
		} else {
			res.Fixed = append(res.Fixed, n)
		}
	}
	w := make([]float64, len(names))
	for i, n := range names {
		w[i] = start[n]
	}
	accuracy := func(w []float64) float64 {
		var right, total float64
		for _, p := range pairs {
			s := dot(w, p.d)
			switch {
			case s > 0:
				right += p.w
			case s == 0:
				right += p.w / 2
			}
			total += p.w
		}
		if total == 0 {
			return 0
		}
		return right / total
	}
	res.PairsBefore = accuracy(w)
	for i := range active {
		w[active[i]] = 0
	}
	n := len(active)
	for iter := 0; iter < 100 && n > 0; iter++ {
		grad := make([]float64, n)
		hess := make([][]float64, n)
		for a := range hess {
			hess[a] = make([]float64, n)
			hess[a][a] = lambda
			grad[a] = lambda * w[active[a]]
		}
		for _, p := range pairs {
			s := dot(w, p.d)
			sig := 1 / (1 + math.Exp(s)) // σ(−s)
			for a, i := range active {
				grad[a] -= p.w * sig * p.d[i]
				for b, j := range active {
					hess[a][b] += p.w * sig * (1 - sig) * p.d[i] * p.d[j]
				}
			}
		}
		step := solve(hess, grad)
		size := 0.0
		for a, i := range active {
			w[i] -= step[a]
			size = max(size, math.Abs(step[a]))
		}
		if size < 1e-9 {
			break
		}
	}
	// A kept weight keeps its size relative to BM25's, the score's scale.
	if b := slices.Index(names, FeatureBM25); start[FeatureBM25] != 0 && slices.Contains(active, b) {
		for i, n := range names {
			if slices.Contains(res.Fixed, n) {
				w[i] *= w[b] / start[FeatureBM25]
			}
		}
	}
	res.PairsAfter = accuracy(w)
	for i, n := range names {
		res.Weights[n] = w[i]
	}
	return res
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// solve solves a·x = b by Gaussian elimination with partial pivoting (a is
// positive definite here: the regularised Hessian).
func solve(a [][]float64, b []float64) []float64 {
	n := len(b)
	m := make([][]float64, n)
	for i := range a {
		m[i] = append(slices.Clone(a[i]), b[i])
	}
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		m[c], m[p] = m[p], m[c]
		if m[c][c] == 0 {
			continue
		}
		for r := c + 1; r < n; r++ {
			f := m[r][c] / m[c][c]
			for k := c; k <= n; k++ {
				m[r][k] -= f * m[c][k]
			}
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		if m[r][r] == 0 {
			continue
		}
		s := m[r][n]
		for k := r + 1; k < n; k++ {
			s -= m[r][k] * x[k]
		}
		x[r] = s / m[r][r]
	}
	return x
}

// WriteGo writes weights as the Go source of DefaultWeights, in the order
// of Features, rounded to three decimals.
func (w Weights) WriteGo(out io.Writer) error {
	if _, err := fmt.Fprintln(out, "var DefaultWeights = Weights{"); err != nil {
		return err
	}
	for _, n := range Features() {
		if _, err := fmt.Fprintf(out, "\t%-15s %.3f,\n", fmt.Sprintf("%q:", n), w[n]); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(out, "}")
	return err
}
