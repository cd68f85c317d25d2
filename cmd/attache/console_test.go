package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"attache"
	"attache/console"
	"attache/internal/fakediscord"
)

// consoleToken is the console token of the tests.
const consoleToken = "console-test-token-0123456789"

// seededConsole is an app over a small knowledge folder whose answer log
// and votes were written through the real store.
type seededConsole struct {
	app  *app
	vars map[string]string
	args []string // --knowledge and --index of the folder and database
	dir  string   // the knowledge folder
}

// seedConsole indexes a copy of a few bundled articles plus a file that
// cannot be indexed, deletes one article afterwards (a stale entry), and
// writes questions and votes.
func seedConsole(t *testing.T) *seededConsole {
	t.Helper()
	// The folder's name is the source's name on the pages.
	dir := filepath.Join(t.TempDir(), "knowledge")
	for _, name := range []string{"2010-02-us-cuba-migration-talks.md", "2021-07-22-fact-sheet-measures-on-cuba.md",
		"2021-07-13-fact-sheet-us-assistance-to-haiti.md", "2021-03-01-us-mexico-joint-declaration.md"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "knowledge", name))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, name), string(data))
	}
	writeFile(t, filepath.Join(dir, "empty-draft.md"), "")
	vars := testEnv(t)
	vars["ATTACHE_CONSOLE_LOG_QUESTIONS"] = "true"
	vars["ATTACHE_CONSOLE_TOKEN"] = consoleToken
	s := &seededConsole{vars: vars, dir: dir,
		args: []string{"--knowledge", dir, "--index", filepath.Join(t.TempDir(), "index.db")}}
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard,
		getenv: func(k string) string { return vars[k] },
		flags:  globalFlags{knowledge: dir, index: s.args[3], logLevel: "warn"}}
	a, _, err := e.openSynced(context.Background(), indexer)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	s.app = a
	if err := os.Remove(filepath.Join(dir, "2021-03-01-us-mexico-joint-declaration.md")); err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	now := time.Now().UTC()
	log := answerLog{app: a}
	entries := []struct {
		q, outcome string
		ago        time.Duration
		model      string
		tokens     int
		ms         int64
		fallback   bool // the model was tried and failed
	}{
		{"What did Suriname say about the offshore oil block?", attache.OutcomeRefused, time.Hour, "", 0, 120, false},
		{"What did Suriname say about the offshore oil block?", attache.OutcomeRefused, 26 * time.Hour, "", 0, 140, false},
		{"Has the Surinamese government signed the fisheries deal?", attache.OutcomePartial, 50 * time.Hour, "gpt-test", 300, 900, false},
		{"Did OFAC fine the shipping company?", attache.OutcomeRefused, 3 * time.Hour, "", 0, 100, false},
		{"Which vaccine doses were donated?", attache.OutcomeRefused, 4 * time.Hour, "", 0, 90, false},
		{"What did the US and Cuban delegations discuss in Havana in February 2010?", attache.OutcomeAnswered, 2 * time.Hour, "gpt-test", 1200, 2500, false},
		{"What measures on Cuba were announced in July 2021?", attache.OutcomeAnswered, 30 * time.Hour, "gpt-test", 1000, 3100, false},
		{"What aid did the US give Haiti?", attache.OutcomeError, 5 * time.Hour, "", 0, 0, false},
		{"What aid did the US send to Haiti in July 2021?", attache.OutcomeAnswered, 6 * time.Hour, "", 0, 4000, true},
		{"Old refused question about Belize", attache.OutcomeRefused, 20 * 24 * time.Hour, "", 0, 0, false}, // outside 7 days
	}
	for _, x := range entries {
		e := attache.LoggedAnswer{Time: now.Add(-x.ago), Question: x.q, Outcome: x.outcome, Command: "ask", Model: x.model,
			Usage: attache.Usage{PromptTokens: x.tokens, CompletionTokens: x.tokens / 10}}
		if x.ms > 0 {
			e.LatencyMS = map[string]int64{"total": x.ms, "retrieve": 20}
		}
		if x.outcome == attache.OutcomeRefused && strings.Contains(x.q, "Suriname") {
			e.Reason = "names: Suriname"
		}
		if x.model != "" || x.fallback {
			e.LatencyMS["generate"] = x.ms / 2
		}
		if err := log.LogAnswer(ctx, e, "user-1"); err != nil {
			t.Fatal(err)
		}
	}
	fs, err := a.stateStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id, err := fs.RecordAnswer(ctx, attache.Feedback{Time: now.Add(-2 * time.Hour),
		Question: "What did the US and Cuban delegations discuss in Havana in February 2010?",
		Answer:   "They discussed migration accords [1].", PassageIDs: []string{"knowledge/x.md#0"},
		Quotes: []attache.Quote{{N: 1, Title: "Migration talks", Date: "2010-02-19", Sentences: []string{"The delegations reviewed the migration accords."}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		fs.Vote(ctx, id, "u1", 1),
		fs.VoteReason(ctx, id, "u2", attache.ReasonOutdated, "the 2010 talks are not the latest"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// consoleClient is a browser-like client: a cookie jar, no redirects
// followed unless asked.
type consoleClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newConsoleClient(t *testing.T, base string) *consoleClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &consoleClient{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *consoleClient) do(method, path string, form url.Values) (int, http.Header, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

var (
	linkAttr = regexp.MustCompile(`(?i)\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?([^"'\s>]*)`)
	gapLabel = regexp.MustCompile(`<h2 class="gap-label">([^<]*)</h2>`)
	csrfIn   = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
)

// externalRefs returns the links and sources of a page that leave its
// host (anything but a path on the same server).
func externalRefs(page string) []string {
	var out []string
	for _, m := range linkAttr.FindAllStringSubmatch(page, -1) {
		if v := m[1]; !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") {
			if !strings.HasPrefix(v, "?") && !strings.HasPrefix(v, "#") {
				out = append(out, v)
			}
		}
	}
	if strings.Contains(page, "url(") || strings.Contains(page, "@import") {
		out = append(out, "a stylesheet reference")
	}
	return out
}

func TestConsolePagesOverTheSeededLog(t *testing.T) {
	t.Parallel()
	s := seedConsole(t)
	a := s.app
	con, err := console.New(a.consoleOptions(consoleToken, false, func(ctx context.Context) (string, error) {
		sum, err := a.refresh(ctx)
		return sum.String(), err
	}))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(consoleMux(con, nil))
	t.Cleanup(srv.Close)
	c := newConsoleClient(t, srv.URL)

	// The token is required: pages send browsers to the login form.
	if code, h, _ := c.do("GET", "/console/gaps", nil); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/console/login") {
		t.Fatalf("GET without the token: %d %q", code, h.Get("Location"))
	}
	if code, _, _ := c.do("POST", "/console/login", url.Values{"token": {"not-the-token-at-all"}}); code != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d, want 401", code)
	}
	code, h, _ := c.do("POST", "/console/login", url.Values{"token": {consoleToken}, "next": {"/console/gaps?days=7"}})
	if code != http.StatusSeeOther || h.Get("Location") != "/console/gaps?days=7" {
		t.Fatalf("login: %d %q", code, h.Get("Location"))
	}

	pages := map[string]string{}
	for _, p := range []string{"/console/", "/console/gaps", "/console/feedback", "/console/index", "/console/model", "/console/?days=30"} {
		code, _, body := c.do("GET", p, nil)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d\n%s", p, code, body)
		}
		if ext := externalRefs(body); len(ext) > 0 {
			t.Errorf("%s refers to other hosts: %q", p, ext)
		}
		if !strings.Contains(body, `name="viewport"`) {
			t.Errorf("%s has no viewport", p)
		}
		pages[p] = body
	}

	// Gaps: by country or organisation first, most asked first, with
	// the closest articles; answered and old questions are not gaps.
	var labels []string
	for _, m := range gapLabel.FindAllStringSubmatch(pages["/console/gaps"], -1) {
		labels = append(labels, m[1])
	}
	if want := []string{"Suriname", "OFAC", "vaccine"}; !slices.Equal(labels, want) {
		t.Errorf("gap groups = %q, want %q", labels, want)
	}
	gaps := pages["/console/gaps"]
	for _, want := range []string{"3 questions (2 refused, 1 partial)", "What did Suriname say about the offshore oil block? <span class=\"muted\">×2</span>",
		"(refused: names: Suriname)",
		"Has the Surinamese government signed the fisheries deal?", `<li class="article">`} {
		if !strings.Contains(gaps, want) {
			t.Errorf("gaps page lacks %q", want)
		}
	}
	for _, not := range []string{"Belize", "Havana in February 2010"} {
		if strings.Contains(gaps, not) {
			t.Errorf("gaps page shows %q", not)
		}
	}

	// Overview: the chart is drawn on the server and its data is in a
	// table behind it.
	ov := pages["/console/"]
	today := time.Now().UTC().Format(time.DateOnly)
	if !strings.Contains(ov, "<svg") || !strings.Contains(ov, `<details id="questions-data">`) {
		t.Fatal("overview lacks the chart and its table")
	}
	row := regexp.MustCompile(`<tr><th scope="row">` + today + `</th>((?:<td class="n">\d+</td>)+)</tr>`).FindStringSubmatch(ov)
	if row == nil {
		t.Fatalf("no row for %s in the chart's table", today)
	}
	// answered, partial, refused, error, rate limited, busy, total; the
	// day's counts depend on the hour the test runs, the week's do not.
	if !strings.Contains(ov, `<b id="total">9</b>`) || !strings.Contains(ov, "1 helpful, 1 unhelpful (50% helpful)") {
		t.Errorf("overview totals wrong:\n%.3000s", ov)
	}
	if strings.Contains(pages["/console/?days=30"], `<b id="total">9</b>`) {
		t.Error("?days=30 shows the week's total")
	}

	fb := pages["/console/feedback"]
	for _, want := range []string{"the 2010 talks are not the latest", "outdated", "They discussed migration accords [1].", "The delegations reviewed the migration accords."} {
		if !strings.Contains(fb, want) {
			t.Errorf("feedback page lacks %q", want)
		}
	}
	ix := pages["/console/index"]
	for _, want := range []string{`<b id="documents">4</b>`, "empty-draft.md", "2021-03-01-us-mexico-joint-declaration.md", "gone since it was indexed"} {
		if !strings.Contains(ix, want) {
			t.Errorf("index page lacks %q", want)
		}
	}
	md := pages["/console/model"]
	if strings.Contains(md, `id="llm-errors"`) {
		t.Error("the console alone shows in-process model errors it cannot know")
	}
	for _, want := range []string{"<th scope=\"row\">gpt-test</th><td class=\"n\">3</td><td class=\"n\">2500</td><td class=\"n\">250</td>", `<b id="fallbacks">1</b>`} {
		if !strings.Contains(md, want) {
			t.Errorf("model page lacks %q", want)
		}
	}

	// Re-index: refused without the session's CSRF token, done with it.
	if code, _, _ := c.do("POST", "/console/reindex", url.Values{}); code != http.StatusForbidden {
		t.Errorf("re-index without CSRF token: %d, want 403", code)
	}
	tok := csrfIn.FindStringSubmatch(ix)
	if tok == nil {
		t.Fatal("no CSRF token on the index page")
	}
	if code, _, _ := c.do("POST", "/console/reindex", url.Values{"csrf": {tok[1]}}); code != http.StatusSeeOther {
		t.Fatalf("re-index: %d", code)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		running, sum, errText := con.ReindexState()
		if !running && (sum != "" || errText != "") {
			if errText != "" || !strings.Contains(sum, "removed") {
				t.Errorf("re-index: %q %q, want the deleted file removed", sum, errText)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the re-index did not finish")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, _, body := c.do("GET", "/console/index", nil); strings.Contains(body, "gone since it was indexed") || !strings.Contains(body, `id="reindex-state"`) {
		t.Errorf("index page after the re-index:\n%s", body)
	}
}

// A console on an address other than loopback will not start without a
// token; with one it does.
func TestConsoleCommandRefusesOpenAddressWithoutToken(t *testing.T) {
	t.Parallel()
	vars := testEnv(t)
	code, _, stderr := run(t, vars, append(bundled(t), "console", "--http", "0.0.0.0:0")...)
	if code != 2 || !strings.Contains(stderr, "console.token") || !strings.Contains(stderr, "not a loopback address") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	if strings.Contains(stderr, consoleToken) {
		t.Error("the token was shown")
	}
}

// serve --http mounts the console beside /metrics; the console's count
// of answered questions agrees with attache_answers_total.
func TestServeMountsConsole(t *testing.T) {
	t.Parallel()
	addr := freeAddr(t)
	h := startBot(t, harnessOpts{httpAddr: addr, env: map[string]string{"ATTACHE_CONSOLE_LOG_QUESTIONS": "true"}})
	o := h.slash(fakediscord.SlashOpts{Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: seedQ}}})
	h.waitEdit(o.Token, 20*time.Second, hasSourcesEmbed)
	c := newConsoleClient(t, "http://"+addr)
	var ov string
	for deadline := time.Now().Add(10 * time.Second); ; {
		code, _, body := c.do("GET", "/console/", nil)
		if code != http.StatusOK {
			t.Fatalf("/console/: %d", code)
		}
		if ov = body; strings.Contains(ov, `<b id="total">1</b>`) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	code, _, metrics := c.do("GET", "/metrics", nil)
	if code != http.StatusOK || !strings.Contains(metrics, `attache_answers_total{command="ask",outcome="answered"} 1`) {
		t.Fatalf("/metrics %d", code)
	}
	if !strings.Contains(ov, `<b id="total">1</b>`) || !regexp.MustCompile(`<th scope="row">answered</th><td class="n">1</td>`).MatchString(ov) {
		t.Errorf("the console does not count the one answered question /metrics counts:\n%s", ov)
	}
	// Inside the bot, the model page adds the process's failed model calls.
	if code, _, body := c.do("GET", "/console/model", nil); code != http.StatusOK || !strings.Contains(body, `<p id="llm-errors">None.</p>`) {
		t.Errorf("/console/model: %d, want the process's model errors (none)", code)
	}
	if code, h, _ := c.do("GET", "/", nil); code != http.StatusSeeOther || h.Get("Location") != "/console/" {
		t.Errorf("GET /: %d %q", code, h.Get("Location"))
	}
}
