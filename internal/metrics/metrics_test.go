package metrics_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"attache/internal/metrics"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

const timeout = 10 * time.Second

// get fetches url and returns the status code and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, string(body)
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(metrics.New().Handler(func() error { return errors.New("not connected") }))
	defer srv.Close()
	// Health does not depend on readiness.
	code, body := get(t, srv.URL+"/healthz")
	if code != http.StatusOK || strings.TrimSpace(body) != "ok" {
		t.Fatalf("/healthz = %d %q, want 200 ok", code, body)
	}
}

func TestReadyzFollowsReady(t *testing.T) {
	t.Parallel()
	var up atomic.Bool
	ready := func() error {
		if up.Load() {
			return nil
		}
		return errors.New("discord gateway not connected\nsession token=abc123")
	}
	srv := httptest.NewServer(metrics.New().Handler(ready))
	defer srv.Close()

	code, body := get(t, srv.URL+"/readyz")
	if code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz before ready = %d, want 503", code)
	}
	if !strings.Contains(body, "discord gateway not connected") {
		t.Errorf("/readyz body %q does not give the reason", body)
	}
	if strings.Contains(body, "abc123") || strings.Contains(body, "token") {
		t.Errorf("/readyz body %q shows more than the first line of the error", body)
	}

	up.Store(true)
	code, body = get(t, srv.URL+"/readyz")
	if code != http.StatusOK {
		t.Fatalf("/readyz after ready = %d %q, want 200", code, body)
	}
}

func TestReadyzNilReadyIsReady(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(metrics.New().Handler(nil))
	defer srv.Close()
	if code, body := get(t, srv.URL+"/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz with no check = %d %q, want 200", code, body)
	}
}

func TestReadyzLongReasonIsCut(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 500)
	srv := httptest.NewServer(metrics.New().Handler(func() error { return errors.New(long) }))
	defer srv.Close()
	code, body := get(t, srv.URL+"/readyz")
	if code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz = %d, want 503", code)
	}
	if len(body) > 300 || !strings.Contains(body, "éé") {
		t.Errorf("/readyz body is %d bytes, want the reason cut to about 200", len(body))
	}
	if strings.ContainsRune(body, '\uFFFD') {
		t.Errorf("/readyz body %q was cut inside a character", body)
	}
}

func TestMetricsExposition(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.Answer("ask", metrics.OutcomeAnswered)
	m.Answer("ask", metrics.OutcomeAnswered)
	m.Answer("summary", metrics.OutcomeRefused)
	m.Answer("ask", "made-up") // bounded: counted as other
	m.Stage(metrics.StageRetrieve, 20*time.Millisecond)
	m.Stage(metrics.StageRetrieve, 3*time.Second)
	m.Stage("bogus", time.Second)
	m.Refusal()
	m.CitationFailures(3)
	m.CitationFailures(0)
	m.CitationFailures(-2)
	m.RateLimited()
	m.RateLimited()
	m.InFlight(1)
	m.InFlight(1)
	m.InFlight(-1)
	before := time.Now()
	m.Sync(40*time.Millisecond, true, nil)
	m.Sync(10*time.Millisecond, false, nil)
	m.Sync(time.Millisecond, false, errors.New("folder missing"))
	after := time.Now()

	srv := httptest.NewServer(m.Handler(nil))
	defer srv.Close()

	// Counters and gauges, scraped over HTTP and compared exactly.
	const want = `
# HELP attache_answers_total Questions handled, by command and outcome (answered, refused, partial, fallback, error, rate_limited, busy).
# TYPE attache_answers_total counter
attache_answers_total{command="ask",outcome="answered"} 2
attache_answers_total{command="ask",outcome="other"} 1
attache_answers_total{command="summary",outcome="refused"} 1
# HELP attache_refusals_total Questions refused because the knowledge base does not cover them.
# TYPE attache_refusals_total counter
attache_refusals_total 1
# HELP attache_citation_failures_total Answer sentences that failed the citation check, plus invalid citation markers.
# TYPE attache_citation_failures_total counter
attache_citation_failures_total 3
# HELP attache_rate_limit_hits_total Requests turned away by the rate limiter.
# TYPE attache_rate_limit_hits_total counter
attache_rate_limit_hits_total 2
# HELP attache_answers_in_flight Answers being worked on right now.
# TYPE attache_answers_in_flight gauge
attache_answers_in_flight 1
# HELP attache_index_syncs_total Index syncs, by result (changed, unchanged, error).
# TYPE attache_index_syncs_total counter
attache_index_syncs_total{result="changed"} 1
attache_index_syncs_total{result="error"} 1
attache_index_syncs_total{result="unchanged"} 1
`
	if err := testutil.ScrapeAndCompare(srv.URL+"/metrics", strings.NewReader(want),
		"attache_answers_total", "attache_refusals_total", "attache_citation_failures_total",
		"attache_rate_limit_hits_total", "attache_answers_in_flight", "attache_index_syncs_total"); err != nil {
		t.Fatal(err)
	}

	code, body := get(t, srv.URL+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics = %d", code)
	}
	samples := parseSamples(t, body)
	for series, want := range map[string]float64{
		`attache_stage_seconds_count{stage="retrieve"}`:             2,
		`attache_stage_seconds_bucket{stage="retrieve",le="0.005"}`: 0,
		`attache_stage_seconds_bucket{stage="retrieve",le="0.025"}`: 1,
		`attache_stage_seconds_bucket{stage="retrieve",le="5"}`:     2,
		`attache_stage_seconds_bucket{stage="retrieve",le="60"}`:    2,
		`attache_stage_seconds_count{stage="other"}`:                1,
		`attache_stage_seconds_count{stage="generate"}`:             0, // known stages start at zero
		`attache_index_sync_seconds_count`:                          3,
	} {
		got, ok := samples[series]
		if !ok {
			t.Errorf("/metrics lacks %s", series)
			continue
		}
		if got != want {
			t.Errorf("%s = %g, want %g", series, got, want)
		}
	}
	ts, ok := samples["attache_index_last_sync_timestamp_seconds"]
	if !ok {
		t.Fatal("/metrics lacks attache_index_last_sync_timestamp_seconds")
	}
	if ts < float64(before.Unix()) || ts > float64(after.Unix()+1) {
		t.Errorf("last sync timestamp %g is not between %d and %d", ts, before.Unix(), after.Unix()+1)
	}
	// The Go and process collectors are registered.
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
		if _, ok := samples[name]; !ok {
			t.Errorf("/metrics lacks %s", name)
		}
	}
}

