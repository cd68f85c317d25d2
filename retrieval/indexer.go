package retrieval

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"attache"
	"attache/retrieval/ingest"
)

// Source is one knowledge folder to index.
type Source struct {
	Name     string
	Path     string // absolute folder
	Include  []string
	Exclude  []string
	Tags     []string
	Language string
}

// Indexer keeps a store in step with the knowledge folders.
type Indexer struct {
	Store        Store
	Sources      []Source
	MaxFileBytes int64
	Chunk        ingest.ChunkOptions
	Logger       *slog.Logger

	mu sync.Mutex // one sync at a time; also guards Sources once syncing has begun
}

// SetSources replaces the source list. It is safe to call while a sync runs:
// it waits for that sync to finish, and the next sync uses the new list.
func (ix *Indexer) SetSources(s []Source) {
	s = slices.Clone(s)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.Sources = s
}

// CurrentSources returns a copy of the source list. It waits for a sync in
// progress to finish.
func (ix *Indexer) CurrentSources() []Source {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return slices.Clone(ix.Sources)
}

// Skip records a file that was not indexed and why.
type Skip struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Summary counts what one sync did.
type Summary struct {
	Added     int           `json:"added"`
	Updated   int           `json:"updated"`
	Unchanged int           `json:"unchanged"`
	Removed   int           `json:"removed"`
	Skipped   int           `json:"skipped"`
	Skips     []Skip        `json:"skips,omitempty"`
	Duration  time.Duration `json:"-"`
}

// Changed reports whether the sync wrote anything that changes search results.
func (s Summary) Changed() bool { return s.Added+s.Updated+s.Removed > 0 }

func (s Summary) String() string {
	return fmt.Sprintf("added %d, updated %d, unchanged %d, removed %d, skipped %d",
		s.Added, s.Updated, s.Unchanged, s.Removed, s.Skipped)
}

type job struct {
	src   Source
	file  ingest.File
	id    string
	prev  DocState
	known bool
}

type outcome struct {
	job  job
	doc  attache.Document
	err  error
	skip *ingest.SkipError
}

// Sync brings the index up to date with the sources. Unchanged files (same
// size and modification time) are not read; files whose bytes did not change
// are not re-parsed into the index; files that disappeared are removed. All
// writes of one sync are applied in one transaction, so an interrupted sync
// leaves the previous index intact. A broken file is skipped and logged,
// never fatal; a source folder that cannot be read is an error, and nothing
// is removed for it.
func (ix *Indexer) Sync(ctx context.Context) (Summary, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	start := time.Now()
	var sum Summary
	log := ix.logger()

	states, err := ix.Store.States(ctx)
	if err != nil {
		return sum, fmt.Errorf("sync: %w", err)
	}
	// The recorded hash carries the chunking settings, so that changing
	// them re-cuts every file even when no file changed.
	sig := ix.chunkSignature()
	seen := make(map[string]bool, len(states))
	var jobs []job
	for _, src := range ix.Sources {
		files, err := ingest.Walk(ctx, src.Path, src.Include, src.Exclude)
		if err != nil {
			return sum, fmt.Errorf("sync source %s: %w", src.Name, err)
		}
		for _, f := range files {
			id := src.Name + "/" + f.Rel
			seen[id] = true
			prev, known := states[id]
			if known && prev.Size == f.Size && prev.ModTime.Equal(f.ModTime) && strings.HasSuffix(prev.Hash, sig) {
				sum.Unchanged++
				continue
			}
			jobs = append(jobs, job{src: src, file: f, id: id, prev: prev, known: known})
		}
	}

	var ch Changes
	// When most indexed files were cut with other settings, every file is
	// re-read anyway: rebuilding is several times faster than replacing
	// each document's passages.
	if recut(states, sig) && sum.Unchanged == 0 {
		ch.Replace = true
	}
	for id := range states {
		if !seen[id] {
			if !ch.Replace {
				ch.Delete = append(ch.Delete, id)
			}
			sum.Removed++
		}
	}
	if len(jobs) > 0 {
		// Files are parsed on all cores and written as they come, inside
		// the one transaction, so a large run never holds every document.
		ch.Stream = func(ctx context.Context, put func(Change) error) error {
			return ix.load(ctx, jobs, func(o outcome) error {
				return ix.record(o, &sum, ch.Replace, put)
			})
		}
	}
	if !ch.Empty() {
		if err := ix.Store.Apply(ctx, ch); err != nil {
			return Summary{}, fmt.Errorf("sync: %w", err)
		}
	}
	sum.Duration = time.Since(start)
	log.Debug("index synced", "summary", sum.String(), "duration", sum.Duration)
	return sum, nil
}

