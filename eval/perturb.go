package eval

import (
	"hash/fnv"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"attache/internal/text"
)

// Rules of Perturb: each makes an unanswerable question from an answerable
// one by changing one thing, as in SQuAD 2.0.
const (
	// RuleCountry swaps a country (in any of its forms: name, adjective,
	// people, capital) for one that no article mentions.
	RuleCountry = "country"
	// RulePerson swaps a person the question names, found in its article,
	// for one that no article mentions.
	RulePerson = "person"
	// RuleOrganisation swaps an international body for one that no article
	// mentions.
	RuleOrganisation = "org"
	// RuleYear moves the year the question names to one its article neither
	// is dated in nor mentions, and in which no article holds the question's
	// other key words.
	RuleYear = "year"
	// RuleAmount asks how many times something happened ("Why did …" →
	// "How many times did …") when neither the evidence passage nor any
	// passage holding the question's key words states a number.
	RuleAmount = "amount"
)

// Rules lists the rules in the order Perturb applies them.
//
// There is no rule asking "by whom" where no person is named: an
// organisation ("by the relief agency") or the speaker of a statement
// answers it as well as a named person does.
var Rules = []string{RuleCountry, RulePerson, RuleOrganisation, RuleYear, RuleAmount}

// PerturbOptions configure Perturb.
type PerturbOptions struct {
	// Seed makes the choices (which name to change, what to change it to);
	// the same seed, questions and corpus give the same output.
	Seed uint64
	// Rules restricts the rules applied; empty = all.
	Rules []string
}

// Perturb makes unanswerable questions from the answerable questions of qs:
// at most one per rule and source question, each validated against the
// corpus so that no article answers it. A generated question has type
// unanswerable, the ID of its source followed by "~" and the rule, Origin set
// to its source's first document (so it falls in the same half) and Rule set.
// Questions with a conversation history are left alone: the change would
// have to follow the history.
func Perturb(qs []Question, c *Corpus, o PerturbOptions) []Question {
	rules := o.Rules
	if len(rules) == 0 {
		rules = Rules
	}
	p := &perturber{c: c, absent: map[string]bool{}}
	var out []Question
	for _, q := range qs {
		if !q.Answerable() || len(q.History) > 0 || len(q.DocIDs) == 0 || len(c.document(q.DocIDs[0])) == 0 {
			continue
		}
		for _, rule := range rules {
			h := fnv.New64a()
			h.Write([]byte(q.ID + "\x00" + rule))
			rng := rand.New(rand.NewPCG(o.Seed, h.Sum64()))
			changed := p.apply(rule, q, rng)
			if changed == "" {
				continue
			}
			out = append(out, Question{ID: q.ID + "~" + rule, Question: changed, Type: TypeUnanswerable,
				Origin: q.DocIDs[0], Rule: rule})
		}
	}
	return out
}

type perturber struct {
	c *Corpus
	// absent caches whether no article mentions a phrase.
	absent map[string]bool
}

// unmentioned reports whether no article mentions any of the phrases.
func (p *perturber) unmentioned(phrases ...string) bool {
	for _, ph := range phrases {
		if ph == "" {
			continue
		}
		key := text.Fold(ph)
		no, ok := p.absent[key]
		if !ok {
			no = !p.c.Mentions(ph)
			p.absent[key] = no
		}
		if !no {
			return false
		}
	}
	return true
}

func (p *perturber) apply(rule string, q Question, rng *rand.Rand) string {
	switch rule {
	case RuleCountry:
		return p.swapCountry(q.Question, rng)
	case RulePerson:
		return p.swapPerson(q, rng)
	case RuleOrganisation:
		return p.swapOrganisation(q.Question, rng)
	case RuleYear:
		return p.moveYear(q, rng)
	case RuleAmount:
		return p.askAmount(q)
	}
	return ""
}

// span is a replacement of s[start:end].
type span struct {
	start, end int
	with       string
}

// replace applies non-overlapping replacements to s and capitalises a
// replacement that starts the sentence.
func replace(s string, spans []span) string {
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp.start])
		w := sp.with
		if sp.start == 0 {
			r, n := utf8.DecodeRuneInString(w)
			w = string(unicode.ToUpper(r)) + w[n:]
		}
		b.WriteString(w)
		last = sp.end
	}
	b.WriteString(s[last:])
	return b.String()
}

