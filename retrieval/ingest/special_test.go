package ingest

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// specialTree builds a source folder holding one file of every kind the
// walker must refuse, beside an outside folder that links lead to.
func specialTree(t *testing.T) (root, outside string) {
	t.Helper()
	base := t.TempDir()
	root, outside = filepath.Join(base, "kb"), filepath.Join(base, "elsewhere")
	writeFile(t, root, "plain.md", "# Plain\n\nInside the folder.\n")
	writeFile(t, root, "sub/inner.md", "# Inner\n\nAlso inside.\n")
	writeFile(t, outside, "secret.md", "# Secret\n\nNot part of the knowledge folder.\n")
	links := map[string]string{
		"passwd.md":       filepath.Join(outside, "secret.md"), // leaves the folder
		"relative-out.md": "../elsewhere/secret.md",            // leaves it by a relative path
		"inside-link.md":  "sub/inner.md",                      // stays inside
		"absolute.md":     filepath.Join(root, "plain.md"),     // stays inside, named from /
		"broken.md":       "nowhere.md",
		"loop-a.md":       "loop-b.md",
		"loop-b.md":       "loop-a.md",
		"folder.md":       "sub",
		"null.md":         os.DevNull, // a device, outside
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Skipf("symbolic links unsupported: %v", err)
		}
	}
	if err := mkfifo(filepath.Join(root, "pipe.md")); err != nil {
		t.Skipf("named pipes unsupported: %v", err)
	}
	l, err := net.Listen("unix", filepath.Join(root, "socket.md"))
	if err != nil {
		t.Skipf("unix sockets unsupported: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	return root, outside
}

func TestListSkipsSpecialFiles(t *testing.T) {
	root, _ := specialTree(t)
	wantSkips := map[string]string{
		"passwd.md":       "leaves the source folder",
		"relative-out.md": "leaves the source folder",
		"broken.md":       "broken symbolic link",
		"loop-a.md":       "symbolic link loop",
		"loop-b.md":       "symbolic link loop",
		"folder.md":       "symbolic link to a folder",
		"pipe.md":         "named pipe",
		"socket.md":       "socket",
		"null.md":         "leaves the source folder",
	}
	tests := []struct {
		name   string
		follow bool
		files  []string
		skips  map[string]string
	}{
		{name: "links kept inside", files: []string{"absolute.md", "inside-link.md", "plain.md", "sub/inner.md"}, skips: wantSkips},
		{name: "follow_symlinks", follow: true,
			files: []string{"absolute.md", "inside-link.md", "passwd.md", "plain.md", "relative-out.md", "sub/inner.md"},
			skips: with(without(wantSkips, "passwd.md", "relative-out.md"), "null.md", "character device")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := List(context.Background(), root, WalkOptions{FollowSymlinks: tc.follow})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range l.Files {
				got = append(got, f.Rel)
			}
			if !slices.Equal(got, tc.files) {
				t.Errorf("files %q, want %q", got, tc.files)
			}
			gotSkips := map[string]string{}
			for _, s := range l.Skipped {
				gotSkips[s.Rel] = s.Reason
			}
			for rel, want := range tc.skips {
				if !strings.Contains(gotSkips[rel], want) {
					t.Errorf("%s: skip reason %q, want one saying %q", rel, gotSkips[rel], want)
				}
			}
			if len(gotSkips) != len(tc.skips) {
				t.Errorf("skipped %v, want exactly %v", gotSkips, tc.skips)
			}
		})
	}
}

func with(m map[string]string, k, v string) map[string]string {
	m[k] = v
	return m
}

func without(m map[string]string, keys ...string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if !slices.Contains(keys, k) {
			out[k] = v
		}
	}
	return out
}

