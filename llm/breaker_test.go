package llm_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"attache"
	"attache/llm"
)

// outageServer fails every request with status while down is set, and
// answers normally otherwise.
func outageServer(t *testing.T, status int, down *atomic.Bool) *fakeServer {
	t.Helper()
	return newFakeServer(t, func(w http.ResponseWriter, r *http.Request, n int, body map[string]any) {
		if down.Load() {
			writeJSON(w, status, apiError("overloaded", "server_error", ""))
			return
		}
		answerWithModel("Relations were restored in 2015 [1].")(w, r, n, body)
	})
}

// states records the breaker's changes of state.
type states struct {
	mu  sync.Mutex
	got []llm.BreakerState
}

func (s *states) add(st llm.BreakerState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, st)
}

func (s *states) list() []llm.BreakerState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.got)
}

// waitFor polls cond until it holds or the bound passes.
func waitFor(t *testing.T, bound time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(bound)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestBreakerOpensAfterConsecutiveOutagesAndClosesAfterProbe(t *testing.T) {
	for _, status := range []int{http.StatusTooManyRequests, http.StatusInternalServerError} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			var down atomic.Bool
			down.Store(true)
			srv := outageServer(t, status, &down)
			cooldown := 100 * time.Millisecond
			c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "m", MaxRetries: 1,
				BreakerFailures: 3, BreakerCooldown: cooldown})
			var seen states
			c.OnBreakerChange(seen.add)

			for i := range 3 {
				if c.BreakerState() != llm.BreakerClosed {
					t.Fatalf("breaker open after %d failures, want 3", i)
				}
				_, err := c.Complete(context.Background(), question)
				wantCode(t, err, attache.EUNAVAILABLE)
			}
			if c.BreakerState() != llm.BreakerOpen {
				t.Fatal("breaker still closed after 3 consecutive failures")
			}
			sent := len(srv.requests())
			if sent != 6 {
				t.Errorf("requests before opening = %d, want 3 calls × 2 attempts", sent)
			}

			// Open: calls fail without a request, and are unavailable.
			for range 5 {
				_, err := c.Complete(context.Background(), question)
				wantCode(t, err, attache.EUNAVAILABLE)
			}
			if got := len(srv.requests()); got != sent {
				t.Errorf("an open breaker sent %d requests", got-sent)
			}

			// After the cool-down, still down: one probe, no retry; still open.
			time.Sleep(cooldown)
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() {
					_, err := c.Complete(context.Background(), question)
					wantCode(t, err, attache.EUNAVAILABLE)
				})
			}
			wg.Wait()
			waitFor(t, 5*time.Second, "the probe", func() bool { return len(srv.requests()) == sent+1 })
			time.Sleep(20 * time.Millisecond) // room for a second probe, which must not come
			if got := len(srv.requests()); got != sent+1 {
				t.Errorf("probes sent = %d, want 1", got-sent)
			}
			if c.BreakerState() != llm.BreakerOpen {
				t.Error("a failed probe closed the breaker")
			}

			// The model recovers: after a cool-down a probe closes the breaker.
			down.Store(false)
			waitFor(t, 5*time.Second, "the breaker to close", func() bool {
				_, err := c.Complete(context.Background(), question)
				return err == nil
			})
			resp, err := c.Complete(context.Background(), question)
			if err != nil || resp.Text == "" {
				t.Fatalf("after recovery: %q, %v", resp.Text, err)
			}
			if got := seen.list(); !slices.Equal(got, []llm.BreakerState{llm.BreakerOpen, llm.BreakerClosed}) {
				t.Errorf("state changes = %v, want open then closed", got)
			}
		})
	}
}

