package retrieval

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"attache"
	"attache/internal/dates"
	"attache/internal/text"
)

// SearchOptions narrows one search.
type SearchOptions struct {
	K       int               // hits wanted (0 = the searcher's default)
	Dates   attache.DateRange // publication window, a hard filter
	Sources []string          // source names; empty = all
	// Explain fills each hit's Features with its relevance features.
	Explain bool
}

// Result is the outcome of a search: the weighted concepts the question
// became, the time expressions read in it, and the passages found, best first.
type Result struct {
	Query string            `json:"query"`
	Terms []QueryTerm       `json:"terms"`
	When  *dates.QueryDates `json:"when,omitempty"`
	Hits  []attache.Hit     `json:"hits"`
}

// Searcher turns questions into safe store queries, ranks and diversifies hits.
type Searcher struct {
	Store     Store
	K         int // default hits per search (0 = 5)
	MaxPerDoc int // passages per document in one result (0 = 2)
	Logger    *slog.Logger
	// Now is the clock for relative dates in questions ("last year"); nil = time.Now.
	Now func() time.Time
	// Semantic, when set, makes search hybrid: its neighbours are fused
	// with the keyword hits by reciprocal rank fusion.
	Semantic Semantic
	// Weights are the relevance model's weights; nil = DefaultWeights.
	Weights Weights

	wordsMu  sync.Mutex
	words    map[string]cachedWords // passage ID → its words, for re-ranking
	oldWords map[string]cachedWords // the previous generation of words
}

// cachedWords is a passage's words with the text they were read from, so a
// changed passage is never served stale words.
type cachedWords struct {
	title, text string
	pw          passageWords
}

// maxCachedPassages bounds the re-ranking cache (about 23 KB a passage):
// it keeps two generations of at most half as many each, the older dropped
// when the newer fills, so that passages still in use survive.
const maxCachedPassages = 2048

// passageWords returns the words of a hit, from the cache when its text is
// unchanged: popular passages come back question after question.
func (s *Searcher) passageWords(h attache.Hit) passageWords {
	s.wordsMu.Lock()
	c, ok := s.words[h.ID]
	if !ok {
		if c, ok = s.oldWords[h.ID]; ok {
			s.keepWords(h.ID, c)
		}
	}
	s.wordsMu.Unlock()
	if ok && c.text == h.Text && c.title == h.Title && c.pw.date == h.Date {
		return c.pw
	}
	pw := newPassageWords(h.Title, h.Date, h.Text)
	pw.stems()
	pw.title.stems() // cached words are shared: count them before
	s.wordsMu.Lock()
	s.keepWords(h.ID, cachedWords{title: h.Title, text: h.Text, pw: pw})
	s.wordsMu.Unlock()
	return pw
}

// keepWords adds a passage's words to the newer generation of the cache;
// s.wordsMu is held.
func (s *Searcher) keepWords(id string, c cachedWords) {
	if s.words == nil || len(s.words) >= maxCachedPassages/2 {
		s.oldWords, s.words = s.words, make(map[string]cachedWords)
	}
	s.words[id] = c
}

// nearDupShare is the word overlap above which two passages are the same
// statement (published twice): only the better is kept.
const nearDupShare = 0.85

// Search runs a question against the store. User text is only ever split
// into words; it never reaches the store as query syntax, so any input gives
// results or none, never a syntax error.
//
// Time expressions in the question ("in February 2010", "since March 2022",
// "latest") are read: the word queries run inside the range and its passages
// are favoured by the relevance model's date features, so the right month
// wins among many similar statements; the
// query for articles titled with the question's country still runs over all
// dates, so an article that reports the event later is not hidden. A month
// named as a description ("their October 2021 call") is searched both inside
// and outside its window.
func (s *Searcher) Search(ctx context.Context, question string, o SearchOptions) (Result, error) {
	res, _, err := s.search(ctx, question, o)
	return res, err
}

// Candidates returns every passage that re-ranking scored for a question,
// best first, each with its relevance features, before near-duplicates are
// collapsed and passages per document bounded: what the weights of the
// relevance model are fitted on. o.K is the number of hits the searcher
// would return, which decides how many candidates it fetches.
func (s *Searcher) Candidates(ctx context.Context, question string, o SearchOptions) ([]attache.Hit, error) {
	o.Explain = true
	_, scored, err := s.search(ctx, question, o)
	return scored, err
}

