package config

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"attache/answer"
	"attache/knowledge"
	"attache/llm"
	"attache/retrieval"
	"attache/retrieval/ingest"
	"attache/retrieval/vector"
)

func TestLoadDefaultsWithoutFile(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	c := s.load(t, Options{})

	if c.File != "" {
		t.Errorf("File = %q, want none", c.File)
	}
	want := Default()
	want.Knowledge.Sources[0].Path = filepath.Join(s.wd(), "knowledge")
	want.Index.Path = c.Index.Path // checked below
	want.State.Dir = filepath.Join(s.env["HOME"], ".local", "state", "attache")
	if runtime.GOOS == "darwin" {
		want.State.Dir = filepath.Join(s.env["HOME"], "Library", "Application Support", "attache")
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("defaults differ:\n got %+v\nwant %+v", c, want)
	}
	if dir := filepath.Join(s.env["XDG_CACHE_HOME"], "attache"); filepath.Dir(c.Index.Path) != dir {
		t.Errorf("Index.Path = %q, want a file in %s", c.Index.Path, dir)
	}
	if c.LLM.Enabled() || c.Embeddings.Enabled() {
		t.Errorf("LLM or embeddings enabled by default: %+v %+v", c.LLM, c.Embeddings)
	}
}

// TestLoadBundledWithoutKnowledgeFolder: without ./knowledge the default
// source stands for the articles built into the binary, written under the
// cache directory; a folder named by the file or --knowledge must exist.
func TestLoadBundledWithoutKnowledgeFolder(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	c := s.load(t, Options{Dir: s.dir}) // s.dir has no ./knowledge
	src := c.Knowledge.Sources
	wantDir := filepath.Join(s.env["XDG_CACHE_HOME"], "attache", "knowledge-"+knowledge.Digest())
	if len(src) != 1 || !src[0].Bundled || src[0].Name != "knowledge" || src[0].Path != wantDir {
		t.Fatalf("sources = %+v, want the bundled articles in %s", src, wantDir)
	}
	if err := c.WriteBundled(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(wantDir, "2010-02-us-cuba-migration-talks.md")); err != nil {
		t.Errorf("bundled articles not written: %v", err)
	}

	// With ./knowledge present, it is used.
	if c := s.load(t, Options{}); c.Knowledge.Sources[0].Bundled || c.Knowledge.Sources[0].Path != filepath.Join(s.wd(), "knowledge") {
		t.Errorf("sources = %+v, want ./knowledge", c.Knowledge.Sources)
	}
	// A folder that is named must exist.
	_, err := Load(s.options(Options{Dir: s.dir, Knowledge: "knowledge"}))
	wantInvalid(t, err, "knowledge.sources[0].path", "does not exist")
	s.config(t, "knowledge:\n  sources:\n    - name: knowledge\n      path: ./missing\n")
	_, err = Load(s.options(Options{}))
	wantInvalid(t, err, "knowledge.sources[0].path", "does not exist")
}

func TestLoadFileDiscovery(t *testing.T) {
	t.Parallel()
	const local, xdg, home = "local", "xdg", "home"
	tests := []struct {
		name    string
		present []string // which of the candidate files exist
		noXDG   bool     // XDG_CONFIG_HOME unset
		want    string   // which one is read, "" = none
	}{
		{name: "none", want: ""},
		{name: "local only", present: []string{local}, want: local},
		{name: "xdg only", present: []string{xdg}, want: xdg},
		{name: "local wins over xdg", present: []string{local, xdg}, want: local},
		{name: "home config without XDG", present: []string{home}, noXDG: true, want: home},
		{name: "home ignored when XDG set", present: []string{home}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if slices.Contains(tt.present, home) && (runtime.GOOS == "windows" || runtime.GOOS == "darwin") {
				t.Skip("~/.config is the Unix location")
			}
			s := newSandbox(t)
			if tt.noXDG {
				delete(s.env, "XDG_CONFIG_HOME")
			}
			paths := map[string]string{
				local: filepath.Join(s.wd(), "attache.yaml"),
				xdg:   filepath.Join(s.env["XDG_CONFIG_HOME"], "attache", "attache.yaml"),
				home:  filepath.Join(s.env["HOME"], ".config", "attache", "attache.yaml"),
			}
			// Each file sets a different k so the test sees which was read.
			for i, name := range tt.present {
				writeFile(t, paths[name], "retrieval:\n  k: "+string(rune('6'+i))+"\n")
			}
			c := s.load(t, Options{})
			if c.File != paths[tt.want] {
				t.Fatalf("File = %q, want %q", c.File, paths[tt.want])
			}
			if tt.want != "" {
				wantK := 6 + slices.Index(tt.present, tt.want)
				if c.Retrieval.K != wantK {
					t.Errorf("Retrieval.K = %d, want %d from %s", c.Retrieval.K, wantK, tt.want)
				}
			}
		})
	}
}

