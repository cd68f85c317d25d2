package answer

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"attache"
	"attache/internal/dates"
	"attache/internal/text"
)

// Event is one dated entry of a timeline; N is its citation.
type Event struct {
	Date string `json:"date"`
	Text string `json:"text"`
	N    int    `json:"n"`
}

// Timeline is an answer whose body is a chronological list of events.
type Timeline struct {
	attache.Answer
	Events []Event `json:"events"`
}

// TimelineRequest names the topic and an optional date window.
type TimelineRequest struct {
	Topic string
	Dates attache.DateRange
}

const (
	timelineK         = 20 // passages retrieved
	timelineMaxEvents = 15
)

// candidateEvent is a dated sentence found in a retrieved passage.
type candidateEvent struct {
	date    string
	text    string
	p       attache.Passage
	rank    int
	matched int
}

// Timeline lists dated events on a topic in chronological order, each with
// its citation. Dates come from date expressions in the sentence, resolved
// against the article's date ("on February 19th" in an article of February
// 2010 is 2010-02-19), or else from the article's date. With a model the
// events are rewritten concisely and checked like any answer; the extracted
// events are used when the model is absent or fails.
func (s *Service) Timeline(ctx context.Context, req TimelineRequest) (Timeline, error) {
	start := time.Now()
	topic := strings.TrimSpace(req.Topic)
	tl := Timeline{Answer: s.newAnswer("Timeline of " + topic), Events: []Event{}}
	defer func() { tl.LatencyMS["total"] = time.Since(start).Milliseconds() }()
	if topic == "" {
		return tl, attache.Errorf(attache.EINVALID, "the timeline topic is empty")
	}
	hits, err := s.Retrieve(ctx, topic, timelineK, req.Dates)
	tl.LatencyMS["retrieve"] = time.Since(start).Milliseconds()
	if err != nil {
		return tl, fmt.Errorf("timeline: %w", err)
	}
	about, ok := s.relevant(hits)
	if !ok {
		tl.Text = refusal(text.Language(topic), hits, missingEverywhere(hits))
		return tl, nil
	}
	cands := timelineCandidates(topic, about, req.Dates)
	if len(cands) == 0 {
		tl.Text = "No dated events on this topic were found in the knowledge base."
		return tl, nil
	}
	if s.Generator != nil {
		err := s.timelineLLM(ctx, topic, cands, &tl)
		if err == nil {
			return tl, nil
		}
		if ctx.Err() != nil {
			return tl, fmt.Errorf("timeline: %w", ctx.Err())
		}
		s.logger().Warn("language model failed; listing extracted events", "err", err)
		tl.Warnings = append(tl.Warnings, ModelUnavailable(text.Language(topic)))
		tl.Fallback = true
		tl.Mode, tl.Model = attache.ModeExtractive, ""
	}
	var c composer
	for _, e := range cands {
		c.add(e.p, e.text)
		n := c.num[e.p.ID]
		tl.Events = append(tl.Events, Event{Date: e.date, Text: e.text, N: n})
	}
	tl.Citations = c.cites
	tl.Text = renderEvents(tl.Events)
	tl.Answered = true
	return tl, nil
}

// timelineCandidates extracts dated, on-topic sentences, oldest first.
func timelineCandidates(topic string, hits []attache.Hit, window attache.DateRange) []candidateEvent {
	tstems := text.StemSet(text.ContentWords(topic))
	need := max(1, (len(tstems)+1)/2)
	seen := map[string]bool{}
	var out []candidateEvent
	for _, h := range hits {
		for _, sp := range text.Sentences(h.Text) {
			s := strings.TrimSpace(h.Text[sp.Start:sp.End])
			if !isProse(s) {
				continue
			}
			m := 0
			for st := range text.StemSet(text.ContentWords(s)) {
				if tstems[st] {
					m++
				}
			}
			if m < need {
				continue
			}
			d := dates.SentenceDate(s, h.Date)
			if d == "" {
				d = h.Date
			}
			if d == "" || !window.Contains(d) {
				continue
			}
			key := strings.Join(text.Words(s), " ")
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, candidateEvent{date: d, text: s, p: h.Passage, rank: h.Rank, matched: m})
		}
	}
	// Keep the best-matching events, then put them in date order.
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].matched != out[j].matched {
			return out[i].matched > out[j].matched
		}
		return out[i].rank < out[j].rank
	})
	out = out[:min(len(out), timelineMaxEvents)]
	sort.SliceStable(out, func(i, j int) bool { return out[i].date < out[j].date })
	return out
}

