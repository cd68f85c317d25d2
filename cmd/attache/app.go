package main

import (
	"context"
	"fmt"
	"log/slog"

	"attache"
	"attache/answer"
	"attache/config"
	"attache/llm"
	"attache/retrieval"
	"attache/retrieval/ingest"
	"attache/retrieval/sqlite"
)

// app is the wired program: config, store, indexer, searcher and answerer.
type app struct {
	cfg      *config.Config
	log      *slog.Logger
	store    retrieval.Store
	indexer  *retrieval.Indexer
	searcher *retrieval.Searcher
	answers  *answer.Service
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
		},
		Logger: log,
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

func sources(cfg *config.Config) []retrieval.Source {
	out := make([]retrieval.Source, 0, len(cfg.Knowledge.Sources))
	for _, s := range cfg.Knowledge.Sources {
		out = append(out, retrieval.Source{Name: s.Name, Path: s.Path, Include: s.Include,
			Exclude: s.Exclude, Tags: s.Tags, Language: s.Language})
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

// refresh brings the index up to date; cheap when nothing changed.
func (a *app) refresh(ctx context.Context) (retrieval.Summary, error) {
	return a.indexer.Sync(ctx)
}

func (a *app) Close() error { return a.store.Close() }