func TestFailedSyncKeepsLastSuccess(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.Sync(time.Millisecond, false, errors.New("broken"))
	srv := httptest.NewServer(m.Handler(nil))
	defer srv.Close()
	_, body := get(t, srv.URL+"/metrics")
	if ts := parseSamples(t, body)["attache_index_last_sync_timestamp_seconds"]; ts != 0 {
		t.Errorf("last sync timestamp after only a failed sync = %g, want 0", ts)
	}
}

// parseSamples reads the text exposition into series -> value.
func parseSamples(t *testing.T, body string) map[string]float64 {
	t.Helper()
	out := make(map[string]float64)
	for line := range strings.Lines(body) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			t.Fatalf("bad exposition line %q", line)
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("bad value in %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

func TestOwnRegistry(t *testing.T) {
	t.Parallel()
	a, b := metrics.New(), metrics.New() // registering twice globally would panic
	a.Refusal()
	const head = "# HELP attache_refusals_total Questions refused because the knowledge base does not cover them.\n# TYPE attache_refusals_total counter\n"
	if err := testutil.GatherAndCompare(a.Registry, strings.NewReader(head+"attache_refusals_total 1\n"), "attache_refusals_total"); err != nil {
		t.Error(err)
	}
	if err := testutil.GatherAndCompare(b.Registry, strings.NewReader(head+"attache_refusals_total 0\n"), "attache_refusals_total"); err != nil {
		t.Errorf("instances share state: %v", err)
	}
	if n, err := testutil.GatherAndCount(prometheus.DefaultGatherer, "attache_refusals_total"); err != nil || n != 0 {
		t.Errorf("global registry has %d attache series (err %v), want 0", n, err)
	}
}

func TestNilMetricsIsANoOp(t *testing.T) {
	t.Parallel()
	var m *metrics.Metrics
	m.Answer("ask", metrics.OutcomeAnswered)
	m.Stage(metrics.StageTotal, time.Second)
	m.Refusal()
	m.CitationFailures(2)
	m.RateLimited()
	m.Sync(time.Second, true, nil)
	m.InFlight(1)

	srv := httptest.NewServer(m.Handler(nil))
	defer srv.Close()
	if code, _ := get(t, srv.URL+"/healthz"); code != http.StatusOK {
		t.Errorf("nil metrics /healthz = %d, want 200", code)
	}
	if code, _ := get(t, srv.URL+"/metrics"); code != http.StatusNotFound {
		t.Errorf("nil metrics /metrics = %d, want 404", code)
	}

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := m.Serve(ctx, "127.0.0.1:0", nil, nil); err != nil {
		t.Errorf("nil metrics Serve = %v, want nil", err)
	}
	if ctx.Err() != nil {
		t.Error("nil metrics Serve blocked instead of returning at once")
	}
}

// addrHandler is a slog handler that captures the address Serve listens on.
type addrHandler struct {
	once sync.Once
	addr chan string
}

func (h *addrHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *addrHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *addrHandler) WithGroup(string) slog.Handler            { return h }
func (h *addrHandler) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "addr" {
			h.once.Do(func() { h.addr <- a.Value.String() })
			return false
		}
		return true
	})
	return nil
}

func TestServeStopsOnCancel(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.Refusal()
	h := &addrHandler{addr: make(chan string, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx, "127.0.0.1:0", func() error { return nil }, slog.New(h)) }()

	var addr string
	select {
	case addr = <-h.addr:
	case err := <-done:
		t.Fatalf("Serve returned before serving: %v", err)
	case <-time.After(timeout):
		t.Fatal("Serve did not start listening")
	}
	base := "http://" + addr
	if code, body := get(t, base+"/healthz"); code != http.StatusOK {
		t.Fatalf("/healthz = %d %q", code, body)
	}
	if code, body := get(t, base+"/metrics"); code != http.StatusOK || !strings.Contains(body, "attache_refusals_total 1") {
		t.Fatalf("/metrics = %d, body lacks the refusal counter", code)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve after cancel = %v, want nil", err)
		}
	case <-time.After(timeout):
		t.Fatal("Serve did not return after cancel")
	}
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err == nil {
		conn.Close()
		t.Fatal("server still accepts connections after Serve returned")
	}
}

func TestServeListenError(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err = metrics.New().Serve(ctx, ln.Addr().String(), nil, nil)
	if err == nil || ctx.Err() != nil {
		t.Fatalf("Serve on a busy address = %v, want an error at once", err)
	}
}
