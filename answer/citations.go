package answer

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"attache"
	"attache/internal/text"
)

// Citation policies for CheckCitations.
const (
	PolicyFlag = "flag" // keep unsupported sentences and report them
	PolicyDrop = "drop" // remove unsupported sentences from the answer
)

// MinOverlap is the share of a cited sentence's content words that its cited
// passages must contain for the sentence to count as supported.
const MinOverlap = 0.5

// Reasons given for unsupported sentences.
const (
	ReasonUncited    = "uncited"
	ReasonLowOverlap = "low overlap"
	ReasonInvalid    = "invalid citation"
)

// maxMarkerDigits bounds the numbers read as citations: "[2010]" is a year,
// not the two-thousandth source.
const maxMarkerDigits = 3

// maxRange bounds a range marker such as "[1-3]".
const maxRange = 20

// Marker is a citation marker found in model output: "[3]", "[1, 2]", "[1,2]",
// "[1; 2]", "[1-3]" (a range), "[^1]" (footnote style), "【1】" and "[[1]]".
// Adjacent markers ("[1][2]") are separate Markers. Start and End are byte
// offsets in the text; Ns holds the numbers in order, each once.
type Marker struct {
	Start, End int
	Ns         []int
}

// removeMarkers returns s without its citation markers.
func removeMarkers(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range ParseMarkers(s) {
		b.WriteString(s[last:m.Start])
		last = m.End
	}
	b.WriteString(s[last:])
	return b.String()
}

// ParseMarkers returns the citation markers of s in order. Brackets holding
// anything but numbers, commas, semicolons, ranges and spaces ("[a]",
// "[see 1]", "[]") are not markers, nor are unbalanced brackets.
func ParseMarkers(s string) []Marker {
	var out []Marker
	for i := 0; i < len(s); {
		var open, closer string
		switch {
		case s[i] == '[':
			open, closer = "[", "]"
		case strings.HasPrefix(s[i:], "【"):
			open, closer = "【", "】"
		default:
			i++
			continue
		}
		body := s[i+len(open):]
		j := strings.Index(body, closer)
		if j < 0 || j > 64 || strings.ContainsAny(body[:j], "[]【】") {
			i += len(open)
			continue
		}
		ns, ok := parseMarkerBody(body[:j])
		if !ok {
			i += len(open)
			continue
		}
		start, end := i, i+len(open)+j+len(closer)
		if open == "[" && start > 0 && s[start-1] == '[' && end < len(s) && s[end] == ']' {
			start, end = start-1, end+1 // "[[1]]"
		}
		out = append(out, Marker{Start: start, End: end, Ns: ns})
		i = end
	}
	return out
}

// parseMarkerBody reads "1", "1, 2", "^1", "1-3" or "1–3; 5".
func parseMarkerBody(b string) ([]int, bool) {
	b = strings.TrimSpace(b)
	b = strings.TrimPrefix(b, "^")
	if b == "" {
		return nil, false
	}
	var ns []int
	seen := map[int]bool{}
	add := func(n int) {
		if !seen[n] {
			seen[n] = true
			ns = append(ns, n)
		}
	}
	for _, item := range strings.Split(strings.ReplaceAll(b, ";", ","), ",") {
		item = strings.TrimSpace(item)
		lo, hi, isRange := cutRange(item)
		if !isRange {
			n, ok := markerNumber(item)
			if !ok {
				return nil, false
			}
			add(n)
			continue
		}
		a, ok1 := markerNumber(lo)
		z, ok2 := markerNumber(hi)
		if !ok1 || !ok2 || a > z || z-a > maxRange {
			return nil, false
		}
		for n := a; n <= z; n++ {
			add(n)
		}
	}
	return ns, len(ns) > 0
}

func cutRange(item string) (lo, hi string, ok bool) {
	for _, dash := range []string{"-", "–", "—"} {
		if lo, hi, ok := strings.Cut(item, dash); ok {
			return strings.TrimSpace(lo), strings.TrimSpace(hi), true
		}
	}
	return "", "", false
}

