package ingest

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var isoPrefixRE = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

// FuzzFrontMatter parses Markdown files with fuzzed front matter: Parse must
// never panic, and must return either a sound document or a *SkipError.
func FuzzFrontMatter(f *testing.F) {
	f.Add("title: \"Remarks by President\\_Biden\"\ndate: '2024-10-10'\npublished_time: 2024-10-10 19:03:23-04:00\ntags: speeches-remarks", "Body text.")
	f.Add("title: Cuba: A New Policy\ndate: February 19, 2010\ntags: [cuba, migration]", "# Cuba: A New Policy\n\nBody.")
	f.Add("title: \"bad \\q escape\"\n\tlang: en", "Body *text*.")
	f.Add("{broken: [1, 2", "Body.")
	f.Add("a: &x [1]\nb: *x\ntitle: *x", "Body.")
	f.Fuzz(func(t *testing.T, fm, body string) {
		src := "---\n" + fm + "\n---\n" + body
		doc, err := Parse("2021-07-22-doc.md", []byte(src), Options{Source: "fuzz"})
		if err != nil {
			var se *SkipError
			if !errors.As(err, &se) || se.Reason == "" {
				t.Fatalf("err = %v, want a *SkipError with a reason", err)
			}
			return
		}
		if doc.Text == "" || doc.Text != strings.TrimSpace(doc.Text) || !utf8.ValidString(doc.Text) {
			t.Fatalf("bad text %q", doc.Text)
		}
		if !utf8.ValidString(doc.Title) || strings.Contains(doc.Title, "\n") {
			t.Fatalf("bad title %q", doc.Title)
		}
		if doc.Date != "" && !isoPrefixRE.MatchString(doc.Date) {
			t.Fatalf("date %q is not an ISO prefix", doc.Date)
		}
		if doc.ID != "fuzz/2021-07-22-doc.md" || len(doc.Hash) != 64 {
			t.Fatalf("id %q hash %q", doc.ID, doc.Hash)
		}
	})
}
