package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkAskBundled measures `attache ask` on the bundled knowledge with an
// existing index, in process: config load, opening the index, the staleness
// check over every file, search and the extractive answer.
func BenchmarkAskBundled(b *testing.B) {
	dir := b.TempDir()
	env := map[string]string{"XDG_CONFIG_HOME": dir, "XDG_CACHE_HOME": dir, "HOME": dir}
	getenv := func(k string) string { return env[k] }
	args := []string{"--knowledge", "../../knowledge", "--index", filepath.Join(dir, "index.db")}
	var out, errb bytes.Buffer
	if code := Main(context.Background(), append(args, "index"), strings.NewReader(""), &out, &errb, getenv); code != 0 {
		b.Fatalf("index: %s", errb.String())
	}
	questions := []string{
		"What did the US and Cuban delegations discuss in Havana in February 2010?",
		"Which measures did the administration announce on Cuba in July 2021?",
		"What is the joint humanitarian plan on migration with Mexico?",
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		out.Reset()
		q := questions[i%len(questions)]
		if code := Main(context.Background(), append(args, "ask", q), strings.NewReader(""), &out, &errb, getenv); code != 0 {
			b.Fatalf("ask: %s", errb.String())
		}
	}
}
