package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"attache/knowledge"
)

// Options are the inputs of Load besides the file: command-line flags and the
// process environment.
type Options struct {
	// File is the --config flag. "" searches ./attache.yaml (in Dir), then
	// attache/attache.yaml in the user config directory ($XDG_CONFIG_HOME, or
	// the system's default such as ~/.config); no file at all is fine.
	File string
	// Knowledge is the --knowledge flag: it replaces every configured source
	// with one source named after the folder's base name ("knowledge" when
	// that is "." or empty), with the default include and exclude patterns.
	Knowledge string
	// Index is the --index flag, the SQLite index file.
	Index string
	// LogLevel and LogFormat are the --log-level and --log-format flags.
	LogLevel, LogFormat string
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// Dir is the working directory against which relative paths from flags,
	// the environment and the defaults are resolved; "" means os.Getwd().
	Dir string
}

// Load builds the configuration: defaults, then the file, then ATTACHE_*
// environment variables, then flags, each overriding the one before. It then
// applies the fallbacks below, resolves relative paths, computes the default
// index path and calls Validate. Every error it returns is a
// *ValidationError, whose code (attache.ErrorCode) is attache.EINVALID.
//
// Fallbacks: discord.token is read from DISCORD_TOKEN when it is not set
// otherwise. llm.api_key is read from OPENAI_API_KEY when it is not set
// otherwise, llm.model is set, and the model is OpenAI's own (api_type openai
// and base_url empty or on api.openai.com); so a key lying in the shell never
// turns the model on by itself, nor is it sent to another server.
//
// Relative source paths and index.path from the file are resolved against the
// file's folder; those from flags, environment or defaults against o.Dir.
func Load(o Options) (*Config, error) {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	wd, err := workDir(o.Dir)
	if err != nil {
		return nil, invalid(err.Error())
	}

	file, err := findFile(o.File, getenv, wd)
	if err != nil {
		return nil, invalid(err.Error())
	}

	var problems []string
	var v *viper.Viper
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, invalid(fileError(file, err))
		}
		// The YAML tree is walked for unknown keys (with line numbers); viper
		// holds the values.
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, invalid(fileError(file, err))
		}
		if !checkDocument(&doc, &problems) {
			return nil, &ValidationError{File: file, Problems: problems}
		}
		v = viper.New()
		v.SetConfigType("yaml")
		if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
			return nil, invalid(fileError(file, err))
		}
	}

	flags := map[string]string{
		"index.path": o.Index,
		"log.level":  o.LogLevel,
		"log.format": o.LogFormat,
	}

	c := Default()
	c.File = file
	cv := reflect.ValueOf(c).Elem()
	fromFile := map[string]bool{}
	set := map[string]bool{}
	for _, l := range leaves() {
		var raw any
		switch {
		case flags[l.key] != "":
			raw = flags[l.key]
		case !fileOnly(l.key) && getenv(envName(l.key)) != "":
			raw = getenv(envName(l.key))
		case v != nil && v.Get(l.key) != nil:
			raw = v.Get(l.key)
			fromFile[l.key] = true
		default:
			continue
		}
		set[l.key] = true
		if l.key == sourcesKey {
			c.Knowledge.Sources = decodeSources(raw, &problems)
			continue
		}
		if l.key == channelsKey {
			c.Discord.Channels = decodeChannels(raw, &problems)
			continue
		}
		if p := decodeValue(l.key, raw, cv.FieldByIndex(l.index)); p != "" {
			problems = append(problems, p)
		}
	}

	c.Warnings = applyDeprecated(c, set)
	if c.Discord.Token == "" {
		c.Discord.Token = getenv("DISCORD_TOKEN")
	}
	c.LLM.APIType = strings.ToLower(strings.TrimSpace(c.LLM.APIType))
	if c.LLM.APIKey == "" && c.LLM.Model != "" && c.LLM.APIType == APITypeOpenAI && isOpenAI(c.LLM.BaseURL) {
		c.LLM.APIKey = getenv("OPENAI_API_KEY")
	}
	if c.LLM.APIKey != "" && c.LLM.BaseURL == "" && c.LLM.APIType == APITypeOpenAI {
		c.LLM.BaseURL = DefaultOpenAIBaseURL
	}
	c.Index.Driver = strings.ToLower(strings.TrimSpace(c.Index.Driver))
	c.Answer.Unsupported = strings.ToLower(strings.TrimSpace(c.Answer.Unsupported))
	c.Log.Level = strings.ToLower(strings.TrimSpace(c.Log.Level))
	c.Log.Format = strings.ToLower(strings.TrimSpace(c.Log.Format))

	// Paths.
	sourceBase := wd
	if o.Knowledge != "" {
		c.Knowledge.Sources = []Source{knowledgeFlagSource(o.Knowledge)}
	} else if fromFile[sourcesKey] {
		sourceBase = filepath.Dir(file)
	}
	for i := range c.Knowledge.Sources {
		c.Knowledge.Sources[i].Path = absUnder(sourceBase, c.Knowledge.Sources[i].Path)
	}
	if o.Knowledge == "" && !fromFile[sourcesKey] {
		useBundled(c.Knowledge.Sources, getenv, wd)
	}
	indexBase := wd
	if fromFile["index.path"] {
		indexBase = filepath.Dir(file)
	}
	c.Index.Path = absUnder(indexBase, c.Index.Path)
	if c.Index.Path == "" && c.Index.Driver == DriverSQLite {
		c.Index.Path = defaultIndexPath(c.Knowledge.Sources, getenv, wd)
	}
	stateBase := wd
	if fromFile["state.dir"] {
		stateBase = filepath.Dir(file)
	}
	c.State.Dir = absUnder(stateBase, c.State.Dir)
	if c.State.Dir == "" {
		c.State.Dir = defaultStateDir(getenv, wd)
	}

	var ve *ValidationError
	if err := c.Validate(); errors.As(err, &ve) {
		problems = append(problems, ve.Problems...)
	}
	if len(problems) > 0 {
		return nil, &ValidationError{File: file, Problems: problems}
	}
	return c, nil
}

