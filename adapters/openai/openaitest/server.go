// Package openaitest is a fake OpenAI-compatible API (chat completions and
// embeddings) that the real openai-go client, through adapters/openai,
// runs against unchanged. It speaks the real wire format, checks the
// Bearer key, records what it received (so tests can assert what reached
// the provider) and can be told to rate-limit (429) or fail (500). What
// the model answers is scripted by the test (SetResponder) or a
// deterministic default built from the prompt. Embeddings are
// knowledgetest.Embed, the deterministic embedding the retrieval benchmark
// uses. Nothing in the binary's production paths may import it, and it
// never imports testing.
package openaitest

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/switchboard/switchboard/bridge/knowledge/knowledgetest"
)

// DefaultKey is the API key the fake accepts unless New's caller sets Key
// before the first request.
const DefaultKey = "sk-test-switchboard"

// TB is the part of testing.TB the fake uses (see whatsapptest.TB).
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Message is one chat message as received.
type Message struct {
	Role    string
	Content string
}

// ChatRequest is one POST /v1/chat/completions as the fake understood it.
type ChatRequest struct {
	Model    string
	Messages []Message
	// MaxTokens and MaxCompletionTokens are the budget fields (0: absent).
	MaxTokens           int
	MaxCompletionTokens int
	Temperature         *float64
	// JSON is set when response_format is {"type": "json_object"}.
	JSON   bool
	Stream bool
	// Attempt is the SDK's X-Stainless-Retry-Count (0 the first try).
	Attempt int
	At      time.Time
	Raw     json.RawMessage
}

// System is the request's system message ("" when none).
func (r ChatRequest) System() string {
	for _, m := range r.Messages {
		if m.Role == "system" {
			return m.Content
		}
	}
	return ""
}

// User is the request's last user message.
func (r ChatRequest) User() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "user" {
			return r.Messages[i].Content
		}
	}
	return ""
}

// Text is every message's content, joined: what a test searches for
// something that must not have reached the provider.
func (r ChatRequest) Text() string {
	var b strings.Builder
	for _, m := range r.Messages {
		b.WriteString(m.Content)
		b.WriteByte('\n')
	}
	return b.String()
}

// EmbeddingRequest is one POST /v1/embeddings as the fake understood it.
type EmbeddingRequest struct {
	Model          string
	Input          []string
	EncodingFormat string
	At             time.Time
}

// Mode is how the fake answers every request.
type Mode int

const (
	// Working answers normally.
	Working Mode = iota
	// RateLimited answers 429 with OpenAI's rate-limit body and headers.
	RateLimited
	// Failing answers 500 with OpenAI's server_error body.
	Failing
)

// Responder decides what the model answers to a chat request.
type Responder func(req ChatRequest) string

// Server is the fake API. Its URL (with /v1) is what adapters/openai's
// Config.BaseURL takes.
type Server struct {
	// URL is the API root, "http://127.0.0.1:PORT/v1".
	URL string
	// Key is the key the fake accepts; "" accepts requests without one.
	Key string

	srv *httptest.Server

	mu         sync.Mutex
	mode       Mode
	retryAfter time.Duration
	failNext   []int
	responder  Responder
	chats      []ChatRequest
	embeds     []EmbeddingRequest
	rejected   int
	seq        int
}

// New starts a fake on loopback, stopped when the test ends.
func New(t TB) *Server {
	t.Helper()
	s := &Server{Key: DefaultKey, retryAfter: 20 * time.Millisecond}
	s.srv = httptest.NewServer(s)
	s.URL = s.srv.URL + "/v1"
	t.Cleanup(s.srv.Close)
	return s
}

// Client is an HTTP client for the fake.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Close stops the fake (a provider that went away: connections refused).
func (s *Server) Close() { s.srv.Close() }

// SetMode changes how every following request is answered.
func (s *Server) SetMode(m Mode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mode = m
}

// SetRetryAfter is the wait a 429 asks for (retry-after-ms and, rounded
// up, retry-after). Default 20ms, so tests that retry stay fast.
func (s *Server) SetRetryAfter(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retryAfter = d
}

// FailNext answers the next len(statuses) requests with those statuses
// (429 or 5xx, with OpenAI's bodies and headers), then works again.
func (s *Server) FailNext(statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = append(s.failNext, statuses...)
}