func TestLoadExplicitFile(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	s.config(t, "retrieval:\n  k: 9\n") // ./attache.yaml must be ignored
	writeFile(t, filepath.Join(s.wd(), "conf", "other.yml"), "retrieval:\n  k: 7\n")

	c := s.load(t, Options{File: "conf/other.yml"})
	if want := filepath.Join(s.wd(), "conf", "other.yml"); c.File != want {
		t.Errorf("File = %q, want %q", c.File, want)
	}
	if c.Retrieval.K != 7 {
		t.Errorf("Retrieval.K = %d, want 7 from the named file", c.Retrieval.K)
	}

	_, err := Load(s.options(Options{File: "missing.yaml"}))
	wantInvalid(t, err, filepath.Join(s.wd(), "missing.yaml"), "does not exist")
	_, err = Load(s.options(Options{File: "conf"}))
	wantInvalid(t, err, "conf", "is a directory")
}

func TestLoadEmptyFile(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	s.config(t, "# nothing set\n")
	c := s.load(t, Options{})
	if c.Retrieval.K != Default().Retrieval.K || c.Log.Level != "info" {
		t.Errorf("empty file changed defaults: %+v", c)
	}
}

// TestLoadFullFile decodes a file that sets every key to a non-default value.
func TestLoadFullFile(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	c := s.load(t, Options{File: mustAbs(t, filepath.Join("testdata", "full.yaml"))})
	td := mustAbs(t, "testdata")
	want := &Config{
		Knowledge: Knowledge{
			Sources: []Source{
				{Name: "fixtures", Path: td, Include: []string{"**/*.md", "notes/*.txt"}, Exclude: []string{"draft-*.md"},
					Tags: []string{"cuba", "migration"}, Language: "en", FollowSymlinks: true},
				{Name: "archive", Path: td},
			},
			MaxFileBytes: 2048, ChunkWords: 120, ChunkOverlap: false,
		},
		Index:     Index{Driver: "sqlite", Path: filepath.Join(td, "idx", "test.db"), TitleWeight: 2.5},
		Retrieval: Retrieval{K: 8, MaxPerDoc: 3},
		Answer:    Answer{Unsupported: "drop", MaxSentences: 6, Neighbours: 2, MinCoverage: 0.25},
		LLM: LLM{BaseURL: "http://localhost:11434/v1", Model: "llama3.1:8b", Temperature: 0.7, MaxTokens: 400,
			ContextTokens: 4096, Timeout: 2 * time.Minute, FallbackModels: []string{"qwen2.5:7b", "mistral"},
			APIType: "openai", APIVersion: "2025-01-01", MaxRetries: 1, BreakerFailures: 2, BreakerCooldown: time.Minute},
		Embeddings: Embeddings{BaseURL: "http://localhost:11434/v1", Model: "nomic-embed-text", Dimensions: 768, BatchSize: 16},
		Discord: Discord{APIBaseURL: "http://127.0.0.1:9999/api", GuildIDs: []string{"111111111111111111", "222"},
			AllowedGuilds: []string{"333"}, AllowedChannels: []string{"444", "555"}, AllowedRoles: []string{"reader"},
			AdminRoles: []string{"admin"}, AllowDMs: true, HistoryMessages: 0, EditInterval: 750 * time.Millisecond,
			AnswerTimeout: 45 * time.Second, RateLimit: RateLimit{PerMinute: 1.5, Burst: 1}, MaxConcurrent: 2,
			QueueTimeout: 5 * time.Second, ShutdownGrace: 3 * time.Second, Threads: "always", ForumAutoReply: true},
		HTTP:    HTTP{Addr: "127.0.0.1:8080"},
		Console: Console{LogQuestions: true, RetentionDays: 7, Salt: "pepper", HTTP: "127.0.0.1:8090"},
		State:   State{Dir: filepath.Join(td, "state")},
		Log:     Log{Level: "debug", Format: "json"},
		File:    filepath.Join(td, "full.yaml"),
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("decoded config differs:\n got %+v\nwant %+v", c, want)
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestLoadPrecedence(t *testing.T) {
	t.Parallel()
	const file = `
retrieval:
  k: 7
answer:
  min_coverage: 0.5
discord:
  edit_interval: 2s
  guild_ids: ["10"]
  shard_count: 4
  shard_ids: [3, 1]
  rate_limit:
    burst: 9
log:
  level: warn
  format: json
`
	tests := []struct {
		name  string
		env   map[string]string
		flags Options
		check func(*Config) (got, want any)
	}{
		{"file over default", nil, Options{},
			func(c *Config) (any, any) { return c.Retrieval.K, 7 }},
		{"env over file, int", map[string]string{"ATTACHE_RETRIEVAL_K": "9"}, Options{},
			func(c *Config) (any, any) { return c.Retrieval.K, 9 }},
		{"env over file, float", map[string]string{"ATTACHE_ANSWER_MIN_COVERAGE": "0.75"}, Options{},
			func(c *Config) (any, any) { return c.Answer.MinCoverage, 0.75 }},
		{"env over file, duration", map[string]string{"ATTACHE_DISCORD_EDIT_INTERVAL": "250ms"}, Options{},
			func(c *Config) (any, any) { return c.Discord.EditInterval, 250 * time.Millisecond }},
		{"env over file, list", map[string]string{"ATTACHE_DISCORD_GUILD_IDS": "1, 2,,3"}, Options{},
			func(c *Config) (any, any) { return c.Discord.GuildIDs, []string{"1", "2", "3"} }},
		{"file, list of numbers", nil, Options{},
			func(c *Config) (any, any) { return c.Discord.ShardIDs, []int{3, 1} }},
		{"env over file, list of numbers", map[string]string{"ATTACHE_DISCORD_SHARD_IDS": "0,2"}, Options{},
			func(c *Config) (any, any) { return c.Discord.ShardIDs, []int{0, 2} }},
		{"env over file, nested", map[string]string{"ATTACHE_DISCORD_RATE_LIMIT_BURST": "4"}, Options{},
			func(c *Config) (any, any) { return c.Discord.RateLimit.Burst, 4 }},
		{"env over default, bool", map[string]string{"ATTACHE_DISCORD_ALLOW_DMS": "true"}, Options{},
			func(c *Config) (any, any) { return c.Discord.AllowDMs, true }},
		{"env over default, int64", map[string]string{"ATTACHE_KNOWLEDGE_MAX_FILE_BYTES": "4096"}, Options{},
			func(c *Config) (any, any) { return c.Knowledge.MaxFileBytes, int64(4096) }},
		{"env over default, string", map[string]string{"ATTACHE_HTTP_ADDR": ":9090"}, Options{},
			func(c *Config) (any, any) { return c.HTTP.Addr, ":9090" }},
		{"empty env is unset", map[string]string{"ATTACHE_RETRIEVAL_K": ""}, Options{},
			func(c *Config) (any, any) { return c.Retrieval.K, 7 }},
		{"env over file, log", map[string]string{"ATTACHE_LOG_LEVEL": "debug"}, Options{},
			func(c *Config) (any, any) { return c.Log.Level, "debug" }},
		{"flag over env", map[string]string{"ATTACHE_LOG_LEVEL": "debug"}, Options{LogLevel: "error"},
			func(c *Config) (any, any) { return c.Log.Level, "error" }},
		{"flag over file", nil, Options{LogFormat: "text"},
			func(c *Config) (any, any) { return c.Log.Format, "text" }},
		{"flag case folded", nil, Options{LogLevel: "DEBUG"},
			func(c *Config) (any, any) { return c.Log.Level, "debug" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSandbox(t)
			for k, v := range tt.env {
				s.env[k] = v
			}
			s.config(t, file)
			got, want := tt.check(s.load(t, tt.flags))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

// TestEveryKeyHasEnvVar sets each scalar key through its environment
// variable to a value that is valid and not the default, and checks it lands.
func TestEveryKeyHasEnvVar(t *testing.T) {
	t.Parallel()
	valid := map[string]string{
		"knowledge.max_file_bytes": "77", "knowledge.chunk_words": "77", "knowledge.chunk_overlap": "false",
		"index.driver": "postgres", "index.path": "/x/i.db", "index.dsn": "host=db", "index.max_conns": "7", "index.title_weight": "7", "index.rebuild_on_corrupt": "true",
		"retrieval.k": "7", "retrieval.max_per_doc": "7", "retrieval.min_score": "0.7",
		"answer.unsupported": "drop", "answer.max_sentences": "7", "answer.neighbours": "3", "answer.min_coverage": "0.6",
		"llm.base_url": "http://h/v1", "llm.api_key": "k", "llm.model": "m", "llm.temperature": "1",
		"llm.max_tokens": "7", "llm.context_tokens": "777", "llm.timeout": "7s", "llm.fallback_models": "a,b",
		"llm.api_type": "azure", "llm.api_version": "v7", "llm.max_retries": "7",
		"llm.breaker_failures": "7", "llm.breaker_cooldown": "7s", "discord.shutdown_grace": "7s",
		"embeddings.base_url": "http://h/v1", "embeddings.model": "e", "embeddings.api_key": "k",
		"embeddings.dimensions": "7", "embeddings.batch_size": "7",
		"discord.token": "t", "discord.api_base_url": "http://h/api", "discord.guild_ids": "7",
		"discord.allowed_guilds": "7", "discord.allowed_channels": "7", "discord.allowed_roles": "r",
		"discord.admin_roles": "r", "discord.allow_dms": "true", "discord.history_messages": "7",
		"discord.edit_interval": "7s", "discord.answer_timeout": "7s", "discord.rate_limit.per_minute": "7",
		"discord.rate_limit.burst": "7", "discord.max_concurrent": "7", "discord.queue_timeout": "7s",
		"discord.threads": "ask", "discord.forum_auto_reply": "true",
		"discord.shard_count": "7", "discord.shard_ids": "1, 6", "discord.shards_per_process": "7",
		"console.log_questions": "true", "console.retention_days": "7", "console.salt": "s",
		"state.dir":    "/x/state",
		"console.http": "127.0.0.1:7", "console.token": "0123456789abcdef",
		"http.addr": ":7", "log.level": "warn", "log.format": "json",
	}
	s := newSandbox(t)
	for _, l := range leaves() {
		if fileOnly(l.key) {
			continue
		}
		v, ok := valid[l.key]
		if !ok {
			t.Errorf("key %s has no test value", l.key)
			continue
		}
		s.env[envName(l.key)] = v
	}
	c := s.load(t, Options{})
	def := reflect.ValueOf(Default()).Elem()
	got := reflect.ValueOf(c).Elem()
	for _, l := range leaves() {
		if fileOnly(l.key) {
			continue
		}
		if reflect.DeepEqual(got.FieldByIndex(l.index).Interface(), def.FieldByIndex(l.index).Interface()) {
			t.Errorf("%s=%s left %s at its default", envName(l.key), valid[l.key], l.key)
		}
	}
	if envName("discord.rate_limit.per_minute") != "ATTACHE_DISCORD_RATE_LIMIT_PER_MINUTE" {
		t.Errorf("envName = %s", envName("discord.rate_limit.per_minute"))
	}
}

func TestLoadSecretFallbacks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		file        string
		env         map[string]string
		wantKey     string
		wantBaseURL string
		wantToken   string
	}{
		{name: "OPENAI_API_KEY with an OpenAI model",
			file: "llm:\n  model: gpt-4o-mini\n", env: map[string]string{"OPENAI_API_KEY": "sk-env"},
			wantKey: "sk-env", wantBaseURL: DefaultOpenAIBaseURL},
		{name: "OPENAI_API_KEY with explicit OpenAI base URL",
			file: "llm:\n  model: m\n  base_url: https://api.openai.com/v1\n", env: map[string]string{"OPENAI_API_KEY": "sk-env"},
			wantKey: "sk-env", wantBaseURL: "https://api.openai.com/v1"},
		{name: "OPENAI_API_KEY alone does not enable the model",
			env: map[string]string{"OPENAI_API_KEY": "sk-env"}},
		{name: "OPENAI_API_KEY not sent to another server",
			file: "llm:\n  model: m\n  base_url: http://localhost:11434/v1\n", env: map[string]string{"OPENAI_API_KEY": "sk-env"},
			wantBaseURL: "http://localhost:11434/v1"},
		{name: "ATTACHE_LLM_API_KEY wins over OPENAI_API_KEY",
			file: "llm:\n  model: m\n", env: map[string]string{"OPENAI_API_KEY": "sk-env", "ATTACHE_LLM_API_KEY": "sk-attache"},
			wantKey: "sk-attache", wantBaseURL: DefaultOpenAIBaseURL},
		{name: "file key wins over OPENAI_API_KEY",
			file: "llm:\n  model: m\n  api_key: sk-file\n", env: map[string]string{"OPENAI_API_KEY": "sk-env"},
			wantKey: "sk-file", wantBaseURL: DefaultOpenAIBaseURL},
		{name: "DISCORD_TOKEN",
			env: map[string]string{"DISCORD_TOKEN": "tok-env"}, wantToken: "tok-env"},
		{name: "ATTACHE_DISCORD_TOKEN wins over DISCORD_TOKEN",
			env: map[string]string{"DISCORD_TOKEN": "tok-env", "ATTACHE_DISCORD_TOKEN": "tok-attache"}, wantToken: "tok-attache"},
		{name: "file token wins over DISCORD_TOKEN",
			file: "discord:\n  token: tok-file\n", env: map[string]string{"DISCORD_TOKEN": "tok-env"}, wantToken: "tok-file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSandbox(t)
			for k, v := range tt.env {
				s.env[k] = v
			}
			if tt.file != "" {
				s.config(t, tt.file)
			}
			c := s.load(t, Options{})
			if c.LLM.APIKey != tt.wantKey || c.LLM.BaseURL != tt.wantBaseURL || c.Discord.Token != tt.wantToken {
				t.Errorf("api_key=%q base_url=%q token=%q, want %q %q %q",
					c.LLM.APIKey, c.LLM.BaseURL, c.Discord.Token, tt.wantKey, tt.wantBaseURL, tt.wantToken)
			}
			if c.LLM.Enabled() != (tt.wantBaseURL != "") {
				t.Errorf("LLM.Enabled() = %v", c.LLM.Enabled())
			}
		})
	}
}

func TestLoadFlags(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	mkdir(t, filepath.Join(s.wd(), "articles", "cuba"))
	s.config(t, `
knowledge:
  sources:
    - name: main
      path: ./knowledge
    - name: other
      path: ./knowledge
      tags: [x]
index:
  path: from-file.db
`)
	tests := []struct {
		name      string
		flags     Options
		wantName  string
		wantPath  string
		wantIndex string
	}{
		{"knowledge relative", Options{Knowledge: "articles/cuba"}, "cuba",
			filepath.Join(s.wd(), "articles", "cuba"), filepath.Join(s.wd(), "from-file.db")},
		{"knowledge dot", Options{Knowledge: ".", Index: "idx/x.db"}, "knowledge",
			s.wd(), filepath.Join(s.wd(), "idx", "x.db")},
		{"knowledge absolute with slash", Options{Knowledge: filepath.Join(s.wd(), "articles") + string(filepath.Separator)},
			"articles", filepath.Join(s.wd(), "articles"), filepath.Join(s.wd(), "from-file.db")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := s.load(t, tt.flags)
			want := []Source{{Name: tt.wantName, Path: tt.wantPath, Exclude: []string{"README.md"}}}
			if !reflect.DeepEqual(c.Knowledge.Sources, want) {
				t.Errorf("Sources = %+v, want %+v", c.Knowledge.Sources, want)
			}
			if c.Index.Path != tt.wantIndex {
				t.Errorf("Index.Path = %q, want %q", c.Index.Path, tt.wantIndex)
			}
		})
	}
}

func TestLoadRelativePathsFromFile(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	confDir := filepath.Join(s.dir, "etc", "attache")
	mkdir(t, filepath.Join(confDir, "news"))
	mkdir(t, filepath.Join(s.dir, "etc", "shared"))
	file := filepath.Join(confDir, "attache.yaml")
	writeFile(t, file, `
knowledge:
  sources:
    - name: news
      path: news
    - name: shared
      path: ../shared/
index:
  path: ./cache/index.db
`)
	c := s.load(t, Options{File: file})
	got := []string{c.Knowledge.Sources[0].Path, c.Knowledge.Sources[1].Path, c.Index.Path}
	want := []string{filepath.Join(confDir, "news"), filepath.Join(s.dir, "etc", "shared"), filepath.Join(confDir, "cache", "index.db")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("paths = %q, want %q (against the file's folder, not %s)", got, want, s.wd())
	}

	// From the environment, index.path is relative to the working directory.
	s.env["ATTACHE_INDEX_PATH"] = "env.db"
	c = s.load(t, Options{File: file})
	if want := filepath.Join(s.wd(), "env.db"); c.Index.Path != want {
		t.Errorf("Index.Path from env = %q, want %q", c.Index.Path, want)
	}
}

func TestDefaultIndexPath(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	for _, d := range []string{"a", "b"} {
		mkdir(t, filepath.Join(s.wd(), d))
	}
	load := func(file string) string {
		t.Helper()
		s.config(t, file)
		return s.load(t, Options{}).Index.Path
	}
	ab := load("knowledge:\n  sources:\n    - {name: a, path: a}\n    - {name: b, path: b}\n")
	ba := load("knowledge:\n  sources:\n    - {name: b, path: b}\n    - {name: a, path: a}\n")
	a := load("knowledge:\n  sources:\n    - {name: a, path: a}\n")
	def := load("")

	if ab != ba {
		t.Errorf("source order changed the index path: %s vs %s", ab, ba)
	}
	if ab == a || a == def || ab == def {
		t.Errorf("different sources share an index: %s %s %s", ab, a, def)
	}
	for _, p := range []string{ab, a, def} {
		if strings.HasPrefix(p, s.wd()+string(filepath.Separator)) {
			t.Errorf("index %s lies inside the working dir %s", p, s.wd())
		}
		if ok, _ := filepath.Match("index-????????????.db", filepath.Base(p)); !ok {
			t.Errorf("index file name %q, want index-<12 hex>.db", filepath.Base(p))
		}
	}

	// Without a cache dir, the index goes under .attache in the working dir.
	bare := &sandbox{dir: s.dir, env: map[string]string{}}
	c := bare.load(t, Options{})
	if want := filepath.Join(s.wd(), ".attache", "index.db"); c.Index.Path != want {
		t.Errorf("Index.Path without cache dir = %q, want %q", c.Index.Path, want)
	}

	// Postgres needs no path.
	s.env["ATTACHE_INDEX_DRIVER"] = "postgres"
	s.env["ATTACHE_INDEX_DSN"] = "host=db"
	if p := s.load(t, Options{}).Index.Path; p != "" {
		t.Errorf("postgres Index.Path = %q, want none", p)
	}
}

func TestYAMLSyntaxErrorNamesFileAndLine(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	file := mustAbs(t, filepath.Join("testdata", "broken.yaml"))
	_, err := Load(s.options(Options{File: file}))
	wantInvalid(t, err, file, "line 4")
}

func TestUnknownKeysRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file string
		want       []string
	}{
		{"top level", "retrival:\n  k: 5\n", []string{"retrival: unknown key", "line 1"}},
		{"nested", "knowledge:\n  sorces: []\n", []string{"knowledge.sorces: unknown key", "line 2"}},
		{"nested null value", "llm:\n  modle:\n", []string{"llm.modle: unknown key"}},
		{"deeper", "discord:\n  rate_limit:\n    brust: 2\n", []string{"discord.rate_limit.brust: unknown key"}},
		{"source item", "knowledge:\n  sources:\n    - name: k\n      path: knowledge\n      nmae: x\n",
			[]string{"knowledge.sources[0].nmae: unknown key", "line 5"}},
		{"section not a mapping", "llm: gpt-4o\n", []string{"llm: expected a mapping"}},
		{"top level not a mapping", "- a\n- b\n", []string{"top level: expected a mapping"}},
		{"source not a mapping", "knowledge:\n  sources:\n    - knowledge\n", []string{"knowledge.sources[0]: expected a mapping"}},
		{"sources not a list", "knowledge:\n  sources: knowledge\n", []string{"knowledge.sources: expected a list"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSandbox(t)
			s.config(t, tt.file)
			_, err := Load(s.options(Options{}))
			wantInvalid(t, err, tt.want...)
		})
	}
}

