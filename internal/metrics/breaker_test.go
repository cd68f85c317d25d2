package metrics_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"attache/internal/metrics"
)

func TestBreakerStateAndTransitions(t *testing.T) {
	t.Parallel()
	const head = "# HELP attache_llm_breaker_open 1 while the language model's circuit breaker is open (answers are extractive), else 0.\n" +
		"# TYPE attache_llm_breaker_open gauge\n"
	const changes = "# HELP attache_llm_breaker_transitions_total Changes of the language model's circuit breaker, by the state entered (open, closed).\n" +
		"# TYPE attache_llm_breaker_transitions_total counter\n"
	for _, tc := range []struct {
		name           string
		states         []string
		open           int
		opened, closed int
	}{
		{name: "none", open: 0},
		{name: "opened", states: []string{metrics.BreakerOpen}, open: 1, opened: 1},
		{name: "opened and closed", states: []string{metrics.BreakerOpen, metrics.BreakerClosed, metrics.BreakerOpen, metrics.BreakerClosed},
			open: 0, opened: 2, closed: 2},
		{name: "unknown state ignored", states: []string{metrics.BreakerOpen, "half"}, open: 1, opened: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := metrics.New()
			for _, s := range tc.states {
				m.Breaker(s)
			}
			want := head + "attache_llm_breaker_open " + itoa(tc.open) + "\n" + changes +
				"attache_llm_breaker_transitions_total{state=\"closed\"} " + itoa(tc.closed) + "\n" +
				"attache_llm_breaker_transitions_total{state=\"open\"} " + itoa(tc.opened) + "\n"
			if err := testutil.GatherAndCompare(m.Registry, strings.NewReader(want),
				"attache_llm_breaker_open", "attache_llm_breaker_transitions_total"); err != nil {
				t.Error(err)
			}
		})
	}
	var nilMetrics *metrics.Metrics
	nilMetrics.Breaker(metrics.BreakerOpen) // a no-op, like every method
}

func itoa(n int) string { return strconv.Itoa(n) }
