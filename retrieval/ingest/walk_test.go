package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// walkTree builds a source folder with files of every kind Walk must judge.
func walkTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, rel := range []string{
		"a.md", "b.txt", "c.html", "d.htm", "e.markdown", "f.pdf", "README.md",
		"2021/07/2021-07-22-cuba.md", "2021/README.md", "2021/notes.TXT",
		"drafts/draft.md", ".git/config.md", "sub/.hidden.md", "outside/linked.md",
	} {
		writeFile(t, root, rel, "Title\nBody.\n")
	}
	if err := os.Symlink(filepath.Join(root, "outside"), filepath.Join(root, "dirlink")); err != nil {
		t.Skipf("symlinks unsupported: %v", err)
	}
	if err := os.Symlink(filepath.Join(root, "a.md"), filepath.Join(root, "filelink.md")); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestWalk(t *testing.T) {
	root := walkTree(t)
	tests := []struct {
		name             string
		include, exclude []string
		want             []string
	}{
		{
			name: "defaults",
			want: []string{"2021/07/2021-07-22-cuba.md", "2021/README.md", "README.md", "a.md", "b.txt", "c.html", "d.htm",
				"drafts/draft.md", "e.markdown", "filelink.md", "outside/linked.md"},
		},
		{
			name:    "exclude README.md at any depth",
			exclude: []string{"README.md"},
			want: []string{"2021/07/2021-07-22-cuba.md", "a.md", "b.txt", "c.html", "d.htm",
				"drafts/draft.md", "e.markdown", "filelink.md", "outside/linked.md"},
		},
		{
			name:    "include under a folder",
			include: []string{"2021/**"},
			want:    []string{"2021/07/2021-07-22-cuba.md", "2021/README.md", "2021/notes.TXT"},
		},
		{
			name:    "base-name include and folder exclude",
			include: []string{"*.md"},
			exclude: []string{"drafts/**", "outside/*", "./README.md"},
			want:    []string{"2021/07/2021-07-22-cuba.md", "a.md", "filelink.md"},
		},
		{
			name:    "double star in the middle",
			include: []string{"2021/**/*.md"},
			want:    []string{"2021/07/2021-07-22-cuba.md", "2021/README.md"},
		},
		{
			name:    "anchored pattern",
			include: []string{"drafts/*.md"},
			want:    []string{"drafts/draft.md"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files, err := Walk(context.Background(), root, tc.include, tc.exclude)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range files {
				got = append(got, f.Rel)
				if f.Size != int64(len("Title\nBody.\n")) || f.ModTime.IsZero() || time.Since(f.ModTime) > time.Hour {
					t.Errorf("%s: size %d mtime %v", f.Rel, f.Size, f.ModTime)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestWalkRootSymlink(t *testing.T) {
	root := walkTree(t)
	link := filepath.Join(t.TempDir(), "knowledge")
	if err := os.Symlink(root, link); err != nil {
		t.Fatal(err)
	}
	files, err := Walk(context.Background(), link, []string{"*.html"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Rel != "c.html" {
		t.Errorf("got %+v, want c.html", files)
	}
}

func TestWalkErrors(t *testing.T) {
	root := walkTree(t)
	ctx := context.Background()
	for _, bad := range [][2][]string{
		{{"[abc"}, nil},
		{nil, {"docs/[x"}},
		{{""}, nil},
	} {
		_, err := Walk(ctx, root, bad[0], bad[1])
		pattern := strings.Join(append(bad[0], bad[1]...), "")
		if err == nil || !strings.Contains(err.Error(), `"`+pattern+`"`) {
			t.Errorf("Walk(%q, %q) err = %v, want one naming the glob", bad[0], bad[1], err)
		}
	}
	if _, err := Walk(ctx, filepath.Join(root, "missing"), nil, nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing root: err = %v", err)
	}
	if _, err := Walk(ctx, filepath.Join(root, "a.md"), nil, nil); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("file root: err = %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Walk(cancelled, root, nil, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

// TestWalkThenLoad indexes the bundled corpus copies the way the indexer does.
func TestWalkThenLoad(t *testing.T) {
	ctx := context.Background()
	files, err := Walk(ctx, "testdata", []string{"corpus/*.md", "messy/*.md", "seed/*.txt", "html/*"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 12 {
		t.Fatalf("found %d files, want 12", len(files))
	}
	for _, f := range files {
		doc, err := Load(ctx, "testdata", f.Rel, Options{Source: "test"})
		if err != nil {
			t.Errorf("%s: %v", f.Rel, err)
			continue
		}
		if doc.Title == "" || doc.Text == "" || doc.Size != f.Size || !doc.ModTime.Equal(f.ModTime) {
			t.Errorf("%s: title %q, %d bytes of text, size %d/%d", f.Rel, doc.Title, len(doc.Text), doc.Size, f.Size)
		}
	}
}
