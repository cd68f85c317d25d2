package retrieval

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	"attache/internal/text"
	"attache/internal/wordvec"
)

// Limits on what a question turns into, so that a 10,000-character question
// costs no more than a short one.
const (
	maxCandidateWords = 64 // distinct content words looked up in the index
	maxQueryTerms     = 12 // terms actually sent to the store, rarest first
)

// unknownWordShare is the weight of an ordinary word no passage holds,
// relative to the rarest word: it may be the asker's phrasing as much as a
// subject the articles lack, so it counts as half of each.
const unknownWordShare = 0.5

// Month names are dates, handled by the time expressions of a question,
// not names of things.
var monthNames = map[string]bool{"january": true, "february": true, "march": true, "april": true, "may": true,
	"june": true, "july": true, "august": true, "september": true, "october": true, "november": true, "december": true,
	// Their abbreviations ("Sept 2024").
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "oct": true, "nov": true, "dec": true}

// QueryTerm is a concept of the question: a word and the other names of the
// same thing ("cuban" → cuba, havana), weighted by rarity.
type QueryTerm struct {
	Word     string     `json:"word"`
	Variants [][]string `json:"variants,omitempty"`
	DF       int        `json:"df"`     // passages containing the word (or, if none, its rarest variant)
	Weight   float64    `json:"weight"` // inverse document frequency; see weightTerms for unknown words
	// Salient words name something: capitalised inside the question, an
	// acronym, or a number ("Bolivia", "AUKUS", "1994").
	Salient bool `json:"salient,omitempty"`

	forms *termForms // stems, computed once per search
}

// termForms are a concept's forms as passages are matched against them:
// each a sequence of stems (a multi-word form matches adjacent words), the
// question's own word first.
type termForms struct {
	forms [][]string
}

// stemmed returns the concept's stems, computing them when the term was
// built elsewhere than by weightTerms.
func (t *QueryTerm) stemmed() *termForms {
	if t.forms != nil {
		return t.forms
	}
	f := &termForms{}
	seen := map[string]bool{}
	for _, form := range append([][]string{strings.Fields(t.Word)}, t.Variants...) {
		st := make([]string, len(form))
		for i, w := range form {
			st[i] = text.Stem(w)
		}
		if key := strings.Join(st, " "); !seen[key] && len(st) > 0 {
			seen[key] = true
			f.forms = append(f.forms, st)
		}
	}
	return f
}

