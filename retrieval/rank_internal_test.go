package retrieval

import (
	"fmt"
	"slices"
	"testing"

	"attache"
)

func hit(id string, score float64) attache.Hit {
	return attache.Hit{Passage: attache.Passage{ID: id}, Score: score}
}

func TestInterleaveTakesEveryListsBestFirst(t *testing.T) {
	broad := []attache.Hit{hit("a", 30), hit("b", 29), hit("c", 28), hit("d", 27)}
	narrow := []attache.Hit{hit("x", 6), hit("b", 31), hit("y", 2)}
	tests := []struct {
		limit int
		want  []string
	}{
		{2, []string{"a", "x"}},
		{3, []string{"a", "x", "b"}},
		{10, []string{"a", "x", "b", "c", "y", "d"}},
	}
	for _, tt := range tests {
		got := interleave([][]attache.Hit{broad, narrow}, tt.limit)
		var ids []string
		for _, h := range got {
			ids = append(ids, h.ID)
		}
		if !slices.Equal(ids, tt.want) {
			t.Errorf("limit %d: %v, want %v", tt.limit, ids, tt.want)
		}
		for _, h := range got {
			if h.ID == "b" && h.Score != 31 {
				t.Errorf("limit %d: b kept score %v, want the higher 31", tt.limit, h.Score)
			}
		}
	}
}

func TestBM25ScoresTheWholeQuestion(t *testing.T) {
	terms := []QueryTerm{
		{Word: "fighter", Weight: 5},
		{Word: "ukrainian", Weight: 3.5, Variants: [][]string{{"ukraine"}, {"kyiv"}}},
		{Word: "spoke", Weight: 3},
		{Word: "united", Weight: 1, Variants: [][]string{{"united", "states"}}},
	}
	score := func(body string) float64 {
		pw := newPassageWords("", "", body)
		return bm25(terms, &pw, 12)
	}
	all := score("The President spoke with the leader of Ukraine about training fighter pilots.")
	some := score("The President spoke with the leader of Ukraine about training pilots.")
	none := score("The President met the leader of Finland about training pilots.")
	if !(all > some && some > 0 && none == 0) {
		t.Errorf("scores all %.2f, some %.2f, none %.2f: want all > some > none = 0", all, some, none)
	}
	// A variant counts as its concept.
	if v, w := score("Talks in Kyiv about fighter jets."), score("Talks in Lisbon about fighter jets."); v <= w {
		t.Errorf("variant Kyiv scored %.2f, no match %.2f", v, w)
	}
	// More occurrences score more, with diminishing returns.
	one, two, three := score("fighter pilots train."), score("fighter fighter pilots."), score("fighter fighter fighter.")
	if !(two > one && three > two && three-two < two-one) {
		t.Errorf("tf saturation: %.2f %.2f %.2f", one, two, three)
	}
}

func TestTitleAnchorIsTheRarestName(t *testing.T) {
	words, salient := candidates("What did the Cuban and Mexican presidents discuss about fighter jets in Washington?")
	terms, _ := concepts(words, salient)
	df := map[string]int{"cuban": 40, "cuba": 300, "havana": 90, "mexican": 400, "mexico": 2000, "fighter": 5, "jets": 3, "washington": 4000, "discuss": 9000}
	all, _ := weightTerms(terms, df, 100000)
	got := titleAnchor(all, df)
	slices.Sort(got)
	if want := []string{"cuba", "cuban", "havana"}; !slices.Equal(got, want) {
		t.Errorf("anchor %v, want %v (the rarest country, with its other names; not the rarer common words)", got, want)
	}
	words, salient = candidates("What did the two leaders discuss about fighter jets?")
	terms, _ = concepts(words, salient)
	all, _ = weightTerms(terms, df, 100000)
	if got := titleAnchor(all, df); got != nil {
		t.Errorf("no name in the question, anchor %v", got)
	}
}

