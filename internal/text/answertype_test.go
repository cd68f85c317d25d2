package text

import (
	"slices"
	"testing"
)

func TestAskedType(t *testing.T) {
	tests := []struct {
		q    string
		want Type
	}{
		{"Who led the July 2009 round of talks?", TypePerson},
		{"Who did the Treasury sanction in July 2021?", TypePerson},
		{"And who suspended them?", TypePerson},
		{"With whom did the Vice President meet?", TypePerson},
		{"Which senator criticized the decision?", TypePerson},
		{"Which officials took part in the dialogue?", TypePerson},
		{"Which other officials joined the two leaders?", TypePerson},
		{"What was the name of the ship carrying the aid?", TypeName},
		{"What is the name of the Alisher Usmanov superyacht that Germany seized?", TypeName},
		{"What is the full name of the Colombian president?", TypePerson},
		{"What is the name of the minister who signed it?", TypePerson},
		{"How old was the archbishop when he died?", TypeNumber},
		{"Which Panamanian minister signed the memorandum?", TypePerson},
		{"Which State Department official spoke to the press?", TypePerson},
		{"What new budget did Congress approve?", TypeAmount},
		{"Which country's security force is it?", TypeNone},
		{"When did the talks resume?", TypeDate},
		{"In what year were the talks suspended?", TypeDate},
		{"What day did the delegation arrive?", TypeDate},
		{"How many immigrant visas will be processed?", TypeNumber},
		{"How much aid did the US pledge?", TypeAmount},
		{"What percentage of the water was delivered?", TypeAmount},
		{"What number of visas was agreed?", TypeNumber},
		{"How much time do applicants have to file?", TypeDuration},
		{"¿Por cuánto tiempo deben guardar los registros?", TypeDuration},
		{"What did the official who met the dissidents say?", TypeNone},
		{"Why did Cuba expel the US ambassador?", TypeNone},
		{"How did Washington handle the crisis?", TypeNone},
		{"Which country leads the security force?", TypeNone},
		{"Where were the talks held?", TypePlace},
		{"In which city did Harris meet Castro?", TypePlace},
		{"Near which Syrian towns were the facilities?", TypePlace}, // the same nouns in the plural
		{"In which North Carolina county is the factory?", TypePlace},
		{"Which US agency will run the program?", TypeBody},
		{"Which Cuban dissidents did the delegation meet?", TypePerson},
		{"What was the value of goods trade in 2025?", TypeAmount},
		{"How big is the grant?", TypeAmount},
		{"What was the magnitude of the earthquake?", TypeAmount},
		{"Over what time frame do they plan to act?", TypeDuration},
		{"When Sheinbaum took office, what did Biden say the US would do?", TypeNone},
		{"When Sheinbaum took office, who did Biden send?", TypePerson},
		{"When Harris spoke in Nassau, did she say that support extended to The Bahamas?", TypeNone},
		{"Over what time horizons do they want to create jobs?", TypeDuration},
		{"When did Sheinbaum take office?", TypeDate},
		{"What is the name of the minister?", TypePerson},
		{"¿Dónde se reunieron las delegaciones?", TypePlace},
		{"The delegation met dissidents; what did Cuba say about it?", TypeNone},
		{"¿Quién encabezó la delegación estadounidense?", TypePerson},
		{"¿Cuándo se reanudaron las conversaciones?", TypeDate},
		{"¿En qué año se suspendieron las conversaciones?", TypeDate},
		{"¿Cuántos visados se tramitarán en La Habana?", TypeNumber},
		{"¿Qué discutieron las delegaciones en La Habana?", TypeNone},
		{"¿Por qué se suspendieron las conversaciones?", TypeNone},
		{"", TypeNone},
	}
	for _, tt := range tests {
		if got := AskedType(tt.q); got != tt.want {
			t.Errorf("AskedType(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

func TestNamedThing(t *testing.T) {
	for _, tc := range []struct{ q, want string }{
		{"What was the name of the ship carrying the aid?", "ship"},
		{"What is the name of the Alisher Usmanov superyacht that Germany seized?", "superyacht"},
		{"What is the name of the man accused of the attack?", "man"},
		{"What is the name of the Honduran driver ICE wants to deport?", "driver"},
		{"What was the name of Benjamin Wilson's rancho?", "rancho"},
		{"What is the name of the Memphis crime prevention organization whose director spoke?", "organization"},
		{"What is the name of the Alisher Usmanov?", ""},
	} {
		if got := namedThing(tc.q); got != tc.want {
			t.Errorf("namedThing(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
}

func TestHolds(t *testing.T) {
	question := map[string]bool{"who": true, "led": true, "craig": true, "kelly": true, "president": true, "cuba": true}
	tests := []struct {
		typ  Type
		s    string
		ref  string
		want bool
	}{
		{TypeDate, "The talks were suspended in 2004 by President George W. Bush.", "2010-02", true},
		{TypeDate, "They met on Friday, February 19th, to discuss migration.", "2010-02", true},
		{TypePlace, "The delegations met in Tegucigalpa on Thursday.", "", true},
		{TypeBody, "Biden voiced support for Brazil's OECD candidacy.", "", true},
		{TypeBody, "The Development Finance Corporation will fund the port.", "", true},
		{TypeBody, "The leaders discussed the port and its financing.", "", false},
		{TypeBody, "PRESIDENT WIDODO: Thank you.", "", false},
		{TypeBody, "The NRC will streamline licensing.", "", true},
		{TypeBody, "The Department of Commerce will lead the mission.", "", true},
		{TypePlace, "The leaders spoke at the White House.", "", true},
		{TypePlace, "The talks were held in Havana.", "", true},
		{TypePlace, "Craig Kelly met the delegation in Cuba.", "", false},
		{TypePlace, "The talks were held in February.", "", false},
		{TypePlace, "The delegation met dissidents after the talks.", "", false},
		{TypePerson, "Our iconic Big Three companies can still lead the world.", "", false},
		{TypePerson, "The Cuban Five were released.", "", false},
		{TypeDate, "Both parties described an atmosphere of respect.", "2010-02", false},
		{TypeDate, "The talks may resume.", "2010-02", false},
		{TypeNumber, "The embassy will process the full 20,000 immigrant visas.", "2022-05", true},
		{TypeNumber, "The United States pledged $3 billion in assistance.", "", true},
		{TypeNumber, "Two thousand migrants were returned.", "", true},
		{TypeNumber, "Inflation rose to 4.5% last year.", "", true},
		{TypeNumber, "The talks were suspended in 2004.", "2010-02", false},
		{TypeNumber, "They discussed the COVID-19 response on February 19, 2010.", "2010-02", false},
		{TypeNumber, "The G7 leaders discussed migration.", "", false},
		{TypeNumber, "One of the officials spoke of respect.", "", false},
		{TypeNumber, "Migration between the two countries was discussed.", "", false},
		{TypeNumber, "They discussed the release of the Cuban Five.", "", false},
		{TypeNumber, "Five officials attended.", "", true},
		{TypeNumber, "They will address: (1) workers' rights; and (2) decent work.", "", false},
		{TypeNumber, "They address five of the most urgent challenges.", "", true},
		{TypeAmount, "They address five of the most urgent challenges.", "", false},
		{TypeAmount, "The United States pledged $3 billion in assistance.", "", true},
		{TypeAmount, "Trained officers increased from 10,000 to nearly 15,000.", "", true},
		{TypeAmount, "Encounters fell by 95 percent.", "", true},
		{TypeAmount, "They donated two million vaccine doses.", "", true},
		{TypePerson, "A delegation led by Dagoberto Rodríguez met them.", "", true},
		{TypePerson, "Cuban National Assembly President Ricardo Alarcon said so.", "", true},
		{TypePerson, "The talks were suspended in 2004 by President George W. Bush.", "", true},
		{TypePerson, "The Secretary announced the designation.", "", true},
		{TypePerson, "The President met the delegation.", "", false},         // the question's own title
		{TypePerson, "A delegation led by Craig Kelly met them.", "", false}, // the question's own name
		{TypePerson, "The Cuban Foreign Ministry posted a press release.", "", false},
		{TypePerson, "The New York Times reported that it is policy.", "", false},
		{TypePerson, "Talks were held in Havana on Friday.", "", false},
		{TypePerson, "The United States and Cuba discussed migration.", "", false},
		{TypePerson, "Jamaica and The Bahamas pledged to join the mission.", "", true}, // countries acting
		{TypePerson, "The treaty was signed in Vatican City.", "", false},              // a place
		{TypePerson, "The treaty ended the Beagle Channel dispute.", "", false},
		{TypePerson, "The fisheries agreement was signed by the two fisheries ministers.", "", true},
		{TypeNone, "Anything at all.", "", true},
	}
	for _, tt := range tests {
		if got := Holds(tt.typ, tt.s, tt.ref, question); got != tt.want {
			t.Errorf("Holds(%v, %q) = %v, want %v", tt.typ, tt.s, got, tt.want)
		}
	}
}

func TestDurationAndClock(t *testing.T) {
	for _, tc := range []struct {
		q     string
		asked Type
		yes   []string
		no    []string
	}{
		{"How long did the call last?", TypeDuration,
			[]string{"The call lasted 45 minutes.", "They spoke for two hours.", "It went on for an hour.",
				"They will push the agenda over the next year.", "They had been held for years.",
				"Sanctions have been in place since July 2021.", "They will modernize the 2,000-mile border.",
				"It shall divest not later than 180 calendar days after this order."},
			[]string{"The call took place on January 22.", "They discussed 12 issues.",
				"They spoke last week.", "It was the second round since their suspension in 2004.",
				"It was the business of the calendar days."}},
		{"What time did the meeting begin?", TypeClock,
			[]string{"The meeting began at 10:30.", "They met at 9 a.m. in the Oval Office.", "It started at noon.",
				"Thank you for calling in this evening."},
			[]string{"The meeting began on November 2, 2023.", "They met in 2023.", "The evening news covered it."}},
	} {
		if got := AskedType(tc.q); got != tc.asked {
			t.Errorf("AskedType(%q) = %v, want %v", tc.q, got, tc.asked)
		}
		for _, s := range tc.yes {
			if !Holds(tc.asked, s, "2023-11-02", nil) {
				t.Errorf("%v: %q should hold one", tc.asked, s)
			}
		}
		for _, s := range tc.no {
			if Holds(tc.asked, s, "2023-11-02", nil) {
				t.Errorf("%v: %q holds none", tc.asked, s)
			}
		}
	}
}

func TestTypeWords(t *testing.T) {
	for q, want := range map[string][]string{
		"On what day was the election held?":  {"day"},
		"How many visas were processed?":      {"many"},
		"Which officials met in Havana?":      {"officials"},
		"What did the delegations discuss?":   nil,
		"How long did the call last?":         {"long"},
		"¿En qué año se reanudaron?":          {"ano"},
		"Why did the talks resume in 2010?":   nil,
		"What time did the meeting begin?":    {"time"},
		"What percentage of tariffs applied?": {"percentage"},
	} {
		got := TypeWords(q)
		if len(got) != len(want) {
			t.Errorf("TypeWords(%q) = %v, want %v", q, got, want)
			continue
		}
		for _, w := range want {
			if !got[w] {
				t.Errorf("TypeWords(%q) = %v, want %v", q, got, want)
			}
		}
	}
}

func TestHoldsBodyNamedByTheAskedNoun(t *testing.T) {
	asked := map[string]bool{"which": true, "us": true, "department": true, "will": true, "lead": true, "mission": true}
	for s, want := range map[string]bool{
		"The Department of Commerce will lead the mission.": true,
		"The Department will lead the mission.":             false,
		"A senior official will lead the mission.":          false,
	} {
		if got := Holds(TypeBody, s, "", asked); got != want {
			t.Errorf("Holds(organisation, %q) = %v, want %v", s, got, want)
		}
	}
}

func TestHoldsPersonNotTheOneNamed(t *testing.T) {
	asked := map[string]bool{"which": true, "ministers": true, "came": true, "with": true, "lasso": true}
	for s, want := range map[string]bool{
		"President Guillermo Lasso came to the White House.":           false,
		"Foreign Minister Gustavo Manrique came with President Lasso.": true,
	} {
		if got := Holds(TypePerson, s, "", asked); got != want {
			t.Errorf("Holds(person, %q) = %v, want %v", s, got, want)
		}
	}
}

func TestDatesLeaveOutTheYearsOfNamedLaws(t *testing.T) {
	tests := []struct {
		s    string
		want []string // the dates' texts
	}{
		{"This project was authorized in the Water Resources Development Act of 2020.", nil},
		{"The Paris Agreement of 2015 and the Treaty of 1978 still bind them.", nil},
		{"The project was authorized in 2020 and delayed in March 2025.", []string{"2020", "March 2025"}},
		{"The program began in the fall of 2021.", []string{"2021"}}, // "of" after a word in lower case
		{"He signed the Act of 2022 on August 10, 2022.", []string{"August 10, 2022"}},
	}
	for _, tc := range tests {
		var got []string
		for _, m := range Dates(tc.s, "2025-05-09") {
			got = append(got, m.Text)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Dates(%q) = %q, want %q", tc.s, got, tc.want)
		}
	}
}