// find returns the byte spans of s where phrase occurs as whole words,
// compared folded; with exact, the original letters must be phrase's own
// (for acronyms, which as words would match "can" or "who").
func find(s string, toks []text.Token, phrase string, exact bool) [][2]int {
	ws := text.Words(phrase)
	if len(ws) == 0 {
		return nil
	}
	var out [][2]int
	for i := 0; i+len(ws) <= len(toks); i++ {
		ok := true
		for j, w := range ws {
			if toks[i+j].Word != w {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		start, end := toks[i].Start, toks[i+len(ws)-1].End
		if exact && s[start:end] != phrase {
			continue
		}
		out = append(out, [2]int{start, end})
	}
	return out
}

func overlaps(spans []span, a [2]int) bool {
	for _, sp := range spans {
		if a[0] < sp.end && sp.start < a[1] {
			return true
		}
	}
	return false
}

// bare drops a leading "the " of a country's name.
func bare(name string) string { return strings.TrimPrefix(name, "the ") }

// candidates returns the indices (below n) of the replacements whose forms
// no article mentions; when every one is mentioned somewhere, as in a large
// corpus, those that no article mentions together with half or more of the
// question's other key words (keys, see keyStems).
func (p *perturber) candidates(n int, keys []string, forms func(i int) []string) []int {
	var out []int
	for i := range n {
		if p.unmentioned(forms(i)...) {
			out = append(out, i)
		}
	}
	if len(out) > 0 {
		return out
	}
	for i := range n {
		if !p.mentionedWith(forms(i), keys) {
			out = append(out, i)
		}
	}
	return out
}

// mentionedWith reports whether an article mentions one of the phrases and
// half or more of the keys (any article, when there are no keys).
func (p *perturber) mentionedWith(phrases, keys []string) bool {
	docs := map[string]bool{}
	for _, ph := range phrases {
		if ph == "" {
			continue
		}
		for _, i := range p.c.phrase(ph) {
			docs[p.c.passages[i].DocID] = true
		}
	}
	for d := range docs {
		in := p.c.document(d)
		held := 0
		for _, k := range keys {
			if len(intersect(p.c.byStem[k], in)) > 0 {
				held++
			}
		}
		if 2*held >= len(keys) {
			return true
		}
	}
	return false
}

// swapCountry replaces every form of one country of the question with the
// same form of a country no article mentions.
func (p *perturber) swapCountry(q string, rng *rand.Rand) string {
	toks := text.Tokens(q)
	type found struct {
		i     int    // the country
		spans []span // where it is named
		roles []int  // and in which form
	}
	var hits []found
	var taken []span
	// Longer forms first, so that "Mexico City" is a capital, not Mexico.
	type form struct {
		country, role int
		words         string
	}
	var forms []form
	for i, c := range countries {
		for r, f := range c.forms() {
			if f != "" {
				forms = append(forms, form{i, r, bare(f)})
			}
		}
	}
	slices.SortStableFunc(forms, func(a, b form) int { return len(text.Words(b.words)) - len(text.Words(a.words)) })
	byCountry := map[int]int{}
	for _, f := range forms {
		for _, loc := range find(q, toks, f.words, false) {
			if overlaps(taken, loc) {
				continue
			}
			sp := span{start: loc[0], end: loc[1]}
			if f.role == 0 && strings.HasPrefix(countries[f.country].noun, "the ") &&
				strings.HasSuffix(strings.ToLower(q[:loc[0]]), "the ") {
				sp.start -= len("the ")
			}
			taken = append(taken, sp)
			k, ok := byCountry[f.country]
			if !ok {
				k = len(hits)
				byCountry[f.country] = k
				hits = append(hits, found{i: f.country})
			}
			hits[k].spans = append(hits[k].spans, sp)
			hits[k].roles = append(hits[k].roles, f.role)
		}
	}
	if len(hits) == 0 {
		return ""
	}
	slices.SortFunc(hits, func(a, b found) int { return a.i - b.i })
	h := hits[rng.IntN(len(hits))]
	var usable []country
	for i, c := range countries {
		if _, named := byCountry[i]; named {
			continue
		}
		fs := c.forms()
		ok := true
		for _, r := range h.roles {
			if fs[r] == "" {
				ok = false
			}
		}
		if ok {
			usable = append(usable, c)
		}
	}
	from := countries[h.i].forms()
	keys := keyStems(q, text.Words(strings.Join(from[:], " "))...)
	cands := p.candidates(len(usable), keys, func(i int) []string {
		c := usable[i]
		return []string{bare(c.noun), c.adj, c.people, c.capital}
	})
	if len(cands) == 0 {
		return ""
	}
	to := usable[cands[rng.IntN(len(cands))]].forms()
	spans := make([]span, len(h.spans))
	for i, sp := range h.spans {
		sp.with = to[h.roles[i]]
		if h.roles[i] == 0 && strings.HasSuffix(strings.ToLower(q[:sp.start]), "the ") {
			sp.with = bare(sp.with)
		}
		spans[i] = sp
	}
	return replace(q, spans)
}

var (
	titleAlt = func() string {
		ts := slices.Clone(titles)
		slices.SortFunc(ts, func(a, b string) int { return len(b) - len(a) })
		for i, t := range ts {
			ts[i] = regexp.QuoteMeta(t)
		}
		return strings.Join(ts, "|")
	}()
	// titledName matches a title and the capitalised words of the name
	// that follows it.
	titledName = regexp.MustCompile(`\b(?:` + titleAlt + `)\s+(\p{Lu}\p{Ll}[\p{L}-]*(?:\s+\p{Lu}\p{Ll}[\p{L}-]*){0,2})`)
	// fullName matches two or three capitalised words in a row (not
	// acronyms), with an initial between them.
	fullName = `\p{Lu}\p{Ll}[\p{L}-]*(?:\s+\p{Lu}\.)?(?:\s+\p{Lu}\p{Ll}[\p{L}-]*){1,2}`
	// titledAfter matches a full name followed by its title: "Craig
	// Kelly, Deputy Assistant Secretary".
	titledAfter = regexp.MustCompile(`(` + fullName + `),\s+(?:the\s+)?(?:\p{Lu}\p{Ll}+\s+){0,3}(?:` + titleAlt + `)\b`)
)

// notNameWords are capitalised words that begin or continue the names of
// places, bodies, documents and dates rather than of people.
var notNameWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`united states white house department state office ministry republic national
		security council foreign affairs government administration joint statement fact sheet western hemisphere
		north south east west central latin america american americas new york city island islands ocean sea gulf
		january february march april may june july august september october november december monday tuesday
		wednesday thursday friday saturday sunday embassy congress senate court bank fund organization union
		nations community agency service forces force army navy air guard coast border trade agreement act
		program partnership dialogue summit conference plan policy initiative strategy alliance treaty
		commission committee corps declaration framework the and of for on in at to a an president vice prime
		minister secretary ambassador general day independence covid`) {
		m[w] = true
	}
	for _, c := range countries {
		for _, f := range c.forms() {
			for _, w := range text.Words(f) {
				m[w] = true
			}
		}
	}
	for _, o := range organisations {
		for _, w := range text.Words(o.name + " " + o.acronym) {
			m[w] = true
		}
	}
	return m
}()

