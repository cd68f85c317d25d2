package text

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"

	"attache/internal/dates"
)

// Family reduces a folded English word to the stem of its word family
// (Snowball's English stemmer): "continuous" and "continuously", "qualify"
// and "qualified" compare equal. It is stronger than Stem, which keeps
// word classes apart, and is meant for comparing a sentence with a
// question, not for indexing.
func Family(w string) string {
	return english.Stem(w, false)
}

// Ask is what a question asks for: the kind of detail (Type) and, for a
// count or an amount, what is counted or measured.
type Ask struct {
	Type Type
	// Of are the folded content words naming what a count or amount is of:
	// "immigrant visas" in "How many immigrant visas…", "money" in "How
	// much money…"; empty when the question does not say ("How much did
	// they pledge?").
	Of []string
	// Money: the amount asked for is money ("how much money", "what
	// budget", "how much funding"): only a sum of money answers it.
	Money bool
	// Share: the amount asked for is a percentage or proportion.
	Share bool
	// Head is the noun the interrogative determines when it names the
	// kind of detail ("city" in "In which city…", "ministers" in "Which
	// Ecuadorian ministers…"), folded; "" otherwise.
	Head string
	// Leads: the question asks who led, headed, chaired or commanded
	// something ("Who led Australia's delegation?").
	Leads bool
	// Rest: the question asks for the rest of a person's name it gives
	// one word of ("the last name of *Darlene*", "the first name of Dr.
	// *Lynch*"), which Head then holds, folded; First when the first name
	// is asked.
	Rest, First bool
	// Kind are the words of Of written in lower case before its noun, which
	// say what kind of it is counted ("manufacturing" in "How many
	// manufacturing jobs"): a sentence that counts the noun without them
	// counts another kind.
	Kind []string
}

// AskOf reads what a question asks for: its Type (AskedType) and, after
// "how many", "how much" or "what number/amount/budget of", the words
// naming what is counted or measured, up to the first function word or
// verb form (at most three words).
//
// The kind is read from the question as asked; in a question in another
// language than the articles' (Spanish), what a count or amount is of is
// read from its English rendering (EnglishQuery), since it must be matched
// in English passages.
func AskOf(question string) Ask {
	a := askOf(question)
	if Language(question) != "en" {
		en := askOf(EnglishQuery(question))
		a.Of = nil
		if en.Type == a.Type {
			a.Of = en.Of
		}
		a.Money, a.Share = a.Money || en.Money, a.Share || en.Share
		a.Kind = nil // the rendering keeps the words, not their order
		a.Head, a.Leads = "", false
		if en.Type == a.Type {
			a.Head, a.Leads = en.Head, en.Leads // matched in English passages
		}
	}
	return a
}

func askOf(question string) Ask {
	if name, first, ok := restOfName(question); ok {
		return Ask{Type: TypeName, Head: name, Rest: true, First: first}
	}
	var a Ask
	a.Type, a.Head = askedHead(question)
	words := Words(question)
	if a.Type == TypePerson {
		a.Leads = asksLeader(words, a.Head)
	}
	if a.Type == TypeNumber && listAsked(words) {
		// "How many categories …, and what are they?" asks for the list;
		// its length is the count. A passage that lists them answers it
		// whether or not it states the number.
		return Ask{Type: TypeNone}
	}
	if a.Type != TypeNumber && a.Type != TypeAmount {
		return a
	}
	if i := slices.Index(words, "how"); i >= 0 && i+1 < len(words) && words[i+1] == "old" {
		// "How old was he when…" asks for an age: a number of years
		// ("93 years old", "the 93-year-old", "at the age of 93"), not
		// any number the passage gives.
		a.Of = []string{"years", "age", "aged"} // see ageWords
		return a
	}
	for i := 0; i+1 < len(words); i++ {
		w, next := words[i], words[i+1]
		start := -1
		switch {
		case w == "how" && (next == "many" || next == "much"):
			start = i + 2
		case (w == "what" || w == "which") && measureAfter(words[i+1:]) > 0:
			// "What was the yearly value of…" asks as "what value of…".
			i += measureAfter(words[i+1:])
			next = words[i+1]
			fallthrough
		case (w == "what" || w == "which") && (next == "number" || numberNouns[next]):
			if moneyWords[next] {
				a.Money = true
			}
			if shareWords[next] {
				a.Share = true
			}
			start = i + 2
			for start < len(words) && (words[start] == "of" || words[start] == "the") {
				start++
			}
		case w == "cuantos" || w == "cuantas" || w == "cuanto" || w == "cuanta":
			start = i + 1
		}
		if start < 0 {
			continue
		}
		of, kind := countedPhrase(question, start)
		a.Kind = kind
		for _, x := range of {
			a.Of = append(a.Of, x)
			if moneyWords[x] {
				a.Money = true
			}
			if shareWords[x] {
				a.Share = true
			}
		}
		break
	}
	if shareWords[a.Head] && len(a.Of) == 0 {
		// "What federal cost share…": the noun asked for is a share,
		// whatever it is a share of.
		a.Share = true
		return a
	}
	for _, w := range words {
		if a.Type == TypeAmount && (moneyVerbs[w] || moneyVerbs[Family(w)]) {
			a.Money = true // "How much is Microsoft investing…"
		}
	}
	return a
}

