package retrieval

import (
	"cmp"
	"slices"
)

// WindowStart returns the passage id (SQLite rowid, PostgreSQL rid) above
// which about bound of matches passages spread evenly over the ids lo to
// hi fall, or 0 when that is all of them. Both stores score only that
// newest slice when even a search's rarest words are in more than the
// candidate bound (CandidateFactor × MaxScan) of passages.
func WindowStart(lo, hi int64, matches, bound int) int64 {
	if matches <= bound || hi < lo {
		return 0
	}
	span := hi - lo + 1
	w := (span*int64(bound) + int64(matches) - 1) / int64(matches)
	if hi-w < lo {
		return 0
	}
	return hi - w
}

// KeepRarest returns the words a store searches for when its scan is
// bounded: the rarest words whose passages (df) together number at most
// bound, always the rarest one, in their order in words, with the sum of
// their counts. Words in no passage are dropped; when no word is in any
// passage, the rarest is kept alone (sum 0) so that the search says it
// found nothing.
func KeepRarest(words []string, df map[string]int, bound int) ([]string, int) {
	sorted := slices.Clone(words)
	slices.SortStableFunc(sorted, func(a, b string) int { return cmp.Compare(df[a], df[b]) })
	keep := make(map[string]bool, len(words))
	sum := 0
	for _, w := range sorted {
		if df[w] == 0 {
			continue
		}
		if len(keep) > 0 && sum+df[w] > bound {
			break
		}
		sum += df[w]
		keep[w] = true
	}
	if len(keep) == 0 {
		return sorted[:1], 0
	}
	out := make([]string, 0, len(keep))
	for _, w := range words {
		if keep[w] {
			out = append(out, w)
		}
	}
	return out, sum
}