func TestTitledPhrases(t *testing.T) {
	df := map[string]int{"national": 30000, "manufacturing": 5000, "day": 9000, "colonial": 40,
		"pipeline": 300, "jones": 80, "act": 20000, "martha": 12, "table": 900, "harris": 8000,
		"vice": 9000, "president": 40000, "costa": 50, "rica": 50, "biden": 30000}
	tests := []struct {
		q    string
		want []string
	}{
		{"Which day did Biden designate as National Manufacturing Day in 2023?", []string{"national", "manufacturing", "day"}},
		// The rarer phrase of two: the most specific.
		{"Why did Biden waive the Jones Act during the Colonial Pipeline shutdown?", []string{"colonial", "pipeline"}},
		{"What did Vice President Harris say at Martha's Table?", []string{"martha", "table"}},
		// A country is the title-anchored query's; one capitalised word
		// is no phrase; the question's first word is capitalised as any
		// sentence's is.
		{"Who went to Costa Rica with Biden?", nil},
		{"National Manufacturing Day: when is it?", []string{"manufacturing", "day"}},
		// A word the index lacks: no title holds the phrase.
		{"What did the Atlantic Blue Compact say?", nil},
	}
	for _, tc := range tests {
		got := titledPhrases(tc.q, df)
		var first []string
		if len(got) > 0 {
			first = got[0]
		}
		if !slices.Equal(first, tc.want) {
			t.Errorf("titledPhrases(%q) = %v, want %v first", tc.q, got, tc.want)
		}
		if len(got) > maxPhrases {
			t.Errorf("titledPhrases(%q) = %d phrases, at most %d", tc.q, len(got), maxPhrases)
		}
	}
}

func TestQueryPlan(t *testing.T) {
	win := attache.DateRange{Since: "2023-08", Until: "2023-08"}
	relax := relaxations([][]string{{"fighter"}, {"jets"}, {"spoke"}})
	always := func([][]string) bool { return true }
	never := func([][]string) bool { return false }
	kinds := func(qs []Query) []string {
		var out []string
		for _, q := range qs {
			k := "or"
			switch {
			case q.Title != nil:
				k = "title"
			case q.AtLeast == 2:
				k = "two"
			case q.Require != nil:
				k = "and"
			}
			if q.Dates != (attache.DateRange{}) {
				k += "@win"
			}
			out = append(out, k)
		}
		return out
	}
	tests := []struct {
		name        string
		p           queryPlan
		first       []string
		secondCount int // when every conjunction found nothing
	}{
		{"no time, no country", queryPlan{relax: relax, cheap: always}, []string{"or", "and"}, 3},
		{"common concepts", queryPlan{relax: relax, cheap: never}, []string{"or"}, 0},
		{"named month", queryPlan{relax: relax, cheap: always, window: win, named: true}, []string{"or@win", "and@win"}, 3},
		{"described month", queryPlan{relax: relax, cheap: always, window: win}, []string{"or", "and", "or@win", "and@win"}, 3},
		{"country named", queryPlan{relax: relax, cheap: always, window: win, named: true, anchor: []string{"ukraine"}},
			[]string{"title", "or@win", "title@win", "and@win"}, 0},
		// A month used as a description besides the time named: the
		// article may be of that month, so it is searched too.
		{"named year, described month", queryPlan{relax: relax, cheap: always, window: win, named: true, described: attache.DateRange{Since: "2024-05", Until: "2024-05"}},
			[]string{"or@win", "and@win", "or@win", "and@win"}, 6},
		// When the store leaves common words out, any two of the
		// concepts are searched for too: not when there are only two.
		{"common words left out", queryPlan{relax: relax, cheap: always, cut: true, pairs: relax[0]}, []string{"or", "and", "two"}, 3},
		{"common words left out, named month", queryPlan{relax: relax, cheap: always, window: win, named: true, cut: true, pairs: relax[0]},
			[]string{"or@win", "and@win", "two@win"}, 3},
		{"common words left out, two concepts", queryPlan{relax: relax, cheap: always, cut: true, pairs: relax[0][:2]}, []string{"or", "and"}, 3},
		{"no word left out", queryPlan{relax: relax, cheap: always, pairs: relax[0]}, []string{"or", "and"}, 3},
		// The titled phrase's query is selective and never relaxed; like
		// the word queries, it runs only inside a time the question names.
		{"titled phrase", queryPlan{relax: relax, cheap: always, phrases: [][]string{{"manufacturing", "day"}}},
			[]string{"or", "title", "and"}, 3},
		{"titled phrase, named month", queryPlan{relax: relax, cheap: always, window: win, named: true, phrases: [][]string{{"manufacturing", "day"}}},
			[]string{"or@win", "title@win", "and@win"}, 3},
	}
	for _, tc := range tests {
		tc.p.k = 5
		tc.p.base = Query{Terms: []Term{{Text: "fighter"}, {Text: "ukraine"}}, K: 20}
		first := tc.p.first()
		if got := kinds(first); !slices.Equal(got, tc.first) {
			t.Errorf("%s: first %v, want %v", tc.name, got, tc.first)
		}
		for _, q := range first {
			if q.Title != nil && slices.ContainsFunc(q.Terms, func(t Term) bool { return t.Text == "ukraine" }) {
				t.Errorf("%s: the title-anchored query ranks by its own anchor", tc.name)
			}
			if q.Title != nil && q.Require != nil && (!q.Selective || !q.Unranked || !slices.EqualFunc(q.Title, q.Require, slices.Equal[[]string])) {
				t.Errorf("%s: the titled phrase's query %+v is not a selective conjunction in the title", tc.name, q)
			}
		}
		if got := len(tc.p.second(first, make([][]attache.Hit, len(first)))); got != tc.secondCount {
			t.Errorf("%s: %d relaxations, want %d", tc.name, got, tc.secondCount)
		}
	}
}

