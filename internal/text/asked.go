package text

import (
	"strconv"
	"strings"
)

// Passage is a passage read for HoldsAsked: its sentences, the stems of
// each sentence's content words, and the countries it keeps naming. None
// of it depends on the question, so one reading serves every question
// asked of the passage.
type Passage struct {
	text, date string
	spans      []Span
	stems      []string        // the stems of its content words, in order
	ends       []int           // where each sentence's stems end in stems
	setting    map[string]bool // the forms of the countries the passage keeps naming
	back       []bool          // whether each sentence refers back to the one before ("this effort")
}

// ReadPassage reads a passage published on date (YYYY-MM-DD, against
// which its relative dates are resolved) for HoldsAsked.
func ReadPassage(passage, date string) *Passage {
	p := &Passage{text: passage, date: date, spans: Sentences(passage)}
	p.ends = make([]int, len(p.spans))
	p.back = make([]bool, len(p.spans))
	mentions := map[int]int{}
	form := map[int]string{}
	i := 0
	demonstrative := false // the word before was "this", "these" or "those"
	eachToken(passage, func(t Token) {
		countMention(t.Word, mentions, form)
		for i < len(p.spans) && t.Start >= p.spans[i].End {
			p.ends[i] = len(p.stems)
			i++
			demonstrative = false
		}
		if i == len(p.spans) || t.Start < p.spans[i].Start {
			return
		}
		if demonstrative && i > 0 && IsContent(t.Word) && !monthOrDay[t.Word] && !deicticNouns[t.Word] {
			p.back[i] = true // "committed $2.5 billion to *this effort*": the effort the sentence before names
		}
		demonstrative = t.Word == "this" || t.Word == "these" || t.Word == "those"
		if !IsContent(t.Word) {
			return
		}
		p.stems = append(p.stems, askedStem(t.Word))
	})
	for ; i < len(p.spans); i++ {
		p.ends[i] = len(p.stems)
	}
	p.setting = setting(mentions, form)
	return p
}

// deicticNouns follow "this" as a time of the writing ("this year"), not as
// a reference to what the sentence before says.
var deicticNouns = setOf(`year week month day morning afternoon evening night time moment spring summer
	fall autumn winter season quarter century decade weekend`)

// QuestionWords returns what HoldsAsked compares a passage with, from the
// English form of a question (the text searched): the stems of its content
// words (nil when it is not English, so that any sentence counts) and its
// words, which do not count as the person asked for.
func QuestionWords(english string) (stems, exclude map[string]bool) {
	if Language(english) == "en" {
		stems = map[string]bool{}
		for _, w := range ContentWords(english) {
			stems[askedStem(w)] = true
		}
		if len(stems) == 0 {
			stems = nil
		}
	}
	exclude = map[string]bool{}
	for _, w := range Words(english) {
		exclude[w] = true
	}
	return stems, exclude
}

// HoldsAsked reports whether a passage holds what a question asks for (a
// detail of its kind, of what it asks about: Ask.HeldBy) where it
// speaks of what the question asks about: in one of its sentences that
// hold the most of the question's stems qstems (as many as the best of
// them, or one fewer, and at least two, or all the question has: one
// shared word does not make a sentence about the question), or next to
// one. A long passage holds some date, number or name; the one that
// answers stands by the question's words ("the round held in July 2009"
// does not say who led it because another sentence names who led another
// round). A sum of money, a share, or a count or amount not bound to what
// it counts must stand in such a sentence itself, not next to it, unless
// its sentence refers back to the one before ("committed $2.5 billion to
// this effort", "75 percent of those nursing homes"). A count bound to the noun it counts (Ask.Of) needs only two of
// the question's words around it. When the question's words cannot be compared with the passage's
// (qstems is nil: another language), any sentence counts. Names in exclude
// (folded words, typically the question's) and the countries the passage
// keeps naming (see WithSetting) do not count as the person asked for.
// TypeNone is held by any passage.
func HoldsAsked(a Ask, passage, date string, qstems, exclude map[string]bool) bool {
	return ReadPassage(passage, date).HoldsAsked(a, qstems, exclude)
}

