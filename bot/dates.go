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

// dateWindow reads the since and until options; a malformed or reversed
// window is an error the user can act on.
func dateWindow(opts map[string]optValue) (attache.DateRange, error) {
	r := attache.DateRange{Since: opts["since"].str, Until: opts["until"].str}
	for _, f := range []struct{ name, v string }{{"since", r.Since}, {"until", r.Until}} {
		if f.v == "" {
			continue
		}
		if !isoPrefix.MatchString(f.v) {
			return r, fmt.Errorf("%s %q: want YYYY, YYYY-MM or YYYY-MM-DD", f.name, f.v)
		}
		if _, err := time.Parse(isoLayouts[len(f.v)], f.v); err != nil {
			return r, fmt.Errorf("%s %q: not a valid date", f.name, f.v)
		}
	}
	if r.Since != "" && r.Until != "" && r.Since > r.Until && !hasPrefix(r.Since, r.Until) {
		return r, fmt.Errorf("since %s is after until %s", r.Since, r.Until)
	}
	return r, nil
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }
