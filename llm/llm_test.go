package llm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"attache"
	"attache/llm"
)

// received is what the fake server saw of one request.
type received struct {
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   map[string]any
	At     time.Time
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, n int, body map[string]any)

// fakeServer is an httptest server speaking the OpenAI wire format through
// the handler a test gives it, recording every request.
type fakeServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []received
}

func newFakeServer(t *testing.T, h handlerFunc) *fakeServer {
	t.Helper()
	f := &fakeServer{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body map[string]any
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Errorf("request body is not JSON: %v: %q", err, raw)
			}
		}
		f.mu.Lock()
		f.reqs = append(f.reqs, received{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
			Header: r.Header.Clone(), Body: body, At: time.Now()})
		n := len(f.reqs)
		f.mu.Unlock()
		h(w, r, n, body)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeServer) requests() []received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.reqs)
}

func (f *fakeServer) models() []string {
	var out []string
	for _, r := range f.requests() {
		m, _ := r.Body["model"].(string)
		out = append(out, m)
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func completion(model, text string, prompt, completionTokens int) map[string]any {
	return map[string]any{
		"id": "chatcmpl-123", "object": "chat.completion", "created": 1700000000, "model": model,
		"choices": []any{map[string]any{
			"index":         0,
			"message":       map[string]any{"role": "assistant", "content": text},
			"finish_reason": "stop",
		}},
		"usage": map[string]any{"prompt_tokens": prompt, "completion_tokens": completionTokens,
			"total_tokens": prompt + completionTokens},
	}
}

func apiError(message, typ, code string) map[string]any {
	e := map[string]any{"message": message, "type": typ, "param": nil, "code": nil}
	if code != "" {
		e["code"] = code
	}
	return map[string]any{"error": e}
}

// answerWithModel replies with a completion naming the requested model.
func answerWithModel(text string) handlerFunc {
	return func(w http.ResponseWriter, _ *http.Request, _ int, body map[string]any) {
		model, _ := body["model"].(string)
		writeJSON(w, http.StatusOK, completion(model, text, 10, 5))
	}
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newClient(t *testing.T, cfg llm.Config) (*llm.Client, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if cfg.BaseDelay == 0 {
		cfg.BaseDelay = time.Millisecond
	}
	if cfg.MaxDelay == 0 {
		cfg.MaxDelay = 5 * time.Millisecond
	}
	c, err := llm.New(cfg, logger)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, logs
}

var question = llm.Request{Messages: []llm.Message{
	{Role: "system", Content: "Answer from the sources."},
	{Role: "user", Content: "When did Cuba and the US restore relations?"},
}}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	if got := attache.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
}

func TestCompleteSendsRequestAndReturnsUsage(t *testing.T) {
	srv := newFakeServer(t, answerWithModel("In July 2015 [1]."))
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL + "/v1", APIKey: "sk-test-key", Model: "gpt-4o-mini",
		Temperature: 0.25, MaxTokens: 300})

	req := question
	req.MaxTokens = 77
	req.Stop = []string{"\n\n"}
	resp, err := c.Complete(context.Background(), req)
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	want := llm.Response{Text: "In July 2015 [1].", Model: "gpt-4o-mini", FinishReason: "stop",
		Usage: llm.Usage{PromptTokens: 10, CompletionTokens: 5, TotalTokens: 15}}
	if resp != want {
		t.Errorf("response = %+v, want %+v", resp, want)
	}
	if c.Model() != "gpt-4o-mini" {
		t.Errorf("Model() = %q", c.Model())
	}

	reqs := srv.requests()
	if len(reqs) != 1 {
		t.Fatalf("server got %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != "/v1/chat/completions" {
		t.Errorf("request = %s %s, want POST /v1/chat/completions", r.Method, r.Path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer sk-test-key" {
		t.Errorf("Authorization = %q", got)
	}
	if r.Body["model"] != "gpt-4o-mini" || r.Body["stream"] != false {
		t.Errorf("model/stream = %v/%v", r.Body["model"], r.Body["stream"])
	}
	if r.Body["max_tokens"] != float64(77) {
		t.Errorf("max_tokens = %v, want 77 (request override)", r.Body["max_tokens"])
	}
	if temp, _ := r.Body["temperature"].(float64); temp < 0.249 || temp > 0.251 {
		t.Errorf("temperature = %v, want 0.25", r.Body["temperature"])
	}
	if stop, _ := r.Body["stop"].([]any); len(stop) != 1 || stop[0] != "\n\n" {
		t.Errorf("stop = %v", r.Body["stop"])
	}
	msgs, _ := r.Body["messages"].([]any)
	if len(msgs) != 2 {
		t.Fatalf("messages = %v", r.Body["messages"])
	}
	for i, m := range msgs {
		mm := m.(map[string]any)
		if mm["role"] != question.Messages[i].Role || mm["content"] != question.Messages[i].Content {
			t.Errorf("message %d = %v, want %+v", i, mm, question.Messages[i])
		}
	}
}

func TestCompleteZeroTemperatureOverrideIsSent(t *testing.T) {
	srv := newFakeServer(t, answerWithModel("ok"))
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "m", Temperature: 0.7})
	zero := 0.0
	req := question
	req.Temperature = &zero
	if _, err := c.Complete(context.Background(), req); err != nil {
		t.Fatalf("Complete: %v", err)
	}
	temp, ok := srv.requests()[0].Body["temperature"].(float64)
	if !ok || temp > 1e-6 {
		t.Errorf("temperature = %v (present %v), want ~0", temp, ok)
	}
}

