package bot

import (
	"fmt"
	"regexp"
	"time"

	"github.com/bwmarrin/discordgo"

	"attache"
)

// dateOptions are the since/until options of the commands that take a
// date window.
func dateOptions() []*discordgo.ApplicationCommandOption {
	opt := func(name, desc string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name,
			Description: desc, MinLength: ptr(4), MaxLength: 10}
	}
	return []*discordgo.ApplicationCommandOption{
		opt("since", "Only articles dated on or after this date: YYYY, YYYY-MM or YYYY-MM-DD"),
		opt("until", "Only articles dated on or before this date: YYYY, YYYY-MM or YYYY-MM-DD"),
	}
}

func ptr[T any](v T) *T { return &v }

var isoPrefix = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

var isoLayouts = map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}

// dateError is a malformed or reversed date window, told in the asker's
// language.
type dateError struct {
	kind        string // "format", "invalid" or "order"
	name, value string
	until       string // for "order"
}

func (e *dateError) Error() string { return e.text(false) }

func (e *dateError) text(spanish bool) string {
	switch {
	case e.kind == "order" && spanish:
		return fmt.Sprintf("desde %s es posterior a hasta %s", e.value, e.until)
	case e.kind == "order":
		return fmt.Sprintf("since %s is after until %s", e.value, e.until)
	case spanish:
		name := map[string]string{"since": "desde", "until": "hasta"}[e.name]
		if e.kind == "invalid" {
			return fmt.Sprintf("%s %q: no es una fecha válida", name, e.value)
		}
		return fmt.Sprintf("%s %q: usa AAAA, AAAA-MM o AAAA-MM-DD", name, e.value)
	case e.kind == "invalid":
		return fmt.Sprintf("%s %q: not a valid date", e.name, e.value)
	}
	return fmt.Sprintf("%s %q: want YYYY, YYYY-MM or YYYY-MM-DD", e.name, e.value)
}

// dateWindow reads the since and until options; a malformed or reversed
// window is an error the user can act on.
func dateWindow(opts map[string]optValue) (attache.DateRange, *dateError) {
	r := attache.DateRange{Since: opts["since"].str, Until: opts["until"].str}
	for _, f := range []struct{ name, v string }{{"since", r.Since}, {"until", r.Until}} {
		if f.v == "" {
			continue
		}
		if !isoPrefix.MatchString(f.v) {
			return r, &dateError{kind: "format", name: f.name, value: f.v}
		}
		if _, err := time.Parse(isoLayouts[len(f.v)], f.v); err != nil {
			return r, &dateError{kind: "invalid", name: f.name, value: f.v}
		}
	}
	if r.Since != "" && r.Until != "" && r.Since > r.Until && !hasPrefix(r.Since, r.Until) {
		return r, &dateError{kind: "order", value: r.Since, until: r.Until}
	}
	return r, nil
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }
