package bot

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"attache/internal/metrics"
)

// Closing the gate releases everyone waiting for a slot at once, refuses
// newcomers even when a slot is free, and leaves the answers holding slots
// alone.
func TestGateCloseReleasesTheQueue(t *testing.T) {
	g := newGate(1, time.Minute)
	release, err := g.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	const waiting = 3
	errs := make(chan error, waiting)
	for range waiting {
		go func() {
			r, err := g.acquire(context.Background())
			if err == nil {
				r()
			}
			errs <- err
		}()
	}
	g.close()
	for range waiting {
		if err := <-errs; !errors.Is(err, errRestarting) {
			t.Errorf("queued acquire after close: %v, want errRestarting", err)
		}
	}
	release()
	if _, err := g.acquire(context.Background()); !errors.Is(err, errRestarting) {
		t.Errorf("acquire on a closed gate with a free slot: %v, want errRestarting", err)
	}
	g.close() // closing twice is harmless
}

func TestGateRefusalMessagesAndOutcomes(t *testing.T) {
	for _, tc := range []struct {
		err     error
		message string
		outcome string
	}{
		{ErrBusy, "I'm answering many questions right now. Please try again in a minute.", metrics.OutcomeBusy},
		{errRestarting, restartMessage, metrics.OutcomeRestarting},
	} {
		if got := userMessage(tc.err); got != tc.message {
			t.Errorf("userMessage(%v) = %q, want %q", tc.err, got, tc.message)
		}
		if got := gateOutcome(tc.err); got != tc.outcome {
			t.Errorf("gateOutcome(%v) = %q, want %q", tc.err, got, tc.outcome)
		}
	}
}

// A shared budget replaces the in-process buckets; when it cannot be
// reached, the question goes through and the failure is logged.
func TestRateLimiterShared(t *testing.T) {
	ctx := context.Background()
	var (
		asked    []string
		deadline bool
		fail     error
	)
	shared := func(ctx context.Context, user string) (bool, time.Duration, error) {
		asked = append(asked, user)
		_, deadline = ctx.Deadline()
		if fail != nil {
			return false, 0, fail
		}
		return user != "over", 7 * time.Second, nil
	}
	var logs bytes.Buffer
	r := newRateLimiter(6, 1, shared, slog.New(slog.NewTextHandler(&logs, nil)))
	for _, tc := range []struct {
		user string
		fail error
		ok   bool
		wait time.Duration
	}{
		{"u1", nil, true, 0},
		{"u1", nil, true, 0}, // past the local burst of one: the shared budget decides
		{"over", nil, false, 7 * time.Second},
		{"over", errors.New("connection refused"), true, 0},
	} {
		fail = tc.fail
		ok, wait := r.allow(ctx, tc.user)
		if ok != tc.ok || !ok && wait != tc.wait {
			t.Errorf("%s (fail %v): %v %v, want %v %v", tc.user, tc.fail, ok, wait, tc.ok, tc.wait)
		}
		if !deadline {
			t.Errorf("%s: the shared check has no deadline", tc.user)
		}
	}
	if len(asked) != 4 {
		t.Errorf("shared budget asked %d times, want 4", len(asked))
	}
	if !strings.Contains(logs.String(), "connection refused") || !strings.Contains(logs.String(), "let through") {
		t.Errorf("failure not logged: %q", logs.String())
	}
	if ok, _ := newRateLimiter(0, 1, shared, nil).allow(ctx, "over"); !ok || len(asked) != 4 {
		t.Error("a zero rate asks nothing and limits nothing")
	}
}