// Load is the last gate: a file reached by name must not be read through a
// link that leaves the folder, nor wait on a pipe, whatever the walk saw.
func TestLoadRefusesSpecialFiles(t *testing.T) {
	root, _ := specialTree(t)
	ctx := context.Background()
	tests := []struct {
		rel    string
		follow bool
		reason string // "" = loads
	}{
		{rel: "passwd.md", reason: "leaves the source folder"},
		{rel: "relative-out.md", reason: "leaves the source folder"},
		{rel: "passwd.md", follow: true},
		{rel: "inside-link.md"},
		{rel: "absolute.md"},
		{rel: "pipe.md", reason: "named pipe"},
		{rel: "pipe.md", follow: true, reason: "named pipe"},
	}
	for _, tc := range tests {
		doc, err := Load(ctx, root, tc.rel, Options{Source: "kb", FollowSymlinks: tc.follow})
		if tc.reason == "" {
			if err != nil || doc.Text == "" {
				t.Errorf("%s (follow %t): %v", tc.rel, tc.follow, err)
			}
			continue
		}
		var skip *SkipError
		if !errors.As(err, &skip) || !strings.Contains(skip.Reason, tc.reason) {
			t.Errorf("%s (follow %t): err %v, want a skip saying %q", tc.rel, tc.follow, err, tc.reason)
		}
		if strings.Contains(doc.Text, "Not part of the knowledge folder") {
			t.Errorf("%s: outside text read", tc.rel)
		}
	}
}

// TestListTrustsFolderTimes: with the times of an earlier walk, a folder
// whose time is unchanged is not read; one that changed is, and so is a
// new folder below it.
func TestListTrustsFolderTimes(t *testing.T) {
	root := t.TempDir()
	for _, rel := range []string{"a.md", "x/b.md", "x/y/c.md", "z/d.md"} {
		writeFile(t, root, rel, "Title\nBody.\n")
	}
	old := time.Now().Add(-time.Hour)
	age := func(dirs ...string) {
		t.Helper()
		for _, d := range dirs {
			if err := os.Chtimes(filepath.Join(root, d), old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	age(".", "x", "x/y", "z")
	ctx := context.Background()
	first, err := List(ctx, root, WalkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Files) != 4 || len(first.Read) != 4 || !first.Dirs["x/y"].Equal(first.Dirs["z"]) {
		t.Fatalf("first walk: %+v", first)
	}

	same, err := List(ctx, root, WalkOptions{Dirs: first.Dirs})
	if err != nil {
		t.Fatal(err)
	}
	if len(same.Read) != 0 || len(same.Files) != 0 || len(same.Dirs) != 4 {
		t.Errorf("nothing changed, yet read %v and listed %v", same.Read, same.Files)
	}

	writeFile(t, root, "x/e.md", "Title\nBody.\n")
	writeFile(t, root, "x/new/f.md", "Title\nBody.\n")
	changed, err := List(ctx, root, WalkOptions{Dirs: first.Dirs})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range changed.Files {
		got = append(got, f.Rel)
	}
	if want := []string{"x/b.md", "x/e.md", "x/new/f.md"}; !slices.Equal(got, want) {
		t.Errorf("after adding to x: files %q, want %q", got, want)
	}
	if !changed.Read["x"] || !changed.Read["x/new"] || changed.Read["x/y"] || changed.Read["."] {
		t.Errorf("read %v, want x and x/new only", changed.Read)
	}
	if !changed.Dirs["x"].IsZero() {
		t.Errorf("a folder changed a moment ago is trusted: %v", changed.Dirs["x"])
	}
}

func TestEscapePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2021/07/cuba.md", "2021/07/cuba.md"},
		{"niño/año.md", "niño/año.md"},
		{"50%-rise.md", "50%25-rise.md"},
		{"caf\xe9.md", "caf%E9.md"},
		{"\xff\xfe/x%41.md", "%FF%FE/x%2541.md"},
		{"half\xe2\x82.md", "half%E2%82.md"},
	}
	for _, tc := range tests {
		got := EscapePath(tc.in)
		if got != tc.want {
			t.Errorf("EscapePath(%q) = %q, want %q", tc.in, got, tc.want)
		}
		back, err := UnescapePath(got)
		if err != nil || back != tc.in {
			t.Errorf("UnescapePath(%q) = %q, %v; want %q", got, back, err, tc.in)
		}
	}
	for _, bad := range []string{"a%", "a%4", "a%zz.md"} {
		if _, err := UnescapePath(bad); err == nil {
			t.Errorf("UnescapePath(%q) accepted", bad)
		}
	}
}

func FuzzEscapePath(f *testing.F) {
	for _, s := range []string{"a.md", "50%.md", "caf\xe9.md", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := EscapePath(s)
		if !utf8.ValidString(e) {
			t.Fatalf("EscapePath(%q) = %q is not valid UTF-8", s, e)
		}
		back, err := UnescapePath(e)
		if err != nil || back != s {
			t.Fatalf("round trip of %q: %q, %v", s, back, err)
		}
	})
}
