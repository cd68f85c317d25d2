package console

import (
	"slices"
	"strings"
	"testing"
	"time"

	"attache"
)

var day0 = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func entry(q, outcome string, ago time.Duration, totalMS int64) attache.LoggedAnswer {
	e := attache.LoggedAnswer{Time: day0.Add(-ago), Question: q, Outcome: outcome}
	if totalMS > 0 {
		e.LatencyMS = map[string]int64{"total": totalMS}
	}
	return e
}

func TestGapsGroupByNameThenTermMostAskedFirst(t *testing.T) {
	t.Parallel()
	entries := []attache.LoggedAnswer{
		entry("What did Suriname say about the oil block?", attache.OutcomeRefused, 3*time.Hour, 0),
		entry("Has the Surinamese government signed the deal?", attache.OutcomePartial, 2*time.Hour, 0),
		entry("what did suriname say about the oil block", attache.OutcomeRefused, time.Hour, 0),
		entry("When was the vaccine donation delivered?", attache.OutcomeRefused, 5*time.Hour, 0),
		entry("How many vaccines were donated?", attache.OutcomeRefused, 4*time.Hour, 0),
		entry("Did OFAC sanction Cuba and Suriname?", attache.OutcomeRefused, 6*time.Hour, 0),
		entry("Did OFAC lift the Cuba sanctions?", attache.OutcomeRefused, 7*time.Hour, 0),
		entry("Did OFAC fine the bank?", attache.OutcomeRefused, 8*time.Hour, 0),
		entry("What did Cuba announce?", attache.OutcomeAnswered, time.Hour, 0), // answered: no gap
		entry("   ", attache.OutcomeRefused, time.Hour, 0),
	}
	gaps := Gaps(entries)
	var got []string
	for _, g := range gaps {
		got = append(got, g.Kind+":"+g.Label+":"+string(rune('0'+g.Count)))
	}
	// Suriname gathers three questions plus the one that also names OFAC
	// only if OFAC is not chosen first; OFAC has three, Suriname four
	// (Suriname first, ties go to names), then OFAC with the other two, then
	// the vaccine questions under their shared term.
	want := []string{"name:Suriname:4", "name:OFAC:2", "term:vaccine:2"}
	if !slices.Equal(got, want) {
		t.Fatalf("gaps = %v, want %v", got, want)
	}
	s := gaps[0]
	if s.Refused != 3 || s.Partial != 1 || !s.Last.Equal(day0.Add(-time.Hour)) {
		t.Errorf("Suriname: %+v", s)
	}
	if len(s.Examples) != 3 || s.Examples[0].Asked != 2 || !strings.Contains(s.Examples[0].Question, "oil block") {
		t.Errorf("Suriname examples = %+v, want the question asked twice first", s.Examples)
	}
}

func TestSummarizeCountsDaysSharesVotesLatency(t *testing.T) {
	t.Parallel()
	w := NewWindow(day0, 3)
	if w.Since != time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC) || !slices.Equal(w.Dates(), []string{"2026-03-08", "2026-03-09", "2026-03-10"}) {
		t.Fatalf("window = %+v %v", w, w.Dates())
	}
	entries := []attache.LoggedAnswer{
		entry("old", attache.OutcomeAnswered, 4*24*time.Hour, 100), // before the window
		entry("a", attache.OutcomeAnswered, 2*time.Hour, 100),
		entry("b", attache.OutcomeAnswered, time.Hour, 300),
		entry("c", attache.OutcomeRefused, 30*time.Hour, 200),
		entry("d", attache.OutcomeRateLimited, 30*time.Hour, 0),
	}
	votes := []attache.Feedback{
		{Time: day0.Add(-time.Hour), Up: 3, Down: 1},
		{Time: day0.Add(-10 * 24 * time.Hour), Up: 5}, // before the window
	}
	o := Summarize(entries, votes, w)
	if o.Total != 4 || o.Days[2].Total != 2 || o.Days[1].ByOutcome[attache.OutcomeRefused] != 1 || o.Days[0].Total != 0 {
		t.Fatalf("overview = %+v", o)
	}
	if o.Shares[0].Outcome != attache.OutcomeAnswered || o.Shares[0].Count != 2 || o.Shares[0].Percent != 50 {
		t.Errorf("answered share = %+v", o.Shares[0])
	}
	if o.Up != 3 || o.Down != 1 || o.UpShare != 75 {
		t.Errorf("votes = %d/%d %.0f%%", o.Up, o.Down, o.UpShare)
	}
	if o.P50 != 200 || o.P95 != 300 || o.Timed != 3 || o.Days[2].P50 != 100 || o.Days[2].P95 != 300 {
		t.Errorf("latency p50 %d p95 %d timed %d, day p50 %d p95 %d", o.P50, o.P95, o.Timed, o.Days[2].P50, o.Days[2].P95)
	}
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v    []int64
		p    float64
		want int64
	}{
		{nil, 50, 0},
		{[]int64{7}, 95, 7},
		{[]int64{1, 2, 3, 4}, 50, 2},
		{[]int64{10, 1, 9, 2, 8, 3, 7, 4, 6, 5}, 95, 10},
		{[]int64{10, 1, 9, 2, 8, 3, 7, 4, 6, 5}, 50, 5},
	}
	for _, tt := range tests {
		if got := Percentile(tt.v, tt.p); got != tt.want {
			t.Errorf("Percentile(%v, %v) = %d, want %d", tt.v, tt.p, got, tt.want)
		}
	}
}

