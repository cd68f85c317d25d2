package wordvec

import "testing"

// similarity is the cosine of two folded words' vectors; 0 when either
// has none.
func similarity(a, b string) float64 {
	x, ok := Lookup(a)
	if !ok {
		return 0
	}
	y, ok := Lookup(b)
	if !ok {
		return 0
	}
	return Closest(x, []Word{y})
}

func TestSimilarity(t *testing.T) {
	tests := []struct {
		a, b     string
		min, max float64
	}{
		{"talks", "talks", 1, 1},
		{"talks", "negotiations", 0.8, 1},
		{"aid", "assistance", 0.8, 1},
		{"protesters", "demonstrators", 0.9, 1},
		{"talks", "banana", -1, 0.3},
		{"embargo", "guitar", -1, 0.3},
		{"talks", "qzxv", 0, 0},
	}
	for _, tt := range tests {
		if got := similarity(tt.a, tt.b); got < tt.min || got > tt.max {
			t.Errorf("similarity(%q, %q) = %.3f, want in [%.2f, %.2f]", tt.a, tt.b, got, tt.min, tt.max)
		}
		if similarity(tt.a, tt.b) != similarity(tt.b, tt.a) {
			t.Errorf("similarity(%q, %q) is not symmetric", tt.a, tt.b)
		}
	}
}

func TestClosest(t *testing.T) {
	w, _ := Lookup("smuggling")
	among := Lookups([]string{"guitar", "trafficking", "weather", "qzxv"})
	if len(among) != 3 {
		t.Fatalf("Lookups kept %d words, want the 3 known", len(among))
	}
	if s := Closest(w, among); s < 0.7 {
		t.Errorf("Closest(smuggling) = %.3f, want trafficking's, above 0.7", s)
	}
	if s := Closest(w, Lookups([]string{"guitar", "weather"})); s > 0.5 {
		t.Errorf("Closest(smuggling, unrelated words) = %.3f, want below 0.5", s)
	}
	if s := Closest(w, nil); s != 0 {
		t.Errorf("Closest among none = %.3f, want 0", s)
	}
}

func TestLookup(t *testing.T) {
	for w, want := range map[string]bool{"embassy": true, "Embassy": false, "": false} {
		if _, ok := Lookup(w); ok != want {
			t.Errorf("Lookup(%q) found %v, want %v (folded frequent words only)", w, ok, want)
		}
	}
}

func TestDecodeRefusesTruncated(t *testing.T) {
	if _, err := decode(packed[:len(packed)/2]); err == nil {
		t.Error("decode of a truncated table: want an error")
	}
}

func BenchmarkClosest(b *testing.B) {
	w, _ := Lookup("negotiations")
	among := Lookups([]string{"talks", "embassy", "migration", "havana", "delegation"})
	for b.Loop() {
		Closest(w, among)
	}
}
