package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// eventAt returns the verb of the event a why- or when-question
// presupposes, folded, or "" when it has none that can be told: "Why did
// Cuba expel the US ambassador?" and "When did Sweden withdraw its
// application?" take for granted that it happened; an article that never
// reports it cannot explain or date it. Only a question in the past ("why
// did…", "when has…") takes an event for granted; one in the present or
// future ("Why does Washington back…?", "When will the talks resume?")
// asks about a stance, a standing policy or a plan, which articles word
// freely. How-questions ask about the manner of what happened and are
// left out. The verb follows the auxiliary and its subject (names,
// determiners, and plural nouns followed by another word). Light verbs
// ("make", "take", "put") say little on their own and are left out unless
// a particle makes a phrase of them; a verb of intending or saying leads
// to the event it introduces (settle). It also returns the question's tokens and the index of the verb's
// token in them (-1 when there is none).
func eventAt(question string) (string, []Token, int) {
	if rest, ok := afterWhenClause(question); ok {
		// "When announcing the tariffs, how did…": the question proper
		// comes after the clause.
		return eventAt(rest)
	}
	toks := Tokens(question)
	i := afterLeadingWords(toks)
	if i+1 >= len(toks) || !eventOpeners[toks[i].Word] {
		return "", nil, -1
	}
	if strings.Contains(question[toks[i].End:toks[i+1].Start], ",") {
		// "When, relative to the memorandum, did…": the words between
		// commas stand aside from the question.
		for k := i + 2; k < len(toks); k++ {
			if strings.Contains(question[toks[k-1].End:toks[k].Start], ",") {
				return eventAt(question[:toks[i].End] + " " + question[toks[k].Start:])
			}
		}
		return "", nil, -1
	}
	if presentAuxiliaries[toks[i+1].Word] {
		// "Why does Washington back…": a stance or a standing policy,
		// which articles word freely, not an event taken for granted.
		return "", nil, -1
	}
	if !auxiliaries[toks[i+1].Word] {
		// "Why expel…": a question rendered from another language keeps
		// its verb right after the question word.
		w := toks[i+1].Word
		if !lowerAt(question, toks[i+1]) || IsStopword(w) || lightVerbs[w] || len(w) < 3 {
			return "", nil, -1
		}
		return w, toks, i + 1
	}
	return settle(question, toks, verbAfterSubject(question, toks, i+2, false))
}

