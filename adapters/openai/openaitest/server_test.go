package openaitest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/openai"
	"github.com/switchboard/switchboard/adapters/openai/openaitest"
	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/bridge/knowledge/knowledgetest"
)

func post(t *testing.T, s *openaitest.Server, path, key string, body any) (*http.Response, map[string]any) {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, s.URL+path, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := s.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(res.Body).Decode(&out))
	return res, out
}

func TestUnauthorizedAnswersOpenAIsErrorBody(t *testing.T) {
	t.Parallel()
	s := openaitest.New(t)
	res, out := post(t, s, "/chat/completions", "sk-nope", map[string]any{"model": "m", "messages": []any{}})
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
	errObj := out["error"].(map[string]any)
	assert.Equal(t, "invalid_request_error", errObj["type"])
	assert.Equal(t, "invalid_api_key", errObj["code"])
	assert.Contains(t, errObj, "param")

	res, out = post(t, s, "/chat/completions", "", map[string]any{"model": "m"})
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
	assert.Contains(t, out["error"].(map[string]any)["message"], "didn't provide an API key")
	assert.Equal(t, 2, s.Unauthorized())
	assert.Empty(t, s.Chats(), "refused requests are not recorded as chats")
}

func TestRateLimitedAnswersWithHeadersAndBody(t *testing.T) {
	t.Parallel()
	s := openaitest.New(t)
	s.SetMode(openaitest.RateLimited)
	s.SetRetryAfter(1500 * time.Millisecond)
	res, out := post(t, s, "/chat/completions", openaitest.DefaultKey, map[string]any{"model": "gpt-4o-mini", "messages": []any{map[string]any{"role": "user", "content": "hi"}}})
	assert.Equal(t, http.StatusTooManyRequests, res.StatusCode)
	assert.Equal(t, "1500", res.Header.Get("retry-after-ms"))
	assert.Equal(t, "2", res.Header.Get("retry-after"), "whole seconds, rounded up")
	assert.Equal(t, "0", res.Header.Get("x-ratelimit-remaining-requests"))
	assert.NotEmpty(t, res.Header.Get("x-ratelimit-reset-requests"))
	errObj := out["error"].(map[string]any)
	assert.Equal(t, "rate_limit_exceeded", errObj["code"])
	assert.Equal(t, "requests", errObj["type"])
}

func TestFailingAnswers500AndRecovers(t *testing.T) {
	t.Parallel()
	s := openaitest.New(t)
	s.SetMode(openaitest.Failing)
	chat := map[string]any{"model": "m", "messages": []any{map[string]any{"role": "user", "content": "hi"}}}
	res, out := post(t, s, "/chat/completions", openaitest.DefaultKey, chat)
	assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
	assert.Equal(t, "server_error", out["error"].(map[string]any)["type"])
	s.SetMode(openaitest.Working)
	res, out = post(t, s, "/chat/completions", openaitest.DefaultKey, chat)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "chat.completion", out["object"])
}

func TestStreamingIsRefused(t *testing.T) {
	t.Parallel()
	s := openaitest.New(t)
	res, _ := post(t, s, "/chat/completions", openaitest.DefaultKey, map[string]any{"model": "m", "stream": true, "messages": []any{map[string]any{"role": "user", "content": "hi"}}})
	assert.Equal(t, http.StatusBadRequest, res.StatusCode)
}

