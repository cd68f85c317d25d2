// Package answer owns grounded answering: deciding whether the knowledge base
// covers a question, prompting a language model with numbered sources,
// checking every citation of its reply against the passage it names, falling
// back to extractive answers when no model is configured or reachable, and
// summaries and timelines built the same way.
//
// It declares what it needs — a Retriever, a Library and a Generator — and
// never imports the retrieval or llm packages; cmd/attache wires them in.
package answer

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"attache"
	"attache/internal/text"
)

// Retriever finds the passages most relevant to a question, best first, with
// Hit.Coverage filled in.
type Retriever func(ctx context.Context, question string, k int, dates attache.DateRange) ([]attache.Hit, error)

// Options tune answering.
type Options struct {
	K             int     // passages retrieved per question (0 = 5)
	MaxSentences  int     // sentences in an extractive answer (0 = DefaultMaxSentences)
	MinCoverage   float64 // below this share of the question's weight in the best passage, refuse (0 = DefaultMinCoverage)
	MinFocus      float64 // below this share of the question's focus, a passage is about something else (0 = DefaultMinFocus, negative = off)
	Unsupported   string  // PolicyFlag (default) or PolicyDrop
	ContextTokens int     // the model's context window (0 = DefaultContextTokens)
	MaxTokens     int     // tokens reserved for the model's reply (0 = DefaultMaxTokens)
	// Neighbours is how many passages before and after each retrieved one
	// (same article, from the Library) the model also reads, when the
	// context window has room; 0 = none.
	Neighbours int
	// RulesOff names answerability rules left out (see Rules), to measure
	// what each is worth; empty in service.
	RulesOff []string
}

// DefaultMinCoverage is the calibrated refusal threshold: the best passage
// must contain at least this share of the question's (IDF-weighted) words.
const DefaultMinCoverage = 0.45

// Warnings shown to users.
const (
	WarnModelUnavailable = "the language model is unavailable; showing the most relevant passages"
	WarnNoSupport        = "the model's answer cited no source that supports it"
)

// Service answers questions from retrieved passages.
type Service struct {
	Retrieve Retriever
	// Library gives whole documents for summaries and timelines; may be nil
	// for a service that only answers questions.
	Library Library
	// Generator is the language model; nil means extractive mode.
	Generator Generator
	Options   Options
	Logger    *slog.Logger
	// Now is the clock used to tell old news from new; nil = time.Now.
	Now func() time.Time
}

// Request is one question, with optional conversation history and date window.
type Request struct {
	Question string
	History  []attache.Turn
	Dates    attache.DateRange
	// OnDelta, when set, receives the model's reply as it is generated
	// (before the citation check). It is not called in extractive mode.
	OnDelta func(string)
}

// Ask answers a question: with a model when one is configured and reachable,
// extractively otherwise. Every [n] of the returned text names a citation.
// Whether the question can be answered is decided first (Decide), in both
// modes: the model is not called for a question the articles do not answer.
func (s *Service) Ask(ctx context.Context, req Request) (attache.Answer, error) {
	start := time.Now()
	ans, err := s.ask(ctx, req)
	if err == nil && ans.Answered {
		ans.Text = appendDateNote(ans.Text, ans.Citations, s.now(), text.Language(req.Question))
	}
	ans.LatencyMS["total"] = time.Since(start).Milliseconds()
	return ans, err
}

func (s *Service) ask(ctx context.Context, req Request) (attache.Answer, error) {
	ans := s.newAnswer(req.Question)
	q := strings.TrimSpace(req.Question)
	if q == "" {
		return ans, attache.Errorf(attache.EINVALID, "the question is empty")
	}
	lang := text.Language(q)

	query := q
	// A follow-up is made standalone; a question in another language than
	// the articles' is rendered as an English query when a model can.
	if len(req.History) > 0 || (lang != "en" && s.Generator != nil) {
		t := time.Now()
		query = s.condense(ctx, q, req.History, &ans)
		ans.LatencyMS["condense"] = time.Since(t).Milliseconds()
	}
	t := time.Now()
	hits, err := s.Retrieve(ctx, query, s.k(), req.Dates)
	ans.LatencyMS["retrieve"] = time.Since(t).Milliseconds()
	if err != nil {
		return ans, fmt.Errorf("ask: %w", err)
	}
	d := Decide(q, query, hits, Thresholds{MinCoverage: s.Options.MinCoverage, MinFocus: s.Options.MinFocus, Now: s.now(), Off: s.Options.RulesOff})
	ans.Reason = d.Reason
	switch d.Verdict {
	case NotCovered:
		// Refuse before generation: the model is not called.
		ans.Text = refusal(lang, hits, d.Missing)
		return ans, nil
	case DetailMissing:
		s.partial(q, query, lang, d, &ans)
		return ans, nil
	}
	hits = d.Hits
	if s.Generator != nil {
		err := s.generate(ctx, q, req, hits, &ans)
		if err == nil {
			return ans, nil
		}
		if ctx.Err() != nil {
			return ans, fmt.Errorf("ask: %w", ctx.Err())
		}
		s.logger().Warn("language model failed; answering extractively", "err", err)
		ans.Warnings = append(ans.Warnings, ModelUnavailable(lang))
		ans.Fallback = true
		ans.Mode = attache.ModeExtractive
		ans.Model = ""
	}
	s.extractive(lang, query, hits, &ans)
	return ans, nil
}

