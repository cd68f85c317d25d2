package llm_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"attache/llm"
)

func TestOnErrorReportsEachFailedCallByModelAndKind(t *testing.T) {
	t.Parallel()
	closed := func(t *testing.T) string {
		t.Helper()
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		return "http://" + addr + "/v1"
	}
	for _, tc := range []struct {
		name     string
		handler  handlerFunc
		fallback []string
		timeout  time.Duration
		unserved bool
		want     []string
	}{
		{name: "server error", handler: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
			writeJSON(w, http.StatusInternalServerError, apiError("boom", "server_error", ""))
		}, want: []string{"m/unavailable"}},
		{name: "rejected", handler: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
			writeJSON(w, http.StatusBadRequest, apiError("too long", "invalid_request_error", "context_length_exceeded"))
		}, want: []string{"m/rejected"}},
		{name: "model not found, fallback answers", fallback: []string{"f"},
			handler: func(w http.ResponseWriter, r *http.Request, n int, body map[string]any) {
				if body["model"] == "m" {
					writeJSON(w, http.StatusNotFound, apiError("no such model", "invalid_request_error", "model_not_found"))
					return
				}
				answerWithModel("ok")(w, r, n, body)
			}, want: []string{"m/not_found"}},
		{name: "malformed", handler: func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"choices": [`)
		}, want: []string{"m/malformed"}},
		{name: "timeout", timeout: 200 * time.Millisecond, handler: func(_ http.ResponseWriter, r *http.Request, _ int, _ map[string]any) {
			<-r.Context().Done()
		}, want: []string{"m/timeout"}},
		{name: "unreachable", unserved: true, want: []string{"m/unreachable"}},
		{name: "success", handler: answerWithModel("fine"), want: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := llm.Config{Model: "m", FallbackModels: tc.fallback, Timeout: tc.timeout}
			if tc.unserved {
				cfg.BaseURL = closed(t)
			} else {
				cfg.BaseURL = newFakeServer(t, tc.handler).URL
			}
			c, _ := newClient(t, cfg)
			var (
				mu  sync.Mutex
				got []string
			)
			c.OnError(func(model, kind string) {
				mu.Lock()
				defer mu.Unlock()
				got = append(got, model+"/"+kind)
			})
			_, err := c.Complete(context.Background(), question)
			if (err == nil) != (tc.want == nil || len(tc.fallback) > 0) {
				t.Errorf("Complete: %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			if !slices.Equal(got, tc.want) {
				t.Errorf("reported %q, want %q", got, tc.want)
			}
		})
	}
}

func TestOnErrorReportsCallsRefusedByTheOpenBreaker(t *testing.T) {
	t.Parallel()
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
		writeJSON(w, http.StatusServiceUnavailable, apiError("overloaded", "server_error", ""))
	})
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "m", BreakerFailures: 1, BreakerCooldown: time.Hour})
	var got []string
	c.OnError(func(model, kind string) { got = append(got, model+"/"+kind) })
	for range 2 {
		if _, err := c.Complete(context.Background(), question); err == nil {
			t.Fatal("a failing server answered")
		}
	}
	if want := []string{"m/unavailable", "m/breaker_open"}; !slices.Equal(got, want) {
		t.Errorf("reported %q, want %q", got, want)
	}
}
