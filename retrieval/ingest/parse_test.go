package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// readTestdata returns the bytes of testdata/rel.
func readTestdata(t testing.TB, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// assertClean fails when text still holds markup, escapes or boilerplate.
func assertClean(t *testing.T, text string) {
	t.Helper()
	for _, bad := range []string{`\`, "**", "](", "<br", "<td", "###", "Print Friendly", "Share this", "Opens in new window", "\r", "\u00a0", "  "} {
		if strings.Contains(text, bad) {
			t.Errorf("text contains %q:\n%s", bad, text)
		}
	}
	if text != strings.TrimSpace(text) || strings.Contains(text, "\n\n\n") {
		t.Errorf("text not trimmed or has runs of blank lines: %q", text)
	}
}

func TestParseMarkdownCorpus(t *testing.T) {
	tests := []struct {
		rel, title, date, url string
		contains              []string
	}{
		{
			rel:   "corpus/2021-07-22-fact-sheet-measures-on-cuba.md",
			title: "FACT SHEET: Biden-Harris Administration Measures on Cuba",
			date:  "2021-07-22",
			url:   "https://bidenwhitehouse.archives.gov/briefing-room/statements-releases/2021/07/22/fact-sheet-biden-harris-administration-measures-on-cuba/",
			contains: []string{
				"“The United States stands with the brave Cubans",
				"\n\nHolding the Cuban Regime Accountable\n\n",
				"– President Biden",
			},
		},
		{
			rel:      "corpus/2010-02-us-cuba-migration-talks.md",
			title:    "Respect in Migration Talks; Dissonance over Dissidents",
			date:     "2010-02",
			contains: []string{"President George W. Bush.", "Alan Gross (read more here)."},
		},
	}
	for _, tc := range tests {
		t.Run(tc.rel, func(t *testing.T) {
			data := readTestdata(t, tc.rel)
			doc, err := Parse(tc.rel, data, Options{Source: "knowledge", Language: "en", Tags: []string{"bilateral"}})
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			checks := []struct{ field, got, want string }{
				{"ID", doc.ID, "knowledge/" + tc.rel},
				{"Source", doc.Source, "knowledge"},
				{"Path", doc.Path, tc.rel},
				{"Title", doc.Title, tc.title},
				{"Date", doc.Date, tc.date},
				{"URL", doc.URL, tc.url},
				{"Outlet", doc.Outlet, ""}, // the "source" key is provenance, not an outlet
				{"Language", doc.Language, "en"},
				{"Hash", doc.Hash, hex.EncodeToString(sum[:])},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
				}
			}
			if doc.Size != int64(len(data)) {
				t.Errorf("Size = %d, want %d", doc.Size, len(data))
			}
			if !slices.Equal(doc.Tags, []string{"bilateral"}) {
				t.Errorf("Tags = %q", doc.Tags)
			}
			if strings.HasPrefix(doc.Text, tc.title) || strings.HasPrefix(doc.Text, "#") {
				t.Errorf("text starts with the title heading: %.80q", doc.Text)
			}
			for _, want := range tc.contains {
				if !strings.Contains(doc.Text, want) {
					t.Errorf("text lacks %q", want)
				}
			}
			assertClean(t, doc.Text)
		})
	}
}

func TestParseMarkdownMessyScraper(t *testing.T) {
	tests := []struct {
		file, title, date, url, tag string
		first, last                 string // start and end of Text
	}{
		{
			file:  "2021-07-12-statement-protests-in-cuba.md",
			title: "Statement by President Joseph R. Biden, Jr. on Protests in Cuba", // \_ (NBSP) becomes a space
			date:  "2021-07-12",
			url:   "https://bidenwhitehouse.archives.gov/briefing-room/statements-releases/2021/07/12/statement-by-president-joseph-r-biden-jr-on-protests-in-cuba/",
			tag:   "statements-releases",
			first: "We stand with the Cuban people and their clarion call for freedom and relief from", // soft breaks joined
			last:  "rather than enriching themselves.",                                                 // the \### end mark is gone
		},
		{
			file:  "2022-10-30-statement-congratulating-lula-brazil.md",
			title: "Statement by President Joe Biden Congratulating Luiz Inácio Lula da Silva as President of Brazil", // \xE1 and a folded line
			date:  "2022-10-30",
			url:   "https://bidenwhitehouse.archives.gov/briefing-room/statements-releases/2022/10/30/statement-by-president-joe-biden-congratulating-luiz-inacio-lula-da-silva-as-president-of-brazil/",
			tag:   "statements-releases",
			first: "I send my congratulations to Luiz Inácio Lula da Silva",
			last:  "in the months and years ahead.",
		},
		{
			file:  "2025-01-25-readout-call-king-abdullah-jordan.md",
			title: "Readout of President Donald J. Trump’s Call with King Abdullah II of Jordan", // \u2019
			date:  "2025-01-25",
			url:   "https://www.whitehouse.gov/briefings-statements/2025/01/readout-of-president-donald-j-trumps-call-with-king-abdullah-ii-of-jordan/",
			tag:   "briefings-statements",
			first: "Today, President Donald J. Trump held a call",
			last:  "regional peace, security, and stability.",
		},
		{
			file:  "2025-09-17-icymi-mortgage-rates-fall-to-three-year-low.md",
			title: "ICYMI: Mortgage Rates Fall to Three-Year Low", // single-quoted YAML
			date:  "2025-09-17",
			url:   "https://www.whitehouse.gov/articles/2025/09/icymi-mortgage-rates-fall-to-three-year-low/",
			tag:   "articles",
			first: "Mortgage rates have fallen to their lowest levels in three years, making the third straight week of declines",
			last:  "That is the lowest level since late 2022.”",
		},
		{
			file:  "2025-09-26-ondcp-drug-free-communities-grants.md",
			title: "ONDCP To Recompete Drug-Free Communities (DFC) Grants To Ensure Compliance With President Trump’s Executive Orders",
			date:  "2025-09-26",
			url:   "https://www.whitehouse.gov/articles/2025/09/ondcp-to-recompete-drug-free-communities-dfc-grants-to-ensure-compliance-with-president-trumps-executive-orders/",
			tag:   "articles",
			first: "The White House Office of National Drug Control Policy has decided", // HTML table markup gone
			last:  "to protect our youth from drugs.",
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			rel := "messy/" + tc.file
			doc, err := Parse(rel, readTestdata(t, rel), Options{Source: "wh"})
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tc.title || doc.Date != tc.date || doc.URL != tc.url {
				t.Errorf("got title %q date %q url %q\nwant title %q date %q url %q", doc.Title, doc.Date, doc.URL, tc.title, tc.date, tc.url)
			}
			if !slices.Equal(doc.Tags, []string{tc.tag}) {
				t.Errorf("Tags = %q, want [%q]", doc.Tags, tc.tag)
			}
			if !strings.HasPrefix(doc.Text, tc.first) || !strings.HasSuffix(doc.Text, tc.last) {
				t.Errorf("text = %q\nwant it to start with %q and end with %q", doc.Text, tc.first, tc.last)
			}
			assertClean(t, doc.Text)
			if strings.ContainsAny(doc.Text, "<>*") {
				t.Errorf("text keeps markup: %q", doc.Text)
			}
		})
	}
}

func TestParseSeedText(t *testing.T) {
	rel := "seed/us-cuba-migration-talks-2010.txt"
	raw := readTestdata(t, rel)
	if !strings.Contains(string(raw), "Print Friendly, PDF & Email") {
		t.Fatal("seed file lost its boilerplate line; the test would prove nothing")
	}
	doc, err := Parse(rel, raw, Options{Source: "seed"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Respect in Migration Talks; Dissonance over Dissidents"; doc.Title != want {
		t.Errorf("Title = %q, want %q", doc.Title, want)
	}
	if doc.Date != "" {
		t.Errorf("Date = %q, want none (no date in the name)", doc.Date)
	}
	if !strings.HasPrefix(doc.Text, "A United States delegation led by Craig Kelly") {
		t.Errorf("text starts %.80q", doc.Text)
	}
	for _, want := range []string{"Friday, February 19th, to discuss", "Alan Gross (read more here).", "besides immigration."} {
		if !strings.Contains(doc.Text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	if n := strings.Count(doc.Text, "\n\n"); n != 4 {
		t.Errorf("got %d paragraph breaks, want 4", n)
	}
	assertClean(t, doc.Text)
}

func TestParsePlainTextDateFromName(t *testing.T) {
	doc, err := Parse("notes/2021-07-22-cuba.txt", []byte("\n\n  Cuba   measures \r\nFirst line of body.\r\n\r\n\r\nSecond paragraph.\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "Cuba measures" || doc.Date != "2021-07-22" || doc.ID != "notes/2021-07-22-cuba.txt" {
		t.Errorf("got title %q date %q id %q", doc.Title, doc.Date, doc.ID)
	}
	if want := "First line of body.\n\nSecond paragraph."; doc.Text != want {
		t.Errorf("Text = %q, want %q", doc.Text, want)
	}
}

func TestParseHTML(t *testing.T) {
	tests := []struct {
		rel, title, date, url, outlet, lang string
		contains, absent                    []string
	}{
		{
			rel: "html/cuba-talks.html", title: "Migration Talks Resume in Havana", date: "2010-02-20",
			url: "https://notes.example.org/2010/02/migration-talks", outlet: "Hemisphere Notes", lang: "en",
			contains: []string{
				"A United States delegation led by Craig Kelly",
				"“atmosphere of respect”",
				"Alan Gross (read more here).",
				"The agenda included:\n\n- safe and orderly migration between the two countries;\n- cooperation against alien smuggling;",
				"the dialogue would continue.",
			},
			absent: []string{"Home", "About us", "Do not index", "font-family", "sidebar link", "Footer text", "Click to share", "Print Friendly", "Share this"},
		},
		{
			rel: "html/statement.htm", title: "Joint Statement on Maritime Migration", date: "2023-12-28",
			url: "https://gov.example/statements/maritime-migration",
			contains: []string{
				"The two governments reaffirmed their commitment",
				"information campaigns in the region.",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.rel, func(t *testing.T) {
			doc, err := Parse(tc.rel, readTestdata(t, tc.rel), Options{Source: "web"})
			if err != nil {
				t.Fatal(err)
			}
			checks := []struct{ field, got, want string }{
				{"Title", doc.Title, tc.title}, {"Date", doc.Date, tc.date}, {"URL", doc.URL, tc.url},
				{"Outlet", doc.Outlet, tc.outlet}, {"Language", doc.Language, tc.lang},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
				}
			}
			for _, want := range tc.contains {
				if !strings.Contains(doc.Text, want) {
					t.Errorf("text lacks %q:\n%s", want, doc.Text)
				}
			}
			for _, bad := range tc.absent {
				if strings.Contains(doc.Text, bad) {
					t.Errorf("text keeps boilerplate %q:\n%s", bad, doc.Text)
				}
			}
			if strings.HasPrefix(doc.Text, tc.title) {
				t.Errorf("text repeats the title: %.80q", doc.Text)
			}
			assertClean(t, doc.Text)
		})
	}
}

// cp1252 is "“Smart quotes” café – ok." plus a sentence, in Windows-1252.
var cp1252 = append(append([]byte("title line\n\x93Smart quotes\x94 caf\xe9 \x96 ok."), []byte(" Plain ASCII follows here.")...), '\n')

func TestParseBadFiles(t *testing.T) {
	tests := []struct {
		name, rel string
		data      []byte
		reason    string // substring of the skip reason
	}{
		{"empty", "a.md", nil, "empty file"},
		{"whitespace only", "a.txt", []byte(" \n\t\r\n  \n"), "empty file"},
		{"NUL bytes", "a.md", []byte("# Title\x00\x00\x01binary"), "binary"},
		{"control bytes", "a.txt", []byte("\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f text"), "binary"},
		{"undecodable bytes", "a.txt", []byte("Title\n\x81\x8d\x8f\x90\x9d\x81\x8d\x8f\x90\x9d body"), "binary"},
		{"unsupported extension", "report.pdf", []byte("%PDF-1.4 text"), "unsupported file type \".pdf\""},
		{"no extension", "Makefile", []byte("all:\n"), "unsupported file type"},
		{"unterminated front matter", "a.md", []byte("---\ntitle: Cuba\ndate: 2010-02\n\nBody text that never closes the block."), "front matter: unterminated ---"},
		{"front matter only dashes", "a.md", []byte("---"), "front matter: unterminated ---"},
		{"front matter not YAML", "a.md", []byte("---\njust some words\ntitle: x\n---\nBody."), "front matter: line 3: "},
		{"front matter is a list", "a.md", []byte("---\n- a\n- b\n---\nBody."), "front matter: not a mapping"},
		{"front matter broken flow mapping", "a.md", []byte("---\ntitle: ok\n{broken: [1, 2\n---\nBody."), "front matter: "},
		{"no body after front matter", "a.md", []byte("---\ntitle: Only a title\n---\n\n"), "no body text"},
		{"markdown with only an image", "a.md", []byte("![photo](https://example.org/p.jpg)\n"), "no body text"},
		{"markdown with only boilerplate", "a.md", []byte("Share this:\n\nPrint Friendly, PDF & Email\n"), "no body text"},
		{"text with a title only", "a.txt", []byte("Just a title\n"), "no body text"},
		{"html without text", "a.html", []byte("<html><head><title>T</title></head><body><nav>Home</nav></body></html>"), "no body text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Parse(tc.rel, tc.data, Options{Source: "s"})
			var se *SkipError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v (doc %q), want a *SkipError", err, doc.Text)
			}
			if se.Path != tc.rel || !strings.Contains(se.Reason, tc.reason) {
				t.Errorf("skip = %+v, want path %q and reason containing %q", se, tc.rel, tc.reason)
			}
			if want := "skip " + tc.rel + ": " + se.Reason; err.Error() != want {
				t.Errorf("Error() = %q, want %q", err.Error(), want)
			}
		})
	}
}

func TestParseWindows1252(t *testing.T) {
	doc, err := Parse("legacy.txt", cp1252, Options{})
	if err != nil {
		t.Fatalf("a Windows-1252 file must be kept, got %v", err)
	}
	if want := "“Smart quotes” café – ok. Plain ASCII follows here."; doc.Text != want {
		t.Errorf("Text = %q, want %q", doc.Text, want)
	}
	sum := sha256.Sum256(cp1252)
	if doc.Hash != hex.EncodeToString(sum[:]) {
		t.Error("Hash is not the hash of the raw bytes")
	}
}

func TestParseUTF8BOMAndUTF16(t *testing.T) {
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range "Título\nCuerpo del artículo." {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"utf-8 BOM", append([]byte{0xEF, 0xBB, 0xBF}, "Título\nCuerpo del artículo."...)},
		{"utf-16 LE BOM", utf16},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Parse("a.txt", tc.data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != "Título" || doc.Text != "Cuerpo del artículo." {
				t.Errorf("got title %q text %q", doc.Title, doc.Text)
			}
		})
	}
}

func TestParseFrontMatterTolerance(t *testing.T) {
	tests := []struct {
		name, rel, fm string
		title, date   string
		url, outlet   string
		lang          string
		tags          []string
	}{
		{name: "unquoted colon in title", fm: "title: Cuba: A New Policy\ndate: 2022-05-17", title: "Cuba: A New Policy", date: "2022-05-17"},
		{name: "bad escape in double quotes", fm: `title: "Talks \q and \*stars\* and \u2019"`, title: "Talks q and *stars* and ’"},
		{name: "markdown escapes in plain value", fm: `title: S.\_1608 \[draft\]`, title: "S._1608 [draft]"},
		{name: "tab indentation", fm: "title: Tabbed\ntags:\n\t- cuba\n\t- migration", title: "Tabbed", tags: []string{"cuba", "migration"}},
		{name: "comma tags", fm: "title: T\ntags: cuba, migration , ,cuba", title: "T", tags: []string{"cuba", "migration"}},
		{name: "long date", fm: "title: T\ndate: February 19, 2010", title: "T", date: "2010-02-19"},
		{name: "ordinal date", fm: "title: T\ndate: Feb. 19th, 2010", title: "T", date: "2010-02-19"},
		{name: "month precision", fm: "title: T\ndate: '2010-02'", title: "T", date: "2010-02"},
		{name: "month name precision", fm: "title: T\ndate: February 2010", title: "T", date: "2010-02"},
		{name: "year only", fm: "title: T\ndate: 2010", title: "T", date: "2010"},
		{name: "YAML timestamp", fm: "title: T\ndate: 2021-07-22 13:45:00", title: "T", date: "2021-07-22"},
		{name: "published_time only", fm: "title: T\npublished_time: 2021-07-22T23:45:00-04:00", title: "T", date: "2021-07-22"},
		{name: "date wins over published_time", fm: "title: T\npublished_time: 2021-07-23 01:00:00\ndate: '2021-07-22'", title: "T", date: "2021-07-22"},
		{name: "bad date falls back to file name", rel: "2019-03-04-x.md", fm: "title: T\ndate: someday", title: "T", date: "2019-03-04"},
		{name: "impossible date", rel: "x.md", fm: "title: T\ndate: 2021-02-30", title: "T", date: ""},
		{name: "url keys", fm: "title: T\nlink: https://l.example\nsource_url: https://s.example", title: "T", url: "https://s.example"},
		{name: "url wins", fm: "title: T\nsource_url: https://s.example\nurl: https://u.example", title: "T", url: "https://u.example"},
		{name: "outlet keys", fm: "title: T\nsite_name: Site\npublisher: Pub", title: "T", outlet: "Pub"},
		{name: "source is not outlet", fm: "title: T\nsource: repo:path\nid: x\nlicense: CC0\ncommit: abc\nmodified_time: 2020-01-01\nextra: [1, 2]", title: "T"},
		{name: "language", fm: "title: T\nlang: es-CU", title: "T", lang: "es"},
		{name: "keys in any case", fm: "Title: Upper\nDATE: 2020-05-06", title: "Upper", date: "2020-05-06"},
		{name: "empty front matter", fm: "", title: "Heading Title"},
		{name: "null title uses heading", fm: "title:\ndate: 2010", title: "Heading Title", date: "2010"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rel := tc.rel
			if rel == "" {
				rel = "doc.md"
			}
			src := "---\n" + tc.fm + "\n---\n# Heading Title\n\nBody text of the article.\n"
			doc, err := Parse(rel, []byte(src), Options{Tags: []string{"cuba"}})
			if err != nil {
				t.Fatal(err)
			}
			wantTags := tc.tags
			if wantTags == nil {
				wantTags = []string{"cuba"}
			}
			got := []string{doc.Title, doc.Date, doc.URL, doc.Outlet, doc.Language}
			want := []string{tc.title, tc.date, tc.url, tc.outlet, tc.lang}
			if !slices.Equal(got, want) || !slices.Equal(doc.Tags, wantTags) {
				t.Errorf("got  %q tags %q\nwant %q tags %q", got, doc.Tags, want, wantTags)
			}
			wantText := "Body text of the article."
			if tc.title != "Heading Title" {
				wantText = "Heading Title\n\n" + wantText
			}
			if doc.Text != wantText {
				t.Errorf("Text = %q, want %q", doc.Text, wantText)
			}
		})
	}
}

func TestParseMarkdownMarkup(t *testing.T) {
	src := "---\ntitle: Markup\n---\n" +
		"Intro with **bold**, *italic*, _under_ and `code`; snake_case_name and 5 * 3 stay.\r\n" +
		"A [link](https://example.org/a_(b)) and ![an image](i.png) and <https://auto.example>.\n\n" +
		"Setext Heading\n==============\n\n" +
		"## Section ##\n" +
		"- first item\n  continued\n* second item\n1. numbered\n\n" +
		"> Quoted text, [ref link][r] and [inaudible].\n\n" +
		"| Country | Measure |\n|---|---|\n| Cuba | Embargo |\n\n" +
		"Line one<br>\nline two &amp; more<sup>th</sup>.\n\n" +
		"<!-- a comment -->\n***\n\\###\n\n[r]: https://example.org/ref\n" +
		"Like this:\n\nLoading...\n\nLast\u00a0line  with   spaces.\n"
	doc, err := Parse("m.markdown", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "Intro with bold, italic, under and code; snake_case_name and 5 * 3 stay. " +
		"A link and and https://auto.example.\n\n" +
		"Setext Heading\n\n" +
		"Section\n\n" +
		"- first item continued\n- second item\n1. numbered\n\n" +
		"Quoted text, ref link and [inaudible].\n\n" +
		"Country | Measure\nCuba | Embargo\n\n" +
		"Line one\nline two & moreth.\n\n" +
		"Last line with spaces."
	if doc.Text != want {
		t.Errorf("Text =\n%s\nwant\n%s", doc.Text, want)
	}
}

func TestInline(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"**bold** and __strong__ and *em* and _em_", "bold and strong and em and em"},
		{"*** ****“Quoted”*", " “Quoted”"},
		{"snake_case and 590 U.S. ___ (2020) and 5 * 3", "snake_case and 590 U.S. ___ (2020) and 5 * 3"},
		{`\*not em\* and \[not link\](x) and \\`, `*not em* and [not link](x) and \`},
		{"[text](https://e.org/a_(b)) end", "text end"},
		{"[CEO Mike Spier](https://e.org/x#:~:text=U.S.%20(USW,wheat.): “We”", "CEO Mike Spier: “We”"},
		{"[ref][1] and [unclosed and [inaudible]", "ref and [unclosed and [inaudible]"},
		{"![alt](p.png)[![badge](b.svg)](https://e.org)after", "after"},
		{"<https://e.org/a> and <MBX.Media@OMB.eop.gov> and a < b > c", "https://e.org/a and MBX.Media@OMB.eop.gov and a < b > c"},
		{"`code *stays*` and ``a ` b``", "code *stays* and a ` b"},
		{"Tom &amp; Jerry &#8217; &nbsp;x", "Tom & Jerry ’ \u00a0x"},
	}
	for _, tc := range tests {
		if got := inline(tc.in); got != tc.want {
			t.Errorf("inline(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestParseMarkdownTitleFallbacks(t *testing.T) {
	tests := []struct{ name, src, title, text string }{
		{"first heading", "Lead line.\n\n# The Heading\n\nBody.", "The Heading", "Lead line.\n\nThe Heading\n\nBody."},
		{"leading heading dropped", "# The Heading\n\nBody.", "The Heading", "Body."},
		{"first line", "Plain first line\n\nBody.", "Plain first line", "Plain first line\n\nBody."},
		{"escaped heading", "# S.\\_1608 Signed\n\nBody.", "S._1608 Signed", "Body."},
		{"end mark inside a paragraph", "# T\n\nLast line of the text.  \n\\###\n", "T", "Last line of the text."},
		{"different heading kept", "---\ntitle: Other\n---\n# The Heading\n\nBody.", "Other", "The Heading\n\nBody."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Parse("t.md", []byte(tc.src), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tc.title || doc.Text != tc.text {
				t.Errorf("got title %q text %q\nwant title %q text %q", doc.Title, doc.Text, tc.title, tc.text)
			}
		})
	}
}

func TestNormDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2021-07-22", "2021-07-22"},
		{"'2021-07-22'", "2021-07-22"},
		{"2021-07-22T13:45:00-04:00", "2021-07-22"},
		{"2021-07-22 13:45:00", "2021-07-22"},
		{"2021-7-2", "2021-07-02"},
		{"2021/07/22", "2021-07-22"},
		{"2010-02", "2010-02"},
		{"2010", "2010"},
		{"February 19, 2010", "2010-02-19"},
		{"Feb 19 2010", "2010-02-19"},
		{"Sept. 3, 2021", "2021-09-03"},
		{"19 February 2010", "2010-02-19"},
		{"Friday, February 19, 2010", "2010-02-19"},
		{"Mon, 02 Jan 2006 15:04:05 MST", "2006-01-02"},
		{"February 2010", "2010-02"},
		{"2010-13", ""},
		{"2010-02-30", ""},
		{"yesterday", ""},
		{"", ""},
		{"999", ""},
	}
	for _, tc := range tests {
		if got := normDate(tc.in); got != tc.want {
			t.Errorf("normDate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLoad(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	writeFile(t, root, "news/2021-07-22-cuba.md", "---\ntitle: Cuba\n---\nBody of the article.\n")
	writeFile(t, root, "big.txt", "Title\n"+strings.Repeat("word ", 100))
	mtime := time.Date(2021, 7, 23, 10, 0, 0, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(root, "news", "2021-07-22-cuba.md"), mtime, mtime); err != nil {
		t.Fatal(err)
	}

	doc, err := Load(ctx, root, "news/2021-07-22-cuba.md", Options{Source: "knowledge"})
	if err != nil {
		t.Fatal(err)
	}
	if doc.ID != "knowledge/news/2021-07-22-cuba.md" || doc.Date != "2021-07-22" || !doc.ModTime.Equal(mtime) || doc.Text != "Body of the article." {
		t.Errorf("got id %q date %q mtime %v text %q", doc.ID, doc.Date, doc.ModTime, doc.Text)
	}

	_, err = Load(ctx, root, "big.txt", Options{MaxFileBytes: 100})
	var se *SkipError
	if !errors.As(err, &se) || !strings.Contains(se.Reason, "too large") {
		t.Errorf("oversized file: err = %v, want a too-large skip", err)
	}
	if _, err := Load(ctx, root, "big.txt", Options{}); err != nil {
		t.Errorf("default limit: %v", err)
	}

	if _, err := Load(ctx, root, "missing.md", Options{}); err == nil || errors.As(err, &se) {
		t.Errorf("missing file: err = %v, want a plain error", err)
	}
	if _, err := Load(ctx, root, "../outside.md", Options{}); err == nil || !strings.Contains(err.Error(), "not inside") {
		t.Errorf("path outside root: err = %v", err)
	}
	if _, err := Load(ctx, root, "news", Options{}); !errors.As(err, &se) {
		t.Errorf("directory: err = %v, want a skip", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Load(cancelled, root, "big.txt", Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
}

// writeFile creates root/rel with the given content, making directories.
func writeFile(t *testing.T, root, rel, content string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkParseMarkdown(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "corpus", "2021-03-08-dhs-venezuela-temporary-protected-status.md"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("2021-03-08-tps.md", data, Options{Source: "k"}); err != nil {
			b.Fatal(err)
		}
	}
}
