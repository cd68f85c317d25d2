package text_test

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"attache"
	"attache/internal/dates"
	"attache/internal/text"
)

func TestEnglishQueryWords(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string // words the rendering holds, in this order
		not  []string // words it must not hold
	}{
		{"¿Qué discutieron las delegaciones en La Habana en febrero de 2010?",
			[]string{"what", "delegation", "Havana", "February", "2010"}, []string{"las", "la", "habana", "de"}},
		{"¿Quién encabezó la delegación estadounidense?", []string{"who", "led", "delegation", "U.S."}, nil},
		{"¿Qué acordaron México y EE. UU. en 2023?", []string{"what", "agree", "Mexico", "United", "States", "2023"}, []string{"EE", "UU"}},
		{"¿Qué dice la Casa Blanca sobre EEUU, EUA y los Estados Unidos?", []string{"White", "House", "United", "States", "United", "States", "United", "States"}, nil},
		{"¿Cuál es la postura de las Naciones Unidas sobre Haití?", []string{"which", "United", "Nations", "Haiti"}, nil},
		{"¿Qué dijo Raúl Castro a los funcionarios cubanos?", []string{"what", "Raúl", "Castro", "officials", "Cuban"}, []string{"raul"}},
		{"¿Cuántas dosis de vacunas donó Estados Unidos a Perú y Panamá?", []string{"how", "many", "doses", "vaccines", "United", "States", "Peru", "Panama"}, nil},
		{"¿Por qué impuso sanciones el Departamento del Tesoro?", []string{"why", "imposed", "sanctions", "Treasury", "Department"}, nil},
		{"¿Dónde se reunieron los cancilleres de Canadá y Brasil?", []string{"where", "meet", "Canada", "Brazil"}, nil},
		// Unknown words: regular endings become English, names are kept.
		{"¿Qué dijo sobre la interoperabilidad y la autonomía?", []string{"interoperability", "autonomy"}, nil},
		{"¿Cuándo habló Sheinbaum con los gobernadores fronterizos?", []string{"when", "Sheinbaum", "border"}, nil},
		// A capitalised verb opens a sentence: it is no name.
		{"¿Y cuándo terminan esos aranceles? Sí Firmó Trump algo", []string{"when", "end", "tariffs", "signed", "Trump"}, []string{"Firmó", "Signed"}},
		// A name opening the question is kept as written.
		{"Biden y López Obrador en enero de 2021", []string{"Biden", "López", "Obrador", "January", "2021"}, nil},
	} {
		got := strings.Fields(text.EnglishQuery(c.in))
		if !inOrder(got, c.want) {
			t.Errorf("EnglishQuery(%q) = %q, want the words %q in order", c.in, got, c.want)
		}
		for _, w := range c.not {
			if slices.Contains(got, w) {
				t.Errorf("EnglishQuery(%q) = %q holds %q", c.in, got, w)
			}
		}
	}
}

// inOrder reports whether want is a subsequence of got.
func inOrder(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && strings.Trim(g, ",") == want[i] {
			i++
		}
	}
	return i == len(want)
}

func TestEnglishQueryKeepsEnglish(t *testing.T) {
	for _, in := range []string{
		"What did the US and Cuban delegations discuss in Havana in February 2010?",
		"Who led the Cuban delegation?",
		"What did Raúl Castro tell the Asamblea Nacional?",
		"  migration   talks ",
		"",
		"\xff\xfe not UTF-8",
	} {
		if got := text.EnglishQuery(in); got != in {
			t.Errorf("EnglishQuery(%q) = %q, want it unchanged", in, got)
		}
	}
}

// The rendering of a Spanish time expression is read by the English date
// reader as the Spanish one means.
func TestEnglishQueryDates(t *testing.T) {
	now := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in     string
		want   attache.DateRange
		latest bool
	}{
		{"¿Qué discutieron en La Habana en febrero de 2010?", attache.DateRange{Since: "2010-02", Until: "2010-02"}, false},
		{"¿Qué ha cambiado desde marzo de 2022 en la frontera?", attache.DateRange{Since: "2022-03"}, false},
		{"¿Qué dijo el presidente el año pasado sobre Cuba?", attache.DateRange{Since: "2025", Until: "2025"}, false},
		{"¿Qué se firmó el 19 de febrero de 2010?", attache.DateRange{Since: "2010-02-19", Until: "2010-02-19"}, false},
		{"¿Qué aranceles se impusieron entre 2019 y 2021?", attache.DateRange{Since: "2019", Until: "2021"}, false},
		{"¿Qué pasó con las remesas antes de 2020?", attache.DateRange{Until: "2019"}, false},
		{"¿Qué acuerdos firmaron después de 2021?", attache.DateRange{Since: "2022"}, false},
		{"¿Cuántos migrantes llegaron en los últimos 6 meses?", attache.DateRange{Since: "2025-09-15"}, false},
		{"¿Qué sanciones se anunciaron hasta julio de 2024?", attache.DateRange{Until: "2024-07"}, false},
		{"¿Qué es lo más reciente sobre Venezuela?", attache.DateRange{}, true},
		// A date after "de" describes something; it does not bound the search.
		{"En su llamada de enero de 2021, ¿qué prometió el presidente?", attache.DateRange{}, false},
	} {
		en := text.EnglishQuery(c.in)
		got := dates.QueryRange(en, now)
		if got.Range != c.want || got.Latest != c.latest {
			t.Errorf("EnglishQuery(%q) = %q: range %+v latest %v, want %+v latest %v", c.in, en, got.Range, got.Latest, c.want, c.latest)
		}
	}
}

// A rendering is English: rendering it again changes nothing.
func TestEnglishQueryIdempotent(t *testing.T) {
	for _, in := range []string{
		"¿Qué discutieron las delegaciones en La Habana en febrero de 2010?",
		"¿Por qué Estados Unidos le da tanta importancia a la lucha contra la corrupción en Honduras?",
		"Raúl Castro y la Cancillería cubana",
		"¿Cuántas dosis de la vacuna de Moderna entregó EE. UU. a Haití?",
	} {
		once := text.EnglishQuery(in)
		if twice := text.EnglishQuery(once); twice != once {
			t.Errorf("EnglishQuery(%q) = %q, but again gives %q", in, once, twice)
		}
	}
}

func FuzzEnglishQuery(f *testing.F) {
	for _, s := range []string{
		"¿Qué discutieron las delegaciones en La Habana en febrero de 2010?",
		"¿Quién encabezó la delegación?",
		"el 31 de febrero de 99999 entre 2019 y y",
		"hace en los últimos de del a partir",
		"¿\xff\xfe qué?",
		"EE. UU.",
		"Who led the Cuban delegation?",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := text.EnglishQuery(s)
		if text.Language(s) == "en" {
			if out != s {
				t.Fatalf("English %q rendered as %q", s, out)
			}
			return
		}
		if !utf8.ValidString(out) {
			t.Fatalf("EnglishQuery(%q) = %q: not UTF-8", s, out)
		}
		if strings.ContainsAny(out, "¿¡") {
			t.Fatalf("EnglishQuery(%q) = %q keeps Spanish marks", s, out)
		}
	})
}

func BenchmarkEnglishQuery(b *testing.B) {
	for _, c := range []struct{ name, q string }{
		{"spanish", "¿Qué discutieron las delegaciones de Estados Unidos y Cuba en La Habana en febrero de 2010?"},
		{"english", "What did the US and Cuban delegations discuss in Havana in February 2010?"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				text.EnglishQuery(c.q)
			}
		})
	}
}
