package retrieval

import "testing"

func TestWindowStart(t *testing.T) {
	tests := []struct {
		lo, hi         int64
		matches, bound int
		want           int64
	}{
		{1, 100, 10, 20, 0},    // fewer matches than the bound
		{1, 100, 20, 20, 0},    // as many
		{1, 100, 40, 20, 50},   // half of the ids
		{1, 100, 400, 20, 95},  // a twentieth
		{1, 100, 30, 20, 33},   // 66.7 rounded up to 67 ids
		{51, 150, 40, 20, 100}, // ids need not start at 1
		{1, 10, 1000, 1, 9},    // at least one id
		{5, 4, 100, 10, 0},     // no passages
		{1, 100, 101, 100, 0},  // the window would start below lo
		{1, 1_500_000, 30_000, 6_000, 1_200_000},
	}
	for _, tc := range tests {
		if got := WindowStart(tc.lo, tc.hi, tc.matches, tc.bound); got != tc.want {
			t.Errorf("WindowStart(%d, %d, %d, %d) = %d, want %d", tc.lo, tc.hi, tc.matches, tc.bound, got, tc.want)
		}
	}
}
