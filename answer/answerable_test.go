package answer

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"attache"
	"attache/internal/text"
)

// talks is a passage on a round of talks that names who led it, mentions
// an earlier round without saying who led that one, and gives no figure.
const talks = "A United States delegation led by Craig Kelly met Cuban officials in Havana on Friday, February 19th, to discuss migration issues. " +
	"This meeting marked the second round of migration talks since their suspension in 2004. " +
	"Both parties said the discussions took place in an atmosphere of respect. " +
	"They also discussed the new draft migration accord submitted by Cuba during the round of talks held in July, 2009, in New York. " +
	"Cuba repeated its desire to continue the dialogue with the United States on other issues."

// mediation names the mediator in a sentence that shares few words with a
// question about him.
const mediation = "Chile and Argentina signed the Treaty of Peace and Friendship in Vatican City in November 1984. " +
	"The treaty ended the Beagle Channel dispute after six years of papal mediation between the two countries. " +
	"The mediation was conducted by Cardinal Antonio Samoré on behalf of Pope John Paul II. " +
	"Both governments praised the outcome of the talks in their statements."

func hitOf(doc, txt string, cov, focus float64) attache.Hit {
	return attache.Hit{Passage: attache.Passage{ID: doc + "#0", DocID: doc, Title: doc, Date: "2010-02", Text: txt},
		Coverage: cov, Focus: focus}
}

