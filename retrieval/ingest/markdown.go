package ingest

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Block kinds of converted Markdown.
const (
	blockPara = iota
	blockHeading
	blockItem
	blockRow
	blockCode
)

// mdBlock is one block of a Markdown body, converted to plain text.
type mdBlock struct {
	kind  int
	level int // heading level
	text  string
}

// markdownBlocks converts a Markdown body into plain-text blocks: headings
// without '#', paragraphs with soft line breaks joined, list items as "- "
// lines, emphasis, link syntax, images and HTML tags removed, escapes
// resolved. Boilerplate lines are dropped.
func markdownBlocks(body string) []mdBlock {
	if strings.IndexByte(body, '<') >= 0 {
		body = stripHTMLTags(body)
	}
	var (
		blocks []mdBlock
		cur    *mdBlock
		buf    strings.Builder // raw text of the open paragraph or item
		hard   bool            // the last line of buf ended with a hard break
		fence  string          // open code fence, if any
	)
	flush := func() {
		if cur == nil {
			return
		}
		b := *cur
		cur = nil
		content := buf.String()
		buf.Reset()
		if b.kind != blockCode {
			content = inline(content)
		}
		content = tidy(content)
		if b.kind == blockItem {
			if content == "" {
				return
			}
			content = b.text + content // the list marker
		}
		if content == "" || (b.kind != blockCode && strings.Trim(content, "#*-_=~ ") == "") {
			return
		}
		b.text = content
		blocks = append(blocks, b)
	}
	open := func(kind int, prefix string) {
		flush()
		cur = &mdBlock{kind: kind, text: prefix}
		hard = false
	}
	addLine := func(s string) {
		if buf.Len() > 0 {
			if hard {
				buf.WriteByte('\n')
			} else {
				buf.WriteByte(' ')
			}
		}
		hard = strings.HasSuffix(s, "  ") || strings.HasSuffix(s, `\`)
		s = strings.TrimSpace(s)
		if strings.HasSuffix(s, `\`) && !strings.HasSuffix(s, `\\`) {
			s = s[:len(s)-1]
		}
		buf.WriteString(s)
	}

	for _, line := range strings.Split(body, "\n") {
		t := strings.TrimSpace(line)
		if fence != "" {
			if strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				flush()
				fence = ""
				continue
			}
			if cur == nil {
				open(blockCode, "")
			} else {
				buf.WriteByte('\n')
			}
			buf.WriteString(line)
			continue
		}
		for strings.HasPrefix(t, ">") { // block quotes: keep the text
			t = strings.TrimSpace(t[1:])
		}
		switch {
		case t == "" || t == `\` || isBoilerplate(normLine(unescapeMarkdown(t))):
			flush()
		case strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~"):
			flush()
			n := 0
			for n < len(t) && t[n] == t[0] {
				n++
			}
			fence = t[:n]
		case atxLevel(t) > 0:
			level := atxLevel(t)
			open(blockHeading, "")
			cur.level = level
			h := strings.TrimSpace(t[level:])
			h = strings.TrimSpace(strings.TrimRight(h, "#"))
			buf.WriteString(h)
			flush()
		case cur != nil && cur.kind == blockPara && isSetextUnderline(t):
			cur.kind = blockHeading
			cur.level = 2
			if t[0] == '=' {
				cur.level = 1
			}
			flush()
		case isThematicBreak(t):
			flush()
		case isTableSeparator(t):
			// The |---|---| line of a table.
		case strings.HasPrefix(t, "|"):
			open(blockRow, "")
			buf.WriteString(strings.TrimSpace(strings.Trim(t, "|")))
			flush()
		case refDefinition.MatchString(t):
			flush()
		default:
			if marker, rest, ok := listItem(t); ok {
				open(blockItem, marker)
				addLine(rest + trailingBreak(line))
				continue
			}
			if cur == nil {
				open(blockPara, "")
			}
			addLine(t + trailingBreak(line))
		}
	}
	flush()
	return blocks
}

// trailingBreak returns "  " when line ends with a Markdown hard break of two spaces.
func trailingBreak(line string) string {
	if strings.HasSuffix(line, "  ") && strings.TrimSpace(line) != "" {
		return "  "
	}
	return ""
}

// joinBlocks assembles blocks into text: consecutive list items, table rows
// and code lines are separated by a line break, other blocks by a blank line.
func joinBlocks(blocks []mdBlock) string {
	var b strings.Builder
	for i, bl := range blocks {
		if i > 0 {
			prev := blocks[i-1].kind
			if prev == bl.kind && (bl.kind == blockItem || bl.kind == blockRow) {
				b.WriteByte('\n')
			} else {
				b.WriteString("\n\n")
			}
		}
		b.WriteString(bl.text)
	}
	return b.String()
}

func atxLevel(t string) int {
	n := 0
	for n < len(t) && n < 7 && t[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || (n < len(t) && t[n] != ' ' && t[n] != '\t') {
		return 0
	}
	return n
}

func isSetextUnderline(t string) bool {
	return len(t) >= 2 && (strings.Trim(t, "=") == "" || strings.Trim(t, "-") == "")
}

func isThematicBreak(t string) bool {
	if len(t) < 3 || (t[0] != '-' && t[0] != '*' && t[0] != '_') {
		return false
	}
	n := 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case t[0]:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

var (
	tableSeparator = regexp.MustCompile(`^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$`)
	refDefinition  = regexp.MustCompile(`^\[[^\]]+\]:\s*\S+`)
)

func isTableSeparator(t string) bool {
	return strings.Contains(t, "|") && strings.Contains(t, "-") && tableSeparator.MatchString(t)
}

// listItem recognises a list item line: bullets become "- ", ordered items
// keep their number.
func listItem(t string) (marker, rest string, ok bool) {
	if len(t) >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && (t[1] == ' ' || t[1] == '\t') {
		return "- ", strings.TrimSpace(t[2:]), true
	}
	if strings.HasPrefix(t, "•") {
		return "- ", strings.TrimSpace(t[len("•"):]), true
	}
	n := 0
	for n < len(t) && n < 9 && t[n] >= '0' && t[n] <= '9' {
		n++
	}
	if n > 0 && n+1 < len(t) && (t[n] == '.' || t[n] == ')') && (t[n+1] == ' ' || t[n+1] == '\t') {
		return t[:n] + ". ", strings.TrimSpace(t[n+2:]), true
	}
	return "", "", false
}

var (
	htmlComment = regexp.MustCompile(`(?s)<!--.*?-->`)
	htmlScript  = regexp.MustCompile(`(?is)<(script|style)\b[^>]*>.*?</(script|style)\s*>`)
	htmlTag     = regexp.MustCompile(`<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*)?)/?>`)
	htmlBreak   = regexp.MustCompile(`(?i)<br\s*/?>[ \t]*\n?`)
)

// blockTags are HTML elements that start a new paragraph when found in Markdown.
var blockTags = map[string]bool{
	"p": true, "div": true, "table": true, "thead": true, "tbody": true, "tfoot": true, "tr": true,
	"td": true, "th": true, "ul": true, "ol": true, "figure": true, "figcaption": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "blockquote": true,
	"section": true, "article": true, "header": true, "footer": true, "aside": true, "nav": true,
	"colgroup": true, "caption": true, "hr": true, "dl": true, "dt": true, "dd": true, "pre": true,
	"main": true, "form": true, "address": true, "details": true, "summary": true,
}

// stripHTMLTags removes raw HTML from a Markdown body: comments, scripts and
// styles go entirely; <br> becomes a hard line break, <li> a list item, other
// block tags a paragraph break, and inline tags vanish.
func stripHTMLTags(s string) string {
	if strings.Contains(s, "<!--") {
		s = htmlComment.ReplaceAllString(s, "")
	}
	low := strings.ToLower(s)
	if strings.Contains(low, "<script") || strings.Contains(low, "<style") {
		s = htmlScript.ReplaceAllString(s, "")
	}
	if strings.Contains(low, "<br") {
		s = htmlBreak.ReplaceAllString(s, "\\\n")
	}
	return htmlTag.ReplaceAllStringFunc(s, func(tag string) string {
		m := htmlTag.FindStringSubmatch(tag)
		name := strings.ToLower(m[2])
		switch {
		case name == "br":
			return "\\\n"
		case name == "li" && m[1] == "":
			return "\n\n- "
		case name == "li":
			return "\n\n"
		case blockTags[name]:
			return "\n\n"
		}
		return ""
	})
}

// inline removes inline Markdown from s: backslash escapes, code spans,
// emphasis, links (keeping their text), images, autolink brackets and HTML
// entities.
func inline(s string) string {
	if !strings.ContainsAny(s, "\\`*_[]!<&") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '\\':
			if i+1 < len(s) && isASCIIPunct(s[i+1]) {
				b.WriteByte(s[i+1])
				i += 2
				continue
			}
		case '`':
			n := runLen(s, i, '`')
			if end := strings.Index(window(s, i+n, 1000), s[i:i+n]); end >= 0 {
				b.WriteString(strings.TrimSpace(s[i+n : i+n+end]))
				i += n + end + n
				continue
			}
			b.WriteString(s[i : i+n])
			i += n
			continue
		case '!':
			if i+1 < len(s) && s[i+1] == '[' {
				if _, end, ok := parseLink(s, i+1); ok {
					i = end // images are dropped
					continue
				}
			}
		case '[':
			if text, end, ok := parseLink(s, i); ok {
				b.WriteString(inline(text))
				i = end
				continue
			}
		case '<':
			if end := strings.IndexByte(window(s, i, 500), '>'); end > 0 {
				inner := s[i+1 : i+end]
				if (strings.HasPrefix(inner, "http://") || strings.HasPrefix(inner, "https://") ||
					strings.HasPrefix(inner, "mailto:") || strings.Contains(inner, "@")) && !strings.ContainsAny(inner, " \n<") {
					b.WriteString(inner)
					i += end + 1
					continue
				}
			}
		case '*', '_':
			n := runLen(s, i, c)
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			next, _ := utf8.DecodeRuneInString(s[i+n:])
			if i == 0 {
				prev = ' '
			}
			if i+n == len(s) {
				next = ' '
			}
			if (c == '*' && n > 1) || emphasis(c, prev, next) {
				i += n
				continue
			}
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		b.WriteByte(c)
		i++
	}
	out := b.String()
	if strings.IndexByte(out, '&') >= 0 {
		out = html.UnescapeString(out)
	}
	return out
}