func TestChatAnswerShape(t *testing.T) {
	t.Parallel()
	s := openaitest.New(t)
	s.SetResponder(func(openaitest.ChatRequest) string { return "one two three four five six seven eight" })
	res, out := post(t, s, "/chat/completions", openaitest.DefaultKey, map[string]any{
		"model": "gpt-4o-mini", "max_tokens": 3,
		"messages": []any{map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": "parts"}}}},
	})
	require.Equal(t, http.StatusOK, res.StatusCode)
	choice := out["choices"].([]any)[0].(map[string]any)
	assert.Equal(t, "length", choice["finish_reason"], "a budget smaller than the answer")
	assert.Equal(t, "assistant", choice["message"].(map[string]any)["role"])
	usage := out["usage"].(map[string]any)
	assert.EqualValues(t, 3, usage["completion_tokens"])
	assert.Equal(t, "parts", s.Chats()[0].User(), "array content is read as its text parts")
}

func TestEmbeddingsFloatAndBase64ThroughTheRealClient(t *testing.T) {
	t.Parallel()
	s := openaitest.New(t)
	c, err := openai.New(openai.Config{BaseURL: s.URL, APIKey: openaitest.DefaultKey, Model: "m", EmbeddingModel: "e", HTTPClient: s.Client()})
	require.NoError(t, err)
	vecs, err := c.Embed(context.Background(), []string{"hola", "¿dónde está mi pedido?"})
	require.NoError(t, err)
	assert.Equal(t, knowledgetest.Embed("¿dónde está mi pedido?"), vecs[1])

	// base64, as the official Python SDK asks by default.
	res, out := post(t, s, "/embeddings", openaitest.DefaultKey, map[string]any{"model": "e", "input": "hola", "encoding_format": "base64"})
	require.Equal(t, http.StatusOK, res.StatusCode)
	emb := out["data"].([]any)[0].(map[string]any)["embedding"]
	assert.IsType(t, "", emb)
	assert.Len(t, emb, (knowledgetest.Dimensions*4+2)/3*4)
}

func TestDefaultResponder(t *testing.T) {
	t.Parallel()
	prompt := "Passages:\n[1] refunds.md › Timing\nRefunds take 5 days. Then ask your bank.\n\n[2] x.md\nOther.\n\nQuestion: refund?\n"
	cases := []struct {
		name string
		req  openaitest.ChatRequest
		want string
	}{
		{"an answer from passage 1", openaitest.ChatRequest{JSON: true, Messages: []openaitest.Message{{Role: "user", Content: prompt}}},
			`{"answer":"Refunds take 5 days. Then ask your bank.","confidence":0.9,"sources":[1]}`},
		{"no passages, no answer", openaitest.ChatRequest{JSON: true, Messages: []openaitest.Message{{Role: "user", Content: "Passages: none.\n\nQuestion: x\n"}}},
			`{"answer":"","confidence":0,"sources":[]}`},
		{"a label named in the message", openaitest.ChatRequest{JSON: true, Messages: []openaitest.Message{{Role: "user", Content: "Labels: billing, sales\nMessage: a sales question\n"}}},
			`{"confidence":0.9,"label":"sales"}`},
		{"no label named: the first, unsure", openaitest.ChatRequest{JSON: true, Messages: []openaitest.Message{{Role: "user", Content: "Labels: billing, sales\nMessage: hello\n"}}},
			`{"confidence":0.3,"label":"billing"}`},
		{"a summary", openaitest.ChatRequest{Messages: []openaitest.Message{{Role: "user", Content: "Conversation (oldest first):\nCustomer: where is my order?\nAgent: checking\n"}}},
			"Summary: where is my order?"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, openaitest.Default(c.req))
		})
	}
}

func TestFirstSentences(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "One. Two.", openaitest.FirstSentences("One. Two. Three is long enough.", 12))
	assert.Equal(t, "A very", openaitest.FirstSentences("A very long sentence without end", 8))
	assert.Equal(t, "Short", openaitest.FirstSentences("Short", 50))
}

func TestTheRealClientSeesAWorkingModel(t *testing.T) {
	t.Parallel()
	s := openaitest.New(t)
	c, err := openai.New(openai.Config{BaseURL: s.URL, APIKey: openaitest.DefaultKey, Model: "gpt-4o-mini", HTTPClient: s.Client()})
	require.NoError(t, err)
	text, usage, err := c.Complete(context.Background(), assist.Completion{JSON: true,
		Messages: []assist.Message{{Role: "user", Content: "Labels: billing, sales\nMessage: billing please\n"}}})
	require.NoError(t, err)
	assert.True(t, strings.Contains(text, `"label":"billing"`), text)
	assert.Equal(t, openaitest.Tokens("Labels: billing, sales\nMessage: billing please\n")+4, usage.PromptTokens)
}
