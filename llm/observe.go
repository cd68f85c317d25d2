package llm

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	openai "github.com/sashabaranov/go-openai"
)

// Kinds of failed model calls, as given to an OnError observer.
const (
	ErrorTimeout     = "timeout"      // no answer within Config.Timeout
	ErrorUnavailable = "unavailable"  // HTTP 429 or 5xx, or an error event in a stream
	ErrorRejected    = "rejected"     // another HTTP 4xx: the request was refused
	ErrorNotFound    = "not_found"    // the model does not exist on the server
	ErrorMalformed   = "malformed"    // a response that could not be read
	ErrorUnreachable = "unreachable"  // no response at all
	ErrorBreakerOpen = "breaker_open" // not called: the circuit breaker is open
)

// OnError sets f to be called for every failed call to a model, with the
// model and the kind of failure (an Error constant), for metrics; f must
// not block. Calls the caller cancelled are not failures.
func (c *Client) OnError(f func(model, kind string)) { c.errObserver.Store(&f) }

func (c *Client) callFailed(model, kind string) {
	if f := c.errObserver.Load(); f != nil {
		(*f)(model, kind)
	}
}

// errorKind classifies the error of one model call; "" when the caller
// gave up, which is no failure of the model.
func errorKind(ctx context.Context, err error) string {
	if ctx.Err() != nil {
		if context.Cause(ctx) == errCallTimeout {
			return ErrorTimeout
		}
		return ""
	}
	if se := asStatusError(err, func(s string) string { return s }); se != nil {
		switch {
		case retryableStatus(se.Status) || se.Status >= 500:
			return ErrorUnavailable
		case se.Status == http.StatusNotFound || se.Code == "model_not_found":
			return ErrorNotFound
		}
		return ErrorRejected
	}
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return ErrorUnavailable
	}
	var me *malformedError
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	if errors.As(err, &me) || errors.As(err, &syn) || errors.As(err, &typ) || errors.Is(err, io.ErrUnexpectedEOF) {
		return ErrorMalformed
	}
	return ErrorUnreachable
}
