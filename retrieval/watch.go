package retrieval

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// defaultDebounce is the quiet period used when Watcher.Debounce is zero.
const defaultDebounce = 500 * time.Millisecond

// maxWaitFactor bounds how long a steady stream of events can postpone a
// sync: at most this many debounce periods after the first pending event.
const maxWaitFactor = 10

// Watcher re-indexes when the knowledge folders change: it watches every
// source folder recursively (fsnotify watches directories; new
// subdirectories are added as they appear, removed ones dropped), debounces
// bursts of events, and calls Sync. Answers are never blocked: Sync runs in
// the watcher's goroutine while searches go on (the store is safe for
// concurrent readers).
//
// Events on hidden files and directories (name starting with '.', such as
// editor swap files) and on the index database are ignored.
type Watcher struct {
	Indexer  *Indexer
	Debounce time.Duration // quiet period after the last event before syncing (0 = 500ms)
	Logger   *slog.Logger
	// OnSync, when set, is called after each sync (tests, metrics). Calls
	// never overlap; they come from the goroutine of Run or of SetSources.
	// OnSync must not call SetSources.
	OnSync func(Summary, error)
	// IndexPath is the index database file. When it lives inside a watched
	// folder, events on it and on its -wal, -shm and -journal companions are
	// ignored, so that writing the index does not trigger another sync.
	IndexPath string

	mu     sync.Mutex        // guards the fields below
	fsw    *fsnotify.Watcher // non-nil while Run runs
	roots  []string          // resolved source folders
	dirs   map[string]bool   // directories being watched
	ignore map[string]bool   // index database files

	syncMu sync.Mutex // one sync and OnSync call at a time
}

// Run watches until ctx is done, then returns nil. It first syncs once, so
// that changes made before watching began are not missed. It returns an
// error if watching cannot start (e.g. a source folder is missing, or Run is
// already running) or if the operating system's watcher stops.
func (w *Watcher) Run(ctx context.Context) error {
	if w.Indexer == nil {
		return errors.New("watch: no indexer")
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	if err := w.start(fsw); err != nil {
		fsw.Close()
		return err
	}
	defer func() {
		w.mu.Lock()
		w.fsw, w.dirs = nil, nil
		w.mu.Unlock()
		fsw.Close()
	}()

	debounce := w.Debounce
	if debounce <= 0 {
		debounce = defaultDebounce
	}
	log := w.logger()
	log.Debug("watching knowledge folders", "roots", w.watchedRoots(), "debounce", debounce)

	w.sync(ctx)
	if ctx.Err() != nil {
		return nil
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	pending := false
	var first time.Time
	schedule := func() {
		now := time.Now()
		if !pending {
			pending, first = true, now
		}
		wait := min(debounce, max(first.Add(maxWaitFactor*debounce).Sub(now), 0))
		timer.Reset(wait)
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-fsw.Events:
			if !ok {
				return errors.New("watch: file watcher stopped")
			}
			if w.handle(ev) {
				schedule()
			}
		case err, ok := <-fsw.Errors:
			if !ok {
				return errors.New("watch: file watcher stopped")
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were lost: watch any directory we missed and
				// let a full sync find what changed.
				log.Warn("file events lost; rescanning knowledge folders", "err", err)
				w.rescan()
				schedule()
				continue
			}
			log.Warn("file watcher error", "err", err)
		case <-timer.C:
			pending = false
			w.sync(ctx)
			if ctx.Err() != nil {
				return nil
			}
		}
	}
}

// SetSources swaps the source list (after a validated config reload):
// re-watches the new folders, drops the old ones, and syncs once before
// returning. Safe to call while Run is running, and before it starts. A
// source folder that does not exist is an error, and nothing is changed.
func (w *Watcher) SetSources(ctx context.Context, sources []Source) error {
	if w.Indexer == nil {
		return errors.New("set sources: no indexer")
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("set sources: %w", err)
	}
	roots, err := resolveRoots(sources)
	if err != nil {
		return fmt.Errorf("set sources: %w", err)
	}
	var watchErr error
	w.mu.Lock()
	w.Indexer.SetSources(sources)
	if w.fsw != nil {
		w.roots = roots
		for d := range w.dirs {
			if !underAny(roots, d) {
				w.unwatchOne(d)
			}
		}
		for _, r := range roots {
			if err := w.watchTree(r, true); err != nil {
				watchErr = errors.Join(watchErr, err)
			}
		}
	}
	w.mu.Unlock()
	if watchErr != nil {
		watchErr = fmt.Errorf("set sources: %w", watchErr)
	}
	_, err = w.sync(ctx)
	return errors.Join(watchErr, err)
}

// start records fsw as the running watcher and watches every source folder.
func (w *Watcher) start(fsw *fsnotify.Watcher) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fsw != nil {
		return errors.New("watch: already running")
	}
	roots, err := resolveRoots(w.Indexer.CurrentSources())
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	w.fsw, w.roots, w.dirs = fsw, roots, make(map[string]bool)
	w.ignore = indexFiles(w.IndexPath)
	for _, r := range roots {
		if err := w.watchTree(r, true); err != nil {
			w.fsw, w.dirs = nil, nil
			return fmt.Errorf("watch: %w", err)
		}
	}
	return nil
}