// countedPhrase returns the words naming what a count or amount is of,
// read from the noun phrase that starts at its word start, up to the first
// function word, verb form or participle opening a clause: its words
// written in lower case (at most three) and the names describing them.
// A name in the phrase most often describes what is counted ("How many
// *Tren de Aragua* members", "How many *UH-60* helicopters", "How many
// *Boeing* jets"), and a passage may count the same things by the name
// with another noun ("103 Boeing aircraft"), so both are kept. A name in
// the plural is itself what is counted, and the phrase ends with it ("How
// many *Americans* live…", "How many *Afro-Cubans* actually get…"). A name
// may hold a joining word ("Tren *de* Aragua", "Asian American *and*
// Pacific Islander") and a number written on to it ("UH-60"). The U.S.
// describes what is counted and is left out, as it was when written in
// lower case ("how many us prosecutors").
func countedPhrase(question string, start int) (out, kind []string) {
	toks := Tokens(question)
	upper := func(j int) bool { return upperAt(question, toks[j]) }
	var lowers []string // the words in lower case since any possessive; the last is the noun counted
	lower := 0          // the words in lower case read
	known := true       // the phrase ended where its noun is known
phrase:
	for j := start; j < len(toks) && j < start+countedReach; j++ {
		x := toks[j].Word
		switch {
		case x == "us" && (j == start || upper(j)) || x == "u" && upper(j) || x == "s" && j > start && toks[j-1].Word == "u":
			continue // "US troops", "U.S. troops": the country, not what is counted
		case upper(j):
			out = append(out, x)
			if j+1 < len(toks) && !upper(j+1) && pluralName(question, toks[j]) {
				break phrase // "How many Americans live…"
			}
			continue
		case j > start && upper(j-1) && j+1 < len(toks) && upper(j+1) && (nameJoiners[x] || x == "de" || x == "del"):
			continue // "Tren de Aragua"
		case allDigits(x) && j > start && upper(j-1) && question[toks[j].Start-1] == '-':
			continue // "UH-60"
		}
		if !IsContent(x) || verbForms[x] || allDigits(x) {
			break
		}
		if len(out) > 0 && opensClause(x) {
			break // "Haitians *living* with HIV", "sites *used* by…", "participants *took* part": a clause begins
		}
		out = append(out, x)
		lowers = append(lowers, x)
		if rest := question[toks[j].End:]; strings.HasPrefix(rest, "'") || strings.HasPrefix(rest, "’") {
			lowers = nil // "allied countries' leaders": the words so far say whose, not what kind
		}
		if lower++; lower == 3 {
			if j+1 < len(toks) {
				n := toks[j+1].Word
				known = !IsContent(n) || upper(j+1) || verbForms[n] || opensClause(n) // else the phrase goes on
			}
			break
		}
	}
	if known {
		for _, w := range lowers[:max(len(lowers)-1, 0)] {
			if !countAdjectives[w] {
				kind = append(kind, w)
			}
		}
	}
	return out, kind
}

