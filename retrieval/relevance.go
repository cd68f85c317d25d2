package retrieval

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"sort"
	"strings"
	"unicode"

	"attache"
	"attache/internal/text"
	"attache/internal/wordvec"
)

// The relevance model. Every candidate passage of a question is described
// by a few named features, and its score is their weighted sum,
//
//	score = Σ weight(f) · f(question, passage)
//
// with the whole-question BM25 log-scaled, so that the other features act
// as multiplicative boosts of it and its scale does not matter (in hybrid
// search the fused rank score stands in its place). The weights live in DefaultWeights and
// nowhere else; adding a feature is one entry of features and one of
// DefaultWeights.

// Feature names, as `attache search --explain` shows them and `attache eval
// --ablate` takes them.
const (
	FeatureBM25        = "bm25"         // log BM25 of the passage against every concept of the question (the fused rank score in hybrid search)
	FeatureCoverage    = "coverage"     // share of the question's weight held (its time counting as one concept)
	FeatureFocus       = "focus"        // share of the question's focus (its rarest concepts) held
	FeatureNames       = "names"        // share of the question's specific names matched as names
	FeatureTitle       = "title"        // share of the question's weight in the article's title
	FeatureAdjacency   = "adjacency"    // log(1 + the question's adjacent word pairs found adjacent)
	FeatureDateMonth   = "date_month"   // dated inside the month or day the question names
	FeatureDateYear    = "date_year"    // dated inside the year the question names
	FeatureDateRange   = "date_range"   // dated inside a longer range ("since 2021")
	FeatureDateMention = "date_mention" // dated in a month the question mentions as a description
	FeatureRecency     = "recency"      // when the question asks for the latest: 1 for the newest, 0 three years older
	FeatureAnswerType  = "answer_type"  // the question asks for a kind of detail and the passage holds one where it speaks of the question
)

// Weights gives each feature its weight; a feature without one weighs 0.
type Weights map[string]float64

// DefaultWeights are the weights of the relevance model, fitted by
// pairwise logistic regression (L2 0.1) on the tune half of the bundled and
// the large question sets (see cmd/attache/fit.go and docs/QUALITY.md):
//
//	attache fit --questions eval/bundled.jsonl --save bundled.json
//	attache --knowledge LARGE --index LARGE.db fit --questions eval/large.jsonl --save large.json
//	attache fit --load bundled.json --load large.json
//
// No tune question names a year or asks for the latest, so date_year and
// recency keep their earlier weights (a year 1.8× and the newest 1.6× as
// likely, ln 1.8 and ln 1.6) relative to BM25's. Every feature is fitted
// together, so a weight says what its feature adds to the others: answer_type
// tells apart passages that the words and dates score alike, the one that
// states the date, number or person asked for beside the question's words
// and the one that reports the event without it.
var DefaultWeights = Weights{
	"bm25":         4.187,
	"coverage":     2.330,
	"focus":        -0.439,
	"names":        0.548,
	"title":        2.211,
	"adjacency":    0.651,
	"date_month":   2.034,
	"date_year":    2.471,
	"date_range":   0.267,
	"date_mention": 1.286,
	"recency":      1.968,
	"answer_type":  1.599,
}

// Features lists the features of the model, in the order they are
// computed.
func Features() []string {
	out := make([]string, len(features))
	for i, f := range features {
		out[i] = f.name
	}
	return out
}

// Without returns a copy of w with the named features weighing 0; an
// unknown name is an error.
func (w Weights) Without(names ...string) (Weights, error) {
	out := Weights{}
	for k, v := range w {
		out[k] = v
	}
	for _, n := range names {
		if !slices.Contains(Features(), n) {
			return nil, fmt.Errorf("unknown feature %q (features: %s)", n, strings.Join(Features(), ", "))
		}
		out[n] = 0
	}
	return out, nil
}

// candidate is what the features read of one (question, passage) pair.
type candidate struct {
	hit      *attache.Hit
	words    *passageWords
	bm25     float64 // whole-question BM25, or the fused rank score in hybrid search
	coverage float64
	focus    float64
	names    float64 // share of the question's names matched
	title    float64
	pairs    int
	inWindow bool
	recency  float64
	asked    bool // holds the kind of detail the question asks for, where it speaks of the question
}

