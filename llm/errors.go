package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	openai "github.com/sashabaranov/go-openai"

	"attache"
)

// malformedError reports a response the server should never have sent.
type malformedError struct {
	msg string
	err error
}

func (e *malformedError) Error() string {
	if e.err != nil {
		return "malformed response: " + e.msg + ": " + e.err.Error()
	}
	return "malformed response: " + e.msg
}

func (e *malformedError) Unwrap() error { return e.err }

// statusError is an HTTP error answer from the service.
type statusError struct {
	Status  int
	Code    string
	Message string
}

func (e *statusError) Error() string {
	s := fmt.Sprintf("http %d", e.Status)
	if e.Code != "" {
		s += " (" + e.Code + ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// redactedError hides the API key from the text of the error it wraps.
type redactedError struct {
	err    error
	redact func(string) string
}

func (e *redactedError) Error() string { return e.redact(e.err.Error()) }
func (e *redactedError) Unwrap() error { return e.err }

// classify turns an error from one model call into the error given back to
// callers, and reports whether a fallback model is worth trying.
func (c *Client) classify(ctx context.Context, model string, err error) (error, bool) {
	if ctx.Err() != nil {
		if context.Cause(ctx) == errCallTimeout {
			return fmt.Errorf("model %q: %w: %w", model,
				attache.Errorf(attache.EUNAVAILABLE, "the language model did not answer within %s", c.cfg.Timeout),
				context.DeadlineExceeded), false
		}
		return fmt.Errorf("model %q: %w", model, ctx.Err()), false
	}

	if se := asStatusError(err, c.redact); se != nil {
		retryable := retryableStatus(se.Status)
		fallback := retryable || se.Status == http.StatusNotFound || se.Code == "model_not_found"
		msg := "the language model service rejected the request"
		if retryable || se.Status >= 500 {
			msg = "the language model service is unavailable"
		} else if fallback {
			msg = "the language model was not found"
		}
		return fmt.Errorf("model %q: %w: %w", model,
			attache.Errorf(attache.EUNAVAILABLE, "%s (HTTP %d)", msg, se.Status), se), fallback
	}

	cause := &redactedError{err: err, redact: c.redact}
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) { // an error event inside a stream
		return fmt.Errorf("model %q: %w: %w", model,
			attache.Errorf(attache.EUNAVAILABLE, "the language model service reported an error"), cause), true
	}
	var me *malformedError
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	if errors.As(err, &me) || errors.As(err, &syn) || errors.As(err, &typ) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("model %q: %w: %w", model,
			attache.Errorf(attache.EUNAVAILABLE, "the language model service sent a malformed response"), cause), true
	}
	return fmt.Errorf("model %q: %w: %w", model,
		attache.Errorf(attache.EUNAVAILABLE, "the language model service cannot be reached"), cause), true
}

// asStatusError extracts the HTTP status and the server's message from the
// error types of the protocol library, with the key redacted.
func asStatusError(err error, redact func(string) string) *statusError {
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) && apiErr.HTTPStatusCode > 0 {
		code, _ := apiErr.Code.(string)
		return &statusError{Status: apiErr.HTTPStatusCode, Code: code, Message: redact(truncate(apiErr.Message, 300))}
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) && reqErr.HTTPStatusCode > 0 {
		return &statusError{Status: reqErr.HTTPStatusCode, Message: redact(truncate(string(reqErr.Body), 300))}
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 { // do not cut a UTF-8 sequence
		n--
	}
	return s[:n] + "…"
}