// pluralName reports whether a word of a name is written in the plural
// ("Americans", "Cubans"), not as an acronym ("US", "EVs").
func pluralName(question string, t Token) bool {
	raw := question[t.Start:t.End]
	return len(raw) > 3 && strings.HasSuffix(raw, "s") && !strings.HasSuffix(raw, "ss") && !capitals(raw[:len(raw)-1])
}

// opensClause reports whether a word after a noun opens a clause: a
// participle or a past ("living", "used", "took").
func opensClause(w string) bool {
	return strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing") || baseForm(w) != w
}

// countAdjectives say how many more, how new or how apart the things
// counted are, not what kind they are ("extra doses", "separate measures").
var countAdjectives = setOf(`extra additional new more separate different other total individual distinct
	further`)

// countedReach is how many words the phrase naming what is counted is
// read in: a name of a few words and the noun it describes ("Asian
// American and Pacific Islander service members").
const countedReach = 8

// measureAfter returns how many words after "what" stand before the noun
// of a measure it asks for ("was the yearly *value*", "is the total
// *cost*"): a copula and "the", then up to two describing words; 0 when
// none is found there or the noun follows "what" itself.
func measureAfter(rest []string) int {
	if len(rest) < 3 || !copulas[rest[0]] || rest[1] != "the" {
		return 0
	}
	for j := 2; j < len(rest) && j < 2+headReach; j++ {
		if numberNouns[rest[j]] {
			return j
		}
		if IsStopword(rest[j]) {
			return 0
		}
	}
	return 0
}

// verbForms end the words naming what a count is of ("How many visas
// *are*…", "How much money *was*…").
var verbForms = map[string]bool{"is": true, "are": true, "was": true, "were": true, "did": true,
	"do": true, "does": true, "has": true, "have": true, "had": true, "will": true, "would": true,
	"could": true, "can": true, "should": true, "been": true, "be": true}

// moneyWords name a sum of money; moneyVerbs ask for one when an amount is
// asked ("How much did the US *spend*…").
var (
	moneyWords = map[string]bool{"money": true, "funding": true, "funds": true, "fund": true,
		"budget": true, "cost": true, "costs": true, "price": true,
		"investment": true, "investments": true, "financing": true, "dollars": true, "loan": true,
		"loans": true, "grant": true, "grants": true, "value": true, "worth": true, "fee": true,
		"assets": true,
		"fees":   true, "dinero": true, "presupuesto": true,
		"costo": true, "precio": true, "inversion": true, "financiamiento": true,
		"dolares": true}
	moneyVerbs = map[string]bool{"spend": true, "spent": true, "pay": true, "paid": true,
		"invest": true, "invested": true, "budgeted": true, "cost": true, "fund": true,
		"funded": true, "donate": true, "donated": true, "gastar": true, "gasto": true,
		"pagar": true, "pago": true, "invertir": true, "invirtio": true,
		// Word families ("investing", "paying", "financed").
		"financ": true, "lend": true}
	shareWords = map[string]bool{"percentage": true, "percent": true, "proportion": true,
		"share": true, "rate": true, "rates": true, "porcentaje": true, "proporcion": true}
)

// currencyWords name a currency after an amount ("20 million dollars").
var currencyWords = map[string]bool{"dollars": true, "dollar": true, "usd": true, "euros": true,
	"euro": true, "pesos": true, "peso": true, "pounds": true, "yen": true, "dolares": true}

// ageWords say that a number is an age ("at the age of 93", "aged 93").
var ageWords = setOf(`age aged`)

// countWindow is how many words apart a number and the thing it counts may
// stand and still be read together: a number with its noun phrase ("20,000
// immigrant visas") or a noun with its verb and number ("visas rose to
// 20,000"), not a number of another clause.
const countWindow = 4

// peopleKinds name people by what they do or are, besides the person
// nouns an interrogative asks with: a count of people at large does not
// count them.
var peopleKinds = setOf(`doctors nurses teachers students soldiers troops police volunteers
	workers farmers children kids women girls boys refugees experts engineers scientists`)

