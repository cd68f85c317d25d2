package dates

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// mode says what kind of text is read.
type mode uint8

const (
	inText     mode = iota // an article sentence: English names capitalised, bare years allowed
	inQuestion             // a question: any case, year inference never looks ahead of now
	inFlag                 // one date given by a person: any case, any four-digit year
)

type parser struct {
	text string
	toks []token
	mode mode
	ref  date // y == 0: unknown
	// years is the reference for a date written without its year, when
	// it is not ref: in a question that names one year elsewhere ("after
	// July 11, according to the November 2021 statement"), that year's end.
	years date
	// bad says why a date that was complete in form is impossible
	// ("February 2010 has no day 30"), for Normalize's error.
	bad string
}

func newParser(text string, m mode, ref date) *parser {
	return &parser{text: text, toks: tokenize(text), mode: m, ref: ref}
}

// expr is a date expression: tokens [i, j) meaning the days from lo to hi
// (equal except for weeks and ranges of years).
type expr struct {
	i, j   int
	lo, hi date
	// lone: a bare year, a month alone or a weekday alone; in a question it
	// needs a preposition.
	lone bool
	// inferred: the date depends on the reference date.
	inferred bool
}

func point(i, j int, d date) expr { return expr{i: i, j: j, lo: d, hi: d} }

// date is the ISO prefix an article mention resolves to: the common part
// of lo and hi (a week is its month).
func (e expr) date() string {
	if e.lo == e.hi {
		return e.lo.iso()
	}
	return date{y: e.lo.y, m: e.lo.m}.iso()
}

// patterns are tried in order at each token; the first that matches wins.
var patterns = [...]func(*parser, int) (expr, bool){
	(*parser).numeric,
	(*parser).monthDayYear,
	(*parser).dayMonthYear,
	(*parser).monthYear,
	(*parser).monthDay,
	(*parser).dayMonth,
	(*parser).relative,
	(*parser).weekdayAlone,
	(*parser).monthAlone,
	(*parser).yearAlone,
}

// at returns the date expression that starts at token i.
func (p *parser) at(i int) (expr, bool) {
	if i < 0 || i >= len(p.toks) {
		return expr{}, false
	}
	for _, f := range patterns {
		if e, ok := f(p, i); ok && e.j > e.i && e.lo.valid() && e.hi.valid() {
			return e, true
		}
	}
	return expr{}, false
}

// tok returns token i, or a zero token (kind none) outside the text.
func (p *parser) tok(i int) token {
	if i < 0 || i >= len(p.toks) {
		return token{}
	}
	return p.toks[i]
}

// attached reports whether token i exists and touches the token before it.
func (p *parser) attached(i int) bool {
	return i > 0 && i < len(p.toks) && !p.toks[i].space
}

func (p *parser) isWord(i int, words ...string) bool {
	t := p.tok(i)
	return t.kind == word && slices.Contains(words, t.low)
}

func (p *parser) isPunct(i int, chars ...string) bool {
	t := p.tok(i)
	return t.kind == punct && slices.Contains(chars, t.text)
}

// wordBefore returns the lower-case word before token i, looking past one
// period ("No. 2010"), or "".
func (p *parser) wordBefore(i int) string {
	k := i - 1
	if p.isPunct(k, ".") {
		k--
	}
	if t := p.tok(k); t.kind == word {
		return t.low
	}
	return ""
}

// numberAfter reports whether the token at j continues a number: digits or
// letters glued on, a percent sign, or "-", "/", "." followed by digits.
func (p *parser) numberAfter(j int) bool {
	if !p.attached(j) {
		return false
	}
	t := p.tok(j)
	switch {
	case t.kind == number || t.kind == other || t.kind == word:
		return true
	case p.isPunct(j, "%"):
		return true
	case p.isPunct(j, "-", "–", "/", ".", ","):
		n := p.tok(j + 1)
		return p.attached(j+1) && (n.kind == number || n.kind == other)
	}
	return false
}

