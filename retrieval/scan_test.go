package retrieval

import (
	"go/ast"
	"go/parser"
	"go/token"
	"math/bits"
	"slices"
	"testing"

	"attache"
)

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

func TestStoreBounds(t *testing.T) {
	tests := []struct {
		weight       float64
		scan         int
		wantW        float64
		wantScan     int
		wantRejected bool
	}{
		{0, 0, DefaultTitleWeight, DefaultMaxScan, false},
		{3, 100, 3, 100, false},
		{1, -1, 1, 0, false}, // no bound
		{-1, 0, 0, 0, true},
	}
	for _, tc := range tests {
		w, scan, err := StoreBounds(tc.weight, tc.scan)
		if (err != nil) != tc.wantRejected || !tc.wantRejected && (w != tc.wantW || scan != tc.wantScan) {
			t.Errorf("StoreBounds(%g, %d) = %g, %d, %v", tc.weight, tc.scan, w, scan, err)
		}
	}
}

func TestKeepRarest(t *testing.T) {
	df := map[string]int{"cuba": 30, "talks": 400, "the": 5000, "zebra": 0, "visa": 90}
	tests := []struct {
		words   []string
		bound   int
		want    []string
		wantSum int
	}{
		{[]string{"talks", "cuba", "visa"}, 1000, []string{"talks", "cuba", "visa"}, 520}, // all fit, in their order
		{[]string{"the", "talks", "cuba", "visa"}, 200, []string{"cuba", "visa"}, 120},    // the common ones left out
		{[]string{"the", "talks"}, 10, []string{"talks"}, 400},                            // the rarest always kept
		{[]string{"zebra", "cuba"}, 100, []string{"cuba"}, 30},                            // a word in no passage dropped
		{[]string{"zebra"}, 100, []string{"zebra"}, 0},                                    // nothing matches: kept to say so
	}
	for _, tc := range tests {
		got, sum := KeepRarest(tc.words, df, tc.bound)
		if !slices.Equal(got, tc.want) || sum != tc.wantSum {
			t.Errorf("KeepRarest(%v, %d) = %v, %d; want %v, %d", tc.words, tc.bound, got, sum, tc.want, tc.wantSum)
		}
	}
}

// TestAtLeastExpr checks the expression against every assignment of truth
// values to its parts, read as a Go boolean expression.
func TestAtLeastExpr(t *testing.T) {
	names := []string{"a", "b", "c", "d", "e"}
	for n := 1; n <= len(names); n++ {
		for k := 0; k <= n+1; k++ {
			expr := AtLeastExpr(names[:n], k, " && ", " || ")
			tree, err := parser.ParseExpr(expr)
			if err != nil {
				t.Fatalf("n=%d k=%d: %q does not parse: %v", n, k, expr, err)
			}
			need := k
			if k <= 0 || k > n {
				need = n
			}
			for mask := 0; mask < 1<<n; mask++ {
				truth := map[string]bool{}
				for i := range n {
					truth[names[i]] = mask&(1<<i) != 0
				}
				if got, want := evalBool(t, tree, truth), bits.OnesCount(uint(mask)) >= need; got != want {
					t.Errorf("n=%d k=%d: %q with %v is %v, want %v", n, k, expr, truth, got, want)
				}
			}
		}
	}
}

func evalBool(t *testing.T, e ast.Expr, truth map[string]bool) bool {
	t.Helper()
	switch e := e.(type) {
	case *ast.ParenExpr:
		return evalBool(t, e.X, truth)
	case *ast.Ident:
		return truth[e.Name]
	case *ast.BinaryExpr:
		x, y := evalBool(t, e.X, truth), evalBool(t, e.Y, truth)
		if e.Op == token.LAND {
			return x && y
		}
		return x || y
	}
	t.Fatalf("unexpected node %T", e)
	return false
}

func TestWithin(t *testing.T) {
	tests := []struct {
		a, b attache.DateRange
		want bool
	}{
		{attache.DateRange{Since: "2021-05", Until: "2021-05"}, attache.DateRange{Since: "2020", Until: "2020"}, false},
		{attache.DateRange{Since: "2020-05", Until: "2020-05"}, attache.DateRange{Since: "2020", Until: "2020"}, true},
		{attache.DateRange{Since: "2021-05", Until: "2021-05"}, attache.DateRange{Until: "2021-02"}, false},
		{attache.DateRange{Since: "2021-01", Until: "2021-01"}, attache.DateRange{Until: "2021-02"}, true},
	}
	for _, tc := range tests {
		if got := within(tc.a, tc.b); got != tc.want {
			t.Errorf("within(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
