package eval

// The kinds of names the question generator swaps. Each entry lists a name's
// forms by grammatical role, so that a swap keeps the sentence well formed:
// a country noun for a country noun, an adjective for an adjective. The lists
// are broad on purpose: a replacement is used only when the corpus mentions
// none of its forms, so most of them are never used on any one corpus.

// country is a country's forms; an empty form is one the country lacks.
type country struct {
	noun, adj, people, capital string
}

// forms lists the country's forms in the order of roles.
func (c country) forms() [4]string { return [4]string{c.noun, c.adj, c.people, c.capital} }

// countries lists the countries a question may name and their replacements.
// The United States is absent: it is a party to nearly every article of a
// corpus on its bilateral relations, so the informative change is to the
// other party.
var countries = []country{
	{"Cuba", "Cuban", "Cubans", "Havana"},
	{"Mexico", "Mexican", "Mexicans", "Mexico City"},
	{"Canada", "Canadian", "Canadians", "Ottawa"},
	{"Haiti", "Haitian", "Haitians", "Port-au-Prince"},
	{"Venezuela", "Venezuelan", "Venezuelans", "Caracas"},
	{"Guatemala", "Guatemalan", "Guatemalans", "Guatemala City"},
	{"Honduras", "Honduran", "Hondurans", "Tegucigalpa"},
	{"El Salvador", "Salvadoran", "Salvadorans", "San Salvador"},
	{"Nicaragua", "Nicaraguan", "Nicaraguans", "Managua"},
	{"Costa Rica", "Costa Rican", "Costa Ricans", "San José"},
	{"Panama", "Panamanian", "Panamanians", "Panama City"},
	{"Colombia", "Colombian", "Colombians", "Bogotá"},
	{"Ecuador", "Ecuadorian", "Ecuadorians", "Quito"},
	{"Peru", "Peruvian", "Peruvians", "Lima"},
	{"Bolivia", "Bolivian", "Bolivians", "La Paz"},
	{"Paraguay", "Paraguayan", "Paraguayans", "Asunción"},
	{"Uruguay", "Uruguayan", "Uruguayans", "Montevideo"},
	{"Chile", "Chilean", "Chileans", "Santiago"},
	{"Argentina", "Argentine", "Argentines", "Buenos Aires"},
	{"Brazil", "Brazilian", "Brazilians", "Brasília"},
	{"Guyana", "Guyanese", "", "Georgetown"},
	{"Suriname", "Surinamese", "", "Paramaribo"},
	{"Belize", "Belizean", "Belizeans", "Belmopan"},
	{"Jamaica", "Jamaican", "Jamaicans", "Kingston"},
	{"the Bahamas", "Bahamian", "Bahamians", "Nassau"},
	{"the Dominican Republic", "Dominican", "Dominicans", "Santo Domingo"},
	{"Barbados", "Barbadian", "Barbadians", "Bridgetown"},
	{"Trinidad and Tobago", "Trinidadian", "Trinidadians", "Port of Spain"},
	{"Japan", "Japanese", "", "Tokyo"},
	{"India", "Indian", "Indians", "New Delhi"},
	{"the Philippines", "Philippine", "Filipinos", "Manila"},
	{"Ukraine", "Ukrainian", "Ukrainians", "Kyiv"},
	{"Mongolia", "Mongolian", "Mongolians", "Ulaanbaatar"},
	{"Bhutan", "Bhutanese", "", "Thimphu"},
	{"Nepal", "Nepali", "Nepalis", "Kathmandu"},
	{"Laos", "Lao", "", "Vientiane"},
	{"Turkmenistan", "Turkmen", "", "Ashgabat"},
	{"Kyrgyzstan", "Kyrgyz", "", "Bishkek"},
	{"Tajikistan", "Tajik", "", "Dushanbe"},
	{"Moldova", "Moldovan", "Moldovans", "Chisinau"},
	{"Albania", "Albanian", "Albanians", "Tirana"},
	{"North Macedonia", "Macedonian", "", "Skopje"},
	{"Montenegro", "Montenegrin", "", "Podgorica"},
	{"Slovenia", "Slovenian", "Slovenians", "Ljubljana"},
	{"Iceland", "Icelandic", "Icelanders", "Reykjavik"},
	{"Luxembourg", "Luxembourgish", "", "Luxembourg City"},
	{"Malta", "Maltese", "", "Valletta"},
	{"Andorra", "Andorran", "", "Andorra la Vella"},
	{"Liechtenstein", "", "", "Vaduz"},
	{"San Marino", "Sammarinese", "", ""},
	{"Lesotho", "Basotho", "", "Maseru"},
	{"Eswatini", "Swazi", "", "Mbabane"},
	{"Botswana", "Botswanan", "", "Gaborone"},
	{"Namibia", "Namibian", "Namibians", "Windhoek"},
	{"Malawi", "Malawian", "Malawians", "Lilongwe"},
	{"Burundi", "Burundian", "", "Gitega"},
	{"Djibouti", "Djiboutian", "", ""},
	{"Eritrea", "Eritrean", "Eritreans", "Asmara"},
	{"Mauritania", "Mauritanian", "", "Nouakchott"},
	{"Gabon", "Gabonese", "", "Libreville"},
	{"the Comoros", "Comorian", "", "Moroni"},
	{"the Seychelles", "Seychellois", "", "Victoria"},
	{"the Maldives", "Maldivian", "", "Malé"},
	{"Brunei", "Bruneian", "", "Bandar Seri Begawan"},
	{"Timor-Leste", "Timorese", "", "Dili"},
	{"Papua New Guinea", "Papua New Guinean", "", "Port Moresby"},
	{"Vanuatu", "Vanuatuan", "", "Port Vila"},
	{"Tuvalu", "Tuvaluan", "", "Funafuti"},
	{"Nauru", "Nauruan", "", ""},
	{"Kiribati", "", "", "Tarawa"},
	{"Samoa", "Samoan", "Samoans", "Apia"},
	{"Tonga", "Tongan", "Tongans", "Nukuʻalofa"},
}

