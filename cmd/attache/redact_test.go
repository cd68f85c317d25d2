package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"

	"attache/config"
)

const urlSecret = "pa55-SECRET-word"

// TestConfigCheckHidesURLPasswords prints the effective configuration with a
// password in every URL setting: each URL is shown, its password masked.
func TestConfigCheckHidesURLPasswords(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	env["ATTACHE_LLM_BASE_URL"] = "http://llm-user:" + urlSecret + "@127.0.0.1:11434/v1"
	env["ATTACHE_LLM_MODEL"] = "m"
	env["ATTACHE_EMBEDDINGS_BASE_URL"] = "https://emb-user:" + urlSecret + "@embed.example/v1"
	env["ATTACHE_EMBEDDINGS_MODEL"] = "e"
	env["ATTACHE_DISCORD_API_BASE_URL"] = "http://proxy-user:" + urlSecret + "@10.0.0.1:8080"
	code, out, errs := run(t, env, "--knowledge", "../../knowledge", "config", "check")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Contains(out+errs, urlSecret) {
		t.Errorf("config check prints a URL password:\n%s", out)
	}
	for _, want := range []string{"http://llm-user:***@127.0.0.1:11434/v1", "https://emb-user:***@embed.example/v1",
		"http://proxy-user:***@10.0.0.1:8080"} {
		if !strings.Contains(out, want) {
			t.Errorf("config check does not show %s:\n%s", want, out)
		}
	}
}

// TestModelConnectionErrorHidesURLPassword asks with a model whose URL
// carries a password and refuses connections: the logged failure and the
// answer's fallback name the URL without its password.
func TestModelConnectionErrorHidesURLPassword(t *testing.T) {
	t.Parallel()
	env := llmEnv(t, "http://llm-user:"+urlSecret+"@"+freeAddr(t)+"/v1")
	env["ATTACHE_LLM_MAX_RETRIES"] = "0"
	code, out, errs := run(t, env, "--knowledge", "../../knowledge", "--log-level", "debug", "--index", t.TempDir()+"/i.db",
		"ask", "What did the US and Cuban delegations discuss in Havana in February 2010?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "connection refused") {
		t.Fatalf("no connection error logged:\n%s", errs)
	}
	if strings.Contains(out+errs, urlSecret) {
		t.Errorf("a URL password is printed:\n%s", errs)
	}
}

// TestErrorsAndLogsHideURLPasswords passes errors that quote a URL with its
// password to the logger and to the command-line error message.
func TestErrorsAndLogsHideURLPasswords(t *testing.T) {
	t.Parallel()
	raw := "http://user:" + urlSecret + "@models.example/v1/embeddings"
	uerr := &url.Error{Op: "Post", URL: raw, Err: errors.New("connection reset by peer")}
	wrapped := fmt.Errorf("embed passages: %w", uerr)
	for _, format := range []string{"text", "json"} {
		var buf bytes.Buffer
		e := &env{stdout: io.Discard, stderr: &buf}
		log := e.newLogger(config.Log{Level: "debug", Format: format})
		log.Error("call failed "+raw, "err", wrapped, "url", raw, "stringer", stringer(raw))
		log.WithGroup("g").Warn("grouped", "err", uerr)
		got := buf.String()
		if strings.Contains(got, urlSecret) {
			t.Errorf("%s log reveals a URL password:\n%s", format, got)
		}
		if n := strings.Count(got, "user:***@models.example"); n != 5 {
			t.Errorf("%s log shows the masked URL %d times, want 5:\n%s", format, n, got)
		}
	}
	msg := safeMessage(wrapped)
	if strings.Contains(msg, urlSecret) || !strings.Contains(msg, "user:***@models.example") {
		t.Errorf("error message = %q", msg)
	}
}

type stringer string

func (s stringer) String() string { return string(s) }

// TestDeprecatedKeyWarns sets the former name of answer.min_coverage:
// config check warns and shows the value under the new key, and so does
// the log of a command.
func TestDeprecatedKeyWarns(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	env["ATTACHE_RETRIEVAL_MIN_SCORE"] = "0.3"
	code, out, errs := run(t, env, "--knowledge", "../../knowledge", "config", "check")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	const warning = "retrieval.min_score is deprecated: use answer.min_coverage"
	if !strings.Contains(errs, "warning: "+warning) {
		t.Errorf("config check does not warn: %q", errs)
	}
	if !strings.Contains(out, "min_coverage: 0.3") {
		t.Errorf("the value is not applied to answer.min_coverage:\n%s", out)
	}
	code, _, errs = run(t, env, "--knowledge", "../../knowledge", "--index", t.TempDir()+"/i.db", "search", "cuba")
	if code != 0 || !strings.Contains(errs, warning) {
		t.Errorf("search: exit %d, log %q", code, errs)
	}
}