func TestPairGroups(t *testing.T) {
	groups := [][]string{{"hud"}, {"foster", "fostering"}, {"youth"}, {"age"}}
	tests := []struct {
		name string
		df   map[string]int
		want int
	}{
		{"all fit", map[string]int{"hud": 500, "foster": 1000, "youth": 1200, "age": 2800}, 4},
		{"variants count", map[string]int{"hud": 500, "foster": 1000, "fostering": 4400, "youth": 1200, "age": 2800}, 2},
		{"the rarest alone is too common", map[string]int{"hud": pairScan + 1}, 0},
	}
	for _, tc := range tests {
		if got := pairGroups(groups, tc.df); len(got) != tc.want {
			t.Errorf("%s: %v, want the first %d", tc.name, got, tc.want)
		}
	}
}

func TestPassageWordsCache(t *testing.T) {
	s := &Searcher{}
	hit := func(id, text string) attache.Hit {
		return attache.Hit{Passage: attache.Passage{ID: id, Title: "T", Date: "2021-01-01", Text: text}}
	}
	hot := hit("hot", "Cuban delegations discussed migration")
	s.passageWords(hot)
	for i := range 3 * maxCachedPassages {
		s.passageWords(hit(fmt.Sprint(i), "filler words"))
		if i%100 == 0 {
			s.passageWords(hot) // in use: must survive the turnover
		}
		if n := len(s.words) + len(s.oldWords); n > maxCachedPassages {
			t.Fatalf("cache holds %d passages, bound %d", n, maxCachedPassages)
		}
	}
	_, inNew := s.words["hot"]
	_, inOld := s.oldWords["hot"]
	if !inNew && !inOld {
		t.Error("a passage used all along was dropped")
	}
	// A changed text is read again, not served from the cache.
	pw := s.passageWords(hit("hot", "Fisheries quotas for salmon"))
	if !pw.contains("salmon") || pw.contains("migration") {
		t.Errorf("stale words served: %v", pw.seq)
	}
}

// The words sent to the store, and the title anchor, must not depend on the
// order of the question's words: equally frequent words are ordered by the
// word, and in a small folder where every word is common all of them are
// sent (the store's scan bound, which counts passages, decides the cost).
// A multi-word form is sent as its rarest word ("aires" for Buenos Aires).
func TestQueryWordsIgnoreWordOrder(t *testing.T) {
	df := map[string]int{"argentina": 4, "border": 4, "buenos": 1, "aires": 1, "chile": 4, "santiago": 1}
	tests := []struct {
		questions []string
		want      []string
	}{
		{[]string{"Argentina border", "border Argentina"}, []string{"aires", "argentina", "border"}},
		{[]string{"Chile Argentina", "Argentina Chile", "argentina chile"}, []string{"aires", "santiago", "argentina", "chile"}},
	}
	for _, tc := range tests {
		var anchors [][]string
		for _, q := range tc.questions {
			words, salient := candidates(q)
			terms, _ := concepts(words, salient)
			all, send := weightTerms(terms, df, 5)
			var got []string
			for _, s := range send {
				got = append(got, s.Text)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%q sends %v, want %v", q, got, tc.want)
			}
			anchors = append(anchors, titleAnchor(all, df))
		}
		for _, a := range anchors[1:] {
			if !slices.Equal(a, anchors[0]) {
				t.Errorf("%v: title anchors differ: %v", tc.questions, anchors)
			}
		}
	}
}