// TestDeprecatedMinScore: retrieval.min_score, the former name of
// answer.min_coverage, still applies with a warning, unless the new key is set.
func TestDeprecatedMinScore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		file     string
		env      map[string]string
		want     float64
		warnings []string
	}{
		{"not set", "", nil, answer.DefaultMinCoverage, nil},
		{"new key", "answer:\n  min_coverage: 0.6\n", nil, 0.6, nil},
		{"old key in the file", "retrieval:\n  min_score: 0.3\n", nil, 0.3,
			[]string{"retrieval.min_score is deprecated: use answer.min_coverage"}},
		{"old key in the environment", "", map[string]string{"ATTACHE_RETRIEVAL_MIN_SCORE": "0.35"}, 0.35,
			[]string{"retrieval.min_score is deprecated: use answer.min_coverage"}},
		{"old key at zero keeps the default", "retrieval:\n  min_score: 0\n", nil, answer.DefaultMinCoverage,
			[]string{"retrieval.min_score is deprecated: use answer.min_coverage"}},
		{"both", "retrieval:\n  min_score: 0.3\nanswer:\n  min_coverage: 0.6\n", nil, 0.6,
			[]string{"retrieval.min_score is deprecated and ignored: answer.min_coverage is set"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSandbox(t)
			for k, v := range tt.env {
				s.env[k] = v
			}
			if tt.file != "" {
				s.config(t, tt.file)
			}
			c := s.load(t, Options{})
			if c.Answer.MinCoverage != tt.want {
				t.Errorf("answer.min_coverage = %g, want %g", c.Answer.MinCoverage, tt.want)
			}
			if len(c.Warnings) != len(tt.warnings) {
				t.Fatalf("warnings = %q, want %q", c.Warnings, tt.warnings)
			}
			for i, w := range tt.warnings {
				if !strings.HasPrefix(c.Warnings[i], w) {
					t.Errorf("warning %q, want %q", c.Warnings[i], w)
				}
			}
			out, err := c.YAML()
			if err != nil {
				t.Fatal(err)
			}
			if shown := strings.Contains(string(out), "min_score:"); shown != (c.Retrieval.MinScore != 0) {
				t.Errorf("min_score shown = %v with value %g:\n%s", shown, c.Retrieval.MinScore, out)
			}
		})
	}
}

