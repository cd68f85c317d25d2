// Package config owns Attaché's settings: the typed Config, its defaults, and
// Load, which reads them from a YAML file, ATTACHE_* environment variables and
// command-line flags (in rising order of precedence), resolves relative paths,
// and refuses anything it does not understand. It is the only package that
// reads configuration and the only one that imports viper.
//
// Every key has an environment variable: ATTACHE_ followed by the key in upper
// case with dots turned into underscores (llm.api_key → ATTACHE_LLM_API_KEY,
// discord.rate_limit.per_minute → ATTACHE_DISCORD_RATE_LIMIT_PER_MINUTE). List
// keys take a comma-separated value (ATTACHE_DISCORD_GUILD_IDS=1,2). An empty
// variable counts as unset. Knowledge sources are a list of records and cannot
// be set from the environment; use the file or --knowledge.
//
// Secrets (llm.api_key, embeddings.api_key, discord.token, the password in
// index.dsn and the password a URL setting may carry, user:password@host) are
// never put into error messages; Redacted returns a copy that is safe to print
// or log.
package config

import (
	"time"

	"attache/answer"
	"attache/bot"
	"attache/llm"
	"attache/retrieval"
	"attache/retrieval/ingest"
	"attache/retrieval/vector"
)

// Config is the whole configuration of Attaché.
type Config struct {
	Knowledge  Knowledge  `mapstructure:"knowledge"`
	Index      Index      `mapstructure:"index"`
	Retrieval  Retrieval  `mapstructure:"retrieval"`
	Answer     Answer     `mapstructure:"answer"`
	LLM        LLM        `mapstructure:"llm"`
	Embeddings Embeddings `mapstructure:"embeddings"`
	Discord    Discord    `mapstructure:"discord"`
	HTTP       HTTP       `mapstructure:"http"`
	Console    Console    `mapstructure:"console"`
	State      State      `mapstructure:"state"`
	Log        Log        `mapstructure:"log"`

	// File is the configuration file that was read, "" if none.
	File string `mapstructure:"-"`
	// Warnings are what Load found worth telling but not refusing, such as
	// a deprecated key; the caller shows or logs them.
	Warnings []string `mapstructure:"-"`
}

// Source is one folder of articles.
type Source struct {
	// Name identifies the source; it prefixes document IDs, so it must be
	// unique and contain no '/' or '#'.
	Name string `mapstructure:"name"`
	// Path is the folder. Load stores it absolute and cleaned.
	Path string `mapstructure:"path"`
	// Include and Exclude are glob patterns (path.Match syntax, plus "**").
	// A pattern without a slash matches the base name at any depth. An empty
	// Include means the loader's default set of Markdown, text and HTML files.
	Include []string `mapstructure:"include"`
	Exclude []string `mapstructure:"exclude"`
	// Tags are added to every document of the source.
	Tags []string `mapstructure:"tags"`
	// Language is the language of the articles, e.g. "en"; "" = unknown.
	Language string `mapstructure:"language"`
	// Bundled marks the default source when ./knowledge does not exist: its
	// Path is then knowledge-<digest> under the user cache directory, where
	// the articles built into the binary are written before indexing (see
	// WriteBundled). It is not a key of the file.
	Bundled bool `mapstructure:"-"`
	// FollowSymlinks indexes files that symbolic links lead to outside the
	// folder; links inside it are always followed.
	FollowSymlinks bool `mapstructure:"follow_symlinks"`
}

// Knowledge says where the articles are and how they are cut into passages.
type Knowledge struct {
	Sources      []Source `mapstructure:"sources"`
	MaxFileBytes int64    `mapstructure:"max_file_bytes"`
	ChunkWords   int      `mapstructure:"chunk_words"`
	ChunkOverlap bool     `mapstructure:"chunk_overlap"`
}

// Index drivers.
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
)

// Index says where the search index is kept.
type Index struct {
	// Driver is "sqlite" or "postgres".
	Driver string `mapstructure:"driver"`
	// Path is the SQLite file. Load computes one under the user cache
	// directory when it is empty (see DefaultIndexPath).
	Path string `mapstructure:"path"`
	// DSN is the PostgreSQL connection string. Its password is a secret.
	DSN string `mapstructure:"dsn"`
	// MaxConns is the size of the PostgreSQL connection pool of the index
	// (0 = the store's default).
	MaxConns int `mapstructure:"max_conns"`
	// TitleWeight multiplies matches in a document title.
	TitleWeight float64 `mapstructure:"title_weight"`
	// RebuildOnCorrupt rebuilds a damaged SQLite index from the knowledge
	// folders instead of failing.
	RebuildOnCorrupt bool `mapstructure:"rebuild_on_corrupt"`
}

