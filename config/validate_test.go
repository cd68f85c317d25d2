package config

import (
	"path/filepath"
	"strings"
	"testing"

	"attache"
)

// TestBadValuesNameKeyAndReason loads files and environments with one bad
// value each and checks that the error names the key and the reason.
func TestBadValuesNameKeyAndReason(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string            // ./attache.yaml, "" = none
		env  map[string]string // extra environment
		want []string          // all in one problem
	}{
		// knowledge
		{name: "no sources", file: "knowledge:\n  sources: []\n", want: []string{"knowledge.sources", "at least one"}},
		{name: "source without name", file: "knowledge:\n  sources:\n    - path: knowledge\n",
			want: []string{"knowledge.sources[0].name", "required"}},
		{name: "source without path", file: "knowledge:\n  sources:\n    - name: k\n",
			want: []string{"knowledge.sources[0].path", "required"}},
		{name: "source name with slash", file: "knowledge:\n  sources:\n    - {name: a/b, path: knowledge}\n",
			want: []string{"knowledge.sources[0].name", "must not contain"}},
		{name: "duplicate source names", file: "knowledge:\n  sources:\n    - {name: k, path: knowledge}\n    - {name: k, path: knowledge}\n",
			want: []string{"knowledge.sources[1].name", "duplicate", "knowledge.sources[0]"}},
		{name: "source path missing", file: "knowledge:\n  sources:\n    - {name: k, path: nowhere}\n",
			want: []string{"knowledge.sources[0].path", "nowhere", "does not exist"}},
		{name: "source path is a file", file: "knowledge:\n  sources:\n    - {name: k, path: attache.yaml}\n",
			want: []string{"knowledge.sources[0].path", "not a directory"}},
		{name: "bad include glob", file: "knowledge:\n  sources:\n    - {name: k, path: knowledge, include: ['**/*.md', '[a-']}\n",
			want: []string{"knowledge.sources[0].include[1]", "bad pattern", "[a-"}},
		{name: "bad exclude glob", file: "knowledge:\n  sources:\n    - {name: k, path: knowledge, exclude: ['a\\']}\n",
			want: []string{"knowledge.sources[0].exclude[0]", "bad pattern"}},
		{name: "empty glob", file: "knowledge:\n  sources:\n    - {name: k, path: knowledge, exclude: ['']}\n",
			want: []string{"knowledge.sources[0].exclude[0]", "empty pattern"}},
		{name: "source field wrong type", file: "knowledge:\n  sources:\n    - {name: k, path: knowledge, tags: {a: b}}\n",
			want: []string{"knowledge.sources[0].tags", "expected a list of strings"}},
		{name: "follow_symlinks not bool", file: "knowledge:\n  sources:\n    - {name: k, path: knowledge, follow_symlinks: always}\n",
			want: []string{"knowledge.sources[0].follow_symlinks", "expected true or false", "always"}},
		{name: "chunk_words low", env: map[string]string{"ATTACHE_KNOWLEDGE_CHUNK_WORDS": "49"},
			want: []string{"knowledge.chunk_words", "between 50 and 1000"}},
		{name: "chunk_words high", file: "knowledge:\n  chunk_words: 1001\n", want: []string{"knowledge.chunk_words", "between 50 and 1000"}},
		{name: "max_file_bytes", file: "knowledge:\n  max_file_bytes: 0\n", want: []string{"knowledge.max_file_bytes", "at least 1"}},
		{name: "chunk_overlap not bool", file: "knowledge:\n  chunk_overlap: maybe\n",
			want: []string{"knowledge.chunk_overlap", "expected true or false", "maybe"}},
		// index
		{name: "driver", file: "index:\n  driver: mysql\n", want: []string{"index.driver", "sqlite or postgres", "mysql"}},
		{name: "postgres without dsn", env: map[string]string{"ATTACHE_INDEX_DRIVER": "postgres"},
			want: []string{"index.dsn", "required"}},
		{name: "title_weight negative", file: "index:\n  title_weight: -1\n", want: []string{"index.title_weight", "negative"}},
		// retrieval
		{name: "k zero", file: "retrieval:\n  k: 0\n", want: []string{"retrieval.k", "between 1 and 50"}},
		{name: "k too big", env: map[string]string{"ATTACHE_RETRIEVAL_K": "51"}, want: []string{"retrieval.k", "between 1 and 50"}},
		{name: "k not a number", env: map[string]string{"ATTACHE_RETRIEVAL_K": "five"},
			want: []string{"retrieval.k", "expected a whole number", "five"}},
		{name: "k fractional", file: "retrieval:\n  k: 2.5\n", want: []string{"retrieval.k", "expected a whole number"}},
		{name: "max_per_doc", file: "retrieval:\n  max_per_doc: 0\n", want: []string{"retrieval.max_per_doc", "at least 1"}},
		{name: "min_score", file: "retrieval:\n  min_score: 4\n", want: []string{"retrieval.min_score", "between 0 and 1"}},
		{name: "min_score NaN", env: map[string]string{"ATTACHE_RETRIEVAL_MIN_SCORE": "NaN"},
			want: []string{"retrieval.min_score", "expected a number"}},
		// answer
		{name: "unsupported", file: "answer:\n  unsupported: keep\n", want: []string{"answer.unsupported", "flag or drop", "keep"}},
		{name: "max_sentences", file: "answer:\n  max_sentences: 0\n", want: []string{"answer.max_sentences", "at least 1"}},
		{name: "neighbours", file: "answer:\n  neighbours: 4\n", want: []string{"answer.neighbours", "between 0 and 3"}},
		// llm
		{name: "temperature high", file: "llm:\n  temperature: 2.1\n", want: []string{"llm.temperature", "between 0 and 2"}},
		{name: "temperature negative", env: map[string]string{"ATTACHE_LLM_TEMPERATURE": "-0.1"},
			want: []string{"llm.temperature", "between 0 and 2"}},
		{name: "max_tokens", file: "llm:\n  max_tokens: 0\n", want: []string{"llm.max_tokens", "at least 1"}},
		{name: "max_tokens over context", file: "llm:\n  max_tokens: 9000\n", want: []string{"llm.max_tokens", "less than llm.context_tokens"}},
		{name: "context_tokens", file: "llm:\n  context_tokens: 511\n", want: []string{"llm.context_tokens", "at least 512"}},
		{name: "timeout zero", file: "llm:\n  timeout: 0s\n", want: []string{"llm.timeout", "positive"}},
		{name: "timeout without unit", file: "llm:\n  timeout: 60\n", want: []string{"llm.timeout", "expected a duration"}},
		{name: "api_type", file: "llm:\n  api_type: anthropic\n", want: []string{"llm.api_type", "openai or azure", "anthropic"}},
		{name: "azure without base_url", file: "llm:\n  api_type: azure\n  model: gpt\n  api_key: k\n",
			want: []string{"llm.base_url", "required when llm.api_type is azure"}},
		{name: "base_url not http", file: "llm:\n  base_url: ftp://example.com\n  model: m\n",
			want: []string{"llm.base_url", "http:// or https:// URL"}},
		{name: "base_url without scheme", env: map[string]string{"ATTACHE_LLM_BASE_URL": "localhost:11434"},
			want: []string{"llm.base_url", "http:// or https:// URL"}},
		{name: "model required with base_url", file: "llm:\n  base_url: http://localhost:11434/v1\n",
			want: []string{"llm.model: required when llm.base_url or llm.api_key is set"}},
		{name: "model required with api_key", env: map[string]string{"ATTACHE_LLM_API_KEY": "k"},
			want: []string{"llm.model: required when llm.base_url or llm.api_key is set"}},
		{name: "max_retries", file: "llm:\n  max_retries: -1\n", want: []string{"llm.max_retries", "negative"}},
		{name: "empty fallback model", file: "llm:\n  fallback_models: [a, '']\n",
			want: []string{"llm.fallback_models[1]", "must not be empty"}},
		{name: "fallback models not a list", file: "llm:\n  fallback_models: {a: 1}\n",
			want: []string{"llm.fallback_models", "expected a list of strings"}},
		// embeddings
		{name: "embeddings base_url", file: "embeddings:\n  base_url: localhost\n  model: e\n",
			want: []string{"embeddings.base_url", "http:// or https:// URL"}},
		{name: "embeddings model required", file: "embeddings:\n  base_url: http://localhost:11434/v1\n",
			want: []string{"embeddings.model", "required when embeddings.base_url is set"}},
		{name: "embeddings key without url", env: map[string]string{"ATTACHE_EMBEDDINGS_API_KEY": "k"},
			want: []string{"embeddings.base_url", "required when embeddings.api_key is set"}},
		{name: "batch_size", file: "embeddings:\n  batch_size: 0\n", want: []string{"embeddings.batch_size", "at least 1"}},
		{name: "dimensions", file: "embeddings:\n  dimensions: -3\n", want: []string{"embeddings.dimensions", "negative"}},
		// discord
		{name: "api_base_url", file: "discord:\n  api_base_url: discord.com/api\n",
			want: []string{"discord.api_base_url", "http:// or https:// URL"}},
		{name: "edit_interval fast", file: "discord:\n  edit_interval: fast\n",
			want: []string{"discord.edit_interval", "expected a duration", "fast"}},
		{name: "edit_interval fast from env", env: map[string]string{"ATTACHE_DISCORD_EDIT_INTERVAL": "fast"},
			want: []string{"discord.edit_interval", "expected a duration", "fast"}},
		{name: "answer_timeout negative", file: "discord:\n  answer_timeout: -1s\n", want: []string{"discord.answer_timeout", "positive"}},
		{name: "queue_timeout", file: "discord:\n  queue_timeout: 0s\n", want: []string{"discord.queue_timeout", "positive"}},
		{name: "shutdown_grace", file: "discord:\n  shutdown_grace: 0s\n", want: []string{"discord.shutdown_grace", "positive"}},
		{name: "breaker_failures", file: "llm:\n  breaker_failures: 0\n", want: []string{"llm.breaker_failures", "at least 1"}},
		{name: "breaker_cooldown", file: "llm:\n  breaker_cooldown: -1s\n", want: []string{"llm.breaker_cooldown", "positive"}},
		{name: "history_messages", file: "discord:\n  history_messages: -1\n", want: []string{"discord.history_messages", "negative"}},
		{name: "rate per_minute", file: "discord:\n  rate_limit:\n    per_minute: -1\n",
			want: []string{"discord.rate_limit.per_minute", "negative"}},
		{name: "rate burst", env: map[string]string{"ATTACHE_DISCORD_RATE_LIMIT_BURST": "-2"},
			want: []string{"discord.rate_limit.burst", "negative"}},
		{name: "max_concurrent", file: "discord:\n  max_concurrent: 0\n", want: []string{"discord.max_concurrent", "at least 1"}},
		{name: "threads", env: map[string]string{"ATTACHE_DISCORD_THREADS": "sometimes"},
			want: []string{"discord.threads", "off, ask, always"}},
		{name: "allow_dms", env: map[string]string{"ATTACHE_DISCORD_ALLOW_DMS": "sure"},
			want: []string{"discord.allow_dms", "expected true or false"}},
		{name: "shard_count", file: "discord:\n  shard_count: -2\n", want: []string{"discord.shard_count", "negative"}},
		{name: "shard_ids beyond count", file: "discord:\n  shard_count: 2\n  shard_ids: [0, 2]\n",
			want: []string{"discord.shard_ids", "shard 2 does not exist", "0 to 1"}},
		{name: "shard_ids twice", env: map[string]string{"ATTACHE_DISCORD_SHARD_IDS": "1,1"}, want: []string{"discord.shard_ids", "listed twice"}},
		{name: "shards_per_process without postgres", env: map[string]string{"ATTACHE_DISCORD_SHARDS_PER_PROCESS": "1"},
			want: []string{"discord.shards_per_process", "index.driver postgres"}},
		{name: "shards_per_process negative", env: map[string]string{"ATTACHE_DISCORD_SHARDS_PER_PROCESS": "-1"},
			want: []string{"discord.shards_per_process", "must not be negative"}},
		{name: "shard_ids negative", file: "discord:\n  shard_ids: [-1]\n", want: []string{"discord.shard_ids", "start at 0"}},
		{name: "shard_ids not numbers", env: map[string]string{"ATTACHE_DISCORD_SHARD_IDS": "0,one"},
			want: []string{"discord.shard_ids", "list of whole numbers"}},
		// http, log
		{name: "http addr", file: "http:\n  addr: localhost\n", want: []string{"http.addr", "host:port"}},
		{name: "retention", file: "console:\n  retention_days: 0\n", want: []string{"console.retention_days", "at least 1"}},
		{name: "console addr", file: "console:\n  http: localhost\n", want: []string{"console.http", "host:port"}},
		{name: "console open without token", env: map[string]string{"ATTACHE_CONSOLE_HTTP": "0.0.0.0:8090"},
			want: []string{"console.token", "must be set", "not a loopback address"}},
		{name: "console short token", env: map[string]string{"ATTACHE_CONSOLE_TOKEN": "short"},
			want: []string{"console.token", "at least 16 characters"}},
		{name: "log level", file: "log:\n  level: verbose\n", want: []string{"log.level", "debug, info, warn or error", "verbose"}},
		{name: "log format", env: map[string]string{"ATTACHE_LOG_FORMAT": "xml"}, want: []string{"log.format", "text or json", "xml"}},
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
			c, err := Load(s.options(Options{}))
			if c != nil {
				t.Errorf("Load returned a config along with the error")
			}
			wantInvalid(t, err, tt.want...)
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	s.config(t, "retrieval:\n  k: 0\n  max_per_doc: 0\nlog:\n  level: loud\ndiscord:\n  edit_interval: fast\n")
	_, err := Load(s.options(Options{}))
	ve := wantInvalid(t, err, "retrieval.k")
	for _, key := range []string{"retrieval.max_per_doc", "log.level", "discord.edit_interval"} {
		if !strings.Contains(ve.Error(), key+":") {
			t.Errorf("error does not mention %s: %v", key, ve)
		}
	}
	if len(ve.Problems) != 4 {
		t.Errorf("got %d problems, want 4: %q", len(ve.Problems), ve.Problems)
	}
}

