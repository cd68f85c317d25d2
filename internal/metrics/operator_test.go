package metrics_test

import (
	"runtime"
	"slices"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"attache/internal/metrics"
)

func TestOperatorMetrics(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.BuildInfo("v1.2.3")
	m.Tokens("gpt-x", 100, 20)
	m.Tokens("gpt-x", 50, 5)
	m.Tokens("", 10, 10) // extractive: no model, nothing counted
	m.LLMError("gpt-x", "timeout")
	m.LLMError("gpt-x", "timeout")
	m.LLMError("gpt-x", "strange")
	m.GatewayReconnect()
	m.Answer("ask", metrics.OutcomePartial)

	for _, tc := range []struct {
		name string
		got  float64
		want float64
	}{
		{"build info", gauge(t, m, "attache_build_info", map[string]string{"version": "v1.2.3", "goversion": runtime.Version()}), 1},
		{"prompt tokens", gauge(t, m, "attache_llm_tokens_total", map[string]string{"model": "gpt-x", "kind": "prompt"}), 150},
		{"completion tokens", gauge(t, m, "attache_llm_tokens_total", map[string]string{"model": "gpt-x", "kind": "completion"}), 25},
		{"timeouts", gauge(t, m, "attache_llm_errors_total", map[string]string{"model": "gpt-x", "kind": "timeout"}), 2},
		{"unknown kind", gauge(t, m, "attache_llm_errors_total", map[string]string{"model": "gpt-x", "kind": "other"}), 1},
		{"reconnects", gauge(t, m, "attache_gateway_reconnects_total", nil), 1},
		{"partial answers", gauge(t, m, "attache_answers_total", map[string]string{"command": "ask", "outcome": "partial"}), 1},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if n := testutil.CollectAndCount(m.Registry, "attache_llm_tokens_total"); n != 2 {
		t.Errorf("%d token series, want 2 (no series for an answer without a model)", n)
	}
	var nilMetrics *metrics.Metrics
	nilMetrics.Tokens("m", 1, 1) // no-ops, like every method
	nilMetrics.LLMError("m", "timeout")
	nilMetrics.GatewayReconnect()
	nilMetrics.BuildInfo("v")
}

// gauge returns the value of the series of name with exactly labels.
func gauge(t *testing.T, m *metrics.Metrics, name string, labels map[string]string) float64 {
	t.Helper()
	families, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	series:
		for _, s := range f.GetMetric() {
			if len(s.GetLabel()) != len(labels) {
				continue
			}
			for _, l := range s.GetLabel() {
				if labels[l.GetName()] != l.GetValue() {
					continue series
				}
			}
			switch {
			case s.GetCounter() != nil:
				return s.GetCounter().GetValue()
			case s.GetGauge() != nil:
				return s.GetGauge().GetValue()
			}
		}
	}
	t.Fatalf("no series %s%v", name, labels)
	return 0
}

// LLMErrors lists what attache_llm_errors_total counted, by model and kind.
func TestLLMErrorsListsCountedSeries(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	if got := m.LLMErrors(); len(got) != 0 {
		t.Fatalf("fresh metrics: %+v", got)
	}
	m.LLMError("gpt-y", "unavailable")
	m.LLMError("gpt-x", "timeout")
	m.LLMError("gpt-x", "timeout")
	m.LLMError("gpt-x", "strange")
	want := []metrics.LLMErrorCount{{"gpt-x", "other", 1}, {"gpt-x", "timeout", 2}, {"gpt-y", "unavailable", 1}}
	if got := m.LLMErrors(); !slices.Equal(got, want) {
		t.Errorf("LLMErrors() = %+v, want %+v", got, want)
	}
	var none *metrics.Metrics
	if none.LLMErrors() != nil {
		t.Error("nil metrics count errors")
	}
}
