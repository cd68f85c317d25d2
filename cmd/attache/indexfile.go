package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"attache"
	"attache/config"
	"attache/retrieval"
	"attache/retrieval/postgres"
	"attache/retrieval/sqlite"
)

// openMode says how a command uses the index.
type openMode struct {
	// wait: the command writes the index, and waits for another process
	// writing it. Otherwise it only needs the index up to date when it can
	// be written at once, and answers from the last committed index when not.
	wait bool
	// rebuild: the run builds the index again from the knowledge folders.
	rebuild bool
	// progress: a long run shows its progress when stderr is a terminal.
	progress bool
	// resync: a writer that finds another writer at work waits for it to
	// finish and then compares the folders with the index again, rather
	// than write what it found before the other run's changes.
	resync bool
	// quick: the staleness check trusts folder modification times (a
	// one-off query); `index` and the watcher check every file.
	quick bool
}

var (
	writer  = openMode{wait: true}
	reader  = openMode{progress: true, quick: true}
	indexer = openMode{wait: true, progress: true, resync: true}
)

// writerWaiter is a store that can wait for another process writing it.
type writerWaiter interface {
	WaitForWriters(ctx context.Context) error
}

// waitMessage is what a writer says when another process holds the index.
const waitMessage = "another indexing run is writing the index; waiting for it to finish"

// corruptHint tells what to do about a damaged index.
const corruptHint = "the index file is damaged; run 'attache index --rebuild' to build it again from the knowledge folders (or pass --rebuild-on-corrupt, or set index.rebuild_on_corrupt, to do so automatically)"

func (e *env) openStore(ctx context.Context, cfg *config.Config, log *slog.Logger, mode openMode, p *progressLine) (retrieval.Store, error) {
	switch cfg.Index.Driver {
	case "", "sqlite":
		o := sqlite.Options{TitleWeight: cfg.Index.TitleWeight, Progress: p.update}
		if mode.wait && !mode.resync {
			// A long-running writer (the bot) waits inside the batch.
			o.WaitForWriter = func() { fmt.Fprintln(e.stderr, waitMessage) }
		}
		s, err := sqlite.Open(ctx, cfg.Index.Path, o, log)
		if err != nil && sqlite.IsCorrupt(err) && (mode.rebuild || cfg.Index.RebuildOnCorrupt) {
			if err := discard(cfg.Index.Path, err, log); err != nil {
				return nil, err
			}
			s, err = sqlite.Open(ctx, cfg.Index.Path, o, log)
		}
		if err != nil {
			// sqlite.Open names the file in its errors.
			return nil, err
		}
		return s, nil
	case config.DriverPostgres:
		// A question waits for a database connection as long as the bot
		// lets it wait for an answer slot, then is told the bot is busy.
		o := postgres.Options{TitleWeight: cfg.Index.TitleWeight, Progress: p.update, AcquireTimeout: cfg.Discord.QueueTimeout, MaxConns: cfg.Index.MaxConns}
		if mode.wait && !mode.resync {
			o.WaitForWriter = func() { fmt.Fprintln(e.stderr, waitMessage) }
		}
		// The catalog lives in a local folder (the embeddings, in the
		// database).
		if dir := filepath.Dir(localIndexPath(cfg, e.getenv)); dir != "." {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, fmt.Errorf("create the index's local folder: %w", err)
			}
		}
		// postgres.Open never shows the DSN's password in its errors.
		return postgres.Open(ctx, cfg.Index.DSN, o, log)
	default:
		return nil, attache.Errorf(attache.EINVALID, "index.driver: %q is not available in this build", cfg.Index.Driver)
	}
}

// localIndexPath is the path beside which the files kept next to the index
// live: the indexer's catalog and, with SQLite, the embeddings cache (with
// PostgreSQL, the index database keeps the embeddings). With SQLite it is the
// index file. With PostgreSQL it is index.path when set, else a path in the
// user's cache folder (read through getenv) named by a hash of the DSN
// without its password, so that each database has its own files and a new
// password keeps them; without a cache folder, under .attache in the working
// directory.
func localIndexPath(cfg *config.Config, getenv func(string) string) string {
	if cfg.Index.Driver != config.DriverPostgres || cfg.Index.Path != "" {
		return cfg.Index.Path
	}
	sum := sha256.Sum256([]byte(cfg.Redacted().Index.DSN))
	name := "postgres-" + hex.EncodeToString(sum[:8])
	if base := config.CacheDir(getenv); base != "" {
		return filepath.Join(base, "attache", name, "index")
	}
	return filepath.Join(".attache", name, "index")
}

