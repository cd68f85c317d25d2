package vector

import (
	"math"
	"testing"
)

func TestFuse(t *testing.T) {
	type want struct {
		id    string
		score float64
	}
	cases := []struct {
		name  string
		k0    int
		lists [][]string
		want  []want
	}{
		{"two lists", 60, [][]string{{"a", "b", "c"}, {"c", "a", "d"}}, []want{
			{"a", 1.0/61 + 1.0/62}, // 0.032522
			{"c", 1.0/63 + 1.0/61}, // 0.032266
			{"b", 1.0 / 62},
			{"d", 1.0 / 63},
		}},
		{"default k0", 0, [][]string{{"x"}, {"y", "x"}}, []want{
			{"x", 1.0/61 + 1.0/62},
			{"y", 1.0 / 61},
		}},
		{"small k0 favours top ranks", 1, [][]string{{"a", "b", "c", "d"}, {"d", "c", "b", "a"}, {"a"}}, []want{
			{"a", 1.0/2 + 1.0/5 + 1.0/2}, // 1.2
			{"d", 1.0/5 + 1.0/2},         // 0.7
			{"b", 1.0/3 + 1.0/4},         // 0.583
			{"c", 1.0/4 + 1.0/3},         // 0.583, tie: b is met first
		}},
		{"repeat in one list counts once", 60, [][]string{{"a", "a", "b"}}, []want{
			{"a", 1.0 / 61},
			{"b", 1.0 / 63},
		}},
		{"tie keeps the first list first", 60, [][]string{{"bm25"}, {"vec"}}, []want{
			{"bm25", 1.0 / 61},
			{"vec", 1.0 / 61},
		}},
		{"nothing", 60, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Fuse(c.k0, c.lists...)
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for i, w := range c.want {
				if got[i].ID != w.id || math.Abs(got[i].Score-w.score) > 1e-12 {
					t.Errorf("position %d: got %s %.6f, want %s %.6f", i, got[i].ID, got[i].Score, w.id, w.score)
				}
			}
		})
	}
}
