package ingest

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// meta is the metadata found in a file, before defaults are applied.
type meta struct {
	title, date, published, url, outlet, language string
	tags                                          []string
}

// splitFrontMatter separates a leading YAML front matter block ("---" line,
// YAML, "---" or "..." line) from the Markdown body. ok is false when there is
// none; err is set when the block is not terminated.
func splitFrontMatter(src string) (fm, body string, ok bool, err error) {
	first, rest, found := strings.Cut(src, "\n")
	if strings.TrimRight(first, " \t") != "---" {
		return "", src, false, nil
	}
	if !found {
		return "", "", true, errors.New("unterminated ---")
	}
	for pos := 0; pos <= len(rest); {
		end := strings.IndexByte(rest[pos:], '\n')
		next := len(rest) + 1
		line := rest[pos:]
		if end >= 0 {
			line = rest[pos : pos+end]
			next = pos + end + 1
		}
		if l := strings.TrimRight(line, " \t"); l == "---" || l == "..." {
			if next > len(rest) {
				return rest[:pos], "", true, nil
			}
			return rest[:pos], rest[next:], true, nil
		}
		pos = next
	}
	return "", "", true, errors.New("unterminated ---")
}

// parseFrontMatter reads the keys Attaché knows from a YAML front matter
// block. YAML that does not parse is retried once after tolerant fixes
// (tabs, bad escapes, unquoted values with colons).
func parseFrontMatter(fm string) (meta, error) {
	root, err := decodeYAML(fm)
	if err != nil {
		fixed := fixFrontMatter(fm)
		if fixed == fm {
			return meta{}, fileLine(err)
		}
		var err2 error
		if root, err2 = decodeYAML(fixed); err2 != nil {
			return meta{}, fileLine(err)
		}
	}
	var m meta
	if root == nil {
		return m, nil // empty front matter
	}
	if root.Kind != yaml.MappingNode {
		return meta{}, errors.New("not a mapping of keys to values")
	}
	var urls, outlets [3]string
	for i := 0; i+1 < len(root.Content); i += 2 {
		key := strings.ToLower(strings.TrimSpace(root.Content[i].Value))
		val := root.Content[i+1]
		switch key {
		case "title":
			m.title = cleanValue(scalar(val))
		case "date":
			m.date = scalar(val)
		case "published_time", "published", "pubdate", "date_published", "published_at":
			if m.published == "" {
				m.published = scalar(val)
			}
		case "url":
			urls[0] = cleanValue(scalar(val))
		case "source_url":
			urls[1] = cleanValue(scalar(val))
		case "link":
			urls[2] = cleanValue(scalar(val))
		case "outlet":
			outlets[0] = cleanValue(scalar(val))
		case "publisher":
			outlets[1] = cleanValue(scalar(val))
		case "site_name":
			outlets[2] = cleanValue(scalar(val))
		case "language", "lang":
			m.language = normLanguage(scalar(val))
		case "tags":
			m.tags = tagList(val)
		}
	}
	m.url = firstNonEmpty(urls[:]...)
	m.outlet = firstNonEmpty(outlets[:]...)
	return m, nil
}

// decodeYAML parses fm into its top-level node (nil when empty). The YAML
// decoder is guarded so that a panic on hostile input becomes an error.
func decodeYAML(fm string) (root *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("yaml: %v", r)
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(fm), &doc); err != nil {
		return nil, errors.New(strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, nil
	}
	n := doc.Content[0]
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, nil
	}
	return n, nil
}

var yamlLine = regexp.MustCompile(`^line (\d+):`)

// fileLine renumbers "line N:" in a YAML error so that it counts lines of the
// file rather than of the front matter, which starts on line 2.
func fileLine(err error) error {
	msg := err.Error()
	m := yamlLine.FindStringSubmatch(msg)
	if m == nil {
		return err
	}
	n, _ := strconv.Atoi(m[1])
	return errors.New("line " + strconv.Itoa(n+1) + msg[len(m[0])-1:])
}

// scalar returns the text of a scalar node (following an alias), or "".
func scalar(n *yaml.Node) string {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

// tagList reads tags given as a YAML list or as a comma-separated string.
func tagList(n *yaml.Node) []string {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	var tags []string
	switch n.Kind {
	case yaml.SequenceNode:
		for _, c := range n.Content {
			tags = append(tags, scalar(c))
		}
	case yaml.ScalarNode:
		tags = strings.Split(scalar(n), ",")
	}
	return mergeTags(tags)
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

var topLevelKey = regexp.MustCompile(`^([A-Za-z0-9_][A-Za-z0-9_ .-]*?)[ \t]*:(?:[ \t]+(.*))?$`)

// fixFrontMatter applies tolerant fixes to front matter that YAML rejects:
// tab indentation becomes spaces, and a top-level value that does not parse
// on its own (bad backslash escapes, an unquoted colon, an unbalanced quote)
// is re-quoted.
func fixFrontMatter(fm string) string {
	lines := strings.Split(fm, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "\t") {
			lines[i] = strings.Replace(l, "\t", "  ", 1)
			for strings.HasPrefix(lines[i], "  \t") {
				lines[i] = strings.Replace(lines[i], "\t", "  ", 1)
			}
		}
	}
	var out []string
	for i := 0; i < len(lines); {
		m := topLevelKey.FindStringSubmatch(lines[i])
		if m == nil || strings.TrimSpace(m[2]) == "" {
			out = append(out, lines[i])
			i++
			continue
		}
		// The value goes on over indented continuation lines.
		j := i + 1
		for j < len(lines) && (strings.HasPrefix(lines[j], " ") || strings.TrimSpace(lines[j]) == "") {
			j++
		}
		chunk := strings.Join(lines[i:j], "\n")
		if _, err := decodeYAML(chunk); err != nil {
			parts := []string{strings.TrimSpace(m[2])}
			for _, c := range lines[i+1 : j] {
				parts = append(parts, strings.TrimSpace(c))
			}
			chunk = m[1] + ": " + requote(strings.Join(parts, " "))
		}
		out = append(out, chunk)
		i = j
	}
	return strings.Join(out, "\n")
}

// requote turns a value that YAML rejected into a valid quoted scalar. A
// double-quoted value keeps its valid escapes and loses the backslash of the
// others ("\q" becomes "q"); any other value becomes a single-quoted string.
func requote(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		inner := v[1 : len(v)-1]
		var b strings.Builder
		b.WriteByte('"')
		for i := 0; i < len(inner); i++ {
			c := inner[i]
			switch {
			case c == '\\' && i+1 < len(inner) && strings.IndexByte(`0abt	nvfre "/\N_LPxuU`, inner[i+1]) >= 0:
				b.WriteByte(c)
				i++
				b.WriteByte(inner[i])
				continue
			case c == '\\':
				continue // an escape YAML does not know: keep the character only
			case c == '"':
				b.WriteString(`\"`)
				continue
			}
			b.WriteByte(c)
		}
		b.WriteByte('"')
		if _, err := decodeYAML("k: " + b.String()); err == nil {
			return b.String()
		}
		v = inner
	} else if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		v = strings.ReplaceAll(v[1:len(v)-1], "''", "'")
	}
	return "'" + strings.ReplaceAll(v, "'", "''") + "'"
}
