package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// nameGroups lists words that name the same country or body: the country,
// its demonyms, its capital, and common agency acronyms with their long
// forms. A question in one form finds passages in another ("Cuban officials"
// → "Cuba"; "OFAC" → "Office of Foreign Assets Control"). Multi-word forms
// are written with spaces; all are folded.
//
// A trailing "*" marks a capital. A capital named as a place stands only for
// itself: a question about Cuba is answered by a passage from Havana, but a
// question about what happened in Havana needs a passage that names Havana
// (the retrieval package decides when a capital is named as a place). A
// seat of government that is no city ("Kremlin", "White House") names its
// government. A trailing "+" marks a form that names the group when a
// question names it, but is no variant to search for: "White House" is the
// United States government, but "United States" does not make a passage
// about the White House. Spellings of one name are joined by "|"
// ("kyiv|kiev*").
var nameGroups = [][]string{
	{"united states", "american", "americans", "u s+", "usa", "america+", "white house+", "washington*"},
	{"cuba", "cuban", "cubans", "havana*"},
	{"mexico", "mexican", "mexicans", "mexico city*"},
	{"canada", "canadian", "canadians", "ottawa*"},
	{"haiti", "haitian", "haitians", "port au prince*"},
	{"venezuela", "venezuelan", "venezuelans", "caracas*"},
	{"guatemala", "guatemalan", "guatemalans"},
	{"honduras", "honduran", "hondurans", "tegucigalpa*"},
	{"el salvador", "salvadoran", "salvadorans", "salvadorian"},
	{"nicaragua", "nicaraguan", "nicaraguans", "managua*"},
	{"colombia", "colombian", "colombians", "bogota*"},
	{"brazil", "brazilian", "brazilians", "brasilia*"},
	{"argentina", "argentine", "argentinian", "argentines", "buenos aires*"},
	{"chile", "chilean", "chileans", "santiago*"},
	{"ecuador", "ecuadorian", "ecuadorians", "quito*"},
	{"peru", "peruvian", "peruvians", "lima*"},
	{"panama", "panamanian", "panamanians"},
	{"bahamas", "bahamian", "bahamians", "nassau*"},
	{"dominican republic", "dominican", "dominicans", "santo domingo*"},
	{"jamaica", "jamaican", "jamaicans", "kingston*"},
	{"japan", "japanese", "tokyo*"},
	{"china", "chinese", "beijing*", "prc"},
	{"india", "indian", "indians", "new delhi*"},
	{"ukraine", "ukrainian", "ukrainians", "kyiv|kiev*"},
	{"russia", "russian", "russians", "moscow*", "kremlin"},
	{"united kingdom", "great britain", "british", "britain", "uk", "london*"},
	{"france", "french", "paris*"},
	{"germany", "german", "germans", "berlin*"},
	{"italy", "italian", "italians", "rome*"},
	{"spain", "spanish", "madrid*"},
	{"israel", "israeli", "israelis", "jerusalem*"},
	{"iran", "iranian", "iranians", "tehran*"},
	{"korea", "south korea", "korean", "koreans", "south korean", "south koreans", "seoul*"},
	{"philippines", "philippine", "filipino", "filipinos", "manila*"},
	{"vietnam", "vietnamese", "hanoi*"},
	{"australia", "australian", "australians", "canberra*"},
	{"taiwan", "taiwanese", "taipei*"},
	{"kenya", "kenyan", "kenyans", "nairobi*"},
	{"nigeria", "nigerian", "nigerians", "abuja*"},
	{"south africa", "south african", "pretoria*"},
	{"egypt", "egyptian", "egyptians", "cairo*"},
	{"saudi arabia", "saudi", "saudis", "riyadh*"},
	{"turkey", "turkish", "turkiye", "ankara*"},
	{"poland", "polish", "warsaw*"},
	{"indonesia", "indonesian", "jakarta*"},
	{"pakistan", "pakistani", "islamabad*"},
	{"afghanistan", "afghan", "afghans", "kabul*"},
	{"iraq", "iraqi", "baghdad*"},
	{"syria", "syrian", "damascus*"},
	{"qatar", "qatari", "doha*"},
	// Europe
	{"ireland", "irish", "dublin*"},
	{"netherlands", "dutch", "holland", "amsterdam*", "the hague*"},
	{"belgium", "belgian", "belgians"},
	{"luxembourg", "luxembourger"},
	{"switzerland", "swiss", "bern*"},
	{"austria", "austrian", "austrians", "vienna*"},
	{"greece", "greek", "greeks", "athens*"},
	{"portugal", "portuguese", "lisbon*"},
	{"sweden", "swedish", "swedes", "stockholm*"},
	{"norway", "norwegian", "norwegians", "oslo*"},
	{"denmark", "danish", "danes", "copenhagen*"},
	{"finland", "finnish", "finns", "helsinki*"},
	{"iceland", "icelandic", "reykjavik*"},
	{"estonia", "estonian", "estonians", "tallinn*"},
	{"latvia", "latvian", "latvians", "riga*"},
	{"lithuania", "lithuanian", "lithuanians", "vilnius*"},
	{"czech republic", "czechia", "czech", "prague*"},
	{"slovakia", "slovak", "bratislava*"},
	{"hungary", "hungarian", "hungarians", "budapest*"},
	{"romania", "romanian", "romanians", "bucharest*"},
	{"bulgaria", "bulgarian", "bulgarians"},
	{"serbia", "serbian", "serbians", "belgrade*"},
	{"croatia", "croatian", "croatians", "zagreb*"},
	{"slovenia", "slovenian", "ljubljana*"},
	{"bosnia", "bosnia and herzegovina", "bosnian", "sarajevo*"},
	{"montenegro", "montenegrin", "podgorica*"},
	{"north macedonia", "macedonia", "macedonian", "skopje*"},
	{"albania", "albanian", "albanians", "tirana*"},
	{"kosovo", "kosovar", "pristina*"},
	{"moldova", "moldovan", "chisinau*"},
	{"belarus", "belarusian", "belarusians", "minsk*"},
	{"malta", "maltese", "valletta*"},
	{"cyprus", "cypriot", "nicosia*"},
	{"andorra", "andorran"},
	{"liechtenstein"},
	{"monaco", "monegasque"},
	{"san marino", "sammarinese"},
	{"vatican", "vatican city", "holy see"},
	{"greenland", "greenlandic", "nuuk*"},
	// Caucasus and Central Asia
	{"armenia", "armenian", "armenians", "yerevan*"},
	{"azerbaijan", "azerbaijani", "azeri", "baku*"},
	{"kazakhstan", "kazakh", "astana*"},
	{"uzbekistan", "uzbek", "tashkent*"},
	{"turkmenistan", "turkmen", "ashgabat*"},
	{"kyrgyzstan", "kyrgyz", "bishkek*"},
	{"tajikistan", "tajik", "dushanbe*"},
	{"mongolia", "mongolian", "ulaanbaatar*"},
	// Middle East and North Africa
	{"jordan", "jordanian", "jordanians", "amman*"},
	{"lebanon", "lebanese", "beirut*"},
	{"bahrain", "bahraini", "manama*"},
	{"kuwait", "kuwaiti"},
	{"oman", "omani", "muscat*"},
	{"united arab emirates", "uae", "emirati", "emiratis", "abu dhabi*"},
	{"yemen", "yemeni", "sanaa*"},
	{"palestine", "palestinian", "palestinians", "ramallah*"},
	{"libya", "libyan", "tripoli*"},
	{"tunisia", "tunisian", "tunis*"},
	{"algeria", "algerian", "algiers*"},
	{"morocco", "moroccan", "rabat*"},
	{"sudan", "sudanese", "khartoum*"},
	{"south sudan", "south sudanese", "juba*"},
	// Sub-Saharan Africa
	{"ethiopia", "ethiopian", "ethiopians", "addis ababa*"},
	{"eritrea", "eritrean", "asmara*"},
	{"djibouti", "djiboutian"},
	{"somalia", "somali", "somalis", "mogadishu*"},
	{"uganda", "ugandan", "ugandans", "kampala*"},
	{"rwanda", "rwandan", "rwandans", "kigali*"},
	{"burundi", "burundian"},
	{"tanzania", "tanzanian", "dodoma*", "dar es salaam*"},
	{"zambia", "zambian", "lusaka*"},
	{"zimbabwe", "zimbabwean", "harare*"},
	{"malawi", "malawian", "lilongwe*"},
	{"mozambique", "mozambican", "maputo*"},
	{"botswana", "motswana", "gaborone*"},
	{"namibia", "namibian", "windhoek*"},
	{"lesotho", "basotho", "maseru*"},
	{"eswatini", "swaziland", "swazi"},
	{"madagascar", "malagasy", "antananarivo*"},
	{"mauritius", "mauritian"},
	{"angola", "angolan", "luanda*"},
	{"congo", "congolese", "kinshasa*", "brazzaville*", "drc"},
	{"gabon", "gabonese", "libreville*"},
	{"cameroon", "cameroonian", "yaounde*"},
	{"chad", "chadian", "ndjamena*"},
	{"niger", "nigerien", "niamey*"},
	{"ghana", "ghanaian", "ghanaians", "accra*"},
	{"togo", "togolese", "lome*"},
	{"benin", "beninese", "cotonou*"},
	{"burkina faso", "burkinabe", "ouagadougou*"},
	{"mali", "malian", "bamako*"},
	{"senegal", "senegalese", "dakar*"},
	{"gambia", "gambian", "banjul*"},
	{"guinea", "guinean", "conakry*"},
	{"sierra leone", "sierra leonean", "freetown*"},
	{"liberia", "liberian", "liberians", "monrovia*"},
	{"cote d ivoire", "ivory coast", "ivorian", "abidjan*"},
	{"mauritania", "mauritanian", "nouakchott*"},
	{"equatorial guinea", "equatoguinean", "malabo*"},
	{"guinea bissau", "bissau guinean", "bissau*"},
	{"central african republic", "bangui*"},
	{"sao tome and principe", "sao tome"},
	{"seychelles", "seychellois"},
	{"comoros", "comorian", "moroni*"},
	{"cabo verde", "cape verde", "cabo verdean"},
	// Asia and the Pacific
	{"bangladesh", "bangladeshi", "bangladeshis", "dhaka*"},
	{"sri lanka", "sri lankan", "colombo*"},
	{"nepal", "nepali", "nepalese", "kathmandu*"},
	{"bhutan", "bhutanese", "thimphu*"},
	{"maldives", "maldivian"},
	{"myanmar", "burma", "burmese", "naypyidaw*"},
	{"thailand", "thai", "bangkok*"},
	{"cambodia", "cambodian", "cambodians", "phnom penh*"},
	{"laos", "lao", "laotian", "vientiane*"},
	{"malaysia", "malaysian", "malaysians", "kuala lumpur*"},
	{"singapore", "singaporean", "singaporeans"},
	{"brunei"},
	{"timor leste", "east timor", "timorese", "dili*"},
	{"dprk", "north korea", "north korean", "north koreans", "pyongyang*"},
	{"new zealand", "aotearoa", "wellington*"},
	{"papua new guinea", "papua", "port moresby*"},
	{"fiji", "fijian", "suva*"},
	{"solomon islands", "honiara*"},
	{"vanuatu", "port vila*"},
	{"samoa", "samoan", "apia*"},
	{"tonga", "tongan"},
	{"palau", "palauan"},
	{"micronesia", "micronesian"},
	{"marshall islands", "marshallese"},
	{"kiribati"},
	{"tuvalu"},
	{"nauru"},
	// The Americas and the Caribbean
	{"bolivia", "bolivian", "bolivians", "la paz*"},
	{"paraguay", "paraguayan", "paraguayans", "asuncion*"},
	{"uruguay", "uruguayan", "uruguayans", "montevideo*"},
	{"suriname", "surinamese", "paramaribo*"},
	{"guyana", "guyanese"},
	{"belize", "belizean", "belmopan*"},
	{"costa rica", "costa rican", "san jose*"},
	{"trinidad and tobago", "trinidad", "trinidadian", "port of spain*"},
	{"barbados", "barbadian", "bridgetown*"},
	{"grenada", "grenadian"},
	{"saint lucia", "st lucia"},
	{"antigua and barbuda", "antigua"},
	{"dominica", "roseau*"},
	{"saint kitts and nevis", "st kitts and nevis", "basseterre*"},
	{"saint vincent and the grenadines", "kingstown*"},
	{"puerto rico", "puerto rican", "puerto ricans", "san juan*"},
	// Regions
	{"latin america", "latin american", "latin americans"},
	{"south america", "south american", "south americans"},
	{"central america", "central american", "central americans"},
	{"north america", "north american", "north americans"},
	{"caribbean"},
	{"africa", "african", "africans"},
	{"europe", "european", "europeans"},
	{"asia", "asian", "asians"},
	{"middle east"},
	// US institutions by their common and formal names.
	{"state department", "department of state"},
	{"pentagon", "department of defense", "defense department", "department of war", "war department"},
	{"treasury", "department of the treasury", "treasury department"},
	{"justice department", "department of justice", "doj"},
	{"congress", "house of representatives", "senate"},
	{"usaid", "agency for international development"},
	{"ofac", "office of foreign assets control"},
	{"dhs", "homeland security"},
	{"uscis", "citizenship and immigration services"},
	{"dfc", "development finance corporation"},
	{"tps", "temporary protected status"},
	{"oas", "organization of american states"},
	{"un", "united nations"},
	{"nato", "north atlantic treaty organization"},
	{"caricom", "caribbean community"},
	{"usmca", "united states mexico canada agreement"},
	{"cbp", "customs and border protection"},
	{"dea", "drug enforcement administration"},
	{"ustr", "trade representative"},
	{"nsc", "national security council"},
	{"potus", "president of the united states"},
	{"flotus", "first lady"},
	{"eu", "european union"},
}

