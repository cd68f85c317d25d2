package text

// IsStopword reports whether a folded word is a function word or a question
// word that says nothing about the topic ("what", "did", "the", "discuss").
// English and Spanish are covered.
func IsStopword(w string) bool {
	_, ok := stopwords[w]
	return ok
}

var stopwords = func() map[string]struct{} {
	m := make(map[string]struct{}, 400)
	for _, w := range stopwordList {
		m[w] = struct{}{}
	}
	return m
}()

var stopwordList = []string{
	// English function words
	"a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
	"are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
	"but", "by", "can", "could", "did", "do", "does", "doing", "done", "down", "during", "each",
	"either", "else", "ever", "few", "for", "from", "further", "get", "got", "had", "has", "have",
	"having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "i", "if", "in",
	"into", "is", "it", "its", "itself", "just", "let", "may", "me", "might", "more", "most",
	"much", "must", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only",
	"or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "shall", "she",
	"should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
	"themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too",
	"under", "until", "up", "upon", "us", "very", "was", "we", "were", "will", "with", "would",
	"you", "your", "yours", "yourself", "s", "t", "ll", "re", "ve", "d", "m", "don", "doesn",
	"didn", "isn", "wasn", "weren", "aren", "won", "via", "per", "within", "without", "yet",
	"still", "even", "ago", "any", "anything", "something", "someone", "anyone", "many",
	// question words and question verbs
	"what", "which", "who", "whom", "whose", "when", "where", "why", "how", "whether",
	"tell", "say", "said", "says", "saying", "know", "explain", "describe", "give", "show",
	"find", "please", "thanks", "thank", "happen", "happened", "happens", "kind", "sort",
	"discuss", "discussed", "discussing", "mention", "mentioned", "summary", "summarize",
	"summarise", "think", "thing", "things", "regarding", "concerning", "according",
	// Spanish function words and question words
	"el", "la", "los", "las", "un", "una", "unos", "unas", "de", "del", "al", "y", "o", "u", "e",
	"en", "con", "por", "para", "que", "se", "su", "sus", "lo", "le", "les", "es", "son", "fue",
	"como", "mas", "pero", "sin", "sobre", "entre", "hasta", "desde", "este", "esta", "estos",
	"estas", "ese", "esa", "esos", "esas", "qué", "que", "quien", "quienes", "cual", "cuales",
	"cuando", "donde", "porque", "cómo", "muy", "ya", "ha", "han", "hay", "ser", "está", "esta",
	"están", "estan", "nos", "mi", "tu",
}
