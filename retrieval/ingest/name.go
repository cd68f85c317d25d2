package ingest

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// EscapePath turns a file path into the text used in document IDs and
// printed paths. Bytes that are not valid UTF-8, and '%' itself, are written
// as %XX (upper-case hex), so every path has one printable form that
// UnescapePath turns back into the same bytes. A valid UTF-8 path without
// '%' is unchanged.
func EscapePath(p string) string {
	if utf8.ValidString(p) && !strings.Contains(p, "%") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRuneInString(p[i:])
		switch {
		case r == utf8.RuneError && n <= 1, r == '%':
			fmt.Fprintf(&b, "%%%02X", p[i])
			n = 1
		default:
			b.WriteString(p[i : i+n])
		}
		i += n
	}
	return b.String()
}

// UnescapePath reverses EscapePath. A '%' not followed by two hex digits is
// an error.
func UnescapePath(s string) (string, error) {
	if !strings.Contains(s, "%") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", fmt.Errorf("bad escape at byte %d of %q", i, s)
		}
		hi, ok1 := unhex(s[i+1])
		lo, ok2 := unhex(s[i+2])
		if !ok1 || !ok2 {
			return "", fmt.Errorf("bad escape at byte %d of %q", i, s)
		}
		b.WriteByte(hi<<4 | lo)
		i += 2
	}
	return b.String(), nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
