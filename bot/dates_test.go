package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"attache"
)

func TestDateWindow(t *testing.T) {
	tests := []struct {
		since, until string
		want         attache.DateRange
		err, errES   string // "" = valid
	}{
		{"", "", attache.DateRange{}, "", ""},
		{"2010", "", attache.DateRange{Since: "2010"}, "", ""},
		{"2010-02", "2010-02-28", attache.DateRange{Since: "2010-02", Until: "2010-02-28"}, "", ""},
		{"2010-02-15", "2010-02", attache.DateRange{Since: "2010-02-15", Until: "2010-02"}, "", ""}, // a day inside the month
		{"2010-2", "", attache.DateRange{}, "want YYYY", "usa AAAA"},
		{"", "last week", attache.DateRange{}, "until \"last week\"", "hasta \"last week\""},
		{"2010-13", "", attache.DateRange{}, "not a valid date", "no es una fecha válida"},
		{"2011-02-29", "", attache.DateRange{}, "not a valid date", "no es una fecha válida"},
		{"2012", "2011-12-31", attache.DateRange{}, "after until", "posterior a hasta"},
		{"'; DROP TABLE x", "", attache.DateRange{}, "want YYYY", "usa AAAA"},
	}
	for _, tt := range tests {
		opts := map[string]optValue{"since": {str: tt.since}, "until": {str: tt.until}}
		got, err := dateWindow(opts)
		if tt.err == "" {
			if err != nil || got != tt.want {
				t.Errorf("since %q until %q: %+v, %v; want %+v", tt.since, tt.until, got, err, tt.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("since %q until %q: accepted", tt.since, tt.until)
			continue
		}
		if !strings.Contains(err.text(false), tt.err) || !strings.Contains(err.text(true), tt.errES) {
			t.Errorf("since %q until %q: %q / %q; want %q / %q", tt.since, tt.until, err.text(false), err.text(true), tt.err, tt.errES)
		}
	}
}

func TestClaims(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Cuba and the US met in Havana. Thanks! They signed an accord in 2015.",
			[]string{"Cuba and the US met in Havana.", "They signed an accord in 2015."}},
		{"?! …", nil},
		{"Zanzibar", []string{"Zanzibar"}},
		{"Mexico tariffs", []string{"Mexico tariffs"}},
		{strings.Repeat("Canada signed a treaty with Mexico. ", 8), []string{
			"Canada signed a treaty with Mexico.", "Canada signed a treaty with Mexico.", "Canada signed a treaty with Mexico.",
			"Canada signed a treaty with Mexico.", "Canada signed a treaty with Mexico."}},
	}
	for _, tt := range tests {
		got := messageClaims(tt.in)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("messageClaims(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTranslate(t *testing.T) {
	tests := []struct {
		locale, msg, want string
	}{
		{"es-ES", msgNotHere, "No respondo aquí"},
		{"es-419", restartMessage, "Me estoy reiniciando"},
		{"en-US", msgNotHere, msgNotHere},
		{"fr", msgVoteThanks, msgVoteThanks},
		{"es-ES", "the question is empty", "the question is empty"}, // no fixed translation: kept
	}
	for _, tt := range tests {
		if got := translate(discordgo.Locale(tt.locale), tt.msg); !strings.HasPrefix(got, tt.want) {
			t.Errorf("translate(%s, %q) = %q, want %q…", tt.locale, tt.msg, got, tt.want)
		}
	}
}

func TestSlowDown(t *testing.T) {
	tests := []struct {
		locale string
		wait   time.Duration
		want   string
	}{
		{"en-US", 12 * time.Second, "Please wait 12s"},
		{"es-ES", 12 * time.Second, "Espera 12s"},
		{"es-419", 200 * time.Millisecond, "Espera un segundo"},
		{"de", 200 * time.Millisecond, "Please wait a second"},
	}
	for _, tt := range tests {
		if got := slowDown(discordgo.Locale(tt.locale), tt.wait); !strings.Contains(got, tt.want) {
			t.Errorf("slowDown(%s, %s) = %q, want %q", tt.locale, tt.wait, got, tt.want)
		}
	}
}

// Every command, and every option of every command, has a Spanish name
// and description for both Spanish locales.
func TestCommandsLocalized(t *testing.T) {
	for _, c := range commands(true) {
		if c.NameLocalizations == nil || len(*c.NameLocalizations) != len(spanishLocales) {
			t.Errorf("%s: name localizations %v", c.Name, c.NameLocalizations)
		}
		checkOptions(t, c.Name, c.Options)
	}
}

func checkOptions(t *testing.T, prefix string, opts []*discordgo.ApplicationCommandOption) {
	t.Helper()
	for _, o := range opts {
		for _, l := range spanishLocales {
			if o.NameLocalizations[l] == "" || o.DescriptionLocalizations[l] == "" {
				t.Errorf("%s %s: no %s name or description", prefix, o.Name, l)
			}
		}
		checkOptions(t, prefix+" "+o.Name, o.Options)
	}
}
