// Package console owns the operator console: read-only web pages over the
// answer log, the readers' votes and the index (questions per day, outcome
// shares, latency, coverage gaps, feedback, index and model figures), drawn
// on the server as plain HTML with inline SVG charts, and its access
// control (a token, a session cookie, CSRF tokens for the one action,
// re-indexing). It reads everything through function types it declares;
// only the command wires them to a store, a searcher and an indexer.
package console

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"attache"
)

// AnswerLog returns the answer log's entries at or after since, oldest
// first.
type AnswerLog func(ctx context.Context, since time.Time) ([]attache.LoggedAnswer, error)

// Feedback returns the answers readers voted on, with their votes,
// reasons and quotes.
type Feedback func(ctx context.Context) ([]attache.Feedback, error)

// Search returns up to k articles closest to a question, best first.
type Search func(ctx context.Context, question string, k int) ([]Article, error)

// IndexReport describes the index: its sources, the files it could not
// index and the files changed or gone since they were indexed.
type IndexReport func(ctx context.Context) (Index, error)

// Reindex brings the index up to date with the knowledge folders and says,
// in one line, what changed.
type Reindex func(ctx context.Context) (string, error)

// ModelErrors returns, when the console runs inside the bot, the failed
// model calls counted since the process started, by model and kind.
type ModelErrors func() []ModelError

// ModelError counts the failed calls to one model of one kind.
type ModelError struct {
	Model string
	Kind  string
	Count int
}

// Article is an indexed article, as the console lists it.
type Article struct {
	DocID string
	Title string
	Date  string
	URL   string
}

// Index is what the index page shows.
type Index struct {
	Sources []Source
	Skipped []File // files that could not be indexed, with the reason
	Stale   []File // indexed files changed or gone since, with what happened
}

// Source is one knowledge source of the index.
type Source struct {
	Name        string
	Documents   int
	Passages    int
	LastIndexed time.Time
}

// File is a file of a source with a note on it.
type File struct {
	Source  string
	Path    string
	ModTime time.Time
	Reason  string
}

// Options configure a Console. Answers is required; every other hook may
// be nil, and its page then says that the figure is not available.
type Options struct {
	// Token, when set, is required on every page: as an
	// "Authorization: Bearer" header or entered once in the login form.
	// A secret: never logged.
	Token string
	// SecureCookie marks the session cookie Secure even on plain HTTP
	// requests (for a console behind an HTTPS proxy); requests over TLS
	// or forwarded as HTTPS get a Secure cookie anyway.
	SecureCookie bool
	// Prefix is the path the console is served under; default "/console/".
	Prefix string

	Answers  AnswerLog
	Feedback Feedback
	Search   Search
	Index    IndexReport
	Reindex  Reindex
	// ModelErrors, when set, adds the process's own counts of failed
	// model calls to the model page.
	ModelErrors ModelErrors

	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// DefaultPrefix is the path the console is served under.
const DefaultPrefix = "/console/"

// Console serves the console's pages.
type Console struct {
	opts   Options
	prefix string
	auth   *auth
	mux    *http.ServeMux

	mu      sync.Mutex
	reindex reindexState
}

// reindexState is the last or running re-index.
type reindexState struct {
	Running  bool
	Started  time.Time
	Finished time.Time
	Summary  string
	Err      string
}

// New returns a console over the hooks of o.
func New(o Options) (*Console, error) {
	if o.Answers == nil {
		return nil, errors.New("console: no answer log")
	}
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if !strings.HasPrefix(o.Prefix, "/") || !strings.HasSuffix(o.Prefix, "/") {
		return nil, errors.New("console: the prefix must start and end with /")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	a, err := newAuth(o.Token)
	if err != nil {
		return nil, err
	}
	c := &Console{opts: o, prefix: o.Prefix, auth: a}
	c.routes()
	return c, nil
}

// Prefix is the path the console is served under, with a trailing slash.
func (c *Console) Prefix() string { return c.prefix }

func (c *Console) routes() {
	m := http.NewServeMux()
	p := c.prefix
	m.HandleFunc("GET "+p+"{$}", c.page(c.overview))
	m.HandleFunc("GET "+p+"gaps", c.page(c.gaps))
	m.HandleFunc("GET "+p+"feedback", c.page(c.feedback))
	m.HandleFunc("GET "+p+"index", c.page(c.index))
	m.HandleFunc("GET "+p+"model", c.page(c.model))
	m.HandleFunc("GET "+p+"login", c.loginForm)
	m.HandleFunc("POST "+p+"login", c.login)
	m.HandleFunc("POST "+p+"logout", c.action(c.logout))
	m.HandleFunc("POST "+p+"reindex", c.action(c.startReindex))
	m.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
		if _, ok := c.auth.session(r); !ok {
			c.deny(w, r)
			return
		}
		c.fail(w, r, http.StatusNotFound, "There is no such page.")
	})
	c.mux = m
}

// ServeHTTP serves the console under its prefix.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Pages load nothing: no script, no other host; only inline styles
	// and the inline SVG of the charts.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	if !c.auth.set && !loopbackHost(r.Host) {
		// Without a token the console answers only requests addressed
		// to loopback: a page of another site that makes its name
		// resolve to 127.0.0.1 (DNS rebinding) cannot read it.
		c.fail(w, r, http.StatusMisdirectedRequest, "Without console.token the console answers only requests to localhost or a loopback address.")
		return
	}
	c.mux.ServeHTTP(w, r)
}

// loopbackHost reports whether the Host of a request names the machine
// itself: localhost or a loopback IP, with or without a port.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// now is the console's clock, in UTC.
func (c *Console) now() time.Time { return c.opts.Now().UTC() }

// startReindex runs the re-index hook in the background (one at a time)
// and sends the reader to the index page, which shows how it went.
func (c *Console) startReindex(w http.ResponseWriter, r *http.Request, _ string) {
	if c.opts.Reindex == nil {
		c.fail(w, r, http.StatusNotFound, "Re-indexing is not available here.")
		return
	}
	c.mu.Lock()
	if !c.reindex.Running {
		c.reindex = reindexState{Running: true, Started: c.now()}
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), reindexTimeout)
		go func() {
			defer cancel()
			sum, err := c.opts.Reindex(ctx)
			c.mu.Lock()
			defer c.mu.Unlock()
			c.reindex.Running, c.reindex.Finished, c.reindex.Summary = false, c.now(), sum
			if err != nil {
				c.opts.Logger.Warn("console: re-indexing failed", "err", err)
				c.reindex.Err = firstLine(err.Error())
			} else {
				c.opts.Logger.Info("console: re-indexed", "summary", sum)
			}
		}()
	}
	c.mu.Unlock()
	http.Redirect(w, r, c.prefix+"index", http.StatusSeeOther)
}

// reindexTimeout bounds a re-index started from the console.
const reindexTimeout = 30 * time.Minute

// ReindexState reports whether a re-index started from the console is
// running, and how the last one ended ("" when none ended yet).
func (c *Console) ReindexState() (running bool, summary string, err string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reindex.Running, c.reindex.Summary, c.reindex.Err
}

func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	if len(s) > 300 {
		s = strings.ToValidUTF8(s[:300], "") + "…"
	}
	return s
}

// DefaultAddr is the address of "attache console" when none is given:
// loopback, where no token is needed.
const DefaultAddr = "127.0.0.1:8090"

// MinTokenLength is the shortest console token accepted.
const MinTokenLength = 16

// Loopback reports whether a listening address (host:port) accepts only
// connections from the machine itself: a loopback IP or "localhost". An
// empty host listens on every interface.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
