package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"attache"
	"attache/answer"
	"attache/config"
	"attache/llm"
	"attache/retrieval"
	"attache/retrieval/ingest"
	"attache/retrieval/sqlite"
	"attache/retrieval/vector"
)

// app is the wired program: config, store, indexer, searcher and answerer.
type app struct {
	cfg      *config.Config
	log      *slog.Logger
	store    retrieval.Store
	indexer  *retrieval.Indexer
	searcher *retrieval.Searcher
	answers  *answer.Service
	vectors  *vector.Index // nil unless embeddings are configured
}

// open loads the config and wires every part. The caller must Close it.
func (e *env) open(ctx context.Context) (*app, error) {
	cfg, err := e.loadConfig()
	if err != nil {
		return nil, err
	}
	log := e.newLogger(cfg.Log)
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: log, store: store}
	a.indexer = &retrieval.Indexer{
		Store:        store,
		Sources:      sources(cfg),
		MaxFileBytes: cfg.Knowledge.MaxFileBytes,
		Chunk:        ingest.ChunkOptions{TargetWords: cfg.Knowledge.ChunkWords, Overlap: cfg.Knowledge.ChunkOverlap},
		Logger:       log,
		CatalogPath:  catalogPath(cfg.Index.Path),
	}
	a.searcher = &retrieval.Searcher{Store: store, K: cfg.Retrieval.K, MaxPerDoc: cfg.Retrieval.MaxPerDoc, Logger: log}
	a.answers = &answer.Service{
		Retrieve: a.retrieve,
		Library:  library{store},
		Options: answer.Options{
			K:             cfg.Retrieval.K,
			MaxSentences:  cfg.Answer.MaxSentences,
			MinCoverage:   cfg.Retrieval.MinScore,
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
			return nil, fmt.Errorf("llm: %w", err)
		}
		a.answers.Generator = generator{client}
	}
	return a, nil
}

func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger) (retrieval.Store, error) {
	switch cfg.Index.Driver {
	case "", "sqlite":
		s, err := sqlite.Open(ctx, cfg.Index.Path, sqlite.Options{TitleWeight: cfg.Index.TitleWeight}, log)
		if err != nil {
			return nil, fmt.Errorf("open index %s: %w", cfg.Index.Path, err)
		}
		return s, nil
	default:
		return nil, attache.Errorf(attache.EINVALID, "index.driver: %q is not available in this build", cfg.Index.Driver)
	}
}

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

// openVectors opens the embeddings cache and makes search hybrid.
func (a *app) openVectors(ctx context.Context) error {
	e := a.cfg.Embeddings
	client, err := llm.New(llm.Config{BaseURL: e.BaseURL, APIKey: e.APIKey, Model: e.Model,
		Timeout: a.cfg.LLM.Timeout, MaxRetries: a.cfg.LLM.MaxRetries}, a.log)
	if err != nil {
		return fmt.Errorf("embeddings: %w", err)
	}
	embed := func(ctx context.Context, texts []string) ([][]float32, error) {
		v, _, err := client.Embed(ctx, e.Model, texts, e.Dimensions)
		return v, err
	}
	path := a.cfg.Index.Path + ".vectors"
	idx, err := vector.Open(ctx, path, vector.Options{Model: e.Model, Dimensions: e.Dimensions, BatchSize: e.BatchSize}, embed, a.log)
	if err != nil {
		return fmt.Errorf("open vectors %s: %w", path, err)
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
// that reads the index does first.
func (e *env) openFresh(ctx context.Context) (*app, error) {
	a, err := e.open(ctx)
	if err != nil {
		return nil, err
	}
	// A one-off command trusts folder times; `index` and the watcher
	// check every file.
	a.indexer.TrustFolderTimes = true
	if _, err := a.refresh(ctx); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
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
	return nil
}

func (a *app) Close() error {
	if a.vectors != nil {
		a.vectors.Close()
	}
	return a.store.Close()
}
