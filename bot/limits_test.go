package bot

import (
	"context"
	"errors"
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
		{errBusy, "I'm answering many questions right now. Please try again in a minute.", metrics.OutcomeBusy},
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
