package console

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"attache"
	"attache/internal/text"
)

// Window is the span of days a page covers: the last Days days, today
// (UTC) included.
type Window struct {
	Days  int
	Since time.Time // midnight UTC of the first day
	Until time.Time // now (entries logged since are shown too)
}

// DefaultDays is the window of a page without ?days=N.
const DefaultDays = 7

// MaxDays bounds ?days=N.
const MaxDays = 366

// NewWindow returns the window of the last days days before now.
func NewWindow(now time.Time, days int) Window {
	if days < 1 {
		days = DefaultDays
	}
	days = min(days, MaxDays)
	now = now.UTC()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return Window{Days: days, Since: today.AddDate(0, 0, -(days - 1)), Until: now}
}

// Dates lists the window's days as YYYY-MM-DD, oldest first.
func (w Window) Dates() []string {
	out := make([]string, w.Days)
	for i := range out {
		out[i] = w.Since.AddDate(0, 0, i).Format(time.DateOnly)
	}
	return out
}

// Outcomes are the outcomes the overview counts, in the order shown.
var Outcomes = []string{attache.OutcomeAnswered, attache.OutcomePartial, attache.OutcomeRefused,
	attache.OutcomeError, attache.OutcomeRateLimited, attache.OutcomeBusy}

// Day counts one day's questions by outcome.
type Day struct {
	Date      string
	Total     int
	ByOutcome map[string]int
	// P50 and P95 are the median and 95th percentile of the total
	// latency in milliseconds (0 when no question of the day has one).
	P50, P95 int64
}

// Share is the count and share of one outcome.
type Share struct {
	Outcome string
	Count   int
	Percent float64
}

// Overview is the figures of the overview page.
type Overview struct {
	Window   Window
	Days     []Day
	Total    int
	Shares   []Share
	Up, Down int     // votes on answers given in the window
	UpShare  float64 // Up / (Up + Down), in percent; 0 without votes
	P50, P95 int64   // total latency over the window, milliseconds
	Timed    int     // questions with a total latency
}

// LatencyStage is the stage of the answer log's latency that the console
// reports.
const LatencyStage = "total"

// inWindow keeps the entries of the window.
func inWindow(entries []attache.LoggedAnswer, w Window) []attache.LoggedAnswer {
	var out []attache.LoggedAnswer
	for _, e := range entries {
		if !e.Time.Before(w.Since) {
			out = append(out, e)
		}
	}
	return out
}

// Summarize computes the overview of the entries and votes in w.
func Summarize(entries []attache.LoggedAnswer, votes []attache.Feedback, w Window) Overview {
	entries = inWindow(entries, w)
	o := Overview{Window: w, Total: len(entries)}
	byDate := map[string]*Day{}
	lat := map[string][]int64{}
	for _, d := range w.Dates() {
		o.Days = append(o.Days, Day{Date: d, ByOutcome: map[string]int{}})
	}
	for i := range o.Days {
		byDate[o.Days[i].Date] = &o.Days[i]
	}
	counts := map[string]int{}
	var all []int64
	for _, e := range entries {
		d := byDate[e.Time.UTC().Format(time.DateOnly)]
		if d == nil {
			continue
		}
		d.Total++
		d.ByOutcome[e.Outcome]++
		counts[e.Outcome]++
		if ms, ok := e.LatencyMS[LatencyStage]; ok {
			lat[d.Date] = append(lat[d.Date], ms)
			all = append(all, ms)
		}
	}
	for i := range o.Days {
		o.Days[i].P50, o.Days[i].P95 = Percentile(lat[o.Days[i].Date], 50), Percentile(lat[o.Days[i].Date], 95)
	}
	o.P50, o.P95, o.Timed = Percentile(all, 50), Percentile(all, 95), len(all)
	for _, out := range Outcomes {
		o.Shares = append(o.Shares, Share{Outcome: out, Count: counts[out], Percent: percent(counts[out], o.Total)})
	}
	for _, f := range votes {
		if f.Time.Before(w.Since) {
			continue
		}
		o.Up += f.Up
		o.Down += f.Down
	}
	o.UpShare = percent(o.Up, o.Up+o.Down)
	return o
}

