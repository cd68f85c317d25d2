package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRedactedHidesSecrets(t *testing.T) {
	t.Parallel()
	const secret = "hunter2-secret"
	s := newSandbox(t)
	s.env["ATTACHE_LLM_API_KEY"] = secret + "-llm"
	s.env["ATTACHE_EMBEDDINGS_API_KEY"] = secret + "-emb"
	s.env["DISCORD_TOKEN"] = secret + "-discord"
	s.env["ATTACHE_INDEX_DSN"] = "postgres://attache:" + secret + "@db:5432/attache"
	s.env["ATTACHE_CONSOLE_SALT"] = secret + "-salt"
	s.env["ATTACHE_CONSOLE_TOKEN"] = secret + "-console-token"
	s.config(t, "llm:\n  model: m\nembeddings:\n  base_url: http://e/v1\n  model: e\n")
	c := s.load(t, Options{})

	r := c.Redacted()
	if r.LLM.APIKey != Mask || r.Embeddings.APIKey != Mask || r.Discord.Token != Mask || r.Console.Salt != Mask || r.Console.Token != Mask {
		t.Errorf("secrets not masked: %q %q %q %q %q", r.LLM.APIKey, r.Embeddings.APIKey, r.Discord.Token, r.Console.Salt, r.Console.Token)
	}
	if want := "postgres://attache:***@db:5432/attache"; r.Index.DSN != want {
		t.Errorf("DSN = %q, want %q", r.Index.DSN, want)
	}
	out, err := r.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), secret) {
		t.Errorf("redacted YAML reveals a secret:\n%s", out)
	}
	if !strings.Contains(string(out), "api_key: '***'") && !strings.Contains(string(out), `api_key: "***"`) {
		t.Errorf("redacted YAML does not show the mask:\n%s", out)
	}
	// The original is untouched.
	if c.LLM.APIKey != secret+"-llm" || !strings.Contains(c.Index.DSN, secret) {
		t.Errorf("Redacted changed the original")
	}

	// Unset secrets stay empty, so one can tell they are missing.
	r = Default().Redacted()
	if r.LLM.APIKey != "" || r.Embeddings.APIKey != "" || r.Discord.Token != "" || r.Index.DSN != "" {
		t.Errorf("unset secrets masked: %+v", r)
	}
}

// TestRedactedHidesURLPasswords masks the password that a URL setting may
// carry, keeping the rest of the URL readable.
func TestRedactedHidesURLPasswords(t *testing.T) {
	t.Parallel()
	const secret = "hunter2-secret"
	s := newSandbox(t)
	s.env["ATTACHE_LLM_BASE_URL"] = "http://llm:" + secret + "@127.0.0.1:11434/v1"
	s.env["ATTACHE_LLM_MODEL"] = "m"
	s.env["ATTACHE_EMBEDDINGS_BASE_URL"] = "https://emb:" + secret + "@embed.example/v1"
	s.env["ATTACHE_EMBEDDINGS_MODEL"] = "e"
	s.env["ATTACHE_DISCORD_API_BASE_URL"] = "http://proxy:" + secret + "@10.0.0.1:8080"
	c := s.load(t, Options{})
	r := c.Redacted()
	got := []string{r.LLM.BaseURL, r.Embeddings.BaseURL, r.Discord.APIBaseURL}
	want := []string{"http://llm:***@127.0.0.1:11434/v1", "https://emb:***@embed.example/v1", "http://proxy:***@10.0.0.1:8080"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("redacted URLs = %q, want %q", got, want)
	}
	out, err := r.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), secret) {
		t.Errorf("redacted YAML reveals a URL password:\n%s", out)
	}
	if !strings.Contains(c.LLM.BaseURL, secret) {
		t.Errorf("Redacted changed the original: %q", c.LLM.BaseURL)
	}
}

func TestRedactedIsDeepCopy(t *testing.T) {
	t.Parallel()
	c := Default()
	c.Discord.GuildIDs = []string{"1"}
	r := c.Redacted()
	r.Knowledge.Sources[0].Exclude[0] = "changed"
	r.Discord.GuildIDs[0] = "changed"
	if c.Knowledge.Sources[0].Exclude[0] != "README.md" || c.Discord.GuildIDs[0] != "1" {
		t.Errorf("Redacted shares slices with the original")
	}
}

func TestRedactDSN(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"postgres://u:pw@h/db", "postgres://u:***@h/db"},
		{"postgresql://u@h/db?sslmode=disable", "postgresql://u@h/db?sslmode=disable"},
		{"postgres://h/db?password=pw&user=u", "postgres://h/db?password=***&user=u"},
		{"host=h user=u password=pw dbname=d", "host=h user=u password=*** dbname=d"},
		{"host=h password='p w\\'x' dbname=d", "host=h password=*** dbname=d"},
		{"host=h PASSWORD = pw", "host=h PASSWORD = ***"},
		{"postgres://u:pw@[bad", Mask},
	}
	for _, tt := range tests {
		if got := redactDSN(tt.in); got != tt.want {
			t.Errorf("redactDSN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestYAMLRoundTrip writes the effective configuration of a file that sets
// every key, loads it back and expects the same configuration.
func TestYAMLRoundTrip(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	s.env["ATTACHE_DISCORD_TOKEN"] = "tok"
	s.env["ATTACHE_LLM_API_KEY"] = "key"
	c := s.load(t, Options{File: mustAbs(t, filepath.Join("testdata", "full.yaml"))})
	out, err := c.YAML()
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"knowledge:", "max_file_bytes: 2048", "edit_interval: 750ms", "per_minute: 1.5",
		`guild_ids: ["111111111111111111", "222"]`, `api_version: "2025-01-01"`, "token: tok"} {
		if !strings.Contains(string(out), key) {
			t.Errorf("YAML lacks %q:\n%s", key, out)
		}
	}
	file := filepath.Join(t.TempDir(), "effective.yaml")
	if err := os.WriteFile(file, out, 0o644); err != nil {
		t.Fatal(err)
	}
	bare := &sandbox{dir: s.dir, env: map[string]string{}}
	back := bare.load(t, Options{File: file})
	back.File = c.File
	if !reflect.DeepEqual(back, c) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v\nYAML:\n%s", back, c, out)
	}
}
