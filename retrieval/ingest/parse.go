package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"unicode/utf8"

	"attache"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// DefaultMaxFileBytes is the size limit used when Options.MaxFileBytes is 0.
const DefaultMaxFileBytes = 10 << 20

// Options describe the source a file belongs to.
type Options struct {
	Source       string   // source name; Document.ID = Source + "/" + EscapePath(rel path, forward slashes)
	Language     string   // default language for the source ("" = unknown)
	Tags         []string // tags added to every document of the source
	MaxFileBytes int64    // files larger are skipped; 0 means DefaultMaxFileBytes
	// FollowSymlinks lets Load read through links that leave the source
	// folder; without it such a file is refused.
	FollowSymlinks bool
}

func (o Options) maxBytes() int64 {
	if o.MaxFileBytes > 0 {
		return o.MaxFileBytes
	}
	return DefaultMaxFileBytes
}

// SkipError says why a file is not indexed; the indexer logs it and goes on.
// Path is escaped as by EscapePath.
type SkipError struct{ Path, Reason string }

func (e *SkipError) Error() string { return "skip " + e.Path + ": " + e.Reason }

func skip(rel, format string, args ...any) error {
	return &SkipError{Path: rel, Reason: fmt.Sprintf(format, args...)}
}

// Load reads root/rel and parses it. It returns a *SkipError for files that
// must be skipped (see Parse; also files over the size limit, checked before
// reading, and things that are not regular files) and a plain error when the
// file cannot be read. Without o.FollowSymlinks the file is opened through
// root, so a link that leads out of it is refused (even one swapped in
// after the folder was walked). Opening never waits on a named pipe.
func Load(ctx context.Context, root, rel string, o Options) (attache.Document, error) {
	if err := ctx.Err(); err != nil {
		return attache.Document{}, err
	}
	rel = filepath.ToSlash(rel)
	name := EscapePath(rel) // for messages
	if !filepath.IsLocal(filepath.FromSlash(rel)) {
		return attache.Document{}, fmt.Errorf("load %s: path is not inside the source folder", name)
	}
	f, err := openFile(root, rel, o.FollowSymlinks)
	if errors.Is(err, errLeaves) {
		return attache.Document{}, skip(name, "symbolic link leaves the source folder (set follow_symlinks to index it)")
	}
	if err != nil {
		return attache.Document{}, fmt.Errorf("open %s: %w", name, bare(err))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return attache.Document{}, fmt.Errorf("stat %s: %w", name, bare(err))
	}
	if !info.Mode().IsRegular() {
		return attache.Document{}, skip(name, "not a regular file: %s", kind(info.Mode()))
	}
	limit := o.maxBytes()
	if info.Size() > limit {
		return attache.Document{}, skip(name, "too large: %d bytes, limit %d", info.Size(), limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return attache.Document{}, fmt.Errorf("read %s: %w", name, bare(err))
	}
	if int64(len(data)) > limit { // grew since Stat
		return attache.Document{}, skip(name, "too large: over %d bytes", limit)
	}
	if err := ctx.Err(); err != nil {
		return attache.Document{}, err
	}
	doc, err := Parse(rel, data, o)
	if err != nil {
		return attache.Document{}, err
	}
	doc.ModTime = info.ModTime()
	return doc, nil
}

// errLeaves says that a path leads out of the source folder.
var errLeaves = errors.New("path leaves the source folder")

// openFile opens root/rel for reading without blocking (a named pipe with
// no writer would otherwise wait forever). Unless follow, the path must
// lead to a file inside root: it is resolved, checked, and opened through
// the resolved root, so a link swapped in meanwhile cannot lead out either.
func openFile(root, rel string, follow bool) (*os.File, error) {
	const flags = os.O_RDONLY | syscall.O_NONBLOCK
	if follow {
		return os.OpenFile(filepath.Join(root, filepath.FromSlash(rel)), flags, 0)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	top, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, err
	}
	real, err := filepath.EvalSymlinks(filepath.Join(abs, filepath.FromSlash(rel)))
	if err != nil {
		return nil, err
	}
	inner, err := filepath.Rel(top, real)
	if err != nil || !filepath.IsLocal(inner) {
		return nil, errLeaves
	}
	r, err := os.OpenRoot(top)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return r.OpenFile(inner, flags, 0)
}

// Parse parses the raw bytes of the file at rel (relative to the source
// folder) by its extension: .md/.markdown (YAML front matter and Markdown),
// .txt (first line is the title) or .html/.htm (main article extraction). It
// sets every Document field but ModTime.
//
// Text that is not valid UTF-8 is decoded as Windows-1252 when that gives
// plausible text. Empty, binary and undecodable files, broken front matter,
// files without body text and other extensions give a *SkipError.
func Parse(rel string, data []byte, o Options) (attache.Document, error) {
	rel = EscapePath(filepath.ToSlash(rel))
	ext := strings.ToLower(path.Ext(rel))
	switch ext {
	case ".md", ".markdown", ".txt", ".html", ".htm":
	default:
		return attache.Document{}, skip(rel, "unsupported file type %q", ext)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return attache.Document{}, skip(rel, "empty file")
	}
	src, reason := decodeText(data)
	if reason != "" {
		return attache.Document{}, skip(rel, "%s", reason)
	}
	src = strings.ReplaceAll(src, "\r\n", "\n")
	src = strings.ReplaceAll(src, "\r", "\n")
	if strings.TrimSpace(src) == "" {
		return attache.Document{}, skip(rel, "empty file")
	}

	var (
		m    meta
		body string
	)
	switch ext {
	case ".md", ".markdown":
		var err error
		if m, body, err = parseMarkdown(src); err != nil {
			return attache.Document{}, skip(rel, "%v", err)
		}
	case ".txt":
		m, body = parsePlain(src)
	default:
		var err error
		if m, body, err = parseHTML(src); err != nil {
			return attache.Document{}, skip(rel, "%v", err)
		}
		body = tidy(body)
		m.title, body = dropTitleLine(m.title, body)
	}
	if body == "" {
		return attache.Document{}, skip(rel, "no body text")
	}

	sum := sha256.Sum256(data)
	doc := attache.Document{
		ID:       rel,
		Source:   o.Source,
		Path:     rel,
		Title:    m.title,
		Date:     firstNonEmpty(normDate(m.date), normDate(m.published), dateFromName(rel)),
		URL:      m.url,
		Outlet:   m.outlet,
		Language: firstNonEmpty(m.language, normLanguage(o.Language)),
		Tags:     mergeTags(m.tags, o.Tags),
		Text:     body,
		Hash:     hex.EncodeToString(sum[:]),
		Size:     int64(len(data)),
	}
	if o.Source != "" {
		doc.ID = o.Source + "/" + rel
	}
	if doc.Title == "" {
		doc.Title = strings.TrimSuffix(path.Base(rel), path.Ext(rel))
	}
	return doc, nil
}

// decodeText returns data as UTF-8 text, or a reason why it is not text.
func decodeText(data []byte) (string, string) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(out) {
			return "", "invalid UTF-16 text"
		}
		data = out
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", "binary file (NUL bytes)"
	}
	if utf8.Valid(data) {
		if controlShare(string(data)) > 0.1 {
			return "", "binary file (control bytes)"
		}
		return string(data), ""
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil || controlShare(string(out)) > 0.01 || bytes.ContainsRune(out, utf8.RuneError) {
		return "", "binary file (not UTF-8 or Windows-1252 text)"
	}
	return string(out), ""
}

