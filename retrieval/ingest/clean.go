package ingest

import (
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// normLine returns line with every kind of space (NBSP, thin space, tab…)
// turned into a plain space, zero-width and control characters dropped, runs
// of spaces collapsed and both ends trimmed.
func normLine(line string) string {
	if isNormal(line) {
		return line
	}
	var b strings.Builder
	b.Grow(len(line))
	space := false
	for _, r := range line {
		switch {
		case isZeroWidth(r):
		case unicode.IsSpace(r):
			space = true
		case unicode.IsControl(r):
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			if r < utf8.RuneSelf {
				b.WriteByte(byte(r))
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// isNormal reports whether normLine would return s unchanged.
func isNormal(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == ' ' {
				if prevSpace {
					return false
				}
				prevSpace = true
			} else if c < 0x20 || c == 0x7f {
				return false
			} else {
				prevSpace = false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) || unicode.IsControl(r) || isZeroWidth(r) {
			return false
		}
		prevSpace = false
		i += n
	}
	return true
}

func isZeroWidth(r rune) bool {
	return r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' || r == '\u00ad'
}

// tidy normalises every line of s, drops boilerplate lines, collapses runs
// of blank lines into one and trims the result.
func tidy(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	blank := false
	for _, line := range strings.Split(s, "\n") {
		line = normLine(line)
		if line == "" || line == "-" || strings.Trim(line, "#") == "" || isBoilerplate(line) {
			blank = b.Len() > 0
			continue
		}
		if b.Len() > 0 {
			if blank {
				b.WriteString("\n\n")
			} else {
				b.WriteByte('\n')
			}
		}
		blank = false
		b.WriteString(line)
	}
	return b.String()
}

// boilerplate holds share-button and widget lines (compared ignoring case,
// once markup characters and a final colon are removed), by byte length.
var boilerplate = byLength(
	"Print Friendly, PDF & Email", "Print Friendly", "Print, PDF & Email",
	"Share this", "Share this article", "Share this story", "Share this post",
	"Share", "Share on Facebook", "Share on Twitter", "Share on LinkedIn", "Share on WhatsApp",
	"Share via Email", "Tweet", "Tweet this", "Like this", "Like Loading...", "Like Loading…",
	"Loading...", "Loading…", "Loading", "Facebook", "Twitter", "LinkedIn", "Reddit",
	"WhatsApp", "Pinterest", "Tumblr", "Telegram", "Pocket",
	"Email this", "Print this", "Print this page", "Print this article",
)

func byLength(lines ...string) map[int][]string {
	m := map[int][]string{}
	for _, l := range lines {
		m[len(l)] = append(m[len(l)], l)
	}
	return m
}

// shareButton matches WordPress sharing links such as
// "Click to share on Twitter (Opens in new window)".
var shareButton = regexp.MustCompile(`(?i)^click to (share|email|print|tweet)\b`)

// isBoilerplate reports whether a (normalised) line is share-button or
// widget text rather than prose.
func isBoilerplate(line string) bool {
	if len(line) > 90 {
		return false
	}
	l := strings.Trim(line, "*_#>[]- ")
	l = strings.TrimSpace(strings.TrimSuffix(l, ":"))
	for _, c := range boilerplate[len(l)] {
		if strings.EqualFold(l, c) {
			return true
		}
	}
	return len(l) > 9 && strings.EqualFold(l[:9], "click to ") && shareButton.MatchString(l)
}

// unescapeMarkdown turns backslash escapes of ASCII punctuation ("\_",
// "\*", "\#") into the plain character.
func unescapeMarkdown(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~')
}

// cleanValue tidies a metadata value: escapes removed, spaces normalised.
func cleanValue(s string) string {
	return normLine(unescapeMarkdown(strings.ReplaceAll(s, "\n", " ")))
}

var (
	isoDate     = regexp.MustCompile(`^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:$|[T\s_])`)
	ordinal     = regexp.MustCompile(`(\d)(st|nd|rd|th)\b`)
	nameDate    = regexp.MustCompile(`(?:^|[^0-9])(\d{4})[-_.](\d{2})(?:[-_.](\d{2}))?(?:[^0-9]|$)`)
	dateLayouts = []struct {
		layout string
		prec   int // 3 = day, 2 = month
	}{
		{"January 2, 2006", 3}, {"January 2 2006", 3}, {"Jan 2, 2006", 3}, {"Jan 2 2006", 3},
		{"2 January 2006", 3}, {"2 Jan 2006", 3}, {"Monday, January 2, 2006", 3},
		{"Monday, 2 January 2006", 3}, {"Mon, 2 Jan 2006", 3},
		{time.RFC1123, 3}, {time.RFC1123Z, 3}, {"Mon, 2 Jan 2006 15:04:05 -0700", 3},
		{"Mon, 2 Jan 2006 15:04:05 MST", 3}, {time.RFC850, 3}, {time.ANSIC, 3}, {time.UnixDate, 3},
		{"January 2006", 2}, {"Jan 2006", 2}, {"January, 2006", 2},
	}
)

// normDate returns the date in s as an ISO prefix ("2006-01-02", "2006-01"
// or "2006"), or "" when s holds no date it understands. Timestamps keep the
// calendar date as written, whatever their zone.
func normDate(s string) string {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), `"'`))
	if s == "" {
		return ""
	}
	if m := isoDate.FindStringSubmatch(s); m != nil {
		return isoPrefix(m[1], m[2], m[3])
	}
	t := ordinal.ReplaceAllString(s, "$1")
	t = strings.NewReplacer("Sept.", "Sep", "Sept ", "Sep ", ".", "").Replace(t)
	t = strings.Join(strings.Fields(t), " ")
	for _, l := range dateLayouts {
		// Layouts with a clock need the full string; others may be a prefix.
		d, err := time.Parse(l.layout, t)
		if err != nil {
			continue
		}
		if l.prec == 2 {
			return d.Format("2006-01")
		}
		return d.Format("2006-01-02")
	}
	return ""
}

// isoPrefix validates year, month and day digits (month and day may be
// empty) and formats them as an ISO prefix, or returns "".
func isoPrefix(y, m, d string) string {
	year, _ := strconv.Atoi(y)
	if year < 1000 {
		return ""
	}
	if m == "" {
		return y
	}
	month, _ := strconv.Atoi(m)
	if month < 1 || month > 12 {
		return ""
	}
	if d == "" {
		return y + "-" + twoDigits(month)
	}
	day, _ := strconv.Atoi(d)
	full := y + "-" + twoDigits(month) + "-" + twoDigits(day)
	if _, err := time.Parse("2006-01-02", full); err != nil {
		return ""
	}
	return full
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// dateFromName finds a date such as 2021-07-22 or 2010-02 in the base name of rel.
func dateFromName(rel string) string {
	m := nameDate.FindStringSubmatch(path.Base(rel))
	if m == nil {
		return ""
	}
	if y, _ := strconv.Atoi(m[1]); y < 1900 || y > 2100 {
		return ""
	}
	return isoPrefix(m[1], m[2], m[3])
}

// normLanguage lower-cases a language tag and keeps its primary subtag
// ("en-US" → "en").
func normLanguage(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i > 0 {
		s = s[:i]
	}
	return s
}

// mergeTags appends the tags of each list in order, trimmed, without empty
// entries or case-insensitive duplicates.
func mergeTags(lists ...[]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range lists {
		for _, t := range l {
			t = cleanValue(t)
			k := strings.ToLower(t)
			if t == "" || seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, t)
		}
	}
	return out
}
