package text

import (
	"slices"
	"testing"
)

func TestAskOf(t *testing.T) {
	tests := []struct {
		q     string
		typ   Type
		of    []string
		money bool
		share bool
	}{
		{"How many immigrant visas does Washington want to process?", TypeNumber, []string{"immigrant", "visas"}, false, false},
		{"How many Venezuelans are expected to qualify?", TypeNumber, []string{"venezuelans"}, false, false},
		{"How much money is budgeted for the projects?", TypeAmount, []string{"money"}, true, false},
		{"How much did the US spend on the programme?", TypeAmount, nil, true, false},
		{"What budget was set aside for the partnership?", TypeAmount, nil, true, false},
		{"What percentage of the water was delivered?", TypeAmount, []string{"water"}, false, true},
		{"What number of visas was agreed?", TypeNumber, []string{"visas"}, false, false},
		{"How much time do they have to file?", TypeDuration, nil, false, false},
		{"What is the yearly value of goods trade between them?", TypeAmount, []string{"goods", "trade"}, true, false},
		{"How much is the company investing in Britain?", TypeAmount, nil, true, false},
		{"Who led the talks?", TypePerson, nil, false, false},
		{"Which US prosecutor was put in charge?", TypePerson, nil, false, false},
		{"Which U.S. prosecutor was put in charge?", TypePerson, nil, false, false},
		{"Which U.S. agency will run it?", TypeBody, nil, false, false},
		{"How many categories of goods does the purchase cover, and what are they?", TypeNone, nil, false, false},
		{"How many officials led the delegation, and who were they?", TypeNone, nil, false, false},
		{"How many extra doses were announced, and what did that bring the total to?", TypeNumber, []string{"extra", "doses"}, false, false},
		{"In which city did they meet?", TypePlace, nil, false, false},
		{"In which country were they?", TypePlace, nil, false, false},
		{"Which country leads the force?", TypeNone, nil, false, false},
		{"Which Guatemalan special prosecutor's office will they mentor?", TypeBody, nil, false, false},
		{"Which Cuban opposition group organized the protests?", TypeBody, nil, false, false},
		{"What was the voter turnout in the election?", TypeAmount, nil, false, false},
		// A share asked for is a share, of money or not.
		{"What federal cost share did the memorandum tell FEMA to provide?", TypeAmount, nil, false, true},
		{"How old was Willie Mays when he died?", TypeNumber, []string{"years", "age", "aged"}, false, false},
		{"How old is the treaty?", TypeNumber, []string{"years", "age", "aged"}, false, false},
		{"Haitians who arrived after which date cannot apply?", TypeNone, nil, false, false}, // "who" is relative, "which" too late to tell
		// A name describes what is counted; a participle opens a clause.
		{"How many Tren de Aragua members were deported?", TypeNumber, []string{"tren", "aragua", "members"}, false, false},
		{"How many Asian American and Pacific Islander service members are there?", TypeNumber, []string{"asian", "american", "pacific", "islander", "service", "members"}, false, false},
		{"How many refurbished UH-60 helicopters reached Kabul?", TypeNumber, []string{"refurbished", "uh", "helicopters"}, false, false},
		{"How many US troops did he authorize?", TypeNumber, []string{"troops"}, false, false},
		{"How many Haitians living with HIV are treated?", TypeNumber, []string{"haitians"}, false, false},
		{"How many Indians voted in the election?", TypeNumber, []string{"indians"}, false, false},
		{"How many Boeing jets did they buy?", TypeNumber, []string{"boeing", "jets"}, false, false},
		{"How many U.S. troops did he authorize?", TypeNumber, []string{"troops"}, false, false},
		// A clause begins at an irregular past too.
		{"How many participants took part in the summit?", TypeNumber, []string{"participants"}, false, false},
		// Spanish: what is counted is read from the English rendering.
		{"¿Cuántos visados de inmigrante tramitará la embajada?", TypeNumber, []string{"visas", "immigrants"}, false, false},
	}
	for _, tt := range tests {
		a := AskOf(tt.q)
		if a.Type != tt.typ || !slices.Equal(a.Of, tt.of) || a.Money != tt.money || a.Share != tt.share {
			t.Errorf("AskOf(%q) = %+v, want type %v of %v money %v share %v", tt.q, a, tt.typ, tt.of, tt.money, tt.share)
		}
	}
}

