package answer

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"attache"
	"attache/internal/dates"
	"attache/internal/text"
)

// Verdict is what the knowledge base can do for a question.
type Verdict int

// Verdicts of Decide.
const (
	// Answerable: a passage covers the question and holds what it asks for.
	Answerable Verdict = iota
	// NotCovered: no passage is about what the question is about.
	NotCovered
	// DetailMissing: passages cover the event the question is about, but
	// none holds the detail it asks for (the date, the number, the person).
	DetailMissing
)

// String names the verdict.
func (v Verdict) String() string {
	switch v {
	case Answerable:
		return "answerable"
	case NotCovered:
		return "not covered"
	case DetailMissing:
		return "detail missing"
	}
	return "unknown"
}

// DefaultMinFocus is the share of the question's focus (the weight of its
// rarest content words) a passage must hold to be about the question: any
// share at all, that is one of those words. The rarest words are what tells
// one question from its neighbours; a passage holding none of them shares
// only the question's common words. A higher share (a quarter was tried)
// refused no more unanswerable tune questions and refused answerable ones
// whose rare words were paraphrased ("revive" for "re-start").
const DefaultMinFocus = 0.01

// Thresholds are the limits of the answerability decision.
type Thresholds struct {
	// MinCoverage: the best passage must hold this share of the question's
	// weighted words (0 = DefaultMinCoverage).
	MinCoverage float64
	// MinFocus: a passage must hold this share of the question's focus
	// (0 = DefaultMinFocus; negative = no focus rule).
	MinFocus float64
	// Now is the day relative times of the question ("last year") are
	// read against; zero = time.Now.
	Now time.Time
	// Off names rules left out (see Rules), to measure what each is worth.
	Off []string
}

// Rules are the names of the decision's rules, as Reason and
// Thresholds.Off give them.
func Rules() []string {
	return []string{"names", "focus", "time", "year", "number", "event", "speech", "coverage", "detail"}
}

// Decision is the outcome of Decide.
type Decision struct {
	Verdict Verdict
	// Hits are the passages to answer from (Answerable), or those that
	// cover the event without the asked detail (DetailMissing), best first.
	Hits []attache.Hit
	// Asked is the kind of detail the question asks for.
	Asked text.Type
	// Missing names what no passage found matches: the country or agency
	// the question is about, or its specific names (NotCovered only).
	Missing []string
	// Reason says which rule decided, for the best passage found:
	// "names: Peru", "focus", "time", "year", "number: 24", "event", "speech", "coverage: 0.41",
	// "detail: date"; empty when the question is answerable.
	Reason string
}

