package eval

import (
	"strings"

	"attache"
)

// EvidenceIn reports whether a passage's text holds the question's
// evidence, compared as the harness compares it (ignoring case, white
// space, accents, quote and dash styles); false when the question has none.
func (q Question) EvidenceIn(text string) bool {
	ev := normalize(q.Evidence)
	return ev != "" && strings.Contains(normalize(text), ev)
}

// Expects reports whether a hit is of one of the question's expected
// documents, as the harness decides it; form is Options.PathForm.
func (q Question) Expects(h attache.Hit, form func(string) string) bool {
	return matchesAny(h, q.DocIDs, form)
}
