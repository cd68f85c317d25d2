package text

import "strings"

// nameGroups lists words that name the same country or body: the country,
// its demonyms, its capital, and common agency acronyms with their long
// forms. A question in one form finds passages in another ("Cuban officials"
// → "Cuba"; "Havana" → "Cuba"; "OFAC" → "Office of Foreign Assets
// Control"). Multi-word forms are written with spaces; all are folded.
var nameGroups = [][]string{
	{"united states", "american", "americans", "washington"},
	{"cuba", "cuban", "cubans", "havana"},
	{"mexico", "mexican", "mexicans"},
	{"canada", "canadian", "canadians", "ottawa"},
	{"haiti", "haitian", "haitians", "port au prince"},
	{"venezuela", "venezuelan", "venezuelans", "caracas"},
	{"guatemala", "guatemalan", "guatemalans"},
	{"honduras", "honduran", "hondurans", "tegucigalpa"},
	{"el salvador", "salvadoran", "salvadorans", "salvadorian"},
	{"nicaragua", "nicaraguan", "nicaraguans", "managua"},
	{"colombia", "colombian", "colombians", "bogota"},
	{"brazil", "brazilian", "brazilians", "brasilia"},
	{"argentina", "argentine", "argentinian", "argentines", "buenos aires"},
	{"chile", "chilean", "chileans", "santiago"},
	{"ecuador", "ecuadorian", "ecuadorians", "quito"},
	{"peru", "peruvian", "peruvians", "lima"},
	{"panama", "panamanian", "panamanians"},
	{"bahamas", "bahamian", "bahamians", "nassau"},
	{"dominican republic", "dominican", "dominicans", "santo domingo"},
	{"jamaica", "jamaican", "jamaicans", "kingston"},
	{"japan", "japanese", "tokyo"},
	{"china", "chinese", "beijing", "prc"},
	{"india", "indian", "indians", "new delhi"},
	{"ukraine", "ukrainian", "ukrainians", "kyiv", "kiev"},
	{"russia", "russian", "russians", "moscow", "kremlin"},
	{"united kingdom", "british", "britain", "uk", "london"},
	{"france", "french", "paris"},
	{"germany", "german", "germans", "berlin"},
	{"italy", "italian", "italians", "rome"},
	{"spain", "spanish", "madrid"},
	{"israel", "israeli", "israelis", "jerusalem"},
	{"iran", "iranian", "iranians", "tehran"},
	{"korea", "korean", "koreans", "seoul"},
	{"philippines", "philippine", "filipino", "filipinos", "manila"},
	{"vietnam", "vietnamese", "hanoi"},
	{"australia", "australian", "australians", "canberra"},
	{"taiwan", "taiwanese", "taipei"},
	{"kenya", "kenyan", "kenyans", "nairobi"},
	{"nigeria", "nigerian", "nigerians", "abuja"},
	{"south africa", "south african", "pretoria"},
	{"egypt", "egyptian", "egyptians", "cairo"},
	{"saudi arabia", "saudi", "saudis", "riyadh"},
	{"turkey", "turkish", "turkiye", "ankara"},
	{"poland", "polish", "warsaw"},
	{"indonesia", "indonesian", "jakarta"},
	{"pakistan", "pakistani", "islamabad"},
	{"afghanistan", "afghan", "afghans", "kabul"},
	{"iraq", "iraqi", "baghdad"},
	{"syria", "syrian", "damascus"},
	{"qatar", "qatari", "doha"},
	// Europe
	{"ireland", "irish", "dublin"},
	{"netherlands", "dutch", "holland", "amsterdam", "the hague"},
	{"belgium", "belgian", "belgians"},
	{"luxembourg", "luxembourger"},
	{"switzerland", "swiss", "bern"},
	{"austria", "austrian", "austrians", "vienna"},
	{"greece", "greek", "greeks", "athens"},
	{"portugal", "portuguese", "lisbon"},
	{"sweden", "swedish", "swedes", "stockholm"},
	{"norway", "norwegian", "norwegians", "oslo"},
	{"denmark", "danish", "danes", "copenhagen"},
	{"finland", "finnish", "helsinki"},
	{"iceland", "icelandic", "reykjavik"},
	{"estonia", "estonian", "estonians", "tallinn"},
	{"latvia", "latvian", "latvians", "riga"},
	{"lithuania", "lithuanian", "lithuanians", "vilnius"},
	{"czech republic", "czechia", "czech", "prague"},
	{"slovakia", "slovak", "bratislava"},
	{"hungary", "hungarian", "hungarians", "budapest"},
	{"romania", "romanian", "romanians", "bucharest"},
	{"bulgaria", "bulgarian", "bulgarians"},
	{"serbia", "serbian", "serbians", "belgrade"},
	{"croatia", "croatian", "croatians", "zagreb"},
	{"slovenia", "slovenian", "ljubljana"},
	{"bosnia", "bosnian", "sarajevo"},
	{"montenegro", "montenegrin", "podgorica"},
	{"north macedonia", "macedonia", "macedonian", "skopje"},
	{"albania", "albanian", "albanians", "tirana"},
	{"kosovo", "kosovar", "pristina"},
	{"moldova", "moldovan", "chisinau"},
	{"belarus", "belarusian", "belarusians", "minsk"},
	{"malta", "maltese", "valletta"},
	{"cyprus", "cypriot", "nicosia"},
	{"andorra", "andorran"},
	{"liechtenstein"},
	{"monaco", "monegasque"},
	{"vatican", "holy see"},
	{"greenland", "greenlandic", "nuuk"},
	// Caucasus and Central Asia
	{"armenia", "armenian", "armenians", "yerevan"},
	{"azerbaijan", "azerbaijani", "azeri", "baku"},
	{"kazakhstan", "kazakh", "astana"},
	{"uzbekistan", "uzbek", "tashkent"},
	{"turkmenistan", "turkmen", "ashgabat"},
	{"kyrgyzstan", "kyrgyz", "bishkek"},
	{"tajikistan", "tajik", "dushanbe"},
	{"mongolia", "mongolian", "ulaanbaatar"},
	// Middle East and North Africa
	{"jordan", "jordanian", "jordanians", "amman"},
	{"lebanon", "lebanese", "beirut"},
	{"bahrain", "bahraini", "manama"},
	{"kuwait", "kuwaiti"},
	{"oman", "omani", "muscat"},
	{"united arab emirates", "uae", "emirati", "emiratis", "abu dhabi"},
	{"yemen", "yemeni", "sanaa"},
	{"palestine", "palestinian", "palestinians", "ramallah"},
	{"libya", "libyan", "tripoli"},
	{"tunisia", "tunisian", "tunis"},
	{"algeria", "algerian", "algiers"},
	{"morocco", "moroccan", "rabat"},
	{"sudan", "sudanese", "khartoum"},
	{"south sudan", "south sudanese", "juba"},
	// Sub-Saharan Africa
	{"ethiopia", "ethiopian", "ethiopians", "addis ababa"},
	{"eritrea", "eritrean", "asmara"},
	{"djibouti", "djiboutian"},
	{"somalia", "somali", "somalis", "mogadishu"},
	{"uganda", "ugandan", "ugandans", "kampala"},
	{"rwanda", "rwandan", "rwandans", "kigali"},
	{"burundi", "burundian"},
	{"tanzania", "tanzanian", "dodoma", "dar es salaam"},
	{"zambia", "zambian", "lusaka"},
	{"zimbabwe", "zimbabwean", "harare"},
	{"malawi", "malawian", "lilongwe"},
	{"mozambique", "mozambican", "maputo"},
	{"botswana", "motswana", "gaborone"},
	{"namibia", "namibian", "windhoek"},
	{"lesotho", "basotho", "maseru"},
	{"eswatini", "swaziland", "swazi"},
	{"madagascar", "malagasy", "antananarivo"},
	{"mauritius", "mauritian"},
	{"angola", "angolan", "luanda"},
	{"congo", "congolese", "kinshasa", "brazzaville", "drc"},
	{"gabon", "gabonese", "libreville"},
	{"cameroon", "cameroonian", "yaounde"},
	{"chad", "chadian", "ndjamena"},
	{"niger", "nigerien", "niamey"},
	{"ghana", "ghanaian", "ghanaians", "accra"},
	{"togo", "togolese", "lome"},
	{"benin", "beninese", "cotonou"},
	{"burkina faso", "burkinabe", "ouagadougou"},
	{"mali", "malian", "bamako"},
	{"senegal", "senegalese", "dakar"},
	{"gambia", "gambian", "banjul"},
	{"guinea", "guinean", "conakry"},
	{"sierra leone", "sierra leonean", "freetown"},
	{"liberia", "liberian", "liberians", "monrovia"},
	{"cote d ivoire", "ivory coast", "ivorian", "abidjan"},
	{"mauritania", "mauritanian", "nouakchott"},
	{"cabo verde", "cape verde", "cabo verdean"},
	// Asia and the Pacific
	{"bangladesh", "bangladeshi", "bangladeshis", "dhaka"},
	{"sri lanka", "sri lankan", "colombo"},
	{"nepal", "nepali", "nepalese", "kathmandu"},
	{"bhutan", "bhutanese", "thimphu"},
	{"maldives", "maldivian"},
	{"myanmar", "burma", "burmese", "naypyidaw"},
	{"thailand", "thai", "bangkok"},
	{"cambodia", "cambodian", "cambodians", "phnom penh"},
	{"laos", "lao", "laotian", "vientiane"},
	{"malaysia", "malaysian", "malaysians", "kuala lumpur"},
	{"singapore", "singaporean", "singaporeans"},
	{"brunei"},
	{"timor leste", "east timor", "timorese", "dili"},
	{"dprk", "pyongyang"},
	{"new zealand", "aotearoa", "wellington"},
	{"papua new guinea", "papua", "port moresby"},
	{"fiji", "fijian", "suva"},
	{"solomon islands", "honiara"},
	{"vanuatu", "port vila"},
	{"samoa", "samoan", "apia"},
	{"tonga", "tongan"},
	{"palau", "palauan"},
	{"micronesia", "micronesian"},
	{"marshall islands", "marshallese"},
	{"kiribati"},
	{"tuvalu"},
	{"nauru"},
	// The Americas and the Caribbean
	{"bolivia", "bolivian", "bolivians", "la paz"},
	{"paraguay", "paraguayan", "paraguayans", "asuncion"},
	{"uruguay", "uruguayan", "uruguayans", "montevideo"},
	{"suriname", "surinamese", "paramaribo"},
	{"guyana", "guyanese"},
	{"belize", "belizean", "belmopan"},
	{"costa rica", "costa rican", "san jose"},
	{"trinidad and tobago", "trinidad", "trinidadian", "port of spain"},
	{"barbados", "barbadian", "bridgetown"},
	{"grenada", "grenadian"},
	{"saint lucia", "st lucia"},
	{"antigua and barbuda", "antigua"},
	{"usaid", "agency for international development"},
	{"ofac", "office of foreign assets control"},
	{"dhs", "homeland security"},
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

// nameIndex maps each single folded word of a group to the group.
var nameIndex = func() map[string]int {
	m := map[string]int{}
	for i, g := range nameGroups {
		for _, w := range g {
			if !strings.Contains(w, " ") {
				m[w] = i
			}
		}
	}
	return m
}()

// NameVariants returns the other forms of a folded word that names a
// country, capital or agency, each as a list of words (a multi-word form
// such as "foreign assets control" gives several), or nil.
func NameVariants(w string) [][]string {
	i, ok := nameIndex[w]
	if !ok {
		return nil
	}
	var out [][]string
	for _, v := range nameGroups[i] {
		if v != w {
			out = append(out, strings.Fields(v))
		}
	}
	return out
}

// acronyms are the first forms written in capitals.
var acronyms = map[string]bool{"usaid": true, "ofac": true, "dhs": true, "tps": true, "oas": true, "un": true,
	"nato": true, "caricom": true, "usmca": true, "cbp": true, "dea": true, "ustr": true, "nsc": true,
	"potus": true, "flotus": true, "eu": true, "dprk": true}

// DisplayName returns the name of the group a folded word belongs to as a
// reader writes it ("surinamese" → "Suriname", "ofac" → "OFAC"), or the
// word itself when it belongs to none.
func DisplayName(w string) string {
	i, ok := nameIndex[w]
	if !ok {
		return w
	}
	name := nameGroups[i][0]
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

// NameGroup returns an identifier of the group a folded word belongs to, and
// whether it belongs to one; words of one group share it.
func NameGroup(w string) (int, bool) {
	i, ok := nameIndex[w]
	return i, ok
}