// candidates returns the distinct content words of a question, in order of
// first appearance, at most maxCandidateWords of them, and which of them are
// salient (see QueryTerm.Salient). A known multi-word name ("El Salvador",
// "New Zealand") is one candidate, its words joined by a space: the longest
// name starting at a word wins. Anything that is not a letter or a digit is
// a separator, so no user text can become query syntax.
func candidates(question string) ([]string, map[string]bool) {
	seen := map[string]bool{}
	salient := map[string]bool{}
	var out []string
	toks := text.Tokens(question)
	folded := make([]string, len(toks))
	for i, tok := range toks {
		folded[i] = tok.Word
	}
	for i := 0; i < len(toks) && len(out) < maxCandidateWords; i++ {
		w := folded[i]
		if n := text.NameAt(folded, i); n > 1 {
			w = strings.Join(folded[i:i+n], " ")
			i += n - 1
		} else if !text.IsContent(w) || len(w) > 40 {
			continue
		}
		if _, named := text.NameGroup(w); named || isSalient(question[toks[i].Start:toks[i].End], sentenceStart(question, toks[i].Start)) && !monthNames[w] {
			salient[w] = true
		}
		if seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out, salient
}

// sentenceStart reports whether the word at byte offset at begins a
// sentence: nothing but spaces and quotes before it, or a full stop,
// question or exclamation mark. A capital there says nothing about the word.
func sentenceStart(s string, at int) bool {
	for i := at - 1; i >= 0; i-- {
		switch s[i] {
		case ' ', '\t', '\n', '\r', '"', '\'', '(':
			continue
		case '?', '!':
			return true
		case '.':
			// A full stop after an initial or a short abbreviation ("S.
			// Jaishankar", "U.S. Ambassador", "Dr. Sherwood-Randall")
			// ends no sentence.
			return !afterAbbreviation(s[:i])
		}
		if s[i] >= 0x80 {
			continue // part of an opening quote or mark
		}
		return false
	}
	return true
}

// afterAbbreviation reports whether s ends with an initial or a short
// abbreviation that a full stop follows: one or two letters ("S", "U.S",
// "Dr") or a title's short form.
func afterAbbreviation(s string) bool {
	j := len(s)
	for j > 0 && (s[j-1] >= 'A' && s[j-1] <= 'Z' || s[j-1] >= 'a' && s[j-1] <= 'z' || s[j-1] == '.') {
		j--
	}
	word := strings.ReplaceAll(s[j:], ".", "")
	if word == "" {
		return false
	}
	if len(word) <= 2 && word[0] >= 'A' && word[0] <= 'Z' {
		return true
	}
	return abbreviations[strings.ToLower(word)]
}

// abbreviations are the short forms of titles written with a full stop.
var abbreviations = map[string]bool{"mr": true, "mrs": true, "ms": true, "dr": true, "gen": true,
	"sen": true, "rep": true, "gov": true, "amb": true, "lt": true, "col": true, "adm": true,
	"jr": true, "sr": true, "st": true}

// isSalient reports whether a word as written names something: a capital
// not at the start of a sentence, an acronym, or digits.
func isSalient(raw string, first bool) bool {
	upper, lower, digit := 0, 0, 0
	for _, r := range raw {
		switch {
		case r >= '0' && r <= '9':
			digit++
		case unicode.IsUpper(r):
			upper++
		case unicode.IsLower(r):
			lower++
		}
	}
	switch {
	case digit > 0:
		return true
	case upper >= 2 && lower == 0:
		return true
	case upper > 0 && !first:
		return true
	}
	return false
}

// concepts groups the question's words with their name variants, and lists
// every word whose document frequency is needed (the words of a multi-word
// name or variant one by one).
func concepts(words []string, salient map[string]bool) ([]QueryTerm, []string) {
	var terms []QueryTerm
	lookup := map[string]bool{}
	var all []string
	add := func(phrase string) {
		for _, w := range strings.Fields(phrase) {
			if text.IsContent(w) && !lookup[w] {
				lookup[w] = true
				all = append(all, w)
			}
		}
	}
	groups := map[int]bool{}
	for _, w := range words {
		if g, ok := text.NameGroup(w); ok {
			if groups[g] {
				continue // "Cuba" and "Cuban" in one question are one concept
			}
			groups[g] = true
		}
		qt := QueryTerm{Word: w, Variants: text.NameVariants(w), Salient: salient[w]}
		add(w)
		for _, v := range qt.Variants {
			add(strings.Join(v, " "))
		}
		terms = append(terms, qt)
	}
	return terms, all
}

// phraseDF is the document frequency of a word or multi-word form: at most
// that of its rarest content word (0 when one is absent), which is the
// word a store is asked for.
func phraseDF(words []string, df map[string]int) (string, int) {
	best, f := "", 0
	for _, w := range words {
		if !text.IsContent(w) {
			continue
		}
		if df[w] == 0 {
			return "", 0
		}
		if best == "" || df[w] < f || df[w] == f && w < best {
			best, f = w, df[w]
		}
	}
	return best, f
}

// weightTerms turns document frequencies into BM25-style IDF weights and
// picks the words worth sending: each form's rarest word that occurs in the
// index, rarest first. The order of the question's words plays no part:
// ties go by the word. How many are scored is bounded by the store's scan
// bound, which counts passages, not by a share of the index, so that in a
// small folder where every word is common all of them are still sent.
func weightTerms(terms []QueryTerm, df map[string]int, total int) (all []QueryTerm, send []Term) {
	n := float64(total)
	idf := func(f int) float64 { return math.Log(1 + (n-float64(f)+0.5)/(float64(f)+0.5)) }
	type cand struct {
		word string
		df   int
	}
	var cands []cand
	seen := map[string]bool{}
	for _, qt := range terms {
		_, f := phraseDF(strings.Fields(qt.Word), df)
		if f == 0 {
			// Known only by another name: weigh it by its rarest variant.
			for _, v := range qt.Variants {
				if _, vf := phraseDF(v, df); vf > 0 && (f == 0 || vf < f) {
					f = vf
				}
			}
		}
		qt.DF = f
		qt.forms = qt.stemmed()
		switch {
		case f > 0:
			qt.Weight = idf(f)
		case qt.Salient:
			// A name the index does not know weighs as much as the rarest
			// word it does: a question about something the articles never
			// name is not covered by them.
			qt.Weight = idf(1)
		default:
			// An ordinary word no article uses may be the asker's phrasing
			// ("slap a tariff") or a subject ("bitcoin"): it counts half.
			qt.Weight = unknownWordShare * idf(1)
		}
		all = append(all, qt)
		forms := append([][]string{strings.Fields(qt.Word)}, qt.Variants...)
		for _, form := range forms {
			if w, f := phraseDF(form, df); f > 0 && !seen[w] {
				seen[w] = true
				cands = append(cands, cand{w, f})
			}
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].df != cands[j].df {
			return cands[i].df < cands[j].df
		}
		return cands[i].word < cands[j].word
	})
	if len(cands) > maxQueryTerms {
		cands = cands[:maxQueryTerms]
	}
	for _, c := range cands {
		send = append(send, Term{Text: c.word, Weight: idf(c.df)})
	}
	return all, send
}

