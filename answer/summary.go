package answer

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"attache"
	"attache/internal/text"
)

// Library gives whole documents, for summaries and timelines.
type Library interface {
	// Document returns one document, or an error with code ENOTFOUND.
	Document(ctx context.Context, id string) (attache.Document, error)
	// Passages returns a document's passages in order.
	Passages(ctx context.Context, docID string) ([]attache.Passage, error)
	// Documents lists documents dated inside the range, newest first.
	Documents(ctx context.Context, dates attache.DateRange, limit int) ([]attache.Document, error)
}

// SummaryRequest says what to summarise: one document, a topic across
// articles, or the articles of a date range (optionally on a topic).
type SummaryRequest struct {
	DocID   string
	Topic   string
	Dates   attache.DateRange
	OnDelta func(string)
}

const (
	summaryTopicK     = 8  // passages retrieved for a topic summary
	summaryRangeDocs  = 12 // articles summarised for a date range
	summarySentences  = 5  // sentences in an extractive summary
	summaryPerArticle = 2  // passages per article of a date range
)

// Summarize writes a cited summary. With a model, material larger than the
// prompt budget is summarised in parts (map) whose partial summaries are then
// combined (reduce); every sentence of the result is checked against the
// passages it cites. Without a model, or when it fails, the summary is made
// of the lead and best-scoring sentences, each cited.
func (s *Service) Summarize(ctx context.Context, req SummaryRequest) (attache.Answer, error) {
	start := time.Now()
	title, material, err := s.summaryMaterial(ctx, req)
	ans := s.newAnswer(title)
	defer func() { ans.LatencyMS["total"] = time.Since(start).Milliseconds() }()
	ans.LatencyMS["retrieve"] = time.Since(start).Milliseconds()
	if err != nil {
		return ans, err
	}
	if len(material) == 0 {
		ans.Text = "No articles in the knowledge base match this request."
		return ans, nil
	}
	if s.Generator != nil {
		err := s.summarizeLLM(ctx, req, title, material, &ans)
		if err == nil {
			return ans, nil
		}
		if ctx.Err() != nil {
			return ans, fmt.Errorf("summarize: %w", ctx.Err())
		}
		s.logger().Warn("language model failed; summarising extractively", "err", err)
		ans.Warnings = append(ans.Warnings, ModelUnavailable(text.Language(req.Topic)))
		ans.Fallback = true
		ans.Mode, ans.Model = attache.ModeExtractive, ""
	}
	ans.Text, ans.Citations = extractiveSummary(req, material)
	ans.Answered = len(ans.Citations) > 0
	return ans, nil
}

// summaryMaterial gathers the passages to summarise and a short description
// of the request.
func (s *Service) summaryMaterial(ctx context.Context, req SummaryRequest) (string, []attache.Passage, error) {
	topic := strings.TrimSpace(req.Topic)
	switch {
	case req.DocID != "":
		if s.Library == nil {
			return "", nil, attache.Errorf(attache.EINVALID, "document summaries are not available")
		}
		doc, err := s.Library.Document(ctx, req.DocID)
		if err != nil {
			return "", nil, fmt.Errorf("summarize %s: %w", req.DocID, err)
		}
		ps, err := s.Library.Passages(ctx, doc.ID)
		if err != nil {
			return "", nil, fmt.Errorf("summarize %s: %w", req.DocID, err)
		}
		return "Summary of “" + doc.Title + "”", ps, nil
	case topic != "":
		hits, err := s.Retrieve(ctx, topic, summaryTopicK, req.Dates)
		if err != nil {
			return "", nil, fmt.Errorf("summarize: %w", err)
		}
		hits, ok := s.relevant(hits)
		if !ok {
			return "Summary of " + topic, nil, nil
		}
		ps := make([]attache.Passage, len(hits))
		for i, h := range hits {
			ps[i] = h.Passage
		}
		return "Summary of " + topic + rangeLabel(req.Dates), ps, nil
	case req.Dates.Since != "" || req.Dates.Until != "":
		if s.Library == nil {
			return "", nil, attache.Errorf(attache.EINVALID, "date summaries are not available")
		}
		docs, err := s.Library.Documents(ctx, req.Dates, summaryRangeDocs)
		if err != nil {
			return "", nil, fmt.Errorf("summarize: %w", err)
		}
		var ps []attache.Passage
		// Oldest first, so the summary reads in order.
		for i := len(docs) - 1; i >= 0; i-- {
			dps, err := s.Library.Passages(ctx, docs[i].ID)
			if err != nil {
				return "", nil, fmt.Errorf("summarize: %w", err)
			}
			ps = append(ps, dps[:min(len(dps), summaryPerArticle)]...)
		}
		return "Summary of the articles" + rangeLabel(req.Dates), ps, nil
	}
	return "", nil, attache.Errorf(attache.EINVALID, "say what to summarise: a document, a topic or a date range")
}