// features are the model's features, each computed from a candidate.
var features = []struct {
	name  string
	value func(c *candidate, rc *rankContext) float64
}{
	{FeatureBM25, func(c *candidate, _ *rankContext) float64 { return math.Log(max(c.bm25, minBM25)) }},
	{FeatureCoverage, func(c *candidate, _ *rankContext) float64 { return c.coverage }},
	{FeatureFocus, func(c *candidate, _ *rankContext) float64 { return c.focus }},
	{FeatureNames, func(c *candidate, _ *rankContext) float64 { return c.names }},
	{FeatureTitle, func(c *candidate, _ *rankContext) float64 { return c.title }},
	{FeatureAdjacency, func(c *candidate, _ *rankContext) float64 { return math.Log1p(float64(c.pairs)) }},
	{FeatureDateMonth, func(c *candidate, rc *rankContext) float64 {
		return indicator(c.inWindow && rc.windowKind == windowMonth)
	}},
	{FeatureDateYear, func(c *candidate, rc *rankContext) float64 {
		return indicator(c.inWindow && rc.windowKind == windowYear)
	}},
	{FeatureDateRange, func(c *candidate, rc *rankContext) float64 {
		return indicator(c.inWindow && rc.windowKind == windowRange)
	}},
	{FeatureDateMention, func(c *candidate, rc *rankContext) float64 {
		return indicator(c.inWindow && rc.windowKind == windowMention)
	}},
	{FeatureRecency, func(c *candidate, _ *rankContext) float64 { return c.recency }},
	{FeatureAnswerType, func(c *candidate, _ *rankContext) float64 { return indicator(c.asked) }},
}

// minBM25 stands for the BM25 of a passage holding no word of the question
// (found by meaning, or by its title alone), whose logarithm would be
// infinite: far below that of a passage holding one.
const minBM25 = 0.01

