package answer

import (
	"strings"
	"testing"
	"time"

	"attache"
	"attache/internal/text"
)

func TestNotSaid(t *testing.T) {
	tests := []struct {
		lang, question string
		asked          text.Type
		want           string
	}{
		{"en", "Who led the July 2009 round of talks?", text.TypePerson, "The articles found do not say who led the July 2009 round of talks."},
		{"en", "Who was sworn in as vice president?", text.TypePerson, "The articles found do not say who was sworn in as vice president."},
		{"en", "Who did the Treasury sanction?", text.TypePerson, "The articles found do not name the person asked for."},
		{"en", "Which senator criticized the decision?", text.TypePerson, "The articles found do not name the person asked for."},
		{"en", "When did the talks resume?", text.TypeDate, "The articles found do not give the date asked for."},
		{"en", "How many visas were issued?", text.TypeNumber, "The articles found do not give the figure asked for."},
		{"en", "How much did Brazil pay?", text.TypeAmount, "The articles found do not give the figure asked for."},
		{"es", "¿Quién encabezó la ronda de julio de 2009?", text.TypePerson, "Los artículos encontrados no nombran a la persona por la que se pregunta."},
		{"es", "¿Cuándo se reanudaron?", text.TypeDate, "Los artículos encontrados no dan la fecha por la que se pregunta."},
		{"es", "¿Cuánto pagó Brasil?", text.TypeAmount, "Los artículos encontrados no dan la cifra por la que se pregunta."},
	}
	for _, tt := range tests {
		if got := notSaid(tt.lang, tt.question, tt.asked); got != tt.want {
			t.Errorf("notSaid(%q) = %q, want %q", tt.question, got, tt.want)
		}
	}
}

func TestFixedStringsFollowTheLanguage(t *testing.T) {
	if got := ModelUnavailable("en"); got != WarnModelUnavailable {
		t.Errorf("English warning %q", got)
	}
	if got := ModelUnavailable("es"); !strings.Contains(got, "no está disponible") {
		t.Errorf("Spanish warning %q", got)
	}
	hits := []attache.Hit{{Passage: attache.Passage{DocID: "a", Title: "Talks", Date: "2010-02"}}}
	for lang, want := range map[string]string{
		"en": "The knowledge base does not cover this question. None of the passages found mentions Peru or Chile. The closest articles are: Talks (2010-02).",
		"es": "La base de conocimiento no cubre esta pregunta. Ninguno de los pasajes encontrados menciona Peru ni Chile. Los artículos más cercanos son: Talks (2010-02).",
	} {
		if got := refusal(lang, hits, []string{"Peru", "Chile"}); got != want {
			t.Errorf("%s refusal %q, want %q", lang, got, want)
		}
	}
	if got := whatTheyReport("es"); got != "Lo que sí dicen:" {
		t.Errorf("Spanish introduction %q", got)
	}
}

func TestDateNoteInSpanish(t *testing.T) {
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		date, want string
	}{
		{"2010", "es de 2010;"},
		{"2010-02", "es de febrero de 2010;"},
		{"2021-07-22", "es de 22 de julio de 2021;"},
		{"2026-06-30", ""},
	}
	for _, tt := range tests {
		got := appendDateNote("Respuesta [1].", []attache.Citation{{Date: tt.date}}, now, "es")
		if tt.want == "" {
			if got != "Respuesta [1]." {
				t.Errorf("%s: unexpected note %q", tt.date, got)
			}
			continue
		}
		if !strings.Contains(got, "(Nota: la fuente más reciente aquí "+tt.want) {
			t.Errorf("%s: %q lacks %q", tt.date, got, tt.want)
		}
	}
}

func TestExtractQuotesTheSentenceThatAnswers(t *testing.T) {
	hits := []attache.Hit{hitOf("beagle", mediation, 0.8, 1)}
	tests := []struct {
		question string
		want     string
	}{
		{"Who led the papal mediation between Chile and Argentina?", "Cardinal Antonio Samoré"},
		{"When did Chile and Argentina sign the treaty ending the papal mediation?", "November 1984"},
		{"How many years did the papal mediation between Chile and Argentina last?", "six years"},
	}
	for _, tt := range tests {
		got, cites := Extract(tt.question, hits, 2)
		if !strings.Contains(got, tt.want) || len(cites) != 1 {
			t.Errorf("%q: answer %q lacks %q", tt.question, got, tt.want)
		}
	}
	// Without a typed question the sentences that share the most words win.
	got, _ := Extract("What did Chile and Argentina sign in Vatican City?", hits, 1)
	if !strings.HasPrefix(got, "Chile and Argentina signed the Treaty") {
		t.Errorf("untyped question: %q", got)
	}
}

// TestExtractWeighsTheRareWord: in a passage all about one meeting, the
// sentence holding the question's rare word answers it, not those sharing
// its common words.
func TestExtractWeighsTheRareWord(t *testing.T) {
	text := "President Biden met President Lasso of Ecuador at the White House to discuss the partnership between the United States and Ecuador. " +
		"President Biden and President Lasso also discussed Ecuador's term on the Security Council. " +
		"President Biden praised President Lasso's leadership on migration in Ecuador. " +
		"President Lasso thanked President Biden for the partnership with Ecuador. " +
		"Biden and Lasso agreed that Ecuador and the United States will deepen trade ties. " +
		"The United States will provide $5 million to address child malnutrition and other health needs in Ecuador."
	hits := []attache.Hit{{Passage: attache.Passage{ID: "p#0", DocID: "p", Title: "Readout", Date: "2022-12-06", Text: text}, Coverage: 1}}
	got, _ := Extract("Which child health problem in Ecuador did Biden and Lasso's meeting aim to tackle?", hits, 1)
	if !strings.Contains(got, "malnutrition") {
		t.Errorf("answer %q does not quote the sentence on malnutrition", got)
	}
}

func TestIsProse(t *testing.T) {
	for s, want := range map[string]bool{
		"The two leaders met in Havana on Friday.":                  true,
		"- Coordinate joint efforts to promote an innovation ethos": true,  // a list item states a fact
		"- Promoting Innovation":                                    false, // a list heading
		"Economic Opportunity and Innovation Across the Region":     false, // a heading
		"What did the two leaders discuss in Havana on Friday?":     false,
		"• Expand legal pathways for migrants from the region":      true,
	} {
		if got := isProse(s); got != want {
			t.Errorf("isProse(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestExtractIsDeterministic: sentences that match the question equally
// well are chosen the same way on every call (sums of word weights do not
// follow a map's changing order).
func TestExtractIsDeterministic(t *testing.T) {
	text := "Delegations from Cuba and the United States discussed migration, remittances, embassies and fisheries in Havana. " +
		"Delegations from the United States and Cuba discussed fisheries, embassies, remittances and migration in Havana. " +
		"Officials from Havana and Washington discussed remittances, fisheries, migration and embassies at the talks."
	hits := []attache.Hit{{Passage: attache.Passage{ID: "p#0", DocID: "p", Title: "Talks", Date: "2010-02-19", Text: text}, Coverage: 1}}
	q := "What did the delegations of Cuba and the United States discuss about migration, remittances, embassies and fisheries in Havana?"
	first, _ := Extract(q, hits, 1)
	if first == "" {
		t.Fatal("no answer")
	}
	for range 200 {
		if got, _ := Extract(q, hits, 1); got != first {
			t.Fatalf("answers differ between calls: %q and %q", first, got)
		}
	}
}
