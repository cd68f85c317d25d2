package bot

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"attache"
)

func TestSplit(t *testing.T) {
	para := strings.Repeat("The delegations reviewed the accords in Havana. [1] ", 20)
	long := strings.TrimSpace(para) + "\n\n" + strings.TrimSpace(para) + "\n\n" + strings.TrimSpace(para)
	tests := []struct {
		name string
		in   string
		max  int
	}{
		{"short", "One sentence [1].", 2000},
		{"paragraphs", long, 2000},
		{"small max", long, 120},
		{"no spaces", strings.Repeat("x", 450), 100},
		{"markers everywhere", strings.Repeat("[12][13] ", 300), 50},
		{"multibyte", strings.Repeat("é😀 ", 900), 2000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := Split(tt.in, tt.max)
			if len(parts) == 0 {
				t.Fatal("no parts")
			}
			for _, p := range parts {
				if n := utf8.RuneCountInString(p); n > tt.max || n == 0 {
					t.Errorf("part of %d characters (max %d)", n, tt.max)
				}
				if !utf8.ValidString(p) {
					t.Error("part is not valid UTF-8")
				}
				if strings.Count(p, "[") != strings.Count(p, "]") && strings.Contains(tt.in, "[") {
					t.Errorf("marker split: %q", p)
				}
			}
			squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
			if squash(strings.Join(parts, "")) != squash(tt.in) {
				t.Error("splitting lost or changed text")
			}
		})
	}
	if parts := Split(long, 2000); len(parts) < 2 || !strings.HasSuffix(parts[0], "[1]") {
		t.Errorf("paragraph split should end a part at a paragraph: %q", parts[0][max(0, len(parts[0])-20):])
	}
}

func TestStreamPrefix(t *testing.T) {
	for in, want := range map[string]string{
		"Talks in Havana [1":       "Talks in Havana",
		"Talks in Havana [":        "Talks in Havana",
		"Talks in Havana [1, 2":    "Talks in Havana",
		"Talks in Havana [1]":      "Talks in Havana [1]",
		"Talks [1] and more [2][3": "Talks [1] and more [2]",
		"plain":                    "plain",
	} {
		if got := StreamPrefix(in); got != want {
			t.Errorf("StreamPrefix(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSourcesEmbed(t *testing.T) {
	var cites []attache.Citation
	for i := 1; i <= 12; i++ {
		cites = append(cites, attache.Citation{N: i, Title: "Talks *round* " + string(rune('A'+i)), Date: "2010-02", URL: "https://example.org/a"})
	}
	cites = append(cites, attache.Citation{N: 13, Title: "Local", Source: "kb", Path: "x.md"})
	e := sourcesEmbed("What did they discuss?", cites)
	if e == nil || strings.Count(e.Description, "**[") != maxEmbedSources {
		t.Fatalf("embed lists %d sources: %s", strings.Count(e.Description, "**["), e.Description)
	}
	if !strings.Contains(e.Description, "](https://example.org/a)") || !strings.Contains(e.Description, `\*round\*`) {
		t.Errorf("title link or escaping missing: %s", e.Description)
	}
	if !strings.Contains(e.Description, "3 more") {
		t.Errorf("overflow not counted: %s", e.Description)
	}
	if e.Title != "Sources" {
		t.Errorf("title %q for an English question", e.Title)
	}
	if es := sourcesEmbed("¿Qué discutieron las delegaciones en La Habana?", cites); es.Title != "Fuentes" {
		t.Errorf("title %q for a Spanish question", es.Title)
	}
	if sourcesEmbed("", nil) != nil {
		t.Error("embed for no citations")
	}
}

func TestAnswerTextWarningsAndPreviews(t *testing.T) {
	a := attache.Answer{Question: "What did they discuss?", Text: "See https://example.org/x for more [1].", Warnings: []string{"the language model is unavailable; showing the most relevant passages"},
		Unsupported: []string{"x"}, Fallback: true}
	got := answerText(a)
	if !strings.Contains(got, "<https://example.org/x>") || !strings.Contains(got, warnFallback) || !strings.Contains(got, warnUnsupported) {
		t.Errorf("answerText: %s", got)
	}
	a.Question = "¿Qué discutieron las delegaciones?"
	if got := answerText(a); !strings.Contains(got, warnFallbackES) || !strings.Contains(got, warnUnsupportedES) {
		t.Errorf("answerText for a Spanish question: %s", got)
	}
	a.Fallback, a.Unsupported = false, nil
	if got := answerText(a); strings.Contains(got, "⚠️") {
		t.Errorf("warning line without a fallback: %s", got)
	}
}

func TestRateLimiter(t *testing.T) {
	ctx := context.Background()
	now := time.Unix(0, 0)
	r := newRateLimiter(6, 2, nil, nil) // one token every 10 s, two at once
	r.now = func() time.Time { return now }
	for i := range 2 {
		if ok, _ := r.allow(ctx, "u"); !ok {
			t.Fatalf("request %d refused within the burst", i)
		}
	}
	ok, wait := r.allow(ctx, "u")
	if ok || wait <= 0 || wait > 10*time.Second {
		t.Fatalf("third request: ok=%v wait=%s", ok, wait)
	}
	if ok, _ := r.allow(ctx, "other"); !ok {
		t.Error("another user was limited")
	}
	now = now.Add(10 * time.Second)
	if ok, _ := r.allow(ctx, "u"); !ok {
		t.Error("token not refilled after 10 s")
	}
	if ok, _ := newRateLimiter(0, 0, nil, nil).allow(ctx, "u"); !ok {
		t.Error("a zero rate should not limit")
	}
}

func TestGate(t *testing.T) {
	g := newGate(1, 50*time.Millisecond)
	release, err := g.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.acquire(context.Background()); !errors.Is(err, ErrBusy) {
		t.Errorf("second acquire: %v, want busy", err)
	}
	done := make(chan error, 1)
	go func() {
		r, err := newGateWait(g)
		if err == nil {
			r()
		}
		done <- err
	}()
	release()
	if err := <-done; err != nil {
		t.Errorf("waiting acquire after release: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r2, _ := g.acquire(context.Background())
	if _, err := g.acquire(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled acquire: %v", err)
	}
	r2()
}

func newGateWait(g *gate) (func(), error) {
	g2 := &gate{slots: g.slots, timeout: 5 * time.Second}
	return g2.acquire(context.Background())
}

func TestUserMessageIsSafe(t *testing.T) {
	secret := "sk-SECRET"
	msgs := []string{
		userMessage(errors.New("dial tcp: token " + secret)),
		userMessage(attache.Errorf(attache.EUNAVAILABLE, "model at %s", secret)),
		userMessage(ErrBusy),
		userMessage(context.DeadlineExceeded),
	}
	for _, m := range msgs {
		if strings.Contains(m, secret) || m == "" {
			t.Errorf("unsafe or empty message: %q", m)
		}
	}
	if got := userMessage(attache.Errorf(attache.ENOTFOUND, "no indexed document %q", "x.md")); !strings.Contains(got, "x.md") {
		t.Errorf("a not-found message should say what: %q", got)
	}
}

func TestPreviewFitsWithEllipsis(t *testing.T) {
	for _, n := range []int{10, previewMax, previewMax + 1, 5000} {
		s := strings.Repeat("a", n)
		if got := utf8.RuneCountInString(preview(s) + " …"); got > MaxContent {
			t.Errorf("preview of %d characters is %d long with its ellipsis", n, got)
		}
	}
}
