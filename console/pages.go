package console

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"time"

	"attache"
)

// pageData is what every page template receives.
type pageData struct {
	Title   string
	Active  string // the nav entry of the page
	Prefix  string
	CSRF    string
	Days    int
	Token   bool // a token is set: the page offers to sign out
	Now     time.Time
	Problem string // a figure that could not be read, shown on the page
	Data    any
}

type loginData struct {
	Next   string
	Failed bool
}

// colors of the outcomes in charts.
var colors = map[string]string{
	attache.OutcomeAnswered:    "#2e7d32",
	attache.OutcomePartial:     "#f9a825",
	attache.OutcomeRefused:     "#c62828",
	attache.OutcomeError:       "#6a1b9a",
	attache.OutcomeRateLimited: "#1565c0",
	attache.OutcomeBusy:        "#757575",
}

// days reads ?days=N (DefaultDays when absent or invalid).
func days(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("days"))
	if err != nil || n < 1 {
		return DefaultDays
	}
	return min(n, MaxDays)
}

func (c *Console) base(r *http.Request, session, title, active string) pageData {
	return pageData{Title: title, Active: active, Prefix: c.prefix, CSRF: c.auth.csrf(session), Days: days(r),
		Token: c.auth.set, Now: c.now()}
}

// entries reads the answer log of the request's window.
func (c *Console) entries(ctx context.Context, w Window) ([]attache.LoggedAnswer, error) {
	return c.opts.Answers(ctx, w.Since)
}

type overviewData struct {
	Overview
	Questions template.HTML
	Latency   template.HTML
}

func (c *Console) overview(w http.ResponseWriter, r *http.Request, session string) {
	p := c.base(r, session, "Overview", "overview")
	win := NewWindow(c.now(), p.Days)
	entries, err := c.entries(r.Context(), win)
	if err != nil {
		c.problem(w, r, err, "the answer log")
		return
	}
	var votes []attache.Feedback
	if c.opts.Feedback != nil {
		if votes, err = c.opts.Feedback(r.Context()); err != nil {
			c.opts.Logger.Warn("console: feedback", "err", err)
			p.Problem = "The votes could not be read."
		}
	}
	o := Summarize(entries, votes, win)
	dates := win.Dates()
	qc := BarChart{Title: "Questions per day, by outcome", Labels: dates, Stacked: true}
	for _, out := range Outcomes {
		s := Series{Name: out, Color: colors[out]}
		for _, d := range o.Days {
			s.Values = append(s.Values, float64(d.ByOutcome[out]))
		}
		qc.Series = append(qc.Series, s)
	}
	lc := BarChart{Title: "Answer latency per day (ms), p50 and p95", Labels: dates, Unit: " ms",
		Series: []Series{{Name: "p50", Color: "#546e7a"}, {Name: "p95", Color: "#ef6c00"}}}
	for _, d := range o.Days {
		lc.Series[0].Values = append(lc.Series[0].Values, float64(d.P50))
		lc.Series[1].Values = append(lc.Series[1].Values, float64(d.P95))
	}
	p.Data = overviewData{Overview: o, Questions: qc.SVG(), Latency: lc.SVG()}
	c.render(w, r, http.StatusOK, "overview", session, p)
}

// maxGapSearches bounds the searches of one gaps page.
const maxGapSearches = 30

// gapArticles are the closest articles shown per gap.
const gapArticles = 3

type gapsData struct {
	Window Window
	Gaps   []Gap
	Search bool
}

func (c *Console) gaps(w http.ResponseWriter, r *http.Request, session string) {
	p := c.base(r, session, "Coverage gaps", "gaps")
	win := NewWindow(c.now(), p.Days)
	entries, err := c.entries(r.Context(), win)
	if err != nil {
		c.problem(w, r, err, "the answer log")
		return
	}
	gaps := Gaps(inWindow(entries, win))
	if c.opts.Search != nil {
		for i := range gaps[:min(len(gaps), maxGapSearches)] {
			g := &gaps[i]
			q := g.Label
			if len(g.Examples) > 0 {
				q = g.Examples[0].Question
			}
			arts, err := c.opts.Search(r.Context(), q, gapArticles)
			if err != nil {
				c.opts.Logger.Warn("console: search", "err", err)
				p.Problem = "The search for the closest articles failed."
				break
			}
			g.Articles = arts
		}
	}
	p.Data = gapsData{Window: win, Gaps: gaps, Search: c.opts.Search != nil}
	c.render(w, r, http.StatusOK, "gaps", session, p)
}