// partitives stand between a number and the noun it counts ("hundreds
// *of* protesters", "five *of the most* urgent challenges", "$28 million
// *in* aid").
var partitives = setOf(`of the most in a for`)

// peopleNouns count people of any kind: "300,000 people" answers "how many
// Venezuelans", though not "how many Lebanese prisoners" (people of a
// kind the question names).
var peopleNouns = map[string]bool{"people": true, "persons": true, "individuals": true,
	"nationals": true, "citizens": true, "residents": true, "personas": true}

// HeldBy reports whether a sentence or passage holds what the question
// asks for: a detail of its Type (Holds) and, for a count or amount that
// says what it is of, a number standing by that thing ("20,000 immigrant
// visas" for "how many immigrant visas", not "18 months" or a count of
// something else); a sum of money when money is asked; a percentage when a
// share is.
func (a Ask) HeldBy(s, ref string, exclude map[string]bool) bool {
	switch a.Type {
	case TypePerson, TypePlace, TypeBody, TypeName:
		// Names are read from prose: a heading or a label in capitals
		// ("Pillar IV: Investing in Our People", "SENIOR ADMINISTRATION
		// OFFICIAL:") capitalises words that name nobody and nowhere.
		if s = Prose(s); s == "" {
			return false
		}
	}
	switch a.Type {
	case TypeNumber, TypeAmount:
	case TypePlace:
		return holdsPlace(s, exclude, placeKind(a.Head))
	case TypeName:
		if a.Rest {
			return holdsRestOfName(s, a.Head, a.First, exclude)
		}
		return holdsNameOf(s, a.Head, exclude)
	case TypeDate:
		if dayNouns[a.Head] {
			// "On what date…", "Which day…": a day, not its month or year.
			for _, m := range Dates(s, ref) {
				if len(m.Date) == len("2006-01-02") {
					return true
				}
			}
			return false
		}
		return Holds(a.Type, s, ref, exclude)
	case TypePerson:
		switch {
		case a.Leads:
			return holdsLeader(s, exclude) // who led is told where it says someone led
		case boundRoles[a.Head]:
			return holdsRole(s, a.Head, exclude)
		case a.Head == "whose":
			// "Whose core conventions…": a person's or an organisation's.
			return holdsBody(s, exclude) || Holds(a.Type, s, ref, exclude)
		case a.Head == "":
			// A plain "who" may be answered by a people ("Who did Biden
			// send condolences to?" — the people of Haiti).
			return holdsPeopleNamed(s, exclude) || Holds(a.Type, s, ref, exclude)
		default:
			// "Which officials…", "What is the name of the official…":
			// people asked for by a noun are answered by their names,
			// not by a title or a role standing alone.
			return holdsPersonName(s, exclude) || holdsAgent(s, exclude)
		}
	default:
		return Holds(a.Type, s, ref, exclude)
	}
	if a.Type == TypeNumber && timeCount(s, a.Of, exclude) {
		return true
	}
	if !Holds(a.Type, s, ref, exclude) {
		return false
	}
	// A number the question itself states ("How much of the $61
	// billion…") is not its answer.
	toks := Tokens(s)
	var nums []int
	for _, i := range numberTokens(s, ref, toks, a.Type == TypeAmount) {
		w := toks[i].Word
		stated := exclude[w] && (allDigits(w) || i > 0 && exclude[toks[i-1].Word] && allDigits(toks[i-1].Word)) // "61", "billion" of "$61 billion"
		if !stated {
			nums = append(nums, i)
		}
	}
	if len(nums) == 0 {
		return false
	}
	if a.Share {
		return strings.ContainsRune(s, '%') || containsWord(s, "percent") || containsWord(s, "por ciento")
	}
	if a.Money {
		return holdsMoney(s, exclude)
	}
	if len(a.Of) == 0 {
		return true
	}
	of := map[string]bool{}
	people := true  // what is counted is people of any kind
	anyone := false // what is counted is "people" at large
	for _, w := range a.Of {
		of[Family(w)] = true
		if (IsPersonNoun(w) || peopleKinds[w]) && !peopleNouns[w] && !IsPeople(w) {
			// "prisoners", "ministers", "doctors": people of one kind; a
			// nation's people ("Americans") are counted as people.
			people = false
		}
		if durationUnits[w] || ageWords[w] {
			people = false // years or an age are never a count of people
		}
		anyone = anyone || peopleNouns[w]
	}
	for _, i := range nums {
		if i+1 < len(toks) && durationUnits[toks[i+1].Word] && !of[Family(toks[i+1].Word)] {
			continue // "18 months": a length of time, not a count of the thing asked
		}
		for j := max(0, i-countWindow); j < i; j++ {
			if of[Family(toks[j].Word)] && !upperAt(s, toks[j]) {
				return true // "visas rose to 20,000" (not "the United States, 20…")
			}
		}
		// After the number, its noun phrase: up to the first function
		// word or punctuation after its first word ("7,000 islands and
		// growing vessel traffic" counts islands, not vessels). Before
		// that word, a partitive or a measure may stand ("hundreds of
		// protesters", "five of the most urgent challenges", "$28
		// million in food aid").
		worded := false
		for j := i + 1; j < len(toks) && j <= i+countWindow; j++ {
			w := toks[j].Word
			if strings.ContainsAny(s[toks[j-1].End:toks[j].Start], ",;:()") {
				break
			}
			if of[Family(w)] || people && peopleNouns[w] || anyone && people && peopleWord(w) {
				return true // "eight Americans" and "100 workers" are counts of people
			}
			if upperAt(s, toks[j]) {
				worded = true
				continue // "5,000 U.S. troops", "10 Medicare Part D drugs": a name describes the noun
			}
			if IsStopword(w) && !magnitudes[w] {
				if worded || !partitives[w] {
					break
				}
				continue
			}
			worded = worded || !magnitudes[w]
		}
	}
	return false
}