// numberBefore is numberAfter looking left of token i.
func (p *parser) numberBefore(i int) bool {
	if !p.attached(i) {
		return false
	}
	t := p.tok(i - 1)
	switch {
	case t.kind == number || t.kind == other || t.kind == word:
		return true
	case p.isPunct(i-1, "$", "€", "£", "¥", "#"):
		return true
	case p.isPunct(i-1, "-", "–", "/", ".", ","):
		b := p.tok(i - 2)
		return p.attached(i-1) && (b.kind == number || b.kind == other)
	}
	return false
}

// monthAt reads a month name at token i: its number and the index after it
// (and after the period of an abbreviation). Abbreviations are refused when
// alone is set; English names must be capitalised in article text.
func (p *parser) monthAt(i int, alone bool) (int, int, bool) {
	t := p.tok(i)
	w, ok := monthWords[t.low]
	if t.kind != word || !ok || (w.english && p.mode == inText && !capitalised(t.text)) {
		return 0, 0, false
	}
	j := i + 1
	if w.abbr {
		if alone {
			return 0, 0, false
		}
		if p.isPunct(j, ".") && p.attached(j) {
			j++
		}
	}
	return w.m, j, true
}

// weekdayAt reads a weekday name at token i, like monthAt.
func (p *parser) weekdayAt(i int, alone bool) (time.Weekday, int, bool) {
	t := p.tok(i)
	w, ok := weekdayWords[t.low]
	if t.kind != word || !ok || (w.english && p.mode == inText && !capitalised(t.text)) {
		return 0, 0, false
	}
	j := i + 1
	if w.abbr {
		if alone {
			return 0, 0, false
		}
		if p.isPunct(j, ".") && p.attached(j) {
			j++
		}
	}
	return w.wd, j, true
}

// weekdayPrefix skips "Friday," before a date; it returns i unchanged when
// there is none.
func (p *parser) weekdayPrefix(i int) (int, time.Weekday, bool) {
	wd, j, ok := p.weekdayAt(i, false)
	if !ok {
		return i, 0, false
	}
	if p.isPunct(j, ",") {
		j++
	}
	return j, wd, true
}

// dayAt reads a day of the month at token i ("19", "19th", "19-20").
func (p *parser) dayAt(i int) (int, int, bool) {
	t := p.tok(i)
	if t.kind != number || t.ndig > 2 || t.val < 1 || t.val > 31 || p.numberBefore(i) {
		return 0, 0, false
	}
	j := i + 1
	if p.attached(j) && p.isPunct(j, "-", "–") && p.attached(j+1) {
		if n := p.tok(j + 1); n.kind == number && n.ndig <= 2 && n.val > t.val && n.val <= 31 {
			j += 2 // a range of days: the first one
		}
	}
	if p.numberAfter(j) || (p.attached(j) && p.isPunct(j, ":")) ||
		p.isPunct(j, "%") || p.isWord(j, "percent", "per", "por") {
		return 0, 0, false
	}
	return t.val, j, true
}

// yearAt reads a four-digit year next to a month or day.
func (p *parser) yearAt(i int) (int, int, bool) {
	t := p.tok(i)
	hi := 2999
	if p.mode == inFlag {
		hi = 9999
	}
	if t.kind != number || t.ord || t.ndig != 4 || t.val < 1000 || t.val > hi ||
		p.numberAfter(i+1) || p.countAfter(i+1) {
		return 0, 0, false
	}
	return t.val, i + 1, true
}

// countAfter reports whether token j is a noun that makes the number before
// it a count: "2004 people".
func (p *parser) countAfter(j int) bool {
	t := p.tok(j)
	return t.kind == word && countNouns[t.low]
}

// full checks a day-precision date whose year was written.
func (p *parser) full(i, j, y, m, d int) (expr, bool) {
	if d > daysIn(y, m) {
		p.bad = fmt.Sprintf("%s has no day %d", date{y: y, m: m}.iso(), d)
		return expr{}, false
	}
	return point(i, j, date{y, m, d}), true
}

