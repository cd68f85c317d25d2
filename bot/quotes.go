package bot

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"attache"
	"attache/internal/text"
)

// maxQuoteSentences bounds the sentences shown for one source.
const maxQuoteSentences = 3

// maxQuoteSources bounds the sources of a quotes view (two rows of five
// "wrong source" buttons).
const maxQuoteSources = 10

var citeGroup = regexp.MustCompile(`\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]`)

// claims maps each citation number to the answer's sentences that cite it,
// markers removed.
func claims(answer string) map[int][]string {
	out := map[int][]string{}
	cite := func(markers []string, claim string) {
		for _, m := range markers {
			for _, f := range strings.FieldsFunc(m, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
				if n, err := strconv.Atoi(f); err == nil && claim != "" {
					out[n] = append(out[n], claim)
				}
			}
		}
	}
	prev := ""
	for _, sp := range text.Sentences(answer) {
		s := answer[sp.Start:sp.End]
		// Markers that open a sentence ("… service. [1] The talks …")
		// close the sentence before it.
		for {
			loc := citeGroup.FindStringSubmatchIndex(s)
			if loc == nil || strings.TrimSpace(s[:loc[0]]) != "" {
				break
			}
			cite([]string{s[loc[2]:loc[3]]}, prev)
			s = s[loc[1]:]
		}
		plain := strings.TrimSpace(citeGroup.ReplaceAllString(s, ""))
		var markers []string
		for _, m := range citeGroup.FindAllStringSubmatch(s, -1) {
			markers = append(markers, m[1])
		}
		cite(markers, plain)
		prev = plain
	}
	return out
}

// quotes picks, for each citation of an answer, the sentences of the cited
// passage behind it: the sentences the answer quotes word for word (an
// extractive answer is made of them) or else, for each answer sentence
// citing the source, the passage sentence sharing most of its content
// words. A source cited with no sentence of its own shows its passage's
// first sentence.
func quotes(a attache.Answer) []attache.Quote {
	cl := claims(a.Text)
	var out []attache.Quote
	for _, c := range a.Citations {
		var sents []string
		for _, sp := range text.Sentences(c.Passage) {
			sents = append(sents, strings.Join(strings.Fields(c.Passage[sp.Start:sp.End]), " "))
		}
		picked := quoted(sents, cl[c.N])
		if len(picked) == 0 {
			picked = supporting(sents, cl[c.N])
		}
		if len(picked) == 0 && len(sents) > 0 {
			picked = []int{0}
		}
		sort.Ints(picked)
		if len(picked) > maxQuoteSentences {
			picked = picked[:maxQuoteSentences]
		}
		q := attache.Quote{N: c.N, PassageID: c.PassageID, Title: c.Title, Date: c.Date, URL: c.URL, Sentences: []string{}}
		for _, k := range picked {
			q.Sentences = append(q.Sentences, sents[k])
		}
		out = append(out, q)
	}
	return out
}

func wordSeq(s string) string { return " " + strings.Join(text.Words(s), " ") + " " }

// quoted returns the passage sentences (of three words or more) that one of
// the claims contains word for word.
func quoted(sents, claims []string) []int {
	var out []int
	for k, s := range sents {
		if len(text.Words(s)) < 3 {
			continue
		}
		w := wordSeq(s)
		for _, c := range claims {
			if strings.Contains(wordSeq(c), w) {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// supporting returns, for each claim, the passage sentence holding the
// largest share of the claim's content words (stemmed), if any.
func supporting(sents, claims []string) []int {
	stems := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, w := range text.ContentWords(s) {
			m[text.Stem(w)] = true
		}
		return m
	}
	sentStems := make([]map[string]bool, len(sents))
	for k, s := range sents {
		sentStems[k] = stems(s)
	}
	seen := map[int]bool{}
	var out []int
	for _, c := range claims {
		want := stems(c)
		best, bestN := -1, 0
		for k, have := range sentStems {
			n := 0
			for w := range want {
				if have[w] {
					n++
				}
			}
			if n > bestN {
				best, bestN = k, n
			}
		}
		if best >= 0 && !seen[best] {
			seen[best] = true
			out = append(out, best)
		}
	}
	return out
}

// quotesView renders the private "Show quotes" view of a recorded answer:
// one field per source with its quoted sentences, date and link, and a
// "wrong source" button per source.
func quotesView(f attache.Feedback, l discordgo.Locale) *discordgo.InteractionResponseData {
	qs := f.Quotes
	if len(qs) > maxQuoteSources {
		qs = qs[:maxQuoteSources]
	}
	// Discord caps an embed at 6000 characters in all.
	budget := min(1024, 3600/max(1, len(qs)))
	e := &discordgo.MessageEmbed{Title: translate(l, msgQuotesTitle), Description: truncate(escapeMarkdown(f.Question), 300), Color: 0x2b6cb0,
		Footer: &discordgo.MessageEmbedFooter{Text: translate(l, msgQuotesFooter)}}
	var buttons []discordgo.MessageComponent
	for _, q := range qs {
		var b strings.Builder
		for _, s := range q.Sentences {
			b.WriteString("> " + escapeMarkdown(truncate(s, 400)) + "\n")
		}
		var meta []string
		if q.Date != "" {
			meta = append(meta, q.Date)
		}
		if strings.HasPrefix(q.URL, "http") {
			meta = append(meta, "[link](<"+q.URL+">)")
		}
		value := truncate(b.String(), max(60, budget-utf8.RuneCountInString(strings.Join(meta, " · "))-2))
		if len(meta) > 0 {
			value = truncate(value+"\n"+strings.Join(meta, " · "), 1024)
		}
		if strings.TrimSpace(value) == "" {
			value = "—"
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: truncate(fmt.Sprintf("[%d] %s", q.N, q.Title), 120), Value: value})
		buttons = append(buttons, discordgo.Button{CustomID: wrongSourceID(f.AnswerID, q.N),
			Label: fmt.Sprintf("[%d] wrong source", q.N), Style: discordgo.SecondaryButton})
	}
	return &discordgo.InteractionResponseData{Embeds: []*discordgo.MessageEmbed{e}, Components: rows(buttons),
		Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()}
}

// rows lays buttons out five to a row, as Discord requires.
func rows(buttons []discordgo.MessageComponent) []discordgo.MessageComponent {
	var out []discordgo.MessageComponent
	for len(buttons) > 0 {
		n := min(5, len(buttons))
		out = append(out, discordgo.ActionsRow{Components: buttons[:n]})
		buttons = buttons[n:]
	}
	return out
}

// markFlagged returns a message's components with the button customID
// disabled and marked as recorded.
func markFlagged(comps []discordgo.MessageComponent, customID string) []discordgo.MessageComponent {
	var out []discordgo.MessageComponent
	for _, c := range comps {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		var bs []discordgo.MessageComponent
		for _, in := range row.Components {
			bt, ok := in.(*discordgo.Button)
			if !ok {
				continue
			}
			b := *bt
			if b.CustomID == customID {
				b.Disabled = true
				b.Label = "✓ " + strings.TrimSuffix(b.Label, " wrong source") + " flagged"
			}
			bs = append(bs, b)
		}
		out = append(out, discordgo.ActionsRow{Components: bs})
	}
	return out
}
