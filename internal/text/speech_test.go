package text

import (
	"slices"
	"testing"
)

func TestSpeechOf(t *testing.T) {
	for q, want := range map[string][]string{
		"What did Gabriel Boric tell Biden about the war in Gaza during his visit?": {"boric"},
		"What did Biden and Kishida say about their positions on Taiwan?":           {"biden", "kishida"},
		"What did the Mexican and American delegations say about migrants?":         nil, // demonyms name no speaker
		"What did the White House say about the summit?":                            nil,
		"What did Biden say?":   nil, // no topic
		"Why did Biden say it?": nil,
	} {
		if got := SpeechOf(q).Speaker; !slices.Equal(got, want) {
			t.Errorf("SpeechOf(%q).Speaker = %v, want %v", q, got, want)
		}
	}
}

func TestSpeechReportedIn(t *testing.T) {
	const readout = "President Biden met President Boric. The two leaders underscored support for elections in Venezuela. " +
		"President Biden also reaffirmed aid to civilians in Gaza."
	for _, tc := range []struct {
		q    string
		want bool
	}{
		{"What did Gabriel Boric tell Biden about the war in Gaza?", false}, // Gaza is in Biden's words only
		{"What did Boric say about Venezuela's elections?", true},           // the two leaders speak for him
		{"What did Biden say about Gaza?", true},
		{"What did Lula say about Gaza?", false}, // not named at all
	} {
		if got := SpeechOf(tc.q).ReportedIn(readout); got != tc.want {
			t.Errorf("SpeechOf(%q).ReportedIn(readout) = %v, want %v", tc.q, got, tc.want)
		}
	}
}
