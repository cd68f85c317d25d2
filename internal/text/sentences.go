package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a range of byte offsets [Start, End) in a string.
type Span struct{ Start, End int }

// Sentences returns the sentence boundaries of prose in s, in order.
//
// A sentence ends after '.', '!', '?' or '…' (plus any closing quotes or
// brackets) when white space and then an upper-case letter, a digit, an
// opening quote or an opening bracket follow. Blocks are also cut at blank
// lines and before lines that start a list item or a heading, and after a
// heading line. A period does not end a sentence after a common abbreviation
// (Mr., Gen., Jan., e.g., a.m. …), after a single-letter initial
// ("George W. Bush") or inside a number (3.5). After a dotted abbreviation
// such as "U.S." a sentence ends only when the next word starts a new line.
//
// Spans are trimmed of white space, never empty, do not overlap, and together
// hold every non-space character of s.
func Sentences(s string) []Span {
	var out []Span
	forEachBlock(s, func(start, end int) {
		out = splitBlock(s, start, end, out)
	})
	return out
}

// forEachBlock calls fn with the byte ranges of the blocks of s: runs of lines
// cut at blank lines, before list items and headings, and after headings.
func forEachBlock(s string, fn func(start, end int)) {
	blockStart := -1 // -1: no block open
	prevHeading := false
	for pos := 0; pos < len(s); {
		nl := strings.IndexByte(s[pos:], '\n')
		lineEnd := len(s)
		next := len(s)
		if nl >= 0 {
			lineEnd = pos + nl
			next = lineEnd + 1
		}
		line := s[pos:lineEnd]
		switch {
		case isBlank(line):
			if blockStart >= 0 {
				fn(blockStart, pos)
				blockStart = -1
			}
			prevHeading = false
		default:
			heading := isHeadingLine(line)
			if blockStart >= 0 && (heading || prevHeading || IsListItem(line)) {
				fn(blockStart, pos)
				blockStart = -1
			}
			if blockStart < 0 {
				blockStart = pos
			}
			prevHeading = heading
		}
		pos = next
	}
	if blockStart >= 0 {
		fn(blockStart, len(s))
	}
}

// splitBlock appends the sentences of s[start:end] to out.
func splitBlock(s string, start, end int, out []Span) []Span {
	from := start
	for i := start; i < end; {
		r, size := utf8.DecodeRuneInString(s[i:end])
		if !isTerminator(r) {
			i += size
			continue
		}
		// Take the whole run of terminators and closing marks: "?!", "...", `."`, `.)`.
		j := i + size
		for j < end {
			r2, n := utf8.DecodeRuneInString(s[j:end])
			if !isTerminator(r2) && !isCloser(r2) {
				break
			}
			j += n
		}
		if j < end && endsSentence(s, i, j, end) {
			out = appendTrimmed(out, s, from, j)
			from = j
		}
		i = j
	}
	return appendTrimmed(out, s, from, end)
}

// endsSentence reports whether the terminator run s[i:j] ends a sentence,
// judging by what follows it (up to end) and the word before it.
func endsSentence(s string, i, j, end int) bool {
	// White space must follow; remember whether it holds a line break.
	k := j
	newline := false
	for k < end {
		r, n := utf8.DecodeRuneInString(s[k:end])
		if !unicode.IsSpace(r) {
			break
		}
		if r == '\n' {
			newline = true
		}
		k += n
	}
	if k == j || k == end {
		return false
	}
	next, _ := utf8.DecodeRuneInString(s[k:end])
	if !startsSentence(next) {
		return false
	}
	if s[i] != '.' || strings.HasPrefix(s[i:j], "...") {
		return true
	}
	// A single period: look at the word before it.
	w := wordBefore(s, i)
	switch {
	case w == "":
		return true
	case isDottedAbbrev(w):
		// "U.S.", "D.C.", "a.m.": ambiguous at a sentence end; only a line
		// break after it is taken as one.
		return newline
	case isInitial(w):
		return false
	}
	lw := strings.ToLower(w)
	if lw == "no" {
		// "No. 5" is an abbreviation, "said no. The" is not.
		return !unicode.IsDigit(next)
	}
	return !abbreviations[lw]
}

// wordBefore returns the letters and dots just before byte offset i.
func wordBefore(s string, i int) string {
	k := i
	for k > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:k])
		if r != '.' && !unicode.IsLetter(r) {
			break
		}
		k -= n
	}
	return s[k:i]
}

// isDottedAbbrev reports whether w is like "U.S", "D.C", "e.g" or "a.m":
// single letters joined by dots.
func isDottedAbbrev(w string) bool {
	letters := 0
	expectLetter := true
	for _, r := range w {
		if expectLetter {
			if !unicode.IsLetter(r) {
				return false
			}
			letters++
		} else if r != '.' {
			return false
		}
		expectLetter = !expectLetter
	}
	return letters >= 2 && !expectLetter
}

