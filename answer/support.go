package answer

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"attache"
	"attache/internal/text"
)

// number is a number as written in a sentence and in normal form: no
// thousands separators, no leading zeros, no trailing decimal zeros.
type number struct{ surface, norm string }

// scanNumbers finds the numbers of s: "1,000" and "1.000" are 1000, "3.5" is
// 3.5, "25%" is 25 and "19th" is 19.
func scanNumbers(s string) []number {
	var out []number
	isDigit := func(i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }
	for i := 0; i < len(s); {
		if !isDigit(i) {
			i++
			continue
		}
		j := i
		for isDigit(j) {
			j++
		}
		digits := s[i:j]
		// Thousands groups: a separator then exactly three digits.
		for j < len(s) && (s[j] == ',' || s[j] == '.') && isDigit(j+1) && isDigit(j+2) && isDigit(j+3) && !isDigit(j+4) {
			digits += s[j+1 : j+4]
			j += 4
		}
		frac := ""
		if j < len(s) && s[j] == '.' && isDigit(j+1) && len(digits) == j-i {
			k := j + 1
			for isDigit(k) {
				k++
			}
			frac = strings.TrimRight(s[j+1:k], "0")
			j = k
		}
		norm := strings.TrimLeft(digits, "0")
		if norm == "" {
			norm = "0"
		}
		if frac != "" {
			norm += "." + frac
		}
		out = append(out, number{surface: s[i:j], norm: norm})
		i = j
	}
	return out
}

// monthMention is a month named in a sentence.
type monthMention struct {
	surface string
	month   int
}

// sentenceMonths finds capitalised month names and abbreviations. A
// sentence-initial "May" or "March" counts only before a number.
func sentenceMonths(s string) []monthMention {
	var out []monthMention
	toks := text.Tokens(s)
	for k, tk := range toks {
		m := monthNumber(tk.Word)
		if m == 0 || !isCapitalised(s[tk.Start:tk.End]) {
			continue
		}
		if k == 0 && !(k+1 < len(toks) && isDigits(toks[k+1].Word)) {
			continue
		}
		out = append(out, monthMention{surface: s[tk.Start:tk.End], month: m})
	}
	return out
}

// nameMention is a proper name in a sentence.
type nameMention struct{ surface, word string }

// sentenceNames finds the proper names of s: capitalised words that are not
// stopwords, titles, months or days, not at the start of the sentence (or of
// a quotation); a sentence-initial word counts when the lexicon knows it as a
// name.
func sentenceNames(s string, lex lexicon) []nameMention {
	var out []nameMention
	seen := map[string]bool{}
	for k, tk := range text.Tokens(s) {
		raw := s[tk.Start:tk.End]
		if !isCapitalised(raw) || !nameCandidate(tk.Word) || seen[tk.Word] {
			continue
		}
		if (k == 0 || afterOpener(s, tk.Start)) && !lex.isName(tk.Word) {
			continue
		}
		seen[tk.Word] = true
		out = append(out, nameMention{surface: raw, word: tk.Word})
	}
	return out
}

// nameCandidate reports whether a folded capitalised word may be a name.
func nameCandidate(w string) bool {
	return utf8.RuneCountInString(w) >= 2 && !text.IsStopword(w) && !isDigits(w) &&
		monthNumber(w) == 0 && !days[w] && !titles[w]
}

// afterOpener reports whether the word at byte i follows a colon or an
// opening quote, where capitals start a new sentence.
func afterOpener(s string, i int) bool {
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:i])
		switch {
		case unicode.IsSpace(r):
			i -= n
			continue
		case strings.ContainsRune(":\"“‘«¿¡", r):
			return true
		}
		return false
	}
	return false
}

func isCapitalised(raw string) bool {
	r, _ := utf8.DecodeRuneInString(raw)
	return unicode.IsUpper(r) || unicode.IsTitle(r)
}