func TestDecide(t *testing.T) {
	covered := hitOf("talks", talks, 0.9, 1)
	lacking := covered
	lacking.Lacks = "Chile"
	missing := covered
	missing.Missing = []string{"Peru"}
	elsewhere := hitOf("other", talks, 0.9, 1) // another article, naming no Peru
	elsewhere.Missing = []string{"Peru"}
	offFocus := hitOf("talks", talks, 0.9, 0)
	weak := hitOf("talks", talks, 0.3, 1)
	unreported := hitOf("talks", talks, 0.9, 0)
	tests := []struct {
		name     string
		question string
		hits     []attache.Hit
		th       Thresholds
		want     Verdict
		asked    text.Type
		missing  []string
	}{
		{"covered, nothing typed asked", "What did the delegations discuss in Havana?", []attache.Hit{covered}, Thresholds{}, Answerable, text.TypeNone, nil},
		{"no hits", "What did the delegations discuss in Havana?", nil, Thresholds{}, NotCovered, text.TypeNone, nil},
		{"coverage below the threshold", "What did the delegations discuss in Havana?", []attache.Hit{weak}, Thresholds{}, NotCovered, text.TypeNone, nil},
		{"another country", "What did the Chilean delegation discuss in Havana?", []attache.Hit{lacking}, Thresholds{}, NotCovered, text.TypeNone, []string{"Chile"}},
		{"a name not matched", "What did Peru and Cuba discuss in Havana?", []attache.Hit{missing, missing}, Thresholds{}, NotCovered, text.TypeNone, []string{"Peru"}},
		{"a name matched by one passage", "What did Peru and Cuba discuss in Havana?", []attache.Hit{missing, covered}, Thresholds{}, Answerable, text.TypeNone, nil},
		{"an event the article does not report", "Why did Cuba expel the US delegation from Havana?", []attache.Hit{covered}, Thresholds{}, NotCovered, text.TypeNone, nil},
		{"focus not held", "Why did Cuba submit a new draft accord?", []attache.Hit{offFocus, elsewhere}, Thresholds{}, NotCovered, text.TypeNone, nil},
		{"focus held by a lower hit", "Why did Cuba submit a new draft accord?", []attache.Hit{offFocus, covered}, Thresholds{}, Answerable, text.TypeNone, nil},
		{"focus rule off", "Why did Cuba submit a new draft accord?", []attache.Hit{offFocus, elsewhere}, Thresholds{MinFocus: -1}, Answerable, text.TypeNone, nil},
		{"focus not measured", "Why did Cuba submit a new draft accord?", []attache.Hit{unreported}, Thresholds{}, Answerable, text.TypeNone, nil},
		{"who, named where asked", "Who led the US delegation to the migration talks in Havana?", []attache.Hit{covered}, Thresholds{}, Answerable, text.TypePerson, nil},
		{"who, asked of another round", "Who led the July 2009 round of migration talks in New York?", []attache.Hit{covered}, Thresholds{}, DetailMissing, text.TypePerson, nil},
		{"when, dated", "When were the migration talks suspended?", []attache.Hit{covered}, Thresholds{}, Answerable, text.TypeDate, nil},
		{"how many, no count", "How many dissidents did the delegation meet after the migration talks?", []attache.Hit{covered}, Thresholds{}, DetailMissing, text.TypeNumber, nil},
		{"how much, no amount", "How much did the United States pay for the migration talks?", []attache.Hit{covered}, Thresholds{}, DetailMissing, text.TypeAmount, nil},
		{"who, in the sentence next to the question's words", "Who led the papal mediation?", []attache.Hit{hitOf("beagle", mediation, 0.8, 1)}, Thresholds{}, Answerable, text.TypePerson, nil},
		{"another year than the article's", "What did the delegations discuss in Havana in February 2013?", []attache.Hit{covered}, Thresholds{}, NotCovered, text.TypeNone, nil},
		{"the article's month", "What did the delegations discuss in Havana in February 2010?", []attache.Hit{covered}, Thresholds{}, Answerable, text.TypeNone, nil},
		{"a year the passage mentions", "What did Cuba submit at the talks in July 2009?", []attache.Hit{covered}, Thresholds{}, Answerable, text.TypeNone, nil},
		{"a month without its year", "What did the delegations discuss in Havana in June?", []attache.Hit{covered}, Thresholds{}, Answerable, text.TypeNone, nil},
		{"Spanish, dated", "¿Cuándo se suspendieron las conversaciones sobre migración?", []attache.Hit{covered}, Thresholds{}, Answerable, text.TypeDate, nil},
		{"a number the articles do not state", "What did the delegations discuss in Havana over 24 hours?", []attache.Hit{covered}, Thresholds{}, NotCovered, text.TypeNone, nil},
		{"Spanish, no count in the passage", "¿Cuántos disidentes se reunieron con la delegación?", []attache.Hit{covered}, Thresholds{}, DetailMissing, text.TypeNumber, nil},
		// Each rule left out (eval --ablate) lets through what it alone refuses.
		{"coverage rule left out", "What did the delegations discuss in Havana?", []attache.Hit{weak}, Thresholds{Off: []string{"coverage"}}, Answerable, text.TypeNone, nil},
		{"names rule left out", "What did the Chilean delegation discuss in Havana?", []attache.Hit{lacking}, Thresholds{Off: []string{"names"}}, Answerable, text.TypeNone, nil},
		{"event rule left out", "Why did Cuba expel the US delegation from Havana?", []attache.Hit{covered}, Thresholds{Off: []string{"event"}}, Answerable, text.TypeNone, nil},
		{"time rule left out", "What did the delegations discuss in Havana in February 2013?", []attache.Hit{covered}, Thresholds{Off: []string{"time"}}, Answerable, text.TypeNone, nil},
		{"number rule left out", "What did the delegations discuss in Havana over 24 hours?", []attache.Hit{covered}, Thresholds{Off: []string{"number"}}, Answerable, text.TypeNone, nil},
		{"detail rule left out", "How many dissidents did the delegation meet after the migration talks?", []attache.Hit{covered}, Thresholds{Off: []string{"detail"}}, Answerable, text.TypeNumber, nil},
		{"focus rule left out by name", "Why did Cuba submit a new draft accord?", []attache.Hit{offFocus, elsewhere}, Thresholds{Off: []string{"focus"}}, Answerable, text.TypeNone, nil},
		{"another rule left out", "What did the Chilean delegation discuss in Havana?", []attache.Hit{lacking}, Thresholds{Off: []string{"coverage"}}, NotCovered, text.TypeNone, []string{"Chile"}},
	}
	// The rule that decided, for the cases where one rule alone refuses.
	reasons := map[string]string{
		"no hits":                              "nothing found",
		"coverage below the threshold":         "coverage: 0.30",
		"another country":                      "names: Chile",
		"a number the articles do not state":   "number: 24",
		"a name not matched":                   "names: Peru",
		"an event the article does not report": "event",
		"focus not held":                       "focus",
		"who, asked of another round":          "detail: person",
		"how many, no count":                   "detail: number",
		"another year than the article's":      "time",
		"Spanish, no count in the passage":     "detail: number",
		"covered, nothing typed asked":         "",
		"a name matched by one passage":        "",
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.th.Now = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
			d := Decide(tt.question, tt.question, tt.hits, tt.th)
			if d.Verdict != tt.want || d.Asked != tt.asked {
				t.Fatalf("verdict %v asking %v, want %v asking %v", d.Verdict, d.Asked, tt.want, tt.asked)
			}
			if want, ok := reasons[tt.name]; ok && d.Reason != want {
				t.Errorf("reason %q, want %q", d.Reason, want)
			}
			if (d.Verdict == Answerable) != (d.Reason == "") {
				t.Errorf("%v with reason %q", d.Verdict, d.Reason)
			}
			if strings.Join(d.Missing, ",") != strings.Join(tt.missing, ",") {
				t.Errorf("missing %v, want %v", d.Missing, tt.missing)
			}
			if (d.Verdict == NotCovered) != (len(d.Hits) == 0) {
				t.Errorf("%v with %d hits", d.Verdict, len(d.Hits))
			}
			for _, h := range d.Hits {
				if (h.Lacks != "" || len(h.Missing) > 0) && len(tt.th.Off) == 0 {
					t.Errorf("answers from a passage lacking %q %v", h.Lacks, h.Missing)
				}
			}
		})
	}
}

