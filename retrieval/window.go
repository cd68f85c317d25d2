package retrieval

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