// openSynced opens the app and brings the index up to date for mode. A
// damaged index is deleted and built again when the command rebuilds anyway
// or index.rebuild_on_corrupt is set, and only when the file is an Attaché
// index. (Other commands, such as serve, do so only for damage found when
// the file is opened.)
func (e *env) openSynced(ctx context.Context, mode openMode) (*app, retrieval.Summary, error) {
	cfg, err := e.loadConfig()
	if err != nil {
		return nil, retrieval.Summary{}, err
	}
	log := e.newLogger(cfg.Log)
	for attempt := 0; ; attempt++ {
		a, err := e.openApp(ctx, cfg, log, mode)
		var sum retrieval.Summary
		if err == nil {
			if sum, err = a.sync(ctx, e.stderr, mode); err == nil {
				return a, sum, nil
			}
			a.Close()
		}
		if attempt > 0 || !sqlite.IsCorrupt(err) || !(mode.rebuild || cfg.Index.RebuildOnCorrupt) {
			return nil, sum, err
		}
		if err := discard(cfg.Index.Path, err, log); err != nil {
			return nil, sum, err
		}
	}
}

// discard deletes the damaged index at path (cause says how it is
// damaged) so that it is built again, unless it is not an Attaché index.
func discard(path string, cause error, log *slog.Logger) error {
	if err := sqlite.Remove(path); err != nil {
		return fmt.Errorf("%v; %w", cause, err)
	}
	log.Warn("the index file was damaged; building it again from the knowledge folders", "path", path, "err", cause)
	return nil
}

// sync brings the index up to date for mode: a reader that cannot write the
// index goes on with the last committed one and warns on w.
func (a *app) sync(ctx context.Context, w io.Writer, mode openMode) (retrieval.Summary, error) {
	if mode.rebuild {
		a.indexer.Store = rebuilding{a.store}
		defer func() { a.indexer.Store = a.store }()
	}
	a.progress.begin()
	sum, err := a.refresh(ctx)
	a.progress.end()
	if ww, ok := a.store.(writerWaiter); ok && mode.resync {
		for said := false; errors.Is(err, retrieval.ErrBusy); said = true {
			if !said {
				fmt.Fprintln(w, waitMessage)
			}
			if err = ww.WaitForWriters(ctx); err != nil {
				return sum, err
			}
			a.progress.begin()
			sum, err = a.refresh(ctx)
			a.progress.end()
		}
	}
	if err == nil || mode.wait {
		return sum, err
	}
	switch {
	case errors.Is(err, retrieval.ErrBusy):
		fmt.Fprintln(w, "warning: another process is writing the index; answering from the last complete index, which may be behind the knowledge folders")
		return sum, nil
	case errors.Is(err, retrieval.ErrReadOnly):
		fmt.Fprintf(w, "warning: %v; answering from the index as it is, which may be behind the knowledge folders\n", err)
		return sum, nil
	}
	return sum, err
}

// rebuilding makes the next sync a rebuild: the store seems to hold
// nothing, so every file is read again, and the batch replaces everything
// the store holds in one transaction. An interrupted rebuild leaves the old
// index.
type rebuilding struct{ retrieval.Store }

func (rebuilding) States(context.Context) (map[string]retrieval.DocState, error) {
	return map[string]retrieval.DocState{}, nil
}

func (r rebuilding) Apply(ctx context.Context, ch retrieval.Changes) error {
	ch.Replace = true
	return r.Store.Apply(ctx, ch)
}

// isTerminal reports whether w is a terminal (or another character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressLine shows, on one terminal line rewritten in place, how many
// documents a long indexing run has written. Runs shorter than
// progressDelay show nothing. A nil *progressLine shows nothing.
type progressLine struct {
	w           io.Writer
	now         func() time.Time
	start, last time.Time
	shown       bool
}

const (
	progressDelay = time.Second
	progressEvery = 200 * time.Millisecond
)

func (p *progressLine) begin() {
	if p == nil {
		return
	}
	p.start, p.last, p.shown = p.now(), time.Time{}, false
}

func (p *progressLine) update(docs int) {
	if p == nil {
		return
	}
	t := p.now()
	if t.Sub(p.start) < progressDelay || t.Sub(p.last) < progressEvery {
		return
	}
	p.last, p.shown = t, true
	fmt.Fprintf(p.w, "\rindexing the knowledge folders: %d documents written", docs)
}

// end clears the line.
func (p *progressLine) end() {
	if p == nil || !p.shown {
		return
	}
	fmt.Fprint(p.w, "\r\x1b[K")
	p.shown = false
}
