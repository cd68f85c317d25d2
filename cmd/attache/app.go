package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"attache"
	"attache/answer"
	"attache/config"
	"attache/llm"
	"attache/retrieval"
	"attache/retrieval/ingest"
	"attache/retrieval/postgres"
	"attache/retrieval/vector"
	"attache/state"
)

// app is the wired program: config, store, indexer, searcher and answerer.
type app struct {
	// conf is the running configuration: an immutable value, replaced as a
	// whole (never modified in place) when the configuration is reloaded.
	conf     atomic.Pointer[config.Config]
	log      *slog.Logger
	store    retrieval.Store
	indexer  *retrieval.Indexer
	searcher *retrieval.Searcher
	answers  *answer.Service
	vectors  *vector.Index // nil unless embeddings are configured
	// vectorsAt is the index's fingerprint when the vectors were last
	// synced (see indexStamp); syncs run from the watcher and from reloads.
	vectorsAt atomic.Pointer[string]
	progress  *progressLine // nil unless indexing progress is shown

	stateMu sync.Mutex
	state   state.Store // votes and the answer log; nil until stateStore opens it
	// local is the path beside which the indexer's catalog and, with
	// SQLite, the embeddings cache are kept (see localIndexPath).
	local string
}

// open loads the config and wires every part for a command that writes the
// index and waits for another process writing it. The caller must Close it.
func (e *env) open(ctx context.Context) (*app, error) {
	cfg, err := e.loadConfig()
	if err != nil {
		return nil, err
	}
	return e.openApp(ctx, cfg, e.newLogger(cfg.Log), writer)
}

// openApp wires every part with the index opened for mode.
func (e *env) openApp(ctx context.Context, cfg *config.Config, log *slog.Logger, mode openMode) (*app, error) {
	for _, w := range cfg.Warnings {
		log.Warn("configuration: " + w)
	}
	a := &app{log: log, local: localIndexPath(cfg, e.getenv)}
	a.conf.Store(cfg)
	if mode.progress && isTerminal(e.stderr) {
		a.progress = &progressLine{w: e.stderr, now: time.Now}
	}
	store, err := e.openStore(ctx, cfg, log, mode, a.progress)
	if err != nil {
		return nil, err
	}
	a.store = store
	a.indexer = &retrieval.Indexer{
		Store:        store,
		Sources:      sources(cfg),
		MaxFileBytes: cfg.Knowledge.MaxFileBytes,
		Chunk:        ingest.ChunkOptions{TargetWords: cfg.Knowledge.ChunkWords, Overlap: cfg.Knowledge.ChunkOverlap},
		Logger:       log,
		CatalogPath:  catalogPath(a.local),
		// A one-off query trusts folder times; `index` and the watcher
		// check every file.
		TrustFolderTimes: mode.quick,
	}
	a.searcher = &retrieval.Searcher{Store: store, K: cfg.Retrieval.K, MaxPerDoc: cfg.Retrieval.MaxPerDoc, Logger: log}
	a.answers = &answer.Service{
		Retrieve: a.retrieve,
		Library:  library{store},
		Options: answer.Options{
			K:             cfg.Retrieval.K,
			MaxSentences:  cfg.Answer.MaxSentences,
			MinCoverage:   cfg.Answer.MinCoverage,
			Unsupported:   cfg.Answer.Unsupported,
			ContextTokens: cfg.LLM.ContextTokens,
			MaxTokens:     cfg.LLM.MaxTokens,
			Neighbours:    cfg.Answer.Neighbours,
		},
		Logger: log,
	}
	if cfg.Embeddings.Enabled() {
		if err := a.openVectors(ctx); err != nil {
			store.Close()
			return nil, err
		}
	}
	if cfg.LLM.Enabled() {
		client, err := llm.New(llmConfig(cfg.LLM), log)
		if err != nil {
			store.Close()
			return nil, err // "llm: config: …"
		}
		a.answers.Generator = generator{client}
	}
	return a, nil
}

// cfg returns the running configuration. The value must not be modified:
// a change is a new value stored with setConfig.
func (a *app) cfg() *config.Config { return a.conf.Load() }

// setConfig makes c the running configuration.
func (a *app) setConfig(c *config.Config) { a.conf.Store(c) }

// catalogPath is where the indexer keeps what it knows of the folders,
// beside the index; hidden, so that the folder watcher and the walker
// ignore it should the index live inside a knowledge folder.
func catalogPath(index string) string {
	return filepath.Join(filepath.Dir(index), "."+filepath.Base(index)+".files")
}

