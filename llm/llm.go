// Package llm is the client for OpenAI-compatible chat and embeddings APIs:
// OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp, LM Studio and the like. It
// owns everything about talking to such a service — request shapes, Azure
// URLs and headers, keyless local servers, retries with backoff (bounded by
// the caller's deadline), fallback models, streaming, and a circuit breaker
// that stops calling a service that keeps failing — and turns every failure
// into an error coded with the attache error codes. Nothing else in the
// project speaks that protocol.
//
// The breaker lives here, in the one layer that sees HTTP statuses and can
// tell an outage (429, 5xx, timeouts) from a rejected request, and whose
// one client every answer, condensation, summary and timeline shares: an
// open breaker fails calls at once with EUNAVAILABLE, which callers already
// treat as "answer without the model".
package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"attache"
)

// API types accepted in Config.APIType.
const (
	APITypeOpenAI = "openai"
	APITypeAzure  = "azure"
)

// Defaults applied by New.
const (
	DefaultBaseURL         = "https://api.openai.com/v1"
	DefaultTimeout         = 60 * time.Second
	DefaultBaseDelay       = 500 * time.Millisecond
	DefaultMaxDelay        = 8 * time.Second
	DefaultAzureAPIVersion = "2024-10-21"
)

// Defaults the configuration starts from; zero is a valid value of both
// (a deterministic reply, no retry), so New does not apply them.
const (
	DefaultTemperature = 0.2
	DefaultMaxRetries  = 3
)

// Config describes how to reach one OpenAI-compatible service.
type Config struct {
	// BaseURL is the API root, e.g. https://api.openai.com/v1 or
	// http://127.0.0.1:11434/v1; for Azure, https://NAME.openai.azure.com.
	// Empty means the OpenAI API (not allowed for Azure).
	BaseURL string
	// APIKey is the secret key. Empty is allowed for keyless local servers:
	// then no Authorization header is sent at all.
	APIKey string
	// Model is the chat model; for Azure, the deployment name.
	Model string
	// FallbackModels are tried in order when the primary model keeps
	// failing after retries, or does not exist (HTTP 404).
	FallbackModels []string
	// Temperature is the sampling temperature; 0 leaves it to the server's
	// default. Request.Temperature overrides it per call.
	Temperature float64
	// MaxTokens bounds the length of an answer; 0 leaves it to the server.
	MaxTokens int
	// Timeout bounds one whole call, including retries and fallbacks
	// (0 = DefaultTimeout).
	Timeout time.Duration
	// APIType is "openai" (the default) or "azure".
	APIType string
	// APIVersion is the Azure api-version (default DefaultAzureAPIVersion).
	APIVersion string
	// MaxRetries is the number of retries per model after the first
	// attempt (0 = none).
	MaxRetries int
	// HTTPClient is optional, for tests and proxies. Its Transport is
	// wrapped by the retrying transport; its Timeout, if set, bounds each
	// attempt (until the response headers arrive) rather than the call.
	HTTPClient *http.Client
	// BaseDelay and MaxDelay shape the exponential backoff between retries
	// (defaults DefaultBaseDelay and DefaultMaxDelay). MaxDelay also caps
	// waits asked for by Retry-After.
	BaseDelay, MaxDelay time.Duration
	// BreakerFailures is how many consecutive failed calls (429, 5xx,
	// timeouts, connection errors) open the circuit breaker: calls then
	// fail at once until a background probe succeeds (0 =
	// DefaultBreakerFailures, negative = never open).
	BreakerFailures int
	// BreakerCooldown is how long an open breaker waits before each probe
	// (0 = DefaultBreakerCooldown).
	BreakerCooldown time.Duration
}

// Message is one chat message; Role is "system", "user" or "assistant".
type Message struct {
	Role    string
	Content string
}

// Request is one chat completion request.
type Request struct {
	Messages []Message
	// MaxTokens overrides Config.MaxTokens when positive.
	MaxTokens int
	// Temperature overrides Config.Temperature when set; a pointer to 0
	// asks for (near) greedy decoding.
	Temperature *float64
	Stop        []string
}