func TestModelsCountsRequestsTokensErrorsFallbacks(t *testing.T) {
	t.Parallel()
	with := func(e attache.LoggedAnswer, model string, p, c int, stages ...string) attache.LoggedAnswer {
		e.Model, e.Usage = model, attache.Usage{PromptTokens: p, CompletionTokens: c, TotalTokens: p + c}
		for _, s := range stages {
			if e.LatencyMS == nil {
				e.LatencyMS = map[string]int64{}
			}
			e.LatencyMS[s] = 5
		}
		return e
	}
	entries := []attache.LoggedAnswer{
		with(entry("a", attache.OutcomeAnswered, time.Hour, 0), "gpt-a", 100, 20, "generate"),
		with(entry("b", attache.OutcomeAnswered, time.Hour, 0), "gpt-a", 50, 10, "generate"),
		with(entry("c", attache.OutcomePartial, time.Hour, 0), "gpt-b", 30, 5, "generate"),
		with(entry("d", attache.OutcomeAnswered, time.Hour, 0), "", 0, 0, "generate"), // the model failed
		with(entry("e", attache.OutcomeRefused, time.Hour, 0), "", 0, 0),
		entry("f", attache.OutcomeError, time.Hour, 0),
		entry("g", attache.OutcomeRateLimited, time.Hour, 0),
	}
	r := Models(entries, NewWindow(day0, 7))
	if len(r.Models) != 2 || r.Models[0] != (ModelUse{Model: "gpt-a", Requests: 2, PromptTokens: 150, CompletionTokens: 30}) ||
		r.Models[1].Model != "gpt-b" {
		t.Errorf("models = %+v", r.Models)
	}
	if r.Fallbacks != 1 || r.Errors[0].Count != 1 || r.Errors[1].Count != 1 || r.Errors[2].Count != 0 || r.Total != 7 {
		t.Errorf("report = %+v", r)
	}
}

func TestBarChartEscapesAndScales(t *testing.T) {
	t.Parallel()
	svg := string(BarChart{Title: `a <b> & "c"`, Labels: []string{"2026-03-09", "2026-03-10"}, Stacked: true,
		Series: []Series{{Name: "x<y", Color: "#111", Values: []float64{3, 0}}, {Name: "z", Color: "#222", Values: []float64{4, 1}}}}.SVG())
	if strings.Contains(svg, "<b>") || strings.Contains(svg, "x<y") || !strings.Contains(svg, "x&lt;y") {
		t.Errorf("text not escaped: %s", svg)
	}
	if n := strings.Count(svg, "<rect x="); n != 3+2 { // three bars, two legend keys
		t.Errorf("%d rects, want 5: %s", n, svg)
	}
	if !strings.Contains(svg, "2026-03-09, z: 4") || !strings.Contains(svg, ">8</text>") || strings.Contains(svg, ">10</text>") {
		t.Errorf("want bar titles and a scale topped at 8: %s", svg)
	}
}