var markerRe = regexp.MustCompile(`\[(\d+)\]`)

// checkAnswer fails unless every marker of the answer names a citation,
// every citation is used, and citations are numbered from 1.
func checkAnswer(t *testing.T, a attache.Answer) {
	t.Helper()
	used := map[string]bool{}
	for _, m := range markerRe.FindAllStringSubmatch(a.Text, -1) {
		used[m[1]] = true
	}
	if len(used) != len(a.Citations) {
		t.Errorf("%d markers for %d citations: %s", len(used), len(a.Citations), a.Text)
	}
	for i, c := range a.Citations {
		if c.N != i+1 || !used[strconv.Itoa(c.N)] {
			t.Errorf("citation %d numbered %d or unused: %s", i, c.N, a.Text)
		}
	}
}

func serviceWith(hits ...attache.Hit) *Service {
	return &Service{
		Retrieve: func(context.Context, string, int, attache.DateRange) ([]attache.Hit, error) { return hits, nil },
		Now:      func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) },
	}
}

func TestAskOutcomes(t *testing.T) {
	covered := hitOf("talks", talks, 0.9, 1)
	lacking := covered
	lacking.Lacks = "Chile"
	tests := []struct {
		name      string
		question  string
		hits      []attache.Hit
		answered  bool
		cited     bool
		want, not []string
	}{
		{"answered, with the date note", "Who led the US delegation to the migration talks in Havana?", []attache.Hit{covered}, true, true,
			[]string{"Craig Kelly", "[1]", "(Note: the newest source here dates from February 2010;"}, []string{"do not"}},
		{"detail missing, said and cited", "Who led the July 2009 round of migration talks in New York?", []attache.Hit{covered}, false, true,
			[]string{"The articles found do not say who led the July 2009 round of migration talks in New York.", "What they do report:", "July, 2009", "[1]"},
			[]string{"Note:"}},
		{"detail missing, Spanish", "¿Cuántos disidentes se reunieron con la delegación?", []attache.Hit{covered}, false, true,
			[]string{"Los artículos encontrados no dan la cifra por la que se pregunta.", "Lo que sí dicen:"}, []string{"articles found"}},
		{"not covered", "What did the Chilean delegation discuss in Havana?", []attache.Hit{lacking}, false, false,
			[]string{"The knowledge base does not cover this question.", "None of the passages found mentions Chile.", "The closest articles are: talks (2010-02)."}, nil},
		{"not covered, Spanish", "¿Qué discutió la delegación chilena en La Habana?", []attache.Hit{lacking}, false, false,
			[]string{"La base de conocimiento no cubre esta pregunta.", "Ninguno de los pasajes encontrados menciona Chile.", "Los artículos más cercanos son:"}, []string{"knowledge base"}},
		{"answered, Spanish date note", "¿Cuándo se suspendieron las conversaciones sobre migración?", []attache.Hit{covered}, true, true,
			[]string{"(Nota: la fuente más reciente aquí es de febrero de 2010;"}, []string{"Note:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := serviceWith(tt.hits...)
			a, err := s.Ask(context.Background(), Request{Question: tt.question})
			if err != nil {
				t.Fatal(err)
			}
			if a.Answered != tt.answered || (len(a.Citations) > 0) != tt.cited || a.Mode != attache.ModeExtractive {
				t.Errorf("answered %v with %d citations in mode %q: %s", a.Answered, len(a.Citations), a.Mode, a.Text)
			}
			for _, w := range tt.want {
				if !strings.Contains(a.Text, w) {
					t.Errorf("answer lacks %q:\n%s", w, a.Text)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(a.Text, w) {
					t.Errorf("answer has %q:\n%s", w, a.Text)
				}
			}
			checkAnswer(t, a)
		})
	}
}

func TestDecideNamesOfArticleAndConversation(t *testing.T) {
	lead := hitOf("summit", "Leaders met at the Ninth Summit of the Americas in Los Angeles to discuss food security.", 0.7, 1)
	body := hitOf("summit", "The President announced $28 million in new food security assistance to Caribbean countries.", 0.6, 1)
	body.ID = "summit#1"
	body.Missing = []string{"Summit Americas"}
	other := hitOf("other", "The United States announced new assistance.", 0.6, 1)
	other.Missing = []string{"Summit Americas"}

	// A name the article's lead gives holds for its later passages.
	d := Decide("How much food security aid was announced at the Summit of the Americas?",
		"How much food security aid was announced at the Summit of the Americas?", []attache.Hit{body, lead}, Thresholds{})
	if d.Verdict != Answerable {
		t.Fatalf("verdict %v, want answerable: the article names the summit", d.Verdict)
	}
	// Another article's passage does not lend its names.
	d = Decide("How much food security aid was announced at the Summit of the Americas?",
		"How much food security aid was announced at the Summit of the Americas?", []attache.Hit{other}, Thresholds{})
	if d.Verdict != NotCovered {
		t.Fatalf("verdict %v, want not covered", d.Verdict)
	}
	// A follow-up need not match the names its conversation lent the
	// search; it must match its own.
	borrowed := hitOf("talks", talks, 0.9, 1)
	borrowed.Missing = []string{"Harris"}
	if d := Decide("And what did they discuss?", "And what did they discuss? Harris Guatemala", []attache.Hit{borrowed}, Thresholds{}); d.Verdict != Answerable {
		t.Errorf("follow-up: verdict %v, want answerable", d.Verdict)
	}
	borrowed.Missing = []string{"Peru"}
	if d := Decide("And what did Peru say?", "And what did Peru say? Harris Guatemala", []attache.Hit{borrowed}, Thresholds{}); d.Verdict != NotCovered {
		t.Errorf("follow-up naming a missing country: verdict %v, want not covered", d.Verdict)
	}
}

func TestDecideDescribedYear(t *testing.T) {
	h := hitOf("talks", talks, 0.9, 1) // dated 2010-02, mentions 2004 and 2009
	for _, tc := range []struct {
		q    string
		want Verdict
	}{
		{"What was discussed at the 2010 migration talks?", Answerable},    // the article's year
		{"What was the 2009 draft accord about?", Answerable},              // a year the passage names
		{"What was discussed at the 2013 migration talks?", NotCovered},    // another year's talks
		{"What did the delegations discuss in February 2010?", Answerable}, // a time expression, not a description
	} {
		if d := Decide(tc.q, tc.q, []attache.Hit{h}, Thresholds{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}); d.Verdict != tc.want {
			t.Errorf("%q: verdict %v, want %v", tc.q, d.Verdict, tc.want)
		}
	}
}
