// Package fakellm is an in-process OpenAI-compatible chat server for tests:
// it speaks the real wire format (JSON completions and SSE streams) on
// loopback, records what it received, and answers through a function the
// test chooses. The default answer quotes the first sentence of source [1]
// and cites it, the way a well-behaved model would.
package fakellm

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"time"

	"attache/retrieval/vector"
)

// Message is a chat message as received.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Request is a chat completion request as received.
type Request struct {
	Path          string
	Authorization string
	Model         string    `json:"model"`
	Messages      []Message `json:"messages"`
	Stream        bool      `json:"stream"`
}

// System returns the system message, "" if none.
func (r Request) System() string {
	for _, m := range r.Messages {
		if m.Role == "system" {
			return m.Content
		}
	}
	return ""
}

// LastUser returns the content of the last user message.
func (r Request) LastUser() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "user" {
			return r.Messages[i].Content
		}
	}
	return ""
}

// Reply is what the server answers. A Status other than 0 or 200 sends that
// status with Body (default: an OpenAI error object). Hang blocks until the
// client goes away.
type Reply struct {
	Status  int
	Header  map[string]string
	Body    string
	Text    string
	Hang    bool
	Delay   time.Duration // before answering; for streams, between chunks
	Chunked []string      // stream these fragments instead of splitting Text
}

// Server is the fake.
type Server struct {
	*httptest.Server
	// Respond chooses the reply; nil means Grounded.
	Respond func(n int, r Request) Reply

	mu       sync.Mutex
	requests []Request
	embedded int
}

// New starts a server; it is closed when the test ends.
func New(t interface{ Cleanup(func()) }, respond func(n int, r Request) Reply) *Server {
	s := &Server{Respond: respond}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.Close)
	return s
}

// EmbeddingDims is the size of the fake's embeddings.
const EmbeddingDims = 64

// Embedded returns how many texts the embeddings endpoint has embedded.
func (s *Server) Embedded() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.embedded
}