func sseChunk(w http.ResponseWriter, v any) {
	data, _ := json.Marshal(v)
	fmt.Fprintf(w, "data: %s\n\n", data)
	w.(http.Flusher).Flush()
}

func deltaChunk(model, content, finish string) map[string]any {
	var fr any
	if finish != "" {
		fr = finish
	}
	return map[string]any{"id": "chatcmpl-9", "object": "chat.completion.chunk", "created": 1700000000,
		"model": model, "choices": []any{map[string]any{"index": 0,
			"delta": map[string]any{"content": content}, "finish_reason": fr}}}
}

func TestStreamDeliversDeltasInOrderWithUsage(t *testing.T) {
	firstSeen := make(chan struct{})
	var mu sync.Mutex
	bufferedWhole := false
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request, _ int, body map[string]any) {
		model, _ := body["model"].(string)
		w.Header().Set("Content-Type", "text/event-stream")
		sseChunk(w, map[string]any{"id": "chatcmpl-9", "object": "chat.completion.chunk", "model": model,
			"choices": []any{map[string]any{"index": 0, "delta": map[string]any{"role": "assistant", "content": ""}}}})
		sseChunk(w, deltaChunk(model, "Hel", ""))
		// The rest is sent only once the client has seen the first fragment,
		// which proves fragments are delivered as they arrive.
		select {
		case <-firstSeen:
		case <-time.After(2 * time.Second):
			mu.Lock()
			bufferedWhole = true
			mu.Unlock()
		}
		sseChunk(w, deltaChunk(model, "lo", ""))
		sseChunk(w, deltaChunk(model, " world", "stop"))
		sseChunk(w, map[string]any{"id": "chatcmpl-9", "object": "chat.completion.chunk", "model": model,
			"choices": []any{}, "usage": map[string]any{"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}})
		fmt.Fprint(w, "data: [DONE]\n\n")
	})
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL + "/v1", APIKey: "k", Model: "llama3.1"})

	var deltas []string
	resp, err := c.Stream(context.Background(), question, func(d string) {
		if len(deltas) == 0 {
			close(firstSeen)
		}
		deltas = append(deltas, d)
	})
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	if want := []string{"Hel", "lo", " world"}; !slices.Equal(deltas, want) {
		t.Errorf("deltas = %q, want %q", deltas, want)
	}
	if resp.Text != strings.Join(deltas, "") || resp.Text != "Hello world" {
		t.Errorf("Text = %q", resp.Text)
	}
	if want := (llm.Usage{PromptTokens: 12, CompletionTokens: 3, TotalTokens: 15}); resp.Usage != want {
		t.Errorf("Usage = %+v, want %+v", resp.Usage, want)
	}
	if resp.FinishReason != "stop" || resp.Model != "llama3.1" {
		t.Errorf("FinishReason/Model = %q/%q", resp.FinishReason, resp.Model)
	}
	mu.Lock()
	if bufferedWhole {
		t.Error("the first fragment was not delivered before the stream ended")
	}
	mu.Unlock()

	r := srv.requests()[0]
	if r.Body["stream"] != true {
		t.Errorf("stream = %v, want true", r.Body["stream"])
	}
	if so, _ := r.Body["stream_options"].(map[string]any); so["include_usage"] != true {
		t.Errorf("stream_options = %v, want include_usage true", r.Body["stream_options"])
	}
	if !strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
		t.Errorf("Accept = %q", r.Header.Get("Accept"))
	}
}