func rangeLabel(r attache.DateRange) string {
	switch {
	case r.Since != "" && r.Until != "":
		return " from " + r.Since + " to " + r.Until
	case r.Since != "":
		return " since " + r.Since
	case r.Until != "":
		return " until " + r.Until
	}
	return ""
}

func summaryInstruction(title string) string {
	return "Write a summary (" + title + ") of the sources in a short paragraph or a few bullet points: the main facts, who did what, and when. Cite every sentence."
}

// summarizeLLM summarises with the model, in parts when the material does not
// fit the prompt budget.
func (s *Service) summarizeLLM(ctx context.Context, req SummaryRequest, title string, material []attache.Passage, ans *attache.Answer) error {
	instr := summaryInstruction(title)
	budget := s.budget()
	groups := splitBudget(instr, material, budget)
	t := time.Now()
	var final string
	if len(groups) == 1 {
		msgs, sent := BuildMessages(instr, nil, groups[0], budget)
		gen, err := s.Generator.Generate(ctx, msgs, req.OnDelta)
		ans.Usage = ans.Usage.Add(gen.Usage)
		if err != nil {
			return err
		}
		material, final = sent, gen.Text
	} else {
		// Map: summarise each part; renumber its citations to the global list.
		var partials []string
		offset := 0
		var all []attache.Passage
		for _, g := range groups {
			msgs, sent := BuildMessages(instr, nil, g, budget)
			gen, err := s.Generator.Generate(ctx, msgs, nil)
			ans.Usage = ans.Usage.Add(gen.Usage)
			if err != nil {
				return err
			}
			partials = append(partials, renumber(gen.Text, offset, len(sent)))
			all = append(all, sent...)
			offset += len(sent)
		}
		// Reduce: combine the partial summaries, keeping their markers.
		gen, err := s.Generator.Generate(ctx, reduceMessages(title, partials), req.OnDelta)
		ans.Usage = ans.Usage.Add(gen.Usage)
		if err != nil {
			return err
		}
		material, final = all, gen.Text
	}
	ans.LatencyMS["generate"] = time.Since(t).Milliseconds()
	t = time.Now()
	s.applyCheck(final, material, ans)
	ans.LatencyMS["check"] = time.Since(t).Milliseconds()
	return nil
}

