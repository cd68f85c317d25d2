package attache_test

import (
	"errors"
	"fmt"
	"testing"

	"attache"
)

func TestErrorText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		err      error
		text     string
		code     string
		safeText string
	}{
		{"bare", attache.Errorf(attache.ENOTFOUND, "no document %q", "x.md"), `no document "x.md"`, attache.ENOTFOUND, `no document "x.md"`},
		{"wrapped", fmt.Errorf("summarize: %w", attache.Errorf(attache.EINVALID, "bad date")), "summarize: bad date", attache.EINVALID, "bad date"},
		{"other", errors.New("disk on fire"), "disk on fire", attache.EINTERNAL, "internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.err.Error(); got != tt.text {
				t.Errorf("Error() = %q, want %q", got, tt.text)
			}
			if got := attache.ErrorCode(tt.err); got != tt.code {
				t.Errorf("ErrorCode = %q, want %q", got, tt.code)
			}
			if got := attache.ErrorMessage(tt.err); got != tt.safeText {
				t.Errorf("ErrorMessage = %q, want %q", got, tt.safeText)
			}
		})
	}
}