func TestStreamServerIgnoringStreamFlag(t *testing.T) {
	srv := newFakeServer(t, answerWithModel("Relations were restored in 2015 [1]."))
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "qwen2.5"})
	var deltas []string
	resp, err := c.Stream(context.Background(), question, func(d string) { deltas = append(deltas, d) })
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	if resp.Text != "Relations were restored in 2015 [1]." || !slices.Equal(deltas, []string{resp.Text}) {
		t.Errorf("Text = %q, deltas = %q", resp.Text, deltas)
	}
	if want := (llm.Usage{PromptTokens: 10, CompletionTokens: 5, TotalTokens: 15}); resp.Usage != want {
		t.Errorf("Usage = %+v, want %+v", resp.Usage, want)
	}
	if resp.FinishReason != "stop" || resp.Model != "qwen2.5" {
		t.Errorf("FinishReason/Model = %q/%q", resp.FinishReason, resp.Model)
	}
	if srv.requests()[0].Body["stream"] != true {
		t.Error("stream flag not sent")
	}
}

func TestStreamRetriesErrorStatusBeforeBody(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request, n int, body map[string]any) {
		if n == 1 {
			writeJSON(w, http.StatusServiceUnavailable, apiError("overloaded", "server_error", ""))
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		sseChunk(w, deltaChunk("m", "fine", "stop"))
		fmt.Fprint(w, "data: [DONE]\n\n")
	})
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "m", MaxRetries: 1})
	resp, err := c.Stream(context.Background(), question, nil)
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	if resp.Text != "fine" || len(srv.requests()) != 2 {
		t.Errorf("Text = %q after %d requests, want \"fine\" after 2", resp.Text, len(srv.requests()))
	}
}

func TestStreamFailingAfterFirstFragmentIsNotReplayed(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request, _ int, body map[string]any) {
		w.Header().Set("Content-Type", "text/event-stream")
		sseChunk(w, deltaChunk("m", "part", ""))
		fmt.Fprint(w, `data: {"error":{"message":"backend died","type":"server_error"}}`+"\n\n")
	})
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "primary", FallbackModels: []string{"backup"}, MaxRetries: 2})
	var deltas []string
	_, err := c.Stream(context.Background(), question, func(d string) { deltas = append(deltas, d) })
	wantCode(t, err, attache.EUNAVAILABLE)
	if !slices.Equal(deltas, []string{"part"}) {
		t.Errorf("deltas = %q, want [part]", deltas)
	}
	if got := srv.models(); !slices.Equal(got, []string{"primary"}) {
		t.Errorf("models requested = %q, want only the primary once", got)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, n int, body map[string]any) {
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			writeJSON(w, http.StatusTooManyRequests, apiError("rate limited", "requests", "rate_limit_exceeded"))
			return
		}
		answerWithModel("after the wait")(w, r, n, body)
	})
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "m", MaxRetries: 3, MaxDelay: 5 * time.Second})
	resp, err := c.Complete(context.Background(), question)
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	reqs := srv.requests()
	if resp.Text != "after the wait" || len(reqs) != 2 {
		t.Fatalf("Text = %q after %d requests", resp.Text, len(reqs))
	}
	gap := reqs[1].At.Sub(reqs[0].At)
	if gap < 950*time.Millisecond || gap > 3*time.Second {
		t.Errorf("retry came %v after the 429, want about 1s", gap)
	}
	if reqs[1].Body["model"] != "m" {
		t.Errorf("retried request body = %v, want the same request again", reqs[1].Body)
	}
}