func percent(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

// Percentile returns the p-th percentile (nearest rank) of values, 0 for
// none. values is not modified.
func Percentile(values []int64, p float64) int64 {
	if len(values) == 0 {
		return 0
	}
	v := slices.Clone(values)
	slices.Sort(v)
	rank := int(p/100*float64(len(v)) + 0.999999)
	rank = max(1, min(rank, len(v)))
	return v[rank-1]
}

// Gap is a group of refused or partly answered questions that ask about
// the same thing: a country or organisation when they name one, else a key
// term.
type Gap struct {
	Kind     string // "name" or "term"
	Label    string
	Count    int // questions asked (a question asked twice counts twice)
	Last     time.Time
	Refused  int
	Partial  int
	Examples []Example
	Articles []Article // the closest articles, when a search is wired
}

// Example is one question of a gap.
type Example struct {
	Question string
	Asked    int // times asked
	Last     time.Time
	Outcome  string
	// Reason is the rule that refused it the last time ("names: Peru",
	// "detail: date"), when the log kept one.
	Reason string
}

// MaxExamples bounds the example questions of a gap.
const MaxExamples = 5

// Gaps groups the refused and partial questions of entries by what they
// ask about, most asked first. A question that names countries or
// organisations (see internal/text names) is grouped under one of them;
// one that names none under one of its key terms (content words, stopwords
// left out). Each question lands in one group: the groups are chosen
// greedily, the one that gathers the most questions first, so that a
// question naming Cuba and OFAC joins whichever of the two is asked about
// more.
func Gaps(entries []attache.LoggedAnswer) []Gap {
	cands := map[string]*cand{}
	var qs []attache.LoggedAnswer
	add := func(kind, key, label string, q, pos int) {
		c := cands[kind+":"+key]
		if c == nil {
			c = &cand{kind: kind, key: key, forms: map[string]int{}, first: pos}
			cands[kind+":"+key] = c
		}
		c.first = min(c.first, pos)
		if n := len(c.members); n > 0 && c.members[n-1] == q {
			return
		}
		c.members = append(c.members, q)
		c.forms[label]++
	}
	for _, e := range entries {
		if e.Outcome != attache.OutcomeRefused && e.Outcome != attache.OutcomePartial {
			continue
		}
		q := strings.TrimSpace(e.Question)
		if q == "" {
			continue
		}
		i := len(qs)
		qs = append(qs, e)
		names := questionNames(q)
		for j, n := range names {
			add("name", text.DisplayName(n), n, i, j)
		}
		if len(names) > 0 {
			continue
		}
		for j, w := range text.ContentWords(q) {
			if questionWords[w] {
				continue
			}
			add("term", text.Stem(w), w, i, j)
		}
	}
	assigned := make([]bool, len(qs))
	var out []Gap
	for {
		var best *cand
		bestN := 0
		for _, c := range cands {
			n := 0
			for _, m := range c.members {
				if !assigned[m] {
					n++
				}
			}
			if n == 0 {
				continue
			}
			if best == nil || n > bestN || n == bestN && better(c, best) {
				best, bestN = c, n
			}
		}
		if best == nil {
			break
		}
		g := Gap{Kind: best.kind, Label: label(best.forms)}
		if best.kind == "name" {
			g.Label = text.DisplayName(g.Label)
		}
		var members []attache.LoggedAnswer
		for _, m := range best.members {
			if !assigned[m] {
				assigned[m] = true
				members = append(members, qs[m])
			}
		}
		fillGap(&g, members)
		out = append(out, g)
	}
	// Each pick gathers no more questions than the one before: out is
	// already most asked first.
	return out
}

// cand is a candidate group of questions.
type cand struct {
	kind, key string
	forms     map[string]int // label → questions using it
	members   []int
	first     int // the earliest position of the name or term in a question
}

// better orders candidate groups of equal size: names before terms, then
// what questions name first (the subject more often than a detail), then
// by label.
func better(c, other *cand) bool {
	if c.kind != other.kind {
		return c.kind == "name"
	}
	if c.first != other.first {
		return c.first < other.first
	}
	return label(c.forms) < label(other.forms)
}

// label is the most used form of a group (the first in order on ties).
func label(forms map[string]int) string {
	best, n := "", -1
	for f, c := range forms {
		if c > n || c == n && f < best {
			best, n = f, c
		}
	}
	return best
}

func fillGap(g *Gap, members []attache.LoggedAnswer) {
	byQ := map[string]*Example{}
	var order []string
	for _, e := range members {
		g.Count++
		if e.Time.After(g.Last) {
			g.Last = e.Time
		}
		switch e.Outcome {
		case attache.OutcomeRefused:
			g.Refused++
		case attache.OutcomePartial:
			g.Partial++
		}
		k := strings.Join(text.Words(e.Question), " ")
		ex := byQ[k]
		if ex == nil {
			ex = &Example{Question: strings.TrimSpace(e.Question)}
			byQ[k] = ex
			order = append(order, k)
		}
		ex.Asked++
		if !e.Time.Before(ex.Last) {
			ex.Last, ex.Outcome, ex.Reason = e.Time, e.Outcome, e.Reason
		}
	}
	for _, k := range order {
		g.Examples = append(g.Examples, *byQ[k])
	}
	slices.SortStableFunc(g.Examples, func(a, b Example) int {
		return cmp.Or(cmp.Compare(b.Asked, a.Asked), b.Last.Compare(a.Last))
	})
	if len(g.Examples) > MaxExamples {
		g.Examples = g.Examples[:MaxExamples]
	}
}

// questionNames returns the folded names of countries and organisations a
// question mentions, each once, in order.
func questionNames(q string) []string {
	words := text.Words(q)
	var out []string
	seen := map[string]bool{}
	for i := 0; i < len(words); i++ {
		n := text.MentionAt(words, i)
		if n == 0 {
			continue
		}
		name := strings.Join(words[i:i+n], " ")
		i += n - 1
		key := text.DisplayName(name)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, name)
	}
	return out
}