// splitBudget cuts the material into groups whose prompt fits the budget.
func splitBudget(instr string, material []attache.Passage, budget int) [][]attache.Passage {
	base := EstimateTokens(SystemPrompt()) + EstimateTokens(instr) + 64
	var groups [][]attache.Passage
	var cur []attache.Passage
	used := base
	for _, p := range material {
		cost := EstimateTokens(p.Title) + EstimateTokens(p.Text) + 16
		if len(cur) > 0 && used+cost > budget {
			groups = append(groups, cur)
			cur, used = nil, base
		}
		cur = append(cur, p)
		used += cost
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	return groups
}

// renumber shifts the citation markers of a partial summary by offset,
// dropping markers beyond the part's n sources.
func renumber(s string, offset, n int) string {
	var b strings.Builder
	last := 0
	for _, m := range ParseMarkers(s) {
		b.WriteString(s[last:m.Start])
		for _, k := range m.Ns {
			if k >= 1 && k <= n {
				fmt.Fprintf(&b, "[%d]", k+offset)
			}
		}
		last = m.End
	}
	b.WriteString(s[last:])
	return b.String()
}

func reduceMessages(title string, partials []string) []Message {
	var b strings.Builder
	b.WriteString("Below are partial summaries of different groups of sources, with their citation markers.\n")
	b.WriteString(SourcesOpen + "\n")
	for i, p := range partials {
		fmt.Fprintf(&b, "Part %d:\n%s\n\n", i+1, neutralise(strings.TrimSpace(p)))
	}
	b.WriteString(SourcesClose + "\n\n")
	b.WriteString("Combine them into one summary (" + title + "), removing repetition. Keep every citation marker such as [3] attached to the sentence it supports; do not invent new numbers.")
	return []Message{{Role: "system", Content: SystemPrompt()}, {Role: "user", Content: b.String()}}
}

// composer numbers the passages quoted in an extractive text by first use.
type composer struct {
	num   map[string]int
	cites []attache.Citation
	parts []string
}

func (c *composer) add(p attache.Passage, sentence string) {
	if c.num == nil {
		c.num = map[string]int{}
	}
	n, ok := c.num[p.ID]
	if !ok {
		n = len(c.cites) + 1
		c.num[p.ID] = n
		c.cites = append(c.cites, attache.CitationFor(n, p))
	}
	c.parts = append(c.parts, fmt.Sprintf("%s [%d]", sentence, n))
}

// extractiveSummary picks cited sentences without a model.
func extractiveSummary(req SummaryRequest, material []attache.Passage) (string, []attache.Citation) {
	var c composer
	switch {
	case req.DocID != "":
		for _, ps := range centralSentences(material, summarySentences) {
			c.add(ps.p, ps.s)
		}
	case strings.TrimSpace(req.Topic) != "":
		hits := make([]attache.Hit, len(material))
		for i, p := range material {
			hits[i] = attache.Hit{Passage: p, Rank: i + 1, Coverage: 1}
		}
		return Extract(req.Topic, hits, summarySentences)
	default:
		// One lead sentence per article, oldest first.
		seen := map[string]bool{}
		for _, p := range material {
			if seen[p.DocID] {
				continue
			}
			if s := leadSentence(p.Text); s != "" {
				seen[p.DocID] = true
				c.add(p, s)
			}
		}
	}
	return strings.Join(c.parts, " "), c.cites
}

type placedSentence struct {
	p   attache.Passage
	s   string
	pos int
}

// centralSentences returns the lead sentence and the sentences whose words
// recur most across the document, in document order.
func centralSentences(ps []attache.Passage, n int) []placedSentence {
	freq := map[string]int{}
	var all []placedSentence
	seen := map[string]bool{}
	for _, p := range ps {
		for _, sp := range text.Sentences(p.Text) {
			s := p.Text[sp.Start:sp.End]
			key := strings.Join(text.Words(s), " ")
			if seen[key] || !isProse(s) {
				continue
			}
			seen[key] = true
			all = append(all, placedSentence{p: p, s: s, pos: len(all)})
			for st := range text.StemSet(text.ContentWords(s)) {
				freq[st]++
			}
		}
	}
	if len(all) == 0 {
		return nil
	}
	type scored struct {
		placedSentence
		score float64
	}
	var cands []scored
	for i, ps := range all {
		words := text.ContentWords(ps.s)
		sum := 0.0
		for st := range text.StemSet(words) {
			sum += float64(freq[st] - 1)
		}
		score := sum / float64(len(words)+5)
		if i == 0 {
			score += 1e6 // the lead always opens the summary
		}
		cands = append(cands, scored{ps, score})
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	out := make([]placedSentence, 0, n)
	for _, c := range cands[:min(n, len(cands))] {
		out = append(out, c.placedSentence)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].pos < out[j].pos })
	return out
}

// leadSentence is the first prose sentence of a text.
func leadSentence(s string) string {
	for _, sp := range text.Sentences(s) {
		if sent := s[sp.Start:sp.End]; isProse(sent) {
			return sent
		}
	}
	return ""
}
