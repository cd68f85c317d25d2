package text

import "testing"

func TestLanguage(t *testing.T) {
	for _, c := range []struct {
		in, want string
	}{
		{"¿Quién encabezó la delegación?", "es"},
		{"¿Qué discutieron las delegaciones en La Habana en febrero de 2010?", "es"},
		{"Migración cubana", "es"},
		{"que discutieron las delegaciones en la habana", "es"}, // typed without accents or marks
		{"Y la embajada?", "es"},
		{"remesas a Cuba", "en"},          // keywords without grammar: the articles' language
		{"las remesas a Cuba", "es"},      // a function word tells
		{"Costa Rica marine parks", "en"}, // a Spanish-looking name opening a keyword query
		{"Costa Rica marine parks", "en"}, // Spanish words without a function word
		{"visas Cuba", "en"},              // a word both languages write alike
		{"remittances Cuba", "en"},
		{"¡Gracias!", "es"},
		{"Who led the Cuban delegation?", "en"},
		{"What did Raúl Castro tell the Asamblea Nacional?", "en"},       // Spanish names in an English question
		{"Did Díaz-Canel meet the delegation from Santo Domingo?", "en"}, // accented name inside the question
		{"Who chairs the Comisión de Derechos Humanos in Mexico?", "en"}, // a Spanish institution named in English
		{"Raúl Castro", "en"},                                            // a name alone says nothing
		{"migration talks Havana", "en"},                                 // bare search words
		{"Cuba embargo 2021", "en"},
		{"", "en"},
		{"¿", "es"},
	} {
		if got := Language(c.in); got != c.want {
			t.Errorf("Language(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