// verbAfterSubject returns the index of the verb after the subject that
// starts at toks[i] (names, determiners, and nouns followed by another
// word), or -1 when no subject or no verb can be told. In a clause
// ("…that he would scale back…") a pronoun may be the subject and a modal
// may stand before the verb.
func verbAfterSubject(question string, toks []Token, i int, clause bool) int {
	subject := 0
	dated := false // the subject holds a date: "Biden's June 2021 executive order"
	for ; i < len(toks); i++ {
		w := toks[i].Word
		r, _ := utf8.DecodeRuneInString(question[toks[i].Start:])
		switch {
		case unicode.IsUpper(r) || subjectWords[w] || unicode.IsDigit(r) || clause && pronouns[w]:
			subject++
			dated = dated || unicode.IsDigit(r) || monthOrDay[w]
			continue
		case subject > 0 && dated && i+1 < len(toks) && lowerAt(question, toks[i+1]) && IsContent(toks[i+1].Word) && !prepositions[toks[i+1].Word] && !IsStopword(w):
			// After a date, the words of a noun phrase follow one another
			// up to its noun ("the June 2021 *executive order* remove…"):
			// a word followed by another such word is not yet the verb,
			// which stands before its object, a preposition or the end.
			subject++
			continue
		case subject > 0 && clause && modals[w]:
			continue // "…that Finland *would* scale back"
		case subject > 0 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && i+1 < len(toks) && !subjectWords[toks[i+1].Word] && !prepositions[toks[i+1].Word] && lowerAt(question, toks[i+1]):
			// A plural noun ending the subject ("the delegations discuss").
			subject++
			continue
		case subject > 0 && nounEnding(w) && !(i+1 < len(toks) && (objectDeterminers[toks[i+1].Word] || upperAt(question, toks[i+1]))):
			// A noun of the subject ("the administration impose"); a
			// word so ending before its object is a verb ("sanction
			// Cuba's minister", "sanction the").
			subject++
			continue
		case subject > 0 && i > 0 && toks[i-1].Word == "s" && lowerAt(question, toks[i]) && !IsStopword(w):
			// The noun a possessive opens ("Thailand's *prime* minister",
			// "Fogel's *family*").
			subject++
			continue
		case subject > 0 && IsPersonNoun(w) && i+1 < len(toks) && upperAt(question, toks[i+1]):
			// A noun of people before the name it describes ("the
			// American activist Aysenur Eygi gone…").
			subject++
			continue
		case subject > 0 && (IsPersonNoun(w) || compoundTitles[w] && i+1 < len(toks) && IsPersonNoun(toks[i+1].Word)) && !personVerbs[w]:
			// A noun of people ends a subject ("Iraq's foreign
			// *minister* commit", "the NATO *chief* say", "the Indian
			// *prime* minister kick off"); it is not the verb.
			subject++
			continue
		case subject > 0 && adverbs[w]:
			continue // "When did Biden first call…"
		case subject > 0 && prepositions[w] && !clause:
			// A preposition is never the verb: the subject goes on
			// through what it says of it ("the governments *behind*
			// the statement call…").
			subject++
			continue
		case subject > 0 && placedNoun(question, toks, i):
			// A noun placed by a name ("the US embassy in Havana
			// resume"): the subject goes on past the place.
			subject++
			i += 2
			for i+1 < len(toks) && upperAt(question, toks[i+1]) {
				i++
			}
			continue
		case subject > 0 && i+2 < len(toks) && toks[i+1].Word == "of":
			// A noun with what it is of ("the last round of talks"): the
			// subject goes on. (Other prepositions follow verbs as often:
			// "withdraw from NATO".)
			subject++
			i++
			continue
		case subject > 0 && i > 0 && objectDeterminers[toks[i-1].Word] && lowerAt(question, toks[i]) && !IsStopword(w):
			// A determiner is followed by a noun or the words describing
			// it, never by the verb ("the *entry* ban … take effect").
			subject++
			continue
		}
		break
	}
	if i >= len(toks) || subject == 0 {
		return -1
	}
	return i
}

// placedNoun reports whether toks[i] is a noun placed by a name ("embassy"
// in "the US embassy in Havana resume…"): "in" or "at" and a name follow
// it, and after the name a word that can be the verb (lower case, no
// function word). "Why did Cuba meet in Havana?" has none: "meet" is the
// verb.
func placedNoun(question string, toks []Token, i int) bool {
	if i+2 >= len(toks) || toks[i+1].Word != "in" && toks[i+1].Word != "at" || !upperAt(question, toks[i+2]) {
		return false
	}
	j := i + 2
	for j < len(toks) && upperAt(question, toks[j]) {
		j++
	}
	return j < len(toks) && lowerAt(question, toks[j]) && !IsStopword(toks[j].Word)
}

