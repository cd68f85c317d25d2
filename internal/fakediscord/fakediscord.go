// Package fakediscord is an in-process fake of Discord's REST API and
// gateway, speaking the real wire protocol on 127.0.0.1, so tests can drive
// the real discordgo client: Open() completes a HELLO/IDENTIFY/READY
// handshake, heartbeats are acknowledged, tests push gateway events with
// Dispatch, and every REST call is recorded (method, path, query, headers,
// body, answer) and answered the way Discord answers it.
//
// Point a discordgo session at the fake by hand:
//
//	fake := fakediscord.New(t)
//	dg, _ := discordgo.New("Bot " + fake.BotToken)
//	dg.Client = fake.HTTPClient()
//	dg.ShouldReconnectOnError = false
//
// or with fake.NewSession(t), and open it with fake.Open(t, dg), which also
// closes it at the end of the test. A bot that takes a REST base URL can use
// fake.URL instead of the client: the fake serves Discord's own paths
// (/api/v9/...). Then
//
//	fake.Dispatch(t, "INTERACTION_CREATE", fakediscord.SlashCommand(fakediscord.SlashOpts{
//		Command: "ask", Options: []fakediscord.Opt{{Name: "question", Value: "..."}},
//	}))
//	edit := fake.WaitCall(t, 5*time.Second, fakediscord.Match("PATCH", "/webhooks/*/*/messages/@original"))
//
// discordgo's Session.Close sleeps for a second: give each test its own fake
// and session and mark the tests parallel. discordgo reports undecodable
// events only in its log (the handler gets a zero value): capture it with
// CaptureLogs in TestMain.
//
// Several clients may connect at once, each identifying with its shard:
// the fake routes every dispatched event to the shard that owns its guild,
// as Discord does, and refuses invalid or duplicate shards (see shards.go).
//
// The fake does not enforce gateway intents (Message Content is privileged
// on the real Discord), rate-limit buckets, or the 3-second deadline for
// answering an interaction; it does refuse a second acknowledgement of an
// interaction, an edit of an original response that was never sent, a
// wrong token, and a webhook or command path with another application id.
package fakediscord

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Identities the fake uses unless a test changes the Server's fields before
// connecting a client. The payload builders (SlashCommand, MessageCreate...)
// use them too.
const (
	DefaultAppID     = "1100000000000000001"
	DefaultBotUserID = "1100000000000000002"
	DefaultBotToken  = "fake-bot-token"
	// BotUsername is the bot user's name in READY and in its messages.
	BotUsername = "attache"
	// DefaultUserID and DefaultUsername are the human who invokes commands
	// and writes messages in the payload builders.
	DefaultUserID   = "1100000000000000010"
	DefaultUsername = "tester"
	// DefaultGuildID and DefaultChannelID are where MessageCreate events
	// happen unless told otherwise.
	DefaultGuildID   = "1100000000000000020"
	DefaultChannelID = "1100000000000000030"
)

// HeartbeatInterval is the interval announced in HELLO, in milliseconds.
const HeartbeatInterval = 41250

// Call is one recorded REST request.
type Call struct {
	Method   string
	Path     string // as received, e.g. /api/v9/channels/123/messages
	Query    url.Values
	Header   http.Header
	Body     []byte
	At       time.Time // when the request arrived
	Status   int       // the status the fake answered
	Response []byte    // the body the fake answered (nil for 204)
}

// Server is the fake. Its identity fields are read by the handlers: change
// them, if at all, before any client connects.
type Server struct {
	*httptest.Server
	AppID, BotUserID, BotToken string
	// RecommendedShards is the "shards" of GET /gateway/bot (0 = 1).
	RecommendedShards int
	// RequireSharding closes an IDENTIFY that asks for fewer shards than
	// RecommendedShards with 4011, as Discord does for large bots.
	RequireSharding bool

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced whenever something is recorded
	closed   bool
	calls    []Call
	rules    []*rule
	frames   []Frame
	conns    map[*gwConn]bool // identified gateway connections
	allConns map[*gwConn]bool
	// sessionShards maps a session id from READY to its shard, for RESUME.
	sessionShards map[string]Shard
	refuseNext    *refusal // see RefuseNextSession

	messages     map[string]map[string]map[string]any // channel -> message id -> message
	webhookMsgs  map[string]map[string]map[string]any // interaction token -> id ("@original" or an id) -> message
	interactions map[string]interactionInfo           // by token
	acked        map[string]bool                      // interaction ids answered
	commands     map[string][]map[string]any          // "" (global) or guild id -> commands
	dmChannels   map[string]string                    // recipient -> channel id
	channels     map[string]map[string]any            // channels and threads by id
}

