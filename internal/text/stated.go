package text

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// numeral matches a number written with digits, with its thousands
// separators and decimal point ("20,000", "5.1", "24").
var numeral = regexp.MustCompile(`\d(?:[\d,.]*\d)?`)

// StatedNumbers returns the numbers a text states with digits, as
// Numeral normalises them, leaving out those that are part of a name or a
// word ("G7", "COVID-19", "50th") and years (1900 to 2100): a question
// that states one ("Why did Mayorkas give Venezuelans TPS for 24 months?")
// takes it for granted as much as the event itself. Dates are taken out
// of the text by the caller.
func StatedNumbers(s string) []string {
	var out []string
	// Small numbers written in words count what follows them ("only run
	// for five years"), unless they refer back or ask ("the two leaders",
	// "which two companies").
	toks := Tokens(s)
	for i, t := range toks {
		n, ok := wordNumbers[t.Word]
		if !ok || i+1 >= len(toks) || !IsContent(toks[i+1].Word) {
			continue
		}
		if i > 0 && referring[toks[i-1].Word] {
			continue
		}
		out = append(out, n)
	}
	for _, loc := range numeral.FindAllStringIndex(s, -1) {
		if attachedToWord(s, loc[0], loc[1]) {
			continue
		}
		n := Numeral(s[loc[0]:loc[1]])
		if len(n) == 4 && n >= "1900" && n <= "2100" {
			continue
		}
		out = append(out, n)
	}
	return out
}

// HoldsNumeral reports whether a text states the number n (normalised as
// Numeral does).
func HoldsNumeral(s, n string) bool {
	for _, m := range numeral.FindAllString(s, -1) {
		if Numeral(m) == n {
			return true
		}
	}
	if w := numberName(n); w != "" {
		return containsWord(s, w) // "ten-year" for "10-year", "Ninety-four percent" for "94 percent"
	}
	return false
}

// numberName returns a whole number under a hundred written in words, as
// articles write it at a sentence's start or in prose ("ninety four",
// compared word by word: "ninety-four"), and a hundred as its word; ""
// for any other number.
func numberName(n string) string {
	if w := numberNames[n]; w != "" {
		return w // one to twenty, the tens, a hundred
	}
	v, err := strconv.Atoi(n)
	if err != nil || v < 21 || v > 99 || strconv.Itoa(v) != n {
		return ""
	}
	return numberNames[strconv.Itoa(v/10*10)] + " " + numberNames[strconv.Itoa(v%10)]
}

// numberNames are the small numbers articles write out in words;
// wordNumbers the other way round (one is left out: "one of", "no one").
var (
	numberNames = map[string]string{"1": "one", "2": "two", "3": "three", "4": "four", "5": "five",
		"6": "six", "7": "seven", "8": "eight", "9": "nine", "10": "ten", "11": "eleven", "12": "twelve",
		"13": "thirteen", "14": "fourteen", "15": "fifteen", "16": "sixteen", "17": "seventeen",
		"18": "eighteen", "19": "nineteen", "20": "twenty", "30": "thirty", "40": "forty", "50": "fifty",
		"60": "sixty", "70": "seventy", "80": "eighty", "90": "ninety", "100": "hundred"}
	wordNumbers = func() map[string]string {
		m := map[string]string{}
		for n, w := range numberNames {
			if n != "1" && n != "100" {
				m[w] = n
			}
		}
		return m
	}()
	// referring words before a number make it refer back or ask, not
	// state: "the two leaders", "both", "which two companies".
	referring = setOf(`the these those its their his her our which what whose all both first last
		other another`)
)

// Numeral normalises a number written with digits: no thousands
// separators, no trailing separator ("20,000" and "20000" are one number).
func Numeral(m string) string {
	m = strings.TrimRight(m, ",.")
	return strings.ReplaceAll(m, ",", "")
}

// attachedToWord reports whether the digits at s[i:j] are part of a word:
// a letter touches them ("G7", "50th"), or a hyphen after a letter stands
// before them ("COVID-19").
func attachedToWord(s string, i, j int) bool {
	if i > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsLetter(r) {
			return true
		}
		if r == '-' && i > 1 {
			if q, _ := utf8.DecodeLastRuneInString(s[:i-1]); unicode.IsLetter(q) {
				return true
			}
		}
	}
	if j < len(s) {
		r, _ := utf8.DecodeRuneInString(s[j:])
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