// isInitial reports whether w is a single upper-case letter, as in "George W. Bush".
func isInitial(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	return n == len(w) && unicode.IsUpper(r)
}

// abbreviations are words (lower case, without the final period) after which
// a period does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "jr": true, "sr": true,
	"gen": true, "sen": true, "rep": true, "gov": true, "amb": true, "lt": true, "col": true,
	"capt": true, "sgt": true, "adm": true, "prof": true, "rev": true, "hon": true, "messrs": true,
	"jan": true, "feb": true, "aug": true, "sept": true, "oct": true, "nov": true, "dec": true,
	"vs": true, "approx": true, "dept": true, "mt": true, "ft": true,
}

func isTerminator(r rune) bool {
	return r == '.' || r == '!' || r == '?' || r == '…'
}

// isCloser reports whether r closes a quotation or bracket.
func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', '»', ')', ']', '}':
		return true
	}
	return false
}

// startsSentence reports whether r may begin a new sentence.
func startsSentence(r rune) bool {
	switch r {
	case '"', '\'', '“', '‘', '«', '(', '[', '¿', '¡':
		return true
	}
	return unicode.IsUpper(r) || unicode.IsTitle(r) || unicode.IsDigit(r) ||
		(unicode.IsLetter(r) && !unicode.IsLower(r))
}

// appendTrimmed appends s[start:end] trimmed of white space, if anything is left.
func appendTrimmed(out []Span, s string, start, end int) []Span {
	for start < end {
		r, n := utf8.DecodeRuneInString(s[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		start += n
	}
	for end > start {
		r, n := utf8.DecodeLastRuneInString(s[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= n
	}
	if start < end {
		out = append(out, Span{start, end})
	}
	return out
}

func isBlank(line string) bool {
	return strings.TrimFunc(line, unicode.IsSpace) == ""
}

// isHeadingLine reports whether line is a Markdown ATX heading ("# Title").
func isHeadingLine(line string) bool {
	t := strings.TrimLeft(line, " \t")
	n := 0
	for n < len(t) && t[n] == '#' {
		n++
	}
	return n >= 1 && n <= 6 && (n == len(t) || t[n] == ' ' || t[n] == '\t')
}

// IsListItem reports whether line starts a list item: "- ", "* ", "+ ",
// "• ", "1. " or "1) ".
func IsListItem(line string) bool {
	_, ok := listItemText(line)
	return ok
}

// listItemText returns a list item's line without its marker, and whether
// it is one.
func listItemText(line string) (string, bool) {
	t := strings.TrimLeft(line, " \t")
	if rest, ok := strings.CutPrefix(t, "• "); ok {
		return rest, true
	}
	if len(t) >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && (t[1] == ' ' || t[1] == '\t') {
		return t[2:], true
	}
	n := 0
	for n < len(t) && n < 9 && t[n] >= '0' && t[n] <= '9' {
		n++
	}
	if n > 0 && n+1 < len(t) && (t[n] == '.' || t[n] == ')') && (t[n+1] == ' ' || t[n+1] == '\t') {
		return t[n+2:], true
	}
	return line, false
}

// Prose returns a sentence without what is not prose in it: a label
// before a colon that is written in capitals or title case ("SENIOR
// ADMINISTRATION OFFICIAL: Sure.", "- Increase in Visa Validity: The
// United States is…") is cut off, and a sentence that is all heading
// ("Investigation Assistance", "Pillar IV: Investing in Our People")
// returns "", unless commas make it a list of names. Prose is where
// capitals mark names.
func Prose(s string) string {
	rest, _ := listItemText(s)
	rest = strings.TrimLeft(rest, " \t")
	if i := strings.Index(rest, ": "); i > 0 && headingCase(rest[:i]) {
		rest = rest[i+2:]
	}
	if headingCase(rest) && !strings.Contains(rest, ",") {
		return "" // a list of names ("Antony Blinken, Secretary of State") is kept
	}
	return rest
}

// headingCase reports whether a text is written as a heading: every word
// that is not a function word, and at least two, starts with a capital (or
// it is all in capitals), with no more than a few words (a heading or a
// label, not a sentence).
func headingCase(s string) bool {
	toks := Tokens(s)
	if len(toks) == 0 || len(toks) > headingWords {
		return false
	}
	upper := 0
	for _, t := range toks {
		raw := s[t.Start:t.End]
		r, _ := utf8.DecodeRuneInString(raw)
		switch {
		case unicode.IsUpper(r):
			upper++
		case unicode.IsDigit(r) || IsStopword(t.Word):
		default:
			return false
		}
	}
	return upper >= 2 || upper == 1 && len(toks) == 1 && strings.ToUpper(s) == s
}

// headingWords is the most words a heading or a label is read as one.
const headingWords = 12
