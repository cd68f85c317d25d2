package redact

import "testing"

func TestURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"password", "http://user:s3cret@127.0.0.1:11434/v1", "http://user:***@127.0.0.1:11434/v1"},
		{"escaped password", "https://u:p%40ss%2Fword@example.com/v1?x=1", "https://u:***@example.com/v1?x=1"},
		{"user without password", "https://user@example.com/v1", "https://user@example.com/v1"},
		{"no credentials", "https://api.openai.com/v1", "https://api.openai.com/v1"},
		{"empty", "", ""},
		{"unparsable with credentials", "http://u:pa ss\x7f@host/", Mask},
		{"unparsable without credentials", "http://host\x7f/", "http://host\x7f/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := URL(tt.in); got != tt.want {
				t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"quoted in an error",
			`Post "http://user:s3cret@127.0.0.1:1/v1/chat/completions": dial tcp 127.0.0.1:1: connect: connection refused`,
			`Post "http://user:***@127.0.0.1:1/v1/chat/completions": dial tcp 127.0.0.1:1: connect: connection refused`},
		{"two URLs", "a https://a:1@x/ and wss://b:2@y/gateway", "a https://a:***@x/ and wss://b:***@y/gateway"},
		{"already masked", "http://user:***@host/", "http://user:***@host/"},
		{"empty password", "http://user:@host/", "http://user:***@host/"},
		{"user only", "see https://user@host/ now", "see https://user@host/ now"},
		{"an address after a path is not user information", "http://host/a:b@c", "http://host/a:b@c"},
		{"no URL", "user:pw@host", "user:pw@host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
