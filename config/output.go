package config

import (
	"bytes"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"attache/internal/redact"
)

// Mask replaces a secret in Redacted output.
const Mask = redact.Mask

// Redacted returns a deep copy of c in which every secret that is set
// (llm.api_key, embeddings.api_key, discord.token, console.salt,
// console.token, the password of index.dsn
// and of any URL: llm.base_url, embeddings.base_url, discord.api_base_url)
// is replaced by Mask. Use it before printing or logging a configuration.
func (c *Config) Redacted() *Config {
	r := c.clone()
	mask := func(s *string) {
		if *s != "" {
			*s = Mask
		}
	}
	mask(&r.LLM.APIKey)
	mask(&r.Embeddings.APIKey)
	mask(&r.Discord.Token)
	mask(&r.Console.Salt)
	mask(&r.Console.Token)
	r.Index.DSN = redactDSN(r.Index.DSN)
	r.LLM.BaseURL = redact.URL(r.LLM.BaseURL)
	r.Embeddings.BaseURL = redact.URL(r.Embeddings.BaseURL)
	r.Discord.APIBaseURL = redact.URL(r.Discord.APIBaseURL)
	return r
}

// clone copies c, including its slices.
func (c *Config) clone() *Config {
	r := *c
	r.Knowledge.Sources = slices.Clone(c.Knowledge.Sources)
	for i, s := range r.Knowledge.Sources {
		r.Knowledge.Sources[i].Include = slices.Clone(s.Include)
		r.Knowledge.Sources[i].Exclude = slices.Clone(s.Exclude)
		r.Knowledge.Sources[i].Tags = slices.Clone(s.Tags)
	}
	r.LLM.FallbackModels = slices.Clone(c.LLM.FallbackModels)
	d := &r.Discord
	d.GuildIDs = slices.Clone(d.GuildIDs)
	d.AllowedGuilds = slices.Clone(d.AllowedGuilds)
	d.AllowedChannels = slices.Clone(d.AllowedChannels)
	d.AllowedRoles = slices.Clone(d.AllowedRoles)
	d.AdminRoles = slices.Clone(d.AdminRoles)
	d.ShardIDs = slices.Clone(d.ShardIDs)
	return &r
}

// kvPassword finds password=… in a key/value DSN, quoted or not.
var kvPassword = regexp.MustCompile(`(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)

// redactDSN masks the password of a PostgreSQL connection string, in URL form
// (postgres://user:pw@host/db?password=pw) or key/value form
// (host=h password=pw). A URL that cannot be parsed is masked whole.
func redactDSN(dsn string) string {
	if dsn == "" {
		return ""
	}
	if !strings.Contains(dsn, "://") {
		return kvPassword.ReplaceAllString(dsn, "${1}"+Mask)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return Mask
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), Mask)
		}
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", Mask)
		u.RawQuery = q.Encode()
	}
	// url.URL.String escapes '*' in the password; show the mask plainly.
	return strings.ReplaceAll(u.String(), url.QueryEscape(Mask), Mask)
}

// YAML renders the effective configuration as YAML, with the same keys as
// the file, in declaration order. Durations are written like "1.5s". The
// output loads back into the same configuration. It contains the secrets as
// they are: call Redacted first when the output is to be shown.
func (c *Config) YAML() ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(toNode(reflect.ValueOf(*c))); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// toNode builds a YAML node from a config value using its mapstructure tags.
func toNode(v reflect.Value) *yaml.Node {
	t := v.Type()
	switch {
	case t == durationType:
		return scalar("!!str", time.Duration(v.Int()).String())
	case t.Kind() == reflect.Struct:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for i := range t.NumField() {
			name := t.Field(i).Tag.Get("mapstructure")
			if name == "" || name == "-" {
				continue
			}
			if t.Field(i).Tag.Get("deprecated") != "" && v.Field(i).IsZero() {
				continue // an unset deprecated key is not shown
			}
			n.Content = append(n.Content, scalar("!!str", name), toNode(v.Field(i)))
		}
		return n
	case t.Kind() == reflect.Slice:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for i := range v.Len() {
			n.Content = append(n.Content, toNode(v.Index(i)))
		}
		if v.Len() == 0 || t.Elem().Kind() != reflect.Struct {
			n.Style = yaml.FlowStyle
		}
		return n
	case t.Kind() == reflect.String:
		return scalar("!!str", v.String())
	case t.Kind() == reflect.Bool:
		return scalar("", strconv.FormatBool(v.Bool()))
	case t.Kind() == reflect.Int || t.Kind() == reflect.Int64:
		return scalar("", strconv.FormatInt(v.Int(), 10))
	case t.Kind() == reflect.Float64:
		return scalar("", strconv.FormatFloat(v.Float(), 'g', -1, 64))
	}
	return scalar("", "null")
}

func scalar(tag, value string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
	if tag == "!!str" && needsQuotes(value) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// needsQuotes reports whether a string would read back as another type
// (number, bool, null) or is empty.
func needsQuotes(s string) bool {
	var probe any
	if s == "" || yaml.Unmarshal([]byte(s), &probe) != nil {
		return true
	}
	_, isString := probe.(string)
	return !isString || probe != s
}