func indicator(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Kinds of time window a question names: the narrower, the surer.
const (
	windowNone    = iota
	windowMonth   // at most two months
	windowYear    // at most a year
	windowRange   // longer, or open-ended
	windowMention // a month named as a description ("their October 2021 call")
)

// rankContext is what re-ranking knows of the question.
type rankContext struct {
	terms      []QueryTerm
	focus      []QueryTerm // the question's focus: its rarest concepts (see focusOf)
	names      []questionName
	pairs      map[[2]string]bool
	window     attache.DateRange
	windowKind int
	latest     bool
	asked      askedDetail
	weights    Weights
	explain    bool
	// storeScores keeps the hits' scores as the base of the ranking (they
	// are fused ranks in hybrid search) rather than scoring every passage
	// against the whole question.
	storeScores bool
}

// askedDetail is the kind of detail a question asks for (a date, a count,
// a person…), with what tells where a passage speaks of the question: the
// stems of its content words (nil when they cannot be compared with the
// articles': another language) and its words, which do not count as the
// person asked for.
type askedDetail struct {
	ask     text.Ask
	stems   map[string]bool
	exclude map[string]bool
}

// askedBy reads the detail a question asks for: its type from the question
// as asked (English or Spanish), the rest from its English rendering, the
// text that is searched. The answer layer decides whether a detail is
// missing the same way (answer.Decide).
func askedBy(asked, english string) askedDetail {
	d := askedDetail{ask: text.AskOf(asked)}
	if d.ask.Type == text.TypeNone {
		return d
	}
	d.stems, d.exclude = text.QuestionWords(english)
	return d
}

// heldBy reports whether a passage holds the asked detail in or next to
// its sentences that share the most words with the question (see
// text.HoldsAsked): a passage that reports the event but not its date, or
// a date of another event, does not answer a "when". False when the
// question asks for no kind of detail.
func (d askedDetail) heldBy(pw *passageWords) bool {
	if d.ask.Type == text.TypeNone || pw.body == nil {
		return false
	}
	if d.stems != nil {
		// A sentence must share at least two of the question's words (or
		// all it has): a passage holding fewer has none, and need not be
		// read into sentences.
		n := 0
		for st := range d.stems {
			// A country's name stands for all its forms (text.KeyStems).
			if pw.count(st) > 0 || slices.ContainsFunc(text.KeyStems(st), func(f string) bool { return pw.count(f) > 0 }) {
				n++
			}
		}
		if n < min(2, len(d.stems)) {
			return false
		}
	}
	return pw.passage().HoldsAsked(d.ask, d.stems, d.exclude)
}

// questionName is a specific name of the question: a known country,
// capital or agency (term), or a person or organisation written with
// capitals, which a passage matches by its rarest word in the index or its
// last word (a person is named by the surname: "Vice President Harris" for
// "Kamala Harris"); an acronym is also matched by the words it abbreviates
// ("Andrés Manuel López Obrador" for "AMLO").
type questionName struct {
	display    string
	term       *QueryTerm
	stem, last string
	acronym    string
	site       string // the name as written, its letters run together ("whitehouse"), as a web address writes it
	siteWords  int    // the words run together in site
}

// in reports whether a passage (its words, and its title and text as
// written) matches the name.
func (n questionName) in(pw *passageWords, written, host string) bool {
	if publishedBy(host, n.site, n.siteWords) {
		return true
	}
	if n.term != nil {
		return pw.has(n.term)
	}
	if holdsOffice(pw, n.last) {
		return true
	}
	if pw.contains(n.stem) && (n.stem != n.last || text.WrittenAsName(written, n.last)) {
		return true
	}
	if n.last != "" && n.last != n.stem && pw.contains(n.last) && text.WrittenAsName(written, n.last) {
		// The last word stands for the name when written as one: a
		// surname, not a common word ("watch") or part of a place's name
		// ("La Paz").
		return true
	}
	return n.acronym != "" && text.InitialsIn(written, n.acronym)
}

// office is a term of a US president or vice president: the dates it ran
// (YYYY-MM-DD, to exclusive) and the stems of the title a passage of the
// term names the holder by; none for a president, whose administration's
// releases are all his.
type office struct {
	from, to string
	title    []string
}

// offices are the terms of the presidents and vice presidents since 2009,
// by the stem of their surname. An administration's own releases, and news
// of its time, name the holder by the title alone ("the President
// announced"): a passage of that time that says the title names them.
var offices = func() map[string][]office {
	vice := []string{text.Stem("vice"), text.Stem("president")}
	m := map[string][]office{
		"obama":  {{"2009-01-20", "2017-01-20", nil}},
		"biden":  {{"2009-01-20", "2017-01-20", vice}, {"2021-01-20", "2025-01-20", nil}},
		"trump":  {{"2017-01-20", "2021-01-20", nil}, {"2025-01-20", "2029-01-20", nil}},
		"pence":  {{"2017-01-20", "2021-01-20", vice}},
		"harris": {{"2021-01-20", "2025-01-20", vice}},
		"vance":  {{"2025-01-20", "2029-01-20", vice}},
	}
	out := make(map[string][]office, len(m)) // by the stem of the surname, as names are matched
	for w, o := range m {
		out[text.Stem(w)] = o
	}
	return out
}()

// holdsOffice reports whether a passage names the holder of an office
// whose surname has the stem last: it is of the holder's term and, for a
// vice president, says the title (see offices).
func holdsOffice(pw *passageWords, last string) bool {
	if pw.date == "" {
		return false
	}
	for _, o := range offices[last] {
		if pw.date >= o.from && pw.date < o.to {
			return o.title == nil || pw.phraseCount(o.title) > 0
		}
	}
	return false
}

// score computes every candidate's features, fills the hits' Coverage,
// Focus, Missing and Score (and Features when explaining), and returns the
// hits best first; equal scores are ordered by passage ID so that no order
// of the candidates decides.
func score(hits []attache.Hit, wordsOf func(attache.Hit) passageWords, rc *rankContext) ([]attache.Hit, []passageWords) {
	words := make([]passageWords, len(hits))
	newest := ""
	var avgLen float64
	for i := range hits {
		words[i] = wordsOf(hits[i])
		avgLen += float64(len(words[i].seq)) / float64(len(hits))
		newest = max(newest, hits[i].Date)
	}
	weights := rc.weights
	if weights == nil {
		weights = DefaultWeights
	}
	values := make([]float64, len(features))
	for i := range hits {
		h := &hits[i]
		pw := &words[i]
		c := candidate{hit: h, words: pw, bm25: h.Score}
		if !rc.storeScores {
			c.bm25 = bm25(rc.terms, pw, avgLen)
		}
		c.coverage = coverage(rc.terms, pw)
		c.inWindow = rc.window != (attache.DateRange{}) && rc.window.Contains(h.Date)
		if rc.window != (attache.DateRange{}) {
			// The question's time counts as one more concept: covered by a
			// passage dated in it or naming one of its years.
			c.coverage = withDate(c.coverage, rc.terms, c.inWindow || mentionsYear(pw, rc.window))
		}
		c.focus = coverage(rc.focus, pw)
		c.names, h.Missing = matchNames(rc.names, pw, h.Title+"\n"+h.Text, h.URL)
		c.title = coverage(rc.terms, pw.title)
		c.pairs = adjacentPairs(rc.pairs, pw)
		if rc.latest && newest != "" && h.Date != "" {
			c.recency = recency(h.Date, newest)
		}
		c.asked = rc.asked.heldBy(pw)
		// The answerability decision reads the focus with the names as
		// the names rule matches them; ranking keeps the words alone,
		// as its weight was fitted.
		h.Coverage, h.Focus = c.coverage, focusHeld(rc.focus, pw, rc.names, h.Missing)
		var s float64
		for j, f := range features {
			values[j] = f.value(&c, rc)
			s += weights[f.name] * values[j]
		}
		h.Score = s
		if rc.explain {
			h.Features = make(map[string]float64, len(features))
			for j, f := range features {
				h.Features[f.name] = values[j]
			}
		}
	}
	order := make([]int, len(hits))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		ha, hb := &hits[order[a]], &hits[order[b]]
		if ha.Score != hb.Score {
			return ha.Score > hb.Score
		}
		return ha.ID < hb.ID
	})
	outHits := make([]attache.Hit, len(hits))
	outWords := make([]passageWords, len(hits))
	for i, j := range order {
		outHits[i], outWords[i] = hits[j], words[j]
	}
	return outHits, outWords
}

