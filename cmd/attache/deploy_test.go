package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"attache/config"
)

// composeFile is the part of compose.yaml the deployment checks read.
type composeFile struct {
	Services map[string]struct {
		Command     []string          `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
	} `yaml:"services"`
}

// composeVar matches ${NAME}, ${NAME:-default} and ${NAME:?message}.
var composeVar = regexp.MustCompile(`\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}`)

// interpolate expands compose variables the way `docker compose` does, with
// vars as the shell environment.
func interpolate(s string, vars map[string]string) string {
	return composeVar.ReplaceAllStringFunc(s, func(m string) string {
		p := composeVar.FindStringSubmatch(m)
		if v := vars[p[1]]; v != "" {
			return v
		}
		if p[2] == "-" {
			return p[3]
		}
		return ""
	})
}

// TestComposeConfiguration loads the configuration each bot process of
// compose.yaml would run with (its file, its environment) and checks that
// it is valid and that the processes together run every shard once on one
// PostgreSQL database.
func TestComposeConfiguration(t *testing.T) {
	raw, err := os.ReadFile("../../compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cf composeFile
	if err := yaml.Unmarshal(raw, &cf); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	file, err := os.ReadFile("../../deploy/compose/attache.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The configuration names the folder as mounted in the container;
	// here a folder of the test stands in for it.
	knowledge := t.TempDir()
	cfgPath := filepath.Join(t.TempDir(), "attache.yaml")
	writeFile(t, cfgPath, strings.ReplaceAll(string(file), "path: /knowledge", "path: "+knowledge))

	shell := map[string]string{"ATTACHE_DISCORD_TOKEN": "test-token"}
	var shards []int
	var count int
	dsns := map[string]bool{}
	bots := 0
	for name, svc := range cf.Services {
		if svc.Environment["ATTACHE_DISCORD_TOKEN"] == "" {
			continue // not a bot process
		}
		bots++
		if !slices.Contains(svc.Volumes, "./deploy/compose/attache.yaml:/etc/attache/attache.yaml:ro") {
			t.Errorf("%s: the configuration is not mounted where the image looks for it: %v", name, svc.Volumes)
		}
		if !slices.Contains(svc.Volumes, "./knowledge:/knowledge:ro") {
			t.Errorf("%s: the knowledge folder is not mounted at /knowledge: %v", name, svc.Volumes)
		}
		env := testEnv(t)
		for k, v := range svc.Environment {
			env[k] = interpolate(v, shell)
		}
		cfg, err := config.Load(config.Options{File: cfgPath, Getenv: func(k string) string { return env[k] }})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if cfg.Index.Driver != config.DriverPostgres || cfg.Index.DSN == "" {
			t.Errorf("%s: index %q with dsn %q, want postgres with a dsn", name, cfg.Index.Driver, cfg.Index.DSN)
		}
		dsns[cfg.Index.DSN] = true
		if cfg.Discord.Token != "test-token" {
			t.Errorf("%s: the token does not come from the environment", name)
		}
		count = cfg.Discord.ShardCount
		shards = append(shards, cfg.Discord.ShardIDs...)
	}
	if bots < 2 {
		t.Fatalf("compose.yaml runs %d bot processes, want at least 2", bots)
	}
	if len(dsns) != 1 {
		t.Errorf("the processes use %d databases, want one: %v", len(dsns), dsns)
	}
	slices.Sort(shards)
	want := make([]int, count)
	for i := range want {
		want[i] = i
	}
	if count == 0 || !slices.Equal(shards, want) {
		t.Errorf("the processes run shards %v of %d, want each of 0..%d once", shards, count, count-1)
	}
}

// TestImageFindsItsConfiguration checks that the image's XDG_CONFIG_HOME
// makes the binary read the file compose.yaml and the docs mount at
// /etc/attache/attache.yaml.
func TestImageFindsItsConfiguration(t *testing.T) {
	raw, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`XDG_CONFIG_HOME=(\S+)`).FindStringSubmatch(string(raw))
	if m == nil {
		t.Fatal("the Dockerfile does not set XDG_CONFIG_HOME")
	}
	if got := filepath.Join(m[1], "attache", config.FileName); got != "/etc/attache/attache.yaml" {
		t.Errorf("the image reads its configuration from %s, want /etc/attache/attache.yaml", got)
	}
	for _, v := range []string{"XDG_STATE_HOME=/var/lib/attache/", "XDG_CACHE_HOME=/var/lib/attache/", `VOLUME ["/var/lib/attache"]`, "USER 65532"} {
		if !strings.Contains(string(raw), v) {
			t.Errorf("the Dockerfile lacks %s", v)
		}
	}
}
