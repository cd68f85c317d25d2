// Package vector is the optional semantic half of hybrid search.
//
// Passage embeddings are computed in batches through an Embedder (any
// OpenAI-compatible embeddings endpoint; cmd/attache adapts llm.Client.Embed),
// cached by the SHA-256 of the passage text and the model name (in a SQLite
// file of its own, or in any Cache, such as the PostgreSQL index that every
// process of a deployment shares), and held in memory compactly: each vector is normalised to unit
// length and stored as int8 with one float32 scale (about one byte per
// dimension). Search is exact brute force: an int8 dot-product scan (exact
// int32 arithmetic, eight components per 64-bit multiply, see packed.go) over
// one contiguous slab keeps the best candidates in a fixed-size heap, and
// those candidates are rescored in float32 against the dequantised vectors.
// Fuse merges the vector ranking with the BM25 ranking by reciprocal rank
// fusion.
//
// HashEmbedder is a deterministic stand-in embedder for tests and
// benchmarks of the plumbing only; it knows nothing of meaning.
//
// Nothing here is needed for plain BM25 retrieval; without an embeddings
// model configured the package is simply not used.
package vector