// settle returns the event's verb from the verb at toks[vi]: the verb
// itself, or the verb it introduces ("agree *to stop* buying", "tell
// Erdoğan *that he opposed*…": the event taken for granted is the one
// agreed to or said). A light verb names no event on its own, unless a
// particle makes a phrase of it ("give up").
func settle(question string, toks []Token, vi int) (string, []Token, int) {
	if vi < 0 || vi >= len(toks) {
		return "", nil, -1
	}
	w := baseForm(toks[vi].Word)
	to := vi + 1
	for to < len(toks) && timeWords(toks[to].Word) {
		to++ // "agree in 2021 to scrap"
	}
	switch {
	case verbOf(wishVerbs, w):
		return "", nil, -1
	case verbOf(intentVerbs, w) && to+1 < len(toks) && toks[to].Word == "to" && lowerAt(question, toks[to+1]):
		return settle(question, toks, to+1)
	case speechVerbs[w]:
		if k := vi + 1; k < len(toks) && (upperAt(question, toks[k]) || pronouns[toks[k].Word]) && !addressVerbs[w] {
			// "say Mulroney had opposed…": what was said, without its
			// "that" (after "tell" a name is whom it was told).
			if v := verbAfterSubject(question, toks, k, true); v >= 0 {
				return settle(question, toks, v)
			}
		}
		for k := vi + 1; k < len(toks); k++ {
			if toks[k].Word != "that" {
				continue
			}
			// "that" after a common noun opens a relative clause ("the
			// initiative that…"); after the verb, a name or a time it
			// opens what was said.
			if k == vi+1 || upperAt(question, toks[k-1]) || allDigits(toks[k-1].Word) {
				if v := verbAfterSubject(question, toks, k+1, true); v >= 0 {
					return settle(question, toks, v)
				}
			}
			break
		}
	}
	if w == "let" {
		// "let the national emergency … expire": what the question
		// takes for granted is the event let happen, its complement.
		if v := letComplement(question, toks, vi); v >= 0 {
			return settle(question, toks, v)
		}
	}
	if IsStopword(w) || len(w) < 3 || lightVerbs[w] && particleAt(toks, vi) < 0 {
		return "", nil, -1 // a light verb names an event only with its particle ("take … off")
	}
	if prepositions[w] || adverbForm(w) {
		return "", nil, -1 // "that America was *dangerously* behind": a state, no event
	}
	if w == "call" && callsSomething(question, toks, vi) {
		return "", nil, -1 // "call the partnership vital" names a view, as speaking does
	}
	return w, toks, vi
}

// letComplement returns the index of the bare verb after the object of
// "let" at toks[vi], or -1 when it cannot be told. Two things end the
// object noun phrase. A name or a number: the first lower-case word after
// one is the verb ("let the emergency with respect to Belarus *expire*"),
// when what follows it is a time, a preposition or nothing (else it is a
// noun the name describes: "the Belarus *sanctions* lapse"). And a time
// ("… *lapse* in September 2025"): the word before it closes the clause.
// A phrase with neither ("let the deal lapse") cannot be split without
// knowing which words are verbs, and is left unread.
func letComplement(question string, toks []Token, vi int) int {
	verbLike := func(k int) bool {
		w := toks[k].Word
		return lowerAt(question, toks[k]) && !IsStopword(w) && IsContent(w) && !prepositions[w] && !adverbForm(w)
	}
	for k := vi + 2; k < len(toks); k++ {
		prev := toks[k-1]
		if !upperAt(question, prev) && !allDigits(prev.Word) || !lowerAt(question, toks[k]) {
			continue
		}
		if !verbLike(k) {
			break // "let Cuba *in*", "let the Taliban *and*…"
		}
		if next := k + 1; next < len(toks) && !prepositions[toks[next].Word] && !timeWords(toks[next].Word) && !particles[toks[next].Word] {
			break // a noun after the name ("let the Belarus *sanctions* lapse")
		}
		return k
	}
	for k := vi + 3; k+1 < len(toks); k++ {
		if (toks[k].Word == "in" || toks[k].Word == "on") && (monthOrDay[toks[k+1].Word] || allDigits(toks[k+1].Word)) {
			if verbLike(k - 1) {
				return k - 1
			}
			return -1
		}
	}
	return -1
}

// adverbForm reports whether w has the form of an adverb made from an
// adjective ("dangerously", "officially"): long, in -ly, and not a verb in
// -ply ("supply", "multiply"). Short words in -ly are verbs as often
// ("rally", "rely").
func adverbForm(w string) bool {
	return len(w) >= 7 && strings.HasSuffix(w, "ly") && !strings.HasSuffix(w, "ply")
}