func TestBreakerIgnoresRejectedRequestsAndCallersGivingUp(t *testing.T) {
	t.Parallel()
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) {
		writeJSON(w, http.StatusBadRequest, apiError("context length exceeded", "invalid_request_error", "context_length_exceeded"))
	})
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "m", BreakerFailures: 2})
	for range 4 {
		_, err := c.Complete(context.Background(), question)
		wantCode(t, err, attache.EUNAVAILABLE)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 4 {
		if _, err := c.Complete(ctx, question); !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled call: %v", err)
		}
	}
	if c.BreakerState() != llm.BreakerClosed {
		t.Error("the breaker opened on errors that say nothing about the service")
	}
}

func TestSuccessResetsTheFailureCount(t *testing.T) {
	t.Parallel()
	var down atomic.Bool
	srv := outageServer(t, http.StatusServiceUnavailable, &down)
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "m", BreakerFailures: 3})
	for _, fail := range []bool{true, true, false, true, true, false, true, true} {
		down.Store(fail)
		_, err := c.Complete(context.Background(), question)
		if (err != nil) != fail {
			t.Fatalf("call (down=%v): %v", fail, err)
		}
	}
	if c.BreakerState() != llm.BreakerClosed {
		t.Error("failures separated by successes opened the breaker")
	}
}

func TestNegativeBreakerFailuresNeverOpen(t *testing.T) {
	t.Parallel()
	var down atomic.Bool
	down.Store(true)
	srv := outageServer(t, http.StatusInternalServerError, &down)
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "m", BreakerFailures: -1})
	for range 8 {
		_, err := c.Complete(context.Background(), question)
		wantCode(t, err, attache.EUNAVAILABLE)
	}
	if got := len(srv.requests()); got != 8 || c.BreakerState() != llm.BreakerClosed {
		t.Errorf("requests = %d, state %s: want every call sent", got, c.BreakerState())
	}
}

// A retry that could not finish before the caller's deadline (the service's
// successful answers take longer than the time left) is not started.
func TestRetryNotStartedWhenItCannotFinishBeforeTheDeadline(t *testing.T) {
	t.Parallel()
	const slow = 300 * time.Millisecond
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, n int, body map[string]any) {
		if n == 1 {
			time.Sleep(slow)
			answerWithModel("ok")(w, r, n, body)
			return
		}
		writeJSON(w, http.StatusInternalServerError, apiError("boom", "server_error", ""))
	})
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "m", MaxRetries: 3})
	if _, err := c.Complete(context.Background(), question); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), slow/2)
	defer cancel()
	_, err := c.Complete(ctx, question)
	wantCode(t, err, attache.EUNAVAILABLE)
	if errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the call ran into its deadline: %v", err)
	}
	if got := len(srv.requests()); got != 2 {
		t.Errorf("requests = %d, want the slow success and one failed attempt (no retry)", got)
	}
}

// A call already retrying stops once the breaker opens: its waiter answers
// without the model at once instead of spending its retries.
func TestRetriesStopWhenTheBreakerOpens(t *testing.T) {
	t.Parallel()
	firstIn, release := make(chan struct{}), make(chan struct{})
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request, n int, _ map[string]any) {
		if n == 1 {
			close(firstIn)
			<-release
		}
		writeJSON(w, http.StatusInternalServerError, apiError("boom", "server_error", ""))
	})
	c, _ := newClient(t, llm.Config{BaseURL: srv.URL, Model: "m", MaxRetries: 3, BreakerFailures: 1})
	slow := make(chan error, 1)
	go func() {
		_, err := c.Complete(context.Background(), question)
		slow <- err
	}()
	<-firstIn
	_, err := c.Complete(context.Background(), question) // 4 attempts, then the breaker opens
	wantCode(t, err, attache.EUNAVAILABLE)
	if c.BreakerState() != llm.BreakerOpen {
		t.Fatal("breaker not open after a failed call with threshold 1")
	}
	close(release)
	wantCode(t, <-slow, attache.EUNAVAILABLE)
	if got := len(srv.requests()); got != 5 {
		t.Errorf("requests = %d, want 4 for the failed call and 1 for the one that was waiting", got)
	}
}
