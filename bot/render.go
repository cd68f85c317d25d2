package bot

import (
	"attache/internal/text"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"attache"
)

// MaxContent is Discord's limit on a message's content, in characters.
const MaxContent = 2000

// maxEmbedSources is how many citations the sources embed lists.
const maxEmbedSources = 10

// noMentions allows no mention of any kind: generated or quoted text can
// never ping @everyone, a role or a user, and replies do not ping their author.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// Split cuts text into pieces of at most max characters, preferring
// paragraph breaks, then line breaks, then sentence ends, then spaces, and
// never cutting inside a citation marker such as [12].
func Split(text string, max int) []string {
	text = strings.TrimSpace(text)
	var out []string
	for utf8.RuneCountInString(text) > max {
		cut := cutPoint(text, max)
		piece := strings.TrimSpace(text[:cut])
		if piece != "" {
			out = append(out, piece)
		}
		text = strings.TrimSpace(text[cut:])
	}
	if text != "" {
		out = append(out, text)
	}
	return out
}

// cutPoint returns a byte index ≤ the byte offset of rune max where text may
// be cut.
func cutPoint(text string, max int) int {
	limit := byteOffset(text, max)
	window := text[:limit]
	for _, sep := range []string{"\n\n", "\n", ". ", "! ", "? ", "; ", ", ", " "} {
		if i := strings.LastIndex(window, sep); i > limit/3 {
			cut := i + len(sep)
			if !insideMarker(text, cut) {
				return cut
			}
		}
	}
	// No good boundary: cut hard, but not inside a marker or a rune.
	cut := limit
	for cut > 1 && insideMarker(text, cut) {
		cut--
	}
	return cut
}

func byteOffset(s string, runes int) int {
	i := 0
	for n := 0; n < runes && i < len(s); n++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

var markerAt = regexp.MustCompile(`\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\]`)

// insideMarker reports whether cutting at byte i would split a citation marker.
func insideMarker(s string, i int) bool {
	for _, loc := range markerAt.FindAllStringIndex(s[max(0, i-24):min(len(s), i+24)], -1) {
		start, end := loc[0]+max(0, i-24), loc[1]+max(0, i-24)
		if start < i && i < end {
			return true
		}
	}
	return false
}

var openMarker = regexp.MustCompile(`\[[\d,;\s]*$`)

// StreamPrefix is the part of a partial model reply that is safe to show
// while it streams: it stops before a citation marker that is still open
// ("... in Havana [1" is shown as "... in Havana").
func StreamPrefix(s string) string {
	if loc := openMarker.FindStringIndex(s); loc != nil {
		return strings.TrimRight(s[:loc[0]], " ")
	}
	return s
}

// previewMax leaves room for the " …" a streaming edit ends with.
const previewMax = MaxContent - 3

// preview shortens a streaming text to fit one message, showing its end.
func preview(s string) string {
	s = StreamPrefix(s)
	if utf8.RuneCountInString(s) <= previewMax {
		return s
	}
	r := []rune(s)
	return "…" + string(r[len(r)-(previewMax-1):])
}

// sourcesEmbed lists an answer's citations: title linked to its URL, date
// and outlet, at most ten.
func sourcesEmbed(question string, cites []attache.Citation) *discordgo.MessageEmbed {
	if len(cites) == 0 {
		return nil
	}
	var b strings.Builder
	for i, c := range cites {
		if i == maxEmbedSources {
			fmt.Fprintf(&b, "…and %d more", len(cites)-maxEmbedSources)
			break
		}
		title := escapeMarkdown(truncate(c.Title, 150))
		if c.URL != "" && strings.HasPrefix(c.URL, "http") {
			title = "[" + title + "](" + c.URL + ")"
		}
		fmt.Fprintf(&b, "**[%d]** %s", c.N, title)
		var meta []string
		if c.Date != "" {
			meta = append(meta, c.Date)
		}
		if c.Outlet != "" {
			meta = append(meta, escapeMarkdown(c.Outlet))
		}
		if c.URL == "" {
			meta = append(meta, "`"+strings.ReplaceAll(c.Source+"/"+c.Path, "`", "'")+"`")
		}
		if len(meta) > 0 {
			b.WriteString(" — " + strings.Join(meta, " · "))
		}
		b.WriteString("\n")
	}
	return &discordgo.MessageEmbed{Title: sourcesLabel(question), Description: truncate(b.String(), 4000), Color: 0x2b6cb0}
}

var mdSpecial = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `_`, `\_`, "`", "\\`", `~`, `\~`, `|`, `\|`, `[`, `(`, `]`, `)`)

func escapeMarkdown(s string) string { return mdSpecial.Replace(s) }

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// Warning lines shown under an answer.
const (
	warnFallback    = "⚠️ The language model is unavailable; these are the most relevant passages."
	warnUnsupported = "⚠️ Some sentences are not supported by the cited sources."
	// The same in Spanish, for a question asked in Spanish.
	warnFallbackES    = "⚠️ El modelo de lenguaje no está disponible; estos son los pasajes más relevantes."
	warnUnsupportedES = "⚠️ Algunas frases no están respaldadas por las fuentes citadas."
)

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

// answerText renders an answer's content: the text, then warning lines.
// URLs are wrapped in <> so Discord shows no link preview for them.
func answerText(a attache.Answer) string {
	var b strings.Builder
	b.WriteString(suppressPreviews(strings.TrimSpace(a.Text)))
	var warns []string
	es := text.Language(a.Question) == "es"
	if a.Fallback {
		warns = append(warns, pick(es, warnFallbackES, warnFallback))
	}
	if len(a.Unsupported) > 0 {
		warns = append(warns, pick(es, warnUnsupportedES, warnUnsupported))
	}
	if len(warns) > 0 {
		b.WriteString("\n\n" + strings.Join(warns, "\n"))
	}
	return b.String()
}

var bareURL = regexp.MustCompile(`(^|[^<(])(https?://[^\s>)]+)`)

func suppressPreviews(s string) string { return bareURL.ReplaceAllString(s, "$1<$2>") }

// sourcesLabel heads the list of sources in the question's language, as
// the answer's other fixed sentences are.
func sourcesLabel(question string) string {
	if text.Language(question) == "es" {
		return "Fuentes"
	}
	return "Sources"
}
