package text

import (
	"reflect"
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Rodríguez":  "rodriguez",
		"ALARCÓN":    "alarcon",
		"Havana":     "havana",
		"São Paulo":  "sao paulo",
		"niño":       "nino",
		"plain text": "plain text",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTokens(t *testing.T) {
	s := `Cuba's "NEAR(" talks*, 2010 — Rodríguez!`
	toks := Tokens(s)
	var words []string
	for _, tk := range toks {
		words = append(words, tk.Word)
		if Fold(s[tk.Start:tk.End]) != tk.Word {
			t.Errorf("offsets %d:%d give %q, want %q", tk.Start, tk.End, s[tk.Start:tk.End], tk.Word)
		}
	}
	want := []string{"cuba", "s", "near", "talks", "2010", "rodriguez"}
	if !reflect.DeepEqual(words, want) {
		t.Errorf("Tokens = %v, want %v", words, want)
	}
}

func TestContentWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"What did the US and Cuban delegations discuss in Havana in February 2010?",
			[]string{"cuban", "delegations", "havana", "february", "2010"}},
		{"¿Qué dijo el gobierno de Cuba sobre la migración?", []string{"dijo", "gobierno", "cuba", "migracion"}},
		{`"" AND OR NOT ( ) * ^ : -`, nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := ContentWords(tt.in)
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("ContentWords(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestStem(t *testing.T) {
	groups := [][]string{
		{"talks", "talk", "talked", "talking"},
		{"migrations", "migration"},
		{"policies", "policy"},
		{"discussed", "discuss", "discusses"},
		{"embassies", "embassy"},
	}
	for _, g := range groups {
		want := Stem(g[0])
		for _, w := range g[1:] {
			if got := Stem(w); got != want {
				t.Errorf("Stem(%q) = %q, Stem(%q) = %q: want equal", w, got, g[0], want)
			}
		}
	}
	for _, w := range []string{"us", "gas", "crisis", "class"} {
		if Stem(w) != w {
			t.Errorf("Stem(%q) = %q, want unchanged", w, Stem(w))
		}
	}
}