// TestSecretsNeverInErrors makes Load fail while secrets are set, including
// secrets of the wrong type, and checks that no error text contains them.
func TestSecretsNeverInErrors(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-value"
	tests := []struct {
		name string
		file string
		env  map[string]string
	}{
		{"secret env, other key bad", "retrieval:\n  k: 0\n", map[string]string{
			"ATTACHE_LLM_API_KEY": secret, "ATTACHE_DISCORD_TOKEN": secret, "ATTACHE_EMBEDDINGS_API_KEY": secret,
			"ATTACHE_INDEX_DSN": "postgres://u:" + secret + "@h/db", "ATTACHE_INDEX_DRIVER": "postgres"}},
		{"api_key of wrong type", "llm:\n  api_key: [" + secret + "]\n", nil},
		{"token of wrong type", "discord:\n  token: {" + secret + ": 1}\n", nil},
		{"base_url with credentials", "llm:\n  base_url: ftp://u:" + secret + "@h\n  model: m\n", nil},
		{"api key without model", "llm:\n  api_key: " + secret + "\n", map[string]string{"OPENAI_API_KEY": secret}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSandbox(t)
			for k, v := range tt.env {
				s.env[k] = v
			}
			s.config(t, tt.file)
			_, err := Load(s.options(Options{}))
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(attache.ErrorMessage(err), secret) {
				t.Errorf("error reveals the secret: %v", err)
			}
		})
	}
}

func TestValidateDirect(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := Default()
	c.Knowledge.Sources[0].Path = dir
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate(defaults) = %v", err)
	}
	c.LLM.APIType = "azure"
	wantInvalid(t, c.Validate(), "llm.base_url", "azure")

	c = Default()
	c.Knowledge.Sources[0].Path = filepath.Join(dir, "missing")
	c.LLM.APIKey, c.LLM.Model = "k", "m"
	wantInvalid(t, c.Validate(), "knowledge.sources[0].path", "does not exist")
}

func TestGlobsAccepted(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"**/*.md", "docs/**", "*.htm?", "[a-z]*.txt", "README.md", "**"} {
		var v validator
		v.globs("include", []string{p})
		if len(v.problems) != 0 {
			t.Errorf("pattern %q refused: %v", p, v.problems)
		}
	}
}
