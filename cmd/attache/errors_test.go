package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorMessages checks what the command line says when a command fails:
// each context once, and no internal classification words.
func TestErrorMessages(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	asDir := filepath.Join(dir, "dir.db")
	if err := os.Mkdir(asDir, 0o755); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "garbage.db")
	writeFile(t, garbage, strings.Repeat("not a database\n", 400))
	index := filepath.Join(dir, "i.db")
	tests := []struct {
		name  string
		args  []string
		code  int
		want  string // the message names this once
		avoid []string
	}{
		{"index is a folder", []string{"--index", asDir, "search", "cuba"}, exitRuntime, "open index " + asDir, nil},
		{"index is not a database", []string{"--index", garbage, "search", "cuba"}, exitRuntime, "open index " + garbage, nil},
		{"unknown document", []string{"--index", index, "summarize", "--doc", "nope.md"}, exitRuntime, `no indexed document "nope.md"`,
			[]string{"not_found"}},
		{"bad model config", []string{"--index", index, "--config", filepath.Join(dir, "azure.yaml"), "ask", "cuba"}, exitUsage,
			"llm.base_url: required when llm.api_type is azure", nil},
	}
	writeFile(t, filepath.Join(dir, "azure.yaml"), "llm:\n  api_type: azure\n  model: m\n  api_key: k\n")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"--knowledge", "../../knowledge"}, tt.args...)
			code, _, errs := run(t, testEnv(t), args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, errs)
			}
			if n := strings.Count(errs, tt.want); n != 1 {
				t.Errorf("the message names %q %d times, want once: %s", tt.want, n, errs)
			}
			for _, word := range append(tt.avoid, "invalid:", "not_found:", "unavailable:", "internal:") {
				if strings.Contains(errs, word) {
					t.Errorf("the message shows %q: %s", word, errs)
				}
			}
		})
	}
}
