package retrieval

import (
	"slices"
	"sort"
	"strings"

	"attache"
	"attache/internal/text"
)

// queryPlan decides the store queries of one question.
type queryPlan struct {
	base   Query             // the disjunction over the rarer words, with the caller's filters
	filter attache.DateRange // the caller's date filter
	window attache.DateRange // the question's time, within filter; zero when it names none
	// described is the month of a date the question uses as a description
	// besides the time it names ("in 2020, according to the *May 2021*
	// fact sheet"), within filter; zero when there is none.
	described attache.DateRange
	named     bool // the question names its time (not only as a description)
	dated     bool // it names it with its year ("in 2024", not "last week")
	k         int
	anchor    []string     // the title-anchored query's words; nil when no country is named
	phrases   [][]string   // the words of the question's titled phrases (titledPhrases)
	relax     [][][]string // the conjunction, then its all-but-one relaxations
	cheap     func([][]string) bool
	cut       bool       // the store leaves some of base's words out (see DefaultMaxScan)
	pairs     [][]string // the concepts of the two-of query (pairGroups)
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
	if p.described != (attache.DateRange{}) {
		// The article the question describes may be of another time
		// than the one it asks about: it is searched for too.
		ranges = append(ranges, p.described)
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
		for _, phrase := range p.phrases {
			if wide {
				break
			}
			// The passages of the few articles whose title holds every
			// word of a titled phrase of the question ("A Proclamation on
			// National Manufacturing Day"); none when many titles do
			// ("Remarks by Vice President Harris"): the phrase then
			// singles out nothing, and scoring them all would cost much.
			groups := make([][]string, len(phrase))
			for i, w := range phrase {
				groups[i] = []string{w}
			}
			out = append(out, Query{K: p.base.K, Dates: dr, Sources: p.base.Sources, Require: groups, Title: groups, Unranked: true, Selective: true})
		}
		// A conjunction whose rarest concept is common matches too many
		// passages to be worth it, unless a time window narrows it.
		if len(p.relax) > 0 && !wide && (dr != p.filter || p.cheap(p.relax[0])) {
			out = append(out, Query{K: p.base.K, Dates: dr, Sources: p.base.Sources, Require: p.relax[0], Unranked: true})
		}
		// When the store leaves the common words out of the disjunction,
		// a passage holding several of the question's concepts, none of
		// them its rarest word, is found by none of the above unless it
		// holds all or all but one: any two of them single it out, as
		// cheaply as a conjunction.
		if p.cut && len(p.pairs) > 2 && !wide {
			out = append(out, Query{K: p.base.K, Dates: dr, Sources: p.base.Sources, Require: p.pairs, AtLeast: 2, Unranked: true})
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
		if first[i].Require == nil || first[i].Selective || first[i].AtLeast > 0 || len(r) >= p.k {
			continue // only the conjunction of the question's concepts is relaxed, not a selective or looser one
		}
		for _, g := range p.relax[1:] {
			if first[i].Dates != p.filter || (p.window == (attache.DateRange{}) && p.cheap(g)) {
				out = append(out, Query{K: p.base.K, Dates: first[i].Dates, Sources: p.base.Sources, Require: g, Unranked: true})
			}
		}
	}
	return out
}

// wide returns the word query outside the time the question names with
// its year, when the queries inside it found fewer than k passages: an
// article of another time may report the event before or after it ("the
// 2024 APEC host" in a statement of 2022), and a small folder may hold no
// article of that time at all. The answerability decision still asks the
// passage to speak of that year. A time relative to today ("last week") is
// not widened: nothing could check that an older article speaks of it.
func (p queryPlan) wide(results [][]attache.Hit) []Query {
	if !p.dated || p.window == (attache.DateRange{}) {
		return nil
	}
	seen := map[string]bool{}
	for _, r := range results {
		for _, h := range r {
			seen[h.ID] = true
		}
	}
	if len(seen) >= p.k {
		return nil
	}
	q := p.base
	q.Dates = p.filter
	return []Query{q}
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

// titledPhrases returns the folded words of the question's most specific
// phrases of two or more words written with capitals ("National
// Manufacturing Day", "Colonial Pipeline", "Martha's Table"), at most
// maxPhrases of them, the most specific first. Such a phrase most often
// names what an article is about, and the article's title writes it. A
// title holding every word of the phrase is rare even when each word is
// common, so a query asking for it is cheap, and it finds the article that a
// search bounded to the rarer words misses. The most specific phrase is the
// one whose rarest word is rarest; a country or agency is left to the
// title-anchored query (titleAnchor), and a phrase with a word the index
// lacks can match no title.
func titledPhrases(question string, df map[string]int) [][]string {
	toks := text.Tokens(question)
	type phrase struct {
		words  []string
		rarest int
	}
	var found []phrase
	consider := func(run []string) {
		if len(run) < 2 || text.MentionAt(run, 0) == len(run) {
			return // "Costa Rica", "State Department": a country or an agency
		}
		rarest := -1
		for _, w := range run {
			if df[w] == 0 {
				return
			}
			if rarest < 0 || df[w] < rarest {
				rarest = df[w]
			}
		}
		found = append(found, phrase{run, rarest})
	}
	var run []string
	for i, t := range toks {
		raw := question[t.Start:t.End]
		capital := isSalient(raw, sentenceStart(question, t.Start)) && !strings.ContainsAny(raw, "0123456789") && text.IsContent(t.Word)
		switch {
		case capital && len(run) > 0 && phraseGap(question[toks[i-1].End:t.Start]):
			run = append(run, t.Word)
		case capital:
			consider(run)
			run = []string{t.Word}
		case len(run) > 0 && t.Word == "s" && strings.ContainsAny(question[toks[i-1].End:t.Start], "'’"):
			// "Martha's Table": a possessive inside the phrase
		default:
			consider(run)
			run = nil
		}
	}
	consider(run)
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].rarest != found[j].rarest {
			return found[i].rarest < found[j].rarest
		}
		return len(found[i].words) > len(found[j].words)
	})
	var out [][]string
	for _, f := range found[:min(len(found), maxPhrases)] {
		out = append(out, f.words)
	}
	return out
}

// maxPhrases bounds the titled phrases a question is searched by: one query
// each. A second phrase found no more articles on the large evaluation sets
// and cost half a millisecond a search.
const maxPhrases = 1

// phraseGap reports whether what stands between two words keeps them in one
// phrase: a space, a hyphen, or an apostrophe ("Martha's").
func phraseGap(gap string) bool {
	return strings.Trim(gap, " -'’") == ""
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

// pairScan bounds the cost of the two-of query: its concepts are the
// rarest whose passages together number at most this many (four times the
// disjunction's scan bound). Matching pairs is cheap, but scoring counts
// every passage of each concept's words.
const pairScan = 4 * DefaultMaxScan

// pairGroups returns the concepts of the two-of query: the first of groups
// (rarest first) whose passages together number at most pairScan.
func pairGroups(groups [][]string, df map[string]int) [][]string {
	n := 0
	for i, g := range groups {
		for _, w := range g {
			n += df[w]
		}
		if n > pairScan {
			return groups[:i]
		}
	}
	return groups
}
