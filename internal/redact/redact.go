// Package redact hides the credentials that a URL can carry
// (scheme://user:password@host) before the URL is printed or logged.
package redact

import (
	"net/url"
	"regexp"
	"strings"
)

// Mask replaces a hidden password.
const Mask = "***"

// URL returns s with the password of its user information replaced by Mask
// (http://user:***@host/v1). A value that does not parse as a URL but might
// hold credentials (it contains '@') is replaced by Mask whole; any other
// value is returned unchanged.
func URL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		if strings.Contains(s, "@") {
			return Mask
		}
		return s
	}
	if u.User == nil {
		return s
	}
	if _, has := u.User.Password(); !has {
		return s
	}
	u.User = url.UserPassword(u.User.Username(), Mask)
	// url.URL.String escapes '*' in a password; show the mask plainly.
	return strings.Replace(u.String(), ":"+url.QueryEscape(Mask)+"@", ":"+Mask+"@", 1)
}

// userinfo matches the user information of a URL written inside any text:
// the scheme, then user:password up to the '@' before the host.
var userinfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.\-]*://[^\s/?#@:"'<>]*):[^\s/?#@"'<>]*@`)

// Text returns s with the password of every URL in it replaced by Mask, so
// that an error or log line quoting a URL does not reveal it.
func Text(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return userinfo.ReplaceAllString(s, "${1}:"+Mask+"@")
}
