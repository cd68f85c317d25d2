package dates

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"attache"
)

// QueryDates is what QueryRange reads in a question.
type QueryDates struct {
	Range   attache.DateRange
	Latest  bool     // the question asks for the newest information
	Cleaned string   // question with the time expressions removed
	Found   []string // the expressions recognised, as written
}

// bound is one expression's limits; a missing side is open.
type bound struct {
	since, until       date
	hasSince, hasUntil bool
}

func within(lo, hi date) bound { return bound{since: lo, until: hi, hasSince: true, hasUntil: true} }
func sinceB(d date) bound      { return bound{since: d, hasSince: true} }
func untilB(d date) bound      { return bound{until: d, hasUntil: true} }
func (b bound) empty() bool {
	return b.hasSince && b.hasUntil && cmp(b.since.first(), b.until.last()) > 0
}
func (b bound) rng() (r attache.DateRange) {
	if b.hasSince {
		r.Since = b.since.iso()
	}
	if b.hasUntil {
		r.Until = b.until.iso()
	}
	return r
}

// QueryRange reads the time expressions of a question, relative to now,
// and returns the date range they mean and the question without them (see
// the package documentation for the rules). A question without any keeps an
// open range and its trimmed text; so does one that would be left without a
// letter or digit once they are removed ("in 2021?").
func QueryRange(question string, now time.Time) QueryDates {
	trimmed := strings.TrimSpace(question)
	out := QueryDates{Cleaned: trimmed}
	p := newParser(question, inQuestion, dayOf(now))
	if y := onlyYear(p.toks); y != 0 && y < now.Year() {
		// A date without its year ("after July 11") is of the one year
		// the question names elsewhere ("the November 2021 statement"),
		// not of the last twelve months.
		p.years = date{y, 12, 31}
	}
	var cuts [][2]int
	var bounds []bound
	for i := 0; i < len(p.toks); {
		j, b, latest, ok := p.questionExpr(i)
		if !ok {
			i++
			continue
		}
		start, end := p.toks[i].start, p.toks[j-1].end
		cuts = append(cuts, [2]int{start, end})
		out.Found = append(out.Found, question[start:end])
		if latest {
			out.Latest = true
		} else {
			bounds = append(bounds, b)
		}
		i = j
	}
	out.Range = combine(bounds).rng()
	if len(cuts) > 0 {
		var sb strings.Builder
		last := 0
		for _, c := range cuts {
			sb.WriteString(question[last:c[0]])
			sb.WriteByte(' ')
			last = c[1]
		}
		sb.WriteString(question[last:])
		if cleaned := tidy(sb.String()); hasAlnum(cleaned) || !hasAlnum(trimmed) {
			out.Cleaned = cleaned
		}
	}
	return out
}

// questionExpr reads the time expression that starts at token i: its end,
// its bound, or whether it asks for the latest news.
func (p *parser) questionExpr(i int) (int, bound, bool, bool) {
	if j, ok := p.latest(i); ok {
		return j, bound{}, true, true
	}
	if j, b, ok := p.rolling(i); ok {
		return j, b, false, true
	}
	if j, b, ok := p.withPrep(i); ok {
		return j, b, false, true
	}
	if e, ok := p.at(i); ok && !e.lone && !p.namesSomething(i) {
		return e.j, within(e.lo, e.hi), false, true
	}
	return 0, bound{}, false, false
}

// latest reads "latest", "the most recent", "recently", "in recent years".
func (p *parser) latest(i int) (int, bool) {
	if p.isWord(i, "in", "over", "during") && p.isWord(i+1, "recent") && unitWords[p.tok(i+2).low] != 0 {
		return i + 3, true
	}
	j := i
	if p.isWord(j, "the") {
		j++
	}
	switch {
	case p.isWord(j, "latest", "newest", "recently", "lately"):
		return j + 1, true
	case p.isWord(j, "most") && p.isWord(j+1, "recent", "recently"):
		return j + 2, true
	case p.isWord(j, "recent"):
		if unitWords[p.tok(j+1).low] != 0 {
			return j + 2, true // recent years
		}
		return j + 1, true
	}
	return 0, false
}