// quote selects the sentences of an extractive answer with the English
// form of the query (the articles are English). When the query's words
// cannot be compared with the articles' (a question in another language
// that could not be rendered in English), the best passage, which the
// search chose, is quoted from its start.
func quote(query string, hits []attache.Hit, n int) (string, []attache.Citation) {
	english := text.EnglishQuery(query)
	said, cites := Extract(english, hits, n)
	if len(cites) > 0 || text.Language(english) == "en" || len(hits) == 0 {
		return said, cites
	}
	var parts []string
	for _, sp := range text.Sentences(hits[0].Text) {
		if s := strings.TrimSpace(hits[0].Text[sp.Start:sp.End]); isProse(s) {
			parts = append(parts, s+" [1]")
		}
		if len(parts) == n {
			break
		}
	}
	if len(parts) == 0 {
		return "", nil
	}
	return strings.Join(parts, " "), []attache.Citation{attache.CitationFor(1, hits[0].Passage)}
}

// partialSentences is how many cited sentences a partial answer gives.
const partialSentences = 2

// partial fills ans for a question whose event the articles report without
// the detail it asks for: it says which detail is missing and quotes what
// the articles do say, cited, with answered false. No model is involved.
func (s *Service) partial(question, query, lang string, d Decision, ans *attache.Answer) {
	ans.Mode, ans.Model = attache.ModeExtractive, ""
	ans.Answered, ans.Partial = false, true
	said, cites := quote(query, d.Hits, partialSentences)
	missing := notSaid(lang, question, d.Asked)
	if len(cites) == 0 {
		ans.Text = missing
		return
	}
	ans.Text = missing + " " + whatTheyReport(lang) + " " + said
	ans.Citations = cites
}

func (s *Service) newAnswer(question string) attache.Answer {
	a := attache.Answer{Question: question, Mode: attache.ModeExtractive,
		Citations: []attache.Citation{}, Warnings: []string{}, Unsupported: []string{},
		LatencyMS: map[string]int64{}}
	if s.Generator != nil {
		a.Mode = attache.ModeLLM
		a.Model = s.Generator.Model()
	}
	return a
}

// extractive fills ans with the best sentences of the hits, selected with
// the English form of the query (the articles are English).
func (s *Service) extractive(lang, query string, hits []attache.Hit, ans *attache.Answer) {
	ans.Text, ans.Citations = quote(query, hits, s.maxSentences())
	if ans.Citations == nil {
		ans.Citations = []attache.Citation{}
	}
	ans.Answered = len(ans.Citations) > 0
	if !ans.Answered {
		ans.Text = refusal(lang, hits, nil)
		ans.Reason = "no sentence to quote"
	}
}

// generate asks the model, then checks its citations. It returns an error
// only when the model could not be used; the caller then falls back.
func (s *Service) generate(ctx context.Context, question string, req Request, hits []attache.Hit, ans *attache.Answer) error {
	passages := make([]attache.Passage, len(hits))
	for i, h := range hits {
		passages[i] = h.Passage
	}
	msgs, sent := BuildMessagesWithContext(question, req.History, passages, s.widen(ctx, passages), s.budget())
	t := time.Now()
	gen, err := s.Generator.Generate(ctx, msgs, req.OnDelta)
	ans.LatencyMS["generate"] = time.Since(t).Milliseconds()
	ans.Usage = ans.Usage.Add(gen.Usage)
	if err != nil {
		return err
	}
	if gen.Model != "" {
		ans.Model = gen.Model
	}
	t = time.Now()
	s.applyCheck(gen.Text, sent, ans)
	ans.LatencyMS["check"] = time.Since(t).Milliseconds()
	return nil
}

// widen returns each passage with up to Options.Neighbours passages before
// and after it in its article, as one passage (the hit's ID, the span of
// all), or nil when neighbours are off or unavailable. A neighbour that is
// itself among the passages is not repeated.
func (s *Service) widen(ctx context.Context, passages []attache.Passage) []attache.Passage {
	n := s.Options.Neighbours
	if n <= 0 || s.Library == nil || len(passages) == 0 {
		return nil
	}
	given := map[string]bool{}
	for _, p := range passages {
		given[p.ID] = true
	}
	docs := map[string][]attache.Passage{}
	out := make([]attache.Passage, len(passages))
	for i, p := range passages {
		out[i] = p
		all, ok := docs[p.DocID]
		if !ok {
			var err error
			if all, err = s.Library.Passages(ctx, p.DocID); err != nil {
				s.logger().Warn("no neighbouring passages", "doc", p.DocID, "err", err)
				return nil
			}
			docs[p.DocID] = all
		}
		at := -1
		for j, q := range all {
			if q.ID == p.ID {
				at = j
				break
			}
		}
		if at < 0 {
			continue
		}
		lo, hi := at, at
		for lo > 0 && at-lo < n && !given[all[lo-1].ID] {
			lo--
		}
		for hi < len(all)-1 && hi-at < n && !given[all[hi+1].ID] {
			hi++
		}
		if lo == hi {
			continue
		}
		all[at] = p // the hit as retrieved
		w := p
		w.Text, w.Start, w.End = all[lo].Text, all[lo].Start, all[lo].End
		for _, q := range all[lo+1 : hi+1] {
			w.Text = joinSpans(w.Text, w.End, q)
			w.End = max(w.End, q.End)
		}
		out[i] = w
	}
	return out
}