// chunkSignature is appended to each document's content hash: the same
// bytes cut with other settings are other passages.
func (ix *Indexer) chunkSignature() string {
	return fmt.Sprintf("/c%d-%d-%t", ix.Chunk.TargetWords, ix.Chunk.MaxWords, ix.Chunk.Overlap)
}

// recut reports whether at least half of the indexed documents were cut
// with chunking settings other than sig.
func recut(states map[string]DocState, sig string) bool {
	stale := 0
	for _, st := range states {
		if !strings.HasSuffix(st.Hash, sig) {
			stale++
		}
	}
	return stale > 0 && 2*stale >= len(states)
}

// record turns one loaded file into a change and counts it. In a
// replacing run nothing is left to touch or delete: every usable file is
// written again.
func (ix *Indexer) record(o outcome, sum *Summary, replace bool, put func(Change) error) error {
	if o.err != nil {
		return o.err
	}
	if o.skip != nil {
		sum.Skipped++
		sum.Skips = append(sum.Skips, Skip{Path: o.skip.Path, Reason: o.skip.Reason})
		ix.logger().Warn("skipped file", "source", o.job.src.Name, "file", o.skip.Path, "reason", o.skip.Reason)
		if o.job.known {
			// It was indexed before and is now unusable: drop the stale copy.
			sum.Removed++
			if replace {
				return nil
			}
			return put(Change{Delete: o.job.id})
		}
		return nil
	}
	o.doc.Hash += ix.chunkSignature()
	if o.job.known && o.job.prev.Hash == o.doc.Hash && !replace {
		sum.Unchanged++
		return put(Change{Touch: &DocState{ID: o.job.id, Source: o.job.src.Name, Path: o.job.file.Rel,
			Size: o.doc.Size, ModTime: o.doc.ModTime, Hash: o.doc.Hash}})
	}
	if o.job.known {
		sum.Updated++
	} else {
		sum.Added++
	}
	return put(Change{Upsert: &IndexedDoc{Doc: o.doc, Passages: ingest.Chunk(o.doc, ix.Chunk)}})
}

// load reads and parses files on all cores and hands each outcome to emit,
// in the caller's goroutine, as soon as it is ready. It stops at the first
// error from emit or a cancelled context.
func (ix *Indexer) load(ctx context.Context, jobs []job, emit func(outcome) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := min(runtime.GOMAXPROCS(0), max(len(jobs), 1))
	next := make(chan int)
	results := make(chan outcome, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				o := ix.loadOne(ctx, jobs[i])
				select {
				case results <- o:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range jobs {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	for o := range results {
		if err := emit(o); err != nil {
			cancel()
			for range results { // let the workers finish
			}
			return err
		}
	}
	return ctx.Err()
}

// loadOne reads and parses one file.
func (ix *Indexer) loadOne(ctx context.Context, j job) outcome {
	doc, err := ingest.Load(ctx, j.src.Path, j.file.Rel, ingest.Options{
		Source: j.src.Name, Language: j.src.Language, Tags: j.src.Tags, MaxFileBytes: ix.MaxFileBytes,
	})
	o := outcome{job: j, doc: doc}
	var skip *ingest.SkipError
	switch {
	case errors.As(err, &skip):
		o.skip = skip
	case err != nil && ctx.Err() != nil:
		o.err = ctx.Err()
	case err != nil:
		// An unreadable file is skipped like a broken one.
		o.skip = &ingest.SkipError{Path: j.file.Rel, Reason: err.Error()}
	}
	return o
}

func (ix *Indexer) logger() *slog.Logger {
	if ix.Logger != nil {
		return ix.Logger
	}
	return slog.New(slog.DiscardHandler)
}