func markerNumber(s string) (int, bool) {
	if s == "" || len(s) > maxMarkerDigits {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// SentenceCheck is the verdict on one sentence of an answer.
type SentenceCheck struct {
	Sentence  string   `json:"sentence"` // without its markers
	Cites     []int    `json:"cites"`
	Supported bool     `json:"supported"`
	Missing   []string `json:"missing,omitempty"` // numbers, dates, names not found in the cited passages
	Overlap   float64  `json:"overlap"`           // share of the sentence's content words found in the cited passages
	Reason    string   `json:"reason,omitempty"`  // "uncited", "low overlap", "missing: 1962, Kennedy", "invalid citation"
}

// CheckResult is the outcome of CheckCitations.
type CheckResult struct {
	// Text is the answer after the policy: invalid markers removed, with
	// PolicyDrop unsupported sentences removed, markers normalised to "[n]"
	// and "[n][m]".
	Text string
	// Invalid lists, ascending and once each, the marker numbers that pointed
	// to no sent passage; they are removed from Text.
	Invalid []int
	// Sentences holds the verdicts on the sentences that make or cite a
	// claim; short uncited framing sentences are not listed.
	Sentences []SentenceCheck
	// Unsupported holds the text of the unsupported sentences.
	Unsupported []string
	// Cited lists, ascending, the distinct passage numbers cited in Text.
	Cited []int
}

// run is a group of adjacent markers ("[1] [2]", "[1][2]") and its place in
// the answer with markers removed.
type run struct {
	pos     int   // byte offset in the cleaned text
	valid   []int // in order, each once
	invalid bool  // some number was out of range
}

// CheckCitations verifies an answer against the passages that were sent:
// passages[i] is [i+1]. policy is PolicyFlag (keep unsupported sentences,
// report them) or PolicyDrop (remove them from Text); any other value is
// taken as PolicyFlag.
//
// A cited sentence is supported when its cited passages (text, title,
// outlet and date, taken together) contain at least MinOverlap of its content
// words and every number, month and proper name it mentions. A sentence
// without a marker is unsupported ("uncited") when it makes a claim; short
// framing sentences and sentences saying the sources lack something are
// ignored.
func CheckCitations(answer string, passages []attache.Passage, policy string) CheckResult {
	clean, runs, invalid := stripMarkers(answer, len(passages))
	spans := text.Sentences(clean)
	owned := assignRuns(runs, spans)

	evs := make([]*evidence, len(passages))
	for i, p := range passages {
		evs[i] = newEvidence(p)
	}
	lex := newLexicon(passages, clean, spans)

	res := CheckResult{Invalid: invalid}
	keep := make([]bool, len(spans))
	for i, sp := range spans {
		keep[i] = true
		sc, listed := checkSentence(clean[sp.Start:sp.End], owned[i], evs, lex)
		if !listed {
			continue
		}
		res.Sentences = append(res.Sentences, sc)
		if !sc.Supported {
			res.Unsupported = append(res.Unsupported, sc.Sentence)
			keep[i] = policy != PolicyDrop
		}
	}
	res.Text, res.Cited = render(clean, spans, owned, keep)
	return res
}

// stripMarkers removes the markers of s together with the spaces before
// them. It returns the cleaned text, the marker runs with their positions in
// it, and the out-of-range numbers, ascending.
func stripMarkers(s string, nPassages int) (string, []run, []int) {
	ms := ParseMarkers(s)
	var b strings.Builder
	var runs []run
	badSet := map[int]bool{}
	last := 0
	for i := 0; i < len(ms); {
		j := i + 1
		for j < len(ms) && strings.Trim(s[ms[j-1].End:ms[j].Start], " \t") == "" {
			j++
		}
		start, end := ms[i].Start, ms[j-1].End
		for start > last && (s[start-1] == ' ' || s[start-1] == '\t') {
			start--
		}
		if start == 0 || s[start-1] == '\n' {
			// At the start of a line: take the spaces after the run too.
			for end < len(s) && (s[end] == ' ' || s[end] == '\t') {
				end++
			}
		}
		b.WriteString(s[last:start])
		before, _ := utf8.DecodeLastRuneInString(s[:start])
		after, _ := utf8.DecodeRuneInString(s[end:])
		r := run{pos: b.Len()}
		if start > 0 && !unicode.IsSpace(before) && (unicode.IsLetter(after) || unicode.IsDigit(after)) {
			b.WriteByte(' ') // "talks.[1]Next" → "talks. Next"
		}
		seen := map[int]bool{}
		for _, m := range ms[i:j] {
			for _, n := range m.Ns {
				switch {
				case n < 1 || n > nPassages:
					r.invalid = true
					badSet[n] = true
				case !seen[n]:
					seen[n] = true
					r.valid = append(r.valid, n)
				}
			}
		}
		runs = append(runs, r)
		last = end
		i = j
	}
	b.WriteString(s[last:])
	return b.String(), runs, sortedKeys(badSet)
}

// assignRuns gives each run to the sentence it follows: the last sentence
// that starts before it, or the first sentence.
func assignRuns(runs []run, spans []text.Span) [][]run {
	owned := make([][]run, len(spans))
	if len(spans) == 0 {
		return owned
	}
	for _, r := range runs {
		k := sort.Search(len(spans), func(i int) bool { return spans[i].Start >= r.pos }) - 1
		k = max(k, 0)
		owned[k] = append(owned[k], r)
	}
	return owned
}

// render rebuilds the answer from the kept sentences, their markers
// normalised, and the white space between them (the widest break when
// sentences were dropped in between). It also returns the cited numbers.
func render(clean string, spans []text.Span, owned [][]run, keep []bool) (string, []int) {
	var b strings.Builder
	cited := map[int]bool{}
	prev := -1
	for i, sp := range spans {
		if !keep[i] {
			continue
		}
		if prev >= 0 {
			gap := ""
			for k := prev + 1; k <= i; k++ {
				g := clean[spans[k-1].End:spans[k].Start]
				if gap == "" || strings.Count(g, "\n") > strings.Count(gap, "\n") {
					gap = g
				}
			}
			if gap == "" {
				gap = " "
			}
			b.WriteString(gap)
		}
		prev = i
		at := sp.Start
		for _, r := range owned[i] {
			if len(r.valid) == 0 {
				continue
			}
			var m strings.Builder
			for _, n := range r.valid {
				cited[n] = true
				fmt.Fprintf(&m, "[%d]", n)
			}
			pos := min(max(r.pos, sp.Start), sp.End)
			b.WriteString(clean[at:pos])
			at = pos
			if pos == sp.Start {
				b.WriteString(m.String() + " ")
			} else {
				b.WriteString(" " + m.String())
			}
		}
		b.WriteString(clean[at:sp.End])
	}
	return strings.TrimSpace(b.String()), sortedKeys(cited)
}

func sortedKeys(m map[int]bool) []int {
	if len(m) == 0 {
		return nil
	}
	out := make([]int, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	sort.Ints(out)
	return out
}

// checkSentence judges one sentence (markers removed) against the passages
// its runs cite. listed is false for framing sentences that are ignored.
func checkSentence(s string, runs []run, evs []*evidence, lex lexicon) (sc SentenceCheck, listed bool) {
	sc = SentenceCheck{Sentence: s, Cites: []int{}}
	hadInvalid := false
	seen := map[int]bool{}
	for _, r := range runs {
		hadInvalid = hadInvalid || r.invalid
		for _, n := range r.valid {
			if !seen[n] {
				seen[n] = true
				sc.Cites = append(sc.Cites, n)
			}
		}
	}
	sort.Ints(sc.Cites)
	body := stripBullet(s)
	nums := scanNumbers(body)
	months := sentenceMonths(body)
	names := sentenceNames(body, lex)
	content := distinctCanon(text.ContentWords(body))

	if len(sc.Cites) == 0 {
		if hadInvalid {
			sc.Reason = ReasonInvalid
			return sc, true
		}
		claim := len(content) >= 4 || len(nums) > 0 || len(names) > 0
		if !claim || isFraming(body, nums) {
			return sc, false
		}
		sc.Reason = ReasonUncited
		return sc, true
	}

	var cited []*evidence
	for _, n := range sc.Cites {
		cited = append(cited, evs[n-1])
	}
	anyEv := func(f func(e *evidence) bool) bool {
		for _, e := range cited {
			if f(e) {
				return true
			}
		}
		return false
	}
	if len(content) == 0 {
		sc.Overlap = 1
	} else {
		found := 0
		for _, w := range content {
			if anyEv(func(e *evidence) bool { return e.hasWord(w) }) {
				found++
			}
		}
		sc.Overlap = float64(found) / float64(len(content))
	}
	missed := map[string]bool{}
	miss := func(surface string) {
		if !missed[surface] {
			missed[surface] = true
			sc.Missing = append(sc.Missing, surface)
		}
	}
	for _, n := range nums {
		if !anyEv(func(e *evidence) bool { return e.numbers[n.norm] }) {
			miss(n.surface)
		}
	}
	for _, m := range months {
		if !anyEv(func(e *evidence) bool { return e.months[m.month] }) {
			miss(m.surface)
		}
	}
	for _, nm := range names {
		if !anyEv(func(e *evidence) bool { return e.hasName(nm.word) }) {
			miss(nm.surface)
		}
	}
	var reasons []string
	if sc.Overlap < MinOverlap {
		reasons = append(reasons, ReasonLowOverlap)
	}
	if len(sc.Missing) > 0 {
		reasons = append(reasons, "missing: "+strings.Join(sc.Missing, ", "))
	}
	sc.Reason = strings.Join(reasons, "; ")
	sc.Supported = len(reasons) == 0
	return sc, true
}

// isFraming reports whether an uncited sentence only frames the answer: it
// introduces a list ("The talks covered:") or says that the sources lack
// something ("The sources do not say when talks resumed.").
func isFraming(s string, nums []number) bool {
	t := strings.TrimRight(s, " \t*")
	if strings.HasSuffix(t, ":") && len(nums) == 0 {
		return true
	}
	meta, neg := false, false
	for _, w := range text.Words(s) {
		meta = meta || metaWords[w]
		neg = neg || negations[w]
	}
	return meta && neg
}

var metaWords = setOf("source", "sources", "passage", "passages", "article", "articles",
	"knowledge", "provided", "fuente", "fuentes", "articulo", "articulos")

var negations = setOf("not", "no", "nothing", "none", "neither", "nor", "cannot", "t", "without",
	"nada", "ninguna", "ninguno", "tampoco")

// stripBullet removes a list bullet or number ("- ", "* ", "1. ", "2) ") and
// Markdown emphasis from the start of a sentence.
func stripBullet(s string) string {
	t := strings.TrimLeft(s, " \t")
	if strings.HasPrefix(t, "• ") {
		return strings.TrimSpace(t[len("• "):])
	}
	if len(t) >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && (t[1] == ' ' || t[1] == '\t') {
		return strings.TrimSpace(t[2:])
	}
	n := 0
	for n < len(t) && n < 3 && t[n] >= '0' && t[n] <= '9' {
		n++
	}
	if n > 0 && n+1 < len(t) && (t[n] == '.' || t[n] == ')') && (t[n+1] == ' ' || t[n+1] == '\t') {
		return strings.TrimSpace(t[n+1:])
	}
	return s
}

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