// Decide makes the answerability decision, before any answer is written
// and whether or not a model will write it. question is the question as
// asked (its answer type is read from it); query is the text that was
// searched (a follow-up completed from its history, a question in another
// language rendered in English); hits come from the Retriever with their
// Coverage, Lacks, Missing and Focus filled in. A passage answers only when:
//
//  1. it mentions the country or agency the question is about (Lacks is
//     empty) and matches every specific name of the question as that name
//     (Missing is empty): a passage about other countries or people that
//     shares the question's other words does not answer it;
//  2. when the question names its time with its year ("in February 2010",
//     "since 2022"), the passage's article is dated inside it or the passage
//     mentions a date inside it (an event reported later): a question
//     about another year than the articles' is another question.
//     A year the question names as a description ("the 2013 talks") is
//     held the same way: the article is dated in it or the passage names it;
//  3. when a why- or when-question in the past takes an event for granted
//     ("Why did Cuba expel …?", "When did Sweden withdraw …?"), its article
//     reports it: a sentence holds a form of the verb, with its particle
//     ("call off") and a word of what it acts on ("lift the *sanctions*"),
//     when the question says them (text.Event): a false premise is not
//     answered from the story it bends; and when a question asks what
//     someone said about something ("What did Boric tell Biden about
//     Gaza?"), its article has the speaker (or the leaders together) and
//     the topic in one sentence (text.Speech); a number the question
//     states with digits ("TPS for 24 months"), dates aside, is one its
//     article states: a changed figure is a false premise too;
//     and it holds at least MinFocus of the question's focus, its rarest
//     words: most of the question's words are not enough when the words
//     that make it specific are absent (a false premise, an event the
//     articles never report);
//  4. the best such passage holds at least MinCoverage of the question's
//     weighted words;
//  5. when the question asks for a date, a number or a person, a passage
//     of an article that covers it holds one where it speaks of what the
//     question asks about (text.HoldsAsked); a count or amount must be of
//     what is asked, a place smaller than a country ("in which city") is
//     not a country, and people asked for by office ("which ministers")
//     are named with it (text.Ask). Otherwise the articles report the event but not the asked
//     detail: DetailMissing, with the covering passages.
//
// Retrievers that do not measure focus leave every Focus at 0; rule 3 then
// cannot tell and is left out.
func Decide(question, query string, hits []attache.Hit, th Thresholds) Decision {
	minCov, minFocus := th.MinCoverage, th.MinFocus
	if minCov <= 0 {
		minCov = DefaultMinCoverage
	}
	if minFocus == 0 {
		minFocus = DefaultMinFocus
	}
	on := func(rule string) bool { return !slices.Contains(th.Off, rule) }
	if !on("coverage") {
		minCov = 0
	}
	focusKnown := minFocus > 0 && focusReported(hits) && on("focus")
	ask := text.AskOf(question)
	d := Decision{Asked: ask.Type}

	now := th.Now
	if now.IsZero() {
		now = time.Now()
	}
	when := namedTime(question, now)
	years := describedYears(question, now)

	var own func(string) bool
	if query != question && text.Language(question) == "en" {
		own = namedIn(question)
	}
	hits = articleNames(hits)
	var reports map[string]bool // articles whose passages found report the presupposed event
	if ev := text.PresupposedEventOf(question); ev.Verb != "" && !text.Negated(question) {
		reports = articlesWhere(hits, ev.ReportedIn)
	}
	// Numbers the question states ("for 24 months") must be the article's.
	var stated map[string][]string // article → the stated numbers none of its passages found holds
	for _, n := range text.StatedNumbers(withoutDates(question, now)) {
		held := articlesWhere(hits, func(s string) bool { return text.HoldsNumeral(s, n) })
		for _, h := range hits {
			if !held[h.DocID] && !slices.Contains(stated[h.DocID], n) {
				if stated == nil {
					stated = map[string][]string{}
				}
				stated[h.DocID] = append(stated[h.DocID], n)
			}
		}
	}
	var spoke map[string]bool // articles whose passages found report the speaker on the topic
	if sp := text.SpeechOf(text.EnglishQuery(question)); len(sp.Speaker) > 0 {
		spoke = articlesWhere(hits, sp.ReportedIn)
	}
	var about []attache.Hit
	best := 0.0
	rejected := "" // the rule that turned the best rejected passage away
	for _, h := range hits {
		if own != nil {
			h = ownNames(h, own)
		}
		why := ""
		switch {
		case h.Lacks != "" && on("names"):
			why = "names: " + h.Lacks
		case len(h.Missing) > 0 && on("names"):
			why = "names: " + strings.Join(h.Missing, ", ")
		case focusKnown && h.Focus < minFocus:
			why = "focus"
		case !inTime(h, when) && on("time"):
			why = "time"
		case !ofYears(h, years) && on("year"):
			why = "year"
		case len(stated[h.DocID]) > 0 && on("number"):
			why = "number: " + strings.Join(stated[h.DocID], ", ")
		case reports != nil && !reports[h.DocID] && on("event"):
			why = "event"
		case spoke != nil && !spoke[h.DocID] && on("speech"):
			why = "speech"
		}
		if why != "" {
			if rejected == "" {
				rejected = why // the best passage's: it says the most
			}
			continue
		}
		about = append(about, h)
		best = max(best, h.Coverage)
	}
	if len(about) == 0 || best < minCov {
		d.Verdict = NotCovered
		d.Missing = missingEverywhere(hits)
		switch {
		case len(about) > 0:
			d.Reason = fmt.Sprintf("coverage: %.2f", best)
		case len(hits) == 0:
			d.Reason = "nothing found"
		default:
			d.Reason = rejected
		}
		return d
	}
	if d.Asked == text.TypeNone || !on("detail") {
		d.Verdict, d.Hits = Answerable, about
		return d
	}
	qstems, exclude := text.QuestionWords(text.EnglishQuery(query))
	// An article covering the question may give the detail in another of
	// its passages: a passage is part of its article, as for names.
	covering := map[string]bool{}
	for _, h := range about {
		if h.Coverage >= minCov {
			covering[h.DocID] = true
		}
	}
	for _, h := range about {
		if covering[h.DocID] && text.HoldsAsked(ask, h.Text, h.Date, qstems, exclude) {
			d.Verdict, d.Hits = Answerable, about
			return d
		}
	}
	d.Verdict, d.Hits = DetailMissing, about
	d.Reason = "detail: " + d.Asked.String()
	return d
}

// articlesWhere returns the articles some passage found of which (with
// its article's title) holds: what one passage of an article reports, the
// article reports.
func articlesWhere(hits []attache.Hit, holds func(string) bool) map[string]bool {
	out := map[string]bool{}
	for _, h := range hits {
		if !out[h.DocID] && holds(h.Title+"\n"+h.Text) {
			out[h.DocID] = true
		}
	}
	return out
}

// withoutDates returns a question with its date expressions (read on the
// day now) blanked out: the day of "February 29, 2024" or "November 15" is
// a date, not a number it states.
func withoutDates(question string, now time.Time) string {
	b := []byte(question)
	for _, m := range dates.Find(question, now.Format(time.DateOnly)) {
		for i := m.Start; i < m.End; i++ {
			b[i] = ' '
		}
	}
	return string(b)
}