// timeCount reports whether a sentence counts the units of time a question
// counts ("how many years"): a number right before one of them ("106 years
// ago", "for 18 months"), though a date reader takes "106 years ago" for a
// date.
func timeCount(s string, of []string, exclude map[string]bool) bool {
	units := map[string]bool{}
	for _, w := range of {
		if durationUnits[w] {
			units[Family(w)] = true
		}
	}
	if len(units) == 0 {
		return false
	}
	words := Words(s)
	for i := 1; i < len(words); i++ {
		p := words[i-1]
		if units[Family(words[i])] && (allDigits(p) || numberWords[p]) && !exclude[p] {
			return true
		}
	}
	return false
}

// peopleWord reports whether a folded noun counts people: a noun of
// people of any kind or by what they do or are, or the plural of a
// demonym ("Americans", "Venezuelans").
func peopleWord(w string) bool {
	return peopleNouns[w] || IsPersonNoun(w) || peopleKinds[w] || IsPeople(w)
}

func containsWord(s, w string) bool {
	return strings.Contains(" "+strings.Join(Words(s), " ")+" ", " "+w+" ")
}

// holdsMoney: a currency sign before digits ("$25 million", "€3"), or a
// number followed by a currency word ("20 million dollars").
func holdsMoney(s string, exclude map[string]bool) bool {
	for i, r := range s {
		if r == '$' || r == '€' || r == '£' {
			rest := strings.TrimLeft(s[i+utf8.RuneLen(r):], " ")
			if d, _ := utf8.DecodeRuneInString(rest); unicode.IsDigit(d) {
				if ws := Words(rest); len(ws) > 0 && exclude[ws[0]] {
					continue // the sum the question states
				}
				return true
			}
		}
	}
	toks := Tokens(s)
	for i := 1; i < len(toks); i++ {
		if !currencyWords[toks[i].Word] {
			continue
		}
		for j := max(0, i-3); j < i; j++ {
			w := toks[j].Word
			if (allDigits(w) && !exclude[w]) || magnitudes[w] || numberWords[w] {
				return true
			}
		}
	}
	return false
}

// numberTokens returns the indexes in toks of the numbers of s that count
// or measure something, as holdsNumber reads them.
func numberTokens(s, ref string, toks []Token, amount bool) []int {
	inDate := make([]bool, len(s)+1)
	for _, m := range dates.Find(s, ref) {
		for i := m.Start; i < m.End; i++ {
			inDate[i] = true
		}
	}
	var out []int
	for i := range toks {
		if isNumberAt(s, toks, i, inDate, amount) {
			out = append(out, i)
		}
	}
	return out
}

