// Package text holds the small text utilities shared by retrieval and answer:
// sentence splitting, word tokenising with accent folding, and stopwords.
// It knows nothing of documents or indexes; it works on strings.
package text