func TestServerErrorsExhaustRetries(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
		writeJSON(w, http.StatusInternalServerError, apiError("boom", "server_error", ""))
	})
	c, logs := newClient(t, llm.Config{BaseURL: srv.URL, Model: "m", MaxRetries: 2})
	_, err := c.Complete(context.Background(), question)
	wantCode(t, err, attache.EUNAVAILABLE)
	if got := srv.models(); !slices.Equal(got, []string{"m", "m", "m"}) {
		t.Errorf("models requested = %q, want 3 attempts of m", got)
	}
	if !strings.Contains(logs.String(), "status=500") || !strings.Contains(logs.String(), "attempt=2") {
		t.Errorf("logs lack status and attempt number:\n%s", logs)
	}
	if strings.Contains(logs.String(), question.Messages[1].Content) {
		t.Error("logs contain the prompt text")
	}
}

func TestClientErrorIsNeitherRetriedNorFallenBack(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
		writeJSON(w, http.StatusBadRequest, apiError("context length exceeded", "invalid_request_error", "context_length_exceeded"))
	})
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "m", FallbackModels: []string{"f"}, MaxRetries: 3})
	_, err := c.Complete(context.Background(), question)
	wantCode(t, err, attache.EUNAVAILABLE)
	if got := srv.models(); !slices.Equal(got, []string{"m"}) {
		t.Errorf("models requested = %q, want one attempt of m", got)
	}
	if !strings.Contains(err.Error(), "400") {
		t.Errorf("error %q does not mention the status", err)
	}
}

func TestFallbackAfterPrimaryKeepsFailing(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, n int, body map[string]any) {
		if body["model"] == "primary" {
			writeJSON(w, http.StatusServiceUnavailable, apiError("overloaded", "server_error", ""))
			return
		}
		answerWithModel("from the backup")(w, r, n, body)
	})
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "primary",
		FallbackModels: []string{"backup", "never"}, MaxRetries: 1})
	resp, err := c.Complete(context.Background(), question)
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if resp.Model != "backup" || resp.Text != "from the backup" {
		t.Errorf("response = %+v", resp)
	}
	if got := srv.models(); !slices.Equal(got, []string{"primary", "primary", "backup"}) {
		t.Errorf("models requested = %q", got)
	}
}

func TestFallbackOnModelNotFound(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, n int, body map[string]any) {
		if body["model"] == "gone" {
			writeJSON(w, http.StatusNotFound, apiError("The model `gone` does not exist", "invalid_request_error", "model_not_found"))
			return
		}
		answerWithModel("ok")(w, r, n, body)
	})
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "gone", FallbackModels: []string{"here"}, MaxRetries: 3})
	resp, err := c.Complete(context.Background(), question)
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if resp.Model != "here" {
		t.Errorf("Model = %q, want here", resp.Model)
	}
	if got := srv.models(); !slices.Equal(got, []string{"gone", "here"}) {
		t.Errorf("models requested = %q, want no retry of the missing model", got)
	}
}

func TestTimeoutBoundsTheWholeCall(t *testing.T) {
	srv := newFakeServer(t, func(_ http.ResponseWriter, r *http.Request, _ int, _ map[string]any) {
		<-r.Context().Done()
	})
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "m", FallbackModels: []string{"f"},
		MaxRetries: 3, Timeout: 200 * time.Millisecond})
	start := time.Now()
	_, err := c.Complete(context.Background(), question)
	elapsed := time.Since(start)
	wantCode(t, err, attache.EUNAVAILABLE)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("errors.Is(err, DeadlineExceeded) = false for %v", err)
	}
	if elapsed > 2*time.Second {
		t.Errorf("call took %v with a 200ms timeout", elapsed)
	}
}

