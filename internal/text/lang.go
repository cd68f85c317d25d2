package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Language guesses the language of a short text, "es" or "en" (the default:
// Attaché's articles are English; a Spanish question is answered in
// Spanish). The signals, strongest first: the opening marks ¿ and ¡; accented
// letters and ñ in words that are not names; Spanish and English function
// words, words of the Spanish glossary ("remesas") and Spanish endings
// ("-ción", "-aron"). Words written with a capital
// inside a sentence are names and count for neither language, so "What did
// Raúl Castro tell the Asamblea Nacional?" stays English.
//
// Glossary words and endings only add weight to a function word, an
// opening mark or an accent: a string of keywords ("Costa Rica marine
// parks") has no grammar to tell, and the articles' language is the guess.
func Language(s string) string {
	es, en, grammar := 0, 0, 0
	if strings.ContainsAny(s, "¿¡") {
		es += 3
		grammar++
	}
	toks := Tokens(s)
	for i, t := range toks {
		raw := s[t.Start:t.End]
		r, _ := utf8.DecodeRuneInString(raw)
		// A capitalised word opening a run of capitalised words is a name
		// too ("Raúl Castro").
		nextCapital := false
		if i+1 < len(toks) {
			nr, _ := utf8.DecodeRuneInString(s[toks[i+1].Start:])
			nextCapital = unicode.IsUpper(nr)
		}
		if unicode.IsUpper(r) && (!sentenceStart(s, t.Start) || strings.ToUpper(raw) == raw) {
			continue // a name or an acronym
		}
		w := t.Word
		if englishMarkers[w] {
			en++
		}
		switch {
		case spanishMarkers[w]:
			es++
			grammar++
		case spanishWord(w):
			es++
		}
		if w != strings.ToLower(raw) && !(unicode.IsUpper(r) && nextCapital) {
			es += 2 // an accent in a word that is not a name
			grammar++
		}
		for _, end := range spanishEndings {
			if len(w) > len(end)+2 && strings.HasSuffix(w, end) {
				es++
				break
			}
		}
	}
	if es > en && grammar > 0 {
		return "es"
	}
	return "en"
}

// spanishWord reports whether a folded word is a form of the Spanish
// glossary whose English is another word ("remesas", not "crisis").
func spanishWord(w string) bool {
	en, ok := spanishGlossary.exact[w]
	return ok && en != "-" && !strings.HasPrefix(Fold(en), w) && !strings.HasPrefix(w, Fold(en))
}

// Function words frequent in one language and rare in the other (folded).
var spanishMarkers = setOf(`el la los las del de al que y en por con para un una unos unas se lo su sus
	es son fue fueron esta estan ha han hay hubo quien quienes cuando donde cual cuales cuanto cuanta
	cuantos cuantas como porque entre sobre desde hasta durante tras tambien pero muy mas ya este estos
	esa ese esas esos dijo hizo sobre segun cuales
	enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre ano anos`)

var englishMarkers = setOf(`the of and what who when where which how why did does do is are was were
	has have had with for about in on to an from that this these those by at after before since will
	would can could there their its been be not`)

// spanishEndings are word endings common in Spanish and rare in English.
var spanishEndings = []string{"cion", "ciones", "aron", "ieron", "idad", "idades", "mente", "ado", "ados", "ada", "adas"}

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