// HoldsAsked is the package's HoldsAsked on a passage already read.
func (p *Passage) HoldsAsked(a Ask, qstems, exclude map[string]bool) bool {
	if a.Type == TypeNone {
		return true
	}
	shared := make([]int, len(p.spans))
	best := 0
	if qstems != nil {
		counted := make(map[string]int, len(qstems)) // stem → 1 + the sentence it was last counted in
		from := 0
		for i, end := range p.ends {
			for _, st := range p.stems[from:end] {
				if qstems[st] && counted[st] != i+1 {
					counted[st] = i + 1
					shared[i]++
				}
			}
			from = end
			best = max(best, shared[i])
		}
	}
	need := max(best-1, min(2, len(qstems)))
	if len(a.Of) > 0 && !a.Money && !a.Share {
		// A count bound to what it counts ("this 10-year agreement" for
		// "how many years") says itself what it is of: two of the
		// question's words around it are enough.
		need = min(need, 2)
	}
	var ex map[string]bool
	if a.Type == TypeDuration || a.Type == TypeClock {
		// A length of time or a time of day is rare in a passage: the
		// only one it gives ("7:01 P.M." above a press call, "after years
		// of being detained") is what it tells of the event, wherever it
		// stands.
		ex = union(exclude, p.setting)
		held := 0
		for _, sp := range p.spans {
			if a.HeldBy(p.text[sp.Start:sp.End], p.date, ex) {
				held++
			}
		}
		if held == 1 {
			return true
		}
	}
	reach := 1 // the sentences next to one about the question count too
	if a.Money || a.Share || (a.Type == TypeNumber || a.Type == TypeAmount) && len(a.Of) == 0 {
		// A sum, a share or an amount of something unsaid stands in the
		// sentence that says what it is of: the one next to it is most
		// often about another. (A count bound to its noun says it itself.)
		reach = 0
	}
	for i := range p.spans {
		near := qstems == nil || p.back[i] && shared[i-1] >= need
		for j := max(i-reach, 0); j <= min(i+reach, len(p.spans)-1) && !near; j++ {
			near = shared[j] >= need
		}
		if !near {
			continue
		}
		if ex == nil {
			ex = union(exclude, p.setting)
		}
		sp := p.spans[i]
		if a.HeldBy(p.text[sp.Start:sp.End], p.date, ex) && p.ofKind(a, i) {
			return true
		}
	}
	return false
}

// ofKind reports whether the sentence i of a passage, or one next to it,
// holds the words that say what kind of thing a count is of (Ask.Kind):
// "250,000 new jobs" does not count manufacturing jobs, unless the
// sentence before says that is what they are.
func (p *Passage) ofKind(a Ask, i int) bool {
	if len(a.Kind) == 0 {
		return true
	}
	lo, hi := max(i-1, 0), min(i+1, len(p.spans)-1)
	words := Words(p.text[p.spans[lo].Start:p.spans[hi].End])
	fams := FamilySet(words)
	for j := 1; j < len(words); j++ {
		fams[Family(words[j-1]+words[j])] = true // a compound written in two words ("bullet proof")
	}
	for _, w := range a.Kind {
		if !fams[Family(w)] {
			return false
		}
	}
	return true
}

// settingMentions is how often a passage names a country (in any of its
// forms) for that country to be the passage's setting.
const settingMentions = 3

// WithSetting returns exclude with the countries a passage keeps naming:
// they are what the passage is about, the setting of the event, not the
// agent a "who" question asks for ("submitted by Cuba" in an article on
// talks with Cuba does not say who led a round). A country named once or
// twice is news ("Jamaica and The Bahamas pledged to join").
func WithSetting(passage string, exclude map[string]bool) map[string]bool {
	mentions := map[int]int{}
	form := map[int]string{}
	for _, w := range Words(passage) {
		countMention(w, mentions, form)
	}
	return union(exclude, setting(mentions, form))
}

// countMention counts a folded word that names a country (or another group
// of names) in mentions, by group, and keeps its form.
func countMention(w string, mentions map[int]int, form map[int]string) {
	if g, ok := NameGroup(w); ok {
		mentions[g]++
		form[g] = w
	}
}

// setting returns the forms of the groups named at least settingMentions
// times.
func setting(mentions map[int]int, form map[int]string) map[string]bool {
	out := map[string]bool{}
	for g, n := range mentions {
		if n >= settingMentions {
			out[form[g]] = true
		}
	}
	return out
}

// askedStem is the stem by which HoldsAsked compares a passage's words with
// a question's: a country's name in any of its forms is one word ("the
// Philippines", "a Philippine official", "my Filipino counterpart"), and
// any other word is its Stem.
func askedStem(w string) string {
	if g, ok := MentionGroup(w); ok {
		return groupKeys[g]
	}
	return Stem(w)
}

// KeyStems returns the stems of the one-word forms of the names a key of
// QuestionWords stands for when it stands for a group of names ("cuba",
// "cuban", "cubans", "havana"…): what a passage must hold for the key to
// be among its words. It returns nil for a key that is a stem itself.
func KeyStems(key string) []string { return groupStems[key] }

// groupKeys are the keys askedStem gives the names of each group, and
// groupStems the stems of each group's one-word forms by key; both are
// made once.
var groupKeys, groupStems = func() ([]string, map[string][]string) {
	keys := make([]string, len(nameGroups))
	for i := range keys {
		keys[i] = "#" + strconv.Itoa(i)
	}
	stems := make(map[string][]string, len(keys))
	for w, f := range nameIndex {
		if !strings.Contains(w, " ") {
			stems[keys[f.group]] = append(stems[keys[f.group]], Stem(w))
		}
	}
	return keys, stems
}()

// StemSet returns the stems of words, as a set.
func StemSet(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[Stem(w)] = true
	}
	return m
}

// FamilySet returns the word families of words (Family), as a set: "hoped"
// and "hope", "disputed" and "dispute" fall together, as the light Stem
// leaves them apart.
func FamilySet(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[Family(w)] = true
	}
	return m
}

// union returns a new set holding the words of a and b.
func union(a, b map[string]bool) map[string]bool {
	out := make(map[string]bool, len(a)+len(b))
	for w := range a {
		out[w] = true
	}
	for w := range b {
		out[w] = true
	}
	return out
}