// questionWords are content words that say how a question asks, not what
// it asks about.
var questionWords = map[string]bool{"tell": true, "know": true, "say": true, "said": true, "says": true,
	"happened": true, "happen": true, "explain": true, "describe": true, "please": true, "latest": true, "news": true}

// ModelUse is one model's use over a window.
type ModelUse struct {
	Model            string // "" for answers given without a model
	Requests         int
	PromptTokens     int
	CompletionTokens int
}

// ModelReport is the model page's figures.
type ModelReport struct {
	Window Window
	Models []ModelUse
	// Errors counts the questions that ended without an answer, by
	// outcome (error, rate_limited, busy).
	Errors []Share
	// Fallbacks counts answers for which the model was tried and failed,
	// so that the answer was extractive (a generate stage but no model).
	Fallbacks int
	Total     int
}

// Models computes the model page from the entries in w.
func Models(entries []attache.LoggedAnswer, w Window) ModelReport {
	entries = inWindow(entries, w)
	r := ModelReport{Window: w, Total: len(entries)}
	uses := map[string]*ModelUse{}
	errs := map[string]int{}
	for _, e := range entries {
		switch e.Outcome {
		case attache.OutcomeError, attache.OutcomeRateLimited, attache.OutcomeBusy:
			errs[e.Outcome]++
		}
		if _, tried := e.LatencyMS["generate"]; tried && e.Model == "" &&
			(e.Outcome == attache.OutcomeAnswered || e.Outcome == attache.OutcomePartial) {
			r.Fallbacks++
		}
		if e.Model == "" && e.Usage.TotalTokens == 0 && e.Usage.PromptTokens == 0 {
			continue
		}
		u := uses[e.Model]
		if u == nil {
			u = &ModelUse{Model: e.Model}
			uses[e.Model] = u
		}
		u.Requests++
		u.PromptTokens += e.Usage.PromptTokens
		u.CompletionTokens += e.Usage.CompletionTokens
	}
	for _, u := range uses {
		r.Models = append(r.Models, *u)
	}
	slices.SortFunc(r.Models, func(a, b ModelUse) int {
		return cmp.Or(cmp.Compare(b.Requests, a.Requests), cmp.Compare(a.Model, b.Model))
	})
	for _, o := range []string{attache.OutcomeError, attache.OutcomeRateLimited, attache.OutcomeBusy} {
		r.Errors = append(r.Errors, Share{Outcome: o, Count: errs[o], Percent: percent(errs[o], r.Total)})
	}
	return r
}