// matchNames returns the share of the question's names the passage matches
// (1 when the question names none) and the names it does not match; address
// is the web address of the passage's article.
func matchNames(names []questionName, pw *passageWords, written, address string) (float64, []string) {
	if len(names) == 0 {
		return 1, nil
	}
	host := hostOf(address)
	var missing []string
	for _, n := range names {
		if !n.in(pw, written, host) {
			missing = append(missing, n.display)
		}
	}
	return 1 - float64(len(missing))/float64(len(names)), missing
}

// focusOf returns the indexes of the question's focus: its rarest
// concepts, the heaviest third of them (at least one), with every concept
// as heavy as the lightest of those (so that ties, and not the order of the
// question's words, decide). Words in skip (those that say what kind of
// detail is asked for) are not part of it.
func focusOf(terms []QueryTerm, skip map[string]bool) []int {
	var ws []float64
	for _, t := range terms {
		if !skip[t.Word] {
			ws = append(ws, t.Weight)
		}
	}
	if len(ws) == 0 {
		return nil
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(ws)))
	cut := ws[(len(ws)+2)/3-1]
	var out []int
	for i, t := range terms {
		if t.Weight >= cut && !skip[t.Word] {
			out = append(out, i)
		}
	}
	return out
}

// focusTerms returns the concepts of terms at the indexes focus.
func focusTerms(terms []QueryTerm, focus []int) []QueryTerm {
	out := make([]QueryTerm, len(focus))
	for j, i := range focus {
		out[j] = terms[i]
	}
	return out
}

// pick takes scored candidates, best first, collapses near-duplicates
// (statements published twice), keeps at most maxPer passages of one
// document, and numbers the first k.
func pick(hits []attache.Hit, words []passageWords, k, maxPer int) []attache.Hit {
	perDoc := map[string]int{}
	var kept []int
	out := make([]attache.Hit, 0, k)
	for i, h := range hits {
		if perDoc[h.DocID] >= maxPer || duplicateOf(words, kept, i) {
			continue
		}
		perDoc[h.DocID]++
		kept = append(kept, i)
		h.Rank = len(out) + 1
		out = append(out, h)
		if len(out) == k {
			break
		}
	}
	return out
}

