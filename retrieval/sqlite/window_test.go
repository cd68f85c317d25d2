package sqlite

import (
	"testing"

	"attache/retrieval"
	"attache/retrieval/storetest"
)

func TestCandidateWindow(t *testing.T) {
	storetest.CandidateWindow(t, func(t *testing.T, maxScan int) retrieval.Store {
		return openTest(t, Options{MaxScan: maxScan})
	})
}