// Usage counts the tokens a call consumed, as reported by the server.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// Response is a completed chat answer.
type Response struct {
	Text string
	// Model is the model that answered, as reported by the server (or as
	// requested when the server does not say), a fallback one if used.
	Model        string
	Usage        Usage
	FinishReason string
}

// Client talks to one OpenAI-compatible service. It is safe for concurrent use.
type Client struct {
	cfg    Config
	api    *openai.Client
	logger *slog.Logger
	models []string
	redact func(string) string

	breaker  *breaker // nil = never opens
	latency  *latency // how long successful exchanges take
	observer atomic.Pointer[func(BreakerState)]
	// errObserver is told of every failed model call; see OnError.
	errObserver atomic.Pointer[func(model, kind string)]
}

// New validates cfg, applies defaults and returns a client. A nil logger
// discards log output.
func New(cfg Config, logger *slog.Logger) (*Client, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg.APIType = strings.ToLower(strings.TrimSpace(cfg.APIType))
	if cfg.APIType == "" {
		cfg.APIType = APITypeOpenAI
	}
	if err := validate(&cfg); err != nil {
		return nil, fmt.Errorf("llm: config: %w", err)
	}

	key := cfg.APIKey
	redact := func(s string) string {
		if key == "" {
			return s
		}
		return strings.ReplaceAll(s, key, "[redacted]")
	}

	base := http.DefaultTransport
	hc := &http.Client{}
	var attemptTimeout time.Duration
	if cfg.HTTPClient != nil {
		if cfg.HTTPClient.Transport != nil {
			base = cfg.HTTPClient.Transport
		}
		hc.CheckRedirect = cfg.HTTPClient.CheckRedirect
		hc.Jar = cfg.HTTPClient.Jar
		attemptTimeout = cfg.HTTPClient.Timeout
	}
	c := &Client{cfg: cfg, logger: logger, redact: redact, latency: &latency{}}
	if cfg.BreakerFailures > 0 {
		c.breaker = newBreaker(cfg.BreakerFailures, cfg.BreakerCooldown, c.breakerChanged)
	}
	br := c.breaker
	hc.Transport = &retryTransport{
		latency:        c.latency,
		halt:           func() bool { return br.state() == BreakerOpen },
		base:           base,
		maxRetries:     cfg.MaxRetries,
		baseDelay:      cfg.BaseDelay,
		maxDelay:       cfg.MaxDelay,
		attemptTimeout: attemptTimeout,
		keyless:        key == "",
		logger:         logger,
		redact:         redact,
	}

	var oc openai.ClientConfig
	if cfg.APIType == APITypeAzure {
		oc = openai.DefaultAzureConfig(key, cfg.BaseURL)
		oc.APIVersion = cfg.APIVersion
		// Model names are deployment names: use them verbatim.
		oc.AzureModelMapperFunc = func(model string) string { return model }
	} else {
		oc = openai.DefaultConfig(key)
		oc.BaseURL = cfg.BaseURL
	}
	oc.HTTPClient = hc

	c.models = append([]string{cfg.Model}, cfg.FallbackModels...)
	c.api = openai.NewClientWithConfig(oc)
	return c, nil
}

