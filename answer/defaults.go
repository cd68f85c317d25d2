package answer

// DefaultK is the number of passages retrieved per question when Options.K
// is zero.
const DefaultK = 5

// Defaults of the answering settings; the configuration takes them from
// here (answer.max_sentences, answer.neighbours, llm.context_tokens,
// llm.max_tokens; answer.min_coverage is DefaultMinCoverage).
const (
	// DefaultMaxSentences is the length of an extractive answer.
	DefaultMaxSentences = 4
	// DefaultNeighbours is how many passages on each side of a retrieved one
	// the model also reads when its context window has room.
	DefaultNeighbours = 1
	// DefaultContextTokens is the model's context window when not known.
	DefaultContextTokens = 8192
	// DefaultMaxTokens is the room kept for the model's reply.
	DefaultMaxTokens = 800
)
