package attache_test

import (
	"go/build"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "attache"

// layers are the packages that import the root package and the internal
// leaves but never each other; only cmd/attache wires them together. A layer
// includes its sub-packages (retrieval/sqlite and retrieval/postgres are part
// of retrieval).
var layers = []string{"answer", "bot", "console", "llm", "retrieval", "state"}

// owners confines each third-party library to the package that wraps it
// (and, for tests, to the fakes that speak its protocol).
var owners = map[string][]string{
	"github.com/bwmarrin/discordgo":     {"bot", "internal/fakediscord"},
	"github.com/sashabaranov/go-openai": {"llm"},
	"github.com/spf13/viper":            {"config"},
	"github.com/spf13/cobra":            {"cmd/attache"},
	"github.com/fsnotify/fsnotify":      {"retrieval"},
	"modernc.org/sqlite":                {"retrieval/sqlite", "retrieval/vector", "state/sqlite"},
	"github.com/prometheus":             {"internal/metrics"},
	"github.com/jackc/pgx":              {"retrieval/postgres", "state/postgres"},
	"github.com/chromedp":               {"cmd/attache"}, // the console's browser test
}

// under reports whether pkg is dir or inside it (both relative to the module).
func under(pkg, dir string) bool { return pkg == dir || strings.HasPrefix(pkg, dir+"/") }

func layerOf(pkg string) string {
	for _, l := range layers {
		if under(pkg, l) {
			return l
		}
	}
	return ""
}

// isFake reports whether pkg is a test helper (a fake service on loopback).
func isFake(pkg string) bool { return strings.HasPrefix(pkg, "internal/fake") }

// importProblems returns the rules of docs/ARCHITECTURE.md that package pkg
// (relative to the module, "" for the root) breaks by importing imp (a full
// import path). test says whether the import is made by a _test.go file.
func importProblems(pkg, imp string, test bool) []string {
	var out []string
	if own := strings.TrimPrefix(imp, module+"/"); imp == module || own != imp {
		if imp == module {
			own = ""
		}
		switch {
		case own == pkg:
		case pkg == "":
			out = append(out, "the root package holds domain types only and imports no other package of the module")
		case under(own, "cmd"):
			out = append(out, "nothing imports a command")
		case isFake(own) && !test && !isFake(pkg):
			out = append(out, "test helpers are imported by tests only")
		case layerOf(pkg) != "" && own != "" && !under(own, "internal") && layerOf(own) != layerOf(pkg):
			out = append(out, "layers import the root package and internal leaves, never another layer, config or eval")
		case under(pkg, "internal") && !isFake(pkg) && own != "" && !under(own, "internal"):
			out = append(out, "internal packages are leaves: they import only the root package and each other")
		case pkg == "config" && own != "" && !under(own, "internal") && own != "knowledge" && layerOf(own) == "":
			out = append(out, "config imports only the root package, internal leaves, the bundled articles and the layers' defaults")
		case pkg == "eval" && own != "" && !under(own, "internal"):
			out = append(out, "eval imports only the root package and internal leaves")
		case pkg == "knowledge":
			out = append(out, "the bundled articles import nothing")
		}
		return out
	}
	for lib, allowed := range owners {
		if !under(imp, lib) {
			continue
		}
		ok := slices.ContainsFunc(allowed, func(a string) bool { return under(pkg, a) })
		if !ok && !(test && lib == "github.com/bwmarrin/discordgo" && pkg == "cmd/attache") {
			out = append(out, lib+" is used only by "+strings.Join(allowed, ", "))
		}
	}
	return out
}

// TestImportRules checks every package of the module against the import
// rules that docs/ARCHITECTURE.md states.
func TestImportRules(t *testing.T) {
	t.Parallel()
	checked := 0
	err := filepath.WalkDir(".", func(dir string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if name := d.Name(); dir != "." && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			return filepath.SkipDir
		}
		p, err := build.ImportDir(dir, 0)
		if err != nil {
			if _, none := err.(*build.NoGoError); none {
				return nil
			}
			return err
		}
		pkg := filepath.ToSlash(dir)
		if pkg == "." {
			pkg = ""
		}
		checked++
		check := func(imports []string, test bool) {
			for _, imp := range imports {
				for _, problem := range importProblems(pkg, imp, test) {
					t.Errorf("%s imports %s: %s", path.Join(module, pkg), imp, problem)
				}
			}
		}
		check(p.Imports, false)
		check(p.TestImports, true)
		check(p.XTestImports, true)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 10 {
		t.Errorf("only %d packages found", checked)
	}
}

// TestImportProblems shows that the rules catch what they forbid.
func TestImportProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pkg, imp string
		test     bool
		bad      bool
	}{
		{"answer", "attache", false, false},
		{"answer", "attache/internal/text", false, false},
		{"answer", "attache/retrieval", false, true},
		{"bot", "attache/answer", false, true},
		{"retrieval", "attache/llm", false, true},
		{"llm", "attache/config", false, true},
		{"retrieval/sqlite", "attache/retrieval", false, false},
		{"retrieval/sqlite", "attache/retrieval/storetest", true, false},
		{"retrieval/postgres", "attache/retrieval", false, false},
		{"retrieval/postgres", "attache/retrieval/storetest", true, false},
		{"retrieval/postgres", "attache/retrieval/sqlite", false, false},
		{"retrieval/postgres", "attache/answer", false, true},
		{"retrieval/postgres", "github.com/jackc/pgx/v5/pgxpool", false, false},
		{"retrieval/sqlite", "github.com/jackc/pgx/v5", false, true},
		{"cmd/attache", "github.com/jackc/pgx/v5", false, true},
		{"cmd/attache", "github.com/jackc/pgx/v5", true, true},
		{"answer", "attache/internal/fakellm", true, false},
		{"answer", "attache/internal/fakellm", false, true},
		{"", "attache/internal/text", false, true},
		{"internal/text", "attache/internal/dates", false, false},
		{"internal/text", "attache/retrieval", false, true},
		{"config", "attache/answer", false, false},
		{"config", "attache/eval", false, true},
		{"config", "attache/knowledge", false, false},
		{"eval", "attache/cmd/attache", false, true},
		{"answer", "github.com/sashabaranov/go-openai", false, true},
		{"llm", "github.com/sashabaranov/go-openai", false, false},
		{"cmd/attache", "github.com/bwmarrin/discordgo", false, true},
		{"cmd/attache", "github.com/bwmarrin/discordgo", true, false},
		{"retrieval/vector", "modernc.org/sqlite", false, false},
		{"answer", "modernc.org/sqlite", false, true},
		{"internal/metrics", "github.com/prometheus/client_golang/prometheus", false, false},
		{"cmd/attache", "attache/retrieval", false, false},
		{"eval", "attache/internal/text", false, false},
		{"eval", "attache/retrieval", false, true},
		{"knowledge", "attache", false, true},
		{"state/sqlite", "attache/state", false, false},
		{"state/sqlite", "attache/state/statetest", true, false},
		{"state/sqlite", "attache/retrieval/sqlite", false, true},
		{"bot", "attache/state", false, true},
		{"state/sqlite", "modernc.org/sqlite", false, false},
		{"state/postgres", "github.com/jackc/pgx/v5/pgxpool", false, false},
		{"bot", "github.com/jackc/pgx/v5", false, true},
	}
	for _, tt := range tests {
		got := importProblems(tt.pkg, tt.imp, tt.test)
		if (len(got) > 0) != tt.bad {
			t.Errorf("%q importing %q (test %v): problems %q, want bad=%v", tt.pkg, tt.imp, tt.test, got, tt.bad)
		}
	}
}
