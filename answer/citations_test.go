package answer

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"attache"
)

func TestParseMarkers(t *testing.T) {
	type mk struct {
		text string
		ns   []int
	}
	tests := []struct {
		name string
		in   string
		want []mk
	}{
		{"single", "Talks resumed [1].", []mk{{"[1]", []int{1}}}},
		{"list with space", "Talks resumed [1, 2].", []mk{{"[1, 2]", []int{1, 2}}}},
		{"list without space", "Talks resumed [1,2].", []mk{{"[1,2]", []int{1, 2}}}},
		{"semicolon", "Talks [1; 3].", []mk{{"[1; 3]", []int{1, 3}}}},
		{"adjacent markers are separate", "Talks[1][2].", []mk{{"[1]", []int{1}}, {"[2]", []int{2}}}},
		{"two digits", "See [12].", []mk{{"[12]", []int{12}}}},
		{"range", "See [1-3].", []mk{{"[1-3]", []int{1, 2, 3}}}},
		{"en dash range", "See [2–4].", []mk{{"[2–4]", []int{2, 3, 4}}}},
		{"reversed range ignored", "See [3-1].", nil},
		{"duplicates once", "See [2, 2].", []mk{{"[2, 2]", []int{2}}}},
		{"inner spaces", "See [ 4 ].", []mk{{"[ 4 ]", []int{4}}}},
		{"footnote", "See[^1].", []mk{{"[^1]", []int{1}}}},
		{"full-width brackets", "See 【2】.", []mk{{"【2】", []int{2}}}},
		{"zero is a marker", "See [0].", []mk{{"[0]", []int{0}}}},
		{"letters ignored", "See [a] and [note 1].", nil},
		{"empty ignored", "See [] and [,].", nil},
		{"trailing comma ignored", "See [1,].", nil},
		{"space separated ignored", "See [1 2].", nil},
		{"year is not a marker", "In [2010] it began.", nil},
		{"unbalanced open", "See [1 and more", nil},
		{"unbalanced close", "See 1] and more", nil},
		{"nested double", "See [[1]].", []mk{{"[[1]]", []int{1}}}},
		{"unbalanced outer", "See [[1] here", []mk{{"[1]", []int{1}}}},
		{"at both ends", "[1] middle [2]", []mk{{"[1]", []int{1}}, {"[2]", []int{2}}}},
		{"only a marker", "[5]", []mk{{"[5]", []int{5}}}},
		{"empty string", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []mk
			for _, m := range ParseMarkers(tc.in) {
				if m.Start < 0 || m.End > len(tc.in) || m.Start >= m.End {
					t.Fatalf("marker offsets %d:%d out of range for %q", m.Start, m.End, tc.in)
				}
				got = append(got, mk{tc.in[m.Start:m.End], m.Ns})
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseMarkers(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

// testPassages are the sources of the citation tests, numbered [1]..[5].
func testPassages() []attache.Passage {
	return []attache.Passage{
		{Title: "US and Cuba hold migration talks", Outlet: "Example Wire", Date: "2010-02-19",
			Text: "A United States delegation led by Craig Kelly met Cuban officials in Havana on Friday, " +
				"February 19th, to discuss migration issues. This meeting marked the second round of migration " +
				"talks since their suspension in 2004 by President George W. Bush."},
		{Title: "Cuba frees contractor", Date: "2014-12-17",
			Text: "Cuba released the USAID contractor Alan Gross after five years in prison. The release came " +
				"as both governments announced plans to restore diplomatic relations."},
		{Title: "Embargo history", Date: "2012",
			Text: "The United States imposed a trade embargo on Cuba in 1962 under President John F. Kennedy. " +
				"Exports worth 1,000 million dollars were affected, about 25% of trade."},
		{Title: "Peacekeeping", Date: "2004-06-01",
			Text: "Brazil sent troops to Haiti in 2004 to lead the United Nations mission. Talks began on Feb. 3."},
		{Title: "Remittances", Date: "2009-04-13",
			Text: "The administration lifted limits on family travel and remittances to Cuba."},
	}
}

// check runs CheckCitations and returns the verdict on the sentence that
// contains want, failing when there is none.
func check(t *testing.T, res CheckResult, want string) SentenceCheck {
	t.Helper()
	for _, sc := range res.Sentences {
		if strings.Contains(sc.Sentence, want) {
			return sc
		}
	}
	t.Fatalf("no sentence containing %q in %+v", want, res.Sentences)
	return SentenceCheck{}
}

func TestCheckCitationsInvalidMarkers(t *testing.T) {
	tests := []struct {
		name        string
		answer      string
		wantText    string
		wantInvalid []int
		wantCited   []int
	}{
		{"out of range removed", "Craig Kelly led the delegation to Havana [1]. Cuba released Alan Gross [9].",
			"Craig Kelly led the delegation to Havana [1]. Cuba released Alan Gross.", []int{9}, []int{1}},
		{"valid part of a list kept", "Cuba released Alan Gross after five years [2, 9].",
			"Cuba released Alan Gross after five years [2].", []int{9}, []int{2}},
		{"zero and repeats listed once", "Cuba released Alan Gross [0] after five years [9][9].",
			"Cuba released Alan Gross after five years.", []int{0, 9}, nil},
		{"mid sentence spaces cleaned", "Cuba released [7] Alan Gross after five years [2].",
			"Cuba released Alan Gross after five years [2].", []int{7}, []int{2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := CheckCitations(tc.answer, testPassages(), PolicyFlag)
			if res.Text != tc.wantText {
				t.Errorf("Text = %q, want %q", res.Text, tc.wantText)
			}
			if !reflect.DeepEqual(res.Invalid, tc.wantInvalid) {
				t.Errorf("Invalid = %v, want %v", res.Invalid, tc.wantInvalid)
			}
			if !reflect.DeepEqual(res.Cited, tc.wantCited) {
				t.Errorf("Cited = %v, want %v", res.Cited, tc.wantCited)
			}
		})
	}
}

func TestCheckCitationsOnlyInvalidMarker(t *testing.T) {
	res := CheckCitations("Cuba released Alan Gross after five years [9].", testPassages(), PolicyFlag)
	sc := check(t, res, "Alan Gross")
	if sc.Supported || sc.Reason != ReasonInvalid {
		t.Errorf("verdict = %+v, want unsupported with reason %q", sc, ReasonInvalid)
	}
	if !slices.Contains(res.Unsupported, sc.Sentence) {
		t.Errorf("Unsupported = %q, want it to list %q", res.Unsupported, sc.Sentence)
	}
}

func TestCheckCitationsSupport(t *testing.T) {
	tests := []struct {
		name        string
		answer      string
		supported   bool
		wantMissing []string // each must be listed
		reason      string   // substring of Reason when unsupported
	}{
		{"paraphrase", "Craig Kelly headed a U.S. delegation that met Cuban officials in Havana on February 19 to talk about migration [1].",
			true, nil, ""},
		{"sentence-initial name known from passages", "Kennedy imposed the trade embargo on Cuba in 1962 [3].", true, nil, ""},
		{"number not in passage", "The United States imposed a trade embargo on Cuba in 1963 [3].", false, []string{"1963"}, "missing: 1963"},
		{"name not in passage", "Craig Kelly and Fidel Castro met officials in Havana to discuss migration [1].", false, []string{"Castro"}, "Castro"},
		{"sentence-initial name from another passage", "Kennedy led the second round of migration talks [1].", false, []string{"Kennedy"}, "Kennedy"},
		{"month not in passage", "Craig Kelly met Cuban officials in Havana in March to discuss migration [1].", false, []string{"March"}, "March"},
		{"month from passage date", "Brazil sent troops to Haiti in June 2004 [4].", true, nil, ""},
		{"month abbreviation in passage", "Talks began on February 3 [4].", true, nil, ""},
		{"year from passage date", "The United States and Cuba held migration talks in 2010 [1].", true, nil, ""},
		{"spelled number in passage", "Cuba released Alan Gross after 5 years in prison [2].", true, nil, ""},
		{"ordinal matches spelled ordinal", "The meeting was the 2nd round of migration talks since 2004 [1].", true, nil, ""},
		{"ordinal suffix", "Craig Kelly met Cuban officials in Havana on the 19th to discuss migration [1].", true, nil, ""},
		{"thousands separator", "Exports worth 1000 million dollars were affected by the embargo [3].", true, nil, ""},
		{"percent", "About 25% of trade was affected by the embargo [3].", true, nil, ""},
		{"wrong percent", "About 30% of trade was affected by the embargo [3].", false, []string{"30"}, "30"},
		{"low overlap", "Craig Kelly enjoyed cigars, baseball, beaches and rum while relaxing [1].", false, nil, ReasonLowOverlap},
		{"demonym to country", "Cuban authorities released Alan Gross after five years in prison [2].", true, nil, ""},
		{"country to demonym", "Craig Kelly met officials of Cuba in Havana to discuss migration [1].", true, nil, ""},
		{"demonym with -ian", "Brazilian troops went to Haiti in 2004 [4].", true, nil, ""},
		{"unrelated demonym", "Troops of the Venezuelan army went to Haiti in 2004 [4].", false, []string{"Venezuelan"}, "Venezuelan"},
		{"sentence-initial name seen only at passage sentence starts", "Brazil sent troops to the mission [1].", false, []string{"Brazil"}, "Brazil"},
		{"facts split over two cited passages", "Craig Kelly met Cuban officials in Havana, and Alan Gross was released [1][2].", true, nil, ""},
		{"facts split but one cited", "Craig Kelly met Cuban officials in Havana, and Alan Gross was released [1].", false, []string{"Alan", "Gross"}, "Gross"},
		{"citation in the wrong passage", "Brazil sent troops to Haiti in 2004 [3].", false, []string{"Brazil", "Haiti", "2004"}, "missing"},
		{"title words count", "Example Wire reported migration talks between the US and Cuba [1].", true, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := CheckCitations(tc.answer, testPassages(), PolicyFlag)
			if len(res.Sentences) != 1 {
				t.Fatalf("got %d sentence verdicts, want 1: %+v", len(res.Sentences), res.Sentences)
			}
			sc := res.Sentences[0]
			if sc.Supported != tc.supported {
				t.Errorf("Supported = %v, want %v (overlap %.2f, missing %q, reason %q)",
					sc.Supported, tc.supported, sc.Overlap, sc.Missing, sc.Reason)
			}
			for _, m := range tc.wantMissing {
				if !slices.Contains(sc.Missing, m) {
					t.Errorf("Missing = %q, want it to contain %q", sc.Missing, m)
				}
			}
			if tc.supported && (len(sc.Missing) > 0 || sc.Reason != "" || sc.Overlap < MinOverlap) {
				t.Errorf("supported sentence has missing %q, reason %q, overlap %.2f", sc.Missing, sc.Reason, sc.Overlap)
			}
			if !tc.supported {
				if !strings.Contains(sc.Reason, tc.reason) {
					t.Errorf("Reason = %q, want it to contain %q", sc.Reason, tc.reason)
				}
				if !reflect.DeepEqual(res.Unsupported, []string{sc.Sentence}) {
					t.Errorf("Unsupported = %q, want [%q]", res.Unsupported, sc.Sentence)
				}
			}
			if strings.Contains(sc.Sentence, "[") {
				t.Errorf("Sentence %q still holds a marker", sc.Sentence)
			}
		})
	}
}

func TestCheckCitationsPolicy(t *testing.T) {
	good1 := "Craig Kelly met Cuban officials in Havana to discuss migration [1]."
	bad := "Kennedy lifted the embargo in 1975 [3]."
	good2 := "Cuba released Alan Gross after five years in prison [2]."
	answer := good1 + " " + bad + " " + good2
	tests := []struct {
		policy    string
		wantText  string
		wantCited []int
	}{
		{PolicyFlag, answer, []int{1, 2, 3}},
		{PolicyDrop, good1 + " " + good2, []int{1, 2}},
		{"unknown policy flags", answer, []int{1, 2, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.policy, func(t *testing.T) {
			res := CheckCitations(answer, testPassages(), tc.policy)
			if res.Text != tc.wantText {
				t.Errorf("Text = %q, want %q", res.Text, tc.wantText)
			}
			if !reflect.DeepEqual(res.Cited, tc.wantCited) {
				t.Errorf("Cited = %v, want %v", res.Cited, tc.wantCited)
			}
			if want := []string{strings.TrimSuffix(bad, " [3].") + "."}; !reflect.DeepEqual(res.Unsupported, want) {
				t.Errorf("Unsupported = %q, want %q", res.Unsupported, want)
			}
			if len(res.Sentences) != 3 {
				t.Errorf("got %d verdicts, want 3", len(res.Sentences))
			}
		})
	}
}

func TestCheckCitationsUncitedAndFraming(t *testing.T) {
	tests := []struct {
		name        string
		answer      string
		wantListed  int    // verdicts listed
		wantUncited string // sentence flagged "uncited", if any
		wantDropped string // text after PolicyDrop
	}{
		{"uncited claim flagged",
			"Craig Kelly met Cuban officials in Havana [1]. The embargo was imposed by Kennedy in 1962.",
			2, "The embargo was imposed by Kennedy in 1962.",
			"Craig Kelly met Cuban officials in Havana [1]."},
		{"uncited long claim without names",
			"Craig Kelly met Cuban officials in Havana [1]. Migration talks were suspended for several years afterwards.",
			2, "Migration talks were suspended for several years afterwards.",
			"Craig Kelly met Cuban officials in Havana [1]."},
		{"short framing sentence ignored",
			"Here is what I found. Craig Kelly met Cuban officials in Havana [1].",
			1, "", "Here is what I found. Craig Kelly met Cuban officials in Havana [1]."},
		{"list introduction ignored",
			"The sources describe these topics:\n- Craig Kelly met Cuban officials in Havana [1].",
			1, "", "The sources describe these topics:\n- Craig Kelly met Cuban officials in Havana [1]."},
		{"statement that the sources lack something ignored",
			"Craig Kelly met Cuban officials in Havana [1]. The sources do not say when the next round of talks was planned.",
			1, "", "Craig Kelly met Cuban officials in Havana [1]. The sources do not say when the next round of talks was planned."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := CheckCitations(tc.answer, testPassages(), PolicyFlag)
			if len(res.Sentences) != tc.wantListed {
				t.Errorf("got %d verdicts, want %d: %+v", len(res.Sentences), tc.wantListed, res.Sentences)
			}
			if tc.wantUncited != "" {
				sc := check(t, res, tc.wantUncited)
				if sc.Supported || sc.Reason != ReasonUncited || len(sc.Cites) != 0 {
					t.Errorf("verdict = %+v, want unsupported, uncited, no cites", sc)
				}
			} else if len(res.Unsupported) != 0 {
				t.Errorf("Unsupported = %q, want none", res.Unsupported)
			}
			if res.Text != tc.answer {
				t.Errorf("flag Text = %q, want the answer unchanged", res.Text)
			}
			if got := CheckCitations(tc.answer, testPassages(), PolicyDrop).Text; got != tc.wantDropped {
				t.Errorf("drop Text = %q, want %q", got, tc.wantDropped)
			}
		})
	}
}

func TestCheckCitationsMarkerPlacement(t *testing.T) {
	s1 := "Craig Kelly met Cuban officials in Havana"
	s2 := "Cuba released Alan Gross after five years"
	tests := []struct {
		name     string
		answer   string
		wantText string
	}{
		{"marker after the period", s1 + ". [1] " + s2 + ". [2]", s1 + ". [1] " + s2 + ". [2]"},
		{"marker before the period", s1 + " [1]. " + s2 + " [2].", s1 + " [1]. " + s2 + " [2]."},
		{"marker glued to the period", s1 + ".[1] " + s2 + ".[2]", s1 + ". [1] " + s2 + ". [2]"},
		{"marker glued to the next sentence", s1 + ".[1]" + s2 + ".[2]", s1 + ". [1] " + s2 + ". [2]"},
		{"lists normalised", s1 + " [1, 2]. " + s2 + " [2] [1].", s1 + " [1][2]. " + s2 + " [2][1]."},
		{"footnote and full-width", s1 + " [^1]. " + s2 + " 【2】.", s1 + " [1]. " + s2 + " [2]."},
		{"paragraphs kept", s1 + " [1].\n\n" + s2 + " [2].", s1 + " [1].\n\n" + s2 + " [2]."},
		{"marker at the start of a line", s1 + ".\n[1] " + s2 + ". [2]", s1 + ". [1]\n" + s2 + ". [2]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := CheckCitations(tc.answer, testPassages(), PolicyFlag)
			if res.Text != tc.wantText {
				t.Errorf("Text = %q, want %q", res.Text, tc.wantText)
			}
			if len(res.Sentences) != 2 {
				t.Fatalf("got %d verdicts, want 2: %+v", len(res.Sentences), res.Sentences)
			}
			for i, want := range []int{1, 2} {
				sc := res.Sentences[i]
				if !slices.Contains(sc.Cites, want) || !sc.Supported {
					t.Errorf("sentence %d %q: cites %v supported %v (%s), want it to cite [%d] and be supported",
						i, sc.Sentence, sc.Cites, sc.Supported, sc.Reason, want)
				}
			}
		})
	}
}

func TestCheckCitationsDropKeepsParagraphs(t *testing.T) {
	answer := "Craig Kelly met Cuban officials in Havana [1]. Kennedy lifted the embargo in 1975 [3].\n\n" +
		"Cuba released Alan Gross after five years [2]."
	res := CheckCitations(answer, testPassages(), PolicyDrop)
	want := "Craig Kelly met Cuban officials in Havana [1].\n\nCuba released Alan Gross after five years [2]."
	if res.Text != want {
		t.Errorf("Text = %q, want %q", res.Text, want)
	}
}

func TestDemonymMatch(t *testing.T) {
	tests := []struct {
		passage, name string
		want          bool
	}{
		{"Cuba", "cuban", true},
		{"Cuban", "cuba", true},
		{"Brazil", "brazilian", true},
		{"Haiti", "haitian", true},
		{"China", "chinese", true},
		{"Mexico", "mexican", true},
		{"Russia", "russian", true},
		{"Cuba", "venezuelan", false},
		{"Cuba", "cubs", false},
		{"Spain", "brazilian", false},
	}
	for _, tc := range tests {
		e := newEvidence(attache.Passage{Text: "Officials of " + tc.passage + " spoke."})
		if got := e.hasName(tc.name); got != tc.want {
			t.Errorf("passage %q has name %q = %v, want %v", tc.passage, tc.name, got, tc.want)
		}
	}
}

func TestScanNumbers(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"in 1962 and 2004", []string{"1962", "2004"}},
		{"1,000 people", []string{"1000"}},
		{"1.000 personas", []string{"1000"}},
		{"1,200,000 dollars", []string{"1200000"}},
		{"grew 3.5 percent", []string{"3.5"}},
		{"3.50 dollars", []string{"3.5"}},
		{"25% of trade", []string{"25"}},
		{"the 19th and 2nd", []string{"19", "2"}},
		{"ended in 2010.", []string{"2010"}},
		{"on 02/03", []string{"2", "3"}},
		{"1, 2 and 3", []string{"1", "2", "3"}},
		{"no numbers", nil},
	}
	for _, tc := range tests {
		var got []string
		for _, n := range scanNumbers(tc.in) {
			got = append(got, n.norm)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("scanNumbers(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Extractive answers quote their passages, so they must pass the check.
func TestCheckCitationsAcceptsExtractiveAnswers(t *testing.T) {
	var hits []attache.Hit
	for i, p := range testPassages() {
		hits = append(hits, attache.Hit{Passage: p, Rank: i + 1, Coverage: 0.8})
	}
	for _, q := range []string{
		"Who led the migration talks in Havana?",
		"When was the embargo on Cuba imposed?",
		"Why did Brazil send troops to Haiti?",
		"When was Alan Gross released?",
	} {
		t.Run(q, func(t *testing.T) {
			answer, cites := Extract(q, hits, 4)
			if answer == "" {
				t.Fatal("Extract gave no answer")
			}
			var sent []attache.Passage
			for _, c := range cites {
				sent = append(sent, attache.Passage{Text: c.Passage, Title: c.Title, Date: c.Date, Outlet: c.Outlet})
			}
			res := CheckCitations(answer, sent, PolicyDrop)
			if len(res.Unsupported) > 0 || len(res.Invalid) > 0 {
				t.Errorf("answer %q: unsupported %q, invalid %v", answer, res.Unsupported, res.Invalid)
			}
			if res.Text != answer {
				t.Errorf("Text = %q, want the answer unchanged %q", res.Text, answer)
			}
			if len(res.Cited) != len(cites) {
				t.Errorf("Cited = %v, want %d passages", res.Cited, len(cites))
			}
		})
	}
}
