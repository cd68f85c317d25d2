package text

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

func TestHoldsAsked(t *testing.T) {
	const (
		round = "The July 2009 round was held in New York. Officials discussed migration. " +
			"A later report covered fishing. The December round was led by Deputy Assistant Secretary Craig Kelly."
		cuba = "Cuba hosted the talks. Cuba raised its concerns. The proposal on the round of talks was submitted by Cuba."
	)
	q := func(s string) map[string]bool { return StemSet(ContentWords(s)) }
	for _, tc := range []struct {
		t        Type
		question string
		passage  string
		nilStems bool
		want     bool
	}{
		{TypeDate, "When was the round held in New York?", round, false, true},
		// The person named two sentences away led another round.
		{TypePerson, "Who led the July 2009 round held in New York?", round, false, false},
		{TypePerson, "Who led the December round?", round, false, true},
		// A country the passage keeps naming is its setting, not the agent.
		{TypePerson, "Who submitted the proposal on the round of talks?", cuba, false, false},
		// Words that cannot be compared (another language): any sentence counts.
		{TypePerson, "¿Quién dirigió la ronda?", round, true, true},
		{TypeNumber, "How many rounds were held in New York?", round, false, false},
		{TypeNone, "What was discussed?", round, false, true},
	} {
		stems := q(tc.question)
		if tc.nilStems {
			stems = nil
		}
		exclude := map[string]bool{}
		for _, w := range Words(tc.question) {
			exclude[w] = true
		}
		if got := HoldsAsked(Ask{Type: tc.t}, tc.passage, "2009-12-20", stems, exclude); got != tc.want {
			t.Errorf("%s %q: %v, want %v", tc.t, tc.question, got, tc.want)
		}
	}
}

func TestWithSetting(t *testing.T) {
	got := WithSetting("Cuba hosted the talks. Cuba raised concerns, and so did Cuba. Jamaica joined.", map[string]bool{"talks": true})
	if !got["cuba"] || !got["talks"] || got["jamaica"] {
		t.Errorf("setting %v: want cuba (named three times) and talks, not jamaica", got)
	}
}

func TestWordRunesAgreeWithUnicode(t *testing.T) {
	for r := rune(0); r < 0x3000; r++ {
		if isWordRune(r) != (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) {
			t.Errorf("%q: isWordRune %v", r, isWordRune(r))
		}
	}
}

func TestHoldsAskedCountBoundToItsNoun(t *testing.T) {
	const pact = "President Biden and President Zelenskyy signed the bilateral security agreement in Apulia. " +
		"Officials described the talks. Many partners had signed similar pacts. " +
		"With the signing of this 10-year agreement, the two countries will work together."
	for _, tc := range []struct {
		q    string
		want bool
	}{
		// The count stands with what is asked, far from the sentence most like the question.
		{"How many years does the security pact Biden signed with Zelenskyy cover?", true},
		{"How many partners did Biden and Zelenskyy sign the security pact with?", false},
	} {
		stems, exclude := QuestionWords(tc.q)
		if got := HoldsAsked(AskOf(tc.q), pact, "2024-06-13", stems, exclude); got != tc.want {
			t.Errorf("%q: %v, want %v", tc.q, got, tc.want)
		}
	}
}

func TestHoldsAskedOnlyTimeOfDay(t *testing.T) {
	const call = "7:01 P.M. EDT\n\nThank you all for joining. The measures expand flights to Cuba. Officials described the policy."
	const two = "The call began at 7:01 P.M. The weather was mild. Flights were discussed. Officials described the policy. " +
		"Sanctions were reviewed. Lunch was served. The briefing ended at 8 p.m."
	q := "At what time of day was the background call on the new Cuba policy held?"
	stems, exclude := QuestionWords(q)
	if !HoldsAsked(AskOf(q), call, "2022-05-17", stems, exclude) {
		t.Errorf("the only time of day of a passage answers, wherever it stands")
	}
	q2 := "At what time of day did the officials describe the policy?"
	stems, exclude = QuestionWords(q2)
	if HoldsAsked(AskOf(q2), two, "2022-05-17", stems, exclude) {
		t.Errorf("of two times of day, one that does not stand by the question's words does not answer")
	}
}

func TestHoldsAskedSumInItsOwnSentence(t *testing.T) {
	const plan = "The leaders launched the Caribbean Zero Hunger Plan to end hunger in the region. " +
		"USAID will also provide $28 million for food security programs."
	q := "How much money is the United States putting into the Caribbean Zero Hunger Plan?"
	stems, exclude := QuestionWords(q)
	if HoldsAsked(AskOf(q), plan, "2022-06-10", stems, exclude) {
		t.Errorf("a sum in the sentence after the one about the plan is not the plan's")
	}
	q2 := "How much money will USAID provide for food security programs?"
	stems, exclude = QuestionWords(q2)
	if !HoldsAsked(AskOf(q2), plan, "2022-06-10", stems, exclude) {
		t.Errorf("a sum in the sentence about what it is for answers")
	}
}

