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
func Language(s string) string {
	es, en := 0, 0
	if strings.ContainsAny(s, "¿¡") {
		es += 3
	}
	for _, t := range Tokens(s) {
		raw := s[t.Start:t.End]
		r, _ := utf8.DecodeRuneInString(raw)
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
		case spanishWord(w):
			es++
		}
		if w != strings.ToLower(raw) && unicode.IsLower(r) {
			es += 2 // an accent in a word that is not a name
		}
		for _, end := range spanishEndings {
			if len(w) > len(end)+2 && strings.HasSuffix(w, end) {
				es++
				break
			}
		}
	}
	if es > en {
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