// nameForm is one form of a group, folded.
type nameForm struct {
	group     int
	capital   bool
	matchOnly bool // names the group, but is not searched for
	people    bool // the plural of a demonym: the people of the group ("Cubans")

	// spellings are the other spellings of the same form ("kiev" for
	// "kyiv").
	spellings []string
}

// nameIndex maps every folded form of a group, single or multi-word (words
// joined by one space), to the group; maxNameWords is the most words a form
// has.
var nameIndex, maxNameWords = func() (map[string]nameForm, int) {
	m := map[string]nameForm{}
	longest := 1
	for i, g := range nameGroups {
		for _, entry := range g {
			capital := strings.HasSuffix(entry, "*")
			matchOnly := strings.HasSuffix(entry, "+")
			spellings := strings.Split(strings.TrimRight(entry, "*+"), "|")
			for _, w := range spellings {
				var others []string
				for _, o := range spellings {
					if o != w {
						others = append(others, o)
					}
				}
				m[w] = nameForm{group: i, capital: capital, matchOnly: matchOnly, spellings: others}
				longest = max(longest, len(strings.Fields(w)))
			}
		}
	}
	// A people is named by its demonym's plural ("Qataris", "Iraqis",
	// "Syrians"), whether the list gives it or only the adjective.
	for i, g := range nameGroups {
		for j, entry := range g {
			w := strings.TrimRight(entry, "*+")
			if j == 0 || w != entry || strings.ContainsAny(w, " |") || !(strings.HasSuffix(w, "an") || strings.HasSuffix(w, "i")) {
				continue
			}
			f, ok := m[w+"s"]
			if !ok {
				f = nameForm{group: i}
			}
			if f.group == i {
				f.people = true
				m[w+"s"] = f
			}
		}
	}
	return m, longest
}()