// SetResponder scripts the model's answers; nil restores Default.
func (s *Server) SetResponder(r Responder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.responder = r
}

// Chats are the chat requests received, failed ones included, in order.
func (s *Server) Chats() []ChatRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ChatRequest(nil), s.chats...)
}

// Embeddings are the embeddings requests received, in order.
func (s *Server) Embeddings() []EmbeddingRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]EmbeddingRequest(nil), s.embeds...)
}

// Unauthorized is how many requests were refused for their key.
func (s *Server) Unauthorized() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejected
}

// ServeHTTP routes the two endpoints.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, "invalid_request_error", "", "Only POST is served by this fake.")
		return
	}
	switch r.URL.Path {
	case "/v1/chat/completions":
		s.chat(w, r)
	case "/v1/embeddings":
		s.embeddings(w, r)
	default:
		writeError(w, http.StatusNotFound, "invalid_request_error", "unknown_url", "Invalid URL (POST "+r.URL.Path+")")
	}
}

// authorized checks the Bearer key as OpenAI does: 401 with its body.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	if s.Key == "" {
		return true
	}
	if r.Header.Get("Authorization") == "Bearer "+s.Key {
		return true
	}
	s.mu.Lock()
	s.rejected++
	s.mu.Unlock()
	if r.Header.Get("Authorization") == "" {
		writeError(w, http.StatusUnauthorized, "invalid_request_error", "", "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")
		return false
	}
	writeError(w, http.StatusUnauthorized, "invalid_request_error", "invalid_api_key", "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.")
	return false
}

// failure answers a scripted or mode failure, if one is due.
func (s *Server) failure(w http.ResponseWriter, model string) bool {
	s.mu.Lock()
	status := 0
	switch {
	case len(s.failNext) > 0:
		status, s.failNext = s.failNext[0], s.failNext[1:]
	case s.mode == RateLimited:
		status = http.StatusTooManyRequests
	case s.mode == Failing:
		status = http.StatusInternalServerError
	}
	wait := s.retryAfter
	s.mu.Unlock()
	switch {
	case status == 0:
		return false
	case status == http.StatusTooManyRequests:
		h := w.Header()
		h.Set("retry-after-ms", strconv.FormatInt(wait.Milliseconds(), 10))
		h.Set("retry-after", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		h.Set("x-ratelimit-limit-requests", "500")
		h.Set("x-ratelimit-remaining-requests", "0")
		h.Set("x-ratelimit-reset-requests", wait.String())
		h.Set("x-ratelimit-limit-tokens", "200000")
		h.Set("x-ratelimit-remaining-tokens", "0")
		h.Set("x-ratelimit-reset-tokens", wait.String())
		writeError(w, status, "requests", "rate_limit_exceeded",
			fmt.Sprintf("Rate limit reached for %s in organization org-test on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in %s.", model, wait))
	case status >= 500:
		writeError(w, status, "server_error", "", "The server had an error while processing your request. Sorry about that!")
	default:
		writeError(w, status, "invalid_request_error", "", http.StatusText(status))
	}
	return true
}

// wireChat is the request body's part the fake reads.
type wireChat struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
	MaxTokens           int      `json:"max_tokens"`
	MaxCompletionTokens int      `json:"max_completion_tokens"`
	Temperature         *float64 `json:"temperature"`
	Stream              bool     `json:"stream"`
	ResponseFormat      *struct {
		Type string `json:"type"`
	} `json:"response_format"`
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r.Body); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "", "could not read the body")
		return
	}
	var in wireChat
	if err := json.Unmarshal(buf.Bytes(), &in); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "", "We could not parse the JSON body of your request.")
		return
	}
	req := ChatRequest{Model: in.Model, MaxTokens: in.MaxTokens, MaxCompletionTokens: in.MaxCompletionTokens,
		Temperature: in.Temperature, Stream: in.Stream, At: time.Now(), Raw: json.RawMessage(buf.Bytes())}
	req.Attempt, _ = strconv.Atoi(r.Header.Get("X-Stainless-Retry-Count"))
	req.JSON = in.ResponseFormat != nil && in.ResponseFormat.Type == "json_object"
	for _, m := range in.Messages {
		req.Messages = append(req.Messages, Message{Role: m.Role, Content: contentText(m.Content)})
	}
	if !s.authorized(w, r) {
		return
	}
	s.mu.Lock()
	s.chats = append(s.chats, req)
	respond := s.responder
	s.seq++
	id := s.seq
	s.mu.Unlock()
	if s.failure(w, in.Model) {
		return
	}
	switch {
	case in.Model == "":
		writeError(w, http.StatusBadRequest, "invalid_request_error", "", "you must provide a model parameter")
		return
	case len(in.Messages) == 0:
		writeError(w, http.StatusBadRequest, "invalid_request_error", "", "[] is too short - 'messages'")
		return
	case in.Stream:
		writeError(w, http.StatusBadRequest, "invalid_request_error", "", "this fake does not stream; switchboard never asks it to")
		return
	}
	if respond == nil {
		respond = Default
	}
	answer := respond(req)
	prompt := 0
	for _, m := range req.Messages {
		prompt += Tokens(m.Content) + 4 // OpenAI's per-message overhead
	}
	completion := Tokens(answer)
	finish := "stop"
	if budget := max(req.MaxTokens, req.MaxCompletionTokens); budget > 0 && completion > budget {
		completion, finish = budget, "length"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id":      fmt.Sprintf("chatcmpl-fake%06d", id),
		"object":  "chat.completion",
		"created": time.Now().Unix(),
		"model":   in.Model,
		"choices": []any{map[string]any{
			"index":         0,
			"message":       map[string]any{"role": "assistant", "content": answer, "refusal": nil, "annotations": []any{}},
			"logprobs":      nil,
			"finish_reason": finish,
		}},
		"usage": map[string]any{
			"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion,
			"prompt_tokens_details":     map[string]any{"cached_tokens": 0, "audio_tokens": 0},
			"completion_tokens_details": map[string]any{"reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0},
		},
		"service_tier":       "default",
		"system_fingerprint": "fp_switchboard",
	})
}

