package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const exampleFile = "../attache.example.yaml"

// TestExampleFileLoadsWithDefaults checks that the example at the root of the
// repository loads, validates, and holds exactly the defaults.
func TestExampleFileLoadsWithDefaults(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	c := s.load(t, Options{File: mustAbs(t, exampleFile)})

	root := mustAbs(t, "..")
	want := Default()
	want.File = mustAbs(t, exampleFile)
	want.Knowledge.Sources[0].Path = filepath.Join(root, "knowledge")
	want.Index.Path = defaultIndexPath(want.Knowledge.Sources, s.getenv, s.wd())
	want.State.Dir = defaultStateDir(s.getenv, s.wd())
	if !reflect.DeepEqual(c, want) {
		t.Errorf("example differs from the defaults:\n got %+v\nwant %+v", c, want)
	}
}

// TestExampleFileDocumentsEveryKey checks that every key of Config is in the
// example with its environment variable.
func TestExampleFileDocumentsEveryKey(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(exampleFile)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, l := range leaves() {
		name := l.key[strings.LastIndex(l.key, ".")+1:]
		if !strings.Contains(text, " "+name+":") {
			t.Errorf("example lacks key %s", l.key)
		}
		if !fileOnly(l.key) && !strings.Contains(text, envName(l.key)) {
			t.Errorf("example does not name %s for %s", envName(l.key), l.key)
		}
	}
	for _, fallback := range []string{"OPENAI_API_KEY", "DISCORD_TOKEN"} {
		if !strings.Contains(text, fallback) {
			t.Errorf("example does not mention the %s fallback", fallback)
		}
	}
}
