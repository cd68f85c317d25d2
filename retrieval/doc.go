// Package retrieval owns everything between a knowledge folder and a ranked
// list of passages: walking the configured sources, loading and chunking
// articles (sub-package ingest), keeping the index up to date incrementally,
// turning a user's question into safe search terms, and searching a Store.
//
// Stores live in sub-packages: sqlite (the embedded default) and any other
// store that passes the contract suite in storetest.
package retrieval
