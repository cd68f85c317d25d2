package text

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/spanish"
)

// A Spanish question is searched in English: the articles are English. The
// question's words are rendered one by one, left to right:
//
//   - time expressions become the English ones the date reader knows
//     ("en febrero de 2010" → "in February 2010", "el año pasado" → "last
//     year"); a date after "de" describes something ("la llamada de enero de
//     2021" → "call the January 2021") and stays a description;
//   - question words become English question words ("quién" → "who");
//   - words and phrases of the glossary (spanish_glossary.txt) become their
//     English form, matched on Snowball stems so that one entry serves a
//     word's plural, feminine and conjugations;
//   - function words are dropped;
//   - names (capitalised inside the question) are kept as written;
//   - a verb the glossary does not know is dropped (its English is another
//     word);
//   - any other word is taken as a cognate: a regular Spanish ending becomes
//     the English one ("delegaciones" → "delegations"), else the word is kept
//     (without accents, as the index reads it).
//
// The result reads as English to Language, so rendering it again changes
// nothing.

//go:embed spanish_glossary.txt
var spanishGlossaryText string

// glossary maps Spanish forms to English ones.
type glossary struct {
	exact   map[string]string   // folded word and its plurals → English
	stems   map[string]string   // Snowball stem → English, when no two entries disagree
	phrases map[string][]phrase // first word's key → phrases of several words
}

type phrase struct {
	keys    []string // each word's folded stem
	english string
}

var spanishGlossary = parseGlossary(spanishGlossaryText)

// parseGlossary reads "spanish = english" lines ("==": exact forms only);
// '#' starts a comment. Exact forms include the plural and, for words
// ending in -o, -és, -án or -ol, the feminine. When two entries share a
// stem, the first keeps it if their English is one word's forms
// ("negotiations", "negotiate"); otherwise the stem is left out and the
// words are found by their exact forms only.
func parseGlossary(src string) glossary {
	g := glossary{exact: map[string]string{}, stems: map[string]string{}, phrases: map[string][]phrase{}}
	conflict := map[string]bool{}
	for _, line := range strings.Split(src, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		es, en, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		en, exactOnly := strings.CutPrefix(en, "=")
		en = strings.TrimSpace(en)
		words := strings.Fields(strings.ToLower(es))
		if len(words) == 0 || en == "" {
			continue
		}
		if len(words) > 1 {
			p := phrase{english: en}
			for _, w := range words {
				p.keys = append(p.keys, spanishKeys(w)[0])
			}
			g.phrases[p.keys[0]] = append(g.phrases[p.keys[0]], p)
			continue
		}
		w := Fold(words[0])
		for _, f := range inflections(w) {
			if _, dup := g.exact[f]; !dup || f == w {
				g.exact[f] = en
			}
		}
		if exactOnly {
			continue
		}
		for _, k := range spanishKeys(words[0]) {
			prev, dup := g.stems[k]
			switch {
			case !dup:
				g.stems[k] = en
			case !sameRoot(prev, en):
				conflict[k] = true
			}
		}
	}
	for k := range conflict {
		delete(g.stems, k)
	}
	return g
}

// inflections returns a folded Spanish word with its plural and feminine
// forms ("cubano" → "cubanos", "cubana", "cubanas").
func inflections(w string) []string {
	out := []string{w, w + "s", w + "es"}
	switch {
	case strings.HasSuffix(w, "o"):
		out = append(out, w[:len(w)-1]+"a", w[:len(w)-1]+"as")
	case strings.HasSuffix(w, "es"), strings.HasSuffix(w, "an"), strings.HasSuffix(w, "ol"):
		out = append(out, w+"a", w+"as")
	}
	return out
}

// sameRoot reports whether two English renderings are forms of one word
// ("negotiate", "negotiations"), so a stem they share may stand for either:
// the first entry keeps it.
func sameRoot(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n >= 5 || Stem(a) == Stem(b)
}

// spanishKeys returns the folded Snowball stems of a lower-case word: of the
// word as written, and of the word without its accents (questions are
// often typed without them, and the stemmer reads some suffixes only with
// them: "delegación" and "delegaciones" share a stem, "delegacion" has
// another).
func spanishKeys(w string) []string {
	k := Fold(spanish.Stem(w, true))
	if f := Fold(w); f != w {
		if k2 := Fold(spanish.Stem(restoreAccent(f), true)); k2 != k {
			return []string{k, k2}
		}
	}
	if r := restoreAccent(w); r != w {
		return []string{Fold(spanish.Stem(r, true)), k}
	}
	return []string{k}
}

