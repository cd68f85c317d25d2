package text

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"spaces only", " \n\t \n", nil},
		{"one sentence", "Talks resumed.", []string{"Talks resumed."}},
		{"no final period", "Talks resumed", []string{"Talks resumed"}},
		{"two sentences", "Talks resumed. Both sides met.", []string{"Talks resumed.", "Both sides met."}},
		{"question and exclamation", "Did they meet? Yes! They did.", []string{"Did they meet?", "Yes!", "They did."}},
		{"surrounding space trimmed", "  One.   Two.  ", []string{"One.", "Two."}},
		{"lower case after period", "It ended at 5 p.m. and then we left.", []string{"It ended at 5 p.m. and then we left."}},
		{"title abbreviations", "Mr. Kelly met Dr. Rodríguez and Gen. Smith. They talked.",
			[]string{"Mr. Kelly met Dr. Rodríguez and Gen. Smith.", "They talked."}},
		{"upper-case transcript title", "MR. ACEVEDO: Welcome. THE VICE PRESIDENT: Thank you.",
			[]string{"MR. ACEVEDO: Welcome.", "THE VICE PRESIDENT: Thank you."}},
		{"months", "It began on Feb. 19 and ended Sept. 30. Then nothing.",
			[]string{"It began on Feb. 19 and ended Sept. 30.", "Then nothing."}},
		{"initials", "It was suspended by President George W. Bush in 2004. Talks stopped.",
			[]string{"It was suspended by President George W. Bush in 2004.", "Talks stopped."}},
		{"decimal", "Growth was 3.5 percent. Prices rose.", []string{"Growth was 3.5 percent.", "Prices rose."}},
		{"U.S. mid sentence", "The U.S. delegation met. The U.N. Security Council voted.",
			[]string{"The U.S. delegation met.", "The U.N. Security Council voted."}},
		{"U.S. before capital stays", "Talks with the U.S. Officials said more.", []string{"Talks with the U.S. Officials said more."}},
		{"U.S. before newline splits", "Talks with the U.S.\nOfficials said more.",
			[]string{"Talks with the U.S.", "Officials said more."}},
		{"e.g. and i.e.", "Some places, e.g. Havana, i.e. Cuba. Others too.",
			[]string{"Some places, e.g. Havana, i.e. Cuba.", "Others too."}},
		{"number abbreviation", "See Resolution No. 2699 on Haiti. It passed.",
			[]string{"See Resolution No. 2699 on Haiti.", "It passed."}},
		{"no as a word", "They said no. The talks went on.", []string{"They said no.", "The talks went on."}},
		{"closing quote belongs to sentence", `He said “we met.” Then he left.`, []string{`He said “we met.”`, "Then he left."}},
		{"straight quotes", `She said "yes." "Good," he replied.`, []string{`She said "yes."`, `"Good," he replied.`}},
		{"closing bracket", "It was signed (in 2009.) Later it lapsed.", []string{"It was signed (in 2009.)", "Later it lapsed."}},
		{"opening quote starts sentence", `It ended. “We will return,” he said.`, []string{"It ended.", `“We will return,” he said.`}},
		{"digit starts sentence", "It ended. 2010 was different.", []string{"It ended.", "2010 was different."}},
		{"ellipsis char", "We waited… Nothing came.", []string{"We waited…", "Nothing came."}},
		{"ellipsis mid sentence", "all countries … and we don’t make exceptions.", []string{"all countries … and we don’t make exceptions."}},
		{"three dots", "We waited... Nothing came.", []string{"We waited...", "Nothing came."}},
		{"paragraph break", "First paragraph without period\n\nSecond one.", []string{"First paragraph without period", "Second one."}},
		{"blank line with spaces", "One\n  \nTwo", []string{"One", "Two"}},
		{"soft line break", "A sentence that is\nwrapped over lines. Next.", []string{"A sentence that is\nwrapped over lines.", "Next."}},
		{"list items", "The measures:\n- sanctions\n- remittances\n1. first\n2) second",
			[]string{"The measures:", "- sanctions", "- remittances", "1. first", "2) second"}},
		{"heading line", "# Cuba Policy\nThe policy changed. Again.", []string{"# Cuba Policy", "The policy changed.", "Again."}},
		{"heading then text", "Intro text\n## Section\nbody", []string{"Intro text", "## Section", "body"}},
		{"hashtag is not heading", "We like\n#cuba tags", []string{"We like\n#cuba tags"}},
		{"period without space", "Visit whitehouse.gov.Then go.", []string{"Visit whitehouse.gov.Then go."}},
		{"CRLF", "One.\r\nTwo.", []string{"One.", "Two."}},
		{"non-Latin capital", "Встреча прошла. Стороны договорились.", []string{"Встреча прошла.", "Стороны договорились."}},
		{"Washington D.C. in list", "in Washington, D.C., and elsewhere.", []string{"in Washington, D.C., and elsewhere."}},
		{"Jr. title", "Joseph R. Biden, Jr. Statement follows.", []string{"Joseph R. Biden, Jr. Statement follows."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spans := Sentences(tc.in)
			var got []string
			for _, sp := range spans {
				got = append(got, tc.in[sp.Start:sp.End])
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
			checkSpans(t, tc.in, spans)
		})
	}
}