func TestAskHeldBy(t *testing.T) {
	const ref = "2022-05-17"
	tests := []struct {
		q, s string
		want bool
	}{
		{"How many immigrant visas will be processed?", "We will process the full 20,000 immigrant visas out of Havana.", true},
		{"How old was the senator when he died?", "He was 93 years old.", true},
		// The name of a thing the question says: a name holding its word,
		// or standing by it.
		{"What was the name of the ship carrying the aid?", "The ship Open Arms left Larnaca with the aid.", true},
		{"What was the name of the ship carrying the aid?", "A ship left the port with the first aid for the people of Gaza.", false},
		{"What's the name of the Cypriot initiative for shipping aid?", "The Amalthea Initiative outlines a mechanism for shipping aid.", true},
		{"What's the name of the Cypriot initiative for shipping aid?", "The initiative outlines a mechanism for shipping aid by sea, as President Christodoulides said.", false},
		{"What was the name of the gunman in the mall shooting?", "The gunman, identified as Mauricio Garcia, opened fire at the mall.", true},
		{"What was the name of the gunman in the mall shooting?", "A gunman opened fire at the mall, and in the evening President Biden ordered flags lowered.", false},
		{"What is the name of the man accused of the attack?", "Jill and I are praying for the victims of the attack in Dallas.", false},
		{"How old was the senator when he died?", "The 93-year-old senator served six terms.", true},
		{"How old was the senator when he died?", "He died at the age of 93.", true},
		{"How old was the senator when he died?", "He inspired millions of people of all races.", false},
		{"How old was the senator when he died?", "He served in the Senate for six terms.", false},
		// A count of years, though "106 years ago" reads as a date too.
		{"How many years had passed since the genocide began?", "Those who perished in the genocide that began 106 years ago today.", true},
		{"How many years had passed since the genocide began?", "The genocide began on April 24, 1915.", false},
		// A nation's people are counted as people; the country between
		// the number and the noun describes it.
		{"How many Americans had voted in the midterms?", "Already 27 million people have cast their ballot in the midterms.", true},
		{"How many Cuban doctors had voted in the midterms?", "Already 27 million people have cast their ballot in the midterms.", false},
		{"How many US troops did he authorize?", "I have authorized the deployment of approximately 5,000 U.S. troops to Kabul.", true},
		{"How many US troops did he authorize?", "I have authorized the deployment of U.S. troops for 14 days.", false},
		{"How many U.S. troops did he authorize?", "He authorized $5 million U.S. assistance for the region.", false},
		{"How many immigrant visas will be processed?", "The number of visas will rise to 20,000 a year.", true},
		{"How many staff members did the embassy have?", "We will process the full 20,000 immigrant visas out of Havana.", false},
		{"How many Venezuelans are expected to qualify?", "Venezuela is designated for TPS for 18 months.", false},
		{"How many Venezuelans are expected to qualify?", "An estimated 323,000 people are expected to be eligible.", true},
		{"How many Venezuelans are expected to qualify?", "Residence as of March 8, 2021 is required.", false},
		{"How many people did the US plan to admit?", "The US will welcome as many as 100,000 individuals from Honduras.", true},
		{"How many Lebanese prisoners are covered?", "Hundreds of thousands of people will return to their homes.", false},
		{"How many Lebanese prisoners are covered?", "The talks cover 13 Lebanese prisoners.", true},
		{"How many people were killed?", "Eight Americans were killed yesterday.", true},
		{"How many people were hired?", "The plant hired 300 workers.", true},
		{"How many people were affected?", "Eight states were affected.", false},
		{"How many prisoners were freed?", "Eight Americans were freed.", false},
		{"How many doctors has the facility trained?", "The facility serves 300,000 people a year.", false},
		{"How many member states does CARICOM have?", "Leaders of CARICOM and the United States, 2 days after the summit, met.", false},
		{"Who moderated the press call?", "Senior officials briefed reporters on the call.", false},
		{"Who moderated the press call?", "The call was moderated by Deputy Press Secretary Jane Doe.", true},
		{"Who is heading the trade mission?", "A trade mission led by the Department of Commerce will go, the Vice President said.", false},
		{"Who led the delegation?", "The Honorable Shalanda D. Young, Director of the Office of Management and Budget, will lead the delegation.", true},
		{"How much money is budgeted for the projects?", "Goods face 25% tariffs.", false},
		{"How much money is budgeted for the projects?", "USAID contributed $25 million towards the projects.", true},
		{"How much money is budgeted for the projects?", "The fund holds 20 million dollars.", true},
		{"What percentage of goods pay the tariff?", "USAID contributed $25 million.", false},
		{"What percentage of goods pay the tariff?", "About 38 percent of goods pay it.", true},
		{"How much did they pledge?", "They pledged two million doses.", true},
		{"How much did they pledge?", "2. Expand the number of advisors.", false},
		{"Who led the talks?", "Deputy Assistant Secretary Craig Kelly led the delegation.", true},
		{"Who headed the Ukrainian delegation?", "Secretary Rubio met the Ukrainian delegation in Geneva.", false},
		{"Who headed the Ukrainian delegation?", "The delegation was led by Andriy Yermak.", true},
		{"Which official will chair the committee?", "The committee will be co-chaired by Deputy Secretary Jane Doe.", true},
		{"Who met the Ukrainian delegation?", "Secretary Rubio met the Ukrainian delegation in Geneva.", true},
		// A number counts the noun phrase after it, partitives and measures included.
		{"How many new patrol vessels will the coast guard get?", "As a nation of over 7,000 islands and growing vessel traffic, it needs more.", false},
		{"How many new patrol vessels will the coast guard get?", "The US will transfer 3 new patrol vessels.", true},
		{"How many protestors were detained?", "Hundreds of protestors have been detained.", true},
		{"How many urgent challenges does the initiative address?", "It will address five of the most urgent challenges facing working people.", true},
		// A place smaller than a country is not answered by a country.
		{"In which city did the two presidents meet?", "They discussed Russia's war in Ukraine.", false},
		{"In which city did the two presidents meet?", "The two presidents met in Los Angeles.", true},
		{"In which city did the two presidents meet?", "They will coordinate closely at the UN Security Council.", false},
		{"Where did the two presidents meet?", "They met in Ukraine.", true},
		{"In which country were they when they signed it?", "They signed it in Italy.", true},
		// People asked for by an office are named with it.
		{"Which Ecuadorian ministers came to the meeting?", "President Lasso met Vice President Harris.", false},
		{"Which Ecuadorian ministers came to the meeting?", "Foreign Minister Juan Carlos Holguín joined the meeting.", true},
		{"Which Indonesian president met Trump?", "President of the Republic of Indonesia, Prabowo Subianto, met Trump.", true},
		// "The hundreds of" counts; "the two" names.
		{"Roughly how many protesters were held?", "The regime must free the hundreds of peaceful protesters it holds.", true},
		{"How many leaders signed it?", "The two leaders signed it.", false},
		{"Which cabinet secretary granted the status?", "Secretary of Homeland Security Alejandro N. Mayorkas designated Venezuela.", true},
		{"Which US prosecutor leads the task force?", "The task force will include U.S. prosecutors and law enforcement experts.", false},
		{"Where did the two presidents agree to coordinate?", "They will coordinate closely at the UN Security Council.", true},
		{"In which city did they meet?", "They will create jobs in Southern Mexico and Central America.", false},
		{"In which city did they meet?", "They will implement the Paris Agreement.", false},
		{"In which city did they meet?", "They share an interest in Transatlantic security.", false},
		{"Near which Syrian towns were the facilities struck?", "Forces struck two facilities in eastern Syria.", false},
		{"Near which Syrian towns were the facilities struck?", "Forces struck two facilities near Abu Kamal.", true},
		{"Where did Biden say it?", "As President Biden said in Vilnius last year, the future is in NATO.", true},
		{"In what building did the delegations meet?", "The delegations met in New York in July 2009.", false},
		{"Which Kuwaiti bases hosted the evacuees?", "The evacuees were hosted in Kuwait.", false},
		{"In what building did the delegations meet?", "The delegations met at the Cuban Interests Section in Washington.", true},
		{"How many US prosecutors will serve?", "The task force will include three components.", false},
		{"How much assistance has gone to Haiti?", "The US made available over $5.1 billion for assistance to Haiti.", true},
		{"Whose conventions define the rights?", "Rights as defined in the International Labour Organization's core conventions.", true},
		{"Who defined the rights?", "Rights as defined in the core conventions.", false},
		// Headings and labels are not prose: their capitals name nothing.
		{"In which city did the dialogue meet?", "Pillar IV: Investing in Our People", false},
		{"Which Haitian official asked for support?", "Investigation Assistance", false},
		{"Which agency runs the program?", "SENIOR ADMINISTRATION OFFICIAL: Sure.", false},
		{"Which agency runs the program?", "- Vessel Traffic Management: The Trade and Development Agency will fund it.", true},
		{"Which officials attended?", "Antony Blinken, Secretary of State", true},
		{"In which city did the dialogue meet?", "- Dialogue Venue: The officials met in Monterrey.", true},
	}
	for _, tt := range tests {
		if got := AskOf(tt.q).HeldBy(tt.s, ref, nil); got != tt.want {
			t.Errorf("AskOf(%q).HeldBy(%q) = %v, want %v", tt.q, tt.s, got, tt.want)
		}
	}
}