// restoreAccent puts back the accent of the commonest accented ending,
// "-ción"/"-sión", which the stemmer needs to see.
func restoreAccent(w string) string {
	for _, s := range [][2]string{{"cion", "ción"}, {"sion", "sión"}} {
		if strings.HasSuffix(w, s[0]) {
			return strings.TrimSuffix(w, s[0]) + s[1]
		}
	}
	return w
}

// lookup returns the English of a word: by its exact folded form, else by
// its stem when stems are allowed.
func (g glossary) lookup(lower string, stems bool) (string, bool) {
	if en, ok := g.exact[Fold(lower)]; ok {
		return en, true
	}
	if !stems {
		return "", false
	}
	for _, k := range spanishKeys(lower) {
		if en, ok := g.stems[k]; ok {
			return en, true
		}
	}
	return "", false
}

// phraseAt returns the longest glossary phrase starting at word i, and the
// index after it.
func (g glossary) phraseAt(ws []esWord, i int) (string, int, bool) {
	best, end := "", 0
	for _, k := range ws[i].keys {
		for _, p := range g.phrases[k] {
			if len(p.keys) <= end-i || i+len(p.keys) > len(ws) {
				continue
			}
			match := true
			for j, pk := range p.keys {
				if !ws[i+j].hasKey(pk) {
					match = false
					break
				}
			}
			if match {
				best, end = p.english, i+len(p.keys)
			}
		}
	}
	return best, end, end > 0
}

// esWord is a word of a Spanish question.
type esWord struct {
	raw     string // as written
	lower   string // lower case, accents kept
	folded  string // lower case, no accents
	keys    []string
	initial bool // first word of its sentence
}

func (w esWord) hasKey(k string) bool {
	for _, x := range w.keys {
		if x == k {
			return true
		}
	}
	return false
}

// capitalised reports whether the word is written with an initial capital.
func (w esWord) capitalised() bool {
	r, _ := utf8.DecodeRuneInString(w.raw)
	return unicode.IsUpper(r)
}

// acronym reports whether the word is written in capitals only ("ONU").
func (w esWord) acronym() bool {
	return len(w.raw) > 1 && strings.ToUpper(w.raw) == w.raw && strings.ToLower(w.raw) != w.raw
}

func (w esWord) number() bool {
	for _, r := range w.raw {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func spanishWords(s string) []esWord {
	toks := Tokens(s)
	out := make([]esWord, len(toks))
	for i, t := range toks {
		raw := s[t.Start:t.End]
		lower := strings.ToLower(raw)
		out[i] = esWord{raw: raw, lower: lower, folded: t.Word, keys: spanishKeys(lower), initial: sentenceStart(s, t.Start)}
	}
	return out
}

// sentenceStart reports whether only spaces and opening or closing
// punctuation of a sentence stand between the previous sentence (or the
// start of s) and byte offset i.
func sentenceStart(s string, i int) bool {
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		switch {
		case unicode.IsSpace(r), r == '¿', r == '¡', r == '"', r == '(', r == '«', r == '“':
			i -= size
		case r == '.':
			return !afterAbbreviation(s[:i-size])
		case r == '?' || r == '!' || r == ':' || r == ';':
			return true
		default:
			return false
		}
	}
	return true
}

// afterAbbreviation reports whether s ends with a short word in capitals,
// the end of an abbreviation ("EE. UU.") rather than of a sentence.
func afterAbbreviation(s string) bool {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeLastRuneInString(s)
		if !unicode.IsUpper(r) {
			break
		}
		n++
		s = s[:len(s)-size]
	}
	return n > 0 && n <= 3
}

// EnglishQuery renders a question as English search words: a Spanish
// question's words and name forms become the English words articles use
// (see the rules above); an English question comes back unchanged.
func EnglishQuery(s string) string {
	if Language(s) != "es" {
		return s
	}
	ws := spanishWords(s)
	var out []string
	for i := 0; i < len(ws); {
		if en, j, ok := spanishTime(ws, i); ok {
			out = append(out, en)
			i = j
			continue
		}
		if en, j, ok := questionWord(ws, i); ok {
			out = append(out, en)
			i = j
			continue
		}
		if en, j, ok := spanishGlossary.phraseAt(ws, i); ok {
			out = appendEnglish(out, en, ws[i])
			i = j
			continue
		}
		if en, ok := englishWord(ws[i]); ok {
			out = append(out, en)
		}
		i++
	}
	return strings.Join(out, " ")
}

