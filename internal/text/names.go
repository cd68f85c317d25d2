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

// NameGroup returns an identifier of the group a folded word belongs to, and
// whether it belongs to one; words of one group share it.
func NameGroup(w string) (int, bool) {
	i, ok := nameIndex[w]
	return i, ok
}