// controlShare is the share of runes in s that are control characters other
// than tab, line feed, carriage return and form feed.
func controlShare(s string) float64 {
	n, bad := 0, 0
	for _, r := range s {
		n++
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f') || (r >= 0x7f && r <= 0x9f) {
			bad++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(bad) / float64(n)
}

// parseMarkdown reads front matter and converts the body to plain text.
func parseMarkdown(src string) (meta, string, error) {
	var m meta
	fm, body, ok, err := splitFrontMatter(src)
	if err != nil {
		return m, "", fmt.Errorf("front matter: %w", err)
	}
	if ok {
		if m, err = parseFrontMatter(fm); err != nil {
			return m, "", fmt.Errorf("front matter: %w", err)
		}
	}
	blocks := markdownBlocks(body)
	if m.title == "" {
		for _, b := range blocks {
			if b.kind == blockHeading && b.level == 1 {
				m.title = b.text
				break
			}
		}
	}
	if m.title == "" && len(blocks) > 0 {
		m.title, _, _ = strings.Cut(blocks[0].text, "\n")
	}
	if len(blocks) > 0 && blocks[0].kind == blockHeading && blocks[0].level <= 2 && sameText(blocks[0].text, m.title) {
		blocks = blocks[1:]
	}
	return m, joinBlocks(blocks), nil
}

// parsePlain takes the first non-empty line of a text file as its title and
// the rest as its body.
func parsePlain(src string) (meta, string) {
	text := tidy(src)
	title, body, _ := strings.Cut(text, "\n")
	return meta{title: title}, strings.TrimSpace(body)
}

// dropTitleLine removes the first line of body when it repeats the title,
// and takes the first line as the title when there is none.
func dropTitleLine(title, body string) (string, string) {
	first, rest, _ := strings.Cut(body, "\n")
	if title == "" {
		return first, body
	}
	if sameText(first, title) {
		return title, strings.TrimSpace(rest)
	}
	return title, body
}

// sameText compares two titles ignoring case, spacing and emphasis.
func sameText(a, b string) bool {
	clean := func(s string) string { return strings.ToLower(normLine(strings.Trim(s, "*_# "))) }
	return clean(a) == clean(b)
}

// bare returns the cause of a file-system error without the operation and
// path it names, which the caller's message already gives ("open a.md:
// permission denied", not "open a.md: open /srv/kb/a.md: permission
// denied").
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