// personName reports whether a run of capitalised words reads as a person's
// name: none of its words is a function word ("Under", "The") or a word of
// place, body or date names.
func personName(s string) bool {
	for _, w := range text.Words(s) {
		if notNameWords[w] || text.IsStopword(w) {
			return false
		}
	}
	return true
}

// articlePeople returns the names of the people an article names: the
// names with a title before them ("President Biden") or after them ("Craig
// Kelly, Deputy Assistant Secretary"), each with its last word (a surname)
// as a name too. A run of capitalised words alone is no person: it is as
// often a programme ("Temporary Protected Status").
func (p *perturber) articlePeople(doc []int32) map[string]bool {
	names := map[string]bool{}
	addName := func(n string) {
		if !personName(n) {
			return
		}
		ws := text.Words(n)
		names[strings.Join(ws, " ")] = true
		if len(ws) > 1 && len(ws[len(ws)-1]) > 2 {
			names[ws[len(ws)-1]] = true
		}
	}
	for _, i := range doc {
		t := p.c.passages[i].Text
		for _, m := range titledName.FindAllStringSubmatch(t, -1) {
			addName(m[1])
		}
		for _, m := range titledAfter.FindAllStringSubmatch(t, -1) {
			addName(m[1])
		}
	}
	return names
}

// swapPerson replaces a person the question names with one no article
// mentions: a surname for a surname, a full name for a full name. A person
// is a name, or a surname, that the question's article gives a person.
func (p *perturber) swapPerson(q Question, rng *rand.Rand) string {
	known := p.articlePeople(p.c.document(q.DocIDs[0]))
	toks := text.Tokens(q.Question)
	var found [][2]int
	// Longest names first, then left to right.
	for n := 3; n >= 1; n-- {
		for i := 0; i+n <= len(toks); i++ {
			loc := [2]int{toks[i].Start, toks[i+n-1].End}
			name := q.Question[loc[0]:loc[1]]
			r, _ := utf8.DecodeRuneInString(name)
			if !unicode.IsUpper(r) || strings.ContainsAny(name, "'’") {
				continue
			}
			ws := make([]string, n)
			for j := range ws {
				ws[j] = toks[i+j].Word
			}
			if !known[strings.Join(ws, " ")] || slices.ContainsFunc(found, func(f [2]int) bool { return loc[0] < f[1] && f[0] < loc[1] }) {
				continue
			}
			found = append(found, loc)
		}
	}
	if len(found) == 0 {
		return ""
	}
	slices.SortFunc(found, func(a, b [2]int) int { return a[0] - b[0] })
	n := found[rng.IntN(len(found))]
	var cands []string
	for _, who := range people {
		ws := strings.Fields(who)
		if p.unmentioned(who, ws[len(ws)-1]) {
			cands = append(cands, who)
		}
	}
	if len(cands) == 0 {
		return ""
	}
	who := cands[rng.IntN(len(cands))]
	if len(text.Words(q.Question[n[0]:n[1]])) == 1 {
		ws := strings.Fields(who)
		who = ws[len(ws)-1]
	}
	return replace(q.Question, []span{{n[0], n[1], who}})
}

