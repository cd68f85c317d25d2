package text

import "testing"

func TestEventOf(t *testing.T) {
	for q, want := range map[string]string{
		"Why did Cuba expel the US ambassador in 2010?":                                                                           "expel",
		"Why did the talks resume?":                                                                                               "resume",
		"When did the talks resume?":                                                                                              "resume",
		"When will the talks resume?":                                                                                             "", // a plan, not an event
		"When had the Vice President previously met the leaders?":                                                                 "meet",
		"Why did Canada withdraw from NATO?":                                                                                      "withdraw",
		"When had the last round of talks taken place?":                                                                           "",
		"Why did the US and Cuban delegations reject the proposal?":                                                               "reject",
		"Why did the US and Cuban delegations discuss dissidents?":                                                                "", // a verb the search ignores as saying nothing of the topic
		"Why did the administration impose new tariffs on Canadian goods?":                                                        "impose",
		"Why did Biden first call the Ukrainian president?":                                                                       "call",
		"And why did DHS end temporary protected status for Venezuelans?":                                                         "end",
		"Why does the US put so much weight on fighting corruption?":                                                              "",          // a light verb
		"Why did Homeland Security decide to designate Venezuela for TPS?":                                                        "designate", // deciding introduces the event
		"Why did India agree to stop buying American aircraft?":                                                                   "stop",
		"Why did Biden tell Erdogan that he opposed Sweden joining NATO?":                                                         "opposed",
		"Why did Niinisto tell Biden that Finland would scale back its partnership?":                                              "scale",
		"What did the delegations discuss in Havana?":                                                                             "", // takes no event for granted
		"Who led the US delegation?":                                                                                              "",
		"How many visas did the US process?":                                                                                      "",
		"¿Por qué expulsó Cuba al embajador?":                                                                                     "", // Spanish: read from its English rendering
		"why expel Cuba ambassador":                                                                                               "expel",
		"When did the US embassy in Havana resume visa processing?":                                                               "resume",
		"When did the embassy in Port Au Prince close?":                                                                           "close",
		"Why did Biden let the national emergency on Belarus expire in June 2022?":                                                "expire", // the event let happen
		"Why did Biden let the sanctions with respect to Cuba lapse?":                                                             "lapse",
		"Why did the government let the November 15 marches go ahead?":                                                            "",       // no name before the verb: unread
		"Why did Biden let the Belarus sanctions lapse?":                                                                          "",       // a noun after the name
		"Why did Biden let the emergency over investments in Chinese companies expire in November 2024?":                          "expire", // the time closes the clause
		"Why did Trump let the TikTok enforcement delay lapse in September 2025 and act?":                                         "lapse",
		"Why did Biden let the Belarus sanctions lapse in 2022?":                                                                  "lapse",
		"Why did the US let Cuba in?":                                                                                             "",
		"Why did the governments behind the statement condemn the attacks?":                                                       "condemn", // a preposition is not the verb
		"Why did the White House argue that America was dangerously behind?":                                                      "",        // what was argued is a state
		"Why did the governments call Houthi attacks on ships a direct threat?":                                                   "",        // naming a view
		"Why did Biden call the president of Mexico?":                                                                             "call",
		"Why did Biden's June 2021 executive order remove Huawei from the list?":                                                  "remove", // after a date, a noun phrase runs to its noun
		"Why did the 2021 talks fail?":                                                                                            "fail",
		"When did the officials plan to start the measures?":                                                                      "",     // a plan took nothing for granted
		"Why did the White House call Oman's February 2023 decision to open its airspace to all civilian planes a historic step?": "",     // what it was called comes late
		"Why did Biden call Erdogan, a close ally?":                                                                               "call", // an apposition
		"When did the US president host his Mexican counterpart?":                                                                 "meet", // hosting is a meeting
		"Why did Cuba meet in Havana?":                                                                                            "meet",
		"Why did the Treasury sanction Cuba's defense minister?":                                                                  "sanction",
		"Why did the administration impose tariffs?":                                                                              "impose",
		"Why did Trump take the Houthis off the list?":                                                                            "take",
		"Why had India set up the committee?":                                                                                     "",
		"Why did Washington and Ottawa agree in 2021 to scrap the summit?":                                                        "scrap",
		"Why did Washington and Ottawa want to bring back the summit?":                                                            "",
		"Why did Marc Fogel's family criticize the administration?":                                                               "criticize",
		"Why did Hungary's parliament vote to reject the bid?":                                                                    "reject",
		"Why did Biden say Mulroney had opposed the agreement?":                                                                   "opposed",
		"Why did Biden tell Trudeau he would visit?":                                                                              "", // after "tell", a name is whom it was told
		"Why had the American activist Aysenur Eygi gone to the West Bank?":                                                       "",
		"Why did the White House call the partnership vital?":                                                                     "",
		"Why did Biden call the new German chancellor?":                                                                           "call",
		"Why Cuba?": "",
		"When announcing the tariffs, how did the White House describe it?": "", // the question proper is a how-question
	} {
		if got := eventOf(q).Verb; got != want {
			t.Errorf("eventOf(%q).Verb = %q, want %q", q, got, want)
		}
	}
}

func TestHoldsVerb(t *testing.T) {
	for _, tc := range []struct {
		text, verb string
		want       bool
	}{
		{"The talks resumed in February.", "resume", true},
		{"Canada announced its withdrawal from the pact.", "withdraw", true},
		{"Cuba withdrew its offer.", "withdraw", true},
		{"India broke off the negotiations.", "break", true},
		{"The talks were suspended in 2004.", "suspend", true},
		{"Their suspension lasted six years.", "suspend", true},
		{"Cuba welcomed the delegation.", "expel", false},
		{"The two sides agreed to meet again.", "end", false},
	} {
		if got := HoldsVerb(tc.text, tc.verb); got != tc.want {
			t.Errorf("HoldsVerb(%q, %q) = %v, want %v", tc.text, tc.verb, got, tc.want)
		}
	}
}

