package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The knowledge folder is all that is indexed: a link to a file elsewhere
// is skipped and logged once, never quoted, unless the source follows links.
func TestCLILinkOutOfTheFolder(t *testing.T) {
	env := testEnv(t)
	dir := t.TempDir()
	kn, private := filepath.Join(dir, "kb"), filepath.Join(dir, "private")
	writeFile(t, filepath.Join(kn, "embassy.md"), "---\ntitle: Embassy reopens\ndate: 2024-05-01\n---\n\nThe embassy in Havana resumed visa processing.\n")
	writeFile(t, filepath.Join(private, "passwd"), "root:x:0:0:quartermaster zeppelin ledger:/root:/bin/bash\n")
	if err := os.Symlink(filepath.Join(private, "passwd"), filepath.Join(kn, "passwd.md")); err != nil {
		t.Skipf("symbolic links unsupported: %v", err)
	}
	base := []string{"--knowledge", kn, "--index", filepath.Join(dir, "index.db")}

	for i, want := range []int{1, 0} { // logged by the first command only
		code, out, errs := run(t, env, append(base, "search", "quartermaster zeppelin ledger")...)
		if code != 0 {
			t.Fatalf("search %d: exit %d: %s", i, code, errs)
		}
		if strings.Contains(out, "zeppelin") || strings.Contains(out, "passwd") {
			t.Errorf("search %d quotes the linked file: %s", i, out)
		}
		if n := strings.Count(errs, "passwd.md"); n != want || want > 0 && !strings.Contains(errs, "leaves the source folder") {
			t.Errorf("search %d logged the link %d times, want %d: %s", i, n, want, errs)
		}
	}

	cfg := filepath.Join(dir, "attache.yaml")
	writeFile(t, cfg, "knowledge:\n  sources:\n    - name: kb\n      path: kb\n      follow_symlinks: true\n")
	code, out, errs := run(t, env, "--config", cfg, "--index", filepath.Join(dir, "followed.db"), "search", "quartermaster zeppelin ledger")
	if code != 0 || !strings.Contains(out, "kb/passwd.md") {
		t.Errorf("with follow_symlinks: exit %d, %s %s", code, out, errs)
	}
}

// A file name that is not valid UTF-8 is printed escaped, and that printed
// ID and path find the document again.
func TestCLIFileNameNotUTF8(t *testing.T) {
	env := testEnv(t)
	dir := t.TempDir()
	kn := filepath.Join(dir, "kb")
	name := "caf\xe9 talks 100%.md"
	writeFile(t, filepath.Join(kn, "other.md"), "# Other\n\nThe pelican survey covered the coast of Peru.\n")
	if err := os.WriteFile(filepath.Join(kn, name), []byte("# Migration talks\n\nThe delegations discussed migration in Havana on Friday.\n"), 0o644); err != nil {
		t.Skipf("file system refuses the name: %v", err)
	}
	base := []string{"--knowledge", kn, "--index", filepath.Join(dir, "index.db")}
	code, out, errs := run(t, env, append(base, "search", "--json", "delegations migration Havana")...)
	if code != 0 {
		t.Fatalf("search: exit %d: %s", code, errs)
	}
	var res struct {
		Results []struct {
			DocID string `json:"doc_id"`
			Path  string `json:"path"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Results) == 0 {
		t.Fatalf("search output %q: %v", out, err)
	}
	id, path := res.Results[0].DocID, res.Results[0].Path
	if id != "kb/caf%E9 talks 100%25.md" || path != "caf%E9 talks 100%25.md" {
		t.Fatalf("printed ID %q, path %q", id, path)
	}
	for _, ref := range []string{id, path, name, filepath.Join(kn, name)} {
		code, out, errs := run(t, env, append(base, "summarize", "--json", "--doc", ref)...)
		if code != 0 || !strings.Contains(out, "Havana") || !strings.Contains(out, id) {
			t.Errorf("summarize --doc %q: exit %d: %s %s", ref, code, out, errs)
		}
	}
}
