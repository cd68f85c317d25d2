package console

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"attache"
)

// newTestConsole serves a console with a fixed answer log and a re-index
// hook that reports on done.
func newTestConsole(t *testing.T, token string) (*Console, chan struct{}) {
	t.Helper()
	done := make(chan struct{}, 1)
	c, err := New(Options{
		Token: token,
		Answers: func(context.Context, time.Time) ([]attache.LoggedAnswer, error) {
			return []attache.LoggedAnswer{{Time: time.Now(), Question: "What about Suriname?", Outcome: attache.OutcomeRefused}}, nil
		},
		Reindex: func(context.Context) (string, error) {
			done <- struct{}{}
			return "1 added", nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, done
}

func do(t *testing.T, h http.Handler, method, target string, form url.Values, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	var r *http.Request
	if form != nil {
		r = httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		r = httptest.NewRequest(method, target, nil)
	}
	r.Host = "127.0.0.1:8090"
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func sessionCookie(t *testing.T, w *httptest.ResponseRecorder) *http.Cookie {
	t.Helper()
	for _, c := range w.Result().Cookies() {
		if c.Name == cookieName {
			return c
		}
	}
	t.Fatalf("no session cookie in %v", w.Header())
	return nil
}

func TestTokenGuardsEveryPage(t *testing.T) {
	t.Parallel()
	c, _ := newTestConsole(t, "s3cret-token")
	for _, p := range []string{"/console/", "/console/gaps", "/console/feedback", "/console/index", "/console/model", "/console/nope"} {
		w := do(t, c, "GET", p, nil, nil)
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/console/login?next=") {
			t.Errorf("GET %s without the token: %d %q, want a redirect to the login form", p, w.Code, w.Header().Get("Location"))
		}
		w = do(t, c, "GET", p, nil, map[string]string{"Authorization": "Bearer wrong"})
		if w.Code != http.StatusUnauthorized || w.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("GET %s with a wrong token: %d, want 401", p, w.Code)
		}
	}
	w := do(t, c, "GET", "/console/gaps", nil, map[string]string{"Authorization": "Bearer s3cret-token"})
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Suriname") {
		t.Errorf("bearer token: %d %s", w.Code, w.Body)
	}
	if strings.Contains(w.Body.String(), "s3cret-token") {
		t.Error("the page shows the token")
	}
}

func TestLoginFormSetsASignedCookie(t *testing.T) {
	t.Parallel()
	c, _ := newTestConsole(t, "s3cret-token")
	w := do(t, c, "POST", "/console/login", url.Values{"token": {"nope"}, "next": {"/console/gaps"}}, nil)
	if w.Code != http.StatusUnauthorized || len(w.Result().Cookies()) != 0 {
		t.Fatalf("wrong token: %d, cookies %v", w.Code, w.Result().Cookies())
	}
	w = do(t, c, "POST", "/console/login", url.Values{"token": {"s3cret-token"}, "next": {"//evil.example/x"}}, nil)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/console/" {
		t.Fatalf("login: %d %q, want a redirect inside the console", w.Code, w.Header().Get("Location"))
	}
	ck := sessionCookie(t, w)
	if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/console/" || strings.Contains(ck.Value, "s3cret") {
		t.Errorf("cookie = %+v", ck)
	}
	if ck.Secure {
		t.Error("cookie Secure on plain HTTP without SecureCookie")
	}
	w = do(t, c, "GET", "/console/model", nil, map[string]string{"Cookie": ck.Name + "=" + ck.Value})
	if w.Code != http.StatusOK {
		t.Fatalf("with the cookie: %d", w.Code)
	}
	// A tampered cookie is refused.
	w = do(t, c, "GET", "/console/model", nil, map[string]string{"Cookie": ck.Name + "=x" + ck.Value})
	if w.Code != http.StatusSeeOther {
		t.Errorf("tampered cookie: %d, want the login redirect", w.Code)
	}
	// Another token (a restart with a new one) ends the session.
	other, _ := newTestConsole(t, "other-token")
	if w := do(t, other, "GET", "/console/model", nil, map[string]string{"Cookie": ck.Name + "=" + ck.Value}); w.Code != http.StatusSeeOther {
		t.Errorf("cookie of another token: %d, want the login redirect", w.Code)
	}
	// Over TLS (as a proxy forwards it) the cookie is Secure.
	w = do(t, c, "POST", "/console/login", url.Values{"token": {"s3cret-token"}}, map[string]string{"X-Forwarded-Proto": "https"})
	if !sessionCookie(t, w).Secure {
		t.Error("cookie not Secure behind HTTPS")
	}
}