func TestSentencesSeedArticle(t *testing.T) {
	in := "A United States delegation led by Craig Kelly met Cuban officials in Havana on Friday, February 19th, to discuss migration issues. " +
		"This meeting marked the second round of migration talks since their suspension in 2004 by President George W. Bush.\n\n" +
		"Other topics were also discussed, such as the expansion of Cuban consular personnel at the Cuban Interests Section in Washington, D.C., " +
		"and the detainment of USAID contractor, Alan Gross (read more here).\n\n" +
		"Despite requests from the Cuban government, the U.S. delegation met with Cuban dissidents. " +
		"An official said, “We believe in reaching out … and we don’t make exceptions in particular countries.” " +
		"Even though meeting with opposition leaders is standard for U.S. diplomats, Cuban officials objected."
	spans := Sentences(in)
	checkSpans(t, in, spans)
	if len(spans) != 6 {
		for _, sp := range spans {
			t.Logf("%q", in[sp.Start:sp.End])
		}
		t.Fatalf("got %d sentences, want 6", len(spans))
	}
	if got := in[spans[4].Start:spans[4].End]; got[len(got)-len("countries.”"):] != "countries.”" {
		t.Errorf("quote sentence = %q, want it to end with the closing quote", got)
	}
}

// checkSpans asserts the invariants of Sentences: spans in order, not
// overlapping, non-empty, trimmed, and covering every non-space rune.
func checkSpans(t *testing.T, s string, spans []Span) {
	t.Helper()
	prev := 0
	for i, sp := range spans {
		if sp.Start < prev || sp.End <= sp.Start || sp.End > len(s) {
			t.Fatalf("span %d %v out of order, empty or out of range (prev end %d, len %d)", i, sp, prev, len(s))
		}
		if !onlySpace(s[prev:sp.Start]) {
			t.Fatalf("non-space text %q not in any span (before span %d)", s[prev:sp.Start], i)
		}
		first, _ := utf8.DecodeRuneInString(s[sp.Start:sp.End])
		last, _ := utf8.DecodeLastRuneInString(s[sp.Start:sp.End])
		if unicode.IsSpace(first) || unicode.IsSpace(last) {
			t.Fatalf("span %d %q not trimmed", i, s[sp.Start:sp.End])
		}
		prev = sp.End
	}
	if !onlySpace(s[prev:]) {
		t.Fatalf("non-space text %q after last span", s[prev:])
	}
}

func onlySpace(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

func FuzzSentences(f *testing.F) {
	for _, s := range []string{
		"Mr. Kelly met Dr. Rodríguez. They talked.",
		"The U.S.\nOfficials said “no.” Then 3.5 percent…",
		"# Title\n- item one\n- item two\n\nParagraph. Another one!",
		"\xff\xfe invalid. UTF-8 … here? Yes.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spans := Sentences(s)
		checkSpans(t, s, spans)
	})
}

func BenchmarkSentences(b *testing.B) {
	para := "A United States delegation led by Craig Kelly met Cuban officials in Havana on Friday, Feb. 19, to discuss migration issues. " +
		"This meeting marked the second round of talks since their suspension in 2004 by President George W. Bush. " +
		"The U.S. delegation said, “We believe in reaching out … to all.” Growth was 3.5 percent!\n\n"
	s := strings.Repeat(para, 50)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Sentences(s)
	}
}

func TestProse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"The delegation met in Havana.", "The delegation met in Havana."},
		{"SENIOR ADMINISTRATION OFFICIAL: Sure, go ahead.", "Sure, go ahead."},
		{"- Increase in Visa Validity: The United States is increasing it.", "The United States is increasing it."},
		{"PROTECTING NATIONAL SECURITY: Yesterday, the President signed it.", "Yesterday, the President signed it."},
		{"Investigation Assistance", ""},
		{"Pillar IV: Investing in Our People", ""},
		{"Antony Blinken, Secretary of State", "Antony Blinken, Secretary of State"},
		{"Note: the talks resumed in July.", "Note: the talks resumed in July."},
		{"Biden met Kishida.", "Biden met Kishida."},
		{"2. Pillar Two: The partners will fund it.", "The partners will fund it."},
		{"+ Investigation Assistance", ""},
	}
	for _, tt := range tests {
		if got := Prose(tt.in); got != tt.want {
			t.Errorf("Prose(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
