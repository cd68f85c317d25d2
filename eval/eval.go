// Package eval is the retrieval and answer evaluation harness: question sets
// in JSON Lines, run against a search function and optionally an answer
// function, with metrics overall and per question type (recall@k, mean
// reciprocal rank, evidence found, refusals, search latency and, for answers
// written by a model, citation validity and support).
//
// It knows nothing of indexes or models: the caller passes the functions to
// evaluate, so the same harness measures any back end.
package eval

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"

	"attache"
	"attache/internal/text"
)

// Search runs one question (history already part of it) and returns ranked
// hits, best first.
type Search func(ctx context.Context, q Question, k int) ([]attache.Hit, error)

// Ask answers one question; used for refusal and, with a model, citation metrics.
type Ask func(ctx context.Context, q Question) (attache.Answer, error)

// Options configure Run.
type Options struct {
	K      int    // hits examined per question (0 = DefaultK)
	Search Search // required
	Ask    Ask    // nil: no answer metrics
	// WithModel says the answers come from a language model: citation
	// metrics are computed.
	WithModel bool
	// WarmUp runs every search once, untimed, before the measured run, so
	// that latency is that of a running service (caches of word
	// frequencies and passage words filled), not of a first encounter.
	WarmUp bool
	// PathForm is how the knowledge base prints a file path in hits (nil:
	// as it is); an expected path written as the file is named ("50%.md")
	// matches a hit printed in that form too.
	PathForm func(string) string
}

// Metrics summarise a set of results. Rates are shares in [0, 1]; a rate
// whose denominator is zero is 0.
type Metrics struct {
	N int `json:"n"`
	// RecallAtK is the share of answerable questions with an expected
	// document in the top k.
	RecallAtK float64 `json:"recall_at_k"`
	// MRR is the mean reciprocal rank of the first expected document (0 when
	// absent) over answerable questions.
	MRR float64 `json:"mrr"`
	// EvidenceAt1 and EvidenceAtK are the shares of answerable questions with
	// evidence whose top passage, or one of the top k, contains it.
	EvidenceAt1 float64 `json:"evidence_at_1"`
	EvidenceAtK float64 `json:"evidence_at_k"`
	// AnswerEvidence, for extractive answers: the share of answerable
	// questions with evidence whose answer quotes it (a refusal does not):
	// the sentence that answers is what the reader was shown.
	AnswerEvidence float64 `json:"answer_evidence,omitempty"`
	// RefusalRate is the share of unanswerable questions answered:false.
	RefusalRate float64 `json:"refusal_rate"`
	// FalseRefusalRate is the share of answerable questions answered:false
	// (an answer that failed counts as a refusal).
	FalseRefusalRate float64 `json:"false_refusal_rate"`
	// Search latency percentiles (nearest rank) over the successful searches.
	SearchP50MS float64 `json:"search_p50_ms"`
	SearchP95MS float64 `json:"search_p95_ms"`
	// CitationValidity, with a model: the share of model answers whose every
	// [n] names a citation and none of whose markers was removed.
	CitationValidity float64 `json:"citation_validity,omitempty"`
	// SupportedShare, with a model: the share of cited sentences that pass
	// the support check, 1 - unsupported / (supported + unsupported).
	SupportedShare float64 `json:"supported_share,omitempty"`

	// Denominators.
	Answerable   int `json:"answerable"`
	Unanswerable int `json:"unanswerable"`
	WithEvidence int `json:"with_evidence"`
	// ModelAnswers counts the answers CitationValidity is computed on: those
	// written by the model (not refusals made before generation, nor
	// extractive fall-backs).
	ModelAnswers int `json:"model_answers,omitempty"`
	// CitedSentences counts the sentences SupportedShare is computed on.
	CitedSentences int `json:"cited_sentences,omitempty"`
	// Errors counts the questions whose search or answer failed.
	Errors int `json:"errors"`

	// The rates above with their counts and 95% Wilson intervals; MRR with
	// the normal approximation of its interval. Refusal intervals are set
	// when answers were requested, citation intervals with a model.
	RecallAtKCI        Proportion  `json:"recall_at_k_ci"`
	MRRCI              Interval    `json:"mrr_ci"`
	EvidenceAt1CI      Proportion  `json:"evidence_at_1_ci"`
	EvidenceAtKCI      Proportion  `json:"evidence_at_k_ci"`
	AnswerEvidenceCI   *Proportion `json:"answer_evidence_ci,omitempty"`
	RefusalCI          Proportion  `json:"refusal_rate_ci"`
	FalseRefusalCI     Proportion  `json:"false_refusal_rate_ci"`
	CitationValidityCI *Proportion `json:"citation_validity_ci,omitempty"`
	SupportedCI        *Proportion `json:"supported_share_ci,omitempty"`
}