func TestCancelDuringBackoffReturnsPromptly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
		w.Header().Set("Retry-After", "30")
		writeJSON(w, http.StatusServiceUnavailable, apiError("busy", "server_error", ""))
		time.AfterFunc(100*time.Millisecond, cancel)
	})
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "m", MaxRetries: 3, MaxDelay: time.Minute})
	start := time.Now()
	_, err := c.Complete(ctx, question)
	elapsed := time.Since(start)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if elapsed > 2*time.Second {
		t.Errorf("cancelled call took %v", elapsed)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("server got %d requests, want 1", n)
	}
}

func TestPerAttemptTimeoutIsRetried(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, n int, body map[string]any) {
		if n == 1 {
			<-r.Context().Done()
			return
		}
		answerWithModel("second try")(w, r, n, body)
	})
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "m", MaxRetries: 1,
		HTTPClient: &http.Client{Timeout: 100 * time.Millisecond}})
	resp, err := c.Complete(context.Background(), question)
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if resp.Text != "second try" || len(srv.requests()) != 2 {
		t.Errorf("Text = %q after %d requests", resp.Text, len(srv.requests()))
	}
}

func TestConnectionErrorIsRetried(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, n int, body map[string]any) {
		if n == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Errorf("hijack: %v", err)
				return
			}
			conn.Close()
			return
		}
		answerWithModel("reconnected")(w, r, n, body)
	})
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "m", MaxRetries: 1})
	resp, err := c.Complete(context.Background(), question)
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if resp.Text != "reconnected" || len(srv.requests()) != 2 {
		t.Errorf("Text = %q after %d requests", resp.Text, len(srv.requests()))
	}
}

func TestUnreachableServiceIsUnavailable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	c, _ := newClient(t, llm.Config{BaseURL: url, Model: "m", MaxRetries: 1})
	_, err := c.Complete(context.Background(), question)
	wantCode(t, err, attache.EUNAVAILABLE)
}

func TestMalformedJSONIsUnavailable(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id": "x", "choices": [}`)
	})
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "m", MaxRetries: 2})
	_, err := c.Complete(context.Background(), question)
	wantCode(t, err, attache.EUNAVAILABLE)
	var syntaxErr *json.SyntaxError
	if !errors.As(err, &syntaxErr) {
		t.Errorf("cause is not wrapped: %v", err)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("server got %d requests, want 1 (a 200 is not retried)", n)
	}
}

func TestCompletionWithoutChoicesIsUnavailable(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
		writeJSON(w, http.StatusOK, map[string]any{"id": "x", "object": "chat.completion", "choices": []any{}})
	})
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "m"})
	_, err := c.Complete(context.Background(), question)
	wantCode(t, err, attache.EUNAVAILABLE)
	_, err = c.Stream(context.Background(), question, nil)
	wantCode(t, err, attache.EUNAVAILABLE)
}