// verbOf reports whether w is a form of a verb of set: the verb itself or
// its third person or past ("wants", "wanted", "decided").
func verbOf(set map[string]bool, w string) bool {
	return set[w] || set[strings.TrimSuffix(w, "s")] || set[strings.TrimSuffix(w, "ed")] || set[strings.TrimSuffix(w, "d")]
}

// callsSomething reports whether "call" at toks[vi] names something ("call
// the partnership vital") rather than telephones someone ("call the
// Colombian president", "call Lula"): its object is neither a name nor a
// noun of people.
func callsSomething(question string, toks []Token, vi int) bool {
	for j := vi + 2; j < len(toks); j++ {
		if (toks[j].Word == "a" || toks[j].Word == "an") && IsContent(toks[j-1].Word) && !prepositions[toks[j-1].Word] &&
			!strings.ContainsAny(question[toks[j-1].End:toks[j].Start], ",;:()") {
			// "call Houthi attacks *a* direct threat", "call Oman's
			// decision to open its airspace *a* historic step": the
			// object, then what it is called (after a comma, "a" opens
			// an apposition: "Erdogan, a close ally").
			return true
		}
	}
	content := false
	for j := vi + 1; j < len(toks) && j <= vi+5; j++ {
		w := toks[j].Word
		switch {
		case objectDeterminers[w]:
			continue
		case IsPersonNoun(w):
			return false // "the new German chancellor"
		case upperAt(question, toks[j]):
			if _, group := MentionGroup(w); !group {
				return false // a person's name ("call Lula")
			}
		case IsContent(w):
			content = true
		default:
			return content // the object ended without naming anyone
		}
	}
	return content
}

// particleAt returns the index of the particle that makes a phrase of the
// light verb at toks[vi] ("take the Houthis *off*", "give *back*"): right
// after it, or after its object within three words; -1 when none.
func particleAt(toks []Token, vi int) int {
	for j := vi + 1; j < len(toks) && j <= vi+4; j++ {
		if particles[toks[j].Word] && toks[j].Word != "up" && toks[j].Word != "over" {
			// "Up" and "over" make phrases articles word in their own
			// way ("set up": established; "keep up": continued).
			return j
		}
		if prepositions[toks[j].Word] && toks[j].Word != "of" {
			return -1
		}
	}
	return -1
}

// afterLeadingWords returns the index of the first token after the words
// that may open a question before its interrogative ("And so why…").
func afterLeadingWords(toks []Token) int {
	i := 0
	for i < len(toks) && leadingWords[toks[i].Word] {
		i++
	}
	return i
}

// timeWords may stand between a verb and what it introduces ("agree in
// 2021 to…").
func timeWords(w string) bool {
	return w == "in" || w == "on" || w == "early" || w == "late" || monthOrDay[w] || allDigits(w)
}

var (
	// intentVerbs introduce the event they are followed by ("agree to
	// stop", "decide to designate", "vow to restore"): the decision or
	// the commitment is reported with that event's verb.
	intentVerbs = setOf(`agree decide choose opt vow promise pledge threaten move begin
		start continue mean vote`)
	// wishVerbs introduce an event that was only wished for or planned
	// ("want to bring back", "hope to reach", "plan to start"): nothing
	// happened that an article must report in those words, and no event
	// is taken for granted.
	wishVerbs = setOf(`want wish hope seek aim try expect need plan intend`)
	// speechVerbs report what was said: the event is in what follows "that".
	speechVerbs = setOf(`tell say warn inform assure claim argue insist stress contend`)
	// addressVerbs are followed by whom they address ("tell Trudeau…").
	addressVerbs = setOf(`tell inform assure`)
	pronouns     = setOf(`he she they it we`)
	// personVerbs are nouns of people that are also verbs ("Why did the
	// court judge…").
	personVerbs = setOf(`judge delegate`)
)