// contentText reads a message's content: a string, or an array of parts
// of which the text parts count.
func contentText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if json.Unmarshal(raw, &parts) != nil {
		return ""
	}
	var b strings.Builder
	for _, p := range parts {
		if p.Type == "text" {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

func (s *Server) embeddings(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Model          string          `json:"model"`
		Input          json.RawMessage `json:"input"`
		EncodingFormat string          `json:"encoding_format"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "", "We could not parse the JSON body of your request.")
		return
	}
	if !s.authorized(w, r) {
		return
	}
	var inputs []string
	var one string
	if json.Unmarshal(in.Input, &one) == nil {
		inputs = []string{one}
	} else if err := json.Unmarshal(in.Input, &inputs); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "", "this fake takes input as a string or an array of strings")
		return
	}
	s.mu.Lock()
	s.embeds = append(s.embeds, EmbeddingRequest{Model: in.Model, Input: inputs, EncodingFormat: in.EncodingFormat, At: time.Now()})
	s.mu.Unlock()
	if s.failure(w, in.Model) {
		return
	}
	if in.Model == "" || len(inputs) == 0 {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "", "model and a non-empty input are required")
		return
	}
	data := make([]any, len(inputs))
	tokens := 0
	for i, text := range inputs {
		v := knowledgetest.Embed(text)
		tokens += Tokens(text)
		var embedding any = v
		if in.EncodingFormat == "base64" {
			b := make([]byte, 4*len(v))
			for j, f := range v {
				binary.LittleEndian.PutUint32(b[4*j:], math.Float32bits(f))
			}
			embedding = base64.StdEncoding.EncodeToString(b)
		}
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": embedding}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"object": "list",
		"data":   data,
		"model":  in.Model,
		"usage":  map[string]any{"prompt_tokens": tokens, "total_tokens": tokens},
	})
}

// Tokens is the fake's token count of text: about four characters a
// token, as OpenAI's tokenizers average on English.
func Tokens(text string) int {
	if text == "" {
		return 0
	}
	return (len(text) + 3) / 4
}

// writeError answers with OpenAI's error JSON.
func writeError(w http.ResponseWriter, status int, typ, code, message string) {
	var c any
	if code != "" {
		c = code
	}
	writeJSON(w, status, map[string]any{"error": map[string]any{"message": message, "type": typ, "param": nil, "code": c}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-request-id", "req_fake")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
