package metrics

import (
	"runtime"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

// Token kinds, the values of the kind label of attache_llm_tokens_total.
const (
	TokensPrompt     = "prompt"
	TokensCompletion = "completion"
)

// LLMErrorKinds are the values of the kind label of
// attache_llm_errors_total; any other kind is counted as "other".
var LLMErrorKinds = []string{"timeout", "unavailable", "rejected", "not_found", "malformed", "unreachable", "breaker_open"}

// operator holds the figures an operator watches beside the answers: the
// build, the language model's errors and tokens per model, and the
// connection to the Discord gateway.
type operator struct {
	buildInfo  *prometheus.GaugeVec
	llmErrors  *prometheus.CounterVec
	llmTokens  *prometheus.CounterVec
	reconnects prometheus.Counter
}

func newOperator(r *prometheus.Registry) operator {
	o := operator{
		buildInfo: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "attache_build_info",
			Help: "Always 1; the labels give the version of Attaché and of Go it was built with.",
		}, []string{"version", "goversion"}),
		llmErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "attache_llm_errors_total",
			Help: "Failed language model calls, by model and kind (timeout, unavailable, rejected, not_found, malformed, unreachable, breaker_open).",
		}, []string{"model", "kind"}),
		llmTokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "attache_llm_tokens_total",
			Help: "Language model tokens used by answers, by model and kind (prompt, completion).",
		}, []string{"model", "kind"}),
		reconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "attache_gateway_reconnects_total",
			Help: "Connections to the Discord gateway after the first (reconnects and resumed sessions).",
		}),
	}
	r.MustRegister(o.buildInfo, o.llmErrors, o.llmTokens, o.reconnects)
	return o
}

// BuildInfo sets attache_build_info for this binary's version.
func (m *Metrics) BuildInfo(version string) {
	if m == nil {
		return
	}
	m.buildInfo.WithLabelValues(safeText(version), runtime.Version()).Set(1)
}

// LLMError counts a failed call to model; an unknown kind counts as "other".
func (m *Metrics) LLMError(model, kind string) {
	if m == nil {
		return
	}
	if !slices.Contains(LLMErrorKinds, kind) {
		kind = "other"
	}
	m.llmErrors.WithLabelValues(modelLabel(model), kind).Inc()
}

// Tokens counts the tokens model used for one answer; an answer without a
// model (extractive) records nothing.
func (m *Metrics) Tokens(model string, prompt, completion int) {
	if m == nil || model == "" || prompt+completion <= 0 {
		return
	}
	l := modelLabel(model)
	m.llmTokens.WithLabelValues(l, TokensPrompt).Add(float64(max(prompt, 0)))
	m.llmTokens.WithLabelValues(l, TokensCompletion).Add(float64(max(completion, 0)))
}

// GatewayReconnect counts a connection to the gateway after the first.
func (m *Metrics) GatewayReconnect() {
	if m == nil {
		return
	}
	m.reconnects.Inc()
}

// modelLabel bounds a model name used as a label value.
func modelLabel(model string) string {
	if model == "" {
		return "unknown"
	}
	return safeText(model)
}

// LLMErrorCount is how many calls to one model failed with one kind of
// error since the process started.
type LLMErrorCount struct {
	Model string
	Kind  string
	Count int
}

// LLMErrors returns the series of attache_llm_errors_total that counted
// anything, by model and kind (what /metrics shows, for the console).
func (m *Metrics) LLMErrors() []LLMErrorCount {
	if m == nil {
		return nil
	}
	families, err := m.Registry.Gather()
	if err != nil {
		return nil
	}
	var out []LLMErrorCount
	for _, f := range families {
		if f.GetName() != "attache_llm_errors_total" {
			continue
		}
		for _, s := range f.GetMetric() {
			c := LLMErrorCount{Count: int(s.GetCounter().GetValue())}
			for _, l := range s.GetLabel() {
				switch l.GetName() {
				case "model":
					c.Model = l.GetValue()
				case "kind":
					c.Kind = l.GetValue()
				}
			}
			if c.Count > 0 {
				out = append(out, c)
			}
		}
	}
	slices.SortFunc(out, func(a, b LLMErrorCount) int {
		if a.Model != b.Model {
			return strings.Compare(a.Model, b.Model)
		}
		return strings.Compare(a.Kind, b.Kind)
	})
	return out
}