// listAsked reports whether a question goes on to ask for the members of
// what it counts: "and" and an interrogative, then a word that refers to
// them ("…, and which are they?", "…, and who were they?", "…, and what
// were their names?").
func listAsked(words []string) bool {
	for i := 0; i+2 < len(words); i++ {
		if words[i] != "and" || !interrogatives[words[i+1]] {
			continue
		}
		for _, w := range words[i+2 : min(i+5, len(words))] {
			if memberWords[w] {
				return true
			}
		}
	}
	return false
}

// memberWords refer back to what a question counted.
var memberWords = setOf(`they them their ones`)

// dayNouns ask for a day when an interrogative determines them.
var dayNouns = setOf(`date day fecha dia`)

// asksLeader reports whether a question asks who led something: a verb of
// leading right after "who" or the person noun it asks for, past an
// auxiliary ("Who *led*…", "Who will *chair*…", "Which official *headed*…").
func asksLeader(words []string, head string) bool {
	for i, w := range words {
		if w != "who" && (head == "" || w != head) {
			continue
		}
		j := i + 1
		for j < len(words) && (subjectAuxiliaries[words[j]] || words[j] == "been") {
			j++
		}
		return j < len(words) && leadVerbs[words[j]]
	}
	return false
}

// holdsLeader reports whether a sentence names someone as leading: a word
// of leading and a person's name (not a title alone, and not one the
// question writes): "A delegation led by Craig Kelly", "Kelly Loeffler,
// Administrator of the Small Business Administration, will lead the
// delegation". "Led by the Department of Commerce" names no leader, nor
// does "the Vice President" elsewhere in the sentence.
func holdsLeader(s string, exclude map[string]bool) bool {
	for _, w := range Words(s) {
		if leadWords[w] {
			return holdsPersonName(s, exclude)
		}
	}
	return false
}

var (
	// subjectAuxiliaries may stand between "who" and the verb of a
	// question asking for its subject ("Who *was* named", "Who *will*
	// chair").
	subjectAuxiliaries = setOf(`was were is are has have had will would could can`)
	// leadVerbs ask who led; leadWords say who did ("led by", "the head
	// of", "co-chaired", "commander").
	leadVerbs = setOf(`lead led leads leading head heads headed heading chair chairs chaired
		chairing command commands commanded commanding run runs ran running direct directs
		directed directing preside presides presided presiding moderate moderates moderated
		moderating host hosts hosted hosting`)
	leadWords = union(leadVerbs, setOf(`leader leaders leadership chairman chairwoman chairperson
		cochair cochairs cochaired co commander director helm helmed conduct conducts conducted
		conducting oversee oversees oversaw overseen spearhead spearheads spearheaded steer steers
		steered manage manages managed manager convene convenes convened moderator`))
)

// boundRoles are the offices and standings a question may ask people by
// ("Which Ecuadorian ministers…", "Which US prosecutor…") that articles
// write next to the names of the people who hold them ("Foreign Minister
// Juan Carlos Holguín", "Ambassador X", "the dissident Y"). Words that name
// people of any office ("officials", "leaders", "members") are not among
// them: articles name such people by their own titles.
var boundRoles = setOf(`minister ministers prosecutor prosecutors ambassador ambassadors senator
	senators governor governors mayor mayors judge judges commander commanders envoy envoys
	secretary secretaries spokesperson spokesman spokeswoman chancellor king queen director
	directors commissioner commissioners president presidents premier`)

// roleReach is how many words from a role its holder's name may stand:
// a title and the name it precedes ("Foreign Minister Juan Carlos
// Holguín", "Secretary of Homeland Security Alejandro Mayorkas", and the
// longest titles of state, "President of the Republic of Indonesia,
// Prabowo Subianto", "Secretary of State for Defence Grant Shapps"), or a
// name and the apposition after it ("Holguín, Ecuador's foreign
// minister").
const roleReach = 8