// rolling reads a period that ends now: "in the last 6 months", "past 3
// years", "over the past year", "the last decade". "last year" without
// "the" or a count is the calendar year, read by relative.
func (p *parser) rolling(i int) (int, bound, bool) {
	j := i
	if p.isWord(j, "in", "over", "during", "within", "for", "throughout") {
		j++
	}
	the := p.isWord(j, "the")
	if the {
		j++
	}
	if !p.isWord(j, "last", "past") {
		return 0, bound{}, false
	}
	past := p.isWord(j, "past")
	j++
	n, counted := p.count(j)
	if counted && p.tok(j).low != "a" && p.tok(j).low != "an" {
		j++
	} else {
		n, counted = 1, false
	}
	u := unitWords[p.tok(j).low]
	if u == 0 || (!the && !counted && !past && u != 'D') || (!counted && strings.HasSuffix(p.tok(j).low, "s")) {
		return 0, bound{}, false
	}
	j++
	now := p.ref.time()
	var since time.Time
	switch u {
	case 'd':
		since = now.AddDate(0, 0, -n)
	case 'w':
		since = now.AddDate(0, 0, -7*n)
	case 'm':
		since = now.AddDate(0, -n, 0)
	case 'y':
		since = now.AddDate(-n, 0, 0)
	default:
		since = now.AddDate(-10*n, 0, 0)
	}
	d := dayOf(since)
	if !d.valid() {
		return 0, bound{}, false
	}
	return j, sinceB(d), true
}

type prepKind uint8

const (
	pIn prepKind = iota + 1
	pSince
	pFrom
	pAfter
	pBefore
	pUntil
	pBetween
)

var preps = map[string]prepKind{
	"in": pIn, "during": pIn, "throughout": pIn, "on": pIn, "en": pIn, "durante": pIn,
	"since": pSince, "from": pFrom, "desde": pFrom, "after": pAfter, "before": pBefore,
	"until": pUntil, "till": pUntil, "through": pUntil, "by": pUntil, "hasta": pUntil,
	"between": pBetween, "entre": pBetween,
}

// prepAt reads a preposition of time at token i.
func (p *parser) prepAt(i int) (prepKind, int, bool) {
	switch {
	case p.isWord(i, "up") && p.isWord(i+1, "to"):
		return pUntil, i + 2, true
	case p.isWord(i, "prior") && p.isWord(i+1, "to"), p.isWord(i, "antes") && p.isWord(i+1, "de"):
		return pBefore, i + 2, true
	case p.isWord(i, "después", "despues") && p.isWord(i+1, "de"):
		return pAfter, i + 2, true
	}
	if t := p.tok(i); t.kind == word && preps[t.low] != 0 {
		return preps[t.low], i + 1, true
	}
	return 0, 0, false
}

// vague skips "early", "late", "mid-" before a date, and "the" before an
// ordinal day ("on the 19th of February").
func (p *parser) vague(j int) int {
	if p.isWord(j, "early", "late", "mid") {
		j++
		if p.isPunct(j, "-") && p.attached(j) {
			j++
		}
	}
	if p.isWord(j, "the") && p.tok(j+1).ord {
		j++
	}
	return j
}

// withPrep reads a preposition and the date it governs: "in 2015", "since
// March 2022", "between 2021 and 2023", "from 2021 to 2023".
func (p *parser) withPrep(i int) (int, bound, bool) {
	k, j, ok := p.prepAt(i)
	if !ok {
		return 0, bound{}, false
	}
	e, ok := p.at(p.vague(j))
	if !ok {
		return 0, bound{}, false
	}
	switch k {
	case pIn:
		// in 2015 or 2016, in May and June 2022
		if p.isWord(e.j, "and", "or", "y", "o") {
			if e2, ok := p.at(e.j + 1); ok && e2.lo.prec() == e.lo.prec() {
				return e2.j, joined(e, e2), true
			}
		}
		return e.j, within(e.lo, e.hi), true
	case pSince:
		return e.j, sinceB(e.lo), true
	case pAfter:
		return e.j, sinceB(e.hi.shift(1)), true
	case pBefore:
		return e.j, untilB(e.lo.shift(-1)), true
	case pUntil:
		return e.j, untilB(e.hi), true
	}
	// between and from: a second date after "and", "to"...
	conj := []string{"and", "y"}
	if k == pFrom {
		conj = []string{"to", "until", "till", "through", "hasta", "a"}
	}
	if p.isWord(e.j, conj...) || (k == pFrom && p.isPunct(e.j, "-", "–")) {
		if e2, ok := p.at(p.vague(e.j + 1)); ok {
			return e2.j, joined(e, e2), true
		}
	}
	if k == pFrom {
		return e.j, sinceB(e.lo), true
	}
	return 0, bound{}, false
}

