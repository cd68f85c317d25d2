package ingest

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// File is a candidate file found by Walk.
type File struct {
	Rel     string // path relative to the root, with forward slashes
	Size    int64
	ModTime time.Time
}

// DefaultInclude returns the include patterns Walk uses when none are given.
func DefaultInclude() []string {
	return []string{"**/*.md", "**/*.markdown", "**/*.txt", "**/*.html", "**/*.htm"}
}

// Walk lists the regular files under root whose path relative to root (with
// forward slashes) matches one of include (DefaultInclude() when empty) and none
// of exclude, sorted by Rel.
//
// Patterns use path.Match syntax per path segment, plus "**" for any number of
// segments. A pattern without a slash is matched against the base name at any
// depth, so exclude "README.md" excludes every README.md. Hidden files and
// directories (name starting with '.') are skipped, and symbolic links to
// directories are not followed. A malformed pattern is an error naming it.
func Walk(ctx context.Context, root string, include, exclude []string) ([]File, error) {
	if len(include) == 0 {
		include = DefaultInclude()
	}
	inc, err := compileGlobs(include)
	if err != nil {
		return nil, fmt.Errorf("include: %w", err)
	}
	exc, err := compileGlobs(exclude)
	if err != nil {
		return nil, fmt.Errorf("exclude: %w", err)
	}
	info, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("walk %s: %w", root, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("walk %s: not a directory", root)
	}
	// The source folder itself may be a symbolic link.
	top, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, fmt.Errorf("walk %s: %w", root, err)
	}
	var files []File
	err = filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if p == top {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(top, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !matchAny(inc, rel) || matchAny(exc, rel) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// Follow links to files, not to directories.
			info, err = os.Stat(p)
			if err != nil {
				return nil // dangling link: nothing to index
			}
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		files = append(files, File{Rel: rel, Size: info.Size(), ModTime: info.ModTime()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk %s: %w", root, err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Rel < files[j].Rel })
	return files, nil
}

// glob is a compiled pattern: its segments, and whether it matches base names only.
type glob struct {
	segs     []string
	baseOnly bool
}

func compileGlobs(patterns []string) ([]glob, error) {
	var out []glob
	for _, p := range patterns {
		clean := strings.TrimPrefix(strings.TrimPrefix(filepath.ToSlash(strings.TrimSpace(p)), "./"), "/")
		if clean == "" {
			return nil, fmt.Errorf("bad glob %q: empty", p)
		}
		g := glob{segs: strings.Split(clean, "/"), baseOnly: !strings.Contains(clean, "/")}
		for _, s := range g.segs {
			if s == "**" {
				continue
			}
			if _, err := path.Match(s, ""); err != nil {
				return nil, fmt.Errorf("bad glob %q: %w", p, err)
			}
		}
		out = append(out, g)
	}
	return out, nil
}

func matchAny(globs []glob, rel string) bool {
	for _, g := range globs {
		if g.baseOnly {
			if ok, _ := path.Match(g.segs[0], path.Base(rel)); ok {
				return true
			}
			continue
		}
		if matchSegs(g.segs, strings.Split(rel, "/")) {
			return true
		}
	}
	return false
}

// matchSegs matches path segments against pattern segments, "**" standing
// for zero or more segments.
func matchSegs(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			rest := pat[1:]
			for i := 0; i <= len(name); i++ {
				if matchSegs(rest, name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}
