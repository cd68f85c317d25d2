package answer

import (
	"strconv"
	"strings"
)

// maxMarkerDigits bounds the numbers read as citations: "[2010]" is a year,
// not the two-thousandth source.
const maxMarkerDigits = 3

// maxRange bounds a range marker such as "[1-3]".
const maxRange = 20

// Marker is a citation marker found in model output: "[3]", "[1, 2]", "[1,2]",
// "[1; 2]", "[1-3]" (a range), "[^1]" (footnote style), "【1】" and "[[1]]".
// Adjacent markers ("[1][2]") are separate Markers. Start and End are byte
// offsets in the text; Ns holds the numbers in order, each once.
type Marker struct {
	Start, End int
	Ns         []int
}

// removeMarkers returns s without its citation markers.
func removeMarkers(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range ParseMarkers(s) {
		b.WriteString(s[last:m.Start])
		last = m.End
	}
	b.WriteString(s[last:])
	return b.String()
}

// ParseMarkers returns the citation markers of s in order. Brackets holding
// anything but numbers, commas, semicolons, ranges and spaces ("[a]",
// "[see 1]", "[]") are not markers, nor are unbalanced brackets.
func ParseMarkers(s string) []Marker {
	var out []Marker
	for i := 0; i < len(s); {
		var open, closer string
		switch {
		case s[i] == '[':
			open, closer = "[", "]"
		case strings.HasPrefix(s[i:], "【"):
			open, closer = "【", "】"
		default:
			i++
			continue
		}
		body := s[i+len(open):]
		j := strings.Index(body, closer)
		if j < 0 || j > 64 || strings.ContainsAny(body[:j], "[]【】") {
			i += len(open)
			continue
		}
		ns, ok := parseMarkerBody(body[:j])
		if !ok {
			i += len(open)
			continue
		}
		start, end := i, i+len(open)+j+len(closer)
		if open == "[" && start > 0 && s[start-1] == '[' && end < len(s) && s[end] == ']' {
			start, end = start-1, end+1 // "[[1]]"
		}
		out = append(out, Marker{Start: start, End: end, Ns: ns})
		i = end
	}
	return out
}

// parseMarkerBody reads "1", "1, 2", "^1", "1-3" or "1–3; 5".
func parseMarkerBody(b string) ([]int, bool) {
	b = strings.TrimSpace(b)
	b = strings.TrimPrefix(b, "^")
	if b == "" {
		return nil, false
	}
	var ns []int
	seen := map[int]bool{}
	add := func(n int) {
		if !seen[n] {
			seen[n] = true
			ns = append(ns, n)
		}
	}
	for _, item := range strings.Split(strings.ReplaceAll(b, ";", ","), ",") {
		item = strings.TrimSpace(item)
		lo, hi, isRange := cutRange(item)
		if !isRange {
			n, ok := markerNumber(item)
			if !ok {
				return nil, false
			}
			add(n)
			continue
		}
		a, ok1 := markerNumber(lo)
		z, ok2 := markerNumber(hi)
		if !ok1 || !ok2 || a > z || z-a > maxRange {
			return nil, false
		}
		for n := a; n <= z; n++ {
			add(n)
		}
	}
	return ns, len(ns) > 0
}

func cutRange(item string) (lo, hi string, ok bool) {
	for _, dash := range []string{"-", "–", "—"} {
		if lo, hi, ok := strings.Cut(item, dash); ok {
			return strings.TrimSpace(lo), strings.TrimSpace(hi), true
		}
	}
	return "", "", false
}

func markerNumber(s string) (int, bool) {
	if s == "" || len(s) > maxMarkerDigits {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}
