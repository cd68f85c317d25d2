package retrieval

import (
	"bytes"
	"cmp"
	"encoding/gob"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// catalogVersion changes whenever the catalog's layout or meaning does; a
// catalog of another version is ignored (the next run then reads every
// folder).
const catalogVersion = 1

// catalog is what the indexer remembers about the folders between runs,
// beside what the store holds: the folders' modification times (so that a
// quick check reads only the folders that changed) and the files it could
// not index (so that they are neither read nor reported again until they
// change).
type catalog struct {
	Version int
	// Settings is the signature of the settings that decide what a file
	// gives (chunking, size limit): with other settings nothing of the
	// catalog holds.
	Settings string
	// Passages and Docs are the store's counts after the run that wrote
	// the catalog: a quick check trusts folder times only while the
	// store still holds that many passages (an index that was replaced
	// or emptied meanwhile is checked in full).
	Passages int
	Docs     int
	Sources  map[string]*sourceCatalog // by source name
}

type sourceCatalog struct {
	// Key identifies the folder and its patterns; when they change, the
	// folder times are not trusted.
	Key string
	// Dirs are folder modification times by path relative to the folder
	// (zero when too recent to trust), as ingest.Listing.Dirs.
	Dirs map[string]time.Time
	// Skips are the files not indexed, by escaped path.
	Skips map[string]skipMemo

	// logged holds, during a run, the skips of the last run, to log
	// again only what changed (not stored).
	logged map[string]skipMemo
}

// reported reports whether the skip of file p for reason was reported by
// the last run, on the same version of the file.
func (sc *sourceCatalog) reported(p string, size int64, mtime time.Time, reason string) bool {
	m, ok := sc.logged[p]
	return ok && m.same(size, mtime) && m.Reason == reason
}

// skipMemo is a file that could not be indexed, as it was then.
type skipMemo struct {
	Size    int64
	ModTime time.Time
	Reason  string
}

func (m skipMemo) same(size int64, mtime time.Time) bool {
	return m.Size == size && m.ModTime.Equal(mtime)
}

func sourceKey(s Source) string {
	return fmt.Sprintf("%s\x00%s\x00%s\x00%t", s.Path, strings.Join(s.Include, "\x01"),
		strings.Join(s.Exclude, "\x01"), s.FollowSymlinks)
}

// readCatalog reads the catalog at path; a missing, unreadable or outdated
// file gives an empty catalog, never an error: the catalog only saves work.
func readCatalog(path string) *catalog {
	empty := &catalog{Version: catalogVersion, Sources: map[string]*sourceCatalog{}}
	if path == "" {
		return empty
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return empty
	}
	var c catalog
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&c); err != nil || c.Version != catalogVersion {
		return empty
	}
	if c.Sources == nil {
		c.Sources = map[string]*sourceCatalog{}
	}
	return &c
}

// writeCatalog replaces the catalog at path atomically.
func writeCatalog(path string, c *catalog) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(c); err != nil {
		return fmt.Errorf("encode catalog: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write catalog: %w", err)
	}
	tmp := f.Name()
	_, werr := f.Write(buf.Bytes())
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write catalog: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write catalog: %w", err)
	}
	return nil
}

// SkippedFile is a file of a source that the last run could not index, as
// the indexer's catalog remembers it.
type SkippedFile struct {
	Source string
	// Path is relative to the source folder, in its printable (escaped)
	// form, as documents name their paths.
	Path    string
	Size    int64
	ModTime time.Time
	Reason  string
}

// Skipped lists the files the indexer could not index on its last run, by
// source and path, from the catalog it keeps at path (the CatalogPath of an
// Indexer). A missing catalog gives none; a catalog of another version, or
// one that cannot be decoded, is an error.
func Skipped(path string) ([]SkippedFile, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	var c catalog
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&c); err != nil {
		return nil, fmt.Errorf("read catalog %s: %w", filepath.Base(path), err)
	}
	if c.Version != catalogVersion {
		return nil, fmt.Errorf("read catalog %s: version %d, want %d", filepath.Base(path), c.Version, catalogVersion)
	}
	var out []SkippedFile
	for name, sc := range c.Sources {
		if sc == nil {
			continue
		}
		for p, m := range sc.Skips {
			out = append(out, SkippedFile{Source: name, Path: p, Size: m.Size, ModTime: m.ModTime, Reason: m.Reason})
		}
	}
	slices.SortFunc(out, func(a, b SkippedFile) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Path, b.Path))
	})
	return out, nil
}