// questionNames lists the question's specific names: its countries,
// capitals and agencies (multi-word ones included, the forms of one
// country once), then the people and organisations it writes with
// capitals. A capital named as a place ("talks in Havana") stands only for
// itself; named as an actor ("Washington and Ottawa agreed") it stands for
// its government, as the country does. A name found in most passages (the
// United States in an archive of American statements; a title such as
// "President" in one of presidential statements) tells no passage from
// another and is left out; a word no passage holds is matched by none.
func questionNames(question string, df map[string]int, total int) []questionName {
	var out []questionName
	toks := text.Tokens(question)
	folded := make([]string, len(toks))
	for i, t := range toks {
		folded[i] = t.Word
	}
	groups := map[int]bool{}
	places := map[string]bool{}
	for i := 0; i < len(folded); i++ {
		n := text.MentionAt(folded, i)
		if n == 0 || n == 1 && !text.IsContent(folded[i]) {
			continue
		}
		w := strings.Join(folded[i:i+n], " ")
		g, _ := text.MentionGroup(w)
		place := text.IsCapital(w) && i > 0 && placePrepositions[folded[i-1]] && !(i > 1 && governmentWords[folded[i-2]])
		asked := i > 0 && askingWords[folded[i-1]] && i+n < len(folded) && placeNouns[folded[i+n]]
		language := i+n < len(folded) && languageNouns[folded[i+n]] // "the Spanish-language part"
		i += n - 1
		if asked || language {
			continue
		}
		var t *QueryTerm
		switch {
		case place && !places[w]:
			places[w] = true
			t = &QueryTerm{Word: w, Variants: text.NameMatches(w)}
		case !place && !groups[g]:
			groups[g] = true
			gn := groupName(w)
			t = &QueryTerm{Word: gn, Variants: text.NameMatches(gn)}
		default:
			continue
		}
		if 2*formsDF(t, df) > total {
			continue
		}
		t.forms = t.stemmed()
		display := w
		if !place {
			display = groupName(w)
		}
		out = append(out, questionName{display: text.DisplayName(display), term: t, site: strings.ReplaceAll(w, " ", ""), siteWords: len(strings.Fields(w))})
	}
	for _, pn := range properNames(question) {
		if !slices.ContainsFunc(pn.words, func(w string) bool { return !text.IsTitle(w) }) {
			continue // a title alone ("the Vice President") is a role, not a name
		}
		rarest, f := "", -1
		for _, w := range pn.words {
			if f < 0 || df[w] < f || df[w] == f && w < rarest {
				rarest, f = w, df[w]
			}
		}
		if 2*f > total {
			continue
		}
		qn := questionName{display: pn.written, stem: text.Stem(rarest), last: text.Stem(pn.words[len(pn.words)-1]), site: strings.Join(pn.words, ""), siteWords: len(pn.words)}
		if isAcronym(pn.written) {
			qn.acronym = pn.words[0]
		}
		out = append(out, qn)
	}
	return out
}