// appendEnglish adds a glossary rendering; a common word written with a
// capital inside the question is part of a name ("la Cancillería") and
// keeps its capitals in English.
func appendEnglish(out []string, en string, w esWord) []string {
	if en == "-" {
		return out
	}
	if w.capitalised() && !w.initial {
		en = titleCase(en)
	}
	return append(out, en)
}

func titleCase(s string) string {
	f := strings.Fields(s)
	for i, w := range f {
		if w == "of" || w == "the" || w == "and" {
			continue
		}
		r, size := utf8.DecodeRuneInString(w)
		f[i] = string(unicode.ToUpper(r)) + w[size:]
	}
	return strings.Join(f, " ")
}

// englishWord renders one word that is neither a time expression, a
// question word nor the start of a glossary phrase.
func englishWord(w esWord) (string, bool) {
	switch {
	case w.number():
		return w.raw, true
	case w.acronym():
		if en, ok := spanishGlossary.lookup(w.lower, false); ok && en != "-" {
			return en, true
		}
		return w.raw, true
	case spanishFunctionWords[w.folded]:
		return "", false
	case w.capitalised() && !w.initial && !verbEnding(w):
		// A name: only its exact Spanish form is translated ("Canadá"),
		// never a stem ("Paz" is a name here, not "peace"). A capitalised
		// verb ("Firmó", after "Sí." or glued to a question from an
		// earlier turn) opens a sentence and is no name.
		if en, ok := spanishGlossary.lookup(w.lower, false); ok {
			if en == "-" {
				return "", false
			}
			return titleCase(en), true
		}
		return w.raw, true
	}
	if en, ok := spanishGlossary.lookup(w.lower, true); ok {
		if en == "-" {
			return "", false
		}
		return en, true
	}
	if conjugated(w) {
		// A verb the glossary does not know: its English is another word,
		// and a Spanish form would only dilute the question.
		return "", false
	}
	if c, ok := cognate(w); ok {
		return c, true
	}
	if w.capitalised() && !verbEnding(w) {
		return w.raw, true // a sentence may open with a name
	}
	return w.folded, true
}

// cognate renders a word by the regular correspondences of Spanish and
// English endings ("-ción" → "-tion", "-idad" → "-ity", "-ismo" → "-ism").
func cognate(w esWord) (string, bool) {
	f := w.folded
	if len(f) < 5 {
		return "", false
	}
	for _, e := range cognateEndings {
		if strings.HasSuffix(f, e.es) && len(f)-len(e.es) >= 3 {
			stem := f[:len(f)-len(e.es)]
			if strings.HasPrefix(stem, "inm") {
				stem = "imm" + stem[3:]
			}
			return stem + e.en, true
		}
	}
	// "-ía" but not the conditional "-ría" ("reduciría").
	if (strings.HasSuffix(w.lower, "ía") || strings.HasSuffix(w.lower, "ías")) && !strings.Contains(w.lower[max(0, len(w.lower)-5):], "rí") {
		return strings.TrimSuffix(strings.TrimSuffix(f, "s"), "ia") + "y", true // economía → economy
	}
	return "", false
}

// verbEnding reports whether a word ends as only verbs do: a preterite
// ("firmó", "firmaron", "vinieron") or an imperfect ("firmaba").
func verbEnding(w esWord) bool {
	if len(w.folded) < 4 {
		return false
	}
	if strings.HasSuffix(w.lower, "ó") {
		return true
	}
	for _, e := range []string{"aron", "ieron", "aba", "aban"} {
		if strings.HasSuffix(w.folded, e) && len(w.folded) > len(e)+2 {
			return true
		}
	}
	return false
}

// conjugated reports whether an unknown word ends like a conjugated verb:
// preterite, imperfect or gerund endings, or the accented endings of the
// future and the conditional ("firmará", "reduciría"; nouns such as
// "frontera" carry no accent).
func conjugated(w esWord) bool {
	if len(w.folded) < 6 || w.capitalised() && !verbEnding(w) {
		return false
	}
	for _, e := range []string{"aron", "ieron", "aba", "aban", "ando", "iendo"} {
		if strings.HasSuffix(w.folded, e) {
			return true
		}
	}
	for _, e := range []string{"ará", "erá", "irá", "arán", "erán", "irán", "ría", "rían"} {
		if strings.HasSuffix(w.lower, e) {
			return true
		}
	}
	return false
}

