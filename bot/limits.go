package bot

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"attache/internal/metrics"
)

// RateLimit takes a token from user's bucket in a budget shared with other
// processes (perMinute and burst as configured), or says how long until one
// is available. See Options.RateLimit.
type RateLimit func(ctx context.Context, user string) (ok bool, wait time.Duration, err error)

// sharedLimitTimeout bounds a shared rate limit check: it runs before an
// interaction is acknowledged, which Discord expects within three seconds.
const sharedLimitTimeout = time.Second

// rateLimiter is a token bucket per user: each user may ask burst questions
// at once, refilled at perMinute per minute. With shared set, the buckets
// are kept there instead (several processes, one budget).
type rateLimiter struct {
	perMinute float64
	burst     float64
	now       func() time.Time
	shared    RateLimit
	log       *slog.Logger

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newRateLimiter(perMinute float64, burst int, shared RateLimit, log *slog.Logger) *rateLimiter {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &rateLimiter{perMinute: perMinute, burst: float64(max(burst, 1)), now: time.Now, shared: shared, log: log,
		buckets: map[string]*bucket{}}
}

// allow takes a token for user, or says how long until one is available.
// A limiter with a zero rate allows everything. When the shared budget
// cannot be reached the question is let through (and logged): the
// concurrency gate still bounds the work.
func (r *rateLimiter) allow(ctx context.Context, user string) (bool, time.Duration) {
	if r == nil || r.perMinute <= 0 {
		return true, 0
	}
	if r.shared != nil {
		ctx, cancel := context.WithTimeout(ctx, sharedLimitTimeout)
		defer cancel()
		ok, wait, err := r.shared(ctx, user)
		if err != nil {
			r.log.Warn("rate limit: the shared budget could not be checked; the question is let through", "err", err)
			return true, 0
		}
		return ok, wait
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	b, ok := r.buckets[user]
	if !ok {
		b = &bucket{tokens: r.burst, last: now}
		r.buckets[user] = b
	}
	b.tokens = min(r.burst, b.tokens+now.Sub(b.last).Minutes()*r.perMinute)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / r.perMinute * float64(time.Minute))
	// Forget users whose buckets are full again, so the map stays small.
	if len(r.buckets) > 10000 {
		for id, bb := range r.buckets {
			if bb.tokens+now.Sub(bb.last).Minutes()*r.perMinute >= r.burst {
				delete(r.buckets, id)
			}
		}
	}
	return false, wait
}

// ErrBusy means every answer slot stayed taken for the whole queue timeout.
// An Answerer returns an error wrapping it when something the answer needs
// (a pool of database connections, say) stayed busy as long: the asker is
// told to try again in a minute and the outcome is counted as busy.
var ErrBusy = errors.New("too many questions at once")

// errRestarting means the bot began shutting down before the question got
// an answer slot: it is released at once rather than started.
var errRestarting = errors.New("the bot is restarting")

// gate bounds the number of answers computed at once; others wait in line
// up to a timeout. Once closed, it lets no one else in: those waiting and
// those arriving get errRestarting at once.
type gate struct {
	slots   chan struct{}
	timeout time.Duration
	closed  chan struct{}
	once    sync.Once
}

func newGate(n int, timeout time.Duration) *gate {
	return &gate{slots: make(chan struct{}, max(n, 1)), timeout: timeout, closed: make(chan struct{})}
}

// close releases everyone waiting for a slot and refuses newcomers.
func (g *gate) close() { g.once.Do(func() { close(g.closed) }) }

// acquire waits for a slot; release it when done.
func (g *gate) acquire(ctx context.Context) (release func(), err error) {
	if g.isClosed() {
		return nil, errRestarting
	}
	release = func() { <-g.slots }
	select {
	case g.slots <- struct{}{}:
		return release, nil
	default:
	}
	t := time.NewTimer(g.timeout)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		// A slot freed as the gate closed may win over the close: the
		// closing still decides.
		if g.isClosed() {
			release()
			return nil, errRestarting
		}
		return release, nil
	case <-g.closed:
		return nil, errRestarting
	case <-t.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (g *gate) isClosed() bool {
	select {
	case <-g.closed:
		return true
	default:
		return false
	}
}

// gateOutcome is the metrics outcome of a question refused by the gate.
func gateOutcome(err error) string {
	if errors.Is(err, errRestarting) {
		return metrics.OutcomeRestarting
	}
	return metrics.OutcomeBusy
}
