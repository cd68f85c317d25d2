package answer

import (
	"context"

	"attache"
)

// Message is one chat message sent to a language model.
type Message struct {
	Role    string // "system", "user" or "assistant"
	Content string
}

// Generation is a model's reply.
type Generation struct {
	Text  string
	Model string
	Usage attache.Usage
}

// Generator is the language model as answer needs it. cmd/attache adapts the
// llm package to it. When onDelta is not nil the reply is streamed: onDelta
// receives each fragment as it arrives. An error whose attache.ErrorCode is
// EUNAVAILABLE means the model could not be reached; answer then falls back
// to extractive mode.
type Generator interface {
	Generate(ctx context.Context, msgs []Message, onDelta func(string)) (Generation, error)
	Model() string
}