// Retrieval tunes the search.
type Retrieval struct {
	K         int `mapstructure:"k"`
	MaxPerDoc int `mapstructure:"max_per_doc"`
	// MinScore is the former name of answer.min_coverage, still read (with
	// a warning) when answer.min_coverage is not set; 0 = unset.
	MinScore float64 `mapstructure:"min_score" deprecated:"answer.min_coverage"`
}

// Values of Answer.Unsupported.
const (
	UnsupportedFlag = "flag"
	UnsupportedDrop = "drop"
)

// Answer tunes how answers are written.
type Answer struct {
	// Unsupported says what to do with a generated sentence that no passage
	// supports: "flag" it or "drop" it.
	Unsupported  string `mapstructure:"unsupported"`
	MaxSentences int    `mapstructure:"max_sentences"`
	// Neighbours is how many passages before and after each retrieved one
	// the model also reads, when its context window has room.
	Neighbours int `mapstructure:"neighbours"`
	// MinCoverage is the refusal threshold: the share of the question's
	// weighted words that the best passage must contain.
	MinCoverage float64 `mapstructure:"min_coverage"`
}

// API types of LLM.APIType.
const (
	APITypeOpenAI = "openai"
	APITypeAzure  = "azure"
)

// DefaultOpenAIBaseURL is the base URL used when llm.api_key is set without
// llm.base_url.
const DefaultOpenAIBaseURL = llm.DefaultBaseURL

// LLM configures the optional language model, spoken to through the OpenAI
// chat API (OpenAI, Azure OpenAI, Ollama, vLLM, …).
//
// The model is enabled when llm.base_url or llm.api_key is set. When only
// the key is set, the base URL defaults to DefaultOpenAIBaseURL. Once enabled,
// llm.model is required. Without a model, answers are extractive.
type LLM struct {
	BaseURL        string        `mapstructure:"base_url"`
	APIKey         string        `mapstructure:"api_key"`
	Model          string        `mapstructure:"model"`
	Temperature    float64       `mapstructure:"temperature"`
	MaxTokens      int           `mapstructure:"max_tokens"`
	ContextTokens  int           `mapstructure:"context_tokens"`
	Timeout        time.Duration `mapstructure:"timeout"`
	FallbackModels []string      `mapstructure:"fallback_models"`
	APIType        string        `mapstructure:"api_type"`
	APIVersion     string        `mapstructure:"api_version"`
	MaxRetries     int           `mapstructure:"max_retries"`
	// BreakerFailures consecutive failed calls make answers extractive at
	// once for BreakerCooldown, after which one probe tests the model.
	BreakerFailures int           `mapstructure:"breaker_failures"`
	BreakerCooldown time.Duration `mapstructure:"breaker_cooldown"`
}

// Enabled reports whether a language model is configured: llm.base_url or
// llm.api_key is set.
func (c LLM) Enabled() bool { return c.BaseURL != "" || c.APIKey != "" }

// Embeddings configures the optional embedding model used for semantic search.
type Embeddings struct {
	BaseURL    string `mapstructure:"base_url"`
	Model      string `mapstructure:"model"`
	APIKey     string `mapstructure:"api_key"`
	Dimensions int    `mapstructure:"dimensions"`
	BatchSize  int    `mapstructure:"batch_size"`
}

// Enabled reports whether embeddings are configured: embeddings.base_url is set.
func (c Embeddings) Enabled() bool { return c.BaseURL != "" }