// window returns s[i:], cut to at most n bytes, so that searches for a
// closing mark stay linear on hostile input.
func window(s string, i, n int) string {
	if len(s)-i > n {
		return s[i : i+n]
	}
	return s[i:]
}

func runLen(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// emphasis decides whether a run of '*' or '_' between prev and next is an
// emphasis delimiter. '*' is markup unless spaces surround it inside a line
// ("5 * 3"); '_' is markup only at a word boundary, so snake_case stays.
func emphasis(c byte, prev, next rune) bool {
	if c == '*' {
		return !((prev == ' ' || prev == '\t') && unicode.IsSpace(next))
	}
	return isWordRune(prev) != isWordRune(next)
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// parseLink parses "[text](dest)" or "[text][ref]" at s[i] == '['. It
// returns the link text and the offset just past the link.
func parseLink(s string, i int) (text string, end int, ok bool) {
	const limit = 2000 // bound the search so that hostile input stays linear
	close := matchBracket(s, i, '[', ']', limit)
	if close < 0 || close+1 >= len(s) {
		return "", 0, false
	}
	switch s[close+1] {
	case '(':
		p := matchBracket(s, close+1, '(', ')', limit)
		if p < 0 {
			// Unbalanced parentheses in the address: it ends at the last ')'
			// before white space.
			dest := window(s, close+2, limit)
			if sp := strings.IndexFunc(dest, unicode.IsSpace); sp >= 0 {
				dest = dest[:sp]
			}
			last := strings.LastIndexByte(dest, ')')
			if last < 0 {
				return "", 0, false
			}
			p = close + 2 + last
		}
		return s[i+1 : close], p + 1, true
	case '[':
		p := matchBracket(s, close+1, '[', ']', 200)
		if p < 0 {
			return "", 0, false
		}
		return s[i+1 : close], p + 1, true
	}
	return "", 0, false
}

// matchBracket returns the offset of the bracket closing the one at s[i],
// honouring nesting and backslash escapes, or -1 within limit bytes.
func matchBracket(s string, i int, open, close byte, limit int) int {
	depth := 0
	for j := i; j < len(s) && j-i < limit; j++ {
		switch s[j] {
		case '\\':
			j++
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}
