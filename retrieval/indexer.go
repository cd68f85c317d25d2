package retrieval

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path"
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
	// FollowSymlinks indexes files that symbolic links lead to outside
	// Path. Links inside Path are always followed.
	FollowSymlinks bool
}

// Indexer keeps a store in step with the knowledge folders.
type Indexer struct {
	Store        Store
	Sources      []Source
	MaxFileBytes int64
	Chunk        ingest.ChunkOptions
	Logger       *slog.Logger
	// CatalogPath, when set, is a file in which the indexer keeps, between
	// processes, the folders' modification times and the files it could
	// not index. Without it they are kept for the Indexer's lifetime.
	CatalogPath string
	// TrustFolderTimes makes Sync read only the folders whose modification
	// time changed since the last run, and stat only the files in them. A
	// file added, removed or renamed changes its folder's time; a file
	// rewritten in place does not, and is seen by the next full check (a
	// Sync without this, as the folder watcher and `index` run).
	TrustFolderTimes bool

	mu  sync.Mutex // one sync at a time; also guards Sources and cat once syncing has begun
	cat *catalog   // nil until the first sync
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

// listed is one source's listing and what it says about the index.
type listed struct {
	src  Source
	l    ingest.Listing
	part bool // only the folders in l.Read were read
	// read and dirs are l.Read and l.Dirs by escaped path, as documents
	// name them.
	read, dirs map[string]bool
}

func newListed(src Source, l ingest.Listing, part bool) listed {
	ls := listed{src: src, l: l, part: part}
	if part {
		ls.read = make(map[string]bool, len(l.Read))
		for d := range l.Read {
			ls.read[ingest.EscapePath(d)] = true
		}
		ls.dirs = make(map[string]bool, len(l.Dirs))
		for d := range l.Dirs {
			ls.dirs[ingest.EscapePath(d)] = true
		}
	}
	return ls
}

// covers reports whether the listing tells whether the document at
// escaped path p (relative to the source) still exists: its folder was
// read, or is gone.
func (ls listed) covers(p string) bool {
	if !ls.part {
		return true
	}
	dir := path.Dir(p)
	return ls.read[dir] || !ls.dirs[dir]
}

// Sync brings the index up to date with the sources. Unchanged files (same
// size and modification time) are not read; files whose bytes did not change
// are not re-parsed into the index; files that disappeared are removed. All
// writes of one sync are applied in one transaction, so an interrupted sync
// leaves the previous index intact. A broken file is skipped and logged,
// never fatal, and is neither read nor logged again until its size or
// modification time changes; a source folder that cannot be read is an
// error, and nothing is removed for it. With TrustFolderTimes only the
// folders that changed are read.
func (ix *Indexer) Sync(ctx context.Context) (Summary, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	start := time.Now()
	log := ix.logger()
	if ix.cat == nil {
		ix.cat = readCatalog(ix.CatalogPath)
	}
	old := ix.cat
	// The recorded hash carries the chunking settings, so that changing
	// them re-cuts every file even when no file changed.
	sig := ix.chunkSignature()
	settings := fmt.Sprintf("%s/m%d", sig, ix.maxBytes())
	trusted := old.Settings == settings
	quick := ix.TrustFolderTimes && trusted
	if quick {
		// Folder times say nothing about an index that changed
		// meanwhile (replaced, emptied, rebuilt).
		_, total, err := ix.Store.DocFreq(ctx, nil)
		quick = err == nil && total == old.Passages
	}
	lists, err := ix.list(ctx, old, quick)
	if err != nil {
		return Summary{}, err
	}
	if quick && len(lists) == len(old.Sources) && nothingRead(lists) {
		sum := old.unchanged()
		sum.Duration = time.Since(start)
		log.Debug("index checked by folder times", "summary", sum.String(), "duration", sum.Duration)
		return sum, nil
	}

	states, err := ix.Store.States(ctx)
	if err != nil {
		return Summary{}, fmt.Errorf("sync: %w", err)
	}
	p := &plan{ix: ix, sig: sig, states: states, seen: make(map[string]bool, len(states)),
		next: &catalog{Version: catalogVersion, Settings: settings, Sources: map[string]*sourceCatalog{}}}
	for _, ls := range lists {
		p.source(ls, old.Sources[ls.src.Name], trusted)
	}
	p.keepUnread(lists)
	ch := p.changes()
	if !ch.Empty() {
		if err := ix.Store.Apply(ctx, ch); err != nil {
			return Summary{}, fmt.Errorf("sync: %w", err)
		}
	}
	sum := p.sum
	sortSkips(sum.Skips)
	p.next.Docs = len(states) + sum.Added - sum.Removed
	ix.remember(ctx, p.next)
	sum.Duration = time.Since(start)
	log.Debug("index synced", "summary", sum.String(), "duration", sum.Duration)
	return sum, nil
}

// list walks every source; when quick, folders whose time is that of the
// catalog are not read.
func (ix *Indexer) list(ctx context.Context, old *catalog, quick bool) ([]listed, error) {
	var lists []listed
	for _, src := range ix.Sources {
		o := ingest.WalkOptions{Include: src.Include, Exclude: src.Exclude, FollowSymlinks: src.FollowSymlinks}
		if sc := old.Sources[src.Name]; quick && sc != nil && sc.Key == sourceKey(src) {
			o.Dirs = sc.Dirs
		}
		l, err := ingest.List(ctx, src.Path, o)
		if err != nil {
			return nil, fmt.Errorf("sync source %s: %w", src.Name, err)
		}
		lists = append(lists, newListed(src, l, o.Dirs != nil))
	}
	return lists, nil
}

// unchanged is the summary of a run that found nothing changed since the
// run that wrote the catalog.
func (c *catalog) unchanged() Summary {
	sum := Summary{Unchanged: c.Docs}
	for _, sc := range c.Sources {
		for p, m := range sc.Skips {
			sum.Skipped++
			sum.Skips = append(sum.Skips, Skip{Path: p, Reason: m.Reason})
		}
	}
	sortSkips(sum.Skips)
	return sum
}

// plan works out one sync: what the listings say against what the store
// holds.
type plan struct {
	ix     *Indexer
	sig    string
	states map[string]DocState
	seen   map[string]bool // document IDs that stay
	jobs   []job           // files to read
	sum    Summary
	next   *catalog
}

func (p *plan) skipped(path, reason string) {
	p.sum.Skipped++
	p.sum.Skips = append(p.sum.Skips, Skip{Path: path, Reason: reason})
}

// source sorts one source's listing into files unchanged, to read and to
// skip. prev is the source's catalog of the last run (nil if none); its
// skips are relied on only when trusted (same settings).
func (p *plan) source(ls listed, prev *sourceCatalog, trusted bool) {
	src := ls.src
	sc := &sourceCatalog{Key: sourceKey(src), Dirs: ls.l.Dirs, Skips: map[string]skipMemo{}}
	p.next.Sources[src.Name] = sc
	var prevSkips map[string]skipMemo
	if prev != nil {
		sc.logged = prev.Skips
		if trusted && prev.Key == sc.Key {
			prevSkips = prev.Skips
		}
	}
	// Skips in folders not read this time still stand.
	for path, m := range prevSkips {
		if !ls.covers(path) {
			sc.Skips[path] = m
			p.skipped(path, m.Reason)
		}
	}
	for _, f := range ls.l.Skipped {
		path := ingest.EscapePath(f.Rel)
		sc.Skips[path] = skipMemo{Size: f.Size, ModTime: f.ModTime, Reason: f.Reason}
		p.skipped(path, f.Reason)
		if !sc.reported(path, f.Size, f.ModTime, f.Reason) {
			p.ix.logger().Warn("skipped file", "source", src.Name, "file", path, "reason", f.Reason)
		}
	}
	limit := p.ix.maxBytes()
	for _, f := range ls.l.Files {
		path := ingest.EscapePath(f.Rel)
		id := src.Name + "/" + path
		st, known := p.states[id]
		if m, ok := prevSkips[path]; ok && !known && m.same(f.Size, f.ModTime) {
			// Could not be indexed as it stands: not read again.
			sc.Skips[path] = m
			p.skipped(path, m.Reason)
			continue
		}
		p.seen[id] = true
		if known && st.Size == f.Size && st.ModTime.Equal(f.ModTime) && strings.HasSuffix(st.Hash, p.sig) && f.Size <= limit {
			p.sum.Unchanged++
			continue
		}
		p.jobs = append(p.jobs, job{src: src, file: f, id: id, prev: st, known: known})
	}
}

// keepUnread keeps the documents of folders that were not read: they are
// as they were.
func (p *plan) keepUnread(lists []listed) {
	bySource := make(map[string]listed, len(lists))
	for _, ls := range lists {
		bySource[ls.src.Name] = ls
	}
	for id, st := range p.states {
		if p.seen[id] {
			continue
		}
		if ls, ok := bySource[st.Source]; ok && !ls.covers(st.Path) {
			p.seen[id] = true
			p.sum.Unchanged++
		}
	}
}

// changes returns what the store must do: delete what is gone, and read,
// parse and write the files in jobs as Apply streams them.
func (p *plan) changes() Changes {
	var ch Changes
	// When most indexed files were cut with other settings, every file is
	// re-read anyway: rebuilding is several times faster than replacing
	// each document's passages.
	if recut(p.states, p.sig) && p.sum.Unchanged == 0 {
		ch.Replace = true
	}
	for id := range p.states {
		if !p.seen[id] {
			if !ch.Replace {
				ch.Delete = append(ch.Delete, id)
			}
			p.sum.Removed++
		}
	}
	if len(p.jobs) > 0 {
		// Files are parsed on all cores and written as they come, inside
		// the one transaction, so a large run never holds every document.
		ch.Stream = func(ctx context.Context, put func(Change) error) error {
			return p.ix.load(ctx, p.jobs, func(o outcome) error {
				return p.ix.record(o, &p.sum, ch.Replace, put, p.next.Sources[o.job.src.Name])
			})
		}
	}
	return ch
}

// nothingRead reports whether no folder of any source had to be read.
func nothingRead(lists []listed) bool {
	for _, ls := range lists {
		if !ls.part || len(ls.l.Read) > 0 {
			return false
		}
	}
	return true
}

func sortSkips(s []Skip) {
	slices.SortFunc(s, func(a, b Skip) int { return strings.Compare(a.Path, b.Path) })
}

// remember keeps the catalog of a successful run, and writes it when a
// catalog file is set. Failing to write it costs only time later.
func (ix *Indexer) remember(ctx context.Context, c *catalog) {
	ix.cat = c
	_, total, err := ix.Store.DocFreq(ctx, nil)
	if err != nil {
		c.Passages = -1 // never matches: the next quick check reads every folder
		ix.logger().Debug("passage count unknown", "err", err)
	} else {
		c.Passages = total
	}
	if ix.CatalogPath == "" {
		return
	}
	if err := writeCatalog(ix.CatalogPath, c); err != nil {
		ix.logger().Debug("catalog not written", "err", err)
	}
}

func (ix *Indexer) maxBytes() int64 {
	if ix.MaxFileBytes > 0 {
		return ix.MaxFileBytes
	}
	return ingest.DefaultMaxFileBytes
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
func (ix *Indexer) record(o outcome, sum *Summary, replace bool, put func(Change) error, sc *sourceCatalog) error {
	if o.err != nil {
		return o.err
	}
	if o.skip != nil {
		sum.Skipped++
		sum.Skips = append(sum.Skips, Skip{Path: o.skip.Path, Reason: o.skip.Reason})
		sc.Skips[o.skip.Path] = skipMemo{Size: o.job.file.Size, ModTime: o.job.file.ModTime, Reason: o.skip.Reason}
		if !sc.reported(o.skip.Path, o.job.file.Size, o.job.file.ModTime, o.skip.Reason) {
			ix.logger().Warn("skipped file", "source", o.job.src.Name, "file", o.skip.Path, "reason", o.skip.Reason)
		}
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
		FollowSymlinks: j.src.FollowSymlinks,
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
		o.skip = &ingest.SkipError{Path: ingest.EscapePath(j.file.Rel), Reason: err.Error()}
	}
	return o
}

func (ix *Indexer) logger() *slog.Logger {
	if ix.Logger != nil {
		return ix.Logger
	}
	return slog.New(slog.DiscardHandler)
}
