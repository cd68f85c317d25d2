package eval

import "math"

// z95 is the standard normal quantile of a two-sided 95% interval.
const z95 = 1.959964

// Proportion is a rate with its count and its 95% Wilson score interval:
// Hits of N questions (or sentences, answers). With N = 0 the rate and both
// bounds are 0.
type Proportion struct {
	Hits int     `json:"hits"`
	N    int     `json:"n"`
	Rate float64 `json:"rate"`
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// wilson returns hits of n with its 95% Wilson score interval, which keeps
// within [0, 1] and stays informative at rates of 0 and 1 and for small n,
// where the normal approximation does not.
func wilson(hits, n int) Proportion {
	p := Proportion{Hits: hits, N: n}
	if n <= 0 {
		return p
	}
	nf := float64(n)
	p.Rate = float64(hits) / nf
	z2 := z95 * z95
	den := 1 + z2/nf
	center := (p.Rate + z2/(2*nf)) / den
	half := z95 / den * math.Sqrt(p.Rate*(1-p.Rate)/nf+z2/(4*nf*nf))
	p.Low = math.Max(0, center-half)
	p.High = math.Min(1, center+half)
	return p
}

// Interval is a mean with its 95% interval.
type Interval struct {
	Mean float64 `json:"mean"`
	N    int     `json:"n"`
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// meanInterval returns the mean of values in [0, 1] with the normal
// approximation of its 95% interval (mean ± 1.96 standard errors, with the
// sample standard deviation), clipped to [0, 1].
func meanInterval(values []float64) Interval {
	iv := Interval{N: len(values)}
	if len(values) == 0 {
		return iv
	}
	var sum float64
	for _, v := range values {
		sum += v
	}
	n := float64(len(values))
	iv.Mean = sum / n
	if len(values) < 2 {
		iv.Low, iv.High = iv.Mean, iv.Mean
		return iv
	}
	var ss float64
	for _, v := range values {
		ss += (v - iv.Mean) * (v - iv.Mean)
	}
	se := math.Sqrt(ss/(n-1)) / math.Sqrt(n)
	iv.Low = math.Max(0, iv.Mean-z95*se)
	iv.High = math.Min(1, iv.Mean+z95*se)
	return iv
}
