package text

import (
	"slices"
	"strings"
)

// Speech is what a question asking what someone said takes for granted:
// that the speaker spoke on the topic ("What did Boric tell Biden about
// the war in Gaza?"). A readout that reports the meeting, and the topic in
// another's words, does not say what the speaker said.
type Speech struct {
	// Speaker are the folded words naming who spoke, as a passage would
	// name them: the last word of each name the subject writes with
	// capitals ("boric", "visegrad"); countries, demonyms and bodies
	// ("the Mexican delegation", "the White House") name no speaker.
	Speaker []string
	// Topic are the word families of the content words of what was spoken
	// about (after "about", up to the time or occasion).
	Topic map[string]bool
}

// SpeechOf reads a question of the form "What did SUBJECT say/tell/ask …
// about TOPIC?". It returns the zero Speech for any other question, and
// for one whose subject names nobody with capitals or whose topic it
// cannot tell.
func SpeechOf(question string) Speech {
	toks := Tokens(question)
	i := afterLeadingWords(toks)
	if i+2 >= len(toks) || toks[i].Word != "what" || toks[i+1].Word != "did" {
		return Speech{}
	}
	var sp Speech
	k := i + 2
	var name []string
	flush := func() {
		if len(name) > 0 {
			if _, group := MentionGroup(strings.Join(name, " ")); !group {
				sp.Speaker = append(sp.Speaker, name[len(name)-1])
			}
			name = nil
		}
	}
	for ; k < len(toks) && !speechAsked[toks[k].Word]; k++ {
		w := toks[k].Word
		if upperAt(question, toks[k]) && !IsStopword(w) && !IsTitle(w) {
			if _, group := MentionGroup(w); !group {
				name = append(name, w)
				continue
			}
		}
		flush()
	}
	flush()
	if k >= len(toks) || len(sp.Speaker) == 0 {
		return Speech{}
	}
	sp.Topic = map[string]bool{}
	for j := k + 1; j < len(toks); j++ {
		if toks[j].Word != "about" {
			continue
		}
		for _, t := range toks[j+1:] {
			w := t.Word
			if topicEnds[w] {
				break // "…about Ukraine *during* the call": the topic ends
			}
			if !IsContent(w) || allDigits(w) || monthOrDay[w] {
				continue
			}
			sp.Topic[Family(w)] = true
		}
		break
	}
	if len(sp.Topic) == 0 {
		return Speech{}
	}
	return sp
}

// topicEnds end the topic of what was said: the time or occasion follows.
var topicEnds = setOf(`when during after before while at`)

// speechAsked are the verbs of a question asking what was said.
var speechAsked = setOf(`say tell ask told said asked`)

// ReportedIn reports whether a text has the speaker and the topic in one
// sentence: one of the speaker's words and one of the topic's.
//
// A text that names the speaker may speak for them in the plural ("The
// two leaders underscored…", "We reaffirm…" in a joint statement): such a
// sentence counts as the speaker's too.
func (sp Speech) ReportedIn(s string) bool {
	if len(sp.Speaker) == 0 {
		return true
	}
	if !slices.ContainsFunc(Words(s), func(w string) bool { return slices.Contains(sp.Speaker, w) }) {
		return false
	}
	for _, span := range Sentences(s) {
		words := Words(s[span.Start:span.End])
		speaker, topic := false, false
		for _, w := range words {
			speaker = speaker || slices.Contains(sp.Speaker, w) || jointSpeakers[w]
			topic = topic || sp.Topic[Family(w)]
		}
		if speaker && topic {
			return true
		}
	}
	return false
}

// jointSpeakers speak for the people a text names, together.
var jointSpeakers = setOf(`leaders presidents sides delegations governments they we both`)