// groupForms returns the folded forms of group i; those that are not
// searched for only when all is set.
func groupForms(i int, all bool) []string {
	var out []string
	for _, entry := range nameGroups[i] {
		if !all && strings.HasSuffix(entry, "+") {
			continue
		}
		out = append(out, strings.Split(strings.TrimRight(entry, "*+"), "|")...)
	}
	return out
}

// NameVariants returns the other forms of a folded name (one word, or words
// joined by one space) that name the same thing, each as a list of words, or
// nil: for searching, a capital is one more name of its country.
func NameVariants(w string) [][]string { return variants(w, false) }

func variants(w string, all bool) [][]string {
	f, ok := nameIndex[w]
	if !ok {
		return nil
	}
	var out [][]string
	for _, v := range groupForms(f.group, all) {
		if v != w {
			out = append(out, strings.Fields(v))
		}
	}
	return out
}

// NameMatches returns the other forms of a folded name that a passage may
// hold to be about what the question names: every form of the group for a
// country, demonym or agency; only its other spellings for a capital (see
// nameGroups).
func NameMatches(w string) [][]string {
	f, ok := nameIndex[w]
	if !ok || !f.capital {
		return variants(w, true)
	}
	var out [][]string
	for _, v := range f.spellings {
		out = append(out, strings.Fields(v))
	}
	return out
}