type rule struct {
	method, prefix string
	n              int
	status         int
	retryAfter     time.Duration
}

// New starts a fake on 127.0.0.1; it is closed when the test ends (close
// discordgo sessions before that, e.g. with a t.Cleanup registered after
// New, or the client will log read errors).
func New(t testing.TB) *Server {
	s := &Server{
		AppID:         DefaultAppID,
		BotUserID:     DefaultBotUserID,
		BotToken:      DefaultBotToken,
		changed:       make(chan struct{}),
		conns:         map[*gwConn]bool{},
		allConns:      map[*gwConn]bool{},
		sessionShards: map[string]Shard{},
		messages:      map[string]map[string]map[string]any{},
		webhookMsgs:   map[string]map[string]map[string]any{},
		interactions:  map[string]interactionInfo{},
		acked:         map[string]bool{},
		commands:      map[string][]map[string]any{},
		dmChannels:    map[string]string{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/gateway-ws", s.serveGateway)
	mux.HandleFunc("/gateway-ws/", s.serveGateway)
	mux.HandleFunc("/", s.serveREST)
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.shutdown)
	return s
}

func (s *Server) shutdown() {
	s.mu.Lock()
	s.closed = true
	conns := make([]*gwConn, 0, len(s.allConns))
	for c := range s.allConns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.ws.Close()
	}
	s.Server.Close()
}

// GatewayURL is the websocket address announced by GET /api/v9/gateway.
func (s *Server) GatewayURL() string {
	return "ws" + strings.TrimPrefix(s.URL, "http") + "/gateway-ws"
}

// HTTPClient returns a client whose transport sends requests for
// https://discord.com/... (and discordapp.com) to this server, keeping the
// path and query: set it as discordgo's Session.Client. Requests to any
// other host fail, so a test never reaches the network by accident.
func (s *Server) HTTPClient() *http.Client {
	return &http.Client{Transport: redirect{s: s, base: s.Client().Transport}, Timeout: 10 * time.Second}
}

type redirect struct {
	s    *Server
	base http.RoundTripper
}

func (r redirect) RoundTrip(req *http.Request) (*http.Response, error) {
	host := strings.ToLower(req.URL.Hostname())
	switch {
	case host == "discord.com", strings.HasSuffix(host, ".discord.com"),
		host == "discordapp.com", strings.HasSuffix(host, ".discordapp.com"):
	default:
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, fmt.Errorf("fakediscord: refusing request to %s (only Discord's hosts are faked)", req.URL.Host)
	}
	target, err := url.Parse(r.s.URL)
	if err != nil {
		return nil, err
	}
	out := req.Clone(req.Context())
	out.URL.Scheme = target.Scheme
	out.URL.Host = target.Host
	out.Host = ""
	return r.base.RoundTrip(out)
}

// notifyLocked wakes the waiters; s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Calls returns the REST calls recorded so far, in arrival order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// waitFor calls check (without the lock: it takes snapshots) until it
// reports done, each time something is recorded, or fails the test after
// timeout.
func (s *Server) waitFor(t testing.TB, timeout time.Duration, what string, check func() bool) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if check() {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("fakediscord: timed out after %v waiting for %s; calls so far:\n%s", timeout, what, s.describeCalls())
			return
		}
	}
}

func (s *Server) describeCalls() string {
	var b strings.Builder
	for _, c := range s.Calls() {
		fmt.Fprintf(&b, "  %s %s -> %d %s\n", c.Method, c.Path, c.Status, truncate(string(c.Body), 200))
	}
	if b.Len() == 0 {
		return "  (none)\n"
	}
	return b.String()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// WaitCall blocks until a recorded call (including ones already recorded)
// satisfies pred and returns the first such call, or fails the test after
// timeout. A nil pred matches any call.
func (s *Server) WaitCall(t testing.TB, timeout time.Duration, pred func(Call) bool) Call {
	t.Helper()
	return s.WaitCalls(t, timeout, 1, pred)[0]
}

// WaitCalls blocks until n recorded calls satisfy pred and returns the first
// n of them, or fails the test after timeout.
func (s *Server) WaitCalls(t testing.TB, timeout time.Duration, n int, pred func(Call) bool) []Call {
	t.Helper()
	var got []Call
	s.waitFor(t, timeout, fmt.Sprintf("%d matching call(s)", n), func() bool {
		got = got[:0]
		for _, c := range s.Calls() {
			if pred == nil || pred(c) {
				got = append(got, c)
				if len(got) == n {
					return true
				}
			}
		}
		return false
	})
	return got
}

// Match returns a predicate for WaitCall: the method ("" for any) and a path
// pattern where "*" stands for one path segment, e.g.
// Match("PATCH", "/webhooks/*/*/messages/@original"). The pattern is
// matched against the path without its /api/v9 prefix.
func Match(method, pattern string) func(Call) bool {
	re := regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(pattern), `\*`, `[^/]+`) + "$")
	return func(c Call) bool {
		return (method == "" || c.Method == method) && re.MatchString(routePath(c.Path))
	}
}

