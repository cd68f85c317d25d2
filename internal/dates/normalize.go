package dates

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Normalize parses one date given by a person or a flag — "2010",
// "2010-02", "2010-02-19", "February 2010", "Feb 19 2010", "19 February
// 2010", "02/19/2010", an RFC 3339 timestamp — into an ISO prefix, or returns
// an error saying why it cannot.
func Normalize(s string) (string, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return "", errors.New("empty date: want YYYY, YYYY-MM or YYYY-MM-DD")
	}
	if ts, err := time.Parse(time.RFC3339, t); err == nil {
		return dayOf(ts).iso(), nil
	}
	p := newParser(t, inFlag, date{})
	if e, ok := p.at(0); ok && e.j == len(p.toks) && !e.inferred && e.lo == e.hi {
		return e.lo.iso(), nil
	}
	if p.bad != "" {
		return "", fmt.Errorf("date %q: %s", t, p.bad)
	}
	return "", fmt.Errorf("date %q not understood: want YYYY, YYYY-MM, YYYY-MM-DD or a date such as \"February 19, 2010\"", t)
}