// numeric reads 2010-02-19, 2010/02/19, 02/19/2010 and, outside article
// text, 2010-02.
func (p *parser) numeric(i int) (expr, bool) {
	t := p.tok(i)
	if t.kind != number || t.val < 0 || t.ord || p.numberBefore(i) {
		return expr{}, false
	}
	sep := p.tok(i + 1)
	if !p.attached(i+1) || !p.isPunct(i+1, "-", "/") || !p.attached(i+2) {
		return expr{}, false
	}
	b := p.tok(i + 2)
	if b.kind != number || b.val < 0 || b.ndig > 2 || b.ord {
		return expr{}, false
	}
	third := p.attached(i+3) && p.isPunct(i+3, sep.text) && p.attached(i+4)
	c := p.tok(i + 4)
	if third && (c.kind != number || c.val < 0 || c.ord) {
		return expr{}, false
	}
	switch {
	case t.ndig == 4 && third && c.ndig <= 2:
		if p.numberAfter(i + 5) {
			return expr{}, false
		}
		return p.checked(i, i+5, t.val, b.val, c.val)
	case t.ndig == 4 && !third && sep.text == "-" && p.mode != inText:
		if p.numberAfter(i + 3) {
			return expr{}, false
		}
		return p.checked(i, i+3, t.val, b.val, 0)
	case t.ndig <= 2 && third && c.ndig == 4 && sep.text == "/":
		if p.numberAfter(i + 5) {
			return expr{}, false
		}
		m, d := t.val, b.val
		if m > 12 && d <= 12 {
			m, d = d, m // 19/02/2010
		}
		return p.checked(i, i+5, c.val, m, d)
	}
	return expr{}, false
}

// checked validates a numeric date.
func (p *parser) checked(i, j, y, m, d int) (expr, bool) {
	lo := 1000
	if p.mode != inFlag {
		lo = 1900
	}
	switch {
	case y < lo || (p.mode != inFlag && y > 2100):
		return expr{}, false
	case m < 1 || m > 12:
		p.bad = fmt.Sprintf("month %d is not 1-12", m)
		return expr{}, false
	case d == 0:
		return point(i, j, date{y: y, m: m}), true
	}
	return p.full(i, j, y, m, d)
}

// monthDayYear reads "February 19, 2010", "Friday, Feb. 19th 2010".
func (p *parser) monthDayYear(i int) (expr, bool) {
	j, _, _ := p.weekdayPrefix(i)
	m, j, ok := p.monthAt(j, false)
	if !ok {
		return expr{}, false
	}
	d, j, ok := p.dayAt(j)
	if !ok {
		return expr{}, false
	}
	if p.isPunct(j, ",") {
		j++
	}
	y, j, ok := p.yearAt(j)
	if !ok {
		return expr{}, false
	}
	return p.full(i, j, y, m, d)
}

// dayMonthYear reads "19 February 2010", "19th of February, 2010", "19 de
// febrero de 2010".
func (p *parser) dayMonthYear(i int) (expr, bool) {
	j, _, _ := p.weekdayPrefix(i)
	d, j, ok := p.dayAt(j)
	if !ok {
		return expr{}, false
	}
	if p.isWord(j, "of", "de") {
		j++
	}
	m, j, ok := p.monthAt(j, false)
	if !ok {
		return expr{}, false
	}
	if p.isPunct(j, ",") || p.isWord(j, "de", "del") {
		j++
	}
	y, j, ok := p.yearAt(j)
	if !ok {
		return expr{}, false
	}
	return p.full(i, j, y, m, d)
}

// monthYear reads "February 2010", "July, 2009", "February of 2010",
// "febrero de 2010".
func (p *parser) monthYear(i int) (expr, bool) {
	m, j, ok := p.monthAt(i, false)
	if !ok {
		return expr{}, false
	}
	if p.isPunct(j, ",") || p.isWord(j, "of", "de", "del") {
		j++
	}
	y, j, ok := p.yearAt(j)
	if !ok {
		return expr{}, false
	}
	return point(i, j, date{y: y, m: m}), true
}