func TestAzureURLAndHeaders(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, n int, body map[string]any) {
		if strings.HasSuffix(r.URL.Path, "/embeddings") {
			writeJSON(w, http.StatusOK, map[string]any{"object": "list", "model": "e",
				"data":  []any{map[string]any{"object": "embedding", "index": 0, "embedding": []float32{1, 2}}},
				"usage": map[string]any{"prompt_tokens": 2, "total_tokens": 2}})
			return
		}
		answerWithModel("azure says hi")(w, r, n, body)
	})
	const key = "azure-key-123"
	c, _ := newClient(t, llm.Config{APIType: "azure", BaseURL: srv.URL, APIKey: key,
		Model: "gpt-3.5-turbo", APIVersion: "2024-06-01"})
	resp, err := c.Complete(context.Background(), question)
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if resp.Text != "azure says hi" {
		t.Errorf("Text = %q", resp.Text)
	}
	if _, _, err := c.Embed(context.Background(), "embed-deploy", []string{"x"}, 0); err != nil {
		t.Fatalf("Embed: %v", err)
	}
	reqs := srv.requests()
	wantPaths := []string{"/openai/deployments/gpt-3.5-turbo/chat/completions", "/openai/deployments/embed-deploy/embeddings"}
	for i, r := range reqs {
		if r.Path != wantPaths[i] {
			t.Errorf("path = %q, want %q", r.Path, wantPaths[i])
		}
		if r.Query != "api-version=2024-06-01" {
			t.Errorf("query = %q", r.Query)
		}
		if r.Header.Get("api-key") != key || r.Header.Get("Authorization") != "" {
			t.Errorf("api-key = %q, Authorization = %q", r.Header.Get("api-key"), r.Header.Get("Authorization"))
		}
	}
}

func TestKeylessServerGetsNoAuthorization(t *testing.T) {
	srv := newFakeServer(t, answerWithModel("local answer"))
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL + "/v1", Model: "llama3.1:8b"})
	if _, err := c.Complete(context.Background(), question); err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if _, err := c.Stream(context.Background(), question, nil); err != nil {
		t.Fatalf("Stream: %v", err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("server got %d requests", len(reqs))
	}
	for _, r := range reqs {
		if v, ok := r.Header["Authorization"]; ok {
			t.Errorf("Authorization header sent: %q", v)
		}
	}
}

func TestAPIKeyNeverInErrorsOrLogs(t *testing.T) {
	const key = "sk-proj-ZZtopSECRETzz-4f1e9c"
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int, body map[string]any) {
		echo := "Incorrect API key provided: " + strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if body["model"] == "first" {
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, "<html>bad gateway for "+echo+"</html>")
			return
		}
		writeJSON(w, http.StatusUnauthorized, apiError(echo, "invalid_request_error", "invalid_api_key"))
	})
	c, logs := newClient(t, llm.Config{BaseURL: srv.URL, APIKey: key, Model: "first",
		FallbackModels: []string{"second"}, MaxRetries: 1})
	_, err := c.Complete(context.Background(), question)
	wantCode(t, err, attache.EUNAVAILABLE)
	if got := srv.models(); !slices.Equal(got, []string{"first", "first", "second"}) {
		t.Fatalf("models requested = %q", got)
	}
	if strings.Contains(err.Error(), key) || strings.Contains(attache.ErrorMessage(err), key) {
		t.Errorf("error contains the key: %v", err)
	}
	if !strings.Contains(err.Error(), "401") {
		t.Errorf("error %q lacks the status", err)
	}
	if strings.Contains(logs.String(), key) {
		t.Errorf("logs contain the key:\n%s", logs)
	}
	if !strings.Contains(logs.String(), "status=502") {
		t.Errorf("logs lack the failed attempts:\n%s", logs)
	}
}

func TestEmbedReturnsVectorsInInputOrder(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request, _ int, body map[string]any) {
		inputs, _ := body["input"].([]any)
		var data []any
		for _, i := range []int{2, 0, 3, 1} { // shuffled on purpose
			if i >= len(inputs) {
				continue
			}
			v := float32(len(inputs[i].(string)))
			data = append(data, map[string]any{"object": "embedding", "index": i, "embedding": []float32{v, float32(i)}})
		}
		writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": data, "model": body["model"],
			"usage": map[string]any{"prompt_tokens": 9, "total_tokens": 9}})
	})
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, APIKey: "k", Model: "chat"})
	texts := []string{"a", "bb", "ccc", "dddd"}
	vecs, usage, err := c.Embed(context.Background(), "text-embedding-3-small", texts, 256)
	if err != nil {
		t.Fatalf("Embed: %v", err)
	}
	if len(vecs) != len(texts) {
		t.Fatalf("got %d vectors", len(vecs))
	}
	for i, v := range vecs {
		if want := []float32{float32(len(texts[i])), float32(i)}; !slices.Equal(v, want) {
			t.Errorf("vector %d = %v, want %v", i, v, want)
		}
	}
	if usage.PromptTokens != 9 || usage.TotalTokens != 9 {
		t.Errorf("usage = %+v", usage)
	}
	r := srv.requests()[0]
	if r.Path != "/embeddings" || r.Body["model"] != "text-embedding-3-small" || r.Body["dimensions"] != float64(256) {
		t.Errorf("request = %s %v", r.Path, r.Body)
	}
	if in, _ := r.Body["input"].([]any); len(in) != 4 || in[0] != "a" || in[3] != "dddd" {
		t.Errorf("input = %v", r.Body["input"])
	}
}