// cognateEndings lists Spanish endings with their English counterparts,
// longest first where one ends another.
var cognateEndings = []struct{ es, en string }{
	{"cionales", "tional"}, {"cional", "tional"}, {"ciones", "tions"}, {"cion", "tion"}, {"siones", "sions"}, {"sion", "sion"},
	{"idades", "ities"}, {"idad", "ity"},
	{"ismos", "isms"}, {"ismo", "ism"}, {"istas", "ists"}, {"ista", "ist"},
	{"encias", "ences"}, {"encia", "ence"}, {"ancias", "ances"}, {"ancia", "ance"},
	{"cias", "cies"}, {"cia", "cy"},
	{"ivos", "ive"}, {"ivas", "ive"}, {"ivo", "ive"}, {"iva", "ive"},
	{"icos", "ic"}, {"icas", "ic"}, {"ico", "ic"}, {"ica", "ic"},
	{"osos", "ous"}, {"osas", "ous"}, {"oso", "ous"}, {"osa", "ous"},
	{"mente", "ly"},
	{"arios", "aries"}, {"arias", "aries"}, {"ario", "ary"}, {"aria", "ary"},
	{"entes", "ents"}, {"ente", "ent"}, {"antes", "ants"}, {"ante", "ant"},
	{"ctos", "cts"}, {"cto", "ct"},
	{"enciales", "ential"}, {"encial", "ential"}, {"ales", "al"}, {"iles", "il"},
	{"uras", "ures"}, {"ura", "ure"},
	{"ados", "ated"}, {"adas", "ated"}, {"ado", "ated"}, {"ada", "ated"},
}

// questionWord renders a Spanish question word ("quién" → "who"). Without
// its accent a word asks only at the start of a sentence ("que" is also
// "that", "cuando" also "when" as a conjunction).
func questionWord(ws []esWord, i int) (string, int, bool) {
	w := ws[i]
	asks := w.initial || w.lower != w.folded
	if w.folded == "por" && i+1 < len(ws) && ws[i+1].folded == "que" && (asks || ws[i+1].lower != ws[i+1].folded) {
		return "why", i + 2, true
	}
	if w.folded == "a" && i+1 < len(ws) && (ws[i+1].lower == "quién" || ws[i+1].lower == "quiénes") {
		return "who", i + 2, true
	}
	if !asks {
		return "", 0, false
	}
	if (w.folded == "cuanto" || w.folded == "cuanta") && i+1 < len(ws) && ws[i+1].folded == "tiempo" {
		return "how long", i + 2, true
	}
	if en, ok := questionWords[w.folded]; ok {
		return en, i + 1, true
	}
	return "", 0, false
}

var questionWords = map[string]string{
	"que": "what", "quien": "who", "quienes": "who", "cuando": "when", "donde": "where",
	"adonde": "where", "como": "how", "cuanto": "how much", "cuanta": "how much",
	"cuantos": "how many", "cuantas": "how many", "cual": "which", "cuales": "which",
	"porque": "why",
}