// IsCapital reports whether a folded name is a capital or seat of
// government (which stands only for itself, see nameGroups).
func IsCapital(w string) bool { return nameIndex[w].capital }

// acronyms are the first forms written in capitals.
var acronyms = map[string]bool{"usaid": true, "ofac": true, "dhs": true, "tps": true, "oas": true, "un": true,
	"nato": true, "caricom": true, "usmca": true, "cbp": true, "dea": true, "ustr": true, "nsc": true,
	"potus": true, "flotus": true, "eu": true, "dprk": true, "uscis": true, "dfc": true}

// DisplayName returns a folded name as a reader writes it: the name of its
// group for a country, demonym or agency ("surinamese" → "Suriname", "ofac"
// → "OFAC"), the capital itself for a capital ("havana" → "Havana"), and
// other words capitalised.
func DisplayName(w string) string {
	name := w
	if f, ok := nameIndex[w]; ok && !f.capital {
		name = groupForms(f.group, false)[0]
	}
	if acronyms[name] {
		return strings.ToUpper(name)
	}
	words := strings.Fields(name)
	for j, v := range words {
		if v != "and" && v != "of" && v != "the" {
			words[j] = strings.ToUpper(v[:1]) + v[1:]
		}
	}
	return strings.Join(words, " ")
}