// monthDay reads "February 19th", "Friday, February 19", the year from ref.
func (p *parser) monthDay(i int) (expr, bool) {
	j, wd, hasWd := p.weekdayPrefix(i)
	m, j, ok := p.monthAt(j, false)
	if !ok {
		return expr{}, false
	}
	d, j, ok := p.dayAt(j)
	if !ok {
		return expr{}, false
	}
	return p.inferred(i, j, m, d, wd, hasWd)
}

// dayMonth reads "19 February", "19th of February", "19 de febrero", the
// year from ref.
func (p *parser) dayMonth(i int) (expr, bool) {
	j, wd, hasWd := p.weekdayPrefix(i)
	d, j, ok := p.dayAt(j)
	if !ok {
		return expr{}, false
	}
	if p.isWord(j, "of", "de") {
		j++
	}
	m, j, ok := p.monthAt(j, false)
	if !ok {
		return expr{}, false
	}
	return p.inferred(i, j, m, d, wd, hasWd)
}

// inferred builds a date whose year comes from ref (see inferYear).
func (p *parser) inferred(i, j, m, d int, wd time.Weekday, hasWd bool) (expr, bool) {
	dt, ok := p.inferYear(m, d, wd, hasWd)
	if !ok {
		return expr{}, false
	}
	e := point(i, j, dt)
	e.inferred = true
	return e, true
}

// inferYear gives month m (and day d, when not 0) the year of ref, or the
// year before when that would put the date too far after ref: more than six
// months in article text, any time at all in a question.
func (p *parser) inferYear(m, d int, wd time.Weekday, hasWd bool) (date, bool) {
	ref := p.ref
	if p.years.y != 0 {
		ref = p.years
	}
	if ref.y == 0 {
		return date{}, false
	}
	y := ref.y
	if ref.m != 0 && p.aheadOf(ref, date{y, m, d}) {
		y--
	}
	if hasWd && d != 0 && ref.m != 0 {
		if c := (date{y, m, d}); c.valid() && c.time().Weekday() != wd {
			alt := ref.y
			if y == ref.y {
				alt = y - 1
			}
			if a := (date{alt, m, d}); a.valid() && a.time().Weekday() == wd {
				y = alt
			}
		}
	}
	dt := date{y, m, d}
	return dt, dt.valid()
}

// aheadOf reports whether c lies too far after ref for a year taken from ref.
func (p *parser) aheadOf(ref, c date) bool {
	days, months := 183, 6
	if p.mode == inQuestion {
		days, months = 0, 0
	}
	if c.d != 0 && ref.d != 0 {
		if !c.valid() {
			return false
		}
		return c.time().Sub(ref.time()) > time.Duration(days)*24*time.Hour
	}
	return c.monthIndex()-ref.monthIndex() > months
}