// TestDefaultsComeFromTheirPackages: the configuration's defaults are those
// the packages apply themselves when a setting is left zero.
func TestDefaultsComeFromTheirPackages(t *testing.T) {
	t.Parallel()
	d := Default()
	got := []any{d.Retrieval.K, d.Retrieval.MaxPerDoc, d.Index.TitleWeight, d.Answer.MaxSentences, d.Answer.Neighbours,
		d.Answer.MinCoverage, d.LLM.ContextTokens, d.LLM.MaxTokens, d.LLM.Timeout, d.LLM.APIVersion,
		d.Knowledge.MaxFileBytes, d.Embeddings.BatchSize}
	want := []any{retrieval.DefaultK, retrieval.DefaultMaxPerDoc, float64(retrieval.DefaultTitleWeight), answer.DefaultMaxSentences,
		answer.DefaultNeighbours, answer.DefaultMinCoverage, answer.DefaultContextTokens, answer.DefaultMaxTokens,
		llm.DefaultTimeout, llm.DefaultAzureAPIVersion, int64(ingest.DefaultMaxFileBytes), vector.DefaultBatchSize}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("defaults %v, want the packages' %v", got, want)
	}
}

func TestStateDir(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	if c := s.load(t, Options{}); c.State.Dir == "" || !filepath.IsAbs(c.State.Dir) ||
		strings.HasPrefix(c.State.Dir, s.env["XDG_CACHE_HOME"]) {
		t.Errorf("default state dir %q: want an absolute folder outside the cache", c.State.Dir)
	}
	s.env["XDG_STATE_HOME"] = filepath.Join(s.dir, "xdg-state")
	if c, want := s.load(t, Options{}), filepath.Join(s.dir, "xdg-state", "attache"); c.State.Dir != want {
		t.Errorf("with XDG_STATE_HOME: %q, want %q", c.State.Dir, want)
	}
	s.env["ATTACHE_STATE_DIR"] = "kept"
	if c, want := s.load(t, Options{}), filepath.Join(s.wd(), "kept"); c.State.Dir != want {
		t.Errorf("from the environment: %q, want %q", c.State.Dir, want)
	}
	file := filepath.Join(s.dir, "a-file")
	writeFile(t, file, "x")
	s.env["ATTACHE_STATE_DIR"] = file
	_, err := Load(s.options(Options{}))
	if err == nil || !strings.Contains(err.Error(), "state.dir") || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("a file as state.dir: %v", err)
	}
}