// FuzzAskHeldBy checks that reading any question and any sentence neither
// panics nor finds a count or amount where the sentence holds no number.
func FuzzAskHeldBy(f *testing.F) {
	f.Add("How many immigrant visas will be processed?", "We will process the full 20,000 immigrant visas.")
	f.Add("When Sheinbaum took office, what did Biden say?", "On October 1, 2024, Biden spoke.")
	f.Add("¿Cuántos visados, cuánto dinero?", "—$ 3 millones de dólares")
	f.Add("Which US agency, which city?", "The Department of Commerce met in Tegucigalpa.")
	f.Fuzz(func(t *testing.T, question, sentence string) {
		a := AskOf(question)
		held := a.HeldBy(sentence, "2024-10-01", map[string]bool{"the": true})
		if (a.Type == TypeNumber || a.Type == TypeAmount) && held && !Holds(a.Type, sentence, "2024-10-01", map[string]bool{"the": true}) {
			t.Errorf("AskOf(%q).HeldBy(%q) holds a count Holds does not see", question, sentence)
		}
	})
}

// TestAskKind: the words before the noun counted say what kind of it is
// counted, unless they say only how many more or whose.
func TestAskKind(t *testing.T) {
	tests := []struct {
		q    string
		kind []string
	}{
		{"How many manufacturing jobs were added in September?", []string{"manufacturing"}},
		{"How many child care workers left the profession?", []string{"child", "care"}},
		{"How many jobs were added in September?", nil},
		{"How many Boeing widebody jets did they order?", []string{"widebody"}},
		{"How many allied countries' leaders met in Brussels?", nil},   // whose leaders
		{"How many federal appeals court judges were confirmed?", nil}, // the phrase runs past three words
		{"How many participants took part in the summit?", nil},
		{"¿Cuántos empleos manufactureros se crearon?", nil}, // the English rendering keeps no word order
	}
	for _, tt := range tests {
		if got := AskOf(tt.q).Kind; !slices.Equal(got, tt.kind) {
			t.Errorf("AskOf(%q).Kind = %q, want %q", tt.q, got, tt.kind)
		}
	}
	held := []struct {
		q, passage string
		want       bool
	}{
		{"How many manufacturing jobs were added in September?", "The economy grew. We saw more than 250,000 new jobs in September.", false},
		{"How many manufacturing jobs were added in September?", "Manufacturing added 40,000 jobs in September.", true},
		{"How many manufacturing jobs were added in September?", "Manufacturing grew again. It added 40,000 jobs in September.", true}, // the sentence before says the kind
		{"How many new jobs were added in September?", "We saw more than 250,000 jobs added in September.", true},                      // "new" says no kind
		{"How many extra vaccine doses did the US promise?", "The US promised to donate 2.5 million vaccine doses.", true},
		{"How many child care workers left the profession?", "Relief reached 300,000 child care workers who left the profession.", true},
	}
	for _, tt := range held {
		if got := HoldsAsked(AskOf(tt.q), tt.passage, "2024-10-04", FamilySet(ContentWords(tt.q)), nil); got != tt.want {
			t.Errorf("HoldsAsked(%q, %q) = %v, want %v", tt.q, tt.passage, got, tt.want)
		}
	}
}