// Result is the outcome of one question.
type Result struct {
	ID       string   `json:"id"`
	Type     string   `json:"type"`
	Rule     string   `json:"rule,omitempty"`
	Question string   `json:"question"`
	Expected []string `json:"expected"`
	Evidence string   `json:"evidence,omitempty"`
	// Rank is the 1-based rank of the first expected document, 0 = not found.
	Rank int `json:"rank"`
	// EvidenceRank is the 1-based rank of the first passage containing the
	// evidence, 0 = not found or no evidence.
	EvidenceRank int `json:"evidence_rank"`
	// Answered is the answer's answered flag (false when not asked or failed).
	Answered bool `json:"answered"`
	// Quoted: the answer's text holds the evidence (extractive answers).
	Quoted bool `json:"quoted,omitempty"`
	// Reason is the answerability rule that refused the question or made
	// its answer partial, "" when it was answered.
	Reason   string  `json:"reason,omitempty"`
	SearchMS float64 `json:"search_ms"`
	// TopDocs are the document IDs of the hits, one per hit, in rank order.
	TopDocs []string `json:"top_docs"`
	Err     string   `json:"err,omitempty"`
}

// Report is the outcome of a run.
type Report struct {
	K int `json:"k"`
	// Asked says answers were requested (refusal metrics are meaningful).
	Asked bool `json:"asked"`
	// WithModel says answers came from a model (citation metrics are meaningful).
	WithModel bool `json:"with_model"`
	// WarmedUp says latency was measured after a warm-up pass.
	WarmedUp bool `json:"warmed_up"`
	// Half names the half of the question set evaluated (HalfTune,
	// HalfTest), "" for the whole set.
	Half    string             `json:"half,omitempty"`
	Overall Metrics            `json:"overall"`
	ByType  map[string]Metrics `json:"by_type"`
	// ByRule holds the metrics of the generated questions per rule that
	// made them (see Perturb); absent when there are none.
	ByRule  map[string]Metrics `json:"by_rule,omitempty"`
	Results []Result           `json:"results"`
}

// outcome is a Result with what the metrics need beyond it.
type outcome struct {
	Result
	searched  bool // the search succeeded: its latency counts
	askFailed bool
	cites     citeStats
}

// citeStats describes one model answer's citations.
type citeStats struct {
	checked     bool // a model answer: counts for CitationValidity
	valid       bool
	supported   int // cited sentences in the text not reported unsupported
	unsupported int
}

// Run evaluates the questions one after another. A question whose search or
// answer fails is recorded (Result.Err) and counted as a miss; cancelling ctx
// stops the run and returns the report of the questions done so far with the
// context's error.
func Run(ctx context.Context, qs []Question, o Options) (Report, error) {
	if o.Search == nil {
		return Report{}, errors.New("eval: no search function")
	}
	k := o.K
	if k <= 0 {
		k = DefaultK
	}
	if o.WarmUp {
		for _, q := range qs {
			if err := ctx.Err(); err != nil {
				return Report{K: k}, fmt.Errorf("eval: stopped warming up: %w", err)
			}
			o.Search(ctx, q, k) //nolint:errcheck // the measured run reports errors
		}
	}
	outs := make([]outcome, 0, len(qs))
	var stopErr error
	for _, q := range qs {
		if err := ctx.Err(); err != nil {
			stopErr = err
			break
		}
		out := runOne(ctx, q, k, o)
		if err := ctx.Err(); err != nil {
			stopErr = err // the question was cut short: leave it out
			break
		}
		outs = append(outs, out)
	}
	rep := buildReport(outs, k, o.Ask != nil, o.WithModel)
	rep.WarmedUp = o.WarmUp
	if stopErr != nil {
		return rep, fmt.Errorf("eval: stopped after %d of %d questions: %w", len(outs), len(qs), stopErr)
	}
	return rep, nil
}