// organisation is an international body's long name and acronym.
type organisation struct {
	name, acronym string
}

// organisations lists the bodies a question may name and their replacements.
var organisations = []organisation{
	{"United Nations", "UN"},
	{"Organization of American States", "OAS"},
	{"North Atlantic Treaty Organization", "NATO"},
	{"European Union", "EU"},
	{"Caribbean Community", "CARICOM"},
	{"World Bank", ""},
	{"International Monetary Fund", "IMF"},
	{"World Trade Organization", "WTO"},
	{"World Health Organization", "WHO"},
	{"Inter-American Development Bank", "IDB"},
	{"Association of Southeast Asian Nations", "ASEAN"},
	{"African Union", "AU"},
	{"Arab League", ""},
	{"Pacific Islands Forum", "PIF"},
	{"Gulf Cooperation Council", "GCC"},
	{"Council of Europe", ""},
	{"Andean Community", "CAN"},
	{"Central American Integration System", "SICA"},
	{"Nordic Council", ""},
	{"Economic Community of West African States", "ECOWAS"},
	{"South Asian Association for Regional Cooperation", "SAARC"},
	{"Shanghai Cooperation Organisation", "SCO"},
	{"Eurasian Economic Union", "EAEU"},
	{"Southern African Development Community", "SADC"},
	{"Organisation of Eastern Caribbean States", "OECS"},
	{"Commonwealth of Independent States", "CIS"},
}

// people lists the persons swapped in for a person a question names:
// heads of government and ministers of countries far from the Americas, so
// that a corpus on the Americas rarely mentions them (the corpus decides).
var people = []string{
	"Jacinda Ardern", "Sanna Marin", "Mette Frederiksen", "Leo Varadkar", "Erna Solberg",
	"Kyriakos Mitsotakis", "Andrej Plenković", "Robert Golob", "Alar Karis", "Gitanas Nausėda",
	"Xavier Bettel", "Ulf Kristersson", "Petr Fiala", "Eduard Heger", "Krišjānis Kariņš",
	"Nikol Pashinyan", "Irakli Garibashvili", "Maia Sandu", "Ranil Wickremesinghe", "Lotay Tshering",
	"Tshering Tobgay", "Pushpa Kamal Dahal", "Hun Manet", "Sonexay Siphandone", "Luvsannamsrai Oyun-Erdene",
	"Shavkat Mirziyoyev", "Kassym-Jomart Tokayev", "Edi Rama", "Dritan Abazović", "Bakir Izetbegović",
}

// titles are the words that introduce a person's name.
var titles = []string{"President", "Vice President", "Prime Minister", "Secretary", "Minister", "Foreign Minister",
	"Ambassador", "Senator", "Governor", "Representative", "Chancellor", "King", "Queen", "Pope",
	"General", "Admiral", "Deputy", "Director", "Administrator", "Mr.", "Mrs.", "Ms.", "Dr."}
