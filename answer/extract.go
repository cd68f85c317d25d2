package answer

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"

	"attache"
	"attache/internal/text"
)

// candidate is a sentence of a retrieved passage, scored against the question.
type candidate struct {
	hit      int // index into hits
	pos      int // sentence position within the passage
	sentence string
	score    float64
	matched  int
	holds    bool // holds the kind of detail the question asks for
}

// Extract composes an extractive answer: the sentences of the top passages
// that best answer the question, each followed by the citation [n] of its
// passage. Citations are numbered in order of first use and list only the
// passages that were quoted.
//
// A sentence scores by the share of the question's words it holds (by word
// family), each word weighed by how few of the hits' sentences hold it. When
// the question asks for a date, a number or a person (text.AskedType), a
// sentence that holds one also fills the question's interrogative word,
// which counts as one more word matched, of average weight; such a sentence next to one that
// matches the question counts even if it shares no word with it ("The
// mediation began in 1978. It was led by Cardinal Samoré."), and the best
// of them is always quoted: it is the one that answers.
func Extract(question string, hits []attache.Hit, maxSentences int) (string, []attache.Citation) {
	qstems := text.FamilySet(text.ContentWords(question))
	if len(qstems) == 0 || len(hits) == 0 {
		return "", nil
	}
	asked := text.AskedType(question)
	exclude := map[string]bool{}
	for _, w := range text.Words(question) {
		exclude[w] = true
	}
	// A question word in few of the sentences found tells the one that
	// answers from those that only share the question's subject: each word
	// weighs by how few sentences hold it (an inverse sentence frequency
	// over the hits), so "malnutrition" outweighs "Ecuador" in passages
	// all about Ecuador.
	spansOf := make([][]text.Span, len(hits))
	famOf := make([][]map[string]bool, len(hits))
	sf := map[string]int{}
	sentences := 0
	for i, h := range hits {
		spansOf[i] = text.Sentences(h.Text)
		famOf[i] = make([]map[string]bool, len(spansOf[i]))
		for pos, sp := range spansOf[i] {
			fs := text.FamilySet(text.ContentWords(h.Text[sp.Start:sp.End]))
			famOf[i][pos] = fs
			sentences++
			for st := range fs {
				if qstems[st] {
					sf[st]++
				}
			}
		}
	}
	weight := func(st string) float64 { return math.Log(1 + float64(sentences)/float64(1+sf[st])) }
	// Sums of weights run in a fixed order: floating-point addition is
	// not associative, and a map's order changes from run to run, which
	// would break ties between equal sentences differently each time.
	qorder := slices.Sorted(maps.Keys(qstems))
	total := 0.0
	for _, st := range qorder {
		total += weight(st)
	}
	fillWeight := total / float64(len(qstems)) // the interrogative's slot weighs as an average word
	if asked != text.TypeNone {
		total += fillWeight
	}
	var cands []candidate
	seen := map[string]bool{}
	for i, h := range hits {
		rankWeight := 1 / (1 + 0.25*float64(i))
		spans := spansOf[i]
		setting := text.WithSetting(h.Text, exclude)
		matched := make([]int, len(spans))
		weighed := make([]float64, len(spans))
		for pos := range spans {
			for _, st := range qorder {
				if famOf[i][pos][st] {
					matched[pos]++
					weighed[pos] += weight(st)
				}
			}
		}
		for pos, sp := range spans {
			s := strings.TrimSpace(h.Text[sp.Start:sp.End])
			key := strings.Join(text.Words(s), " ")
			if seen[key] || !isProse(s) {
				continue
			}
			m := matched[pos]
			holds := asked != text.TypeNone && text.Holds(asked, s, h.Date, setting)
			near := (pos > 0 && matched[pos-1] > 0) || (pos+1 < len(spans) && matched[pos+1] > 0)
			if m == 0 && !(holds && near) {
				continue
			}
			seen[key] = true
			fill := 0.0
			if holds {
				fill = fillWeight
			}
			n := len(text.Words(s))
			lengthPenalty := 1.0
			if n > 60 {
				lengthPenalty = 60 / float64(n)
			}
			score := ((weighed[pos] + fill) / total) * rankWeight * lengthPenalty * (0.5 + h.Coverage)
			cands = append(cands, candidate{hit: i, pos: pos, sentence: s, score: score, matched: m, holds: holds})
		}
	}
	if len(cands) == 0 {
		return "", nil
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	// The best sentence that holds the asked detail goes first.
	for i, c := range cands {
		if c.holds {
			copy(cands[1:i+1], cands[:i])
			cands[0] = c
			break
		}
	}
	best := cands[0].score
	for _, c := range cands {
		best = max(best, c.score)
	}
	perHit := map[int]int{}
	var picked []candidate
	for i, c := range cands {
		if len(picked) == maxSentences {
			break
		}
		// Keep sentences that are nearly as good as the best; drop tail noise.
		if (i > 0 && c.score < 0.35*best) || perHit[c.hit] == 2 {
			continue
		}
		perHit[c.hit]++
		picked = append(picked, c)
	}
	// Read in passage order, then sentence order, so the answer flows.
	sort.SliceStable(picked, func(i, j int) bool {
		if picked[i].hit != picked[j].hit {
			return picked[i].hit < picked[j].hit
		}
		return picked[i].pos < picked[j].pos
	})
	num := map[int]int{}
	var cites []attache.Citation
	var parts []string
	for _, c := range picked {
		n, ok := num[c.hit]
		if !ok {
			n = len(cites) + 1
			num[c.hit] = n
			cites = append(cites, attache.CitationFor(n, hits[c.hit].Passage))
		}
		parts = append(parts, fmt.Sprintf("%s [%d]", c.sentence, n))
	}
	return strings.Join(parts, " "), cites
}

// isProse rejects headings, list stubs and other fragments that make poor answers.
func isProse(s string) bool {
	words := text.Words(s)
	if len(words) < 5 {
		return false
	}
	last := []rune(strings.TrimRight(s, `"'”’)*`))
	if len(last) == 0 {
		return false
	}
	if strings.ContainsRune(".!…:;", last[len(last)-1]) {
		return true
	}
	// An item of a list states a fact whether or not it ends with a
	// stop ("- Coordinate joint efforts to promote an innovation ethos"),
	// when it is long enough not to be a heading.
	return text.IsListItem(s) && len(words) >= minListItem
}

// minListItem is the fewest words of a list item quoted without a stop.
const minListItem = 6

// CondenseHeuristic turns a follow-up into a standalone search query without a
// model: it keeps the follow-up and adds the names, places, numbers and dates
// of the last two user turns and the names of the last answer; when the
// follow-up says little on its own ("Why did they do that?"), every content
// word of the last user turn is added too.
func CondenseHeuristic(question string, history []attache.Turn) string {
	have := map[string]bool{}
	for _, w := range text.Words(question) {
		have[w] = true
	}
	terse := len(text.ContentWords(question)) < 3
	var extra []string
	add := func(content string, all bool, limit int) {
		n := 0
		for _, tok := range text.Tokens(content) {
			raw := content[tok.Start:tok.End]
			if have[tok.Word] || !text.IsContent(tok.Word) {
				continue
			}
			r := []rune(raw)
			if all || unicode.IsUpper(r[0]) || unicode.IsDigit(r[0]) {
				have[tok.Word] = true
				extra = append(extra, raw)
				if n++; limit > 0 && n == limit {
					return
				}
			}
		}
	}
	users, answers := 0, 0
	for i := len(history) - 1; i >= 0; i-- {
		t := history[i]
		switch {
		case t.Role == "user" && users < 2:
			add(t.Content, terse && users == 0, 0)
			users++
		case t.Role == "assistant" && answers < 1:
			add(t.Content, false, 8)
			answers++
		}
	}
	if len(extra) == 0 {
		return question
	}
	return question + " " + strings.Join(extra, " ")
}