type feedbackData struct {
	Window   Window
	Items    []attache.Feedback
	Up, Down int
	Filter   string
}

func (c *Console) feedback(w http.ResponseWriter, r *http.Request, session string) {
	p := c.base(r, session, "Feedback", "feedback")
	win := NewWindow(c.now(), p.Days)
	d := feedbackData{Window: win, Filter: r.URL.Query().Get("vote")}
	if c.opts.Feedback == nil {
		p.Problem = "Votes are not available here."
	} else {
		all, err := c.opts.Feedback(r.Context())
		if err != nil {
			c.problem(w, r, err, "the votes")
			return
		}
		for _, f := range all {
			if f.Time.Before(win.Since) {
				continue
			}
			d.Up += f.Up
			d.Down += f.Down
			if d.Filter == "down" && f.Down == 0 || d.Filter == "up" && f.Up == 0 {
				continue
			}
			d.Items = append(d.Items, f)
		}
	}
	// Most disliked first, then newest.
	slices.SortStableFunc(d.Items, func(a, b attache.Feedback) int {
		return cmp.Or(cmp.Compare(b.Down, a.Down), b.Time.Compare(a.Time))
	})
	p.Data = d
	c.render(w, r, http.StatusOK, "feedback", session, p)
}

type indexData struct {
	Index
	Documents, Passages int
	LastSync            time.Time
	Reindex             reindexState
	CanReindex          bool
}

func (c *Console) index(w http.ResponseWriter, r *http.Request, session string) {
	p := c.base(r, session, "Index", "index")
	d := indexData{CanReindex: c.opts.Reindex != nil}
	if c.opts.Index == nil {
		p.Problem = "The index report is not available here."
	} else {
		ix, err := c.opts.Index(r.Context())
		if err != nil {
			c.problem(w, r, err, "the index")
			return
		}
		d.Index = ix
		for _, s := range ix.Sources {
			d.Documents += s.Documents
			d.Passages += s.Passages
			if s.LastIndexed.After(d.LastSync) {
				d.LastSync = s.LastIndexed
			}
		}
	}
	c.mu.Lock()
	d.Reindex = c.reindex
	c.mu.Unlock()
	p.Data = d
	c.render(w, r, http.StatusOK, "index", session, p)
}

type modelData struct {
	ModelReport
	Tokens   template.HTML
	InProc   bool
	LLMFails []ModelError
}

func (c *Console) model(w http.ResponseWriter, r *http.Request, session string) {
	p := c.base(r, session, "Model", "model")
	win := NewWindow(c.now(), p.Days)
	entries, err := c.entries(r.Context(), win)
	if err != nil {
		c.problem(w, r, err, "the answer log")
		return
	}
	m := Models(entries, win)
	ch := BarChart{Title: "Tokens per model", Stacked: true,
		Series: []Series{{Name: "prompt", Color: "#546e7a"}, {Name: "completion", Color: "#ef6c00"}}}
	for _, u := range m.Models {
		ch.Labels = append(ch.Labels, modelName(u.Model))
		ch.Series[0].Values = append(ch.Series[0].Values, float64(u.PromptTokens))
		ch.Series[1].Values = append(ch.Series[1].Values, float64(u.CompletionTokens))
	}
	d := modelData{ModelReport: m, Tokens: ch.SVG(), InProc: c.opts.ModelErrors != nil}
	if d.InProc {
		d.LLMFails = c.opts.ModelErrors()
	}
	p.Data = d
	c.render(w, r, http.StatusOK, "model", session, p)
}

func modelName(m string) string {
	if m == "" {
		return "(no model)"
	}
	return m
}

// problem answers 500 when a page's main figures cannot be read; the
// error is logged, the reader sees what could not be read.
func (c *Console) problem(w http.ResponseWriter, r *http.Request, err error, what string) {
	c.opts.Logger.Warn("console: reading "+what+" failed", "path", r.URL.Path, "err", err)
	c.fail(w, r, http.StatusInternalServerError, fmt.Sprintf("The console could not read %s; see the log for details.", what))
}

// fail shows a short message page with status code.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	c.render(w, r, code, "message", "", pageData{Title: http.StatusText(code), Prefix: c.prefix, Data: msg, Days: DefaultDays, Now: c.now()})
}

func (c *Console) render(w http.ResponseWriter, _ *http.Request, code int, name, _ string, p pageData) {
	if p.Prefix == "" {
		p.Prefix = c.prefix
	}
	var buf bytes.Buffer
	if err := pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		c.opts.Logger.Error("console: page", "page", name, "err", err)
		http.Error(w, "the page could not be drawn", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}
