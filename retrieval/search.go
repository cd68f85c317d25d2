package retrieval

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sort"
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
	// SameMeaning is the similarity from which a passage's word counts as
	// a question's word said otherwise in the Coverage and Focus of the
	// hits returned (0 = DefaultSameMeaning, negative = words as written
	// only).
	SameMeaning float64

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
	asked := askedBy(res.Query, question)
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
	p := queryPlan{base: q, filter: o.Dates, named: when.Range != (attache.DateRange{}), dated: when.YearWritten(), k: k,
		anchor: titleAnchor(all, df), phrases: titledPhrases(text, df), relax: relaxations(requireGroups(all, df, total)),
		cheap: func(g [][]string) bool { return conjunctionSize(g, df) <= maxConjunction }, cut: scanCut(send, df)}
	if p.relax != nil {
		p.pairs = pairGroups(p.relax[0], df)
	}
	if window != (attache.DateRange{}) {
		// The explicit filter, if any, still applies.
		p.window = intersect(o.Dates, window)
		if m := mentionedMonth(text); kind != windowMention && m != (attache.DateRange{}) && !within(m, p.window) {
			p.described = intersect(o.Dates, m)
		}
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
	if wide := p.wide(lists); len(wide) > 0 {
		results, err := s.searchAll(ctx, wide)
		if err != nil {
			return res, nil, fmt.Errorf("search: %w", err)
		}
		lists = append(lists, results...)
	}
	if p.named && oneDay(p.window) {
		// A question naming a day is about the few articles of that day:
		// each of their passages is a candidate, however few of the
		// question's words it writes ("Which two Nordic leaders did Biden
		// speak with on May 13, 2022?" of a readout naming Finland and
		// Sweden).
		day, err := s.dayPassages(ctx, p.window, o.Sources, all, q.K)
		if err != nil {
			return res, nil, fmt.Errorf("search: %w", err)
		}
		if len(day) > 0 {
			lists = append(lists, day)
		}
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
	rc := &rankContext{terms: all, focus: focusTerms(all, focusOf(all, typeWords)), names: questionNames(text, df, total),
		pairs: questionPairs(text), window: window, windowKind: kind, latest: when.Latest, asked: asked,
		weights: s.Weights, explain: o.Explain, storeScores: s.Semantic != nil}
	scored, scoredWords := score(hits, s.passageWords, rc)
	res.Hits = pick(scored, scoredWords, k, maxPer)
	for i := range res.Hits {
		s.inOtherWords(&res.Hits[i], rc)
	}
	if t := subjectName(all, total); t != nil {
		for i := range res.Hits {
			if pw := s.passageWords(res.Hits[i]); !pw.has(t) {
				res.Hits[i].Lacks = nameOf(t)
			}
		}
	}
	if err := s.peopleInArticle(ctx, res.Hits, rc.names); err != nil {
		return res, nil, fmt.Errorf("search: %w", err)
	}
	return res, scored, nil
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

// peopleInArticle takes off a hit's Missing the people another passage of
// its article names: an article names a person in full once ("Prime
// Minister Kishida Fumio", "President Andrés Manuel López Obrador") and
// then by title ("the Prime Minister", "the two leaders"). Countries,
// agencies and organisations are not taken off: a passage that does not
// name them is about something else more often than not. Only the best
// hit's article is read (one store read at most): the article a question
// is about comes first.
func (s *Searcher) peopleInArticle(ctx context.Context, hits []attache.Hit, names []questionName) error {
	var article []passageWords // the best hit's article's passages, read on first need
	for i := range hits {
		h := &hits[i]
		if h.DocID != hits[0].DocID {
			continue
		}
		var people []questionName
		for _, m := range h.Missing {
			for _, n := range names {
				if n.display == m && n.term == nil {
					people = append(people, n)
				}
			}
		}
		if len(people) == 0 {
			continue
		}
		if article == nil {
			ps, err := s.Store.Passages(ctx, h.DocID)
			if err != nil {
				return fmt.Errorf("passages of %s: %w", h.DocID, err)
			}
			article = make([]passageWords, 0, len(ps))
			for _, p := range ps {
				article = append(article, s.passageWords(attache.Hit{Passage: p}))
			}
		}
		named := map[string]bool{}
		for _, n := range people {
			for j := range article {
				if pw := &article[j]; n.in(pw, pw.body.title+"\n"+pw.body.text, "") {
					named[n.display] = true
					break
				}
			}
		}
		var kept []string
		for _, m := range h.Missing {
			if !named[m] {
				kept = append(kept, m)
			}
		}
		h.Missing = kept
	}
	return nil
}

// scanCut reports whether a store with the default scan bound leaves some of
// terms out of a disjunctive search: their passages together number more
// than DefaultMaxScan.
func scanCut(terms []Term, df map[string]int) bool {
	n := 0
	for _, t := range terms {
		n += df[t.Text]
	}
	return n > DefaultMaxScan
}

// maxDayArticles bounds the articles of a day whose passages are all
// candidates, a cost bound: one read of each article's passages. The
// large corpus's busiest days hold 14 to 20 releases (most hold 7).
const maxDayArticles = 25

// oneDay reports whether a range is a single day.
func oneDay(r attache.DateRange) bool {
	return r.Since != "" && r.Since == r.Until && len(r.Since) == len("2006-01-02")
}

// dayPassages returns the passages of the articles of one day, when there
// are at most maxDayArticles of them, ranked by BM25 against the
// question's concepts, at most k.
func (s *Searcher) dayPassages(ctx context.Context, day attache.DateRange, sources []string, terms []QueryTerm, k int) ([]attache.Hit, error) {
	docs, err := s.Store.Documents(ctx, DocFilter{Dates: day, Sources: sources, Limit: maxDayArticles + 1})
	if err != nil || len(docs) > maxDayArticles {
		return nil, err
	}
	var hits []attache.Hit
	for _, d := range docs {
		ps, err := s.Store.Passages(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			hits = append(hits, attache.Hit{Passage: p})
		}
	}
	byBM25(hits, s.passageWords, terms)
	if len(hits) > k {
		hits = hits[:k]
	}
	return hits, nil
}
