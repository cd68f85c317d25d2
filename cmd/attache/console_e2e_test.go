package main

import (
	"context"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// chromium returns the path of a headless-capable Chromium, or skips the
// test (fails it when ATTACHE_TEST_CHROMIUM=1 asks for the browser).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("ATTACHE_TEST_CHROMIUM") == "1" {
		t.Fatal("ATTACHE_TEST_CHROMIUM=1 but no Chromium found (apt-get install chromium)")
	}
	t.Skip("install chromium and set ATTACHE_TEST_CHROMIUM=1 to run the browser test of the console")
	return ""
}

// TestConsoleInBrowser drives the console, as "attache console" serves it
// over a seeded database, in headless Chromium: it signs in through the
// form, opens every page, checks the coverage gaps and a chart's table,
// checks that no request leaves the console's host, and takes
// screenshots (into docs/console with ATTACHE_UPDATE_SCREENSHOTS=1).
func TestConsoleInBrowser(t *testing.T) {
	browser := chromium(t)
	s := seedConsole(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() { done <- s.app.runConsole(ctx, "127.0.0.1:0", func(a net.Addr) { addrc <- a }) }()
	var host string
	select {
	case a := <-addrc:
		host = a.String()
	case err := <-done:
		t.Fatalf("console: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the console did not start")
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("console: %v", err)
		}
	})
	base := "http://" + host

	shots := t.TempDir()
	if os.Getenv("ATTACHE_UPDATE_SCREENSHOTS") == "1" {
		shots = filepath.Join("..", "..", "docs", "console")
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(browser),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1100, 900),
	}
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	// Open the tab first (no timeout on the browser's first run), then
	// listen to its requests.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v", browser, err)
	}
	var mu sync.Mutex
	var requested []string
	if err := chromedp.Listen(bctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requested = append(requested, e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	tctx, tcancel := context.WithTimeout(bctx, 2*time.Minute)
	defer tcancel()

	shot := func(name string, full bool) chromedp.Action[chromedp.Void] {
		return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			var png []byte
			var err error
			if full {
				png, err = chromedp.FullScreenshot(100)(ctx, tg)
			} else {
				png, err = chromedp.CaptureScreenshot()(ctx, tg)
			}
			if err != nil {
				return chromedp.Void{}, err
			}
			return chromedp.Void{}, os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644)
		}
	}

	// Sign in through the form, from a page that asks for the token.
	if err := chromedp.Do(tctx,
		chromedp.Navigate(base+"/console/gaps"),
		chromedp.WaitVisible(chromedp.ID("token")),
		shot("login", false),
		chromedp.SendKeys(chromedp.ID("token"), consoleToken),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.ID("gaps")),
	); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	landed, err := chromedp.Run(tctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if u, err := url.Parse(landed); err != nil || u.Path != "/console/gaps" {
		t.Errorf("after signing in: %s, want the gaps page asked for", landed)
	}

	// Coverage gaps, most asked first, with their closest articles.
	gapsHTML, err := chromedp.Run(tctx, chromedp.OuterHTML(chromedp.ID("gaps")))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS("#gaps details summary")), shot("gaps", true)); err != nil {
		t.Fatalf("gaps: %v", err)
	}
	var labels []string
	for _, m := range gapLabel.FindAllStringSubmatch(gapsHTML, -1) {
		labels = append(labels, m[1])
	}
	if want := []string{"Suriname", "OFAC", "vaccine"}; !slices.Equal(labels, want) {
		t.Errorf("gap groups in the browser = %q, want %q", labels, want)
	}
	if !strings.Contains(gapsHTML, `class="article"`) {
		t.Error("no closest article on the gaps page")
	}

	// The overview: open the table behind the questions chart.
	if err := chromedp.Do(tctx,
		chromedp.Navigate(base+"/console/"),
		chromedp.WaitVisible(chromedp.ID("questions")),
		chromedp.Click(chromedp.CSS("#questions-data summary")),
		chromedp.WaitVisible(chromedp.CSS("#questions-data table")),
	); err != nil {
		t.Fatalf("overview: %v", err)
	}
	table, err := chromedp.Run(tctx, chromedp.OuterHTML(chromedp.CSS("#questions-data table")))
	if err != nil {
		t.Fatal(err)
	}
	page, err := chromedp.Run(tctx, chromedp.OuterHTML(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	rows := regexp.MustCompile(`<tr><th scope="row">\d{4}-\d\d-\d\d</th>`).FindAllString(table, -1)
	if len(rows) != 7 || strings.Count(page, "<svg") != 2 {
		t.Errorf("overview: %d rows in the chart's table (want 7 days), %d charts (want 2)", len(rows), strings.Count(page, "<svg"))
	}
	if err := chromedp.Do(tctx, shot("overview", true)); err != nil {
		t.Fatal(err)
	}

	for _, p := range []struct{ path, ready, name string }{
		{"/console/feedback", ".vote", "feedback"},
		{"/console/index", "#sources", "index"},
		{"/console/model", "#models", "model"},
	} {
		if err := chromedp.Do(tctx,
			chromedp.Navigate(base+p.path),
			chromedp.WaitVisible(chromedp.CSS(p.ready)),
			shot(p.name, true),
		); err != nil {
			t.Fatalf("%s: %v", p.path, err)
		}
	}

	// On a phone-sized screen.
	if err := chromedp.Do(tctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(base+"/console/"),
		chromedp.WaitVisible(chromedp.ID("questions")),
		shot("overview-phone", false),
	); err != nil {
		t.Fatalf("phone: %v", err)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(requested) < 8 {
		t.Errorf("only %d requests seen: %q", len(requested), requested)
	}
	for _, r := range requested {
		u, err := url.Parse(r)
		if err != nil || (u.Scheme != "data" && u.Host != host) {
			t.Errorf("a page requested %s, outside the console's host %s", r, host)
		}
	}
	for _, name := range []string{"login", "gaps", "overview", "feedback", "index", "model", "overview-phone"} {
		if fi, err := os.Stat(filepath.Join(shots, name+".png")); err != nil || fi.Size() < 1000 {
			t.Errorf("screenshot %s: %v", name, err)
		}
	}
}
