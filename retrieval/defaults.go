package retrieval

// Defaults of the search settings (retrieval.k and retrieval.max_per_doc in
// the configuration, which takes them from here).
const (
	// DefaultK is how many passages a search returns.
	DefaultK = 5
	// DefaultMaxPerDoc is the most passages of one article in a result.
	DefaultMaxPerDoc = 2
)
