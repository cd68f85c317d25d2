// Package metrics holds the Prometheus metrics and the health endpoints of a
// running bot: counters and histograms for answers, their stages, refusals,
// citation failures, rate limiting and index syncs, served on /metrics next
// to /healthz (the process is up) and /readyz (the bot can answer).
//
// Every method is safe on a nil *Metrics and then does nothing, so callers
// record unconditionally whether or not metrics are enabled.
package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Answer outcomes, the values of the outcome label of attache_answers_total.
const (
	OutcomeAnswered = "answered"
	OutcomeRefused  = "refused"
	// OutcomePartial counts answers that say the articles report what the
	// question is about but not the detail asked, quoting what they say.
	OutcomePartial     = "partial"
	OutcomeFallback    = "fallback"
	OutcomeError       = "error"
	OutcomeRateLimited = "rate_limited"
	OutcomeBusy        = "busy"
	// OutcomeRestarting counts questions released unanswered because the
	// bot began shutting down before their answer was started.
	OutcomeRestarting = "restarting"
	// OutcomeNotAllowed counts questions asked where the bot does not answer
	// (a channel, guild, role or DM it is not allowed).
	OutcomeNotAllowed = "not_allowed"
	// OutcomeOther replaces any value not listed above, so that a caller's
	// mistake cannot create unbounded label values.
	OutcomeOther = "other"
)

// Answer stages, the values of the stage label of attache_stage_seconds.
const (
	StageRetrieve = "retrieve"
	StageGenerate = "generate"
	StageCheck    = "check"
	StageCondense = "condense"
	StageTotal    = "total"
	// StageOther replaces any value not listed above.
	StageOther = "other"
)

// Sync results, the values of the result label of attache_index_syncs_total.
const (
	SyncChanged   = "changed"
	SyncUnchanged = "unchanged"
	SyncError     = "error"
)

var (
	outcomes = []string{OutcomeAnswered, OutcomeRefused, OutcomePartial, OutcomeFallback, OutcomeError, OutcomeRateLimited, OutcomeBusy, OutcomeRestarting, OutcomeNotAllowed}
	stages   = []string{StageRetrieve, StageGenerate, StageCheck, StageCondense, StageTotal}
	// stageBuckets span 5ms (a search) to 60s (a slow model answer).
	stageBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20, 30, 60}
)

// shutdownTimeout bounds the graceful shutdown of Serve.
const shutdownTimeout = 5 * time.Second

// Metrics records what a running bot does. Create it with New.
type Metrics struct {
	// Registry holds every metric of this instance (never the global
	// registry), plus the Go runtime and process collectors.
	Registry *prometheus.Registry

	answers          *prometheus.CounterVec
	stages           *prometheus.HistogramVec
	refusals         prometheus.Counter
	citationFailures prometheus.Counter
	rateLimited      prometheus.Counter
	syncs            *prometheus.CounterVec
	syncSeconds      prometheus.Histogram
	lastSync         prometheus.Gauge
	inFlight         prometheus.Gauge
	modelOpen        prometheus.Gauge
	modelChanges     *prometheus.CounterVec
	operator
}

// New returns metrics on a registry of their own.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "attache_answers_total",
			Help: "Questions handled, by command and outcome (answered, refused, partial, fallback, error, rate_limited, busy).",
		}, []string{"command", "outcome"}),
		stages: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "attache_stage_seconds",
			Help:    "Time spent per answer stage (retrieve, generate, check, condense, total).",
			Buckets: stageBuckets,
		}, []string{"stage"}),
		refusals: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "attache_refusals_total",
			Help: "Questions refused because the knowledge base does not cover them.",
		}),
		citationFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "attache_citation_failures_total",
			Help: "Answer sentences that failed the citation check, plus invalid citation markers.",
		}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "attache_rate_limit_hits_total",
			Help: "Requests turned away by the rate limiter.",
		}),
		syncs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "attache_index_syncs_total",
			Help: "Index syncs, by result (changed, unchanged, error).",
		}, []string{"result"}),
		syncSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "attache_index_sync_seconds",
			Help:    "Duration of index syncs.",
			Buckets: stageBuckets,
		}),
		lastSync: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "attache_index_last_sync_timestamp_seconds",
			Help: "Unix time of the last successful index sync.",
		}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "attache_answers_in_flight",
			Help: "Answers being worked on right now.",
		}),
		modelOpen: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "attache_llm_breaker_open",
			Help: "1 while the language model's circuit breaker is open (answers are extractive), else 0.",
		}),
		modelChanges: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "attache_llm_breaker_transitions_total",
			Help: "Changes of the language model's circuit breaker, by the state entered (open, closed).",
		}, []string{"state"}),
	}
	m.Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.answers, m.stages, m.refusals, m.citationFailures, m.rateLimited,
		m.syncs, m.syncSeconds, m.lastSync, m.inFlight, m.modelOpen, m.modelChanges,
	)
	m.operator = newOperator(m.Registry)
	for _, st := range []string{BreakerOpen, BreakerClosed} {
		m.modelChanges.WithLabelValues(st)
	}
	// Known series start at zero, so that rates work from the first scrape.
	for _, s := range stages {
		m.stages.WithLabelValues(s)
	}
	for _, r := range []string{SyncChanged, SyncUnchanged, SyncError} {
		m.syncs.WithLabelValues(r)
	}
	return m
}

// Answer counts one handled question. An outcome other than the Outcome
// constants is counted as OutcomeOther.
func (m *Metrics) Answer(command, outcome string) {
	if m == nil {
		return
	}
	if !slices.Contains(outcomes, outcome) {
		outcome = OutcomeOther
	}
	if command == "" {
		command = "unknown"
	}
	m.answers.WithLabelValues(command, outcome).Inc()
}

