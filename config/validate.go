package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path"
	"slices"
	"strings"

	"attache"
	"attache/bot"
	"attache/console"
)

// ValidationError lists every problem found in a configuration, each as
// "key: reason". Its code (attache.ErrorCode) is attache.EINVALID. No problem
// ever quotes a secret.
type ValidationError struct {
	// File is the configuration file that was read, "" if none.
	File     string
	Problems []string
}

func (e *ValidationError) Error() string {
	where := ""
	if e.File != "" {
		where = " (" + e.File + ")"
	}
	return fmt.Sprintf("invalid configuration%s: %s", where, strings.Join(e.Problems, "; "))
}

// Unwrap gives the error its code: an *attache.Error with code EINVALID and
// the same, secret-free message.
func (e *ValidationError) Unwrap() error {
	return &attache.Error{Code: attache.EINVALID, Message: e.Error()}
}

// invalid is a ValidationError with one problem.
func invalid(problem string) *ValidationError {
	return &ValidationError{Problems: []string{problem}}
}

// Validate checks every value and returns a *ValidationError listing all the
// problems, or nil. Source paths must exist and be folders.
func (c *Config) Validate() error {
	var v validator

	// knowledge
	k := c.Knowledge
	if len(k.Sources) == 0 {
		v.add("knowledge.sources", "at least one source is required")
	}
	seen := map[string]int{}
	for i, s := range k.Sources {
		key := fmt.Sprintf("knowledge.sources[%d]", i)
		switch {
		case s.Name == "":
			v.add(key+".name", "required")
		case strings.ContainsAny(s.Name, "/#") || strings.TrimSpace(s.Name) != s.Name:
			v.add(key+".name", fmt.Sprintf("%q must not contain '/' or '#' nor begin or end with spaces", s.Name))
		default:
			if j, dup := seen[s.Name]; dup {
				v.add(key+".name", fmt.Sprintf("duplicate source name %q (also knowledge.sources[%d])", s.Name, j))
			} else {
				seen[s.Name] = i
			}
		}
		// A bundled source's folder is written from the binary before indexing.
		if s.Path == "" {
			v.add(key+".path", "required")
		} else if st, err := os.Stat(s.Path); err != nil && !s.Bundled {
			if os.IsNotExist(err) {
				v.add(key+".path", fmt.Sprintf("%s does not exist", s.Path))
			} else {
				v.add(key+".path", fmt.Sprintf("%s cannot be read", s.Path))
			}
		} else if err == nil && !st.IsDir() {
			v.add(key+".path", fmt.Sprintf("%s is not a directory", s.Path))
		}
		v.globs(key+".include", s.Include)
		v.globs(key+".exclude", s.Exclude)
	}
	if k.MaxFileBytes < 1 {
		v.add("knowledge.max_file_bytes", "must be at least 1")
	}
	if k.ChunkWords < 50 || k.ChunkWords > 1000 {
		v.add("knowledge.chunk_words", fmt.Sprintf("must be between 50 and 1000, got %d", k.ChunkWords))
	}

	// index
	switch c.Index.Driver {
	case DriverSQLite:
	case DriverPostgres:
		if c.Index.DSN == "" {
			v.add("index.dsn", "required when index.driver is postgres")
		}
	default:
		v.add("index.driver", fmt.Sprintf("must be sqlite or postgres, got %q", c.Index.Driver))
	}
	if c.Index.MaxConns < 0 {
		v.add("index.max_conns", fmt.Sprintf("must not be negative (0 = the default), got %d", c.Index.MaxConns))
	}
	if c.Index.TitleWeight < 0 {
		v.add("index.title_weight", "must not be negative")
	}

	// state
	if fi, err := os.Stat(c.State.Dir); err == nil && !fi.IsDir() {
		v.add("state.dir", fmt.Sprintf("%s is a file, not a folder", c.State.Dir))
	}

	// retrieval
	if c.Retrieval.K < 1 || c.Retrieval.K > 50 {
		v.add("retrieval.k", fmt.Sprintf("must be between 1 and 50, got %d", c.Retrieval.K))
	}
	if c.Retrieval.MaxPerDoc < 1 {
		v.add("retrieval.max_per_doc", fmt.Sprintf("must be at least 1, got %d", c.Retrieval.MaxPerDoc))
	}
	if !(c.Retrieval.MinScore >= 0 && c.Retrieval.MinScore <= 1) {
		v.add("retrieval.min_score", fmt.Sprintf("must be between 0 and 1 (a share of the question's words), got %g", c.Retrieval.MinScore))
	}

	// answer
	if c.Answer.Unsupported != UnsupportedFlag && c.Answer.Unsupported != UnsupportedDrop {
		v.add("answer.unsupported", fmt.Sprintf("must be flag or drop, got %q", c.Answer.Unsupported))
	}
	if c.Answer.MaxSentences < 1 {
		v.add("answer.max_sentences", fmt.Sprintf("must be at least 1, got %d", c.Answer.MaxSentences))
	}
	if !(c.Answer.MinCoverage > 0 && c.Answer.MinCoverage <= 1) {
		v.add("answer.min_coverage", fmt.Sprintf("must be above 0 and at most 1 (a share of the question's words), got %g", c.Answer.MinCoverage))
	}
	if c.Answer.Neighbours < 0 || c.Answer.Neighbours > 3 {
		v.add("answer.neighbours", fmt.Sprintf("must be between 0 and 3, got %d", c.Answer.Neighbours))
	}

	// llm
	l := c.LLM
	v.httpURL("llm.base_url", l.BaseURL)
	switch l.APIType {
	case APITypeOpenAI:
	case APITypeAzure:
		if l.BaseURL == "" {
			v.add("llm.base_url", "required when llm.api_type is azure (https://RESOURCE.openai.azure.com)")
		}
		if l.APIVersion == "" {
			v.add("llm.api_version", "required when llm.api_type is azure")
		}
	default:
		v.add("llm.api_type", fmt.Sprintf("must be openai or azure, got %q", l.APIType))
	}
	if l.Enabled() && strings.TrimSpace(l.Model) == "" {
		v.add("llm.model", "required when llm.base_url or llm.api_key is set")
	}
	if l.Temperature < 0 || l.Temperature > 2 {
		v.add("llm.temperature", fmt.Sprintf("must be between 0 and 2, got %g", l.Temperature))
	}
	if l.MaxTokens < 1 {
		v.add("llm.max_tokens", fmt.Sprintf("must be at least 1, got %d", l.MaxTokens))
	}
	if l.ContextTokens < 512 {
		v.add("llm.context_tokens", fmt.Sprintf("must be at least 512, got %d", l.ContextTokens))
	} else if l.MaxTokens >= l.ContextTokens {
		v.add("llm.max_tokens", fmt.Sprintf("must be less than llm.context_tokens (%d), got %d", l.ContextTokens, l.MaxTokens))
	}
	if l.Timeout <= 0 {
		v.add("llm.timeout", "must be positive")
	}
	if l.MaxRetries < 0 {
		v.add("llm.max_retries", fmt.Sprintf("must not be negative, got %d", l.MaxRetries))
	}
	if l.BreakerFailures < 1 {
		v.add("llm.breaker_failures", fmt.Sprintf("must be at least 1, got %d", l.BreakerFailures))
	}
	if l.BreakerCooldown <= 0 {
		v.add("llm.breaker_cooldown", "must be positive")
	}
	for i, m := range l.FallbackModels {
		if strings.TrimSpace(m) == "" {
			v.add(fmt.Sprintf("llm.fallback_models[%d]", i), "must not be empty")
		}
	}

	// embeddings
	e := c.Embeddings
	v.httpURL("embeddings.base_url", e.BaseURL)
	if e.Enabled() && strings.TrimSpace(e.Model) == "" {
		v.add("embeddings.model", "required when embeddings.base_url is set")
	}
	if !e.Enabled() && e.APIKey != "" {
		v.add("embeddings.base_url", "required when embeddings.api_key is set")
	}
	if e.Dimensions < 0 {
		v.add("embeddings.dimensions", fmt.Sprintf("must not be negative, got %d", e.Dimensions))
	}
	if e.BatchSize < 1 {
		v.add("embeddings.batch_size", fmt.Sprintf("must be at least 1, got %d", e.BatchSize))
	}

	// discord
	d := c.Discord
	v.httpURL("discord.api_base_url", d.APIBaseURL)
	if !slices.Contains(bot.ThreadModes, d.Threads) {
		v.add("discord.threads", fmt.Sprintf("must be one of %s, got %q", strings.Join(bot.ThreadModes, ", "), d.Threads))
	}
	v.validateChannels(c)
	if d.HistoryMessages < 0 {
		v.add("discord.history_messages", fmt.Sprintf("must not be negative, got %d", d.HistoryMessages))
	}
	if d.EditInterval <= 0 {
		v.add("discord.edit_interval", "must be positive")
	}
	if d.AnswerTimeout <= 0 {
		v.add("discord.answer_timeout", "must be positive")
	}
	if d.RateLimit.PerMinute < 0 {
		v.add("discord.rate_limit.per_minute", fmt.Sprintf("must not be negative, got %g", d.RateLimit.PerMinute))
	}
	if d.RateLimit.Burst < 0 {
		v.add("discord.rate_limit.burst", fmt.Sprintf("must not be negative, got %d", d.RateLimit.Burst))
	}
	if d.MaxConcurrent < 1 {
		v.add("discord.max_concurrent", fmt.Sprintf("must be at least 1, got %d", d.MaxConcurrent))
	}
	if d.QueueTimeout <= 0 {
		v.add("discord.queue_timeout", "must be positive")
	}
	if d.ShutdownGrace <= 0 {
		v.add("discord.shutdown_grace", "must be positive")
	}
	if d.ShardCount < 0 {
		v.add("discord.shard_count", fmt.Sprintf("must not be negative (0 = the count Discord recommends), got %d", d.ShardCount))
	}
	seenShard := map[int]bool{}
	for _, id := range d.ShardIDs {
		switch {
		case id < 0:
			v.add("discord.shard_ids", fmt.Sprintf("shard ids start at 0, got %d", id))
		case d.ShardCount > 0 && id >= d.ShardCount:
			v.add("discord.shard_ids", fmt.Sprintf("shard %d does not exist with discord.shard_count %d (ids run from 0 to %d)", id, d.ShardCount, d.ShardCount-1))
		case seenShard[id]:
			v.add("discord.shard_ids", fmt.Sprintf("shard %d is listed twice", id))
		}
		seenShard[id] = true
	}
	switch {
	case d.ShardsPerProcess < 0:
		v.add("discord.shards_per_process", fmt.Sprintf("must not be negative (0 = off), got %d", d.ShardsPerProcess))
	case d.ShardsPerProcess > 0 && c.Index.Driver != DriverPostgres:
		v.add("discord.shards_per_process", "needs index.driver postgres: the processes learn which shards are free from the shared database")
	}

	// http
	if c.HTTP.Addr != "" {
		if _, port, err := net.SplitHostPort(c.HTTP.Addr); err != nil || port == "" {
			v.add("http.addr", fmt.Sprintf("must be host:port or :port, got %q", c.HTTP.Addr))
		}
	}

	// console
	if c.Console.RetentionDays < 1 {
		v.add("console.retention_days", fmt.Sprintf("must be at least 1, got %d", c.Console.RetentionDays))
	}
	if _, port, err := net.SplitHostPort(c.Console.HTTP); err != nil || port == "" {
		v.add("console.http", fmt.Sprintf("must be host:port or :port, got %q", c.Console.HTTP))
	} else if c.Console.Token == "" && !console.Loopback(c.Console.HTTP) {
		v.add("console.token", fmt.Sprintf("must be set when console.http (%q) is not a loopback address: the console shows the questions asked", c.Console.HTTP))
	}
	if t := c.Console.Token; t != "" && len(t) < console.MinTokenLength {
		v.add("console.token", fmt.Sprintf("must be at least %d characters long (a random string, such as the output of \"openssl rand -hex 24\")", console.MinTokenLength))
	}

	// log
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		v.add("log.level", fmt.Sprintf("must be debug, info, warn or error, got %q", c.Log.Level))
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		v.add("log.format", fmt.Sprintf("must be text or json, got %q", c.Log.Format))
	}

	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{File: c.File, Problems: v.problems}
}

type validator struct{ problems []string }

func (v *validator) add(key, reason string) {
	v.problems = append(v.problems, key+": "+reason)
}

// httpURL checks that a non-empty value is an absolute http or https URL. The
// value is not quoted: a URL may carry credentials.
func (v *validator) httpURL(key, s string) {
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		v.add(key, "must be an http:// or https:// URL")
	}
}

// globs checks glob patterns: path.Match syntax, where "**" is allowed.
func (v *validator) globs(key string, patterns []string) {
	for i, p := range patterns {
		if strings.TrimSpace(p) == "" {
			v.add(fmt.Sprintf("%s[%d]", key, i), "empty pattern")
			continue
		}
		if _, err := path.Match(strings.ReplaceAll(p, "**", "*"), ""); err != nil {
			v.add(fmt.Sprintf("%s[%d]", key, i), fmt.Sprintf("bad pattern %q: %v", p, err))
		}
	}
}
