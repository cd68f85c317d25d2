package postgres

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxToken is the longest word indexed or searched, in bytes. PostgreSQL
// refuses longer words in a query and skips them in a document.
const maxToken = 1000

// isTokenRune reports whether r belongs to a word: letters, digits, private
// use characters and combining marks (the marks are then removed), as
// SQLite's unicode61 tokenizer sees them.
func isTokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r) || unicode.Is(unicode.Mn, r)
}

// words splits s into lower-case words without diacritics and calls fn for
// each.
func words(s string, fn func(w string)) {
	for len(s) > 0 {
		i := strings.IndexFunc(s, isTokenRune)
		if i < 0 {
			return
		}
		s = s[i:]
		j := strings.IndexFunc(s, func(r rune) bool { return !isTokenRune(r) })
		if j < 0 {
			j = len(s)
		}
		if w := fold(s[:j]); w != "" {
			fn(w)
		}
		s = s[j:]
	}
}

// fold lower-cases a word and removes its diacritics.
func fold(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(w)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return norm.NFC.String(b.String())
}

// tokenText returns the words of s joined by spaces, for PostgreSQL to stem,
// and how many words there are (the column length BM25 uses).
func tokenText(b *strings.Builder, s string) int {
	n := 0
	words(s, func(w string) {
		n++
		if len(w) > maxToken {
			return
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	})
	return n
}

// termWords returns the indexable words of one search term: usually one; a
// term holding punctuation may give several, searched as a phrase.
func termWords(term string) []string {
	var out []string
	words(term, func(w string) {
		if len(w) <= maxToken {
			out = append(out, w)
		}
	})
	return out
}

// quoteLexeme quotes a word for to_tsquery, so that it is read as a word
// and never as query syntax.
func quoteLexeme(w string) string {
	w = strings.ReplaceAll(w, `\`, `\\`)
	return "'" + strings.ReplaceAll(w, "'", "''") + "'"
}

// phrase returns the tsquery text of one term's words, each restricted to
// weight, when not empty (A: the title).
func phrase(ws []string, weight string) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = quoteLexeme(w)
		if weight != "" {
			parts[i] += ":" + weight
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, " <-> ") + ")"
}
