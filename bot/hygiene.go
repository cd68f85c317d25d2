package bot

import (
	"strings"
	"unicode"
)

// chatKind is what a message addressed to the bot is, before it is taken
// for a question.
type chatKind int

const (
	chatQuestion chatKind = iota // anything that may ask something
	chatEmpty                    // nothing left once the mention is removed
	chatThanks                   // thanks, with or without praise
	chatGreeting                 // hello, good morning, hola
	chatAck                      // ok, great, nice: a reaction in words
)

// smallTalkMaxWords bounds a message that can be small talk: a longer one
// is a sentence that may carry a question even when every word is common.
const smallTalkMaxWords = 8

// smallTalk maps the words of thanks, greetings and acknowledgements, in
// English and Spanish, to what they signal; filler words that go with them
// ("thank you so much", "muchas gracias") signal nothing on their own.
var smallTalk = map[string]chatKind{
	"thanks": chatThanks, "thank": chatThanks, "thx": chatThanks, "ty": chatThanks, "cheers": chatThanks,
	"appreciated": chatThanks, "gracias": chatThanks, "agradezco": chatThanks, "agradecido": chatThanks,
	"hello": chatGreeting, "hi": chatGreeting, "hey": chatGreeting, "hiya": chatGreeting, "howdy": chatGreeting,
	"morning": chatGreeting, "evening": chatGreeting, "afternoon": chatGreeting, "bye": chatGreeting,
	"goodbye": chatGreeting, "hola": chatGreeting, "buenas": chatGreeting, "buenos": chatGreeting,
	"saludos": chatGreeting, "adiós": chatGreeting, "adios": chatGreeting, "chao": chatGreeting,
	"días": chatGreeting, "dias": chatGreeting, "tardes": chatGreeting, "noches": chatGreeting,
	"ok": chatAck, "okay": chatAck, "k": chatAck, "great": chatAck, "cool": chatAck, "nice": chatAck,
	"awesome": chatAck, "perfect": chatAck, "excellent": chatAck, "wow": chatAck, "lol": chatAck,
	"good": chatAck, "got": chatAck, "it": chatAck, "understood": chatAck, "sure": chatAck, "yes": chatAck,
	"no": chatAck, "vale": chatAck, "genial": chatAck, "perfecto": chatAck, "bien": chatAck, "bueno": chatAck,
	"excelente": chatAck, "entendido": chatAck, "claro": chatAck, "sí": chatAck, "si": chatAck,
	"guay": chatAck, "interesting": chatAck, "interesante": chatAck, "helpful": chatAck, "útil": chatAck,
}

// filler words may accompany small talk without making it a question.
var filler = map[string]bool{
	"you": true, "so": true, "much": true, "very": true, "a": true, "lot": true, "all": true, "again": true,
	"there": true, "bot": true, "attache": true, "attaché": true, "that": true, "this": true, "is": true,
	"was": true, "really": true, "for": true, "the": true, "answer": true, "help": true, "and": true,
	"muchas": true, "muchísimas": true, "mil": true, "muy": true, "por": true, "la": true, "respuesta": true,
	"ayuda": true, "todo": true, "de": true, "nuevo": true, "y": true, "eso": true, "es": true, "te": true,
	"oh": true, "ah": true, "nada": true, "well": true, "done": true,
}

// classifyChat tells small talk (thanks, greetings, reactions in words)
// and empty messages from what may be a question. It errs towards
// question: a question mark, or any word outside the small-talk and filler
// vocabularies, makes the message a question.
func classifyChat(s string) chatKind {
	if strings.ContainsAny(s, "?¿") {
		return chatQuestion
	}
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) == 0 {
		return chatEmpty
	}
	if len(words) > smallTalkMaxWords {
		return chatQuestion
	}
	kind := chatQuestion
	for _, w := range words {
		k, ok := smallTalk[w]
		switch {
		case ok:
			// Thanks outweighs a greeting, which outweighs a reaction:
			// "great, thank you" is thanks, "hi, ok" a greeting.
			if kind == chatQuestion || k == chatThanks || (k == chatGreeting && kind == chatAck) {
				kind = k
			}
		case filler[w]:
		default:
			return chatQuestion
		}
	}
	return kind
}

// chatReply is the short answer to small talk, in the language of its
// words; it is "" for a question.
func chatReply(kind chatKind, s string) string {
	es := spanishSmallTalk(s)
	switch kind {
	case chatThanks:
		if es {
			return "¡De nada! Pregúntame lo que quieras sobre las noticias."
		}
		return "You're welcome! Ask me anything about the news."
	case chatGreeting:
		if es {
			return "¡Hola! Mencióname con una pregunta sobre las noticias, o usa `/ask`."
		}
		return "Hello! Mention me with a question about the news, or use `/ask`."
	case chatAck:
		if es {
			return "👍 Aquí estoy si tienes otra pregunta."
		}
		return "👍 I'm here if you have another question."
	case chatEmpty:
		return helpShort
	}
	return ""
}

// helpShort is the answer to a mention without text.
const helpShort = "Mention me with a question about the news, e.g. `@attache what did the minister announce?`, " +
	"or use `/ask`. `/search` finds passages, `/sources` lists what I know, `/help` says more."

// spanishSmallTalk reports whether small talk uses a word only Spanish has.
func spanishSmallTalk(s string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		switch w {
		case "gracias", "hola", "buenas", "buenos", "saludos", "adiós", "adios", "chao", "vale", "genial",
			"perfecto", "bien", "bueno", "excelente", "entendido", "claro", "sí", "muchas", "días", "dias",
			"tardes", "noches", "agradezco", "guay", "interesante", "útil":
			return true
		}
	}
	return false
}
