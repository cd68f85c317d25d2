package eval

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
)

// WriteText writes a readable report: the metrics overall and per type, then
// the misses with their question, expected documents and top documents.
func (r Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	mode := "no answers requested"
	switch {
	case r.WithModel:
		mode = "answers from a language model"
	case r.Asked:
		mode = "extractive answers"
	}
	latency := "latency of a first search of each question"
	if r.WarmedUp {
		latency = "latency after a warm-up pass"
	}
	fmt.Fprintf(bw, "%d questions, k=%d, %s, %s\n", r.Overall.N, r.K, mode, latency)
	switch r.Half {
	case "":
	case HalfAll:
		fmt.Fprintf(bw, "half: all (the tune and test halves, split by document)\n")
	default:
		fmt.Fprintf(bw, "half: %s (split by document)\n", r.Half)
	}
	fmt.Fprintln(bw, "\nRates with their counts:")

	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	head := []string{"TYPE", "N", fmt.Sprintf("RECALL@%d", r.K), "MRR", "EVID@1", fmt.Sprintf("EVID@%d", r.K),
		"REFUSAL", "FALSE REFUSAL", "P50 MS", "P95 MS"}
	if r.Asked && !r.WithModel {
		head = append(head, "QUOTED")
	}
	if r.WithModel {
		head = append(head, "CITES VALID", "SUPPORTED")
	}
	head = append(head, "ERRORS")
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	fmt.Fprintln(tw, r.row("overall", r.Overall))
	types := make([]string, 0, len(r.ByType))
	for t := range r.ByType {
		types = append(types, t)
	}
	sort.Slice(types, func(i, j int) bool { return typeOrder(types[i]) < typeOrder(types[j]) })
	for _, t := range types {
		fmt.Fprintln(tw, r.row(t, r.ByType[t]))
	}
	rules := slices.Sorted(maps.Keys(r.ByRule))
	for _, rule := range rules {
		fmt.Fprintln(tw, r.row("rule:"+rule, r.ByRule[rule]))
	}
	tw.Flush()

	fmt.Fprintln(bw, "\n95% intervals (Wilson score; MRR: normal approximation):")
	tw = tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	head = []string{"TYPE", fmt.Sprintf("RECALL@%d", r.K), "MRR", "EVID@1", fmt.Sprintf("EVID@%d", r.K), "REFUSAL", "FALSE REFUSAL"}
	if r.Asked && !r.WithModel {
		head = append(head, "QUOTED")
	}
	if r.WithModel {
		head = append(head, "CITES VALID", "SUPPORTED")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	fmt.Fprintln(tw, r.intervalRow("overall", r.Overall))
	for _, t := range types {
		fmt.Fprintln(tw, r.intervalRow(t, r.ByType[t]))
	}
	for _, rule := range rules {
		fmt.Fprintln(tw, r.intervalRow("rule:"+rule, r.ByRule[rule]))
	}
	tw.Flush()

	if byRule := r.falseRefusalRules(); len(byRule) > 0 {
		fmt.Fprintln(bw, "\nFalse refusals by the rule that refused:")
		for _, rc := range byRule {
			fmt.Fprintf(bw, "  %-14s %d\n", rc.rule, rc.n)
		}
	}

	var misses []string
	for _, res := range r.Results {
		if why := r.miss(res); why != "" {
			var b strings.Builder
			fmt.Fprintf(&b, "  %s [%s] %s: %s\n", res.ID, res.Type, why, res.Question)
			if len(res.Expected) > 0 {
				fmt.Fprintf(&b, "      expected: %s\n", strings.Join(res.Expected, ", "))
			}
			if res.Evidence != "" {
				fmt.Fprintf(&b, "      evidence: %q\n", res.Evidence)
			}
			fmt.Fprintf(&b, "      top docs: %s\n", orNone(dedupe(res.TopDocs)))
			if res.Err != "" {
				fmt.Fprintf(&b, "      error: %s\n", res.Err)
			}
			misses = append(misses, b.String())
		}
	}
	if len(misses) == 0 {
		fmt.Fprintln(bw, "\nNo misses.")
	} else {
		fmt.Fprintf(bw, "\nMisses (%d):\n", len(misses))
		for _, m := range misses {
			bw.WriteString(m)
		}
	}
	return bw.Flush()
}

type ruleCount struct {
	rule string
	n    int
}

// falseRefusalRules counts the answerable questions refused by each rule
// of the answerability decision (its Reason without the particulars:
// "names: Peru" counts as "names", "coverage: 0.41" as "coverage"), most
// first.
func (r Report) falseRefusalRules() []ruleCount {
	if !r.Asked {
		return nil
	}
	count := map[string]int{}
	for _, res := range r.Results {
		if res.Type == TypeUnanswerable || res.Err != "" || res.Answered {
			continue
		}
		rule, _, _ := strings.Cut(res.Reason, ":")
		if rule == "" {
			rule = "other"
		}
		count[rule]++
	}
	out := make([]ruleCount, 0, len(count))
	for rule, n := range count {
		out = append(out, ruleCount{rule, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		return out[i].rule < out[j].rule
	})
	return out
}

// row formats one line of the metrics table: each rate with its count ("0.950
// 19/20"), the mean reciprocal rank alone; "-" marks a metric with no
// denominator.
func (r Report) row(name string, m Metrics) string {
	rate := func(p Proportion) string {
		if p.N == 0 {
			return "-"
		}
		return fmt.Sprintf("%.3f %d/%d", p.Rate, p.Hits, p.N)
	}
	mrr := "-"
	if m.MRRCI.N > 0 {
		mrr = fmt.Sprintf("%.3f", m.MRR)
	}
	cells := []string{name, fmt.Sprint(m.N), rate(m.RecallAtKCI), mrr, rate(m.EvidenceAt1CI), rate(m.EvidenceAtKCI)}
	if r.Asked {
		cells = append(cells, rate(m.RefusalCI), rate(m.FalseRefusalCI))
	} else {
		cells = append(cells, "-", "-")
	}
	cells = append(cells, fmt.Sprintf("%.1f", m.SearchP50MS), fmt.Sprintf("%.1f", m.SearchP95MS))
	if r.Asked && !r.WithModel {
		cells = append(cells, rate(deref(m.AnswerEvidenceCI)))
	}
	if r.WithModel {
		cells = append(cells, rate(deref(m.CitationValidityCI)), rate(deref(m.SupportedCI)))
	}
	cells = append(cells, fmt.Sprint(m.Errors))
	return strings.Join(cells, "\t")
}

// intervalRow formats one line of the table of 95% intervals.
func (r Report) intervalRow(name string, m Metrics) string {
	iv := func(n int, low, high float64) string {
		if n == 0 {
			return "-"
		}
		return fmt.Sprintf("%.3f-%.3f", low, high)
	}
	p := func(p Proportion) string { return iv(p.N, p.Low, p.High) }
	cells := []string{name, p(m.RecallAtKCI), iv(m.MRRCI.N, m.MRRCI.Low, m.MRRCI.High), p(m.EvidenceAt1CI), p(m.EvidenceAtKCI)}
	if r.Asked {
		cells = append(cells, p(m.RefusalCI), p(m.FalseRefusalCI))
	} else {
		cells = append(cells, "-", "-")
	}
	if r.Asked && !r.WithModel {
		cells = append(cells, p(deref(m.AnswerEvidenceCI)))
	}
	if r.WithModel {
		cells = append(cells, p(deref(m.CitationValidityCI)), p(deref(m.SupportedCI)))
	}
	return strings.Join(cells, "\t")
}

func deref(p *Proportion) Proportion {
	if p == nil {
		return Proportion{}
	}
	return *p
}

// miss says what went wrong with a result, "" when nothing did.
func (r Report) miss(res Result) string {
	var why []string
	if res.Err != "" {
		why = append(why, "error")
	}
	if res.Type == TypeUnanswerable {
		if r.Asked && res.Err == "" && res.Answered {
			why = append(why, "answered, should refuse")
		}
	} else {
		if res.Rank == 0 {
			why = append(why, "expected document not retrieved")
		}
		if res.Evidence != "" && res.EvidenceRank == 0 {
			why = append(why, "evidence not retrieved")
		}
		if r.Asked && res.Err == "" && !res.Answered {
			if res.Reason != "" {
				why = append(why, "refused ("+res.Reason+")")
			} else {
				why = append(why, "refused")
			}
		}
	}
	return strings.Join(why, ", ")
}

func typeOrder(t string) int {
	if i := slices.Index(Types, t); i >= 0 {
		return i
	}
	return len(Types)
}

func dedupe(ss []string) []string {
	var out []string
	for _, s := range ss {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func orNone(ss []string) string {
	if len(ss) == 0 {
		return "(none)"
	}
	return strings.Join(ss, ", ")
}
