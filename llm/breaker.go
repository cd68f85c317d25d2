package llm

import (
	"context"
	"errors"
	"sync"
	"time"

	"attache"
)

// Breaker defaults applied by New.
const (
	DefaultBreakerFailures = 5
	DefaultBreakerCooldown = 30 * time.Second
)

// BreakerState is the state of a client's circuit breaker.
type BreakerState string

// Breaker states.
const (
	// BreakerClosed: calls go to the model.
	BreakerClosed BreakerState = "closed"
	// BreakerOpen: the model kept failing; calls fail at once until a
	// probe succeeds.
	BreakerOpen BreakerState = "open"
)

// errBreakerOpen is returned, at once, for calls made while the breaker is
// open. It is EUNAVAILABLE, so callers fall back as for any outage.
var errBreakerOpen = attache.Errorf(attache.EUNAVAILABLE,
	"the language model service keeps failing; it is not called until it answers again")

// breaker is a circuit breaker around one model service. After threshold
// consecutive calls failed for a reason that says the service is down or
// overloaded (429, 5xx, timeouts, connection errors), it opens: calls fail
// at once, without a request, so that callers answer without the model
// instead of queueing behind retries. Once the cool-down has passed, the
// next call starts one probe request in the background (the call itself
// still fails at once); the breaker closes when a probe, or any call
// already under way, succeeds, and waits another cool-down when it fails.
type breaker struct {
	threshold int
	cooldown  time.Duration
	now       func() time.Time

	mu       sync.Mutex
	failures int
	open     bool
	retryAt  time.Time // when open: the earliest time for the next probe
	probing  bool
	changed  func(BreakerState) // called outside the lock
}

func newBreaker(threshold int, cooldown time.Duration, changed func(BreakerState)) *breaker {
	return &breaker{threshold: threshold, cooldown: cooldown, now: time.Now, changed: changed}
}

// allow reports whether a call may go to the service, and whether the
// caller must start a probe (at most one at a time, once per cool-down).
func (b *breaker) allow() (ok, probe bool) {
	if b == nil {
		return true, false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.open {
		return true, false
	}
	if !b.probing && !b.now().Before(b.retryAt) {
		b.probing = true
		return false, true
	}
	return false, false
}

// record counts the result of a call (or probe): a success closes the
// breaker, an outage counts towards opening it; other errors (a rejected
// request, a caller that gave up) say nothing about the service.
func (b *breaker) record(outage, success bool) {
	if b == nil {
		return
	}
	b.mu.Lock()
	var state BreakerState
	switch {
	case success:
		b.failures = 0
		if b.open {
			b.open = false
			state = BreakerClosed
		}
	case outage:
		b.failures++
		if b.open {
			b.retryAt = b.now().Add(b.cooldown)
		} else if b.failures >= b.threshold {
			b.open = true
			b.retryAt = b.now().Add(b.cooldown)
			state = BreakerOpen
		}
	}
	b.mu.Unlock()
	if state != "" && b.changed != nil {
		b.changed(state)
	}
}

// probeDone ends a probe with its result.
func (b *breaker) probeDone(outage, success bool) {
	b.mu.Lock()
	b.probing = false
	if !success && b.open {
		// Whatever went wrong, wait a whole cool-down before the next probe.
		b.retryAt = b.now().Add(b.cooldown)
	}
	b.mu.Unlock()
	b.record(outage, success)
}

func (b *breaker) state() BreakerState {
	if b == nil {
		return BreakerClosed
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.open {
		return BreakerOpen
	}
	return BreakerClosed
}

// BreakerState reports whether calls currently go to the model.
func (c *Client) BreakerState() BreakerState { return c.breaker.state() }

// OnBreakerChange sets f to be called on every change of the breaker's
// state, for metrics; f must not block.
func (c *Client) OnBreakerChange(f func(BreakerState)) { c.observer.Store(&f) }

// breakerChanged logs a change of the breaker's state and tells the observer.
func (c *Client) breakerChanged(s BreakerState) {
	if s == BreakerOpen {
		c.logger.Warn("llm: the model keeps failing; answering without it until a probe succeeds",
			"failures", c.cfg.BreakerFailures, "cooldown", c.cfg.BreakerCooldown)
	} else {
		c.logger.Info("llm: the model answers again; using it")
	}
	if f := c.observer.Load(); f != nil {
		(*f)(s)
	}
}

// isOutage reports whether a call's error says the service is down or
// overloaded, rather than that the request was wrong or the caller gave up.
func isOutage(ctx context.Context, err error) bool {
	if err == nil {
		return false
	}
	if ctx.Err() != nil {
		return errors.Is(context.Cause(ctx), errCallTimeout)
	}
	if se := asStatusError(err, func(s string) string { return s }); se != nil {
		return retryableStatus(se.Status)
	}
	return true // unreachable, timed out, or a malformed answer
}

// noRetryKey marks a context whose requests are sent once, without retries.
type noRetryKey struct{}

// probeTokens bounds the reply to a probe: any answer will do.
const probeTokens = 16

// probe sends one small request, without retries, and tells the breaker
// whether the service answered.
func (c *Client) probe() {
	ctx, cancel := context.WithTimeoutCause(context.WithValue(context.Background(), noRetryKey{}, true),
		c.cfg.Timeout, errCallTimeout)
	defer cancel()
	ccr, err := c.buildRequest(Request{Messages: []Message{{Role: "user", Content: "Reply with the word OK."}}})
	if err == nil {
		ccr.Model = c.models[0]
		setMaxTokens(&ccr, probeTokens)
		_, err = c.complete(ctx, ccr)
	}
	outage := isOutage(ctx, err)
	if outage {
		c.logger.Warn("llm: probe failed; the model is still failing", "model", c.models[0], "error", c.redact(err.Error()))
	}
	// A request the service rejected (400, 401…) still shows it is up.
	c.breaker.probeDone(outage, !outage)
}

// latency keeps a moving average of how long successful exchanges with the
// service take (request sent to body closed), so that no retry is started
// that could not finish before the caller's deadline.
type latency struct {
	mu  sync.Mutex
	avg time.Duration // 0 until the first success
}

// latencyWeight is the weight of the newest observation in the average.
const latencyWeight = 0.2

func (l *latency) observe(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.avg == 0 {
		l.avg = d
		return
	}
	l.avg = time.Duration(latencyWeight*float64(d) + (1-latencyWeight)*float64(l.avg))
}

func (l *latency) expected() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.avg
}

// fits reports whether an exchange started after wait can be expected to
// finish before ctx's deadline: one that takes as long as successful ones
// usually do, and at least floor (how long the last attempt took).
func (l *latency) fits(ctx context.Context, wait, floor time.Duration) bool {
	dl, ok := ctx.Deadline()
	if !ok {
		return true
	}
	return time.Until(dl) >= wait+max(l.expected(), floor)
}