// Event is an event a question takes for granted: its verb, the particle
// that makes a phrase of it ("call off", "pull out"), and what it acts on.
type Event struct {
	Verb     string // folded, base form ("" when the question takes none for granted)
	Particle string // "off" in "Why did Harris call off…"
	// Object are the word families of the words of the noun phrase after
	// the verb ("sanctions" in "…lift the sanctions on Cuba's defense
	// minister"), countries, dates and numbers aside.
	Object map[string]bool
	// Of are the word families of what the object is of ("interior" in
	// "sanction Cuba's Minister of the Interior"); nil when the question
	// does not say.
	Of map[string]bool
	// Exclusion: the event is that something was left out or exempted
	// ("Why was Finland left out of…", "Why does the agreement leave out
	// intelligence sharing?"), which articles word in several ways
	// ("excluded", "exempt", "except", "not include"); Verb is "exclude"
	// and Object what was left out.
	Exclusion bool
}

// exclusionOf reads a why-question about something left out, in any
// tense: "Why was/is X left out of…", "…excluded/exempt(ed)/omitted…"
// (X is what was left out), "Why did/does Y leave out/exclude/omit X"
// (X follows). A question that asks why something was left out takes for
// granted that it was, whether in the past or as a standing fact.
func exclusionOf(question string) Event {
	toks := Tokens(question)
	i := afterLeadingWords(toks)
	if i+2 >= len(toks) || toks[i].Word != "why" || !auxiliaries[toks[i+1].Word] && !copulas[toks[i+1].Word] {
		return Event{}
	}
	for k := i + 2; k < len(toks); k++ {
		w := toks[k].Word
		passive := exclusionParticiples[w] || (w == "left" || w == "kept") && k+1 < len(toks) && toks[k+1].Word == "out"
		active := exclusionVerbs[w] || w == "leave" || w == "leaves"
		if !passive && !active {
			continue
		}
		e := Event{Verb: "exclude", Object: map[string]bool{}, Exclusion: true}
		if passive && k > i+2 {
			// What was left out is the subject, a country included
			// ("Why was Honduras left out…").
			for _, t := range toks[i+2 : k] {
				if IsContent(t.Word) {
					e.Object[Family(t.Word)] = true
				}
			}
		} else {
			rest := toks[k+1:]
			if len(rest) > 0 && rest[0].Word == "out" {
				rest = rest[1:]
			} else if w == "leave" || w == "leaves" {
				return Event{} // "leave Kabul": a departure, not a leaving out
			}
			objectPhrase(rest, e.Object)
		}
		if len(e.Object) == 0 {
			return Event{}
		}
		return e
	}
	return Event{}
}

var (
	exclusionParticiples = setOf(`excluded exempt exempted omitted`)
	exclusionVerbs       = setOf(`exclude excludes exempt exempts omit omits`)
)

// holdsExclusion reports whether a sentence says something is left out:
// "exclude", "exempt", "except", "omit" in any form, "left/leave out",
// or "not" before "include", "cover" or "apply".
func holdsExclusion(s string) bool {
	ws := Words(s)
	for j, w := range ws {
		for _, stem := range []string{"exclu", "exempt", "except", "omit", "omission"} {
			if strings.HasPrefix(w, stem) {
				return true
			}
		}
		if (w == "left" || w == "leave" || w == "leaves" || w == "leaving") && j+1 < len(ws) && ws[j+1] == "out" {
			return true
		}
		if w == "not" && j+1 < len(ws) {
			switch n := ws[j+1]; {
			case strings.HasPrefix(n, "includ"), strings.HasPrefix(n, "cover"), strings.HasPrefix(n, "appl"):
				return true
			}
		}
	}
	return false
}

// particles turn a verb into another ("call off" is no call, "step down"
// no step).
var particles = setOf(`off out down up back away over`)