// handle updates the watched directories for one event and reports whether
// the event may change the index.
func (w *Watcher) handle(ev fsnotify.Event) bool {
	p := filepath.Clean(ev.Name)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fsw == nil || w.ignore[p] || !w.relevant(p) {
		return false
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		// A directory that went away (or moved: its new name comes as
		// a Create) is no longer watched; the kernel may already have
		// dropped the watch, which is fine.
		for d := range w.dirs {
			if d == p || under(p, d) {
				w.unwatchOne(d)
			}
		}
		if slices.Contains(w.roots, p) {
			w.logger().Warn("source folder removed; it is no longer watched", "folder", p)
		}
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Lstat(p); err == nil && fi.IsDir() {
			// Files created in it before the watch was added are
			// found by the sync that this event schedules.
			if err := w.watchTree(p, false); err != nil {
				w.logger().Debug("cannot watch new folder", "folder", p, "err", err)
			}
		}
	}
	return true
}

// relevant reports whether p lies in a source folder and has no hidden
// component below it. Called with w.mu held.
func (w *Watcher) relevant(p string) bool {
	for _, r := range w.roots {
		if p != r && !under(r, p) {
			continue
		}
		rel, err := filepath.Rel(r, p)
		if err != nil {
			continue
		}
		if !hidden(rel) {
			return true
		}
	}
	return false
}

// watchTree watches dir and every non-hidden directory below it that is not
// watched yet. Symbolic links to directories are not followed, as in the
// indexer's walk. Only a failure on dir itself is an error when root is
// set; problems below it are logged. Called with w.mu held.
func (w *Watcher) watchTree(dir string, root bool) error {
	log := w.logger()
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir && root {
				return err
			}
			log.Debug("cannot watch folder", "folder", p, "err", err)
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if w.dirs[p] {
			return nil
		}
		if err := w.fsw.Add(p); err != nil {
			if p == dir && root {
				return fmt.Errorf("watch %s: %w", p, err)
			}
			log.Warn("cannot watch folder", "folder", p, "err", err)
			return filepath.SkipDir
		}
		w.dirs[p] = true
		return nil
	})
}

// unwatchOne stops watching directory d. Called with w.mu held.
func (w *Watcher) unwatchOne(d string) {
	// The watch may be gone already (directory deleted); that is fine.
	_ = w.fsw.Remove(d)
	delete(w.dirs, d)
}

// rescan drops watches of directories that disappeared and watches any new
// ones, after the kernel lost events.
func (w *Watcher) rescan() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fsw == nil {
		return
	}
	for d := range w.dirs {
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
			w.unwatchOne(d)
		}
	}
	for _, r := range w.roots {
		if err := w.watchTree(r, false); err != nil {
			w.logger().Warn("cannot watch source folder", "folder", r, "err", err)
		}
	}
}

// sync runs one sync, logs it and reports it to OnSync.
func (w *Watcher) sync(ctx context.Context) (Summary, error) {
	w.syncMu.Lock()
	defer w.syncMu.Unlock()
	sum, err := w.Indexer.Sync(ctx)
	log := w.logger()
	switch {
	case err != nil && ctx.Err() != nil:
		log.Debug("index sync interrupted", "err", err)
	case err != nil:
		log.Warn("index sync failed", "err", err)
	case sum.Changed():
		log.Info("index updated", "summary", sum.String(), "duration", sum.Duration)
	default:
		log.Debug("index unchanged", "summary", sum.String(), "duration", sum.Duration)
	}
	if w.OnSync != nil {
		w.OnSync(sum, err)
	}
	return sum, err
}

func (w *Watcher) watchedRoots() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.roots...)
}

func (w *Watcher) logger() *slog.Logger {
	if w.Logger != nil {
		return w.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// resolveRoots returns the absolute, symlink-free path of each source
// folder, or an error naming the first one that is not a readable directory.
func resolveRoots(sources []Source) ([]string, error) {
	roots := make([]string, 0, len(sources))
	for _, s := range sources {
		abs, err := filepath.Abs(s.Path)
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", s.Name, err)
		}
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", s.Name, err)
		}
		fi, err := os.Stat(real)
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", s.Name, err)
		}
		if !fi.IsDir() {
			return nil, fmt.Errorf("source %s: %s is not a directory", s.Name, s.Path)
		}
		roots = append(roots, real)
	}
	return roots, nil
}

// indexFiles returns the paths, as events name them, of the index database
// at path and its companion files. Empty path gives none.
func indexFiles(path string) map[string]bool {
	out := make(map[string]bool)
	if path == "" {
		return out
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return out
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		abs = filepath.Join(dir, filepath.Base(abs))
	}
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		out[abs+suffix] = true
	}
	return out
}

// under reports whether p lies strictly below dir.
func under(dir, p string) bool {
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	return len(p) > len(dir) && strings.HasPrefix(p, dir)
}

func underAny(roots []string, p string) bool {
	for _, r := range roots {
		if p == r || under(r, p) {
			return true
		}
	}
	return false
}

// hidden reports whether a relative path has a component starting with '.'
// ("." itself, the folder, is not hidden).
func hidden(rel string) bool {
	if rel == "." {
		return false
	}
	for part := range strings.SplitSeq(rel, string(filepath.Separator)) {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}
