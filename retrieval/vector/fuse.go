package vector

import "slices"

// DefaultK0 is the usual reciprocal rank fusion constant.
const DefaultK0 = 60

// Fuse merges ranked lists of IDs (best first) by reciprocal rank fusion:
// each ID scores Σ 1/(k0 + rank) over the lists it appears in, rank starting
// at 1. k0 ≤ 0 means DefaultK0. An ID repeated within one list counts at its
// first (best) rank only. The result is best first; equal scores keep the
// order in which the IDs are met when the lists are read rank by rank, the
// first list first at each rank.
func Fuse(k0 int, lists ...[]string) []Scored {
	if k0 <= 0 {
		k0 = DefaultK0
	}
	longest := 0
	for _, l := range lists {
		longest = max(longest, len(l))
	}
	pos := map[string]int{}
	var out []Scored
	seen := make([]map[string]bool, len(lists))
	for i := range lists {
		seen[i] = make(map[string]bool, len(lists[i]))
	}
	for r := range longest {
		for i, l := range lists {
			if r >= len(l) || seen[i][l[r]] {
				continue
			}
			id := l[r]
			seen[i][id] = true
			j, ok := pos[id]
			if !ok {
				j = len(out)
				pos[id] = j
				out = append(out, Scored{ID: id})
			}
			out[j].Score += 1 / float64(k0+r+1)
		}
	}
	slices.SortStableFunc(out, func(a, b Scored) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
	return out
}
