package pgtest

import "testing"

func TestWithSearchPath(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"postgres://u@h/db", "postgres://u@h/db?search_path=s"},
		{"postgres://u@h/db?sslmode=disable", "postgres://u@h/db?sslmode=disable&search_path=s"},
		{"host=h dbname=db", "host=h dbname=db search_path=s"},
	} {
		if got := WithSearchPath(tc.in, "s"); got != tc.want {
			t.Errorf("WithSearchPath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
