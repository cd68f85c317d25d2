package text

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold lower-cases s and removes diacritics ("Rodríguez" → "rodriguez"), the
// way the index tokenizer sees words.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// Token is a word of a text with its byte offsets in the original string.
type Token struct {
	Word       string // folded (lower case, no diacritics)
	Start, End int
}

// Tokens splits s into words: maximal runs of letters and digits. An
// apostrophe inside a word ends it ("Cuba's" → "cuba", "s"), as the index
// tokenizer does.
func Tokens(s string) []Token {
	var out []Token
	eachToken(s, func(t Token) { out = append(out, t) })
	return out
}

// eachToken calls fn with each word of s in turn, as Tokens splits them.
func eachToken(s string, fn func(Token)) {
	start := -1
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			fn(Token{Word: Fold(s[start:i]), Start: start, End: i})
			start = -1
		}
	}
	if start >= 0 {
		fn(Token{Word: Fold(s[start:]), Start: start, End: len(s)})
	}
}

// isWordRune reports whether r is part of a word: a letter, a digit or a
// combining mark. ASCII, most of any English text, is decided without the
// Unicode tables.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Words returns the folded words of s.
func Words(s string) []string {
	toks := Tokens(s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Word
	}
	return out
}

// ContentWords returns the folded words of s that are not stopwords and carry
// meaning on their own (letters, or numbers of two or more digits).
func ContentWords(s string) []string {
	var out []string
	for _, w := range Words(s) {
		if IsContent(w) {
			out = append(out, w)
		}
	}
	return out
}

// IsContent reports whether a folded word is worth searching for.
func IsContent(w string) bool {
	if IsStopword(w) {
		return false
	}
	if len(w) == 1 {
		return false
	}
	return true
}

// Stem reduces a folded English word to a crude stem so that "talks",
// "talked" and "talking" compare equal. It is used to check whether a passage
// contains a query word; the index applies its own (Porter) stemming.
func Stem(w string) string {
	n := len(w)
	switch {
	case n > 5 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 5 && strings.HasSuffix(w, "ing"):
		return trimDouble(w[:n-3])
	case n > 4 && strings.HasSuffix(w, "ed"):
		return trimDouble(w[:n-2])
	case n > 4 && (strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "xes")):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}

func trimDouble(w string) string {
	n := len(w)
	if n > 2 && w[n-1] == w[n-2] && w[n-1] != 'l' && w[n-1] != 's' {
		return w[:n-1]
	}
	if strings.HasSuffix(w, "at") || strings.HasSuffix(w, "iz") {
		return w + "e"
	}
	return w
}