func TestMultiWordNamesAreOneConcept(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{"Did El Salvador repay its bond?", []string{"el salvador", "repay", "bond"}},
		{"What did New Zealand and Sri Lanka sign at the United Nations?", []string{"new zealand", "sri lanka", "sign", "united nations"}},
		{"south african and costa rican officials", []string{"south african", "costa rican", "officials"}},
		{"Which new rules apply?", []string{"new", "rules", "apply"}},
	}
	for _, tc := range tests {
		words, _ := candidates(tc.q)
		if !slices.Equal(words, tc.want) {
			t.Errorf("%q: %v, want %v", tc.q, words, tc.want)
		}
	}
	// Matched in a passage as adjacent words only.
	words, salient := candidates("Costa Rica")
	terms, _ := concepts(words, salient)
	for _, tc := range []struct {
		body string
		want bool
	}{
		{"Costa Rica expanded its parks.", true},
		{"Costa Rican rangers patrol.", true},
		{"The rica line and the costa firm.", false},
	} {
		pw := newPassageWords("", "", tc.body)
		if got := pw.has(&terms[0]); got != tc.want {
			t.Errorf("%q holds Costa Rica: %v, want %v", tc.body, got, tc.want)
		}
	}
}

func TestFocusIsTheRarestThird(t *testing.T) {
	terms := []QueryTerm{{Word: "a", Weight: 1}, {Word: "b", Weight: 5}, {Word: "c", Weight: 2}, {Word: "d", Weight: 5}, {Word: "e", Weight: 3}}
	// The heaviest third of five is two concepts: b and d.
	if got := focusOf(terms, nil); !slices.Equal(got, []int{1, 3}) {
		t.Errorf("focus %v, want [1 3]", got)
	}
	// Ties with the lightest of the focus join it.
	tied := []QueryTerm{{Word: "a", Weight: 2}, {Word: "b", Weight: 2}, {Word: "c", Weight: 1}}
	if got := focusOf(tied, nil); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("focus %v, want [0 1]", got)
	}
	if got := focusOf(nil, nil); got != nil {
		t.Errorf("focus of no concept %v", got)
	}
}

func TestProperNames(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{"Who did Craig Kelly meet in Havana?", []string{"Craig Kelly"}},
		{"Did Cardinal Samore lead the mediation on Friday in February?", []string{"Cardinal Samore"}},
		{"Cuba and AUKUS", []string{"AUKUS"}},
		{"Did Ambassador Smith, Secretary Blinken and the OAS meet?", []string{"Ambassador Smith", "Secretary Blinken"}},
		{"Ambassador Smith met Blinken", []string{"Smith", "Blinken"}}, // a sentence's first capital says nothing
		{"What happened? Nothing much.", nil},
		{"What did Cuban President Miguel Díaz-Canel say?", []string{"President Miguel Díaz-Canel"}},
		{"Which South American country did they discuss?", nil}, // a region is a known name
		// A full stop after an initial or an abbreviation ends no sentence.
		{"What did Minister S. Jaishankar say?", []string{"Minister", "Jaishankar"}},
		{"Did the U.S. Ambassador Smith attend?", []string{"Ambassador Smith"}},
		{"Did Dr. Sherwood-Randall attend?", []string{"Dr", "Sherwood-Randall"}},
	}
	for _, tc := range tests {
		var got []string
		for _, pn := range properNames(tc.q) {
			got = append(got, pn.written)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: %q, want %q", tc.q, got, tc.want)
		}
	}
}