// compoundTitles make another office of the role after them ("prime
// minister", "vice president").
var compoundTitles = setOf(`prime vice`)

// holdsRole reports whether a sentence names a person in the role a
// question asks for: a form of the role (same word family) with, within
// roleReach words, a person's name the question does not write (as
// holdsPerson reads names). The role alone ("the ministers") does not
// say which people hold it.
func holdsRole(s, role string, exclude map[string]bool) bool {
	fam := Family(role)
	toks := Tokens(s)
	for r, tok := range toks {
		if Family(tok.Word) != fam {
			continue
		}
		if r > 0 && compoundTitles[toks[r-1].Word] && !exclude[toks[r-1].Word] {
			continue // "Prime Minister" is another office than a minister
		}
		from, to := max(0, r-roleReach), min(len(toks), r+roleReach+1)
		for to < len(toks) && upperAt(s, toks[to-1]) && upperAt(s, toks[to]) && adjacent(s[toks[to-1].End:toks[to].Start]) {
			to++ // a name begun within reach ends where it ends ("…Technology Policy Onoda *Kimi*")
		}
		if holdsNamedPerson(s[toks[from].Start:toks[to-1].End], exclude) {
			return true
		}
	}
	return false
}

// restOfName reads a question asking for the rest of a name it gives one
// word of: "What is the last name of Darlene, the…", "the full name of
// Teresa", "the first name of Dr. Lynch". It returns that word, folded,
// and whether the first name is asked.
func restOfName(question string) (string, bool, bool) {
	toks := Tokens(question)
	for i := 0; i+1 < len(toks); i++ {
		kind := toks[i].Word
		var j int // the token after "name of"
		switch {
		case nameParts[kind] && i+2 < len(toks) && (toks[i+1].Word == "name" || toks[i+1].Word == "names") && toks[i+2].Word == "of":
			j = i + 3
		case kind == "surname" && toks[i+1].Word == "of":
			j = i + 2
		default:
			continue
		}
		for j < len(toks) && (IsTitle(toks[j].Word) || toks[j].Word == "the" && j+1 < len(toks) && strings.ContainsAny(question[toks[j].End:toks[j+1].Start], quoteMarks)) {
			j++ // "Dr.", "Ms.", "the 'Patty'"
		}
		if j >= len(toks) || !upperAt(question, toks[j]) {
			return "", false, false
		}
		// The name stands alone: punctuation or a relative pronoun
		// follows it ("Darlene, the…", "the 'Patty' whom…"), not another
		// name or the noun it describes ("the Colombian president").
		if j+1 < len(toks) && !strings.ContainsAny(question[toks[j].End:toks[j+1].Start], ",;:()"+quoteMarks) && !relativeWords[toks[j+1].Word] {
			return "", false, false
		}
		return toks[j].Word, kind == "first", true
	}
	return "", false, false
}

// quoteMarks set a name apart ("the 'Patty' whom…").
const quoteMarks = "'\"‘’“”"

// relativeWords may follow a name standing alone.
var relativeWords = setOf(`who whom whose`)

// nameParts name the part of a person's name asked for.
var nameParts = setOf(`last first full family`)

// holdsRestOfName reports whether a sentence writes a person's name
// with the word the question gives and the part it asks for: a name word
// right after it for a last or full name ("Darlene *Lombos*"), right
// before it for a first name ("Dr. *Kathleen* Lynch"), one the question
// does not write.
func holdsRestOfName(s, given string, first bool, exclude map[string]bool) bool {
	toks := Tokens(s)
	for i, t := range toks {
		if t.Word != given || !upperAt(s, t) {
			continue
		}
		k := i + 1
		if first {
			k = i - 1
		}
		if k < 0 || k >= len(toks) || !upperAt(s, toks[k]) || exclude[toks[k].Word] || IsTitle(toks[k].Word) || IsStopword(toks[k].Word) {
			continue
		}
		lo, hi := min(toks[k].End, t.End), max(toks[k].Start, t.Start)
		if gap := s[lo:hi]; strings.Trim(gap, " .") == "" && !strings.Contains(gap, ". ") {
			return true // only a space, or an initial's stop, between them
		}
	}
	return false
}