// hostOf returns the host of an article's web address, lower-cased, or ""
// when it has none.
func hostOf(address string) string {
	u, err := url.Parse(address)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// publishedBy reports whether a name of the question (its letters run
// together, site, of words words) is the publisher of an article at host:
// a label of the host is the name ("reuters" in www.reuters.com), or, for a
// name of several words, begins or ends with it ("whitehouse" in
// www.whitehouse.gov and bidenwhitehouse.archives.gov). A question that
// asks what the White House said, or cites its roundup, is answered by the
// White House's own release whether or not the passage names the United
// States; the publisher speaks in every passage of it. A single word is
// not read inside a label ("house" ends "whitehouse"), and names shorter
// than minSite letters are left out.
func publishedBy(host, site string, words int) bool {
	if len(site) < minSite || host == "" {
		return false
	}
	for _, label := range strings.Split(host, ".") {
		if label == site || words > 1 && (strings.HasPrefix(label, site) || strings.HasSuffix(label, site)) {
			return true
		}
	}
	return false
}

// minSite is the fewest letters of a name read in a web address.
const minSite = 5

// formsDF is how many passages at least hold one of a name's forms: the
// frequency of its most frequent form (of that form's rarest word).
func formsDF(t *QueryTerm, df map[string]int) int {
	n := 0
	for _, form := range append([][]string{strings.Fields(t.Word)}, t.Variants...) {
		_, f := phraseDF(form, df)
		n = max(n, f)
	}
	return n
}

// askingWords before a name, and a place noun after it, make the name the
// region of the place asked for ("Which African country…?" is answered by
// a passage naming Kenya, not Africa): it describes the answer and is not
// one the passage must hold. "Which Bahamian leader…?" still needs the
// Bahamas: the answer is a person, of that country.
var (
	askingWords = map[string]bool{"which": true, "what": true}
	placeNouns  = map[string]bool{"country": true, "countries": true, "nation": true, "nations": true,
		"state": true, "states": true, "city": true, "cities": true, "capital": true, "capitals": true}
)

// languageNouns after a demonym make it the name of a language, not of
// its country ("the Spanish-language version").
var languageNouns = map[string]bool{"language": true, "languages": true, "speaking": true,
	"speakers": true, "translation": true, "version": true}

// governmentWords before "in" make the capital after it stand for the
// government ("the government in Havana", "the regime in Caracas").
var governmentWords = map[string]bool{"government": true, "regime": true, "authorities": true,
	"leadership": true, "administration": true}

// placePrepositions introduce a place: a capital after one of them names
// the city. "To" and "from" are left out: they name a government as
// often as a place ("aid to Manila", "responding to Moscow", "envoys
// from Havana").
var placePrepositions = map[string]bool{"in": true, "at": true, "near": true,
	"into": true, "around": true, "outside": true, "inside": true, "across": true, "through": true,
	"via": true, "within": true}

// groupName is the name of the country or body a name belongs to: a capital
// named as an actor is shown as its country.
func groupName(w string) string {
	if !text.IsCapital(w) {
		return w
	}
	if v := text.NameVariants(w); len(v) > 0 {
		return strings.Join(v[0], " ")
	}
	return w
}

// properName is a capitalised name of a question.
type properName struct {
	written string
	words   []string
}

// pluralAcronym reports whether a word is an acronym with a plural "s"
// ("NGOs", "CEOs"): a common noun, not a name.
func pluralAcronym(raw string) bool {
	if len(raw) < 3 || raw[len(raw)-1] != 's' {
		return false
	}
	for _, r := range raw[:len(raw)-1] {
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// weekdays and holidays are dates, not names ("just before Christmas").
var weekdays = map[string]bool{"monday": true, "tuesday": true, "wednesday": true, "thursday": true,
	"friday": true, "saturday": true, "sunday": true, "christmas": true, "easter": true,
	"thanksgiving": true, "ramadan": true, "hanukkah": true, "diwali": true}

// properNames returns the question's people and organisations: runs of
// adjacent words written with a capital (not at the start of a sentence) or
// in capitals, that are no known country or agency, month or weekday, each
// as written and as its folded content words ("Craig Kelly" → craig, kelly).
func properNames(question string) []properName {
	toks := text.Tokens(question)
	folded := make([]string, len(toks))
	for i, t := range toks {
		folded[i] = t.Word
	}
	var out []properName
	var cur []string
	from, to := 0, 0
	var next int // the token after the current name
	flush := func() {
		if len(cur) > 0 && !describesPerson(folded, next) && !describesAsked(folded, next-len(cur), next) {
			out = append(out, properName{written: question[from:to], words: cur})
		}
		cur = nil
	}
	for i := 0; i < len(toks); i++ {
		w := folded[i]
		if n := text.MentionAt(folded, i); n > 1 || n == 1 && text.IsContent(w) {
			flush()
			i += n - 1
			if i+1 < len(folded) && folded[i+1] == "city" {
				i++ // "Guatemala City": the country's capital, matched with the country
			}
			continue
		}
		raw := question[toks[i].Start:toks[i].End]
		if raw == "Day" && i > 0 && (len(cur) > 0 && next == i || weekdays[folded[i-1]]) {
			// "Christmas Day", "Labor Day", "New Year's Day": a holiday
			// names a date, not someone.
			cur = nil
			continue
		}
		if !isSalient(raw, sentenceStart(question, toks[i].Start)) || monthNames[w] || weekdays[w] || strings.ContainsAny(w, "0123456789") || pluralAcronym(raw) {
			flush()
			continue
		}
		if i > 0 {
			// Words of one name stand apart by spaces or a hyphen only
			// ("Díaz-Canel").
			if gap := strings.TrimSpace(question[toks[i-1].End:toks[i].Start]); gap != "" && gap != "-" {
				flush()
			}
		}
		if text.IsContent(w) {
			if len(cur) == 0 {
				from = toks[i].Start
			}
			cur = append(cur, w)
			to = toks[i].End
			next = i + 1
		}
	}
	flush()
	return out
}

// describesPerson reports whether the name before folded[i] is a
// possessive describing the person asked about ("Erdogan's chief adviser",
// "Lula's adviser"): the passage may name that person by office alone
// ("Chief Advisor to the President of Turkey"), so the name is not one to
// match.
func describesPerson(folded []string, i int) bool {
	if i >= len(folded) || folded[i] != "s" {
		return false
	}
	for j := i + 1; j < len(folded) && j <= i+3; j++ {
		if text.IsPersonNoun(folded[j]) {
			return true
		}
		if !text.IsContent(folded[j]) {
			return false
		}
	}
	return false
}

// describesAsked reports whether the name folded[from:to] stands between
// an interrogative and the noun of people it asks for ("Which *Cabinet*
// secretary…"): it describes the person asked about, whom the passage may
// name by office alone ("Secretary of Agriculture Tom Vilsack").
func describesAsked(folded []string, from, to int) bool {
	if from < 1 || to >= len(folded) || folded[from-1] != "which" && folded[from-1] != "what" {
		return false
	}
	return text.IsPersonNoun(folded[to])
}

// isAcronym reports whether a name is written as one word of two to six
// capital letters ("AMLO", "DFC").
func isAcronym(written string) bool {
	if len(written) < 2 || len(written) > 6 {
		return false
	}
	for _, r := range written {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// DefaultSameMeaning is the similarity of two words' vectors from which a
// passage's word counts as a question's word said otherwise in the
// Coverage and Focus a hit reports (wordvec.DefaultSameMeaning). Words
// that name (Salient: names, acronyms, numbers) are held only as written.
const DefaultSameMeaning = wordvec.DefaultSameMeaning

// inOtherWords recomputes a returned hit's Coverage and Focus with the
// question's words that the passage says in other words counted as held.
// Ranking reads the words as written: this is what the answerability
// decision reads, for the few passages returned.
func (s *Searcher) inOtherWords(h *attache.Hit, rc *rankContext) {
	tau := s.SameMeaning
	if tau == 0 {
		tau = DefaultSameMeaning
	}
	if tau < 0 {
		return
	}
	pw := s.passageWords(*h)
	said := func(t *QueryTerm) bool {
		if pw.has(t) {
			return true
		}
		if t.Salient {
			return false
		}
		w, ok := wordvec.Lookup(t.Word) // a name of several words has no vector
		return ok && wordvec.Closest(w, pw.vectors()) >= tau
	}
	cov := heldShare(rc.terms, said)
	if rc.window != (attache.DateRange{}) {
		cov = withDate(cov, rc.terms, rc.window.Contains(h.Date) || mentionsYear(&pw, rc.window))
	}
	h.Coverage = max(h.Coverage, cov)
	h.Focus = max(h.Focus, heldShare(rc.focus, said))
}

// focusHeld is the share of the focus a passage holds: its words, and
// the question's proper names the passage matches as names (see
// questionName.in: by their initials, "Federal Deposit Insurance
// Corporation" for "FDIC", by a surname, by the office), so that a name
// the names rule finds is not missing from the focus.
func focusHeld(focus []QueryTerm, pw *passageWords, names []questionName, missing []string) float64 {
	return heldShare(focus, func(t *QueryTerm) bool {
		if pw.has(t) {
			return true
		}
		st := text.Stem(t.Word)
		for _, n := range names {
			if n.term == nil && (n.acronym == t.Word || n.stem == st || n.last == st) && !slices.Contains(missing, n.display) {
				return true
			}
		}
		return false
	})
}

// heldShare returns the share of the terms' weight that held reports as
// held (0 when they weigh nothing).
func heldShare(terms []QueryTerm, held func(*QueryTerm) bool) float64 {
	var total, got float64
	for i := range terms {
		t := &terms[i]
		total += t.Weight
		if held(t) {
			got += t.Weight
		}
	}
	if total == 0 {
		return 0
	}
	return got / total
}
