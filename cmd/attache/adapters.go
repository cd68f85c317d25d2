package main

import (
	"context"
	"path/filepath"
	"strings"

	"attache"
	"attache/answer"
	"attache/config"
	"attache/llm"
	"attache/retrieval"
	"attache/retrieval/ingest"
)

// generator adapts the llm client to answer.Generator.
type generator struct{ c *llm.Client }

func (g generator) Model() string { return g.c.Model() }

func (g generator) Generate(ctx context.Context, msgs []answer.Message, onDelta func(string)) (answer.Generation, error) {
	req := llm.Request{Messages: make([]llm.Message, len(msgs))}
	for i, m := range msgs {
		req.Messages[i] = llm.Message{Role: m.Role, Content: m.Content}
	}
	var (
		resp llm.Response
		err  error
	)
	if onDelta != nil {
		resp, err = g.c.Stream(ctx, req, onDelta)
	} else {
		resp, err = g.c.Complete(ctx, req)
	}
	u := attache.Usage{PromptTokens: resp.Usage.PromptTokens, CompletionTokens: resp.Usage.CompletionTokens,
		TotalTokens: resp.Usage.TotalTokens}
	return answer.Generation{Text: resp.Text, Model: resp.Model, Usage: u}, err
}

// library adapts a retrieval.Store to answer.Library.
type library struct{ store retrieval.Store }

func (l library) Document(ctx context.Context, id string) (attache.Document, error) {
	return l.store.Document(ctx, id)
}

func (l library) Passages(ctx context.Context, docID string) ([]attache.Passage, error) {
	return l.store.Passages(ctx, docID)
}

func (l library) Documents(ctx context.Context, dates attache.DateRange, limit int) ([]attache.Document, error) {
	return l.store.Documents(ctx, retrieval.DocFilter{Dates: dates, Limit: limit})
}

// resolveDoc finds a document by ID ("source/path"), by path relative to its
// source folder, or by file path on disk.
func (a *app) resolveDoc(ctx context.Context, ref string) (string, error) {
	if _, err := a.store.Document(ctx, ref); err == nil {
		return ref, nil
	} else if attache.ErrorCode(err) != attache.ENOTFOUND {
		return "", err
	}
	abs, _ := filepath.Abs(ref)
	for _, s := range a.cfg().Knowledge.Sources {
		if rel, err := filepath.Rel(s.Path, abs); err == nil && !strings.HasPrefix(rel, "..") {
			id := s.Name + "/" + ingest.EscapePath(filepath.ToSlash(rel))
			if _, err := a.store.Document(ctx, id); err == nil {
				return id, nil
			}
		}
	}
	docs, err := a.store.Documents(ctx, retrieval.DocFilter{})
	if err != nil {
		return "", err
	}
	var matches []string
	for _, d := range docs {
		// The path as printed, or as the file is named on disk.
		if names(d.Path, ref) || names(d.Path, ingest.EscapePath(ref)) {
			matches = append(matches, d.ID)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return "", attache.Errorf(attache.ENOTFOUND, "no indexed document %q (see `attache search` for IDs)", ref)
	default:
		return "", attache.Errorf(attache.EINVALID, "%q names several documents: %s", ref, strings.Join(matches, ", "))
	}
}

// names reports whether ref is the document path p, with or without its extension.
func names(p, ref string) bool {
	return p == ref || strings.TrimSuffix(p, filepath.Ext(p)) == ref
}

func llmConfig(c config.LLM) llm.Config {
	return llm.Config{
		BaseURL: c.BaseURL, APIKey: c.APIKey, Model: c.Model, FallbackModels: c.FallbackModels,
		Temperature: c.Temperature, MaxTokens: c.MaxTokens, Timeout: c.Timeout,
		APIType: c.APIType, APIVersion: c.APIVersion, MaxRetries: c.MaxRetries,
		BreakerFailures: c.BreakerFailures, BreakerCooldown: c.BreakerCooldown,
	}
}
