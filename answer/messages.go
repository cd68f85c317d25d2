package answer

import (
	"fmt"
	"strings"
	"time"

	"attache"
	"attache/internal/text"
)

// The fixed strings of an answer follow the question's language
// (text.Language): Spanish for a Spanish question, English otherwise.

const langSpanish = "es"

// ModelUnavailable is the warning given when the model could not be
// reached, in the question's language (WarnModelUnavailable in English).
func ModelUnavailable(lang string) string {
	if lang == langSpanish {
		return "el modelo de lenguaje no está disponible; se muestran los pasajes más relevantes"
	}
	return WarnModelUnavailable
}

// refusal says plainly that the knowledge base does not cover the
// question, naming what none of the passages found mentions (missing) and
// the closest articles when there are any.
func refusal(lang string, hits []attache.Hit, missing []string) string {
	var b strings.Builder
	if lang == langSpanish {
		b.WriteString("La base de conocimiento no cubre esta pregunta.")
		if len(missing) > 0 {
			fmt.Fprintf(&b, " Ninguno de los pasajes encontrados menciona %s.", strings.Join(missing, " ni "))
		}
	} else {
		b.WriteString("The knowledge base does not cover this question.")
		if len(missing) > 0 {
			fmt.Fprintf(&b, " None of the passages found mentions %s.", strings.Join(missing, " or "))
		}
	}
	seen := map[string]bool{}
	var titles []string
	for _, h := range hits {
		if seen[h.DocID] || len(titles) == 3 {
			continue
		}
		seen[h.DocID] = true
		t := h.Title
		if h.Date != "" {
			t += " (" + h.Date + ")"
		}
		titles = append(titles, t)
	}
	if len(titles) > 0 {
		if lang == langSpanish {
			b.WriteString(" Los artículos más cercanos son: ")
		} else {
			b.WriteString(" The closest articles are: ")
		}
		b.WriteString(strings.Join(titles, "; "))
		b.WriteString(".")
	}
	return b.String()
}

// notSaid is the sentence of a partial answer that says which detail the
// articles do not give. An English question that asks "who" of its subject
// ("Who led the July 2009 round?") is restated ("do not say who led the July
// 2009 round"); other questions are named by the kind of detail they ask for.
func notSaid(lang, question string, asked text.Type) string {
	if lang == langSpanish {
		switch asked {
		case text.TypeDate:
			return "Los artículos encontrados no dan la fecha por la que se pregunta."
		case text.TypeNumber, text.TypeAmount:
			return "Los artículos encontrados no dan la cifra por la que se pregunta."
		case text.TypeDuration:
			return "Los artículos encontrados no dicen cuánto duró."
		case text.TypeClock:
			return "Los artículos encontrados no dan la hora por la que se pregunta."
		case text.TypePlace:
			return "Los artículos encontrados no dicen dónde."
		case text.TypeBody:
			return "Los artículos encontrados no nombran la institución por la que se pregunta."
		case text.TypeName:
			return "Los artículos encontrados no dan el nombre por el que se pregunta."
		}
		return "Los artículos encontrados no nombran a la persona por la que se pregunta."
	}
	switch asked {
	case text.TypeDate:
		return "The articles found do not give the date asked for."
	case text.TypeNumber, text.TypeAmount:
		return "The articles found do not give the figure asked for."
	case text.TypeDuration:
		return "The articles found do not say how long it lasted."
	case text.TypeClock:
		return "The articles found do not give the time of day asked for."
	case text.TypePlace:
		return "The articles found do not give the place asked for."
	case text.TypeBody:
		return "The articles found do not name the organisation asked for."
	case text.TypeName:
		return "The articles found do not give the name asked for."
	}
	if clause, ok := subjectWho(question); ok {
		return "The articles found do not say " + clause + "."
	}
	return "The articles found do not name the person asked for."
}

// subjectWho returns a question such as "Who led the July 2009 round?" as
// the clause "who led the July 2009 round", when "who" is its subject (no
// auxiliary "did"/"does"/"do" follows it) and it is one clause.
func subjectWho(question string) (string, bool) {
	q := strings.TrimSpace(question)
	q = strings.TrimRight(q, "?!. ")
	fields := strings.Fields(q)
	if len(fields) < 3 || text.Fold(fields[0]) != "who" || strings.ContainsAny(q, "?;") {
		return "", false
	}
	switch text.Fold(fields[1]) {
	case "did", "does", "do", "didn't", "doesn't", "don't":
		return "", false
	}
	return "who " + strings.Join(fields[1:], " "), true
}

// whatTheyReport introduces the cited sentences of a partial answer.
func whatTheyReport(lang string) string {
	if lang == langSpanish {
		return "Lo que sí dicen:"
	}
	return "What they do report:"
}

// staleAfter is the age beyond which an answer says when its sources date from.
const staleAfter = 365 * 24 * time.Hour

// appendDateNote says when the sources of an answer date from, if even the
// newest of them is old: news of 2010 is not today's news.
func appendDateNote(text string, cites []attache.Citation, now time.Time, lang string) string {
	newest := ""
	for _, c := range cites {
		if c.Date > newest {
			newest = c.Date
		}
	}
	t, prec, ok := parseDatePrefix(newest)
	if !ok || now.Sub(t) < staleAfter {
		return text
	}
	if lang == langSpanish {
		return text + "\n\n(Nota: la fuente más reciente aquí es de " + spanishDate(t, prec) +
			"; puede que no recoja lo ocurrido después.)"
	}
	layout := [...]string{"2006", "January 2006", "January 2, 2006"}[prec]
	return text + "\n\n(Note: the newest source here dates from " + t.Format(layout) +
		"; later developments may not be covered.)"
}

// parseDatePrefix reads an ISO date prefix and its precision: 0 for a year,
// 1 for a month, 2 for a day.
func parseDatePrefix(d string) (time.Time, int, bool) {
	for prec, layout := range []string{"2006", "2006-01", "2006-01-02"} {
		if len(d) == len(layout) {
			t, err := time.Parse(layout, d)
			return t, prec, err == nil
		}
	}
	return time.Time{}, 0, false
}

var spanishMonths = [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
	"agosto", "septiembre", "octubre", "noviembre", "diciembre"}

// spanishDate writes a date in Spanish at the given precision: "2010",
// "febrero de 2010", "19 de febrero de 2010".
func spanishDate(t time.Time, prec int) string {
	switch prec {
	case 0:
		return fmt.Sprint(t.Year())
	case 1:
		return fmt.Sprintf("%s de %d", spanishMonths[t.Month()-1], t.Year())
	}
	return fmt.Sprintf("%d de %s de %d", t.Day(), spanishMonths[t.Month()-1], t.Year())
}