func TestReindexNeedsTheSessionsCSRFToken(t *testing.T) {
	t.Parallel()
	c, done := newTestConsole(t, "")
	// Without a token, a visitor gets a session at once.
	w := do(t, c, "GET", "/console/index", nil, nil)
	if w.Code != http.StatusOK {
		t.Fatalf("index: %d", w.Code)
	}
	ck := sessionCookie(t, w)
	cookie := map[string]string{"Cookie": ck.Name + "=" + ck.Value}
	csrf := c.auth.csrf(mustSession(t, c, ck))
	if !strings.Contains(w.Body.String(), `name="csrf" value="`+csrf+`"`) {
		t.Fatalf("the re-index form lacks the session's CSRF token")
	}
	tests := []struct {
		name string
		form url.Values
		hdr  map[string]string
	}{
		{"no token", url.Values{}, cookie},
		{"wrong token", url.Values{"csrf": {"x" + csrf}}, cookie},
		{"no session", url.Values{"csrf": {csrf}}, nil},
		{"another session's token", url.Values{"csrf": {c.auth.csrf("other")}}, cookie},
	}
	for _, tt := range tests {
		if w := do(t, c, "POST", "/console/reindex", tt.form, tt.hdr); w.Code != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", tt.name, w.Code)
		}
	}
	select {
	case <-done:
		t.Fatal("re-indexed without a valid CSRF token")
	default:
	}
	w = do(t, c, "POST", "/console/reindex", url.Values{"csrf": {csrf}}, cookie)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/console/index" {
		t.Fatalf("re-index: %d %q", w.Code, w.Header().Get("Location"))
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the re-index hook was not called")
	}
	if w := do(t, c, "GET", "/console/reindex?csrf="+csrf, nil, cookie); w.Code != http.StatusNotFound {
		t.Errorf("GET re-index: %d, want 404", w.Code)
	}
	select {
	case <-done:
		t.Fatal("a GET re-indexed")
	case <-time.After(100 * time.Millisecond):
	}
}

func mustSession(t *testing.T, c *Console, ck *http.Cookie) string {
	t.Helper()
	id, ok := c.auth.parse(ck.Value, time.Now())
	if !ok {
		t.Fatal("the console does not accept its own cookie")
	}
	return id
}

// Without a token, only requests addressed to loopback are answered.
func TestWithoutTokenOnlyLoopbackHosts(t *testing.T) {
	t.Parallel()
	c, _ := newTestConsole(t, "")
	tests := []struct {
		host string
		want int
	}{
		{"127.0.0.1:8090", http.StatusOK},
		{"localhost:8090", http.StatusOK},
		{"[::1]:8090", http.StatusOK},
		{"localhost", http.StatusOK},
		{"attacker.example:8090", http.StatusMisdirectedRequest},
		{"192.168.1.5:8090", http.StatusMisdirectedRequest},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/console/", nil)
		r.Host = tt.host
		w := httptest.NewRecorder()
		c.ServeHTTP(w, r)
		if w.Code != tt.want {
			t.Errorf("Host %s: %d, want %d", tt.host, w.Code, tt.want)
		}
	}
	// With a token, the token decides.
	ct, _ := newTestConsole(t, "s3cret-token-0123")
	r := httptest.NewRequest("GET", "/console/", nil)
	r.Host = "console.example.org"
	r.Header.Set("Authorization", "Bearer s3cret-token-0123")
	w := httptest.NewRecorder()
	ct.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Errorf("with the token on another host: %d", w.Code)
	}
}

// Failed sign-ins through the form are bounded per minute.
func TestSignInThrottled(t *testing.T) {
	t.Parallel()
	c, _ := newTestConsole(t, "s3cret-token-0123")
	for i := range maxFailedSignIns {
		if w := do(t, c, "POST", "/console/login", url.Values{"token": {"guess"}}, nil); w.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401", i+1, w.Code)
		}
	}
	if w := do(t, c, "POST", "/console/login", url.Values{"token": {"s3cret-token-0123"}}, nil); w.Code != http.StatusTooManyRequests {
		t.Errorf("after %d failures: %d, want 429", maxFailedSignIns, w.Code)
	}
	if w := do(t, c, "GET", "/console/", nil, map[string]string{"Authorization": "Bearer s3cret-token-0123"}); w.Code != http.StatusOK {
		t.Errorf("bearer token while the form is throttled: %d", w.Code)
	}
	// A minute later the form checks tokens again.
	c.auth.mu.Lock()
	c.auth.failedAt = c.auth.failedAt.Add(-time.Minute)
	c.auth.mu.Unlock()
	if w := do(t, c, "POST", "/console/login", url.Values{"token": {"s3cret-token-0123"}}, nil); w.Code != http.StatusSeeOther {
		t.Errorf("a minute later: %d, want the sign-in", w.Code)
	}
}