func TestQuestionNames(t *testing.T) {
	df := map[string]int{"american": 600, "washington": 50, "havana": 20, "cuba": 30, "cuban": 25, "president": 700, "kelly": 3, "craig": 4}
	const total = 1000
	tests := []struct {
		q    string
		want []string
	}{
		// A capital as an actor is its government; the country is in most
		// passages here, so it tells none apart.
		{"What did Washington and the American president agree?", nil},
		{"What did Washington announce?", nil},
		{"Did the White House comment?", nil},
		{"Who met Craig Kelly in Havana?", []string{"Havana", "Craig Kelly"}},
		{"What did Havana and Cuban officials say?", []string{"Cuba"}},
		{"Did the President travel to Havana and Peru?", []string{"Cuba", "Peru"}}, // "to" names a government as often as a place
		{"Did the President stay in Havana and Peru?", []string{"Havana", "Peru"}},
		{"Whom did Biden and Sánchez condemn just before Christmas 2023?", []string{"Biden", "Sánchez"}}, // a holiday is a date
		{"Which jet had the Finns picked?", []string{"Finland"}},
		{"Which sites did Biden order struck after the Christmas Day attack by Kataib Hezbollah?", []string{"Biden", "Kataib Hezbollah"}}, // a holiday's day is a date
		{"What did Biden announce on Labor Day?", []string{"Biden"}},
		{"Which Cabinet secretary led the delegation to Asunción?", []string{"Paraguay"}}, // a word describing the person asked about; a capital after "to" is its government
		{"Which freed American did she thank the Qataris for?", []string{"Qatar"}},        // a people by its demonym's plural
		{"In the Sept 2024 call, how many paragraphs did the text have?", nil},            // a month's abbreviation
		{"In the Spanish-language part of the notice, what is TPS called?", []string{"TPS"}},
		{"Why will they consult academia, NGOs and business?", nil},
		{"Why did Sullivan press Erdogan's chief adviser Ibrahim Kalin?", []string{"Sullivan", "Ibrahim Kalin"}},
		{"What goal did Biden name for the partnership with Guatemala City?", []string{"Guatemala", "Biden"}},
		{"What has the communist government in Havana brought its people?", []string{"Cuba"}},
		// A region describing the place asked for is not required; one
		// describing a person asked for is.
		{"Which African country agreed to lead the mission?", nil},
		{"Which Bahamian leader met the Vice President?", []string{"Bahamas"}},
		// A title's short form is a title, not a name the passage must write.
		{"What did Rep. Nanette Barragán ask Sen. Durbin?", []string{"Nanette Barragán", "Durbin"}},
	}
	for _, tc := range tests {
		var got []string
		for _, n := range questionNames(tc.q, df, total) {
			got = append(got, n.display)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: names %v, want %v", tc.q, got, tc.want)
		}
	}
}

func TestNamesMatchedBySurnameAndInitials(t *testing.T) {
	df := map[string]int{"kamala": 2, "harris": 40, "amlo": 0, "president": 700}
	const total = 1000
	for _, tc := range []struct {
		q, passage, date string
		missing          bool
	}{
		{"What did Kamala Harris announce?", "Vice President Harris announced new funds.", "", false},
		{"What did Kamala Harris announce?", "The Vice President announced new funds.", "", true},
		{"When did Biden meet AMLO?", "President Biden met President Andrés Manuel López Obrador of Mexico.", "", false},
		{"When did Biden meet AMLO?", "President Biden met the President of Mexico.", "", true},
		// An office holder is named by the title in a passage of the term.
		{"What did Kamala Harris announce?", "The Vice President announced new funds.", "2022-03-01", false},
		{"What did Kamala Harris announce?", "The Vice President announced new funds.", "2018-03-01", true},
		{"What did Kamala Harris announce?", "The Secretary announced new funds.", "2022-03-01", true},
		{"When did Biden meet AMLO?", "Andrés Manuel López Obrador met the delegation.", "2022-03-01", false}, // the president's own releases
		{"What did Biden say about Joe Smith?", "Joe Smith met the delegation.", "2018-03-01", true},          // not in office then
	} {
		pw := newPassageWords("", tc.date, tc.passage)
		_, missing := matchNames(questionNames(tc.q, df, total), &pw, tc.passage, "")
		if got := slices.ContainsFunc(missing, func(n string) bool { return n == "Kamala Harris" || n == "AMLO" || n == "Biden" }); got != tc.missing {
			t.Errorf("%q over %q (%s): missing %v", tc.q, tc.passage, tc.date, missing)
		}
	}
}