// passageWords holds what re-ranking needs of a passage: its stems in order
// (title first), and how often each occurs, counted on first use.
type passageWords struct {
	seq    []string
	date   string
	year   string
	counts map[string]int
	title  *passageWords // the title's words alone; nil for a title itself
	body   *passageText  // the passage's text, read for the answer_type feature
}

// passageText is a passage's text, read into sentences on first use (only
// questions asking for a kind of detail need them); copies of its
// passageWords share one reading.
type passageText struct {
	title, text, date string
	once              sync.Once
	read              *text.Passage
	vecOnce           sync.Once
	vecs              []wordvec.Word
}

// vectors returns the vectors of the passage's distinct content words,
// title included, read on first use.
func (pw *passageWords) vectors() []wordvec.Word {
	b := pw.body
	b.vecOnce.Do(func() {
		seen := map[string]bool{}
		var words []string
		for _, w := range text.Words(b.title + "\n" + b.text) {
			if !seen[w] && text.IsContent(w) {
				seen[w] = true
				words = append(words, w)
			}
		}
		b.vecs = wordvec.Lookups(words)
	})
	return b.vecs
}

// passage returns the passage's text read into sentences.
func (pw *passageWords) passage() *text.Passage {
	b := pw.body
	b.once.Do(func() { b.read = text.ReadPassage(b.text, b.date) })
	return b.read
}

func newPassageWords(title, date, body string) passageWords {
	pw := passageWords{date: date, body: &passageText{title: title, text: body, date: date}}
	if len(date) >= 4 {
		pw.year = date[:4] // the year it was published counts as named
	}
	for _, w := range text.Words(title) {
		pw.seq = append(pw.seq, text.Stem(w))
	}
	pw.title = &passageWords{seq: pw.seq[:len(pw.seq):len(pw.seq)]}
	for _, w := range text.Words(body) {
		pw.seq = append(pw.seq, text.Stem(w))
	}
	return pw
}

