// Package ingest owns turning article files into documents and passages:
// finding candidate files under a source folder (Walk), loading each supported
// format (Markdown with front matter, plain text, HTML) into an
// attache.Document with clean plain text and normalised metadata (Load,
// Parse), and cutting documents into passages on sentence boundaries (Chunk).
//
// Files that cannot be indexed (empty, binary, too large, broken front matter,
// unsupported type) are reported as *SkipError so that the caller can log
// them and go on.
package ingest