func TestNameMatchedByItsPublisher(t *testing.T) {
	df := map[string]int{"fcc": 3, "investigation": 20, "reuters": 5}
	const total = 1000
	tests := []struct {
		q, passage, url string
		missing         bool
	}{
		// The White House names the United States; its own release need
		// not say so to answer what it said.
		{"What did the White House say about the FCC investigation?", "The FCC opened an investigation.", "https://www.whitehouse.gov/articles/2025/02/x/", false},
		{"What did the White House say about the FCC investigation?", "The FCC opened an investigation.", "https://bidenwhitehouse.archives.gov/briefing-room/x/", false},
		{"What did the White House say about the FCC investigation?", "The FCC opened an investigation.", "https://www.example.org/x/", true},
		{"What did the White House say about the FCC investigation?", "The FCC opened an investigation.", "", true},
		{"What did Reuters report about the FCC investigation?", "The FCC opened an investigation.", "https://www.reuters.com/world/x", false},
		{"What did Reuters report about the FCC investigation?", "The FCC opened an investigation.", "https://www.whitehouse.gov/x", true},
	}
	for _, tc := range tests {
		pw := newPassageWords("", "2025-02-13", tc.passage)
		_, missing := matchNames(questionNames(tc.q, df, total), &pw, tc.passage, tc.url)
		if got := len(missing) > 0; got != tc.missing {
			t.Errorf("%q over %q at %q: missing %v", tc.q, tc.passage, tc.url, missing)
		}
	}
	// Short names, and single words inside a label, are no publisher.
	for _, tc := range []struct {
		host, site string
		words      int
	}{{"house.gov", "us", 1}, {"www.whitehouse.gov", "house", 1}, {"bidenwhitehouse.archives.gov", "biden", 1}} {
		if publishedBy(tc.host, tc.site, tc.words) {
			t.Errorf("%q read as the publisher of %s", tc.site, tc.host)
		}
	}
}

func TestAnswerTypeFeature(t *testing.T) {
	const (
		met    = "The delegations met in Havana to discuss migration. Both sides called the talks useful."
		apart  = met + " Fishing rights were raised as well. Separately, a survey of the reef was published in March 2011."
		visas  = "The embassy will resume processing immigrant visas in Havana. It expects to process 20,000 immigrant visas a year."
		person = "The delegation to Havana was led by Deputy Assistant Secretary Craig Kelly."
	)
	for _, tc := range []struct {
		q, passage string
		want       float64
	}{
		// The asked detail next to the question's words.
		{"When did the delegations meet in Havana?", "The delegations met in Havana on February 19, 2010, to discuss migration.", 1},
		{"When did the delegations meet in Havana?", "The delegations met in Havana to discuss migration. It was on February 19, 2010.", 1},
		{"How many immigrant visas will be processed in Havana?", visas, 1},
		{"Who led the delegation to Havana?", person, 1},
		// The event without the detail, or a detail of another event.
		{"When did the delegations meet in Havana?", met, 0},
		{"When did the delegations meet in Havana?", apart, 0},
		{"Who led the delegation to Havana?", "The delegation to Havana discussed migration and fishing.", 0},
		{"How many immigrant visas will be processed in Havana?", met, 0},
		// A question asking for no kind of detail: 0 for every passage.
		{"What did the delegations discuss in Havana?", "The delegations met in Havana on February 19, 2010, to discuss migration.", 0},
		{"Why did the delegations meet in Havana?", visas, 0},
	} {
		h := attache.Hit{Passage: attache.Passage{ID: "p", Date: "2010-02-20", Text: tc.passage}}
		words, salient := candidates(tc.q)
		terms, _ := concepts(words, salient)
		rc := &rankContext{terms: terms, asked: askedBy(tc.q, tc.q), explain: true}
		scored, _ := score([]attache.Hit{h}, func(h attache.Hit) passageWords {
			return newPassageWords(h.Title, h.Date, h.Text)
		}, rc)
		if got := scored[0].Features[FeatureAnswerType]; got != tc.want {
			t.Errorf("%q over %q: answer_type %v, want %v", tc.q, tc.passage, got, tc.want)
		}
	}
}

// TestFocusHeldByNamesAsMatched: a proper name in the question's focus is
// held by a passage that matches it as the names rule does (an acronym by
// its words), not only by its letters.
func TestFocusHeldByNamesAsMatched(t *testing.T) {
	df := map[string]int{"fdic": 0, "inspector": 40, "general": 300, "biden": 600}
	const total = 1000
	const q = "Who did Biden pick to be inspector general of the FDIC?"
	names := questionNames(q, df, total)
	focus := []QueryTerm{{Word: "fdic", Weight: 7}}
	for _, tc := range []struct {
		passage string
		want    float64
	}{
		{"Jennifer Fain, Nominee for Inspector General, Federal Deposit Insurance Corporation.", 1},
		{"Jennifer Fain, Nominee for Inspector General, Export-Import Bank.", 0},
	} {
		pw := newPassageWords("", "", tc.passage)
		_, missing := matchNames(names, &pw, tc.passage, "")
		if got := focusHeld(focus, &pw, names, missing); got != tc.want {
			t.Errorf("%q: focus %v, want %v", tc.passage, got, tc.want)
		}
	}
}
