package text

import (
	"slices"
	"strings"
	"testing"
)

func TestNameAtLongestMatch(t *testing.T) {
	tests := []struct {
		text string
		at   int
		want int
	}{
		{"el salvador repaid", 0, 2},
		{"new zealand and fiji", 0, 2},
		{"new rules", 0, 0},
		{"papua new guinea", 0, 3},
		{"guinea bissau", 0, 2},
		{"equatorial guinea", 1, 1},
		{"south sudanese officials", 0, 2},
		{"office of foreign assets control", 0, 5},
		{"the hague", 0, 2},
		{"cuba", 0, 1},
		{"cuba", 1, 0},
		{"white house", 0, 0}, // named, not searched for
	}
	for _, tc := range tests {
		if got := NameAt(strings.Fields(tc.text), tc.at); got != tc.want {
			t.Errorf("NameAt(%q, %d) = %d, want %d", tc.text, tc.at, got, tc.want)
		}
	}
}

func TestCapitalsStandForThemselves(t *testing.T) {
	has := func(vs [][]string, form string) bool {
		return slices.ContainsFunc(vs, func(v []string) bool { return strings.Join(v, " ") == form })
	}
	tests := []struct {
		name        string
		capital     bool
		matches     []string // forms a passage may hold instead
		doesntMatch []string
	}{
		{"cuba", false, []string{"havana", "cuban"}, nil},
		{"cuban", false, []string{"cuba", "havana"}, nil},
		{"havana", true, nil, []string{"cuba", "cuban"}},
		{"kyiv", true, []string{"kiev"}, []string{"ukraine"}},
		{"el salvador", false, []string{"salvadoran"}, nil},
		{"buenos aires", true, nil, []string{"argentina"}},
		{"ofac", false, []string{"office of foreign assets control"}, nil},
		{"pentagon", false, []string{"department of defense", "department of war"}, nil},
		{"congress", false, []string{"house of representatives", "senate"}, nil},
		{"state department", false, []string{"department of state"}, []string{"united states"}},
	}
	for _, tc := range tests {
		if got := IsCapital(tc.name); got != tc.capital {
			t.Errorf("IsCapital(%q) = %v", tc.name, got)
		}
		m := NameMatches(tc.name)
		for _, f := range tc.matches {
			if !has(m, f) {
				t.Errorf("%q is not matched by %q: %v", tc.name, f, m)
			}
		}
		for _, f := range tc.doesntMatch {
			if has(m, f) {
				t.Errorf("%q is matched by %q", tc.name, f)
			}
		}
		// For searching, every form is a variant.
		if _, ok := NameGroup(tc.name); !ok || len(NameVariants(tc.name)) == 0 {
			t.Errorf("%q has no variants", tc.name)
		}
	}
}

func TestDisplayName(t *testing.T) {
	for in, want := range map[string]string{
		"surinamese":  "Suriname",
		"ofac":        "OFAC",
		"havana":      "Havana",
		"salvadoran":  "El Salvador",
		"sri lankan":  "Sri Lanka",
		"kiev":        "Kiev",
		"bosnian":     "Bosnia",
		"nonexistent": "Nonexistent",
	} {
		if got := DisplayName(in); got != want {
			t.Errorf("DisplayName(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every form belongs to one group only: a form in two groups would name
// two countries at once.
func TestNameFormsAreUnique(t *testing.T) {
	seen := map[string]int{}
	for i, g := range nameGroups {
		for _, entry := range g {
			for _, f := range strings.Split(strings.TrimRight(entry, "*+"), "|") {
				if j, ok := seen[f]; ok && j != i {
					t.Errorf("%q is in groups %v and %v", f, nameGroups[j], g)
				}
				seen[f] = i
				if f != Fold(f) || strings.Join(strings.Fields(f), " ") != f {
					t.Errorf("%q is not folded with single spaces", f)
				}
			}
		}
	}
}

func TestMatchOnlyForms(t *testing.T) {
	if n := MentionAt([]string{"white", "house"}, 0); n != 2 {
		t.Errorf("MentionAt(white house) = %d", n)
	}
	if _, ok := NameGroup("white house"); ok {
		t.Error("white house is searched for as a country")
	}
	g, ok := MentionGroup("white house")
	us, _ := NameGroup("united states")
	if !ok || g != us {
		t.Error("white house does not name the United States")
	}
	for _, v := range NameVariants("american") {
		if strings.Join(v, " ") == "white house" {
			t.Error("white house is a search variant of american")
		}
	}
	if !slices.ContainsFunc(NameMatches("white house"), func(v []string) bool { return strings.Join(v, " ") == "united states" }) {
		t.Error("a passage naming the United States does not match the White House")
	}
}

func TestWrittenAsName(t *testing.T) {
	for _, tc := range []struct {
		s, w string
		want bool
	}{
		{"The talks were held in La Paz.", "paz", false},
		{"President Rodrigo Paz met the delegation in La Paz.", "paz", true},
		{"Vice President Harris met the president.", "harris", true},
		{"They met in San José.", "jose", false},
		{"We will watch the sentences closely.", "watch", false},
		{"Human Rights Watch reported the sentences.", "watch", true},
	} {
		if got := WrittenAsName(tc.s, tc.w); got != tc.want {
			t.Errorf("WrittenAsName(%q, %q) = %v, want %v", tc.s, tc.w, got, tc.want)
		}
	}
}

func TestIsPeople(t *testing.T) {
	for w, want := range map[string]bool{
		"cubans": true, "qataris": true, "americans": true, "israelis": true,
		"honduras": false, "bahamas": false, "philippines": false, "cuba": false, "cuban": false,
	} {
		if got := IsPeople(w); got != want {
			t.Errorf("IsPeople(%q) = %v, want %v", w, got, want)
		}
	}
}
