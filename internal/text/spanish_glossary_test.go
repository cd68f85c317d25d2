package text

import (
	"strings"
	"testing"
)

// Every line of the glossary is a comment, blank, or "spanish = english"
// (or "==") with both sides given.
func TestSpanishGlossaryWellFormed(t *testing.T) {
	entries := 0
	for i, line := range strings.Split(spanishGlossaryText, "\n") {
		if j := strings.IndexByte(line, '#'); j >= 0 {
			line = line[:j]
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		es, en, ok := strings.Cut(line, "=")
		en = strings.TrimPrefix(en, "=")
		if !ok || strings.TrimSpace(es) == "" || strings.TrimSpace(en) == "" || strings.Contains(en, "=") {
			t.Errorf("line %d: %q is not \"spanish = english\"", i+1, line)
			continue
		}
		if es != strings.ToLower(es) {
			t.Errorf("line %d: the Spanish side %q is not lower case", i+1, es)
		}
		entries++
	}
	if entries < 300 {
		t.Errorf("%d entries; the glossary covers the field's vocabulary with a few hundred", entries)
	}
}

func TestParseGlossary(t *testing.T) {
	g := parseGlossary(`
# a comment
acuerdo = agreement
acordar = agree        # same root: the first entry keeps the stem
negocio == business    # exact forms only
tratado = treaty
tratar = discuss       # another meaning: the stem is left to exact forms
pasar = -
estados unidos = United States
`)
	for _, c := range []struct {
		word, want string
		ok         bool
	}{
		{"acuerdos", "agreement", true}, // plural, exact
		{"acordaron", "agree", true},    // conjugation, by stem
		{"negocios", "business", true},  // exact plural of an exact-only entry
		{"negociaron", "", false},       // no stem for an exact-only entry
		{"tratados", "treaty", true},    // exact
		{"trataron", "", false},         // the stem they share is ambiguous
		{"pasaron", "-", true},          // a word to drop
		{"cubano", "", false},
	} {
		got, ok := g.lookup(c.word, true)
		if got != c.want || ok != c.ok {
			t.Errorf("lookup(%q) = %q, %v; want %q, %v", c.word, got, ok, c.want, c.ok)
		}
	}
	ws := spanishWords("los Estados Unidos")
	if en, end, ok := g.phraseAt(ws, 1); !ok || en != "United States" || end != 3 {
		t.Errorf("phraseAt = %q, %d, %v; want the phrase over words 1-2", en, end, ok)
	}
	if _, _, ok := g.phraseAt(ws, 0); ok {
		t.Error("a phrase found at an article")
	}
}

func TestSentenceStart(t *testing.T) {
	for _, c := range []struct {
		s    string
		word string
		want bool
	}{
		{"¿Qué pasó?", "Qué", true},
		{"Dijo que sí. Luego se fue", "Luego", true},
		{"El presidente de EE. UU. que viajó", "que", false}, // an abbreviation's period
		{"la delegación", "delegación", false},
		{"(Cuba)", "Cuba", true},
	} {
		i := strings.Index(c.s, c.word)
		if got := sentenceStart(c.s, i); got != c.want {
			t.Errorf("sentenceStart(%q, %q) = %v, want %v", c.s, c.word, got, c.want)
		}
	}
}

func TestCognatesAndVerbs(t *testing.T) {
	for _, c := range []struct {
		in, want string // want "" = left out
	}{
		{"interoperabilidad", "interoperability"},
		{"transnacionales", "transnational"},
		{"autonomía", "autonomy"},
		{"integrados", "integrated"},
		{"multilateralismo", "multilateralism"},
		{"desarmaron", ""},    // a verb the glossary lacks
		{"desmantelaría", ""}, // conditional
		{"frontera", "border"},
		{"cordillera", "cordillera"}, // a noun in -era is kept
	} {
		w := spanishWords(c.in)[0]
		w.initial = false
		got, ok := englishWord(w)
		if c.want == "" && ok || c.want != "" && got != c.want {
			t.Errorf("englishWord(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
}