func renderEvents(events []Event) string {
	var b strings.Builder
	for i, e := range events {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "- %s — %s [%d]", e.Date, e.Text, e.N)
	}
	return b.String()
}

var eventLine = regexp.MustCompile(`^\s*(?:[-*•]\s*)?(\d{4}(?:-\d{2}(?:-\d{2})?)?)\s*[—–:-]+\s*(.+)$`)

// timelineLLM asks the model to state each event concisely, then keeps the
// lines that are dated and pass the citation check.
func (s *Service) timelineLLM(ctx context.Context, topic string, cands []candidateEvent, tl *Timeline) error {
	var sent []attache.Passage
	idx := map[string]int{}
	var hints []string
	for _, c := range cands {
		if _, ok := idx[c.p.ID]; !ok {
			idx[c.p.ID] = len(sent) + 1
			sent = append(sent, c.p)
		}
		hints = append(hints, fmt.Sprintf("%s [%d]", c.date, idx[c.p.ID]))
	}
	instr := "List the dated events about " + topic + " found in the sources, in chronological order, one per line, as `YYYY-MM-DD — what happened [n]` (use YYYY-MM or YYYY when the day or month is not known). " +
		"Use only the sources; take dates from the text, resolved against the article's date. Dated sentences were found at: " + strings.Join(hints, ", ") + "."
	msgs, sent := BuildMessages(instr, nil, sent, s.budget())
	t := time.Now()
	gen, err := s.Generator.Generate(ctx, msgs, nil)
	tl.LatencyMS["generate"] = time.Since(t).Milliseconds()
	tl.Usage = tl.Usage.Add(gen.Usage)
	if err != nil {
		return err
	}
	var lines []string
	var evs []Event
	for _, line := range strings.Split(gen.Text, "\n") {
		m := eventLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		lines = append(lines, m[2])
		evs = append(evs, Event{Date: m[1], Text: m[2]})
	}
	if len(evs) == 0 {
		return fmt.Errorf("timeline: the model returned no dated lines")
	}
	// Check each event as its own sentence group.
	t = time.Now()
	var kept []Event
	cited := map[int]bool{}
	for i, e := range evs {
		res := CheckCitations(lines[i], sent, s.Options.Unsupported)
		ok := len(res.Cited) > 0 && len(res.Unsupported) == 0
		if !ok {
			tl.Unsupported = append(tl.Unsupported, e.Text)
			if s.Options.Unsupported == PolicyDrop || len(res.Cited) == 0 {
				continue
			}
		}
		text := strings.TrimSpace(res.Text)
		for _, n := range res.Cited {
			cited[n] = true
		}
		// The event's citation is its first valid marker.
		e.N = res.Cited[0]
		e.Text = strings.TrimSpace(stripAllMarkers(text))
		kept = append(kept, e)
	}
	tl.LatencyMS["check"] = time.Since(t).Milliseconds()
	if len(kept) == 0 {
		return fmt.Errorf("timeline: no event of the model passed the citation check")
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].Date < kept[j].Date })
	if n := len(tl.Unsupported); n > 0 {
		tl.Warnings = append(tl.Warnings, fmt.Sprintf("%d %s not supported by the cited sources", n, plural(n, "event is", "events are")))
	}
	for n := 1; n <= len(sent); n++ {
		if cited[n] {
			tl.Citations = append(tl.Citations, attache.CitationFor(n, sent[n-1]))
		}
	}
	tl.Events = kept
	tl.Text = renderEvents(kept)
	tl.Answered = true
	return nil
}

// stripAllMarkers removes citation markers from s and tidies its spaces.
func stripAllMarkers(s string) string {
	return strings.Join(strings.Fields(removeMarkers(s)), " ")
}
