package retrieval

import "attache"

// Defaults of the search settings (retrieval.k and retrieval.max_per_doc in
// the configuration, which takes them from here).
const (
	// DefaultK is how many passages a search returns.
	DefaultK = 5
	// DefaultMaxPerDoc is the most passages of one article in a result.
	DefaultMaxPerDoc = 2
)

// Bounds and weights every Store applies alike, so that the stores score the
// same candidates the same way and give the same answers.
const (
	// DefaultTitleWeight is how much more a match in a title counts than
	// one in the body (index.title_weight in the configuration).
	DefaultTitleWeight = 4
	// DefaultMaxScan bounds the passages one search scores: the most
	// common words are left out while rarer ones remain. It keeps a
	// one-word query under 6 ms on two cores with SQLite on a 70k-passage
	// index; the searcher runs several queries per question and re-ranks
	// their union, so a wider scan found nothing more on the large
	// evaluation set (3,000 measured the same).
	DefaultMaxScan = 1_500
	// TitleScanFactor widens the scan bound of a search with title groups.
	TitleScanFactor = 16
	// CandidateFactor sets the candidate bound of a search without a title
	// group: about CandidateFactor × MaxScan passages scored, however
	// common its rarest word (the stores' window).
	CandidateFactor = 2
	// MaxTerms bounds the words of one store query.
	MaxTerms = 64
)

// StoreBounds applies the defaults every store shares to its weight and
// scan options: a title weight of 0 is DefaultTitleWeight and a negative
// one is refused; a scan bound of 0 is DefaultMaxScan and a negative one
// means no bound (returned as 0).
func StoreBounds(titleWeight float64, maxScan int) (float64, int, error) {
	if titleWeight < 0 {
		return 0, 0, attache.Errorf(attache.EINVALID, "title weight %g is negative", titleWeight)
	}
	if titleWeight == 0 {
		titleWeight = DefaultTitleWeight
	}
	switch {
	case maxScan == 0:
		maxScan = DefaultMaxScan
	case maxScan < 0:
		maxScan = 0
	}
	return titleWeight, maxScan, nil
}