func TestAskHeldByNotTheQuestionsOwnNumber(t *testing.T) {
	for _, tc := range []struct {
		q, s string
		want bool
	}{
		{"How much of the $61 billion had reached Ukraine?", "Congress appropriated $61 billion in April.", false},
		{"How much of the $61 billion had reached Ukraine?", "Of the $61 billion, $23 billion had been delivered.", true},
		{"How many of the 96 helicopters will Poland buy?", "The US offered 96 Apache helicopters.", false},
	} {
		_, exclude := QuestionWords(tc.q)
		if got := AskOf(tc.q).HeldBy(tc.s, "2024-06-13", exclude); got != tc.want {
			t.Errorf("AskOf(%q).HeldBy(%q) = %v, want %v", tc.q, tc.s, got, tc.want)
		}
	}
}

func TestAskHeldByAPeople(t *testing.T) {
	for _, tc := range []struct {
		q, s string
		want bool
	}{
		{"Who did Haiti's council listen to?", "The council listened to the people of Haiti.", true},
		{"Which candidate did Haiti's council listen to?", "The council listened to the people of Haiti.", false},
		{"Which State Department official told the newspaper?", "A senior official told reporters, the Vice President said.", false},
		{"Which State Department official told the newspaper?", "Julissa Reynoso told the newspaper.", true},
		{"Who did the people of Haiti thank?", "The people of Haiti gave thanks.", false},
	} {
		_, exclude := QuestionWords(tc.q)
		if got := AskOf(tc.q).HeldBy(tc.s, "2024-06-13", exclude); got != tc.want {
			t.Errorf("AskOf(%q).HeldBy(%q) = %v, want %v", tc.q, tc.s, got, tc.want)
		}
	}
}

