package answer

import (
	"fmt"
	"sort"
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