// swapOrganisation replaces an international body the question names with
// one no article mentions, acronym for acronym when it has one.
func (p *perturber) swapOrganisation(q string, rng *rand.Rand) string {
	toks := text.Tokens(q)
	type found struct {
		org  int
		loc  [2]int
		abbr bool
	}
	var hits []found
	for i, o := range organisations {
		for _, loc := range find(q, toks, o.name, false) {
			hits = append(hits, found{i, loc, false})
		}
		if o.acronym != "" {
			for _, loc := range find(q, toks, o.acronym, true) {
				hits = append(hits, found{i, loc, true})
			}
		}
	}
	if len(hits) == 0 {
		return ""
	}
	h := hits[rng.IntN(len(hits))]
	var usable []organisation
	for i, o := range organisations {
		if i != h.org && !slices.ContainsFunc(hits, func(f found) bool { return f.org == i }) {
			usable = append(usable, o)
		}
	}
	from := organisations[h.org]
	keys := keyStems(q, text.Words(from.name+" "+from.acronym)...)
	cands := p.candidates(len(usable), keys, func(i int) []string { return []string{usable[i].name, usable[i].acronym} })
	if len(cands) == 0 {
		return ""
	}
	to := usable[cands[rng.IntN(len(cands))]]
	// Every mention of the body changes, not only the one chosen.
	var spans []span
	for _, f := range hits {
		if f.org == h.org {
			w := to.name
			if f.abbr && to.acronym != "" {
				w = to.acronym
			}
			spans = append(spans, span{f.loc[0], f.loc[1], w})
		}
	}
	return replace(q, spans)
}