// Stage records the time one answer stage took. A stage other than the
// Stage constants is recorded as StageOther.
func (m *Metrics) Stage(stage string, d time.Duration) {
	if m == nil {
		return
	}
	if !slices.Contains(stages, stage) {
		stage = StageOther
	}
	m.stages.WithLabelValues(stage).Observe(d.Seconds())
}

// Refusal counts a question refused for lack of coverage.
func (m *Metrics) Refusal() {
	if m == nil {
		return
	}
	m.refusals.Inc()
}

// CitationFailures counts n failed citations (unsupported sentences plus
// invalid markers). n <= 0 records nothing.
func (m *Metrics) CitationFailures(n int) {
	if m == nil || n <= 0 {
		return
	}
	m.citationFailures.Add(float64(n))
}

// RateLimited counts a request turned away by the rate limiter.
func (m *Metrics) RateLimited() {
	if m == nil {
		return
	}
	m.rateLimited.Inc()
}

// Sync records one index sync that took d: its result, its duration, and,
// when it succeeded, the time it finished.
func (m *Metrics) Sync(d time.Duration, changed bool, err error) {
	if m == nil {
		return
	}
	result := SyncUnchanged
	switch {
	case err != nil:
		result = SyncError
	case changed:
		result = SyncChanged
	}
	m.syncs.WithLabelValues(result).Inc()
	m.syncSeconds.Observe(d.Seconds())
	if err == nil {
		m.lastSync.SetToCurrentTime()
	}
}

// Breaker states, the values of the state label of
// attache_llm_breaker_transitions_total.
const (
	BreakerOpen   = "open"
	BreakerClosed = "closed"
)

// Breaker records a change of the language model's circuit breaker to
// state (BreakerOpen or BreakerClosed; anything else is ignored).
func (m *Metrics) Breaker(state string) {
	if m == nil {
		return
	}
	switch state {
	case BreakerOpen:
		m.modelOpen.Set(1)
	case BreakerClosed:
		m.modelOpen.Set(0)
	default:
		return
	}
	m.modelChanges.WithLabelValues(state).Inc()
}

// InFlight moves the number of answers in progress by delta (+1 when one
// starts, -1 when it ends).
func (m *Metrics) InFlight(delta int) {
	if m == nil {
		return
	}
	m.inFlight.Add(float64(delta))
}

// Handler serves /metrics (the registry, in the Prometheus text or
// OpenMetrics format), /healthz (200 "ok" while the process runs) and
// /readyz (200 "ready" when ready returns nil, else 503 with the first line
// of the error). ready may be nil, meaning always ready; its errors must be
// safe to show, as /readyz is usually reachable without authentication. On a
// nil *Metrics, /metrics is not served (404) but the health endpoints are.
func (m *Metrics) Handler(ready func() error) http.Handler {
	mux := http.NewServeMux()
	if m != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{
			Registry:          m.Registry,
			ErrorHandling:     promhttp.ContinueOnError,
			EnableOpenMetrics: true,
		}))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		plain(w, http.StatusOK, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if ready != nil {
			if err := ready(); err != nil {
				plain(w, http.StatusServiceUnavailable, "not ready: "+safeText(err.Error()))
				return
			}
		}
		plain(w, http.StatusOK, "ready")
	})
	return mux
}

// Serve listens on addr and serves Handler(ready) until ctx is done, then
// shuts down gracefully, giving requests in flight up to 5 seconds. It
// returns nil after a clean shutdown and an error if it cannot listen or the
// server fails. On a nil *Metrics it serves nothing and returns nil at once.
func (m *Metrics) Serve(ctx context.Context, addr string, ready func() error, logger *slog.Logger) error {
	if m == nil {
		return nil
	}
	return m.ServeWith(ctx, addr, m.Handler(ready), logger)
}

// ServeWith is Serve with another handler: Handler(ready) with more
// paths mounted beside it (the operator console). On a nil *Metrics it
// serves nothing and returns nil at once.
func (m *Metrics) ServeWith(ctx context.Context, addr string, h http.Handler, logger *slog.Logger) error {
	if m == nil {
		return nil
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("metrics: listen %s: %w", addr, err)
	}
	logger.Info("metrics listening", "addr", ln.Addr().String())
	if err := ServeListener(ctx, ln, h, logger); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	return nil
}

// ServeListener serves h on ln until ctx is done, then shuts down
// gracefully, giving requests in flight up to 5 seconds. It returns nil
// after a clean shutdown and an error if the server fails.
func ServeListener(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	addr := ln.Addr().String()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", addr, err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	shutErr := srv.Shutdown(sctx)
	if shutErr != nil {
		srv.Close()
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve %s: %w", addr, err)
	}
	if shutErr != nil {
		return fmt.Errorf("shutdown: %w", shutErr)
	}
	logger.Debug("http server stopped", "addr", addr)
	return nil
}

func plain(w http.ResponseWriter, code int, body string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	fmt.Fprintln(w, body)
}

// maxReasonBytes bounds the error text /readyz shows.
const maxReasonBytes = 200

// safeText keeps the first line of an error message, valid UTF-8 and at
// most maxReasonBytes long, so that wrapped details further down (paths,
// payloads) are not shown.
func safeText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	if len(s) > maxReasonBytes {
		cut := maxReasonBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	if s = strings.TrimSpace(s); s == "" {
		return "unknown reason"
	}
	return s
}