func runOne(ctx context.Context, q Question, k int, o Options) outcome {
	out := outcome{Result: Result{ID: q.ID, Type: q.Type, Rule: q.Rule, Question: q.Question,
		Expected: q.DocIDs, Evidence: q.Evidence, TopDocs: []string{}}}
	if out.Expected == nil {
		out.Expected = []string{}
	}
	var errs []string
	start := time.Now()
	hits, err := o.Search(ctx, q, k)
	elapsed := time.Since(start)
	if err != nil {
		errs = append(errs, "search: "+err.Error())
	} else {
		out.searched = true
		out.SearchMS = float64(elapsed.Microseconds()) / 1000
		if len(hits) > k {
			hits = hits[:k]
		}
		for i, h := range hits {
			out.TopDocs = append(out.TopDocs, h.DocID)
			if out.Rank == 0 && q.Expects(h, o.PathForm) {
				out.Rank = i + 1
			}
			if out.EvidenceRank == 0 && q.EvidenceIn(h.Text) {
				out.EvidenceRank = i + 1
			}
		}
	}
	if o.Ask != nil {
		ans, err := o.Ask(ctx, q)
		if err != nil {
			out.askFailed = true
			errs = append(errs, "ask: "+err.Error())
		} else {
			out.Answered = ans.Answered
			out.Reason = ans.Reason
			out.Quoted = ans.Answered && q.EvidenceIn(citeMarker.ReplaceAllString(ans.Text, " "))
			if o.WithModel {
				out.cites = checkCitations(ans)
			}
		}
	}
	out.Err = strings.Join(errs, "; ")
	return out
}

// matchesAny reports whether h is one of the expected documents: by ID, by
// path relative to its source, or by an ID ending in "/" and the expected
// path, each as written or in the printed form (form, when not nil).
func matchesAny(h attache.Hit, docs []string, form func(string) string) bool {
	for _, d := range docs {
		forms := []string{d}
		if form != nil {
			forms = append(forms, form(d))
		}
		for _, p := range forms {
			if h.DocID == p || h.Path == p || strings.HasSuffix(h.DocID, "/"+p) {
				return true
			}
		}
	}
	return false
}

// citeMarker is a citation marker of an answer ("[2]"), which stands
// between quoted sentences and is no part of them.
var citeMarker = regexp.MustCompile(`\s*\[\d+\]`)

var (
	foldPunct = strings.NewReplacer(
		"\u2018", "'", "\u2019", "'", "\u201A", "'", "\u201B", "'", "\u2032", "'", "`", "'",
		"\u201C", `"`, "\u201D", `"`, "\u201E", `"`, "\u201F", `"`, "\u2033", `"`, "\u00AB", `"`, "\u00BB", `"`,
		"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2015", "-", "\u2212", "-",
	)
	spacedDash = strings.NewReplacer(" - ", "-", " -", "-", "- ", "-")
)

// normalize prepares text for the evidence test: lower case without
// accents, one space between words, straight quotes, hyphens for dashes (with
// no spaces around them).
func normalize(s string) string {
	if s == "" {
		return ""
	}
	s = foldPunct.Replace(text.Fold(s))
	return spacedDash.Replace(strings.Join(strings.Fields(s), " "))
}

// markerRun matches a group of adjacent citation markers, with the spaces
// before it: the answer layer normalises markers to "[n]" and "[n][m]".
var (
	markerRun = regexp.MustCompile(`[ \t]*(?:\[\d{1,3}\][ \t]*)*\[\d{1,3}\]`)
	markerNum = regexp.MustCompile(`\[(\d{1,3})\]`)
)

// checkCitations measures the citations of a model's answer.
func checkCitations(ans attache.Answer) citeStats {
	var st citeStats
	removed := false
	for _, w := range ans.Warnings {
		if strings.Contains(strings.ToLower(w), "removed citation") {
			removed = true
		}
	}
	markers := markerNum.FindAllStringSubmatch(ans.Text, -1)
	if ans.Mode == attache.ModeExtractive || (!ans.Answered && len(markers) == 0 && !removed && len(ans.Unsupported) == 0) {
		// An extractive fall-back, or a refusal made before the model was
		// asked: nothing of the model's to measure.
		return st
	}
	st.checked = true
	cited := map[string]bool{}
	for _, c := range ans.Citations {
		cited[fmt.Sprint(c.N)] = true
	}
	st.valid = !removed
	for _, m := range markers {
		if !cited[m[1]] {
			st.valid = false
		}
	}

	unsupported := map[string]bool{}
	for _, s := range ans.Unsupported {
		unsupported[normalize(s)] = true
	}
	st.unsupported = len(ans.Unsupported)
	// Strip the markers, remembering where they stood, and give each run to
	// the sentence it follows.
	var clean strings.Builder
	var runAt []int
	last := 0
	for _, loc := range markerRun.FindAllStringIndex(ans.Text, -1) {
		clean.WriteString(ans.Text[last:loc[0]])
		runAt = append(runAt, clean.Len())
		last = loc[1]
	}
	clean.WriteString(ans.Text[last:])
	c := clean.String()
	spans := text.Sentences(c)
	citedSentence := make([]bool, len(spans))
	for _, pos := range runAt {
		i := sort.Search(len(spans), func(i int) bool { return spans[i].Start >= pos }) - 1
		if len(spans) > 0 {
			citedSentence[max(i, 0)] = true
		}
	}
	for i, sp := range spans {
		if citedSentence[i] && !unsupported[normalize(c[sp.Start:sp.End])] {
			st.supported++
		}
	}
	return st
}