func TestHoldsAskedSumReferringBack(t *testing.T) {
	const (
		back = "The partners will invest in research and deployment of secure 5G networks. " +
			"The United States has committed $2.5 billion to this effort."
		apart = "The partners will invest in research and deployment of secure 5G networks. " +
			"The United States has committed $2.5 billion to port upgrades."
		year = "The partners will invest in research and deployment of secure 5G networks. " +
			"The United States has committed $2.5 billion this year to port upgrades."
	)
	const q = "How much did the United States commit to research and deployment of secure 5G networks?"
	for _, tc := range []struct {
		name, passage string
		want          bool
	}{
		// "This effort" is the research the sentence before names: the sum is of it.
		{"refers back", back, true},
		// A sum of something else, next to the sentence on what is asked.
		{"apart", apart, false},
		// "This year" is a time, not a reference to the sentence before.
		{"this year", year, false},
		{"those", strings.Replace(back, "to this effort", "to those efforts", 1), true},
	} {
		stems, exclude := QuestionWords(q)
		if got := HoldsAsked(AskOf(q), tc.passage, "2021-04-16", stems, exclude); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestHoldsAskedCountryInAnyForm: a country's name in any of its forms is
// one of the question's words ("Philippine" in the question, "Filipino" in
// the sentence that answers).
func TestHoldsAskedCountryInAnyForm(t *testing.T) {
	const (
		q       = "Which Philippine official did Sullivan call before his August visit to Beijing?"
		visit   = "Sullivan arrived in Beijing in August for a visit. The talks ran long. "
		passage = visit + "Earlier Sullivan made a call to his Filipino counterpart, Secretary Año."
		other   = visit + "Earlier Sullivan made a call to his counterpart, Secretary Año."
	)
	stems, exclude := QuestionWords(q)
	if !HoldsAsked(AskOf(q), passage, "2024-08-29", stems, exclude) {
		t.Errorf("the Filipino counterpart named: not held")
	}
	if HoldsAsked(AskOf(q), other, "2024-08-29", stems, exclude) {
		t.Errorf("a counterpart of no country said: held")
	}
}

// TestHoldsAskedReadings: how a passage's sentences are read for the
// detail asked, each reading with a passage that holds the detail and one
// that does not. A name begun within reach of the office asked for is read
// to its end, past the reach, the question's own words aside; a title in
// the plural stands before the names of those who hold it; a compound that
// says what kind of thing is counted may be written in one word or two.
func TestHoldsAskedReadings(t *testing.T) {
	const (
		minister   = "Which Japanese minister signed the Technology Prosperity Deal with Director Kratsios?"
		ambassador = "Which ambassadors joined Jill Biden at the workforce event?"
		vests      = "How many bulletproof vests did the United States deliver to Ecuador?"
	)
	for _, tc := range []struct {
		q, s string
		want bool
	}{
		{minister, "The deal was signed by Director Kratsios and Japanese Minister of State for Science and Technology Policy Onoda Kimi.", true},
		{minister, "The deal was signed by Director Kratsios and the Japanese Minister of State for Science and Technology Policy.", false},
		{ambassador, "Jill Biden spoke at the workforce event. I am glad to be joined by Ambassadors Garcetti and Sandhu.", true},
		{ambassador, "Jill Biden spoke at the workforce event. I am glad to be joined by the ambassadors.", false},
		{vests, "The United States delivered over 20,000 bullet proof vests to Ecuador.", true},
		{vests, "The United States delivered over 20,000 vests to Ecuador.", false},
	} {
		stems, exclude := QuestionWords(tc.q)
		if got := HoldsAsked(AskOf(tc.q), tc.s, "2024-01-10", stems, exclude); got != tc.want {
			t.Errorf("%q over %q: %v, want %v", tc.q, tc.s, got, tc.want)
		}
	}
}

// TestKeyStems: a key standing for a country's names is held by any of its
// forms; a key that is a stem stands for itself alone.
func TestKeyStems(t *testing.T) {
	key := askedStem("filipino")
	if key != askedStem("philippines") {
		t.Fatalf("Filipino and the Philippines have different keys: %q", key)
	}
	if forms := KeyStems(key); !slices.Contains(forms, Stem("filipino")) || !slices.Contains(forms, Stem("philippines")) {
		t.Errorf("KeyStems(%q) = %v, want the forms of the Philippines", key, forms)
	}
	if forms := KeyStems(Stem("talks")); forms != nil {
		t.Errorf("KeyStems of a stem = %v, want nil", forms)
	}
}