// joined is the range from e to e2. A first date whose year was inferred
// takes the year of a second one that has its own ("between March and June
// 2022"); dates given in reverse order are swapped.
func joined(e, e2 expr) bound {
	lo, hi := e.lo, e2.hi
	if e.inferred && !e2.inferred && lo.m != 0 {
		if c := (date{e2.lo.y, lo.m, lo.d}); c.valid() {
			lo = c
		}
	}
	if cmp(lo.first(), hi.last()) > 0 {
		lo, hi = e2.lo, e.hi
	}
	return within(lo, hi)
}

// namesSomething reports whether a determiner or a possessive stands before
// token i, making a date that starts with a month, a weekday or a year an
// attribute ("the July 2021 protests") rather than a time of the question.
func (p *parser) namesSomething(i int) bool {
	if t := p.tok(i); t.kind == number && t.ndig <= 2 {
		return false // the 19th of February
	}
	if p.isWord(i-1, "s") && p.isPunct(i-2, "'", "’") {
		return true
	}
	t := p.tok(i - 1)
	return t.kind == word && determiners[t.low]
}

// combine intersects the bounds of several expressions; when they
// contradict each other it returns their union.
func combine(bs []bound) bound {
	var r bound
	for _, b := range bs {
		if b.hasSince && (!r.hasSince || cmp(b.since.first(), r.since.first()) > 0) {
			r.since, r.hasSince = b.since, true
		}
		if b.hasUntil && (!r.hasUntil || cmp(b.until.last(), r.until.last()) < 0) {
			r.until, r.hasUntil = b.until, true
		}
	}
	if !r.empty() {
		return r
	}
	var u bound
	openSince, openUntil := false, false
	for _, b := range bs {
		if !b.hasSince {
			openSince = true
		} else if !u.hasSince || cmp(b.since.first(), u.since.first()) < 0 {
			u.since, u.hasSince = b.since, true
		}
		if !b.hasUntil {
			openUntil = true
		} else if !u.hasUntil || cmp(b.until.last(), u.until.last()) > 0 {
			u.until, u.hasUntil = b.until, true
		}
	}
	u.hasSince = u.hasSince && !openSince
	u.hasUntil = u.hasUntil && !openUntil
	return u
}

// tidy collapses the white space left by removed expressions and the
// punctuation they orphaned.
func tidy(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for _, r := range []struct{ old, new string }{
		{" ?", "?"}, {" .", "."}, {" ,", ","}, {" !", "!"}, {" ;", ";"}, {" :", ":"},
		{",?", "?"}, {",.", "."}, {",!", "!"}, {",,", ","}, {"( )", ""}, {"()", ""},
	} {
		s = strings.ReplaceAll(s, r.old, r.new)
	}
	return strings.Trim(s, " ,;:")
}

func hasAlnum(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// onlyYear returns the year a question names when it names exactly one
// (a four-digit number from 1900 to 2100 standing alone), else 0.
func onlyYear(toks []token) int {
	year := 0
	for _, t := range toks {
		if !isYear(t) {
			continue
		}
		if year != 0 && t.val != year {
			return 0
		}
		year = t.val
	}
	return year
}

// YearWritten reports whether a time expression found writes its year
// ("in February 2010", "since 2022"), rather than being read against the
// day the question is asked ("last week", "in June").
func (q QueryDates) YearWritten() bool {
	for _, f := range q.Found {
		if slices.ContainsFunc(tokenize(f), isYear) {
			return true
		}
	}
	return false
}
