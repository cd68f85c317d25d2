package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Attaché speaks English and Spanish. Command names and descriptions carry
// Spanish localizations for both Spanish locales Discord knows; fixed
// messages are chosen by the interaction's locale (any "es…" is Spanish).

var spanishLocales = []discordgo.Locale{discordgo.SpanishES, discordgo.SpanishLATAM}

// isSpanish reports whether a Discord locale is a Spanish one.
func isSpanish(l discordgo.Locale) bool { return strings.HasPrefix(string(l), "es") }

// spanishMessages renders the bot's fixed messages in Spanish, keyed by
// their English text.
var spanishMessages = map[string]string{
	helpText:       helpTextES,
	restartMessage: "Me estoy reiniciando; vuelve a preguntar en un momento.",
	msgNotHere:     "No respondo aquí. Pregunta en uno de los canales donde estoy activo.",
	msgAdminOnly:   "Solo los administradores pueden recargar la configuración.",
	msgVoteFailed:  "Lo siento, no pude registrar tu voto.",
	msgVoteThanks:  "¡Gracias por tu opinión!",
	msgNoMessage:   "Ese mensaje no tiene texto que pueda leer.",
	msgUnknown:     "Comando desconocido.",
	msgNoPassage:   "Ningún pasaje coincide.",
	"I'm answering many questions right now. Please try again in a minute.":                        "Estoy respondiendo muchas preguntas ahora mismo. Inténtalo de nuevo en un minuto.",
	"Sorry, that took too long. Please try again, perhaps with a narrower question.":               "Lo siento, tardé demasiado. Inténtalo de nuevo, quizá con una pregunta más concreta.",
	"Sorry, I had to stop before finishing this answer (the bot is restarting). Please ask again.": "Lo siento, tuve que parar antes de terminar esta respuesta (me estoy reiniciando). Vuelve a preguntar.",
	"A service I depend on is unavailable right now. Please try again later.":                      "Un servicio del que dependo no está disponible ahora mismo. Inténtalo más tarde.",
	"Sorry, something went wrong while answering. The error has been logged.":                      "Lo siento, algo falló al responder. El error ha quedado registrado.",
	msgFailedPrivately: "No hay respuesta que mostrar aquí.",
	msgRecordFailed:    "Lo siento, no pude registrarlo.",
	msgReasonFailed:    "Lo siento, no pude registrar tu motivo.",
	msgNotOnRecord:     "Esta respuesta ya no está registrada.",
	msgQuotesFailed:    "Lo siento, no pude leer las citas de esta respuesta.",
	msgNoQuotes:        "No se registraron citas para esta respuesta.",
	msgFlagged:         "Anotado: la fuente [%d] se marcó como errónea.",
	msgReasonThanks:    "Gracias — anotado: %s.",
	msgReasonTitle:     "¿Qué fallaba en la respuesta?",
	msgQuotesTitle:     "Citas",
	msgQuotesFooter:    "Marca una fuente que no respalde la respuesta.",
}

const (
	msgNotHere         = "I don't answer here. Ask in one of the channels where I'm enabled."
	msgAdminOnly       = "Only administrators can reload the configuration."
	msgVoteFailed      = "Sorry, I could not record your vote."
	msgVoteThanks      = "Thanks for the feedback!"
	msgNoMessage       = "That message has no text I can read."
	msgUnknown         = "Unknown command."
	msgNoPassage       = "No passage matches."
	msgFailedPrivately = "No answer to show here."
	msgRecordFailed    = "Sorry, I could not record that."
	msgReasonFailed    = "Sorry, I could not record your reason."
	msgNotOnRecord     = "This answer is no longer on record."
	msgQuotesFailed    = "Sorry, I could not read the quotes of this answer."
	msgNoQuotes        = "No quotes were recorded for this answer."
	msgFlagged         = "Noted: source [%d] flagged as wrong."
	msgReasonThanks    = "Thanks — noted: %s."
	msgReasonTitle     = "What was wrong with the answer?"
	msgQuotesTitle     = "Quotes"
	msgQuotesFooter    = "Flag a source that does not back the answer."
)

// translate gives a fixed message in the interaction's language; a message
// without a translation (one that quotes the user or an article) stays as
// it is.
func translate(l discordgo.Locale, msg string) string {
	if !isSpanish(l) {
		return msg
	}
	if es, ok := spanishMessages[msg]; ok {
		return es
	}
	return msg
}

