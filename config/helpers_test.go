package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"attache"
)

// sandbox is a temporary working directory with a ./knowledge folder and an
// environment of its own, so tests never see the real home or environment.
type sandbox struct {
	dir string
	env map[string]string
}

func newSandbox(t *testing.T) *sandbox {
	t.Helper()
	dir := t.TempDir()
	mkdir(t, filepath.Join(dir, "work", "knowledge"))
	return &sandbox{dir: dir, env: map[string]string{
		"HOME":            filepath.Join(dir, "home"),
		"XDG_CONFIG_HOME": filepath.Join(dir, "xdg-config"),
		"XDG_CACHE_HOME":  filepath.Join(dir, "xdg-cache"),
	}}
}

// wd is the working directory of the sandbox.
func (s *sandbox) wd() string { return filepath.Join(s.dir, "work") }

func (s *sandbox) getenv(key string) string { return s.env[key] }

// options returns Options bound to the sandbox, with the given flags.
func (s *sandbox) options(o Options) Options {
	o.Getenv = s.getenv
	if o.Dir == "" {
		o.Dir = s.wd()
	}
	return o
}

// load calls Load in the sandbox and fails the test on error.
func (s *sandbox) load(t *testing.T, o Options) *Config {
	t.Helper()
	c, err := Load(s.options(o))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

// config writes ./attache.yaml in the working directory and returns its path.
func (s *sandbox) config(t *testing.T, yaml string) string {
	t.Helper()
	p := filepath.Join(s.wd(), FileName)
	writeFile(t, p, yaml)
	return p
}

func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, p, content string) {
	t.Helper()
	mkdir(t, filepath.Dir(p))
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// wantInvalid checks that err is a *ValidationError with code EINVALID and
// that one of its problems contains every one of parts.
func wantInvalid(t *testing.T, err error, parts ...string) *ValidationError {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one mentioning %q", parts)
	}
	if code := attache.ErrorCode(err); code != attache.EINVALID {
		t.Errorf("ErrorCode = %q, want %q (err: %v)", code, attache.EINVALID, err)
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %T is not a *ValidationError: %v", err, err)
	}
	for _, p := range ve.Problems {
		if containsAll(p, parts) {
			return ve
		}
	}
	t.Errorf("no problem mentions all of %q; problems:\n  %s", parts, strings.Join(ve.Problems, "\n  "))
	return ve
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
