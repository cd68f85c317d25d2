package bot

import (
	"regexp"
	"strings"
)

// discordMarkup matches the parts of a Discord message that are markup, not
// words of the question: user mentions <@123> and <@!123>, role mentions
// <@&456>, channel mentions <#789>, custom and animated emoji <:name:1> and
// <a:name:1>, slash-command mentions </name sub:1>, timestamps <t:1:R>,
// and guild navigation <id:browse>.
var discordMarkup = regexp.MustCompile(`<@[!&]?\d+>` +
	`|<#\d+>` +
	`|<a?:[^<>:\s]+:\d+>` +
	`|</[^<>:]+:\d+>` +
	`|<t:-?\d+(?::[tTdDfFR])?>` +
	`|<id:[a-z-]+>`)

// everyoneHere matches the @everyone and @here pings, not the same letters
// inside an address ("ops@here.example").
var everyoneHere = regexp.MustCompile(`(^|[^\w.@])@(?:everyone|here)\b`)

// spaceBeforePunct matches the space a removed piece of markup leaves
// before the punctuation that followed it.
var spaceBeforePunct = regexp.MustCompile(` ([?!.,;:])`)

// cleanQuestion removes Discord markup from a question so that neither search
// nor an echo of the question ever sees it. The punctuation that only joined
// the markup to the sentence ("<@1>, when …", "@here: who …") goes with it,
// and white space is collapsed (the text is changed only when it holds "<"
// or "@"). A message made only of markup becomes "".
func cleanQuestion(s string) string {
	if !strings.ContainsAny(s, "<@") {
		return strings.TrimSpace(s)
	}
	s = discordMarkup.ReplaceAllString(s, " ")
	s = everyoneHere.ReplaceAllString(s, "$1 ")
	s = spaceBeforePunct.ReplaceAllString(strings.Join(strings.Fields(s), " "), "$1")
	s = strings.TrimLeft(s, ",;:-–— ")
	return strings.TrimRight(s, ",;:-–— ")
}