// slowDown is the message of a question over the asker's budget.
func slowDown(l discordgo.Locale, wait time.Duration) string {
	if isSpanish(l) {
		w := roundWait(wait)
		if w == "a second" {
			w = "un segundo"
		}
		return fmt.Sprintf("¡Preguntas muy seguido! Espera %s antes de la siguiente pregunta.", w)
	}
	return fmt.Sprintf("You're asking quickly! Please wait %s before the next question.", roundWait(wait))
}

// localText is a command's or option's Spanish name and description.
type localText struct{ name, desc string }

// spanishCommands localizes commands by name, and their options by
// "command option" (or "command sub option").
var spanishCommands = map[string]localText{
	"ask":                   {"preguntar", "Haz una pregunta; la respuesta cita los artículos de los que sale"},
	"ask question":          {"pregunta", "Tu pregunta"},
	"ask private":           {"privado", "Solo tú ves la respuesta"},
	"summary":               {"resumen", "Resume un artículo, un tema o los artículos recientes"},
	"summary article":       {"articulo", "Resume un artículo"},
	"summary article title": {"titulo", "Empieza a escribir el título del artículo"},
	"summary topic":         {"tema", "Resume un tema a través de los artículos"},
	"summary topic topic":   {"tema", "El tema"},
	"summary recent":        {"recientes", "Resume los últimos artículos"},
	"summary recent days":   {"dias", "Cuántos días atrás (7 por defecto)"},
	"timeline":              {"cronologia", "Hechos fechados sobre un tema, en orden, cada uno citado"},
	"timeline topic":        {"tema", "El tema"},
	"search":                {"buscar", "Muestra los pasajes que mejor coinciden (sin modelo)"},
	"search query":          {"consulta", "Qué buscar"},
	"sources":               {"fuentes", "Las fuentes de conocimiento, sus documentos y última indexación"},
	"reload":                {"recargar", "Vuelve a leer la configuración y a indexar (administradores)"},
	"help":                  {"ayuda", "Cómo usar Attaché"},
	"since":                 {"desde", "Solo artículos fechados en o después de: AAAA, AAAA-MM o AAAA-MM-DD"},
	"until":                 {"hasta", "Solo artículos fechados en o antes de: AAAA, AAAA-MM o AAAA-MM-DD"},
	menuAsk:                 {"Preguntar a Attaché sobre esto", ""},
	menuSources:             {"Buscar fuentes de esto", ""},
}

// localize adds the Spanish names and descriptions to commands and their
// options, for both Spanish locales.
func localize(cmds []*discordgo.ApplicationCommand) {
	for _, c := range cmds {
		t, ok := spanishCommands[c.Name]
		if !ok {
			continue
		}
		names := map[discordgo.Locale]string{}
		descs := map[discordgo.Locale]string{}
		for _, l := range spanishLocales {
			names[l] = t.name
			if t.desc != "" {
				descs[l] = t.desc
			}
		}
		c.NameLocalizations = &names
		if len(descs) > 0 {
			c.DescriptionLocalizations = &descs
		}
		localizeOptions(c.Name, c.Options)
	}
}

func localizeOptions(prefix string, opts []*discordgo.ApplicationCommandOption) {
	for _, o := range opts {
		t, ok := spanishCommands[prefix+" "+o.Name]
		if !ok {
			t, ok = spanishCommands[o.Name] // options shared by several commands
		}
		if ok {
			o.NameLocalizations = map[discordgo.Locale]string{}
			o.DescriptionLocalizations = map[discordgo.Locale]string{}
			for _, l := range spanishLocales {
				o.NameLocalizations[l] = t.name
				o.DescriptionLocalizations[l] = t.desc
			}
		}
		localizeOptions(prefix+" "+o.Name, o.Options)
	}
}

const helpTextES = `**Attaché** responde preguntas sobre relaciones bilaterales a partir de una biblioteca de artículos de prensa. Cada frase de una respuesta cita su fuente [n]; las fuentes aparecen bajo la respuesta con su fecha y enlace.

• ` + "`/preguntar pregunta`" + ` — pregunta lo que quieras; añade ` + "`privado:true`" + ` para ver la respuesta tú solo, y ` + "`desde`/`hasta`" + ` para acotar las fechas.
• ` + "`/resumen articulo|tema|recientes`" + ` — resume un artículo, un tema o los últimos días.
• ` + "`/cronologia tema`" + ` — hechos fechados en orden.
• ` + "`/buscar consulta`" + ` — los pasajes que coinciden, sin modelo.
• ` + "`/fuentes`" + ` — lo que contiene la biblioteca.
• Clic derecho en un mensaje → Apps: pregúntame sobre él, o busca las fuentes de lo que afirma.
• Mencióname o responde a una de mis respuestas para seguir preguntando.

Cuando los artículos no cubren una pregunta, lo digo en lugar de adivinar.`
