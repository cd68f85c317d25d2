package ingest

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// dateMetaKeys are the <meta> names and properties that carry a publication
// date, best first.
var dateMetaKeys = []string{
	"article:published_time", "og:published_time", "og:article:published_time",
	"datepublished", "date", "dc.date", "dc.date.issued", "dcterms.date", "dcterms.issued",
	"pubdate", "publishdate", "publish-date", "publication_date", "sailthru.date", "parsely-pub-date",
}

// parseHTML extracts the metadata and the main article text of an HTML page.
func parseHTML(src string) (meta, string, error) {
	root, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return meta{}, "", fmt.Errorf("html: %w", err)
	}
	var (
		m        meta
		metas    = map[string]string{}
		title    string
		h1       string
		timeAttr string
		lang     string
	)
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Html:
				lang = attr(n, "lang")
			case atom.Title:
				if title == "" {
					title = textOf(n)
				}
			case atom.H1:
				if h1 == "" {
					h1 = textOf(n)
				}
			case atom.Meta:
				content := attr(n, "content")
				for _, k := range []string{"property", "name", "itemprop", "http-equiv"} {
					if key := strings.ToLower(strings.TrimSpace(attr(n, k))); key != "" && content != "" {
						if _, dup := metas[key]; !dup {
							metas[key] = content
						}
					}
				}
			case atom.Link:
				if strings.EqualFold(attr(n, "rel"), "canonical") {
					if _, dup := metas["canonical"]; !dup {
						metas["canonical"] = attr(n, "href")
					}
				}
			case atom.Time:
				if timeAttr == "" {
					timeAttr = attr(n, "datetime")
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(root)

	m.url = cleanValue(firstNonEmpty(metas["og:url"], metas["canonical"]))
	m.outlet = cleanValue(metas["og:site_name"])
	m.language = normLanguage(firstNonEmpty(lang, metas["og:locale"], metas["content-language"]))
	for _, k := range dateMetaKeys {
		if d := normDate(metas[k]); d != "" {
			m.date = d
			break
		}
	}
	if m.date == "" {
		m.date = normDate(timeAttr)
	}

	var pageURL *url.URL
	if u, err := url.Parse(m.url); err == nil && u.IsAbs() {
		pageURL = u
	}
	article, err := readability.FromDocument(root, pageURL)
	var body string
	if err == nil && article.Node != nil {
		body = renderText(article.Node)
	}
	if strings.TrimSpace(body) == "" {
		// Fall back to the whole page without its chrome.
		body = renderText(root)
	}
	if m.date == "" && err == nil {
		if t, terr := article.PublishedTime(); terr == nil {
			m.date = t.Format("2006-01-02")
		}
	}
	if m.outlet == "" && err == nil {
		m.outlet = cleanValue(article.SiteName())
	}
	m.title = cleanValue(firstNonEmpty(metas["og:title"], metas["twitter:title"], title, h1))
	if m.title == "" && err == nil {
		m.title = cleanValue(article.Title())
	}
	return m, body, nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

// textOf returns the text inside n with white space collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return normLine(b.String())
}

// skipElements hold no article text.
var skipElements = map[atom.Atom]bool{
	atom.Head: true, atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Svg: true, atom.Canvas: true, atom.Form: true, atom.Button: true,
	atom.Select: true, atom.Input: true, atom.Textarea: true, atom.Nav: true, atom.Footer: true,
	atom.Aside: true, atom.Header: true, atom.Img: true, atom.Video: true, atom.Audio: true,
	atom.Object: true, atom.Embed: true, atom.Dialog: true,
}

// paragraphElements start and end a paragraph.
var paragraphElements = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Blockquote: true, atom.Ul: true, atom.Ol: true,
	atom.Table: true, atom.Section: true, atom.Article: true, atom.Main: true, atom.Figure: true,
	atom.Figcaption: true, atom.Pre: true, atom.Hr: true, atom.Dl: true, atom.Address: true,
	atom.Details: true, atom.Summary: true,
}

// lineElements start a new line.
var lineElements = map[atom.Atom]bool{
	atom.Br: true, atom.Tr: true, atom.Dt: true, atom.Dd: true, atom.Caption: true,
}

// renderText turns an HTML tree into plain text: paragraphs separated by
// blank lines, list items as "- " (or "1. ") lines.
func renderText(n *html.Node) string {
	var r textRenderer
	r.render(n, 0)
	return r.b.String()
}

type textRenderer struct {
	b     strings.Builder
	brk   int  // pending break: 0 none, 1 line, 2 paragraph
	space bool // pending space
	pre   int  // depth inside <pre>
}

func (r *textRenderer) breakLine(n int) {
	if n > r.brk {
		r.brk = n
	}
}

func (r *textRenderer) write(s string) {
	if r.b.Len() > 0 {
		switch {
		case r.brk == 2:
			r.b.WriteString("\n\n")
		case r.brk == 1:
			r.b.WriteByte('\n')
		case r.space:
			r.b.WriteByte(' ')
		}
	}
	r.brk, r.space = 0, false
	r.b.WriteString(s)
}

func (r *textRenderer) render(n *html.Node, item int) {
	switch n.Type {
	case html.TextNode:
		if r.pre > 0 {
			lines := strings.Split(n.Data, "\n")
			for i, l := range lines {
				if i > 0 {
					r.breakLine(1)
				}
				if strings.TrimSpace(l) != "" {
					r.write(l)
				}
			}
			return
		}
		data := n.Data
		if len(data) > 0 && isHTMLSpace(data[0]) {
			r.space = true
		}
		for _, w := range strings.Fields(data) {
			r.write(w)
			r.space = true
		}
		if len(data) > 0 && !isHTMLSpace(data[len(data)-1]) {
			r.space = false
		}
		return
	case html.ElementNode:
		if skipElements[n.DataAtom] {
			return
		}
	case html.DocumentNode:
	default:
		return
	}
	a := n.DataAtom
	switch {
	case paragraphElements[a]:
		r.breakLine(2)
	case lineElements[a]:
		r.breakLine(1)
	case a == atom.Td || a == atom.Th:
		r.space = true
	case a == atom.Li:
		r.breakLine(1)
		if item > 0 {
			r.write(strconv.Itoa(item) + ".")
		} else {
			r.write("-")
		}
		r.space = true
	}
	if a == atom.Pre {
		r.pre++
	}
	n2 := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		childItem := 0
		if a == atom.Ol && c.Type == html.ElementNode && c.DataAtom == atom.Li {
			n2++
			childItem = n2
		}
		r.render(c, childItem)
	}
	if a == atom.Pre {
		r.pre--
	}
	switch {
	case paragraphElements[a]:
		r.breakLine(2)
	case lineElements[a] && a != atom.Br, a == atom.Li:
		r.breakLine(1)
	}
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}