// eventOf reads the event of an English question (see eventAt).
func eventOf(question string) Event {
	verb, toks, i := eventAt(question)
	if verb == "" {
		return Event{}
	}
	if verb == "host" {
		// Hosting someone is a meeting, however reported ("met",
		// "welcomed"). Welcoming and receiving are not always: one
		// welcomes a decision and receives a letter.
		verb = "meet"
	}
	e := Event{Verb: verb, Object: map[string]bool{}}
	rest := toks[i+1:]
	if len(rest) > 0 && (particles[rest[0].Word] || rest[0].Word == "against") {
		// "Against" right after the verb turns it round ("vote
		// against", "decide against"); further on it only says what a
		// noun is against ("cooperation against terrorism").
		e.Particle = rest[0].Word
		rest = rest[1:]
		if m, ok := phrasalMeanings[verb+" "+e.Particle]; ok {
			e.Verb, e.Particle = m, "" // "sit down with" is a meeting
		}
	} else if p := particleAt(toks, i); lightVerbs[verb] && p >= 0 {
		e.Particle = toks[p].Word // "take the Houthis off": the object stands before it
		objectPhrase(toks[i+1:p], e.Object)
		rest = toks[p+1:]
		objectPhrase(rest, e.Object)
		return e
	}
	// The object is the noun phrase after the verb, up to the first
	// function word that is not a determiner ("the sanctions *on* …",
	// "her January 2022 meeting *with* …"): what follows it says where,
	// when or with whom, which articles word in their own way.
	rest = objectPhrase(rest, e.Object)
	if len(rest) > 1 && rest[0].Word == "of" {
		// "the Minister *of the Interior*": what the object is of tells
		// which one it is.
		e.Of = map[string]bool{}
		objectPhrase(rest[1:], e.Of)
		if len(e.Of) == 0 {
			e.Of = nil
		}
	}
	return e
}

// objectPhrase adds the word families of the noun phrase that opens toks
// to into, countries, dates, numbers and determiners aside, and returns
// the tokens after it.
func objectPhrase(toks []Token, into map[string]bool) []Token {
	for i, t := range toks {
		w := t.Word
		if objectDeterminers[w] || monthOrDay[w] || allDigits(w) {
			continue
		}
		if !IsContent(w) || particles[w] {
			return toks[i:]
		}
		if _, name := MentionGroup(w); name {
			continue
		}
		into[Family(w)] = true
	}
	return nil
}

// objectDeterminers stand before the noun of an event's object.
var objectDeterminers = setOf(`the a an its their his her our this that these those s`)

// ReportedIn reports whether a text reports the event: one of its
// sentences holds a form of the verb (HoldsVerb), followed by the particle
// when the event has one, and a word of what the event acts on when the
// question says it. An article that reports lifting other sanctions, or a
// "Call to Action", does not report that the sanctions on a minister were
// lifted or that a meeting was called off.
func (e Event) ReportedIn(s string) bool {
	if e.Verb == "" {
		return true
	}
	for _, sp := range Sentences(s) {
		sent := s[sp.Start:sp.End]
		if e.Exclusion && !holdsExclusion(sent) || !e.Exclusion && !HoldsVerb(sent, e.Verb) {
			continue
		}
		toks := Tokens(sent)
		if e.Particle != "" && !particleAfterVerb(toks, e) {
			continue
		}
		if len(e.Object) == 0 {
			return true
		}
		object, of := false, e.Of == nil
		for _, t := range toks {
			object = object || e.Object[Family(t.Word)]
			of = of || e.Of[Family(t.Word)]
		}
		if object && of {
			return true
		}
	}
	return false
}

// particleAfterVerb reports whether a form of the event's verb stands in
// toks with its particle within the next three words ("called the visit
// off", "called off").
func particleAfterVerb(toks []Token, e Event) bool {
	for k, t := range toks {
		if !HoldsVerb(t.Word, e.Verb) || callVerbs[t.Word] && !strings.HasPrefix(t.Word, e.Verb) {
			continue
		}
		for j := k + 1; j < len(toks) && j <= k+3; j++ {
			if toks[j].Word == e.Particle {
				return true
			}
		}
	}
	return false
}