// keyStems returns the keys (see key) of the question's content words,
// leaving out the words of skip.
func keyStems(q string, skip ...string) []string {
	var out []string
	for _, w := range text.ContentWords(q) {
		if slices.Contains(skip, w) {
			continue
		}
		out = append(out, key(w))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// moveYear moves a year of the question by one to four years, to a year
// within the corpus's dates that the source article is not dated in and
// does not mention, and in which no article holds the question's other key
// words.
func (p *perturber) moveYear(q Question, rng *rand.Rand) string {
	toks := text.Tokens(q.Question)
	var years []text.Token
	for _, t := range toks {
		if y, err := strconv.Atoi(t.Word); err == nil && len(t.Word) == 4 && y >= 1900 && y < 2100 {
			years = append(years, t)
		}
	}
	if len(years) == 0 {
		return ""
	}
	origin := p.c.document(q.DocIDs[0])
	// A year after the article's own names a plan or a programme ("Vision
	// 2030"), not the date of what the article reports: it stays.
	if published := yearOf(p.c.passages[origin[0]].Date); published > 0 {
		years = slices.DeleteFunc(years, func(t text.Token) bool {
			y, _ := strconv.Atoi(t.Word)
			return y > published
		})
	}
	if len(years) == 0 {
		return ""
	}
	t := years[rng.IntN(len(years))]
	year, _ := strconv.Atoi(t.Word)
	keys := keyStems(q.Question, t.Word)
	withKeys := p.c.withAll(p.c.byStem, keys)
	shifts := []int{-4, -3, -2, -1, 1, 2, 3, 4}
	rng.Shuffle(len(shifts), func(i, j int) { shifts[i], shifts[j] = shifts[j], shifts[i] })
	for _, d := range shifts {
		y := year + d
		ys := strconv.Itoa(y)
		if y < p.c.minYear || y > p.c.maxYear {
			continue
		}
		if yearOf(p.c.passages[origin[0]].Date) == y || len(intersect(p.c.byWord[ys], origin)) > 0 {
			continue
		}
		answered := false
		for _, i := range withKeys {
			if yearOf(p.c.passages[i].Date) == y || strings.Contains(p.c.words[i], " "+ys+" ") {
				answered = true
				break
			}
		}
		if answered {
			continue
		}
		return replace(q.Question, []span{{t.Start, t.End, ys}})
	}
	return ""
}

var (
	// active matches a question about an action: "Why did Cuba expel …?".
	active = regexp.MustCompile(`^(?i:when|where|why|how)\s+((?i:did|does|do)\s+.+)$`)
	// number matches a figure: digits or a number word.
	number = regexp.MustCompile(`(?i)\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|trillion|dozens?|once|twice|first|second|third|several|multiple|numerous|many|percent)\b`)
	// dateNumbers matches the figures that are part of a date, which say no
	// amount: years and the days of months.
	dateNumbers = regexp.MustCompile(`\b(?:19|20)\d\d\b|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?i:of\s+)?(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*`)
)

// statesNumber reports whether s states a figure other than a date.
func statesNumber(s string) bool {
	return number.MatchString(dateNumbers.ReplaceAllString(s, " "))
}

// askAmount asks an active question again as how many times its action
// happened, when neither the evidence passage nor any passage holding all
// the question's key words states a number.
func (p *perturber) askAmount(q Question) string {
	m := active.FindStringSubmatch(q.Question)
	if m == nil {
		return ""
	}
	for _, i := range p.evidencePassages(q) {
		if statesNumber(p.c.passages[i].Text) {
			return ""
		}
	}
	for _, i := range p.c.withAll(p.c.byStem, keyStems(q.Question)) {
		if statesNumber(p.c.passages[i].Text) {
			return ""
		}
	}
	return "How many times " + m[1]
}

// evidencePassages returns the passages of the question's first document
// that hold its evidence, or all its passages when none does.
func (p *perturber) evidencePassages(q Question) []int32 {
	doc := p.c.document(q.DocIDs[0])
	ev := normalize(q.Evidence)
	if ev == "" {
		return doc
	}
	var out []int32
	for _, i := range doc {
		if strings.Contains(normalize(p.c.passages[i].Text), ev) {
			out = append(out, i)
		}
	}
	if len(out) == 0 {
		return doc
	}
	return out
}
