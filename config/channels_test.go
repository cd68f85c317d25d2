package config

import (
	"reflect"
	"strings"
	"testing"
)

const channelSources = "knowledge:\n  sources:\n    - {name: cuba, path: knowledge, tags: [americas]}\n    - {name: world, path: knowledge}\n"

func TestChannelScopesDecoded(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	s.config(t, channelSources+"discord:\n  channels:\n    \"111\": {sources: [cuba]}\n    \"222\": {tags: [americas], since: \"2015-01\", until: \"2016-12-31\"}\n")
	c := s.load(t, Options{})
	want := map[string]ChannelScope{
		"111": {Sources: []string{"cuba"}},
		"222": {Tags: []string{"americas"}, Since: "2015-01", Until: "2016-12-31"},
	}
	if !reflect.DeepEqual(c.Discord.Channels, want) {
		t.Errorf("channels = %+v, want %+v", c.Discord.Channels, want)
	}
}

func TestChannelScopeProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, channels string
		want           []string
	}{
		{"unknown source", `"111": {sources: [nowhere]}`, []string{"discord.channels.111.sources[0]", "nowhere"}},
		{"unknown tag", `"111": {tags: [europe]}`, []string{"discord.channels.111.tags[0]", "europe"}},
		{"bad date", `"111": {since: yesterday}`, []string{"discord.channels.111.since", "YYYY-MM-DD"}},
		{"reversed window", `"111": {since: "2016", until: "2015"}`, []string{"discord.channels.111", "after until"}},
		{"empty scope", `"111": {}`, []string{"discord.channels.111", "set sources"}},
		{"unknown key", `"111": {source: [cuba]}`, []string{"discord.channels.111.source", "unknown key"}},
		{"not a mapping", `"111": cuba`, []string{"discord.channels.111", "expected a mapping"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSandbox(t)
			s.config(t, channelSources+"discord:\n  channels:\n    "+tt.channels+"\n")
			_, err := Load(s.options(Options{}))
			if err == nil {
				t.Fatal("loaded a bad channel scope")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}