// joinSpans appends passage q to text, which ends at byte end of the
// article: where q overlaps it (chunks may share a sentence), only the new
// part is added.
func joinSpans(text string, end int, q attache.Passage) string {
	if q.Start < end && end <= q.End && len(q.Text) == q.End-q.Start {
		return text + q.Text[end-q.Start:]
	}
	return text + "\n\n" + q.Text
}

// applyCheck runs the citation check on a model's text and fills ans.
func (s *Service) applyCheck(text string, sent []attache.Passage, ans *attache.Answer) {
	res := CheckCitations(text, sent, s.Options.Unsupported)
	ans.Text = strings.TrimSpace(res.Text)
	ans.Citations = []attache.Citation{}
	for _, n := range res.Cited {
		ans.Citations = append(ans.Citations, attache.CitationFor(n, sent[n-1]))
	}
	if len(res.Invalid) > 0 {
		ans.Warnings = append(ans.Warnings, fmt.Sprintf("removed citations to sources that were not given: %s", joinInts(res.Invalid)))
	}
	ans.Unsupported = append(ans.Unsupported, res.Unsupported...)
	if n := len(res.Unsupported); n > 0 {
		verb := "flagged"
		if s.Options.Unsupported == PolicyDrop {
			verb = "removed"
		}
		ans.Warnings = append(ans.Warnings, fmt.Sprintf("%d %s not supported by the cited sources (%s)", n, plural(n, "sentence is", "sentences are"), verb))
	}
	supported := 0
	for _, sc := range res.Sentences {
		if sc.Supported && len(sc.Cites) > 0 {
			supported++
		}
	}
	ans.Answered = supported > 0 && len(ans.Citations) > 0
	if !ans.Answered && len(res.Cited) > 0 {
		ans.Warnings = append(ans.Warnings, WarnNoSupport)
	}
}

// condense turns a follow-up into a standalone query, and a question in
// another language into an English one: with the model when there is one,
// by heuristic otherwise or when the model fails.
func (s *Service) condense(ctx context.Context, question string, history []attache.Turn, ans *attache.Answer) string {
	if s.Generator != nil {
		gen, err := s.Generator.Generate(ctx, CondenseMessages(question, history), nil)
		ans.Usage = ans.Usage.Add(gen.Usage)
		if err == nil {
			q := strings.TrimSpace(strings.Trim(strings.TrimSpace(gen.Text), `"`))
			if q != "" && len(q) < 1000 {
				// Keep the heuristic's names too: a model that drops a
				// country costs recall; an extra word costs little.
				return CondenseHeuristic(q, history)
			}
		} else {
			s.logger().Debug("condense with model failed; using heuristic", "err", err)
		}
	}
	return CondenseHeuristic(question, history)
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) k() int {
	if s.Options.K > 0 {
		return s.Options.K
	}
	return DefaultK
}

func (s *Service) maxSentences() int {
	if s.Options.MaxSentences > 0 {
		return s.Options.MaxSentences
	}
	return DefaultMaxSentences
}

// budget is the prompt budget in tokens: the context window minus the reply.
func (s *Service) budget() int {
	ctxTok, reply := s.Options.ContextTokens, s.Options.MaxTokens
	if ctxTok <= 0 {
		ctxTok = DefaultContextTokens
	}
	if reply <= 0 {
		reply = DefaultMaxTokens
	}
	return max(ctxTok-reply, 256)
}

func (s *Service) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// relevant returns the hits that mention the country or agency the
// question is about (all of them when none lacks it), and whether the best
// of them clears the refusal threshold: whether the knowledge base covers
// the question at all.
func (s *Service) relevant(hits []attache.Hit) ([]attache.Hit, bool) {
	minCov := s.Options.MinCoverage
	if minCov <= 0 {
		minCov = DefaultMinCoverage
	}
	out := make([]attache.Hit, 0, len(hits))
	best := 0.0
	for _, h := range hits {
		if h.Lacks == "" {
			out = append(out, h)
			best = max(best, h.Coverage)
		}
	}
	return out, len(out) > 0 && best >= minCov
}

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = fmt.Sprintf("[%d]", n)
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
