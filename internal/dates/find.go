package dates

import "strings"

// Mention is a date expression found in a sentence, resolved to an ISO prefix.
type Mention struct {
	Start, End int    // byte offsets of the expression in the text
	Text       string // the expression as written
	Date       string // resolved ISO prefix: "2010-02-19", "2010-02", "2010"
}

// Find returns the date expressions of text in order, resolved against ref,
// the article's date as an ISO prefix ("" or anything else that is not an
// ISO prefix means unknown). Expressions that cannot be resolved, such as
// "on Friday" when ref has no day, are left out. Prepositions are not part
// of a mention: "on Friday, February 19th" yields "Friday, February 19th".
func Find(text string, ref string) []Mention {
	r, _ := parseISO(strings.TrimSpace(ref))
	p := newParser(text, inText, r)
	var out []Mention
	for i := 0; i < len(p.toks); {
		e, ok := p.at(i)
		if !ok {
			i++
			continue
		}
		start, end := p.toks[e.i].start, p.toks[e.j-1].end
		out = append(out, Mention{Start: start, End: end, Text: text[start:end], Date: e.date()})
		i = e.j
	}
	return out
}

// SentenceDate returns the event date of a sentence: its most specific
// resolved mention (a full date before a month, a month before a year; the
// first among equals), or "" when it has none.
func SentenceDate(sentence, ref string) string {
	best := ""
	for _, m := range Find(sentence, ref) {
		if len(m.Date) > len(best) {
			best = m.Date
		}
	}
	return best
}