func TestEmbedWithMissingVectorsIsUnavailable(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
		writeJSON(w, http.StatusOK, map[string]any{"object": "list",
			"data": []any{map[string]any{"object": "embedding", "index": 0, "embedding": []float32{1}}}})
	})
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "chat"})
	_, _, err := c.Embed(context.Background(), "e", []string{"one", "two"}, 0)
	wantCode(t, err, attache.EUNAVAILABLE)
}

func TestInvalidInputIsRejectedWithoutARequest(t *testing.T) {
	srv := newFakeServer(t, answerWithModel("unused"))
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "m"})
	ctx := context.Background()
	_, err := c.Complete(ctx, llm.Request{})
	wantCode(t, err, attache.EINVALID)
	_, err = c.Stream(ctx, llm.Request{Messages: []llm.Message{{Role: "tool", Content: "x"}}}, nil)
	wantCode(t, err, attache.EINVALID)
	_, _, err = c.Embed(ctx, "", []string{"x"}, 0)
	wantCode(t, err, attache.EINVALID)
	vecs, _, err := c.Embed(ctx, "e", nil, 0)
	if err != nil || vecs != nil {
		t.Errorf("Embed of nothing = %v, %v", vecs, err)
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("server got %d requests, want 0", n)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	valid := llm.Config{BaseURL: "http://127.0.0.1:11434/v1", Model: "llama3.1"}
	for name, mutate := range map[string]func(*llm.Config){
		"no model":            func(c *llm.Config) { c.Model = " " },
		"bad scheme":          func(c *llm.Config) { c.BaseURL = "ftp://example.com" },
		"no host":             func(c *llm.Config) { c.BaseURL = "http://" },
		"unknown api type":    func(c *llm.Config) { c.APIType = "bedrock" },
		"azure without key":   func(c *llm.Config) { c.APIType = "azure" },
		"negative retries":    func(c *llm.Config) { c.MaxRetries = -1 },
		"negative timeout":    func(c *llm.Config) { c.Timeout = -time.Second },
		"negative delay":      func(c *llm.Config) { c.BaseDelay = -time.Second },
		"temperature too hot": func(c *llm.Config) { c.Temperature = 3 },
		"empty fallback":      func(c *llm.Config) { c.FallbackModels = []string{""} },
		"negative max tokens": func(c *llm.Config) { c.MaxTokens = -5 },
	} {
		cfg := valid
		mutate(&cfg)
		_, err := llm.New(cfg, nil)
		if attache.ErrorCode(err) != attache.EINVALID {
			t.Errorf("%s: err = %v, want %s", name, err, attache.EINVALID)
		}
	}
	if _, err := llm.New(valid, nil); err != nil {
		t.Errorf("valid keyless config rejected: %v", err)
	}
	if _, err := llm.New(llm.Config{Model: "gpt-4o-mini", APIKey: "k"}, nil); err != nil {
		t.Errorf("config with default base URL rejected: %v", err)
	}
	if _, err := llm.New(llm.Config{APIType: "Azure", BaseURL: "https://x.openai.azure.com", APIKey: "k", Model: "d"}, nil); err != nil {
		t.Errorf("valid Azure config rejected: %v", err)
	}
}
