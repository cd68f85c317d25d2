package console

import (
	"embed"
	"fmt"
	"html/template"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages are the page templates, each with the layout.
var pages = func() map[string]*template.Template {
	funcs := template.FuncMap{
		"date": func(t time.Time) string {
			if t.IsZero() {
				return "never"
			}
			return t.UTC().Format("2006-01-02 15:04 UTC")
		},
		"pct":   func(v float64) string { return fmt.Sprintf("%.0f%%", v) },
		"model": modelName,
		"get":   func(m map[string]int, k string) int { return m[k] },
		"join":  strings.Join,
		"label": func(s string) string { return strings.ReplaceAll(s, "_", " ") },
	}
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html"))
	out := map[string]*template.Template{}
	for _, name := range []string{"overview", "gaps", "feedback", "index", "model", "login", "message"} {
		t := template.Must(layout.Clone())
		out[name] = template.Must(t.ParseFS(templateFS, "templates/"+name+".html"))
	}
	return out
}()
