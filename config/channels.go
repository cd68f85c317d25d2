package config

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// channelsKey is the key of the channel scopes: a mapping of channel or
// category ids to records, read from the file only.
const channelsKey = "discord.channels"

// ChannelScope narrows what questions asked in a channel (its threads,
// or the channels of a category) are answered from.
type ChannelScope struct {
	Sources []string `mapstructure:"sources"` // knowledge source names
	Tags    []string `mapstructure:"tags"`    // sources carrying any of these tags
	Since   string   `mapstructure:"since"`   // default window, YYYY[-MM[-DD]]
	Until   string   `mapstructure:"until"`
}

// fileOnly reports whether a key is read only from the file: its value is
// a structure no environment variable can hold.
func fileOnly(key string) bool { return key == sourcesKey || key == channelsKey }

// decodeChannels decodes discord.channels from the file.
func decodeChannels(raw any, problems *[]string) map[string]ChannelScope {
	m, ok := asMap(raw)
	if !ok {
		*problems = append(*problems, channelsKey+": expected a mapping of channel ids to scopes")
		return nil
	}
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]ChannelScope, len(m))
	for _, id := range slices.Sorted(maps.Keys(m)) {
		prefix := channelsKey + "." + id
		item, ok := asMap(m[id])
		if !ok {
			*problems = append(*problems, prefix+": expected a mapping with sources, tags, since or until")
			continue
		}
		var sc ChannelScope
		decodeRecord(prefix, item, &sc, problems)
		out[id] = sc
	}
	return out
}

// partialDate reads YYYY, YYYY-MM or YYYY-MM-DD.
func partialDate(s string) bool {
	for _, layout := range []string{time.DateOnly, "2006-01", "2006"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

// validateChannels checks every channel scope against the sources.
func (v *validator) validateChannels(c *Config) {
	names := map[string]bool{}
	tags := map[string]bool{}
	for _, s := range c.Knowledge.Sources {
		names[s.Name] = true
		for _, t := range s.Tags {
			tags[t] = true
		}
	}
	for _, id := range slices.Sorted(maps.Keys(c.Discord.Channels)) {
		sc := c.Discord.Channels[id]
		key := channelsKey + "." + id
		if len(sc.Sources) == 0 && len(sc.Tags) == 0 && sc.Since == "" && sc.Until == "" {
			v.add(key, "set sources, tags, since or until")
		}
		for i, n := range sc.Sources {
			if !names[n] {
				v.add(fmt.Sprintf("%s.sources[%d]", key, i), fmt.Sprintf("no knowledge source is named %q", n))
			}
		}
		for i, t := range sc.Tags {
			if !tags[t] {
				v.add(fmt.Sprintf("%s.tags[%d]", key, i), fmt.Sprintf("no knowledge source has the tag %q", t))
			}
		}
		for _, d := range []struct{ k, v string }{{"since", sc.Since}, {"until", sc.Until}} {
			if d.v != "" && !partialDate(d.v) {
				v.add(key+"."+d.k, fmt.Sprintf("expected a date YYYY-MM-DD (or YYYY-MM, YYYY), got %q", d.v))
			}
		}
		if sc.Since != "" && sc.Until != "" && partialDate(sc.Since) && partialDate(sc.Until) && sc.Since > sc.Until {
			v.add(key, "since is after until")
		}
	}
}