// relative reads yesterday, today, this morning, tonight, last week, this
// month, next year, 3 years ago and their common Spanish forms.
func (p *parser) relative(i int) (expr, bool) {
	if n, ok := p.count(i); ok && p.isWord(i+2, "ago") {
		if u := unitWords[p.tok(i+1).low]; u != 0 && u != 'D' {
			return p.unitOffset(i, i+3, u, -n)
		}
	}
	t := p.tok(i)
	switch t.low {
	case "yesterday", "ayer", "today", "hoy", "tomorrow":
		// "USA Today", "Russia Today" are names.
		if p.mode == inText && capitalised(t.text) && i > 0 && p.tok(i-1).kind == word && capitalised(p.tok(i-1).text) {
			return expr{}, false
		}
		k := offset(t.low)
		return p.unitOffset(i, i+1, 'd', k)
	case "tonight":
		return p.unitOffset(i, i+1, 'd', 0)
	case "last", "this", "next":
		if t.low == "this" && p.isWord(i+1, "morning", "afternoon", "evening") {
			return p.unitOffset(i, i+2, 'd', 0) // a part of today
		}
		if !p.isWord(i+1, "week", "month", "year") || determiners[p.wordBefore(i)] {
			return expr{}, false // "the last year" is a duration
		}
		u := unitWords[p.tok(i+1).low]
		k := offset(t.low)
		return p.unitOffset(i, i+2, u, k)
	case "este", "esta":
		if u := unitWords[p.tok(i+1).low]; u == 'w' || u == 'm' || u == 'y' {
			return p.unitOffset(i, i+2, u, 0)
		}
	case "el", "la":
		j := i + 1
		k := 0
		if p.isWord(j, "próximo", "próxima", "proximo", "proxima") {
			k, j = 1, j+1
		}
		u := unitWords[p.tok(j).low]
		if u != 'w' && u != 'm' && u != 'y' {
			return expr{}, false
		}
		j++
		if k == 0 {
			switch {
			case p.isWord(j, "pasado", "pasada"):
				k = -1
			case p.isWord(j, "próximo", "próxima", "proximo", "proxima"):
				k = 1
			case p.isWord(j, "que") && p.isWord(j+1, "viene"):
				k, j = 1, j+1
			default:
				return expr{}, false
			}
			j++
		}
		return p.unitOffset(i, j, u, k)
	case "hace":
		if n, ok := p.count(i + 1); ok {
			if u := unitWords[p.tok(i+2).low]; u != 0 && u != 'D' {
				return p.unitOffset(i, i+3, u, -n)
			}
		}
		return expr{}, false
	}
	return expr{}, false
}

// offset is the direction of a relative word: -1 for "last", "yesterday".
func offset(w string) int {
	switch w {
	case "last", "yesterday", "ayer":
		return -1
	case "next", "tomorrow":
		return 1
	}
	return 0
}

// count reads a small count: "3", "three", "a".
func (p *parser) count(i int) (int, bool) {
	t := p.tok(i)
	switch t.kind {
	case number:
		return t.val, !t.ord && t.val >= 1 && t.val <= 999
	case word:
		n, ok := countWords[t.low]
		return n, ok
	}
	return 0, false
}

// unitOffset resolves k units (day, week, month, year) from ref.
func (p *parser) unitOffset(i, j int, u byte, k int) (expr, bool) {
	r := p.ref
	var e expr
	switch {
	case u == 'y' && r.y != 0:
		e = point(i, j, date{y: r.y + k})
	case u == 'm' && r.m != 0:
		e = point(i, j, date{y: r.y, m: r.m}.shift(k))
	case u == 'd' && r.d != 0:
		e = point(i, j, r.shift(k))
	case u == 'w' && r.d != 0:
		day := r.shift(7 * k)
		mon := day.shift(-((int(day.time().Weekday()) + 6) % 7))
		e = expr{i: i, j: j, lo: mon, hi: mon.shift(6)}
	default:
		return expr{}, false
	}
	e.inferred = true
	return e, true
}

// weekdayAlone reads "Friday", "last Friday", "el viernes pasado": the most
// recent such day on or before ref, strictly before with "last" and
// strictly after with "next".
func (p *parser) weekdayAlone(i int) (expr, bool) {
	j, k := i, 0
	if p.isWord(j, "last", "this", "next") {
		k = offset(p.tok(j).low)
		j++
	}
	wd, end, ok := p.weekdayAt(j, true)
	if !ok || p.ref.d == 0 {
		return expr{}, false
	}
	if !weekdayWords[p.tok(j).low].english {
		if j == i && p.mode == inText && !p.isWord(i-1, "el", "este", "del") {
			return expr{}, false
		}
		if j == i && p.isWord(end, "pasado") {
			k, end = -1, end+1
		} else if j == i && p.isWord(end, "próximo", "proximo") {
			k, end = 1, end+1
		}
	}
	if j == i && nameBefore[p.wordBefore(i)] {
		return expr{}, false
	}
	refWd := p.ref.time().Weekday()
	back := (int(refWd) - int(wd) + 7) % 7
	var dt date
	switch {
	case k > 0:
		fwd := (int(wd) - int(refWd) + 7) % 7
		if fwd == 0 {
			fwd = 7
		}
		dt = p.ref.shift(fwd)
	case k < 0 && back == 0:
		dt = p.ref.shift(-7)
	default:
		dt = p.ref.shift(-back)
	}
	e := point(i, end, dt)
	e.lone = k == 0 && j == i
	e.inferred = true
	return e, true
}

