package answer

import "context"

// Message is one chat message sent to a language model.
type Message struct {
	Role    string // "system", "user" or "assistant"
	Content string
}

// Usage counts the tokens of a model call.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// Add returns the sum of two usages.
func (u Usage) Add(v Usage) Usage {
	return Usage{u.PromptTokens + v.PromptTokens, u.CompletionTokens + v.CompletionTokens, u.TotalTokens + v.TotalTokens}
}

// Generation is a model's reply.
type Generation struct {
	Text  string
	Model string
	Usage Usage
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
