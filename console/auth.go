package console

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// cookieName is the console's session cookie.
const cookieName = "attache_console"

// sessionTTL is how long a login lasts.
const sessionTTL = 7 * 24 * time.Hour

// auth checks the token and signs sessions and CSRF tokens.
//
// A session is a random ID and an expiry, signed with a key derived from
// the token (an HMAC): the cookie holds neither the token nor a hash of it
// alone, and changing the token ends every session. Without a token, the
// key is random for the life of the process and every visitor gets a
// session at once (the console then listens on loopback only); the session
// still ties the CSRF token of the re-index form to the browser.
type auth struct {
	token [32]byte // SHA-256 of the token, compared in constant time
	set   bool
	key   []byte

	mu       sync.Mutex
	failedAt time.Time // start of the minute whose failed sign-ins are counted
	failed   int
}

// maxFailedSignIns bounds the failed sign-ins through the form per minute,
// from anyone; beyond, the form refuses (the bearer header still works).
const maxFailedSignIns = 10

// allowSignIn reports whether the form may check another token now.
func (a *auth) allowSignIn(now time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if now.Sub(a.failedAt) >= time.Minute {
		a.failedAt, a.failed = now, 0
	}
	return a.failed < maxFailedSignIns
}

func (a *auth) failedSignIn() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.failed++
}

func newAuth(token string) (*auth, error) {
	a := &auth{}
	if token == "" {
		a.key = make([]byte, 32)
		if _, err := rand.Read(a.key); err != nil {
			return nil, fmt.Errorf("console: session key: %w", err)
		}
		return a, nil
	}
	a.set = true
	a.token = sha256.Sum256([]byte(token))
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("attache console session key"))
	a.key = m.Sum(nil)
	return a, nil
}

// valid compares a presented token with the configured one in constant
// time (over their hashes, so that the length does not show either).
func (a *auth) valid(token string) bool {
	if !a.set {
		return false
	}
	got := sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(got[:], a.token[:]) == 1
}

func (a *auth) sign(parts ...string) string {
	m := hmac.New(sha256.New, a.key)
	m.Write([]byte(strings.Join(parts, "\x00")))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// bearerSession is the session of requests that carry the token in an
// Authorization header.
const bearerSession = "bearer"

// session returns the request's session ID and whether the request may
// see the console: a valid bearer token or session cookie, or any request
// when no token is set.
func (a *auth) session(r *http.Request) (string, bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, _ := strings.Cut(h, " ")
		if strings.EqualFold(scheme, "Bearer") && a.valid(strings.TrimSpace(tok)) {
			return bearerSession, true
		}
		return "", !a.set
	}
	if ck, err := r.Cookie(cookieName); err == nil {
		if id, ok := a.parse(ck.Value, time.Now()); ok {
			return id, true
		}
	}
	return "", !a.set
}

// newSession returns a new session ID and its cookie value.
func (a *auth) newSession(now time.Time) (id, value string, err error) {
	var b [18]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", fmt.Errorf("console: session: %w", err)
	}
	id = base64.RawURLEncoding.EncodeToString(b[:])
	exp := strconv.FormatInt(now.Add(sessionTTL).Unix(), 10)
	return id, id + "." + exp + "." + a.sign("session", id, exp), nil
}

// parse checks a cookie value and returns its session ID.
func (a *auth) parse(v string, now time.Time) (string, bool) {
	id, rest, ok := strings.Cut(v, ".")
	if !ok {
		return "", false
	}
	exp, mac, ok := strings.Cut(rest, ".")
	if !ok || id == "" {
		return "", false
	}
	if !hmac.Equal([]byte(mac), []byte(a.sign("session", id, exp))) {
		return "", false
	}
	t, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || now.Unix() >= t {
		return "", false
	}
	return id, true
}

// csrf is the CSRF token of a session's forms.
func (a *auth) csrf(session string) string { return a.sign("csrf", session) }