// Discord configures the bot.
type Discord struct {
	Token           string        `mapstructure:"token"`
	APIBaseURL      string        `mapstructure:"api_base_url"`
	GuildIDs        []string      `mapstructure:"guild_ids"`
	AllowedGuilds   []string      `mapstructure:"allowed_guilds"`
	AllowedChannels []string      `mapstructure:"allowed_channels"`
	AllowedRoles    []string      `mapstructure:"allowed_roles"`
	AdminRoles      []string      `mapstructure:"admin_roles"`
	AllowDMs        bool          `mapstructure:"allow_dms"`
	HistoryMessages int           `mapstructure:"history_messages"`
	EditInterval    time.Duration `mapstructure:"edit_interval"`
	AnswerTimeout   time.Duration `mapstructure:"answer_timeout"`
	RateLimit       RateLimit     `mapstructure:"rate_limit"`
	MaxConcurrent   int           `mapstructure:"max_concurrent"`
	QueueTimeout    time.Duration `mapstructure:"queue_timeout"`
	// ShutdownGrace is how long answers in flight may finish at shutdown.
	ShutdownGrace time.Duration `mapstructure:"shutdown_grace"`
	// Threads is where answers open a thread: off, ask (/ask) or always
	// (/ask and mentions).
	Threads string `mapstructure:"threads"`
	// ForumAutoReply answers new posts in allowed forum channels.
	ForumAutoReply bool `mapstructure:"forum_auto_reply"`
	// Channels maps a channel, forum or category id to the scope of the
	// questions asked there (file only).
	Channels map[string]ChannelScope `mapstructure:"channels"`
	// ShardCount is the number of gateway shards, the same in every
	// process of the bot (0 = the count Discord recommends); ShardIDs are
	// the shards this process runs ([] = all).
	ShardCount int   `mapstructure:"shard_count"`
	ShardIDs   []int `mapstructure:"shard_ids"`
	// ShardsPerProcess, when positive, makes the process take that many of
	// the shards no other process runs, learnt from the shared PostgreSQL
	// database (postgres driver only). A list in ShardIDs takes precedence.
	ShardsPerProcess int `mapstructure:"shards_per_process"`
}

// RateLimit is a per-user token bucket: PerMinute questions refill per
// minute, up to Burst at once.
type RateLimit struct {
	PerMinute float64 `mapstructure:"per_minute"`
	Burst     int     `mapstructure:"burst"`
}

// HTTP configures the optional HTTP endpoint (health and metrics).
type HTTP struct {
	// Addr is the listen address such as ":8080"; "" turns the endpoint off.
	Addr string `mapstructure:"addr"`
}

// Log configures logging.
type Log struct {
	Level  string `mapstructure:"level"`  // debug, info, warn or error
	Format string `mapstructure:"format"` // text or json
}

// Default returns the built-in configuration, before any file, environment or
// flag is applied. Its source path is relative ("./knowledge") and its index
// path is empty; Load resolves both. A setting that a package also applies
// when left zero takes that package's default, so the two never disagree.
func Default() *Config {
	return &Config{
		Knowledge: Knowledge{
			Sources:      []Source{{Name: "knowledge", Path: "./knowledge", Exclude: defaultExclude()}},
			MaxFileBytes: ingest.DefaultMaxFileBytes,
			ChunkWords:   ingest.DefaultChunkWords,
			ChunkOverlap: true,
		},
		Index:     Index{Driver: DriverSQLite, TitleWeight: retrieval.DefaultTitleWeight},
		Retrieval: Retrieval{K: retrieval.DefaultK, MaxPerDoc: retrieval.DefaultMaxPerDoc},
		Answer: Answer{Unsupported: UnsupportedFlag, MaxSentences: answer.DefaultMaxSentences,
			Neighbours: answer.DefaultNeighbours, MinCoverage: answer.DefaultMinCoverage},
		LLM: LLM{
			Temperature:     llm.DefaultTemperature,
			MaxTokens:       answer.DefaultMaxTokens,
			ContextTokens:   answer.DefaultContextTokens,
			Timeout:         llm.DefaultTimeout,
			APIType:         APITypeOpenAI,
			APIVersion:      llm.DefaultAzureAPIVersion,
			MaxRetries:      llm.DefaultMaxRetries,
			BreakerFailures: llm.DefaultBreakerFailures,
			BreakerCooldown: llm.DefaultBreakerCooldown,
		},
		Embeddings: Embeddings{BatchSize: vector.DefaultBatchSize},
		Discord: Discord{
			HistoryMessages: bot.DefaultHistoryMessages,
			EditInterval:    bot.DefaultEditInterval,
			AnswerTimeout:   bot.DefaultAnswerTimeout,
			RateLimit:       RateLimit{PerMinute: bot.DefaultRatePerMinute, Burst: bot.DefaultRateBurst},
			MaxConcurrent:   bot.DefaultMaxConcurrent,
			QueueTimeout:    bot.DefaultQueueTimeout,
			ShutdownGrace:   bot.DefaultShutdownGrace,
			Threads:         bot.ThreadsOff,
		},
		Console: Console{RetentionDays: DefaultRetentionDays, HTTP: DefaultConsoleAddr},
		Log:     Log{Level: "info", Format: "text"},
	}
}

// defaultExclude is the exclude list of the default source and of --knowledge:
// a folder's README describes the folder, it is not an article.
func defaultExclude() []string { return []string{"README.md"} }