func TestEventReportedIn(t *testing.T) {
	for _, tc := range []struct {
		q, text string
		want    bool
	}{
		{"Why did Biden lift the sanctions on Cuba's defense minister?", "The measures lift the cap on remittances. Sanctions stay in place.", false},
		{"Why did Biden lift the sanctions on Cuba's defense minister?", "Biden lifted the sanctions after a review.", true},
		{"Why did Harris call off her meeting with the president?", "She announced a Call to Action. They met on Monday.", false},
		{"Why did Harris call off her meeting with the president?", "Harris called off the meeting because of the storm.", true},
		{"Why did Biden call the Colombian president?", "President Biden spoke with President Petro today.", true},
		{"Why did Biden ring Giorgia Meloni?", "President Biden called Prime Minister Meloni of Italy.", true},
		{"Why did Biden commend Tokyo?", "Biden commended Japan's leadership.", true},
		// "Against" right after the verb turns it round.
		{"Why did the Senate vote against Finland joining NATO?", "The Senate voted 95-1 to approve Finland joining NATO.", false},
		{"Why did the Senate vote against Finland joining NATO?", "The Senate voted against the protocol on Finland joining NATO.", true},
		{"Why did they agree to keep up cooperation against terrorism?", "They agreed to keep up their cooperation to fight terrorism.", true},
		// Sitting down with someone is meeting them, however reported.
		{"Why did Sullivan sit down with Akiba Takeo?", "Jake Sullivan met with Akiba Takeo today.", true},
		{"Why did Biden sit down with the CARICOM leaders?", "The President hosted CARICOM leaders.", true},
		{"Why did Biden sit down with the CARICOM leaders?", "The President called CARICOM leaders.", false},
		{"When did Biden host the Mexican president?", "President Biden met virtually with President López Obrador.", true},
		{"Why did the minister step down?", "The minister met the press.", false},
		{"What did they discuss?", "Anything at all.", true},
		// Letting something happen takes that it happened for granted.
		{"Why did Biden let the national emergency on Belarus expire in June 2022?", "The national emergency with respect to Belarus must continue in effect beyond June 16, 2022.", false},
		{"Why did Biden let the national emergency on Belarus expire in June 2022?", "The President allowed the national emergency with respect to Belarus to expire.", true},
		{"Why did the Treasury sanction Cuba's Minister of the Interior?", "Treasury sanctioned the Minister of the Revolutionary Armed Forces.", false},
		{"Why did the Treasury sanction Cuba's Minister of the Interior?", "Treasury sanctioned the Ministry of the Interior's brigade and its minister.", true},
	} {
		if got := PresupposedEventOf(tc.q).ReportedIn(tc.text); got != tc.want {
			t.Errorf("PresupposedEventOf(%q).ReportedIn(%q) = %v, want %v", tc.q, tc.text, got, tc.want)
		}
	}
}

func TestNegated(t *testing.T) {
	for q, want := range map[string]bool{
		"Why not move it all back to Havana?":         true,
		"Why didn't Cuba expel them?":                 true,
		"¿Y por qué no trasladarlo todo a La Habana?": true,
		"Why did Cuba expel the ambassador?":          false,
		"¿Por qué expulsó Cuba al embajador?":         false,
	} {
		if got := Negated(q); got != want {
			t.Errorf("Negated(%q) = %v, want %v", q, got, want)
		}
	}
}

func TestPresupposedEvent(t *testing.T) {
	for q, want := range map[string]string{
		"Why did Cuba expel the US ambassador?":                               "expel",
		"¿Por qué expulsó Cuba al embajador?":                                 "expel",
		"¿Por qué fiesta envió Biden sus saludos?":                            "",
		"¿Por qué los funcionarios expresaron su apoyo al presidente electo?": "",
		"What did the delegations discuss?":                                   "",
		"Why does Washington back the action plans?":                          "",
	} {
		if got := PresupposedEventOf(q).Verb; got != want {
			t.Errorf("PresupposedEventOf(%q).Verb = %q, want %q", q, got, want)
		}
	}
}

func TestExclusion(t *testing.T) {
	tests := []struct {
		question, text string
		reported       bool
	}{
		{"Why was Finland left out of the ICE Pact?", "Finland, Canada and the United States signed the ICE Pact.", false},
		{"Why was Finland left out of the ICE Pact?", "The pact excludes Finland for now.", true},
		{"Why are China and Macau exempt from the tariff?", "The tariff applies to every buyer of Venezuelan oil.", false},
		{"Why are China and Macau exempt from the tariff?", "Goods from Macau are exempted from the tariff.", true},
		{"Why does the agreement leave out intelligence sharing?", "The agreement covers intelligence sharing and training.", false},
		{"Why does the agreement leave out intelligence sharing?", "Intelligence sharing is not included in the agreement.", true},
		{"Why did the delegation leave Kabul?", "The delegation left Kabul on Monday.", true}, // a departure: no exclusion read
	}
	for _, tt := range tests {
		e := PresupposedEventOf(tt.question)
		if got := e.ReportedIn(tt.text); got != tt.reported {
			t.Errorf("%q in %q: reported %v, want %v (event %+v)", tt.question, tt.text, got, tt.reported, e)
		}
	}
}