// spanishFunctionWords are dropped: articles, pronouns, prepositions,
// conjunctions and auxiliary or reporting verbs (folded).
var spanishFunctionWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		a al ante bajo con contra de del desde durante en entre hacia hasta mediante para por segun sin
		sobre tras el la lo los las un una uno unos unas y e o u ni pero sino aunque porque pues que
		si no ya tambien tampoco muy mas menos tan tanto solo aun todavia casi
		yo tu el ella ello nosotros nosotras ustedes usted ellos ellas me te se nos os le les mi mis
		tu tus su sus nuestro nuestra nuestros nuestras suyo suya este esta esto estos estas ese esa
		eso esos esas aquel aquella aquellos aquellas cual cuales cuyo cuya quien quienes donde cuando
		como cuanto cuanta cuantos cuantas otro otra otros otras mismo misma mismos mismas todo toda
		todos todas cada algun alguno alguna algunos algunas ningun ninguno ninguna varios varias
		ser es son era eran fue fueron sido sera seran seria serian sea sean estar esta estan estaba
		estaban estuvo estuvieron haber ha han habia habian habra hubo hay haya hayan he hemos
		tener tiene tienen tenia tenian tuvo tuvieron tenido hacer hace hacen hizo hicieron hecho
		ir va van iba iban fue ido dar da dan dio dieron dado poder puede pueden podia pudo podria
		podrian deber debe deben debia deberia querer quiere quieren quiso dijo dijeron dice dicen
		decir dicho ocurrio paso sucedio ocurrieron pasaron algo alguien nada nadie asi aqui alli ahi
		entonces luego ademas incluso segun respecto acerca cerca lejos dentro fuera ver vez veces
		sabe saber sabes sabemos puedes podrias dime dinos explica explicame cuentame cuenta
		favor gracias hola oye dame danos tanta tantas tantos demas antes despues mientras adelante acaba acababa acaban
		acababan
		forma manera
	`) {
		m[w] = true
	}
	return m
}()

// spanishMonths are the months by their Spanish names.
var spanishMonths = map[string]string{
	"enero": "January", "febrero": "February", "marzo": "March", "abril": "April",
	"mayo": "May", "junio": "June", "julio": "July", "agosto": "August",
	"septiembre": "September", "setiembre": "September", "octubre": "October",
	"noviembre": "November", "diciembre": "December",
}

// spanishCounts are small numbers written as words.
var spanishCounts = map[string]string{
	"un": "1", "una": "1", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5",
	"seis": "6", "siete": "7", "ocho": "8", "nueve": "9", "diez": "10", "doce": "12",
}

// spanishUnits are the units of relative time, singular and plural.
var spanishUnits = map[string][2]string{
	"dia": {"day", "days"}, "dias": {"day", "days"}, "semana": {"week", "weeks"},
	"semanas": {"week", "weeks"}, "mes": {"month", "months"}, "meses": {"month", "months"},
	"ano": {"year", "years"}, "anos": {"year", "years"}, "decada": {"decade", "decades"},
	"decadas": {"decade", "decades"},
}

// spanishTime renders the time expression starting at word i: a
// preposition (optional) and a date, or a relative expression.
func spanishTime(ws []esWord, i int) (string, int, bool) {
	at := func(j int, words ...string) bool { return wordIs(ws, j, words...) }
	// Relative expressions.
	switch {
	case at(i, "el", "este", "esta", "la") && i+2 < len(ws) && at(i+2, "pasado", "pasada", "anterior") && at(i+1, "ano", "mes", "semana"):
		return "last " + spanishUnits[ws[i+1].folded][0], i + 3, true
	case at(i, "este", "esta") && at(i+1, "ano", "mes", "semana"):
		return "this " + spanishUnits[ws[i+1].folded][0], i + 2, true
	case at(i, "ayer"):
		return "yesterday", i + 1, true
	case at(i, "hoy"):
		return "today", i + 1, true
	case at(i, "hace") && i+2 < len(ws) && spanishUnits[ws[i+2].folded][0] != "":
		if n, ok := spanishCount(ws[i+1]); ok {
			return n + " " + spanishUnits[ws[i+2].folded][1] + " ago", i + 3, true
		}
	case at(i, "recientemente", "ultimamente"):
		return "recently", i + 1, true
	}
	// "en los últimos 6 meses", "en el último año", "en los últimos años".
	j := i
	if at(j, "en", "durante") {
		j++
	}
	if at(j, "el", "la", "los", "las") && at(j+1, "ultimo", "ultima", "ultimos", "ultimas", "pasados", "pasadas") {
		k := j + 2
		if k < len(ws) && at(k+1, "dias", "semanas", "meses", "anos", "decadas") {
			if n, ok := spanishCount(ws[k]); ok {
				return "in the last " + n + " " + spanishUnits[ws[k+1].folded][1], k + 2, true
			}
		}
		if at(k, "ano", "mes", "semana", "decada") {
			return "over the past " + spanishUnits[ws[k].folded][0], k + 1, true
		}
		if at(k, "anos") {
			return "in recent years", k + 1, true
		}
	}
	// "lo más reciente", "lo último", "las últimas noticias", "más reciente".
	if at(i, "lo") && at(i+1, "mas") && at(i+2, "reciente", "nuevo") {
		return "latest", i + 3, true
	}
	if at(i, "lo") && at(i+1, "ultimo") {
		return "latest", i + 2, true
	}
	if at(i, "mas") && at(i+1, "reciente", "recientes") {
		return "latest", i + 2, true
	}
	if at(i, "ultima", "ultimas", "ultimo", "ultimos") && i > 0 && !at(i+1, "ano", "mes", "semana", "anos", "meses") {
		return "latest", i + 1, true
	}

	// A preposition and a date.
	prep, j := spanishPrep(ws, i)
	date, k, ok := spanishDate(ws, j)
	if !ok {
		return "", 0, false
	}
	if prep == "between" || prep == "from" {
		conj := "and"
		if prep == "from" {
			conj = "to"
		}
		if at(k, "y", "a", "hasta", "al") {
			if date2, k2, ok := spanishDate(ws, k+1); ok {
				return prep + " " + date + " " + conj + " " + date2, k2, true
			}
		}
		if prep == "between" {
			return date, k, true
		}
		prep = "the" // "de 2021": a description, not a bound
	}
	if prep == "" {
		return date, k, true
	}
	return prep + " " + date, k, true
}

// spanishCount reads a count: digits or a small number word.
func spanishCount(w esWord) (string, bool) {
	if w.number() && len(w.raw) <= 3 {
		return w.raw, true
	}
	n, ok := spanishCounts[w.folded]
	return n, ok
}

// spanishPrep reads a preposition of time at word i and returns its English
// form and the index after it; none gives "" and i.
func spanishPrep(ws []esWord, i int) (string, int) {
	at := func(j int, words ...string) bool { return wordIs(ws, j, words...) }
	skipArticle := func(j int) int {
		if at(j, "el", "los", "la") {
			return j + 1
		}
		return j
	}
	switch {
	case at(i, "a") && at(i+1, "partir") && at(i+2, "de", "del"):
		return "since", skipArticle(i + 3)
	case at(i, "a") && at(i+1, "principios", "comienzos", "inicios") && at(i+2, "de", "del"):
		return "early", skipArticle(i + 3)
	case at(i, "a") && at(i+1, "finales", "fines") && at(i+2, "de", "del"):
		return "late", skipArticle(i + 3)
	case at(i, "a") && at(i+1, "mediados") && at(i+2, "de", "del"):
		return "mid", skipArticle(i + 3)
	case at(i, "antes", "despues") && at(i+1, "de", "del"):
		if ws[i].folded == "antes" {
			return "before", skipArticle(i + 2)
		}
		return "after", skipArticle(i + 2)
	case at(i, "tras"):
		return "after", skipArticle(i + 1)
	case at(i, "desde"):
		return "since", skipArticle(i + 1)
	case at(i, "hasta"):
		return "until", skipArticle(i + 1)
	case at(i, "durante"):
		return "during", skipArticle(i + 1)
	case at(i, "entre"):
		return "between", skipArticle(i + 1)
	case at(i, "en"):
		return "in", skipArticle(i + 1)
	case at(i, "de", "del"):
		return "from", skipArticle(i + 1)
	case at(i, "el") && i+1 < len(ws) && ws[i+1].number() && len(ws[i+1].raw) <= 2:
		return "on", i + 1
	}
	return "", i
}

// spanishDate reads a date at word i: "19 de febrero de 2010", "febrero de
// 2010", "febrero", "2010", "el año 2010"; it returns the English form.
func spanishDate(ws []esWord, i int) (string, int, bool) {
	if i >= len(ws) {
		return "", 0, false
	}
	de := func(j int) int {
		if j < len(ws) && (ws[j].folded == "de" || ws[j].folded == "del") {
			return j + 1
		}
		return j
	}
	year := func(j int) (string, bool) {
		if j < len(ws) && ws[j].number() && len(ws[j].raw) == 4 && ws[j].raw >= "1900" && ws[j].raw <= "2100" {
			return ws[j].raw, true
		}
		return "", false
	}
	w := ws[i]
	if (w.folded == "ano" || w.folded == "anos") && i+1 < len(ws) {
		if y, ok := year(i + 1); ok {
			return y, i + 2, true
		}
	}
	if y, ok := year(i); ok {
		return y, i + 1, true
	}
	day := ""
	j := i
	if w.number() && len(w.raw) <= 2 && w.raw != "0" && w.raw != "00" {
		day, j = w.raw, de(i+1)
	}
	if j >= len(ws) {
		return "", 0, false
	}
	month, ok := spanishMonths[ws[j].folded]
	if !ok {
		return "", 0, false
	}
	j++
	y, hasYear := year(de(j))
	switch {
	case day != "" && hasYear:
		return month + " " + day + ", " + y, de(j) + 1, true
	case day != "":
		return month + " " + day, j, true
	case hasYear:
		return month + " " + y, de(j) + 1, true
	}
	return month, j, true
}

// wordIs reports whether word j of ws is one of words (false past the end).
func wordIs(ws []esWord, j int, words ...string) bool {
	if j >= len(ws) {
		return false
	}
	for _, w := range words {
		if ws[j].folded == w {
			return true
		}
	}
	return false
}