// baseForm returns the base of an irregular past or participle ("met" after
// "had" → "meet"), so that every form of the verb is looked for; any other
// word as it is.
func baseForm(w string) string {
	for base, past := range irregularPast {
		if w == past || w == irregularParticiple[base] {
			return base
		}
	}
	return w
}

// HoldsVerb reports whether a text reports an event of the verb: a form of
// it (same stem, a longer word it begins, such as "withdrawal" for
// "withdraw", or its irregular past, "broke" for "break").
func HoldsVerb(s, verb string) bool {
	if callVerbs[verb] {
		return holdsWordOf(s, callVerbs) // a call is reported as a call, a phone call or a conversation
	}
	if verb == "meet" {
		return holdsWordOf(s, meetingWords)
	}
	st := Stem(verb)
	past := irregularPast[verb]
	for _, w := range Words(s) {
		if w == verb || Stem(w) == st || len(verb) >= 4 && strings.HasPrefix(w, verb) || past != "" && (w == past || w == irregularParticiple[verb]) {
			return true
		}
		if len(verb) >= 6 && len(w) >= 6 && w[:6] == verb[:6] {
			return true // "suspend", "suspension"
		}
	}
	return false
}

// holdsWordOf reports whether s holds a word of set, as written or by its
// stem.
func holdsWordOf(s string, set map[string]bool) bool {
	for _, w := range Words(s) {
		if set[w] || set[Stem(w)] {
			return true
		}
	}
	return false
}

// phrasalMeanings are phrasal verbs that report an event of another verb,
// by which articles report it ("sat down with" for a meeting).
var phrasalMeanings = map[string]string{"sit down": "meet", "sat down": "meet"}

// meetingWords are the ways articles report a meeting: "met", "a meeting",
// "hosted", "welcomed … to the White House", "received".
var meetingWords = setOf(`meet met meets meeting meetings host hosted hosts hosting welcome welcomed
	welcomes welcoming receive received receives`)

// callVerbs are the ways articles report a call between leaders.
var callVerbs = setOf(`call called calls phone phoned phones telephone telephoned speak spoke
	spoken talk talked talks conversation ring rang`)

var (
	eventOpeners       = map[string]bool{"why": true, "when": true}
	presentAuxiliaries = map[string]bool{"does": true, "do": true, "will": true, "would": true}
	auxiliaries        = map[string]bool{"did": true, "does": true, "do": true, "will": true, "would": true,
		"has": true, "have": true, "had": true}
	// modals stand between a clause's subject and its verb ("…that
	// Finland *would* scale back").
	modals       = setOf(`would will could might should can may had has have did`)
	subjectWords = map[string]bool{"the": true, "a": true, "an": true, "and": true, "of": true, "its": true,
		"their": true, "his": true, "her": true, "s": true, "us": true, "two": true, "both": true,
		// Adjectives that stand between a determiner and its noun ("the
		// last round", "the new government").
		"last": true, "next": true, "new": true, "previous": true, "latest": true, "second": true,
		"third": true}
	// Light verbs carry little on their own ("hold talks", "set up"); verbs
	// of deciding or wanting introduce the event rather than name it
	// ("decide to designate", "aim to finish").
	lightVerbs = setOf(`be make take give get put go come say see let keep seem want need try use
		become mean decide plan intend choose opt hope expect wish help aim seek hold set`)
	prepositions = setOf(`in on at to from with for of by about over into after before during
		under between against without through behind across among amid around beyond near
		toward towards within upon despite since until via onto inside outside along`)
	adverbs = setOf(`first also ever finally later again then still just once already actually
		officially formally publicly recently originally eventually initially suddenly quickly
		previously jointly reportedly`)
	nounEndings   = []string{"tion", "sion", "ment", "ness", "ity", "ism", "ance", "ence", "ship", "ency", "ancy"}
	irregularPast = map[string]string{"say": "said", "mean": "meant", "break": "broke", "lead": "led", "meet": "met", "hold": "held",
		"begin": "began", "choose": "chose", "take": "took", "send": "sent", "sell": "sold",
		"buy": "bought", "fly": "flew", "speak": "spoke", "win": "won", "seek": "sought",
		"bring": "brought", "tell": "told", "pay": "paid", "build": "built", "spend": "spent",
		"leave": "left", "lose": "lost", "fall": "fell", "rise": "rose", "grow": "grew",
		"know": "knew", "write": "wrote", "drive": "drove", "strike": "struck", "withdraw": "withdrew",
		"forbid": "forbade", "freeze": "froze", "steal": "stole", "shake": "shook",
		"find": "found", "fight": "fought", "teach": "taught", "think": "thought", "catch": "caught",
		"stand": "stood", "understand": "understood", "undertake": "undertook", "overcome": "overcame",
		// Light verbs, so that every form of them is known as light.
		"go": "went", "make": "made", "give": "gave", "get": "got", "come": "came", "see": "saw",
		"keep": "kept"}
	irregularParticiple = map[string]string{"break": "broken", "choose": "chosen", "take": "taken",
		"speak": "spoken", "fly": "flown", "grow": "grown", "know": "known", "write": "written",
		"drive": "driven", "withdraw": "withdrawn", "forbid": "forbidden", "freeze": "frozen",
		"steal": "stolen", "shake": "shaken", "rise": "risen", "fall": "fallen", "undertake": "undertaken",
		"go": "gone", "give": "given", "get": "gotten", "see": "seen"}
)