// monthAlone reads "May" after a preposition ("in May"), and "last May",
// "next March".
func (p *parser) monthAlone(i int) (expr, bool) {
	j, k, qual := i, 0, false
	if p.isWord(j, "last", "this", "next") {
		k, qual = offset(p.tok(j).low), true
		j++
	}
	m, end, ok := p.monthAt(j, true)
	if !ok || (p.isPunct(end, "'", "’") && p.attached(end) && p.isWord(end+1, "s")) {
		return expr{}, false // Theresa May's
	}
	if !qual && p.mode == inText && !p.prepBefore(i) {
		return expr{}, false
	}
	var dt date
	switch {
	case k == 0:
		var ok bool
		if dt, ok = p.inferYear(m, 0, 0, false); !ok {
			return expr{}, false
		}
	case p.ref.m == 0:
		return expr{}, false
	case k < 0:
		dt = date{y: p.ref.y, m: m}
		if m >= p.ref.m {
			dt.y--
		}
	default:
		dt = date{y: p.ref.y, m: m}
		if m <= p.ref.m {
			dt.y++
		}
	}
	e := point(i, end, dt)
	e.lone = !qual
	e.inferred = true
	return e, true
}

// prepBefore reports whether a word that may introduce a month alone stands
// before token i: "in May", "mid-May".
func (p *parser) prepBefore(i int) bool {
	if p.attached(i) && p.isPunct(i-1, "-") {
		return p.attached(i-1) && p.isWord(i-2, "mid")
	}
	t := p.tok(i - 1)
	return t.kind == word && monthPreps[t.low]
}

// yearAlone reads a bare year (see the package documentation), and in a
// question a range of years: "2021-2023".
func (p *parser) yearAlone(i int) (expr, bool) {
	t := p.tok(i)
	if t.kind != number || t.ord || t.ndig != 4 {
		return expr{}, false
	}
	if p.mode == inFlag {
		e := point(i, i+1, date{y: t.val})
		e.lone = true
		return e, t.val >= 1000
	}
	if !isYear(t) || !p.yearContext(i) {
		return expr{}, false
	}
	e := point(i, i+1, date{y: t.val})
	e.lone = true
	if p.mode == inQuestion && p.isPunct(i+1, "-", "–") && p.attached(i+1) && p.attached(i+2) {
		if n := p.tok(i + 2); isYear(n) && n.val >= t.val {
			e.hi, e.j = date{y: n.val}, i+3
		}
	}
	return e, true
}

func isYear(t token) bool {
	return t.kind == number && !t.ord && t.ndig == 4 && t.val >= 1900 && t.val <= 2100
}

// yearContext reports whether the number at token i stands alone as a year.
func (p *parser) yearContext(i int) bool {
	prev := p.tok(i - 1)
	if p.attached(i) {
		switch {
		case p.isPunct(i-1, "-", "–"):
			// mid-2004, 1999–2004
			b := p.tok(i - 2)
			if !p.attached(i-1) || (b.kind != word && !isYear(b)) {
				return false
			}
		case prev.kind == punct && strings.Contains(`([{"“‘'«—¿¡`, prev.text):
		default:
			return false
		}
	}
	if p.isPunct(i-1, "$", "€", "£", "¥", "#", "№") || labelWords[p.wordBefore(i)] {
		return false
	}
	if p.attached(i + 1) {
		next := p.tok(i + 1)
		switch {
		case p.isPunct(i+1, "-", "–"):
			if !p.attached(i+2) || !isYear(p.tok(i+2)) {
				return false
			}
		case next.kind == punct && strings.Contains(`.,;:!?)]}"”’'»…—`, next.text):
		default:
			return false
		}
	}
	return !p.countAfter(i + 1)
}
