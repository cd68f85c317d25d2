package bot

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"attache"
)

func TestParseReason(t *testing.T) {
	tests := []struct {
		in, reason, extra string
	}{
		{"1", attache.ReasonWrongSource, ""},
		{"3.", attache.ReasonOutdated, ""},
		{"wrong source", attache.ReasonWrongSource, ""},
		{"Source", attache.ReasonWrongSource, ""},
		{"incomplete", attache.ReasonIncomplete, ""},
		{"INCOMP", attache.ReasonIncomplete, ""},
		{"outdated figures", attache.ReasonOutdated, "outdated figures"},
		{"other", attache.ReasonOther, ""},
		{"9", attache.ReasonOther, "9"},
		{"it rambles", attache.ReasonOther, "it rambles"},
		{"in", attache.ReasonOther, "in"},
		{"", attache.ReasonOther, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, extra := parseReason(tt.in)
			if r != tt.reason || extra != tt.extra {
				t.Errorf("parseReason(%q) = %q, %q; want %q, %q", tt.in, r, extra, tt.reason, tt.extra)
			}
		})
	}
}

const quotePassage = "The two governments met in Havana on Monday. They agreed to resume direct mail service. " +
	"Officials said flights would follow later in the year. The talks lasted three hours."

func TestQuotes(t *testing.T) {
	cite := func(n int, passage string) attache.Citation {
		return attache.Citation{N: n, Title: "Talks", Date: "2015-12-11", URL: "https://example.org/a", Passage: passage, PassageID: "kb/a.md#0"}
	}
	tests := []struct {
		name string
		a    attache.Answer
		want map[int][]string
	}{
		{"extractive quotes word for word",
			attache.Answer{Mode: attache.ModeExtractive, Text: "They agreed to resume direct mail service. [1] The talks lasted three hours. [1]",
				Citations: []attache.Citation{cite(1, quotePassage)}},
			map[int][]string{1: {"They agreed to resume direct mail service.", "The talks lasted three hours."}}},
		{"model answer takes the closest sentence",
			attache.Answer{Mode: "llm", Text: "Both sides decided to restart postal mail [1]. Air links come next, per officials [2].",
				Citations: []attache.Citation{cite(1, quotePassage), cite(2, quotePassage)}},
			map[int][]string{1: {"They agreed to resume direct mail service."}, 2: {"Officials said flights would follow later in the year."}}},
		{"a source cited with others in one marker",
			attache.Answer{Mode: "llm", Text: "Officials expect flights later in the year [1, 2].",
				Citations: []attache.Citation{cite(1, quotePassage), cite(2, "Flights resumed in 2016. Officials expect more flights later in the year.")}},
			map[int][]string{1: {"Officials said flights would follow later in the year."}, 2: {"Officials expect more flights later in the year."}}},
		{"a source no sentence cites shows its first sentence",
			attache.Answer{Mode: "llm", Text: "Mail resumes [1].", Citations: []attache.Citation{cite(1, quotePassage), cite(2, quotePassage)}},
			map[int][]string{1: {"They agreed to resume direct mail service."}, 2: {"The two governments met in Havana on Monday."}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := quotes(tt.a)
			if len(got) != len(tt.a.Citations) {
				t.Fatalf("%d quotes for %d citations", len(got), len(tt.a.Citations))
			}
			for _, q := range got {
				if strings.Join(q.Sentences, "|") != strings.Join(tt.want[q.N], "|") {
					t.Errorf("[%d]: %q, want %q", q.N, q.Sentences, tt.want[q.N])
				}
				if q.Title != "Talks" || q.Date != "2015-12-11" || q.URL != "https://example.org/a" || q.PassageID != "kb/a.md#0" {
					t.Errorf("[%d] source: %+v", q.N, q)
				}
			}
		})
	}
}

func TestQuotesViewLimits(t *testing.T) {
	f := attache.Feedback{AnswerID: "0123456789abcdef", Question: "What *was* agreed?"}
	for n := 1; n <= 12; n++ {
		f.Quotes = append(f.Quotes, attache.Quote{N: n, Title: strings.Repeat("Title ", 60), URL: "https://example.org/" + strings.Repeat("x", 50),
			Date: "2020-01-01", Sentences: []string{strings.Repeat("A long sentence. ", 40), strings.Repeat("Another one. ", 40)}})
	}
	v := quotesView(f, "en-US")
	if v.Flags&discordgo.MessageFlagsEphemeral == 0 || v.AllowedMentions == nil || len(v.AllowedMentions.Parse) != 0 {
		t.Errorf("view must be private and mention nobody: %+v", v)
	}
	e := v.Embeds[0]
	if e.Title != msgQuotesTitle {
		t.Errorf("title %q", e.Title)
	}
	if es := quotesView(f, "es-419").Embeds[0]; es.Title != "Citas" || !strings.Contains(es.Footer.Text, "fuente") {
		t.Errorf("Spanish view: %q / %q", es.Title, es.Footer.Text)
	}
	total := utf8.RuneCountInString(e.Title + e.Description + e.Footer.Text)
	if len(e.Fields) != maxQuoteSources {
		t.Errorf("%d fields", len(e.Fields))
	}
	for _, fl := range e.Fields {
		total += utf8.RuneCountInString(fl.Name) + utf8.RuneCountInString(fl.Value)
		if utf8.RuneCountInString(fl.Name) > 256 || utf8.RuneCountInString(fl.Value) > 1024 {
			t.Errorf("field over Discord's limits: %d/%d", utf8.RuneCountInString(fl.Name), utf8.RuneCountInString(fl.Value))
		}
	}
	if total > 6000 {
		t.Errorf("embed of %d characters", total)
	}
	if !strings.Contains(e.Description, `\*was\*`) {
		t.Errorf("question not escaped: %s", e.Description)
	}
	var ids []string
	for _, r := range v.Components {
		row := r.(discordgo.ActionsRow)
		if len(row.Components) > 5 {
			t.Errorf("row of %d buttons", len(row.Components))
		}
		for _, c := range row.Components {
			ids = append(ids, c.(discordgo.Button).CustomID)
		}
	}
	if len(ids) != maxQuoteSources || ids[9] != "fw:0123456789abcdef:10" {
		t.Errorf("buttons: %v", ids)
	}
	for _, id := range append(ids, feedbackPrefix+"down:"+f.AnswerID, quotesPrefix+f.AnswerID) {
		if len(id) > 100 {
			t.Errorf("custom id over 100 characters: %s", id)
		}
	}
}

func TestMarkFlagged(t *testing.T) {
	in := []discordgo.MessageComponent{&discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		&discordgo.Button{CustomID: "fw:a:1", Label: "[1] wrong source"},
		&discordgo.Button{CustomID: "fw:a:2", Label: "[2] wrong source"},
	}}}
	out := markFlagged(in, "fw:a:2")
	row := out[0].(discordgo.ActionsRow)
	b1, b2 := row.Components[0].(discordgo.Button), row.Components[1].(discordgo.Button)
	if b1.Disabled || b1.Label != "[1] wrong source" {
		t.Errorf("untouched button changed: %+v", b1)
	}
	if !b2.Disabled || b2.Label != "✓ [2] flagged" {
		t.Errorf("flagged button: %+v", b2)
	}
}
