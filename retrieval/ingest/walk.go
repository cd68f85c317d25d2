package ingest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// File is a candidate file found by Walk.
type File struct {
	Rel     string // path relative to the root, with forward slashes
	Size    int64
	ModTime time.Time
}

// Skipped is a file that matched the patterns but cannot be indexed as it
// stands (a link that leaves the folder, a named pipe, ...). Size and
// ModTime identify the version judged, so that it is reported once per change.
type Skipped struct {
	File
	Reason string
}

// WalkOptions select the files of a source folder.
type WalkOptions struct {
	Include []string // DefaultInclude() when empty
	Exclude []string
	// FollowSymlinks allows links to files outside the folder. Links inside
	// it are always followed; links to folders never are.
	FollowSymlinks bool
	// Dirs holds the folder modification times of an earlier walk (see
	// Listing.Dirs). A folder whose time is unchanged is not read again:
	// its entries are taken to be those of that walk, and only its known
	// subfolders are visited. Nil reads every folder.
	Dirs map[string]time.Time
}

// Listing is what List found.
type Listing struct {
	// Files and Skipped are sorted by Rel. When WalkOptions.Dirs was given
	// they hold only the entries of the folders in Read.
	Files   []File
	Skipped []Skipped
	// Dirs is the modification time of every folder visited, by path
	// relative to the root ("." for the root). A time too recent to be
	// trusted (a change in the same clock tick would not move it) is zero,
	// so that the next walk reads that folder again.
	Dirs map[string]time.Time
	// Read holds the folders whose entries were read in this walk.
	Read map[string]bool
}

// dirTrustMargin is how old a folder's modification time must be for a
// later walk to rely on it: file systems keep times at a coarse tick, so a
// change right after a walk may leave the time unchanged.
const dirTrustMargin = 2 * time.Second

// DefaultInclude returns the include patterns Walk uses when none are given.
func DefaultInclude() []string {
	return []string{"**/*.md", "**/*.markdown", "**/*.txt", "**/*.html", "**/*.htm"}
}

// Walk lists the regular files under root whose path relative to root (with
// forward slashes) matches one of include (DefaultInclude() when empty) and none
// of exclude, sorted by Rel. Files that cannot be indexed are left out; List
// reports them.
func Walk(ctx context.Context, root string, include, exclude []string) ([]File, error) {
	l, err := List(ctx, root, WalkOptions{Include: include, Exclude: exclude})
	return l.Files, err
}

// List walks root and sorts what it finds into files to index and files
// to skip.
//
// Patterns use path.Match syntax per path segment, plus "**" for any number of
// segments. A pattern without a slash is matched against the base name at any
// depth, so exclude "README.md" excludes every README.md. Hidden files and
// directories (name starting with '.') are ignored. Of the files that match:
// symbolic links are followed when their target is a regular file inside
// root (anywhere with FollowSymlinks); links that leave root, broken links,
// link loops, links to folders, named pipes, devices and sockets are
// skipped, with the reason. Nothing is opened, so a named pipe cannot block
// the walk. A malformed pattern is an error naming it; so is a folder that
// cannot be read.
func List(ctx context.Context, root string, o WalkOptions) (Listing, error) {
	include := o.Include
	if len(include) == 0 {
		include = DefaultInclude()
	}
	inc, err := compileGlobs(include)
	if err != nil {
		return Listing{}, fmt.Errorf("include: %w", err)
	}
	exc, err := compileGlobs(o.Exclude)
	if err != nil {
		return Listing{}, fmt.Errorf("exclude: %w", err)
	}
	info, err := os.Stat(root)
	if err != nil {
		return Listing{}, fmt.Errorf("walk %s: %w", root, err)
	}
	if !info.IsDir() {
		return Listing{}, fmt.Errorf("walk %s: not a directory", root)
	}
	// The source folder itself may be a symbolic link.
	top, err := filepath.EvalSymlinks(root)
	if err != nil {
		return Listing{}, fmt.Errorf("walk %s: %w", root, err)
	}
	w := &walker{
		top: top, inc: inc, exc: exc, follow: o.FollowSymlinks, known: o.Dirs,
		now: time.Now(),
		out: Listing{Dirs: map[string]time.Time{}, Read: map[string]bool{}},
	}
	if o.Dirs != nil {
		w.children = map[string][]string{}
		for d := range o.Dirs {
			if d != "." {
				p := path.Dir(d)
				w.children[p] = append(w.children[p], d)
			}
		}
	}
	if err := w.dir(ctx, ".", top); err != nil {
		return Listing{}, fmt.Errorf("walk %s: %w", root, err)
	}
	sort.Slice(w.out.Files, func(i, j int) bool { return w.out.Files[i].Rel < w.out.Files[j].Rel })
	sort.Slice(w.out.Skipped, func(i, j int) bool { return w.out.Skipped[i].Rel < w.out.Skipped[j].Rel })
	return w.out, nil
}

