// Package migrate owns what the PostgreSQL stores share about their
// versioned schemas: reading numbered SQL files (NNN_what.sql) from an
// embedded folder and telling which of them a database still lacks.
// Applying them, under the store's own lock and version table, stays with
// each store.
package migrate

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Migration is one numbered SQL file.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Load reads the migrations in dir of fsys, in version order. Their
// numbers are distinct and start at 1; a gap is allowed (it leaves a number
// for a change being made alongside), and a migration that fills it later
// is applied to databases migrated past it (see Unapplied).
func Load(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("migration %s: the name does not start with a number from 1", e.Name())
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: e.Name(), SQL: string(b)})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no migrations in %s", dir)
	}
	slices.SortFunc(out, func(a, b Migration) int { return a.Version - b.Version })
	for i, m := range out {
		switch {
		case i == 0 && m.Version != 1:
			return nil, fmt.Errorf("migration %s: the first migration must be number 1", m.Name)
		case i > 0 && m.Version == out[i-1].Version:
			return nil, fmt.Errorf("migration %s: number %d is taken by %s", m.Name, m.Version, out[i-1].Name)
		}
	}
	return out, nil
}

// Latest is the highest version of ms (0 for none).
func Latest(ms []Migration) int {
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].Version
}

// NewerError is Pending's error for a database at a version beyond the
// program's last migration: a newer release wrote it.
type NewerError struct {
	Version, Latest int // the database's highest version, the program's
}

func (e *NewerError) Error() string {
	return fmt.Sprintf("the database is at version %d, newer than this program's %d", e.Version, e.Latest)
}

// Pending returns the migrations of ms whose versions are not among
// applied, in order (a gap left by an older program is filled), or a
// *NewerError when applied holds a version beyond the last of ms.
func Pending(ms []Migration, applied []int) ([]Migration, error) {
	if len(applied) > 0 {
		if v, latest := slices.Max(applied), Latest(ms); v > latest {
			return nil, &NewerError{Version: v, Latest: latest}
		}
	}
	var out []Migration
	for _, m := range ms {
		if !slices.Contains(applied, m.Version) {
			out = append(out, m)
		}
	}
	return out, nil
}