func isDigits(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// lexicon records how the sent passages and the answer write words, to tell
// a sentence-initial name ("Kennedy imposed…") from a common word.
type lexicon struct {
	capital map[string]bool // seen capitalised away from a sentence start
	initial map[string]bool // seen capitalised at a sentence start of a passage
	lower   map[string]bool // seen in lower case
}

func newLexicon(passages []attache.Passage, answer string, answerSpans []text.Span) lexicon {
	lex := lexicon{capital: map[string]bool{}, initial: map[string]bool{}, lower: map[string]bool{}}
	add := func(s string, spans []text.Span, passage bool) {
		for _, sp := range spans {
			sent := s[sp.Start:sp.End]
			for k, tk := range text.Tokens(sent) {
				raw := sent[tk.Start:tk.End]
				switch {
				case isCapitalised(raw):
					if k > 0 && !afterOpener(sent, tk.Start) {
						lex.capital[tk.Word] = true
					} else if passage {
						lex.initial[tk.Word] = true
					}
				case unicode.IsLower(firstRune(raw)):
					lex.lower[tk.Word] = true
				}
			}
		}
	}
	for _, p := range passages {
		add(p.Text, text.Sentences(p.Text), true)
	}
	add(answer, answerSpans, false)
	return lex
}

// isName reports whether a sentence-initial word is a name: the passages or
// the answer write it capitalised (away from a sentence start, or at the
// start of a passage sentence) and never in lower case, and it is not a word
// that commonly opens sentences.
func (l lexicon) isName(w string) bool {
	return (l.capital[w] || l.initial[w]) && !l.lower[w] && !openers[w]
}

// openers are words that often start a sentence without being names.
var openers = setOf("however", "meanwhile", "despite", "although", "though", "additionally",
	"furthermore", "moreover", "overall", "later", "earlier", "today", "yesterday", "instead",
	"finally", "first", "second", "third", "last", "since", "while", "according", "both",
	"sin", "tambien", "segun", "ademas", "luego")

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// evidence is what one passage can vouch for.
type evidence struct {
	words   map[string]bool // folded words
	canon   map[string]bool // canonical forms (see canon)
	numbers map[string]bool // normal forms (see scanNumbers), spelled numbers included
	months  map[int]bool
}

func newEvidence(p attache.Passage) *evidence {
	e := &evidence{words: map[string]bool{}, canon: map[string]bool{}, numbers: map[string]bool{}, months: map[int]bool{}}
	for _, field := range []string{p.Text, p.Title, p.Outlet} {
		for _, tk := range text.Tokens(field) {
			e.words[tk.Word] = true
			e.canon[canon(tk.Word)] = true
			if n, ok := spelledNumbers[tk.Word]; ok {
				e.numbers[strconv.Itoa(n)] = true
			}
			if m := monthNumber(tk.Word); m > 0 && isCapitalised(field[tk.Start:tk.End]) {
				e.months[m] = true
			}
		}
		for _, n := range scanNumbers(field) {
			e.numbers[n.norm] = true
		}
	}
	// Date is an ISO prefix: "2010-02-19", "2010-02" or "2010".
	for i, part := range strings.Split(p.Date, "-") {
		n, err := strconv.Atoi(part)
		if err != nil || i > 2 {
			break
		}
		e.numbers[strconv.Itoa(n)] = true
		e.canon[strconv.Itoa(n)] = true
		if i == 1 && n >= 1 && n <= 12 {
			e.months[n] = true
			e.canon[monthNames[n-1]] = true
		}
	}
	return e
}

// hasWord reports whether the passage holds a folded sentence word in
// canonical form, or a demonym variant of it.
func (e *evidence) hasWord(cw string) bool {
	return e.canon[cw] || e.hasDemonym(cw)
}

// hasName reports whether the passage holds a folded name, compared
// directly, by stem, or as a demonym variant ("cuban" ↔ "cuba").
func (e *evidence) hasName(w string) bool {
	return e.words[w] || e.canon[canon(w)] || e.hasDemonym(w)
}

func (e *evidence) hasDemonym(w string) bool {
	for _, v := range demonymVariants(w) {
		if e.words[v] || e.canon[text.Stem(v)] {
			return true
		}
	}
	return false
}

// demonymSuffixes turn a place into its people or language: Cuba → Cuban,
// Brazil → Brazilian, China → Chinese, Spain → Spanish.
var demonymSuffixes = []string{"ian", "ese", "ish", "an", "n"}

// demonymVariants returns w with a demonym suffix added, and with one
// removed (also ending the stem in "a" or "o": Chinese → China, Mexican →
// Mexico). Stems keep at least three letters.
func demonymVariants(w string) []string {
	var out []string
	for _, suf := range demonymSuffixes {
		out = append(out, w+suf)
		if stem, ok := strings.CutSuffix(w, suf); ok && utf8.RuneCountInString(stem) >= 3 {
			out = append(out, stem, stem+"a", stem+"o")
		}
	}
	return out
}

// canon maps a folded word to the form compared for overlap: spelled numbers
// to digits, month abbreviations to month names, numbers without leading
// zeros, anything else to its stem.
func canon(w string) string {
	if n, ok := spelledNumbers[w]; ok {
		return strconv.Itoa(n)
	}
	if m := monthNumber(w); m > 0 {
		return monthNames[m-1]
	}
	if isDigits(w) {
		if t := strings.TrimLeft(w, "0"); t != "" {
			return t
		}
		return "0"
	}
	return text.Stem(w)
}

// distinctCanon returns the distinct canonical forms of words, in order.
func distinctCanon(words []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range words {
		c := canon(w)
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

var monthNames = []string{"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"}

var monthIndex = func() map[string]int {
	m := map[string]int{}
	for i, name := range monthNames {
		m[name] = i + 1
		if len(name) > 3 {
			m[name[:3]] = i + 1
		}
	}
	m["sept"] = 9
	for i, name := range []string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
		"agosto", "septiembre", "octubre", "noviembre", "diciembre"} {
		m[name] = i + 1
	}
	m["setiembre"] = 9
	return m
}()

// monthNumber returns 1..12 for a folded month name or abbreviation, else 0.
func monthNumber(w string) int { return monthIndex[w] }

var days = setOf("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	"lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo")

// titles are capitalised words that go before names ("President Obama") and
// are not names themselves.
var titles = setOf("mr", "mrs", "ms", "dr", "jr", "sr", "president", "vice", "secretary",
	"minister", "ambassador", "senator", "governor", "general", "prime", "deputy")

var spelledNumbers = func() map[string]int {
	m := map[string]int{}
	for i, w := range []string{"zero", "one", "two", "three", "four", "five", "six", "seven",
		"eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
		"seventeen", "eighteen", "nineteen", "twenty"} {
		m[w] = i
	}
	for i, w := range []string{"first", "second", "third", "fourth", "fifth", "sixth", "seventh",
		"eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
		"sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"} {
		m[w] = i + 1
	}
	return m
}()

func setOf(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}