// search runs a question and returns the result and every scored
// candidate.
func (s *Searcher) search(ctx context.Context, question string, o SearchOptions) (Result, []attache.Hit, error) {
	res := Result{Query: question}
	question = text.EnglishQuery(question) // the articles are English
	k := o.K
	if k <= 0 {
		k = s.K
	}
	if k <= 0 {
		k = DefaultK
	}
	maxPer := s.MaxPerDoc
	if maxPer <= 0 {
		maxPer = DefaultMaxPerDoc
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	when := dates.QueryRange(question, now())
	// The words that say what kind of detail is asked for ("what day")
	// are the question's form, not its focus.
	typeWords := text.TypeWords(question)
	text := question
	if len(when.Found) > 0 {
		res.When = &when
		text = when.Cleaned
	}
	words, salient := candidates(text)
	if len(words) == 0 {
		return res, nil, nil
	}
	concepts, lookup := concepts(words, salient)
	df, total, err := s.Store.DocFreq(ctx, lookup)
	if err != nil {
		return res, nil, fmt.Errorf("search: %w", err)
	}
	all, send := weightTerms(concepts, df, total)
	res.Terms = all
	if len(send) == 0 {
		return res, nil, nil
	}
	// Each store query returns a few times the hits wanted, so that
	// re-ranking has candidates to choose from (a cost bound).
	q := Query{Terms: send, K: max(4*k, 20), Dates: o.Dates, Sources: o.Sources}
	window, kind := when.Range, windowKind(when.Range)
	if window == (attache.DateRange{}) {
		// A date used as a description ("the August 2021 earthquake",
		// "their October 2021 call") is no filter: an article may report
		// the event later. It still says when: its month is searched too,
		// and its passages are favoured by a feature of their own.
		window, kind = mentionedMonth(text), windowMention
	}
	p := queryPlan{base: q, filter: o.Dates, named: when.Range != (attache.DateRange{}), k: k,
		anchor: titleAnchor(all, df), relax: relaxations(requireGroups(all, df, total)),
		cheap: func(g [][]string) bool { return conjunctionSize(g, df) <= maxConjunction }}
	if window != (attache.DateRange{}) {
		// The explicit filter, if any, still applies.
		p.window = intersect(o.Dates, window)
	} else {
		kind = windowNone
	}
	first := p.first()
	lists, err := s.searchAll(ctx, first)
	if err != nil {
		return res, nil, fmt.Errorf("search: %w", err)
	}
	if second := p.second(first, lists); len(second) > 0 {
		results, err := s.searchAll(ctx, second)
		if err != nil {
			return res, nil, fmt.Errorf("search: %w", err)
		}
		lists = append(lists, results...)
	}
	// Re-ranking reads every candidate's words: keep the best few of each
	// query. Scores of different queries are not comparable (a query of
	// more words scores higher), so the lists are interleaved by rank: the
	// best passage of a narrow, date-filtered query is never crowded out by
	// the tenth of a broad one.
	hits := interleave(lists, maxCandidates)
	if s.Semantic != nil {
		// The keyword side of the fusion is ranked by the whole question,
		// as re-ranking would rank it.
		byBM25(hits, s.passageWords, all)
		if hits, err = s.fuse(ctx, text, hits, q.K, o.Dates, o.Sources); err != nil {
			return res, nil, fmt.Errorf("search: %w", err)
		}
	}
	rc := &rankContext{terms: all, focus: focusOf(all, typeWords), names: questionNames(text, df, total),
		pairs: questionPairs(text), window: window, windowKind: kind, latest: when.Latest,
		weights: s.Weights, explain: o.Explain, storeScores: s.Semantic != nil}
	scored, scoredWords := score(hits, s.passageWords, rc)
	res.Hits = pick(scored, scoredWords, k, maxPer)
	if t := subjectName(all, total); t != nil {
		for i := range res.Hits {
			if pw := s.passageWords(res.Hits[i]); !pw.has(t) {
				res.Hits[i].Lacks = nameOf(t)
			}
		}
	}
	return res, scored, nil
}

// queryPlan decides the store queries of one question.
type queryPlan struct {
	base   Query             // the disjunction over the rarer words, with the caller's filters
	filter attache.DateRange // the caller's date filter
	window attache.DateRange // the question's time, within filter; zero when it names none
	named  bool              // the question names its time (not only as a description)
	k      int
	anchor []string     // the title-anchored query's words; nil when no country is named
	relax  [][][]string // the conjunction, then its all-but-one relaxations
	cheap  func([][]string) bool
}

// first returns the queries run at once, concurrently. Passages holding
// all of the question's concepts are found by a conjunctive query, cheap
// whatever the words' frequency; the disjunctive query, bounded to the
// rarer words, adds recall; a title-anchored query finds the articles about
// the question's country. All run again inside the question's time, if it
// names one. The store need not score conjunctive matches: re-ranking
// scores every candidate against the whole question.
func (p queryPlan) first() []Query {
	ranges := []attache.DateRange{p.filter}
	if p.window != (attache.DateRange{}) {
		ranges = append(ranges, p.window)
	}
	var out []Query
	for _, dr := range ranges {
		oq := p.base
		oq.Dates = dr
		// When the question names its time ("in February 2022"), the
		// word queries run inside it only: outside, they found nothing
		// the title-anchored query did not, at a third of the cost.
		wide := len(ranges) > 1 && dr == p.filter && p.named
		if !wide {
			out = append(out, oq)
		}
		if p.anchor != nil {
			// Articles whose title names the question's rarest country
			// (a readout "of Mexico"), ranked by the other words: their
			// passages may share no other word with the question.
			tq := oq
			tq.Title = [][]string{p.anchor}
			tq.Terms = without(oq.Terms, p.anchor)
			out = append(out, tq)
		}
		// A conjunction whose rarest concept is common matches too many
		// passages to be worth it, unless a time window narrows it.
		if len(p.relax) > 0 && !wide && (dr != p.filter || p.cheap(p.relax[0])) {
			out = append(out, Query{K: p.base.K, Dates: dr, Sources: p.base.Sources, Require: p.relax[0], Unranked: true})
		}
	}
	return out
}

// second returns the queries run after the first ones, given their
// results. Where the conjunction of every concept found fewer than k
// passages, each concept is dropped in turn (a paraphrase the article does
// not use must not hide it). Not when the question names a country: the
// title-anchored query finds those articles, and the relaxations found
// nothing more. When the question names a time, only inside its window:
// the unfiltered relaxations found nothing the windowed ones did not.
func (p queryPlan) second(first []Query, results [][]attache.Hit) []Query {
	if p.anchor != nil {
		return nil
	}
	var out []Query
	for i, r := range results {
		if first[i].Require == nil || len(r) >= p.k {
			continue
		}
		for _, g := range p.relax[1:] {
			if first[i].Dates != p.filter || (p.window == (attache.DateRange{}) && p.cheap(g)) {
				out = append(out, Query{K: p.base.K, Dates: first[i].Dates, Sources: p.base.Sources, Require: g, Unranked: true})
			}
		}
	}
	return out
}

// relaxations lists the conjunctive queries to try: all concepts, then all
// but one for each concept in turn (a paraphrase the article does not use
// must not hide it), when at least two remain.
func relaxations(req [][]string) [][][]string {
	if len(req) < 2 {
		return nil
	}
	out := [][][]string{req}
	if len(req) < 3 {
		return out
	}
	for i := range req {
		g := make([][]string, 0, len(req)-1)
		g = append(g, req[:i]...)
		g = append(g, req[i+1:]...)
		out = append(out, g)
	}
	return out
}

// without returns the terms that are not among words.
func without(terms []Term, words []string) []Term {
	out := make([]Term, 0, len(terms))
	for _, t := range terms {
		if !slices.Contains(words, t.Text) {
			out = append(out, t)
		}
	}
	return out
}

// subjectName returns the question's rarest country or agency when it is
// rare enough to be what the question is about (in at most requireShare of
// the passages: not "American" in an archive of American releases), or nil.
func subjectName(terms []QueryTerm, total int) *QueryTerm {
	var best *QueryTerm
	for i := range terms {
		t := &terms[i]
		if _, ok := text.NameGroup(t.Word); !ok || t.DF == 0 || float64(t.DF) > requireShare*float64(total) {
			continue
		}
		if best == nil || heavier(t, best) {
			best = t
		}
	}
	return best
}

// nameOf is the name a reader writes for the concept ("Suriname").
func nameOf(t *QueryTerm) string { return text.DisplayName(t.Word) }

// indexedForms returns, for each of a concept's forms (its word and its
// variants) that occurs in the index, the form's rarest word (a store is
// asked for words; a multi-word form is checked as adjacent words when
// re-ranking).
func indexedForms(t QueryTerm, df map[string]int) []string {
	var ws []string
	for _, form := range append([][]string{strings.Fields(t.Word)}, t.Variants...) {
		if w, f := phraseDF(form, df); f > 0 && !slices.Contains(ws, w) {
			ws = append(ws, w)
		}
	}
	return ws
}

// heavier orders concepts by weight, then by word, so that the question's
// word order never decides between two equally rare concepts.
func heavier(a, b *QueryTerm) bool {
	if a.Weight != b.Weight {
		return a.Weight > b.Weight
	}
	return a.Word < b.Word
}

// titleAnchor returns the words of the question's rarest name concept (a
// country with its demonym and capital, an agency) that occur in the index,
// or nil when it names none.
func titleAnchor(terms []QueryTerm, df map[string]int) []string {
	var best []string
	var bestTerm *QueryTerm
	for i := range terms {
		t := &terms[i]
		if _, ok := text.NameGroup(t.Word); !ok || bestTerm != nil && !heavier(t, bestTerm) {
			continue
		}
		if ws := indexedForms(*t, df); len(ws) > 0 {
			best, bestTerm = ws, t
		}
	}
	return best
}

// maxCandidates bounds the passages re-ranked, a cost bound: 16 per query
// with four queries, each read once and scored in microseconds when cached.
const maxCandidates = 64

// maxConjunction bounds the passages a conjunctive query may match, as
// estimated from its rarest concept; date-filtered queries are exempt (the
// filter keeps them small).
const maxConjunction = 4000

// conjunctionSize estimates the passages matching every group: at most those
// of the rarest group (the sum of its words' frequencies).
func conjunctionSize(groups [][]string, df map[string]int) int {
	size := -1
	for _, g := range groups {
		n := 0
		for _, w := range g {
			n += df[w]
		}
		if size < 0 || n < size {
			size = n
		}
	}
	return size
}

// requireShare: a concept found in more than this share of passages
// filters little and costs much in a conjunction (FTS5 steps through its
// passages one by one); re-ranking still counts it. A name that common is
// not what a question is about either (see subjectName).
const requireShare = 0.05

// maxRequire bounds the concepts of a conjunctive query.
const maxRequire = 6

// requireGroups lists the question's known concepts found in at most
// requireShare of the passages, rarest first, each as its word and one-word
// variants that occur in the index.
func requireGroups(terms []QueryTerm, df map[string]int, total int) [][]string {
	type group struct {
		words []string
		term  *QueryTerm
	}
	var gs []group
	for i := range terms {
		t := &terms[i]
		if ws := indexedForms(*t, df); len(ws) > 0 && float64(t.DF) <= requireShare*float64(total) {
			gs = append(gs, group{ws, t})
		}
	}
	sort.Slice(gs, func(i, j int) bool { return heavier(gs[i].term, gs[j].term) })
	if len(gs) > maxRequire {
		gs = gs[:maxRequire]
	}
	out := make([][]string, len(gs))
	for i, g := range gs {
		out[i] = g.words
	}
	return out
}

// searchAll runs store queries concurrently, on as many goroutines as
// there are cores, and returns their results in order.
func (s *Searcher) searchAll(ctx context.Context, qs []Query) ([][]attache.Hit, error) {
	out := make([][]attache.Hit, len(qs))
	errs := make([]error, len(qs))
	sem := make(chan struct{}, max(runtime.GOMAXPROCS(0), 1))
	var wg sync.WaitGroup
	for i, q := range qs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i], errs[i] = s.Store.Search(ctx, q)
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// intersect narrows an explicit range by a detected one.
func intersect(a, b attache.DateRange) attache.DateRange {
	out := a
	if b.Since != "" && (out.Since == "" || b.Since > out.Since) {
		out.Since = b.Since
	}
	if b.Until != "" && (out.Until == "" || b.Until < out.Until) {
		out.Until = b.Until
	}
	return out
}

// interleave takes the lists' hits rank by rank (every list's first, then
// every list's second…) until it holds limit distinct passages; a passage
// found by several lists keeps its highest score.
func interleave(lists [][]attache.Hit, limit int) []attache.Hit {
	var out []attache.Hit
	at := map[string]int{}
	for r := 0; ; r++ {
		more := false
		for _, l := range lists {
			if r >= len(l) {
				continue
			}
			more = true
			h := l[r]
			if i, ok := at[h.ID]; ok {
				out[i].Score = max(out[i].Score, h.Score)
				continue
			}
			if len(out) == limit {
				continue
			}
			at[h.ID] = len(out)
			out = append(out, h)
		}
		if !more {
			return out
		}
	}
}

// byBM25 sorts hits by their BM25 score against every concept of the
// question, best first.
func byBM25(hits []attache.Hit, wordsOf func(attache.Hit) passageWords, terms []QueryTerm) {
	words := make([]passageWords, len(hits))
	var avgLen float64
	for i := range hits {
		words[i] = wordsOf(hits[i])
		avgLen += float64(len(words[i].seq)) / float64(len(hits))
	}
	score := make(map[string]float64, len(hits))
	for i, h := range hits {
		score[h.ID] = bm25(terms, &words[i], avgLen)
	}
	sort.SliceStable(hits, func(i, j int) bool { return score[hits[i].ID] > score[hits[j].ID] })
}

// mentionedMonth returns the month of the first month-precise date the text
// names, resolved without a reference, as a range ("" when none).
func mentionedMonth(text string) attache.DateRange {
	for _, m := range dates.Find(text, "") {
		if len(m.Date) >= 7 {
			return attache.DateRange{Since: m.Date[:7], Until: m.Date[:7]}
		}
	}
	return attache.DateRange{}
}

// windowKind says how narrow a time window is: the narrower, the surer.
func windowKind(r attache.DateRange) int {
	if r.Since == "" || r.Until == "" {
		return windowRange
	}
	lo, err1 := time.Parse("2006-01-02", padDate(r.Since))
	hi, err2 := time.Parse("2006-01-02", padDate(r.Until))
	if err1 != nil || err2 != nil {
		return windowRange
	}
	switch days := hi.Sub(lo).Hours() / 24; {
	case days <= 62:
		return windowMonth
	case days <= 366:
		return windowYear
	}
	return windowRange
}

// withDate folds the date concept into a coverage: it weighs as the
// heaviest word of the question.
func withDate(cov float64, terms []QueryTerm, covered bool) float64 {
	var total, heaviest float64
	for _, t := range terms {
		total += t.Weight
		heaviest = max(heaviest, t.Weight)
	}
	if heaviest == 0 {
		heaviest = 1
	}
	got := cov * total
	if covered {
		got += heaviest
	}
	return got / (total + heaviest)
}

// mentionsYear reports whether a passage names a year of the window.
func mentionsYear(pw *passageWords, r attache.DateRange) bool {
	lo, hi := 1900, 2100
	if len(r.Since) >= 4 {
		fmt.Sscanf(r.Since[:4], "%d", &lo)
	}
	if len(r.Until) >= 4 {
		fmt.Sscanf(r.Until[:4], "%d", &hi)
	}
	if hi-lo > 10 {
		return false
	}
	for y := lo; y <= hi; y++ {
		if pw.contains(fmt.Sprint(y)) {
			return true
		}
	}
	return false
}

// recency is 1 for the newest date and falls to 0 over three years.
func recency(date, newest string) float64 {
	d, err1 := time.Parse("2006-01-02", padDate(date))
	n, err2 := time.Parse("2006-01-02", padDate(newest))
	if err1 != nil || err2 != nil {
		return 0
	}
	days := n.Sub(d).Hours() / 24
	return max(0, 1-days/(3*365))
}

func padDate(d string) string {
	switch len(d) {
	case 4:
		return d + "-01-01"
	case 7:
		return d + "-01"
	}
	return d
}

// duplicateOf reports whether passage i says nearly the same as a kept one.
func duplicateOf(words []passageWords, kept []int, i int) bool {
	for _, j := range kept {
		if jaccard(words[i].stems(), words[j].stems()) > nearDupShare {
			return true
		}
	}
	return false
}

func jaccard(a, b map[string]int) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for w := range a {
		if b[w] > 0 {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}