func buildReport(outs []outcome, k int, asked, withModel bool) Report {
	rep := Report{K: k, Asked: asked, WithModel: withModel, ByType: map[string]Metrics{},
		Results: make([]Result, len(outs))}
	byType, byRule := map[string][]outcome{}, map[string][]outcome{}
	for i, o := range outs {
		rep.Results[i] = o.Result
		byType[o.Type] = append(byType[o.Type], o)
		if o.Rule != "" {
			byRule[o.Rule] = append(byRule[o.Rule], o)
		}
	}
	rep.Overall = summarize(outs, asked, withModel)
	for t, group := range byType {
		rep.ByType[t] = summarize(group, asked, withModel)
	}
	if len(byRule) > 0 {
		rep.ByRule = map[string]Metrics{}
		for r, group := range byRule {
			rep.ByRule[r] = summarize(group, asked, withModel)
		}
	}
	return rep
}

func summarize(outs []outcome, asked, withModel bool) Metrics {
	m := Metrics{N: len(outs)}
	var recall, ev1, evk, quoted, refused, falseRefused, valid, supported, unsupported int
	var lat, rr []float64
	for _, o := range outs {
		if o.Err != "" {
			m.Errors++
		}
		if o.searched {
			lat = append(lat, o.SearchMS)
		}
		if o.Type == TypeUnanswerable {
			m.Unanswerable++
			if asked && !o.askFailed && !o.Answered {
				refused++
			}
		} else {
			m.Answerable++
			if o.Rank > 0 {
				recall++
				rr = append(rr, 1/float64(o.Rank))
			} else {
				rr = append(rr, 0)
			}
			if o.Evidence != "" {
				m.WithEvidence++
				if o.EvidenceRank == 1 {
					ev1++
				}
				if o.EvidenceRank > 0 {
					evk++
				}
				if o.Quoted {
					quoted++
				}
			}
			if asked && !o.Answered {
				falseRefused++
			}
		}
		if withModel && o.cites.checked {
			m.ModelAnswers++
			if o.cites.valid {
				valid++
			}
			supported += o.cites.supported
			unsupported += o.cites.unsupported
		}
	}
	m.RecallAtKCI = wilson(recall, m.Answerable)
	m.MRRCI = meanInterval(rr)
	m.EvidenceAt1CI = wilson(ev1, m.WithEvidence)
	m.EvidenceAtKCI = wilson(evk, m.WithEvidence)
	m.RecallAtK, m.MRR = m.RecallAtKCI.Rate, m.MRRCI.Mean
	m.EvidenceAt1, m.EvidenceAtK = m.EvidenceAt1CI.Rate, m.EvidenceAtKCI.Rate
	if asked && !withModel {
		// A model's answer words the evidence its own way.
		q := wilson(quoted, m.WithEvidence)
		m.AnswerEvidenceCI, m.AnswerEvidence = &q, q.Rate
	}
	if asked {
		m.RefusalCI = wilson(refused, m.Unanswerable)
		m.FalseRefusalCI = wilson(falseRefused, m.Answerable)
		m.RefusalRate, m.FalseRefusalRate = m.RefusalCI.Rate, m.FalseRefusalCI.Rate
	}
	if withModel {
		m.CitedSentences = supported + unsupported
		validity, support := wilson(valid, m.ModelAnswers), wilson(supported, m.CitedSentences)
		m.CitationValidityCI, m.SupportedCI = &validity, &support
		m.CitationValidity, m.SupportedShare = validity.Rate, support.Rate
	}
	sort.Float64s(lat)
	m.SearchP50MS = percentile(lat, 50)
	m.SearchP95MS = percentile(lat, 95)
	return m
}

// percentile returns the nearest-rank p-th percentile of sorted values: the
// smallest value with at least p% of the values at or below it; 0 when empty.
func percentile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	r := int(math.Ceil(p / 100 * float64(n)))
	return sorted[min(max(r, 1), n)-1]
}
