package dates

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type kind uint8

const (
	none   kind = iota
	word        // a run of letters
	number      // a run of ASCII digits, maybe with thousands groups, decimals or an ordinal suffix
	other       // digits glued to letters ("1990s", "10am"): never part of a date
	punct       // any other single character
)

// token is a piece of text with its byte offsets.
type token struct {
	kind       kind
	start, end int
	text       string
	low        string // lower case, for words
	val        int    // value of a plain number; -1 for "2,010", "3.5" and very long numbers
	ndig       int    // digits of a plain number
	ord        bool   // the number has an ordinal suffix: "19th"
	space      bool   // white space (or the start of the text) comes before the token
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// tokenize cuts s into tokens, skipping white space.
func tokenize(s string) []token {
	var toks []token
	space := true
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		var t token
		switch {
		case unicode.IsSpace(r):
			space = true
			i += w
			continue
		case isDigit(s[i]):
			t = scanNumber(s, i)
		case unicode.IsLetter(r):
			j := i + w
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r2) && !unicode.Is(unicode.Mn, r2) {
					break
				}
				j += w2
			}
			t = token{kind: word, start: i, end: j, low: strings.ToLower(s[i:j])}
		default:
			t = token{kind: punct, start: i, end: i + w}
		}
		t.text = s[t.start:t.end]
		t.space = space
		space = false
		toks = append(toks, t)
		i = t.end
	}
	return toks
}

// scanNumber reads the number that starts at s[i].
func scanNumber(s string, i int) token {
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	t := token{kind: number, start: i, ndig: j - i}
	compound := false
	for j+1 < len(s) && isDigit(s[j+1]) {
		k := j + 1
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if s[j] == '.' || (s[j] == ',' && k-j-1 == 3) {
			// 3.5, 1.000.000, 2,010, 10,000,000
			j, compound = k, true
			continue
		}
		break
	}
	if r, _ := utf8.DecodeRuneInString(s[j:]); unicode.IsLetter(r) {
		if !compound && j+2 <= len(s) {
			switch strings.ToLower(s[j : j+2]) {
			case "st", "nd", "rd", "th":
				if r2, _ := utf8.DecodeRuneInString(s[j+2:]); !unicode.IsLetter(r2) && !isDigitRune(r2) {
					t.end, t.ord = j+2, true
				}
			}
		}
		if !t.ord {
			// 1990s, 10am, 3.5km: one token that is no date
			for j < len(s) {
				r, w := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) && !isDigitRune(r) {
					break
				}
				j += w
			}
			t.kind, t.end = other, j
		}
	}
	if t.end == 0 {
		t.end = j
	}
	t.val = -1
	if !compound && t.ndig <= 9 {
		t.val = 0
		for k := i; k < i+t.ndig; k++ {
			t.val = t.val*10 + int(s[k]-'0')
		}
	}
	return t
}

func isDigitRune(r rune) bool { return r >= '0' && r <= '9' }

func capitalised(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}