// stems returns the passage's stems with how often each occurs, counted on
// first use.
func (pw *passageWords) stems() map[string]int {
	if pw.counts == nil {
		pw.counts = make(map[string]int, len(pw.seq))
		for _, st := range pw.seq {
			pw.counts[st]++
		}
	}
	return pw.counts
}

// count returns how often a stem occurs in the passage.
func (pw *passageWords) count(stem string) int { return pw.stems()[stem] }

// contains reports whether the passage holds a stem; the year it was
// published counts as named.
func (pw *passageWords) contains(stem string) bool {
	return pw.count(stem) > 0 || stem != "" && stem == pw.year
}

// termFreq counts the occurrences of a concept in the passage: of each of
// its forms, a multi-word form as adjacent words.
func (pw *passageWords) termFreq(t *QueryTerm) int {
	n := 0
	for _, form := range t.stemmed().forms {
		n += pw.phraseCount(form)
	}
	return n
}

// phraseCount counts the occurrences of a sequence of stems as adjacent
// words of the passage.
func (pw *passageWords) phraseCount(form []string) int {
	if len(form) == 1 {
		return pw.count(form[0])
	}
	if pw.count(form[0]) == 0 {
		return 0
	}
	n := 0
	for i := 0; i+len(form) <= len(pw.seq); i++ {
		if pw.seq[i] == form[0] && slices.Equal(pw.seq[i:i+len(form)], form) {
			n++
		}
	}
	return n
}

// BM25 parameters of the re-ranking score: the customary values (term
// frequency saturating at k1 = 1.2, length normalised by b = 0.75).
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// bm25 scores a passage against every concept of the question, with the
// concepts' weights as IDF and avgLen as the mean passage length. Store
// scores cannot serve: each store query scores only its own words.
func bm25(terms []QueryTerm, pw *passageWords, avgLen float64) float64 {
	norm := bm25K1 * (1 - bm25B + bm25B*float64(len(pw.seq))/max(avgLen, 1))
	var s float64
	for i := range terms {
		t := &terms[i]
		if tf := float64(pw.termFreq(t)); tf > 0 {
			s += t.Weight * tf * (bm25K1 + 1) / (tf + norm)
		}
	}
	return s
}

// has reports whether the passage contains the concept: one of its forms,
// a multi-word form as adjacent words; the year it was published counts as
// named.
func (pw *passageWords) has(t *QueryTerm) bool {
	for _, form := range t.stemmed().forms {
		if len(form) == 1 && pw.contains(form[0]) || len(form) > 1 && pw.phraseCount(form) > 0 {
			return true
		}
	}
	return false
}

// coverage returns the share of the query's weight that a passage contains:
// 1 when every weighted concept of the question occurs in the passage text
// or title.
func coverage(terms []QueryTerm, pw *passageWords) float64 {
	return heldShare(terms, pw.has)
}

// adjacentPairs counts the question's consecutive content words that also
// stand next to each other in the passage ("Craig Kelly", "wet foot").
func adjacentPairs(pairs map[[2]string]bool, pw *passageWords) int {
	if len(pairs) == 0 || len(pw.seq) < 2 {
		return 0
	}
	var found map[[2]string]bool
	for i := 1; i < len(pw.seq); i++ {
		p := [2]string{pw.seq[i-1], pw.seq[i]}
		if pairs[p] && !found[p] {
			if found == nil {
				found = map[[2]string]bool{}
			}
			found[p] = true
		}
	}
	return len(found)
}

// questionPairs lists the stems of consecutive content words of a question
// (no stopword between them).
func questionPairs(question string) map[[2]string]bool {
	out := map[[2]string]bool{}
	prev := ""
	for _, w := range text.Words(question) {
		if !text.IsContent(w) {
			prev = ""
			continue
		}
		st := text.Stem(w)
		if prev != "" {
			out[[2]string{prev, st}] = true
		}
		prev = st
	}
	return out
}