// NameGroup returns an identifier of the group a folded name belongs to, and
// whether it belongs to one to search for; forms of one group share it.
func NameGroup(w string) (int, bool) {
	f, ok := nameIndex[w]
	return f.group, ok && !f.matchOnly
}

// IsPeople reports whether a folded word names the people of a country,
// the plural of its demonym ("cubans", "qataris"), not the country itself
// ("honduras").
func IsPeople(w string) bool { return nameIndex[w].people }

// MentionGroup is NameGroup for a name as a question mentions it, forms
// that are not searched for included.
func MentionGroup(w string) (int, bool) {
	f, ok := nameIndex[w]
	return f.group, ok
}

// NameAt returns how many words, from words[i] on, form the longest known
// name to search for there (0 when none starts at i). Words are folded.
func NameAt(words []string, i int) int { return nameAt(words, i, false) }

// MentionAt is NameAt for a question's names as they must be matched: it
// also knows the forms that are not searched for ("White House").
func MentionAt(words []string, i int) int { return nameAt(words, i, true) }

func nameAt(words []string, i int, all bool) int {
	for n := min(maxNameWords, len(words)-i); n >= 1; n-- {
		if f, ok := nameIndex[strings.Join(words[i:i+n], " ")]; ok && (all || !f.matchOnly) {
			return n
		}
	}
	return 0
}

// initialsSkip are the short words a name's initials leave out ("Office of
// Foreign Assets Control" → OFAC, "Andrés Manuel López Obrador" → AMLO).
var initialsSkip = map[string]bool{"of": true, "and": true, "the": true, "for": true, "de": true,
	"del": true, "la": true, "y": true, "on": true}

// InitialsIn reports whether s writes out an acronym (folded, such as
// "amlo"): a run of capitalised words, short connecting words aside, whose
// initials spell it.
func InitialsIn(s, acronym string) bool {
	if len(acronym) < 2 {
		return false
	}
	var initials []byte // of the current run of capitalised words
	for _, t := range Tokens(s) {
		raw := s[t.Start:t.End]
		r := []rune(raw)
		switch {
		case unicode.IsUpper(r[0]) && t.Word != "" && t.Word[0] >= 'a' && t.Word[0] <= 'z':
			initials = append(initials, t.Word[0])
			if strings.Contains(string(initials), acronym) {
				return true
			}
		case initialsSkip[t.Word] && len(initials) > 0:
		default:
			initials = initials[:0]
		}
	}
	return false
}

// WrittenAsName reports whether s holds the folded word w (compared by
// Stem) written as a name: capitalised, and outside every place name it
// knows of several words. "Paz" names a person in "President Rodrigo Paz"
// but not in "La Paz"; "Watch" in "Human Rights Watch" is not matched by
// "we will watch closely".
func WrittenAsName(s, w string) bool {
	st := Stem(w)
	if !inLongName[st] && w != "" {
		// Most often the name is written as the question folds it.
		r, n := utf8.DecodeRuneInString(w)
		if strings.Contains(s, string(unicode.ToUpper(r))+w[n:]) {
			return true
		}
	}
	toks := Tokens(s)
	var words []string
	var inPlace []bool
	if inLongName[st] {
		words = make([]string, len(toks))
		for i, t := range toks {
			words[i] = t.Word
		}
		inPlace = make([]bool, len(words))
		for i := range words {
			if n := MentionAt(words, i); n > 1 {
				for j := i; j < i+n; j++ {
					inPlace[j] = true
				}
			}
		}
	}
	for i, t := range toks {
		if Stem(t.Word) != st || (inPlace != nil && inPlace[i]) {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(s[t.Start:]); unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// inLongName holds the stems of the words of the known names of several
// words ("la", "paz", "new", "york").
var inLongName = func() map[string]bool {
	m := map[string]bool{}
	for form := range nameIndex {
		if ws := strings.Fields(form); len(ws) > 1 {
			for _, w := range ws {
				m[Stem(w)] = true
			}
		}
	}
	return m
}()