// nounEnding reports whether a word ends as nouns do ("administration",
// "government", "presidency").
func nounEnding(w string) bool {
	for _, e := range nounEndings {
		if len(w) > len(e)+2 && strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// lowerAt reports whether a token is written in lower case.
func lowerAt(s string, t Token) bool {
	r, _ := utf8.DecodeRuneInString(s[t.Start:])
	return unicode.IsLower(r)
}

// Negated reports whether a question is negative ("Why not…?", "Why didn't
// they…?", "¿Por qué no…?"): it then takes no event for granted.
func Negated(s string) bool {
	for _, w := range Words(s) {
		if negations[w] {
			return true
		}
	}
	return false
}

var negations = setOf(`not no never nor t nunca tampoco ni`)

// PresupposedEventOf returns the event a why- or when-question takes for
// granted (eventAt, eventOf), reading a Spanish question through its English
// rendering. The rendering keeps content words, not word order, so a
// Spanish question's verb is taken only when the word after "por qué" is
// written as a conjugated verb ("¿Por qué *expulsó* Cuba…?"); "¿Por qué
// fiesta…?" asks "for which holiday", and "¿Por qué los funcionarios…?"
// puts the subject first, where the rendering cannot tell the verb.
func PresupposedEventOf(question string) Event {
	if Language(question) != "es" {
		if e := exclusionOf(EnglishQuery(question)); e.Exclusion {
			return e
		}
		return eventOf(EnglishQuery(question))
	}
	toks := Tokens(question)
	for i := 0; i+1 < len(toks); i++ {
		next := i + 1 // "cuándo levantó"
		if toks[i].Word == "por" && toks[i+1].Word == "que" {
			next = i + 2 // "por qué expulsó"
		} else if toks[i].Word != "cuando" {
			continue
		}
		if next < len(toks) && spanishVerbForm(question[toks[next].Start:toks[next].End]) {
			return eventOf(EnglishQuery(question))
		}
		return Event{}
	}
	return Event{}
}

// spanishVerbEndings are endings of Spanish verbs in the preterite (an
// event, as "did" marks one in English), which nouns and articles do not
// have.
var spanishVerbEndings = []string{"ó", "aron", "ieron", "eron"}

func spanishVerbForm(w string) bool {
	w = strings.ToLower(w)
	for _, e := range spanishVerbEndings {
		if strings.HasSuffix(w, e) && len(w) > len(e)+1 {
			return true
		}
	}
	return false
}