func validate(cfg *Config) error {
	switch cfg.APIType {
	case APITypeOpenAI:
		if cfg.BaseURL == "" {
			cfg.BaseURL = DefaultBaseURL
		}
	case APITypeAzure:
		if cfg.BaseURL == "" {
			return attache.Errorf(attache.EINVALID, "an Azure OpenAI endpoint URL is required")
		}
		if cfg.APIKey == "" {
			return attache.Errorf(attache.EINVALID, "an Azure OpenAI API key is required")
		}
		if cfg.APIVersion == "" {
			cfg.APIVersion = DefaultAzureAPIVersion
		}
	default:
		return attache.Errorf(attache.EINVALID, "unknown API type %q (want %q or %q)", cfg.APIType, APITypeOpenAI, APITypeAzure)
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return attache.Errorf(attache.EINVALID, "the language model base URL must be an http or https URL")
	}
	if strings.TrimSpace(cfg.Model) == "" {
		return attache.Errorf(attache.EINVALID, "a model name is required")
	}
	for _, m := range cfg.FallbackModels {
		if strings.TrimSpace(m) == "" {
			return attache.Errorf(attache.EINVALID, "fallback model names must not be empty")
		}
	}
	switch {
	case cfg.Temperature < 0 || cfg.Temperature > 2:
		return attache.Errorf(attache.EINVALID, "temperature must be between 0 and 2")
	case cfg.MaxTokens < 0:
		return attache.Errorf(attache.EINVALID, "max tokens must not be negative")
	case cfg.Timeout < 0:
		return attache.Errorf(attache.EINVALID, "timeout must not be negative")
	case cfg.MaxRetries < 0:
		return attache.Errorf(attache.EINVALID, "max retries must not be negative")
	case cfg.BaseDelay < 0 || cfg.MaxDelay < 0:
		return attache.Errorf(attache.EINVALID, "retry delays must not be negative")
	case cfg.BreakerCooldown < 0:
		return attache.Errorf(attache.EINVALID, "the breaker cool-down must not be negative")
	}
	if cfg.BreakerFailures == 0 {
		cfg.BreakerFailures = DefaultBreakerFailures
	}
	if cfg.BreakerCooldown == 0 {
		cfg.BreakerCooldown = DefaultBreakerCooldown
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.BaseDelay == 0 {
		cfg.BaseDelay = DefaultBaseDelay
	}
	if cfg.MaxDelay == 0 {
		cfg.MaxDelay = DefaultMaxDelay
	}
	if cfg.MaxDelay < cfg.BaseDelay {
		cfg.MaxDelay = cfg.BaseDelay
	}
	return nil
}

// Model returns the primary chat model (for Azure, the deployment name).
func (c *Client) Model() string { return c.cfg.Model }

// Complete sends a chat completion request and returns the whole answer.
func (c *Client) Complete(ctx context.Context, req Request) (Response, error) {
	return c.chat(ctx, "complete", req, nil)
}

// Stream sends a streaming chat completion request, calls onDelta with each
// text fragment as it arrives and returns the full response. A server that
// ignores streaming and answers with plain JSON still works: onDelta then
// gets the whole text at once. Fallback models are tried only while no
// fragment has been delivered.
func (c *Client) Stream(ctx context.Context, req Request, onDelta func(string)) (Response, error) {
	if onDelta == nil {
		onDelta = func(string) {}
	}
	return c.chat(ctx, "stream", req, onDelta)
}

var errCallTimeout = errors.New("language model call timed out")

func (c *Client) chat(ctx context.Context, op string, req Request, onDelta func(string)) (Response, error) {
	ccr, err := c.buildRequest(req)
	if err != nil {
		return Response{}, fmt.Errorf("llm: %s: %w", op, err)
	}
	ok, probe := c.breaker.allow()
	if probe {
		go c.probe()
	}
	if !ok {
		c.callFailed(c.cfg.Model, ErrorBreakerOpen)
		return Response{}, fmt.Errorf("llm: %s: %w", op, errBreakerOpen)
	}
	ctx, cancel := context.WithTimeoutCause(ctx, c.cfg.Timeout, errCallTimeout)
	defer cancel()

	var lastErr, lastRaw error
	for i, model := range c.models {
		if i > 0 {
			if !c.latency.fits(ctx, 0, 0) {
				c.logger.Warn("llm: no time left for a fallback model", "model", model)
				break
			}
			c.logger.Warn("llm: trying fallback model", "model", model, "previous", c.models[i-1])
		}
		ccr.Model = model
		setMaxTokens(&ccr, c.maxTokens(req))

		var resp Response
		var emitted bool
		if onDelta == nil {
			resp, err = c.complete(ctx, ccr)
		} else {
			resp, emitted, err = c.stream(ctx, ccr, onDelta)
		}
		if err == nil {
			c.breaker.record(false, true)
			return resp, nil
		}
		if kind := errorKind(ctx, err); kind != "" {
			c.callFailed(model, kind)
		}
		var fallback bool
		lastRaw = err
		lastErr, fallback = c.classify(ctx, model, err)
		c.logger.Warn("llm: model call failed", "op", op, "model", model, "error", lastErr.Error())
		if !fallback || emitted || ctx.Err() != nil || c.breaker.state() == BreakerOpen {
			break
		}
	}
	c.breaker.record(isOutage(ctx, lastRaw), false)
	return Response{}, fmt.Errorf("llm: %s: %w", op, lastErr)
}

func (c *Client) maxTokens(req Request) int {
	if req.MaxTokens > 0 {
		return req.MaxTokens
	}
	return c.cfg.MaxTokens
}

// setMaxTokens sets the answer length bound for ccr.Model. OpenAI's
// reasoning models only accept max_completion_tokens, while many local
// servers only understand max_tokens, so the field depends on the model.
func setMaxTokens(ccr *openai.ChatCompletionRequest, n int) {
	ccr.MaxCompletionTokens = 0
	//lint:ignore SA1019 max_tokens is what local OpenAI-compatible servers understand.
	ccr.MaxTokens = 0
	if usesCompletionTokens(ccr.Model) {
		ccr.MaxCompletionTokens = n
		return
	}
	//lint:ignore SA1019 max_tokens is what local OpenAI-compatible servers understand.
	ccr.MaxTokens = n
}

// usesCompletionTokens reports whether OpenAI's reasoning models, which
// reject max_tokens in favour of max_completion_tokens, are meant.
func usesCompletionTokens(model string) bool {
	for _, p := range []string{"o1", "o3", "o4", "gpt-5"} {
		if strings.HasPrefix(model, p) {
			return true
		}
	}
	return false
}

func (c *Client) buildRequest(req Request) (openai.ChatCompletionRequest, error) {
	if len(req.Messages) == 0 {
		return openai.ChatCompletionRequest{}, attache.Errorf(attache.EINVALID, "no messages to send to the language model")
	}
	if req.MaxTokens < 0 {
		return openai.ChatCompletionRequest{}, attache.Errorf(attache.EINVALID, "max tokens must not be negative")
	}
	msgs := make([]openai.ChatCompletionMessage, len(req.Messages))
	for i, m := range req.Messages {
		switch m.Role {
		case openai.ChatMessageRoleSystem, openai.ChatMessageRoleUser, openai.ChatMessageRoleAssistant:
		default:
			return openai.ChatCompletionRequest{}, attache.Errorf(attache.EINVALID, "unknown message role %q", m.Role)
		}
		msgs[i] = openai.ChatCompletionMessage{Role: m.Role, Content: m.Content}
	}
	ccr := openai.ChatCompletionRequest{Messages: msgs, Stop: req.Stop}
	switch {
	case req.Temperature != nil:
		t := *req.Temperature
		if t < 0 || t > 2 {
			return openai.ChatCompletionRequest{}, attache.Errorf(attache.EINVALID, "temperature must be between 0 and 2")
		}
		ccr.Temperature = float32(t)
		if t == 0 {
			// The wire type omits a zero temperature; the smallest positive
			// value is as greedy as zero and survives serialisation.
			ccr.Temperature = math.SmallestNonzeroFloat32
		}
	default:
		ccr.Temperature = float32(c.cfg.Temperature)
	}
	return ccr, nil
}

func (c *Client) complete(ctx context.Context, ccr openai.ChatCompletionRequest) (Response, error) {
	r, err := c.api.CreateChatCompletion(ctx, ccr)
	if err != nil {
		return Response{}, err
	}
	if len(r.Choices) == 0 {
		return Response{}, &malformedError{msg: "chat completion has no choices"}
	}
	choice := r.Choices[0]
	for _, ch := range r.Choices {
		if ch.Index == 0 {
			choice = ch
			break
		}
	}
	model := r.Model
	if model == "" {
		model = ccr.Model
	}
	return Response{
		Text:         choice.Message.Content,
		Model:        model,
		Usage:        usage(r.Usage),
		FinishReason: string(choice.FinishReason),
	}, nil
}

func (c *Client) stream(ctx context.Context, ccr openai.ChatCompletionRequest, onDelta func(string)) (Response, bool, error) {
	ccr.Stream = true
	ccr.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
	s, err := c.api.CreateChatCompletionStream(ctx, ccr)
	if err != nil {
		return Response{}, false, err
	}
	defer s.Close()

	resp := Response{Model: ccr.Model}
	var text strings.Builder
	emitted, chunks := false, 0
	for {
		chunk, err := s.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Response{}, emitted, err
		}
		chunks++
		if chunk.Model != "" {
			resp.Model = chunk.Model
		}
		if chunk.Usage != nil {
			resp.Usage = usage(*chunk.Usage)
		}
		for _, ch := range chunk.Choices {
			if ch.Index != 0 {
				continue
			}
			if ch.Delta.Content != "" {
				text.WriteString(ch.Delta.Content)
				emitted = true
				onDelta(ch.Delta.Content)
			}
			if ch.FinishReason != "" {
				resp.FinishReason = string(ch.FinishReason)
			}
		}
	}
	if chunks == 0 {
		return Response{}, false, &malformedError{msg: "stream ended without any data"}
	}
	resp.Text = text.String()
	return resp, emitted, nil
}

