package dates

import (
	"fmt"
	"time"
)

// date is a calendar date at year, month or day precision: m == 0 means a
// year, d == 0 a month.
type date struct{ y, m, d int }

// Precisions, in increasing order.
const (
	precYear = iota + 1
	precMonth
	precDay
)

func (d date) prec() int {
	switch {
	case d.m == 0:
		return precYear
	case d.d == 0:
		return precMonth
	}
	return precDay
}

// valid reports whether d is a real date with a four-digit year.
func (d date) valid() bool {
	if d.y < 1 || d.y > 9999 {
		return false
	}
	if d.m == 0 {
		return d.d == 0
	}
	if d.m < 1 || d.m > 12 {
		return false
	}
	return d.d == 0 || (d.d >= 1 && d.d <= daysIn(d.y, d.m))
}

func (d date) iso() string {
	switch d.prec() {
	case precYear:
		return fmt.Sprintf("%04d", d.y)
	case precMonth:
		return fmt.Sprintf("%04d-%02d", d.y, d.m)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.y, d.m, d.d)
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// time returns the first instant of d, in UTC.
func (d date) time() time.Time {
	return time.Date(d.y, time.Month(max(d.m, 1)), max(d.d, 1), 0, 0, 0, 0, time.UTC)
}

func dayOf(t time.Time) date {
	y, m, d := t.Date()
	return date{y, int(m), d}
}

// first and last are the first and last days d covers.
func (d date) first() date { return date{d.y, max(d.m, 1), max(d.d, 1)} }

func (d date) last() date {
	m, dd := d.m, d.d
	if m == 0 {
		m = 12
	}
	if dd == 0 {
		dd = daysIn(d.y, m)
	}
	return date{d.y, m, dd}
}

// cmp compares two full days.
func cmp(a, b date) int {
	switch {
	case a.y != b.y:
		return a.y - b.y
	case a.m != b.m:
		return a.m - b.m
	}
	return a.d - b.d
}

// shift moves d by n units of its own precision.
func (d date) shift(n int) date {
	switch d.prec() {
	case precYear:
		return date{y: d.y + n}
	case precMonth:
		k := d.y*12 + d.m - 1 + n
		y, m := k/12, k%12
		if m < 0 {
			y, m = y-1, m+12
		}
		return date{y: y, m: m + 1}
	}
	return dayOf(d.time().AddDate(0, 0, n))
}

// monthIndex counts months from year 0, for distances between dates.
func (d date) monthIndex() int { return d.y*12 + max(d.m, 1) - 1 }

// parseISO reads a strict ISO prefix: "2010", "2010-02" or "2010-02-19".
func parseISO(s string) (date, bool) {
	num := func(s string) (int, bool) {
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, true
	}
	var d date
	var ok bool
	switch {
	case len(s) == 4:
		d.y, ok = num(s)
	case len(s) == 7 && s[4] == '-':
		var okM bool
		d.y, ok = num(s[:4])
		d.m, okM = num(s[5:])
		ok = ok && okM
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		var okM, okD bool
		d.y, ok = num(s[:4])
		d.m, okM = num(s[5:7])
		d.d, okD = num(s[8:])
		ok = ok && okM && okD
	}
	if !ok || !d.valid() || (d.m == 0 && len(s) > 4) || (d.d == 0 && len(s) > 7) {
		return date{}, false
	}
	return d, true
}
