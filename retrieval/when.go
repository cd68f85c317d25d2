package retrieval

import (
	"fmt"
	"time"

	"attache"
	"attache/internal/dates"
)

// intersect narrows an explicit range by a detected one.
func intersect(a, b attache.DateRange) attache.DateRange {
	out := a
	if b.Since != "" && (out.Since == "" || b.Since > out.Since) {
		out.Since = b.Since
	}
	if b.Until != "" && (out.Until == "" || b.Until < out.Until) {
		out.Until = b.Until
	}
	return out
}

// mentionedMonth returns the month of the first month-precise date the text
// names, resolved without a reference, as a range ("" when none).
func mentionedMonth(text string) attache.DateRange {
	for _, m := range dates.Find(text, "") {
		if len(m.Date) >= 7 {
			return attache.DateRange{Since: m.Date[:7], Until: m.Date[:7]}
		}
	}
	return attache.DateRange{}
}

// within reports whether the range a lies inside b.
func within(a, b attache.DateRange) bool {
	return b.Contains(a.Since) && b.Contains(a.Until)
}

// windowKind says how narrow a time window is: the narrower, the surer.
func windowKind(r attache.DateRange) int {
	if r.Since == "" || r.Until == "" {
		return windowRange
	}
	lo, err1 := time.Parse("2006-01-02", padDate(r.Since))
	hi, err2 := time.Parse("2006-01-02", padDate(r.Until))
	if err1 != nil || err2 != nil {
		return windowRange
	}
	switch days := hi.Sub(lo).Hours() / 24; {
	case days <= 62:
		return windowMonth
	case days <= 366:
		return windowYear
	}
	return windowRange
}

// withDate folds the date concept into a coverage: it weighs as the
// heaviest word of the question.
func withDate(cov float64, terms []QueryTerm, covered bool) float64 {
	var total, heaviest float64
	for _, t := range terms {
		total += t.Weight
		heaviest = max(heaviest, t.Weight)
	}
	if heaviest == 0 {
		heaviest = 1
	}
	got := cov * total
	if covered {
		got += heaviest
	}
	return got / (total + heaviest)
}

// mentionsYear reports whether a passage names a year of the window.
func mentionsYear(pw *passageWords, r attache.DateRange) bool {
	lo, hi := 1900, 2100
	if len(r.Since) >= 4 {
		fmt.Sscanf(r.Since[:4], "%d", &lo)
	}
	if len(r.Until) >= 4 {
		fmt.Sscanf(r.Until[:4], "%d", &hi)
	}
	if hi-lo > 10 {
		return false
	}
	for y := lo; y <= hi; y++ {
		if pw.contains(fmt.Sprint(y)) {
			return true
		}
	}
	return false
}

// recency is 1 for the newest date and falls to 0 over three years.
func recency(date, newest string) float64 {
	d, err1 := time.Parse("2006-01-02", padDate(date))
	n, err2 := time.Parse("2006-01-02", padDate(newest))
	if err1 != nil || err2 != nil {
		return 0
	}
	days := n.Sub(d).Hours() / 24
	return max(0, 1-days/(3*365))
}

func padDate(d string) string {
	switch len(d) {
	case 4:
		return d + "-01-01"
	case 7:
		return d + "-01"
	}
	return d
}
