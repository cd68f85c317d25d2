package bot

import (
	"strings"
	"testing"
)

func TestClassifyChat(t *testing.T) {
	tests := []struct {
		in   string
		want chatKind
	}{
		{"", chatEmpty},
		{"   ", chatEmpty},
		{"!!", chatEmpty},
		{"thanks!", chatThanks},
		{"Thank you so much", chatThanks},
		{"great, thank you", chatThanks},
		{"thx 🙏", chatThanks},
		{"gracias", chatThanks},
		{"¡Muchas gracias!", chatThanks},
		{"hello", chatGreeting},
		{"Hi there", chatGreeting},
		{"good morning", chatGreeting},
		{"hola", chatGreeting},
		{"Buenos días", chatGreeting},
		{"ok", chatAck},
		{"great", chatAck},
		{"nice, got it", chatAck},
		{"vale, perfecto", chatAck},
		{"👍", chatEmpty},
		{"thanks, what did the minister announce?", chatQuestion},
		{"hello, what happened in Havana", chatQuestion},
		{"gracias. ¿Y qué dijo el ministro", chatQuestion},
		{"hola, qué pasó en Cuba", chatQuestion},
		{"sanctions on Cuba", chatQuestion},
		{"ok so what about the embassy", chatQuestion},
		{"is that so", chatQuestion},
		{"thanks thanks thanks thanks thanks thanks thanks thanks thanks", chatQuestion},
	}
	for _, tt := range tests {
		if got := classifyChat(tt.in); got != tt.want {
			t.Errorf("classifyChat(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestChatReplyLanguage(t *testing.T) {
	tests := []struct {
		in       string
		wantWord string
	}{
		{"thanks!", "welcome"},
		{"gracias", "nada"},
		{"hello", "Hello"},
		{"hola", "Hola"},
		{"ok", "another question"},
		{"vale", "otra pregunta"},
		{"", "/ask"},
	}
	for _, tt := range tests {
		got := chatReply(classifyChat(tt.in), tt.in)
		if !strings.Contains(got, tt.wantWord) {
			t.Errorf("chatReply for %q = %q, want it to contain %q", tt.in, got, tt.wantWord)
		}
	}
	if got := chatReply(chatQuestion, "what happened?"); got != "" {
		t.Errorf("chatReply for a question = %q, want none", got)
	}
}