func usage(u openai.Usage) Usage {
	return Usage{PromptTokens: u.PromptTokens, CompletionTokens: u.CompletionTokens, TotalTokens: u.TotalTokens}
}

// Embed returns one vector per text, in input order, from the embeddings
// model (for Azure, the embeddings deployment). dimensions > 0 asks models
// that support it for shorter vectors. Fallback models do not apply: vectors
// from different models are not comparable.
func (c *Client) Embed(ctx context.Context, model string, texts []string, dimensions int) ([][]float32, Usage, error) {
	if len(texts) == 0 {
		return nil, Usage{}, nil
	}
	if strings.TrimSpace(model) == "" {
		return nil, Usage{}, fmt.Errorf("llm: embed: %w", attache.Errorf(attache.EINVALID, "an embeddings model name is required"))
	}
	if dimensions < 0 {
		return nil, Usage{}, fmt.Errorf("llm: embed: %w", attache.Errorf(attache.EINVALID, "embedding dimensions must not be negative"))
	}
	ctx, cancel := context.WithTimeoutCause(ctx, c.cfg.Timeout, errCallTimeout)
	defer cancel()

	res, err := c.api.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{
		Input: texts, Model: openai.EmbeddingModel(model), Dimensions: dimensions,
	})
	if err == nil {
		var vecs [][]float32
		if vecs, err = orderEmbeddings(res.Data, len(texts)); err == nil {
			return vecs, usage(res.Usage), nil
		}
	}
	err, _ = c.classify(ctx, model, err)
	c.logger.Warn("llm: embeddings call failed", "model", model, "texts", len(texts), "error", err.Error())
	return nil, Usage{}, fmt.Errorf("llm: embed: %w", err)
}

// orderEmbeddings puts vectors in input order by their index and checks
// that there is exactly one non-empty vector per input.
func orderEmbeddings(data []openai.Embedding, n int) ([][]float32, error) {
	if len(data) != n {
		return nil, &malformedError{msg: fmt.Sprintf("got %d embeddings for %d inputs", len(data), n)}
	}
	out := make([][]float32, n)
	for _, d := range data {
		if d.Index < 0 || d.Index >= n || out[d.Index] != nil {
			return nil, &malformedError{msg: fmt.Sprintf("embedding index %d is out of range or repeated", d.Index)}
		}
		if len(d.Embedding) == 0 {
			return nil, &malformedError{msg: fmt.Sprintf("embedding %d is empty", d.Index)}
		}
		out[d.Index] = d.Embedding
	}
	return out, nil
}