type walker struct {
	top      string
	inc, exc []glob
	follow   bool
	known    map[string]time.Time
	children map[string][]string // known subfolders of each known folder
	now      time.Time
	out      Listing
}

// dir visits the folder rel (full on disk).
func (w *walker) dir(ctx context.Context, rel, full string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	info, err := os.Lstat(full)
	if err != nil {
		if rel != "." && errors.Is(err, fs.ErrNotExist) {
			return nil // removed since its parent was read
		}
		return err
	}
	if !info.IsDir() {
		return nil // replaced by something else; its parent has changed too
	}
	mt := info.ModTime()
	if w.now.Sub(mt) < dirTrustMargin {
		w.out.Dirs[rel] = time.Time{}
	} else {
		w.out.Dirs[rel] = mt
	}
	if prev, ok := w.known[rel]; ok && !prev.IsZero() && prev.Equal(mt) {
		// No entry was added, removed or renamed here since the last walk.
		for _, sub := range w.children[rel] {
			if err := w.dir(ctx, sub, filepath.Join(w.top, filepath.FromSlash(sub))); err != nil {
				return err
			}
		}
		return nil
	}
	w.out.Read[rel] = true
	entries, err := os.ReadDir(full)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		r := name
		if rel != "." {
			r = rel + "/" + name
		}
		p := filepath.Join(full, name)
		if e.IsDir() {
			if err := w.dir(ctx, r, p); err != nil {
				return err
			}
			continue
		}
		if !matchAny(w.inc, r) || matchAny(w.exc, r) {
			continue
		}
		w.file(r, p, e)
	}
	return nil
}

// file judges one entry that matched the patterns.
func (w *walker) file(rel, full string, e fs.DirEntry) {
	linfo, err := e.Info()
	if err != nil {
		return // removed since the folder was read
	}
	skip := func(info fs.FileInfo, reason string) {
		w.out.Skipped = append(w.out.Skipped, Skipped{
			File: File{Rel: rel, Size: info.Size(), ModTime: info.ModTime()}, Reason: reason})
	}
	info := linfo
	if linfo.Mode()&fs.ModeSymlink != 0 {
		target, err := os.Stat(full)
		switch {
		case errors.Is(err, syscall.ELOOP):
			skip(linfo, "symbolic link loop")
			return
		case errors.Is(err, fs.ErrNotExist):
			skip(linfo, "broken symbolic link")
			return
		case err != nil:
			skip(linfo, "symbolic link: "+err.Error())
			return
		}
		// Judged by its target from here on: a link whose target is
		// edited is a changed file.
		info = target
		if !w.follow {
			real, err := filepath.EvalSymlinks(full)
			if err != nil {
				skip(info, "symbolic link: "+err.Error())
				return
			}
			if !inside(w.top, real) {
				skip(info, "symbolic link leaves the source folder (set follow_symlinks to index it)")
				return
			}
		}
		if info.IsDir() {
			skip(info, "symbolic link to a folder (not followed)")
			return
		}
	}
	if !info.Mode().IsRegular() {
		skip(info, "not a regular file: "+kind(info.Mode()))
		return
	}
	w.out.Files = append(w.out.Files, File{Rel: rel, Size: info.Size(), ModTime: info.ModTime()})
}

// inside reports whether path p is dir or below it; both are clean and absolute.
func inside(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && filepath.IsLocal(rel)
}

// kind names a file type that is not a regular file.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "device"
	case m.IsDir():
		return "folder"
	}
	return "irregular file"
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
