package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// maxJSONBody bounds a plain JSON answer read whole in place of a stream.
const maxJSONBody = 32 << 20

var errAttemptTimeout = errors.New("attempt timed out")

// retryTransport retries one HTTP exchange on 408, 409, 429, 5xx, connection
// errors and per-attempt timeouts, with exponential backoff and full jitter,
// honouring Retry-After. It only ever retries before handing a response
// body to the caller, so a stream that has started is never replayed. A
// retry is made only when it can be expected to finish before the request's
// deadline (after its delay, as long as successful exchanges take), and not
// once halt says to stop (the circuit breaker opened).
type retryTransport struct {
	latency        *latency
	halt           func() bool
	base           http.RoundTripper
	maxRetries     int
	baseDelay      time.Duration
	maxDelay       time.Duration
	attemptTimeout time.Duration // 0 = none; bounds waiting for headers
	keyless        bool
	logger         *slog.Logger
	redact         func(string) string
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	body, err := requestBody(req)
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	attempts := 1 + t.maxRetries
	if ctx.Value(noRetryKey{}) != nil {
		attempts = 1
	}
	for attempt := 1; ; attempt++ {
		r := req.Clone(ctx)
		if t.keyless {
			r.Header.Del("Authorization")
		}
		if body != nil {
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
			r.ContentLength = int64(len(body))
		}

		start := time.Now()
		resp, err := t.try(ctx, r)
		took := time.Since(start)
		if err != nil && ctx.Err() != nil {
			return nil, err
		}
		if err == nil && !retryableStatus(resp.StatusCode) {
			if resp.StatusCode/100 == 2 && t.latency != nil {
				resp.Body = &timedBody{ReadCloser: resp.Body, start: start, latency: t.latency}
			}
			if isStreamRequest(req) && resp.StatusCode/100 == 2 && isJSON(resp.Header) {
				return jsonToStream(resp)
			}
			return resp, nil
		}

		attrs := []any{"path", r.URL.Path, "attempt", attempt, "attempts", attempts}
		if err != nil {
			attrs = append(attrs, "error", t.redact(err.Error()))
		} else {
			attrs = append(attrs, "status", resp.StatusCode)
		}
		if attempt >= attempts {
			t.logger.Debug("llm: request failed, no retries left", attrs...)
			return resp, err
		}
		delay := t.backoff(attempt)
		if resp != nil {
			if d, ok := retryAfter(resp.Header, time.Now()); ok {
				delay = min(d, t.maxDelay)
			}
		}
		if t.latency != nil && !t.latency.fits(ctx, delay, took) {
			t.logger.Debug("llm: request failed, no time left to retry", attrs...)
			return resp, err
		}
		if t.halt != nil && t.halt() {
			t.logger.Debug("llm: request failed, the service is marked as failing", attrs...)
			return resp, err
		}
		if resp != nil {
			resp.Body.Close()
		}
		t.logger.Warn("llm: request failed, retrying", append(attrs, "delay", delay)...)
		if err := sleep(ctx, delay); err != nil {
			return nil, err
		}
	}
}

// try makes one attempt, bounded by the per-attempt timeout until the
// response headers arrive.
func (t *retryTransport) try(ctx context.Context, r *http.Request) (*http.Response, error) {
	if t.attemptTimeout <= 0 {
		return t.base.RoundTrip(r)
	}
	actx, cancel := context.WithCancelCause(ctx)
	timer := time.AfterFunc(t.attemptTimeout, func() { cancel(errAttemptTimeout) })
	resp, err := t.base.RoundTrip(r.WithContext(actx))
	fired := !timer.Stop()
	if err == nil && fired {
		resp.Body.Close()
		err = errAttemptTimeout
	}
	if err != nil {
		cancel(nil)
		if ctx.Err() == nil && errors.Is(context.Cause(actx), errAttemptTimeout) {
			return nil, fmt.Errorf("%w after %s", errAttemptTimeout, t.attemptTimeout)
		}
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: func() { cancel(nil) }}
	return resp, nil
}

// timedBody records, when closed, how long the exchange took.
type timedBody struct {
	io.ReadCloser
	start   time.Time
	latency *latency
	once    sync.Once
}

func (b *timedBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(func() { b.latency.observe(time.Since(b.start)) })
	return err
}

type cancelOnClose struct {
	io.ReadCloser
	cancel func()
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// backoff returns the full-jitter delay before retry number attempt (1-based).
func (t *retryTransport) backoff(attempt int) time.Duration {
	ceiling := t.baseDelay
	for i := 1; i < attempt && ceiling < t.maxDelay; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, t.maxDelay)
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling + 1)
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

func retryableStatus(code int) bool {
	switch {
	case code == http.StatusRequestTimeout, code == http.StatusConflict, code == http.StatusTooManyRequests:
		return true
	default:
		return code >= 500 && code <= 599
	}
}

// retryAfter reads retry-after-ms (milliseconds) or Retry-After (seconds or
// an HTTP date).
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 && ms < 1e12 {
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 || secs > 1e6 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

// requestBody buffers the request body so that every attempt can send it.
func requestBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	rc := req.Body
	if req.GetBody != nil {
		req.Body.Close()
		var err error
		if rc, err = req.GetBody(); err != nil {
			return nil, err
		}
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func isStreamRequest(req *http.Request) bool {
	return strings.Contains(req.Header.Get("Accept"), "text/event-stream")
}

func isJSON(h http.Header) bool {
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	return err == nil && mt == "application/json"
}

// jsonToStream rewrites a plain JSON chat completion, sent by a server that
// ignored stream=true, as a one-chunk event stream.
func jsonToStream(resp *http.Response) (*http.Response, error) {
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxJSONBody))
	if err != nil {
		return nil, err
	}
	var full openai.ChatCompletionResponse
	if err := json.Unmarshal(raw, &full); err != nil {
		return nil, &malformedError{msg: "plain JSON answer to a stream request", err: err}
	}
	if len(full.Choices) == 0 {
		return nil, &malformedError{msg: "chat completion has no choices"}
	}
	u := full.Usage
	chunk := openai.ChatCompletionStreamResponse{
		ID: full.ID, Object: "chat.completion.chunk", Created: full.Created, Model: full.Model, Usage: &u,
	}
	for _, ch := range full.Choices {
		chunk.Choices = append(chunk.Choices, openai.ChatCompletionStreamChoice{
			Index:        ch.Index,
			Delta:        openai.ChatCompletionStreamChoiceDelta{Role: ch.Message.Role, Content: ch.Message.Content},
			FinishReason: ch.FinishReason,
		})
	}
	data, err := json.Marshal(chunk)
	if err != nil {
		return nil, err
	}
	var sse bytes.Buffer
	fmt.Fprintf(&sse, "data: %s\n\ndata: [DONE]\n\n", data)
	out := *resp
	out.Header = resp.Header.Clone()
	out.Header.Set("Content-Type", "text/event-stream")
	out.Header.Del("Content-Length")
	out.ContentLength = int64(sse.Len())
	out.Body = io.NopCloser(&sse)
	return &out, nil
}