// embeddings answers /embeddings with deterministic bag-of-words vectors
// (vector.HashEmbedder): texts sharing words are near. For plumbing tests,
// not semantics.
func (s *Server) embeddings(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Model string   `json:"model"`
		Input []string `json:"input"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, `{"error":{"message":"bad json"}}`, http.StatusBadRequest)
		return
	}
	vecs, err := vector.HashEmbedder(EmbeddingDims)(r.Context(), req.Input)
	if err != nil {
		http.Error(w, `{"error":{"message":"embed failed"}}`, http.StatusInternalServerError)
		return
	}
	s.mu.Lock()
	s.embedded += len(req.Input)
	s.mu.Unlock()
	data := make([]map[string]any, len(vecs))
	for i, v := range vecs {
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": v}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"object": "list", "model": req.Model, "data": data,
		"usage": map[string]int{"prompt_tokens": len(req.Input), "total_tokens": len(req.Input)}})
}

// BaseURL is the OpenAI-style base URL ("http://127.0.0.1:PORT/v1").
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Requests returns the chat requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/embeddings") {
		s.embeddings(w, r)
		return
	}
	if !strings.HasSuffix(r.URL.Path, "/chat/completions") {
		http.Error(w, `{"error":{"message":"not found"}}`, http.StatusNotFound)
		return
	}
	body, _ := io.ReadAll(r.Body)
	var req Request
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, `{"error":{"message":"bad json"}}`, http.StatusBadRequest)
		return
	}
	req.Path = r.URL.Path
	req.Authorization = r.Header.Get("Authorization")
	s.mu.Lock()
	s.requests = append(s.requests, req)
	n := len(s.requests)
	s.mu.Unlock()

	respond := s.Respond
	if respond == nil {
		respond = func(_ int, r Request) Reply { return Grounded(r) }
	}
	rep := respond(n, req)
	for k, v := range rep.Header {
		w.Header().Set(k, v)
	}
	if rep.Hang {
		<-r.Context().Done()
		return
	}
	if rep.Delay > 0 && !req.Stream {
		select {
		case <-time.After(rep.Delay):
		case <-r.Context().Done():
			return
		}
	}
	if rep.Status != 0 && rep.Status != http.StatusOK {
		if rep.Body == "" {
			rep.Body = fmt.Sprintf(`{"error":{"message":"fake error %d","type":"server_error"}}`, rep.Status)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rep.Status)
		io.WriteString(w, rep.Body)
		return
	}
	if rep.Body != "" {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, rep.Body)
		return
	}
	usage := map[string]int{"prompt_tokens": 100, "completion_tokens": len(strings.Fields(rep.Text)), "total_tokens": 100 + len(strings.Fields(rep.Text))}
	if !req.Stream {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"id": "chatcmpl-fake", "object": "chat.completion", "created": time.Now().Unix(), "model": req.Model,
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": rep.Text}}},
			"usage": usage,
		})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	flusher, _ := w.(http.Flusher)
	chunks := rep.Chunked
	if chunks == nil {
		chunks = splitWords(rep.Text)
	}
	send := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if flusher != nil {
			flusher.Flush()
		}
	}
	for _, c := range chunks {
		if rep.Delay > 0 {
			select {
			case <-time.After(rep.Delay):
			case <-r.Context().Done():
				return
			}
		}
		send(map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": req.Model,
			"choices": []any{map[string]any{"index": 0, "delta": map[string]any{"content": c}}}})
	}
	send(map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": req.Model,
		"choices": []any{map[string]any{"index": 0, "delta": map[string]any{}, "finish_reason": "stop"}}})
	send(map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": req.Model,
		"choices": []any{}, "usage": usage})
	io.WriteString(w, "data: [DONE]\n\n")
	if flusher != nil {
		flusher.Flush()
	}
}

func splitWords(s string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexByte(s[1:], ' ')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

var sourceHeader = regexp.MustCompile(`(?m)^\[(\d+)\] .*\n`)

// Sources returns the text of each numbered source in the prompt's sources
// block, by number.
func Sources(prompt string) map[int]string {
	out := map[int]string{}
	locs := sourceHeader.FindAllStringSubmatchIndex(prompt, -1)
	for i, l := range locs {
		end := len(prompt)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		body := prompt[l[1]:end]
		if j := strings.Index(body, "<<<"); j >= 0 {
			body = body[:j]
		}
		var n int
		fmt.Sscanf(prompt[l[2]:l[3]], "%d", &n)
		out[n] = strings.TrimSpace(body)
	}
	return out
}

var sentenceEnd = regexp.MustCompile(`[.!?]["”’)]?(\s|$)`)

// FirstSentence returns the first sentence of s.
func FirstSentence(s string) string {
	if loc := sentenceEnd.FindStringIndex(s); loc != nil {
		return strings.TrimSpace(s[:loc[1]])
	}
	return strings.TrimSpace(s)
}

// Grounded answers like a careful model: the first sentence of source [1],
// cited. A condensing request (no sources block) gets the question back.
func Grounded(r Request) Reply {
	u := r.LastUser()
	if strings.Contains(u, "Standalone search query:") {
		return Reply{Text: Condensed(u)}
	}
	src := Sources(u)
	if len(src) == 0 {
		return Reply{Text: "The knowledge base does not cover this."}
	}
	return Reply{Text: FirstSentence(src[1]) + " [1]"}
}

// Condensed answers a condensing request: the follow-up with the words of
// the last user turn before it.
func Condensed(prompt string) string {
	var follow, lastUser string
	for _, line := range strings.Split(prompt, "\n") {
		if v, ok := strings.CutPrefix(line, "Follow-up: "); ok {
			follow = v
		}
		if v, ok := strings.CutPrefix(line, "User: "); ok {
			lastUser = v
		}
	}
	return strings.TrimSpace(follow + " " + lastUser)
}