// checkCSRF reports whether tok is the CSRF token of session.
func (a *auth) checkCSRF(session, tok string) bool {
	return session != "" && tok != "" && hmac.Equal([]byte(tok), []byte(a.csrf(session)))
}

// secure reports whether the session cookie of r is marked Secure.
func (c *Console) secure(r *http.Request) bool {
	return c.opts.SecureCookie || r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func (c *Console) setSession(w http.ResponseWriter, r *http.Request, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name:     cookieName,
		Value:    value,
		Path:     c.prefix,
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   c.secure(r),
		SameSite: http.SameSiteStrictMode,
	})
}

// ensureSession returns the request's session; without a token, a visitor
// with none gets one (its cookie set on w).
func (c *Console) ensureSession(w http.ResponseWriter, r *http.Request) (string, bool) {
	id, ok := c.auth.session(r)
	if !ok || id != "" {
		return id, ok
	}
	id, v, err := c.auth.newSession(c.now())
	if err != nil {
		c.opts.Logger.Warn("console: no session", "err", err)
		return "", true
	}
	c.setSession(w, r, v, int(sessionTTL/time.Second))
	return id, true
}

// deny answers a request that lacks the token: browsers asking for a page
// go to the login form, anything else gets 401.
func (c *Console) deny(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.Header.Get("Authorization") == "" {
		http.Redirect(w, r, c.prefix+"login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="attache console"`)
	c.fail(w, r, http.StatusUnauthorized, "The console token is required.")
}

// page wraps a GET page with the access check.
func (c *Console) page(render func(w http.ResponseWriter, r *http.Request, session string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := c.ensureSession(w, r)
		if !ok {
			c.deny(w, r)
			return
		}
		render(w, r, id)
	}
}

// action wraps a POST with the access check and the CSRF check (403
// without the session's CSRF token).
func (c *Console) action(do func(w http.ResponseWriter, r *http.Request, session string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := c.auth.session(r)
		if !ok {
			c.deny(w, r)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 4096)
		if err := r.ParseForm(); err != nil || !c.auth.checkCSRF(id, r.PostForm.Get("csrf")) {
			c.fail(w, r, http.StatusForbidden, "This form has expired or did not come from the console: open the page again and retry.")
			return
		}
		do(w, r, id)
	}
}

func (c *Console) loginForm(w http.ResponseWriter, r *http.Request) {
	if !c.auth.set {
		http.Redirect(w, r, c.prefix, http.StatusSeeOther)
		return
	}
	c.render(w, r, http.StatusOK, "login", "", pageData{Title: "Sign in", Data: loginData{Next: c.safeNext(r.URL.Query().Get("next"))}})
}

// login checks the token of the login form and sets the session cookie.
func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	if !c.auth.set {
		http.Redirect(w, r, c.prefix, http.StatusSeeOther)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if err := r.ParseForm(); err != nil {
		c.fail(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	next := c.safeNext(r.PostForm.Get("next"))
	if !c.auth.allowSignIn(c.now()) {
		c.fail(w, r, http.StatusTooManyRequests, "Too many failed sign-ins: wait a minute and try again.")
		return
	}
	if !c.auth.valid(r.PostForm.Get("token")) {
		c.auth.failedSignIn()
		c.opts.Logger.Info("console: sign-in refused", "remote", r.RemoteAddr)
		c.render(w, r, http.StatusUnauthorized, "login", "", pageData{Title: "Sign in", Data: loginData{Next: next, Failed: true}})
		return
	}
	_, v, err := c.auth.newSession(c.now())
	if err != nil {
		c.fail(w, r, http.StatusInternalServerError, "No session could be started.")
		return
	}
	c.setSession(w, r, v, int(sessionTTL/time.Second))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request, _ string) {
	c.setSession(w, r, "", -1)
	to := c.prefix
	if c.auth.set {
		to += "login"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// safeNext keeps a post-login destination inside the console.
func (c *Console) safeNext(next string) string {
	if !strings.HasPrefix(next, c.prefix) || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return c.prefix
	}
	return next
}