// articleNames returns the hits with the names that another hit of the same
// article matches taken off their Missing (and Lacks): a passage is part of
// its article, and a name its lead gives ("at the Summit of the Americas")
// holds for the passages after it.
func articleNames(hits []attache.Hit) []attache.Hit {
	out := make([]attache.Hit, len(hits))
	for i, h := range hits {
		out[i] = h
		if len(h.Missing) == 0 && h.Lacks == "" {
			continue
		}
		matched := func(name string) bool {
			for j, o := range hits {
				if j != i && o.DocID == h.DocID && !slices.Contains(o.Missing, name) && o.Lacks != name {
					return true
				}
			}
			return false
		}
		var kept []string
		for _, n := range h.Missing {
			if !matched(n) {
				kept = append(kept, n)
			}
		}
		out[i].Missing = kept
		if h.Lacks != "" && matched(h.Lacks) {
			out[i].Lacks = ""
		}
	}
	return out
}

// namedIn returns whether a name is written in the question itself: one of
// its words, or a form of the same country or body ("Cuban" for Cuba).
func namedIn(question string) func(string) bool {
	words := map[string]bool{}
	groups := map[int]bool{}
	folded := text.Words(question)
	for i := range folded {
		words[folded[i]] = true
		if n := text.MentionAt(folded, i); n > 0 {
			if g, ok := text.MentionGroup(strings.Join(folded[i:i+n], " ")); ok {
				groups[g] = true
			}
		}
	}
	return func(name string) bool {
		fw := text.Words(name)
		if g, ok := text.MentionGroup(strings.Join(fw, " ")); ok && groups[g] {
			return true
		}
		for _, w := range fw {
			if words[w] && text.IsContent(w) {
				return true
			}
		}
		return false
	}
}

// ownNames keeps, of the names a passage misses, those the question itself
// writes. The names a follow-up borrowed from its conversation widen the
// search for what it refers to; they are not what it asks about, and a
// passage need not repeat them.
func ownNames(h attache.Hit, own func(string) bool) attache.Hit {
	var kept []string
	for _, n := range h.Missing {
		if own(n) {
			kept = append(kept, n)
		}
	}
	h.Missing = kept
	if h.Lacks != "" && !own(h.Lacks) {
		h.Lacks = ""
	}
	return h
}

// describedYears returns the years a question names outside its time
// expressions: as descriptions of what it asks about ("the 2013 migration
// talks", "under the 2024 policy"). The question is about the event of
// that year; a passage about the same kind of event in another year does
// not answer it.
func describedYears(question string, now time.Time) []string {
	qd := dates.QueryRange(question, now)
	var out []string
	for _, tok := range text.Tokens(qd.Cleaned) {
		if w := tok.Word; len(w) == 4 && allDigits(w) && w >= "1900" && w <= "2100" {
			out = append(out, w)
		}
	}
	return out
}

// ofYears reports whether a passage speaks of every one of the years: its
// article is dated in it, or it names it.
func ofYears(h attache.Hit, years []string) bool {
	if len(years) == 0 {
		return true
	}
	words := map[string]bool{}
	for _, w := range text.Words(h.Title + " " + h.Text) {
		words[w] = true
	}
	for _, y := range years {
		if !strings.HasPrefix(h.Date, y) && !words[y] {
			return false
		}
	}
	return true
}

// namedTime is the time a question names with its year ("in February
// 2010", "since 2022"); open when it names none. A time without its year
// ("in June") or relative to today ("last year") is left out: in a
// conversation it is relative to what was said before, not to today.
func namedTime(question string, now time.Time) attache.DateRange {
	if qd := dates.QueryRange(question, now); qd.YearWritten() {
		return qd.Range
	}
	return attache.DateRange{}
}

func allDigits(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return w != ""
}

// inTime reports whether a passage speaks of the time a question names:
// its article is dated inside it, or it mentions a date inside it. Any
// passage does when the question names no time.
func inTime(h attache.Hit, when attache.DateRange) bool {
	if when.Since == "" && when.Until == "" {
		return true
	}
	if h.Date != "" && when.Contains(h.Date) {
		return true
	}
	for _, m := range dates.Find(h.Text, h.Date) {
		if when.Contains(m.Date) {
			return true
		}
	}
	return false
}

// focusReported reports whether the retriever measured focus: a question
// has content words, so some passage found holds some of them.
func focusReported(hits []attache.Hit) bool {
	for _, h := range hits {
		if h.Focus > 0 {
			return true
		}
	}
	return false
}

// missingEverywhere returns what every passage found lacks: the country or
// agency of Lacks, or the names of Missing that no passage matches; nil
// when some passage has them all.
func missingEverywhere(hits []attache.Hit) []string {
	if len(hits) == 0 {
		return nil
	}
	count := map[string]int{}
	for _, h := range hits {
		seen := map[string]bool{}
		names := append([]string(nil), h.Missing...)
		if h.Lacks != "" {
			names = append(names, h.Lacks)
		}
		if len(names) == 0 {
			return nil
		}
		for _, n := range names {
			if !seen[n] {
				seen[n] = true
				count[n]++
			}
		}
	}
	var out []string
	for n, c := range count {
		if c == len(hits) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}