func sources(cfg *config.Config) []retrieval.Source {
	out := make([]retrieval.Source, 0, len(cfg.Knowledge.Sources))
	for _, s := range cfg.Knowledge.Sources {
		out = append(out, retrieval.Source{Name: s.Name, Path: s.Path, Include: s.Include,
			Exclude: s.Exclude, Tags: s.Tags, Language: s.Language, FollowSymlinks: s.FollowSymlinks})
	}
	return out
}

func (a *app) retrieve(ctx context.Context, question string, k int, dates attache.DateRange) ([]attache.Hit, error) {
	res, err := a.searcher.Search(ctx, question, retrieval.SearchOptions{K: k, Dates: dates})
	if err != nil {
		return nil, err
	}
	return res.Hits, nil
}

// openVectors opens the embeddings cache and makes search hybrid. With
// PostgreSQL the vectors live in the index database, shared by every
// process; with SQLite, in a file beside the index.
func (a *app) openVectors(ctx context.Context) error {
	e := a.cfg().Embeddings
	client, err := llm.New(llm.Config{BaseURL: e.BaseURL, APIKey: e.APIKey, Model: e.Model,
		Timeout: a.cfg().LLM.Timeout, MaxRetries: a.cfg().LLM.MaxRetries}, a.log)
	if err != nil {
		return fmt.Errorf("embeddings: %w", err)
	}
	embed := func(ctx context.Context, texts []string) ([][]float32, error) {
		v, _, err := client.Embed(ctx, e.Model, texts, e.Dimensions)
		return v, err
	}
	o := vector.Options{Model: e.Model, Dimensions: e.Dimensions, BatchSize: e.BatchSize}
	var idx *vector.Index
	if pg, ok := a.store.(*postgres.Store); ok {
		// Every process using the database shares its vectors.
		idx, err = vector.OpenCache(pg, "index schema "+pg.Schema(), o, embed, a.log)
	} else {
		idx, err = vector.Open(ctx, a.local+".vectors", o, embed, a.log)
	}
	if err != nil {
		return err // "open vectors WHERE: …"
	}
	a.vectors = idx
	a.searcher.Semantic = func(ctx context.Context, q string, k int) ([]string, error) {
		res, err := idx.Search(ctx, q, k)
		ids := make([]string, len(res))
		for i, r := range res {
			ids[i] = r.ID
		}
		return ids, err
	}
	return nil
}

// openFresh opens the app and brings the index up to date, as every command
// that reads the index does first. When the index cannot be written (another
// process is writing it, or it is read-only) it answers from the last
// committed index and says so.
func (e *env) openFresh(ctx context.Context) (*app, error) {
	a, _, err := e.openSynced(ctx, reader)
	return a, err
}

// refresh brings the index up to date; cheap when nothing changed. With
// embeddings, passages new since the last run are embedded (unchanged ones
// come from the cache).
func (a *app) refresh(ctx context.Context) (retrieval.Summary, error) {
	sum, err := a.indexer.Sync(ctx)
	if err != nil || a.vectors == nil || (!sum.Changed() && a.vectors.Len() > 0) {
		return sum, err
	}
	return sum, a.syncVectors(ctx)
}

// syncVectors embeds the passages that have no vector yet.
func (a *app) syncVectors(ctx context.Context) error {
	stamp, err := a.indexStamp(ctx)
	if err != nil {
		return fmt.Errorf("embed passages: %w", err)
	}
	ps, err := retrieval.AllPassages(ctx, a.store)
	if err != nil {
		return fmt.Errorf("embed passages: %w", err)
	}
	items := make([]vector.Item, len(ps))
	for i, p := range ps {
		items[i] = vector.Item{ID: p.ID, Text: p.Title + "\n" + p.Text}
	}
	n, err := a.vectors.Sync(ctx, items)
	if err != nil {
		return fmt.Errorf("embed passages: %w", err)
	}
	a.log.Debug("passages embedded", "new", n, "total", len(items))
	a.vectorsAt.Store(&stamp)
	return nil
}

// indexStamp is a fingerprint of what the index holds, cheap to read: the
// documents, passages and last write of each source. A write by any
// process changes it.
func (a *app) indexStamp(ctx context.Context) (string, error) {
	stats, err := a.store.Stats(ctx)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, st := range stats {
		fmt.Fprintf(&b, "%s %d %d %d\n", st.Source, st.Documents, st.Passages, st.LastIndexed.UnixNano())
	}
	return b.String(), nil
}

func (a *app) Close() error {
	if a.vectors != nil {
		a.vectors.Close()
	}
	return errors.Join(a.closeState(), a.store.Close())
}