// RateLimit makes the next n requests whose method ("" for any) and path
// prefix match answer 429 with {"retry_after": seconds, "global": false,
// "message": ...} and no X-RateLimit headers, as Discord does on a
// sub-bucket limit; discordgo waits retry_after and retries. pathPrefix may
// be given with or without the /api/v9 prefix.
func (s *Server) RateLimit(method, pathPrefix string, n int, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = append(s.rules, &rule{method: method, prefix: pathPrefix, n: n, status: http.StatusTooManyRequests, retryAfter: retryAfter})
}

// Fail makes the next n requests whose method ("" for any) and path prefix
// match answer status (e.g. 500 or 403) with a JSON error body.
func (s *Server) Fail(method, pathPrefix string, n int, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = append(s.rules, &rule{method: method, prefix: pathPrefix, n: n, status: status})
}

// takeRuleLocked consumes the first live rule matching the request.
func (s *Server) takeRuleLocked(method, full, route string) *rule {
	for _, r := range s.rules {
		if r.n <= 0 || (r.method != "" && r.method != method) {
			continue
		}
		if strings.HasPrefix(full, r.prefix) || strings.HasPrefix(route, r.prefix) {
			r.n--
			return r
		}
	}
	return nil
}

var apiPrefix = regexp.MustCompile(`^/api(/v[0-9]+)?`)

// routePath strips /api or /api/vN from a request path.
func routePath(p string) string {
	r := apiPrefix.ReplaceAllString(p, "")
	if r == "" {
		return "/"
	}
	return r
}

// errorBody is Discord's JSON error shape.
func errorBody(code int, message string) map[string]any {
	return map[string]any{"code": code, "message": message}
}

func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	call := Call{
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.Query(),
		Header: r.Header.Clone(),
		Body:   body,
		At:     time.Now(),
	}
	route := routePath(r.URL.Path)

	s.mu.Lock()
	var status int
	var resp any
	var hdr http.Header
	if r.Header.Get("Authorization") != "Bot "+s.BotToken {
		status, resp = http.StatusUnauthorized, errorBody(0, "401: Unauthorized")
	} else if rl := s.takeRuleLocked(r.Method, r.URL.Path, route); rl != nil {
		status, resp = ruleResponse(rl)
	} else {
		status, resp, hdr = s.routeLocked(call, route)
	}
	call.Status = status
	var out []byte
	if resp != nil && status != http.StatusNoContent {
		// Marshalled under the lock: resp may be a stored message.
		out, err = json.Marshal(resp)
		if err != nil {
			status = http.StatusInternalServerError
			out, _ = json.Marshal(errorBody(0, "fakediscord: "+err.Error()))
		}
	}
	call.Response = out
	s.calls = append(s.calls, call)
	s.notifyLocked()
	s.mu.Unlock()

	for k, v := range hdr {
		w.Header()[k] = v
	}
	if out != nil {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

func ruleResponse(r *rule) (int, any) {
	if r.status == http.StatusTooManyRequests {
		return r.status, map[string]any{
			"retry_after": r.retryAfter.Seconds(),
			"global":      false,
			"message":     "You are being rate limited.",
		}
	}
	code := 0
	msg := fmt.Sprintf("%d: %s", r.status, http.StatusText(r.status))
	switch r.status {
	case http.StatusForbidden:
		code, msg = 50013, "Missing Permissions"
	case http.StatusNotFound:
		code, msg = 10003, "Unknown Channel"
	}
	return r.status, errorBody(code, msg)
}

var errNoPayload = errors.New("fakediscord: multipart body has no payload_json part")