// workDir returns dir made absolute, or the process working directory.
func workDir(dir string) (string, error) {
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return "", fmt.Errorf("cannot determine the working directory: %v", err)
		}
		return wd, nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("working directory %q: %v", dir, err)
	}
	return abs, nil
}

// findFile returns the absolute path of the configuration file to read, or
// "" when none was named and none was found.
func findFile(name string, getenv func(string) string, wd string) (string, error) {
	if name != "" {
		p := absUnder(wd, name)
		st, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return "", fmt.Errorf("config file %s: does not exist", p)
		case err != nil:
			return "", fmt.Errorf("config file %s: %v", p, errors.Unwrap(err))
		case st.IsDir():
			return "", fmt.Errorf("config file %s: is a directory", p)
		}
		return p, nil
	}
	for _, p := range configCandidates(getenv, wd) {
		st, err := os.Stat(p)
		if err == nil && !st.IsDir() {
			return p, nil
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("config file %s: %v", p, errors.Unwrap(err))
		}
	}
	return "", nil
}

// fileError describes a failure to read or parse the file. YAML errors
// carry the line number ("yaml: line 3: …").
func fileError(file string, err error) string {
	var pe viper.ConfigParseError
	if errors.As(err, &pe) {
		err = errors.Unwrap(pe)
	}
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return fmt.Sprintf("%s: cannot read: %v", file, pathErr.Err)
	}
	return fmt.Sprintf("%s: invalid YAML: %v", file, err)
}

// applyDeprecated carries the value of each deprecated key that was set to
// the key that replaced it, unless that one was set too, and returns a
// warning for each. A deprecated key is a field tagged deprecated:"NEW KEY".
func applyDeprecated(c *Config, set map[string]bool) []string {
	var warnings []string
	cv := reflect.ValueOf(c).Elem()
	byKey := map[string]leaf{}
	for _, l := range leaves() {
		byKey[l.key] = l
	}
	for _, l := range leaves() {
		newKey := deprecatedBy(l)
		if newKey == "" || !set[l.key] {
			continue
		}
		old := cv.FieldByIndex(l.index)
		switch {
		case set[newKey]:
			warnings = append(warnings, fmt.Sprintf("%s is deprecated and ignored: %s is set", l.key, newKey))
		case old.IsZero():
			// Zero meant "the built-in default", which the new key holds.
			warnings = append(warnings, fmt.Sprintf("%s is deprecated: use %s", l.key, newKey))
		default:
			cv.FieldByIndex(byKey[newKey].index).Set(old)
			warnings = append(warnings, fmt.Sprintf("%s is deprecated: use %s (its value %v is applied to %s)", l.key, newKey, old, newKey))
		}
	}
	return warnings
}

// useBundled turns the default source into the articles built into the
// binary when its folder (./knowledge) does not exist, so that Attaché
// answers from any folder. The source keeps its name, so document IDs are the
// same as when it is run from the repository.
func useBundled(sources []Source, getenv func(string) string, wd string) {
	if len(sources) != 1 {
		return
	}
	if _, err := os.Stat(sources[0].Path); !errors.Is(err, fs.ErrNotExist) {
		return
	}
	base := filepath.Join(wd, ".attache")
	if cache := userCacheDir(getenv); cache != "" {
		base = filepath.Join(cache, "attache")
	}
	sources[0].Path = filepath.Join(base, "knowledge-"+knowledge.Digest())
	sources[0].Bundled = true
}

// WriteBundled writes the bundled articles to the folder of every Bundled
// source, unless already there. Call it before indexing.
func (c *Config) WriteBundled() error {
	for _, s := range c.Knowledge.Sources {
		if s.Bundled {
			if err := knowledge.WriteTo(s.Path); err != nil {
				return err
			}
		}
	}
	return nil
}

// knowledgeFlagSource is the single source that --knowledge DIR stands for.
func knowledgeFlagSource(dir string) Source {
	name := filepath.Base(filepath.Clean(dir))
	if name == "." || name == ".." || name == string(filepath.Separator) || name == "" {
		name = "knowledge"
	}
	return Source{Name: name, Path: dir, Exclude: defaultExclude()}
}

// isOpenAI reports whether base is empty or an api.openai.com URL.
func isOpenAI(base string) bool {
	if base == "" {
		return true
	}
	u, err := url.Parse(base)
	return err == nil && strings.EqualFold(u.Hostname(), "api.openai.com")
}
