package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// EventVerb returns the verb of the event a why- or when-question
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
// ("make", "take", "put") say little on their own and are left out.
func EventVerb(question string) string {
	toks := Tokens(question)
	i := 0
	for i < len(toks) && leadingWords[toks[i].Word] {
		i++
	}
	if i+1 >= len(toks) || !eventOpeners[toks[i].Word] {
		return ""
	}
	if presentAuxiliaries[toks[i+1].Word] {
		// "Why does Washington back…": a stance or a standing policy,
		// which articles word freely, not an event taken for granted.
		return ""
	}
	if !auxiliaries[toks[i+1].Word] {
		// "Why expel…": a question rendered from another language keeps
		// its verb right after the question word.
		w := toks[i+1].Word
		if !lowerAt(question, toks[i+1]) || IsStopword(w) || lightVerbs[w] || len(w) < 3 {
			return ""
		}
		return w
	}
	i += 2
	subject := 0
	for ; i < len(toks); i++ {
		w := toks[i].Word
		r, _ := utf8.DecodeRuneInString(question[toks[i].Start:])
		switch {
		case unicode.IsUpper(r) || subjectWords[w] || unicode.IsDigit(r):
			subject++
			continue
		case subject > 0 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && i+1 < len(toks) && !subjectWords[toks[i+1].Word] && !prepositions[toks[i+1].Word] && lowerAt(question, toks[i+1]):
			// A plural noun ending the subject ("the delegations discuss").
			subject++
			continue
		case subject > 0 && nounEnding(w):
			// A noun of the subject ("the administration impose").
			subject++
			continue
		case subject > 0 && adverbs[w]:
			continue // "When did Biden first call…"
		case subject > 0 && i+2 < len(toks) && toks[i+1].Word == "of":
			// A noun with what it is of ("the last round of talks"): the
			// subject goes on. (Other prepositions follow verbs as often:
			// "withdraw from NATO".)
			subject++
			i++
			continue
		}
		break
	}
	if i >= len(toks) || subject == 0 {
		return ""
	}
	w := baseForm(toks[i].Word)
	if IsStopword(w) || lightVerbs[w] || len(w) < 3 {
		return ""
	}
	return w
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
		// A call is reported as a call, a phone call or a conversation.
		for _, w := range Words(s) {
			if callVerbs[w] || callVerbs[Stem(w)] {
				return true
			}
		}
		return false
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

// callVerbs are the ways articles report a call between leaders.
var callVerbs = setOf(`call called calls phone phoned phones telephone telephoned speak spoke
	spoken talk talked talks conversation`)

var (
	eventOpeners       = map[string]bool{"why": true, "when": true}
	presentAuxiliaries = map[string]bool{"does": true, "do": true, "will": true, "would": true}
	auxiliaries        = map[string]bool{"did": true, "does": true, "do": true, "will": true, "would": true,
		"has": true, "have": true, "had": true}
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
		under between against without through`)
	adverbs = setOf(`first also ever finally later again then still just once already actually
		officially formally publicly recently originally eventually initially suddenly quickly
		previously jointly reportedly`)
	nounEndings   = []string{"tion", "sion", "ment", "ness", "ity", "ism", "ance", "ence", "ship", "ency", "ancy"}
	irregularPast = map[string]string{"break": "broke", "lead": "led", "meet": "met", "hold": "held",
		"begin": "began", "choose": "chose", "take": "took", "send": "sent", "sell": "sold",
		"buy": "bought", "fly": "flew", "speak": "spoke", "win": "won", "seek": "sought",
		"bring": "brought", "tell": "told", "pay": "paid", "build": "built", "spend": "spent",
		"leave": "left", "lose": "lost", "fall": "fell", "rise": "rose", "grow": "grew",
		"know": "knew", "write": "wrote", "drive": "drove", "strike": "struck", "withdraw": "withdrew",
		"forbid": "forbade", "freeze": "froze", "steal": "stole", "shake": "shook",
		"find": "found", "fight": "fought", "teach": "taught", "think": "thought", "catch": "caught",
		"stand": "stood", "understand": "understood", "undertake": "undertook", "overcome": "overcame"}
	irregularParticiple = map[string]string{"break": "broken", "choose": "chosen", "take": "taken",
		"speak": "spoken", "fly": "flown", "grow": "grown", "know": "known", "write": "written",
		"drive": "driven", "withdraw": "withdrawn", "forbid": "forbidden", "freeze": "frozen",
		"steal": "stolen", "shake": "shaken", "rise": "risen", "fall": "fallen", "undertake": "undertaken"}
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

// PresupposedEvent returns the verb of the event a why-question takes for
// granted (EventVerb), reading a Spanish question through its English
// rendering. The rendering keeps content words, not word order, so a
// Spanish question's verb is taken only when the word after "por qué" is
// written as a conjugated verb ("¿Por qué *expulsó* Cuba…?"); "¿Por qué
// fiesta…?" asks "for which holiday", and "¿Por qué los funcionarios…?"
// puts the subject first, where the rendering cannot tell the verb.
func PresupposedEvent(question string) string {
	if Language(question) != "es" {
		return EventVerb(EnglishQuery(question))
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
			return EventVerb(EnglishQuery(question))
		}
		return ""
	}
	return ""
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