func TestAskRestOfName(t *testing.T) {
	tests := []struct {
		q     string
		name  string
		first bool
		ok    bool
	}{
		{"What is the last name of Darlene, the labor council leader Harris thanked?", "darlene", false, true},
		{"What is the surname of the 'Patty' whom Jill Biden thanked?", "patty", false, true},
		{"What is the full name of Teresa, the woman who introduced Biden?", "teresa", false, true},
		{"What is the first name of Dr. Lynch, who hosted the session?", "lynch", true, true},
		{"What is the full name of the Colombian president who issued the statement?", "", false, false},
		{"What is the full name of Gustavo Petro's party?", "", false, false},
		{"What surname did her great-grandparents carry?", "", false, false},
	}
	for _, tt := range tests {
		a := AskOf(tt.q)
		if got := a.Type == TypeName && a.Rest; got != tt.ok || tt.ok && (a.Head != tt.name || a.First != tt.first) {
			t.Errorf("AskOf(%q) = %+v, want rest of name %q (first %v): %v", tt.q, a, tt.name, tt.first, tt.ok)
		}
	}
	held := []struct {
		q, s string
		want bool
	}{
		{"What is the last name of Darlene, the labor council leader?", "I want to thank Darlene Lombos for her leadership.", true},
		{"What is the last name of Darlene, the labor council leader?", "I want to thank Darlene for her leadership, and Mayor Wu.", false},
		{"What is the first name of Dr. Lynch, who hosted the session?", "Thank you, Dr. Kathleen Lynch, for hosting us.", true},
		{"What is the first name of Dr. Lynch, who hosted the session?", "Thank you, Dr. Lynch, for hosting us.", false},
		{"What is the full name of Teresa, the woman who introduced Biden?", "Teresa, thank you. And Senator Kaine.", false},
	}
	for _, tt := range held {
		exclude := map[string]bool{}
		for _, w := range Words(tt.q) {
			exclude[w] = true
		}
		if got := AskOf(tt.q).HeldBy(tt.s, "2023-03-23", exclude); got != tt.want {
			t.Errorf("AskOf(%q).HeldBy(%q) = %v, want %v", tt.q, tt.s, got, tt.want)
		}
	}
}
