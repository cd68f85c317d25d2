// Package knowledge holds the bundled sample articles (the Markdown files of
// this folder) inside the binary, so that Attaché answers from them when run
// from any folder. The files are written once to a folder named after their
// content (see Digest) and indexed from there like any other source.
package knowledge

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

//go:embed *.md
var files embed.FS

// FS returns the bundled articles, and the folder's README, as a file system
// whose root holds the files.
func FS() fs.FS { return files }

// Digest identifies the bundled files: the first 12 hex digits of the SHA-256
// of their names and contents. A binary with other articles has another digest.
var Digest = sync.OnceValue(func() string {
	h := sha256.New()
	entries, _ := fs.ReadDir(files, ".") // sorted by name; the embedded root always reads
	for _, e := range entries {
		data, _ := files.ReadFile(e.Name())
		fmt.Fprintf(h, "%s\x00%d\x00", e.Name(), len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
})

// WriteTo makes dir hold the bundled files. A dir that already exists is
// taken as written (its name should carry Digest); otherwise the files are
// written to a temporary folder beside it, which is then renamed, so a
// process never sees a half-written folder and concurrent writers agree.
func WriteTo(dir string) error {
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return nil
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("write bundled articles: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, ".tmp-"+filepath.Base(dir)+"-")
	if err != nil {
		return fmt.Errorf("write bundled articles: %w", err)
	}
	defer os.RemoveAll(tmp)
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		return fmt.Errorf("write bundled articles: %w", err)
	}
	for _, e := range entries {
		data, err := files.ReadFile(e.Name())
		if err != nil {
			return fmt.Errorf("write bundled articles: %w", err)
		}
		if err := os.WriteFile(filepath.Join(tmp, e.Name()), data, 0o644); err != nil {
			return fmt.Errorf("write bundled articles: %w", err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("write bundled articles: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		// Another process may have written the same folder first.
		if st, serr := os.Stat(dir); serr == nil && st.IsDir() {
			return nil
		}
		return fmt.Errorf("write bundled articles: %w", err)
	}
	return nil
}
