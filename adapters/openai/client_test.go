package openai_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/openai"
	"github.com/switchboard/switchboard/adapters/openai/openaitest"
	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/bridge/knowledge/knowledgetest"
)

// setup starts a fake and a client on it; change tweaks the client's config.
func setup(t *testing.T, change ...func(*openai.Config)) (*openaitest.Server, *openai.Client) {
	t.Helper()
	fake := openaitest.New(t)
	cfg := openai.Config{
		BaseURL:        fake.URL,
		APIKey:         openaitest.DefaultKey,
		Model:          "gpt-4o-mini",
		EmbeddingModel: "text-embedding-3-small",
		Timeout:        5 * time.Second,
		HTTPClient:     fake.Client(),
		Prices:         openai.Prices{PromptPerMillion: 0.15, CompletionPerMillion: 0.60},
	}
	for _, c := range change {
		c(&cfg)
	}
	client, err := openai.New(cfg)
	require.NoError(t, err)
	return fake, client
}

func hello(json bool) assist.Completion {
	return assist.Completion{
		Messages: []assist.Message{{Role: "system", Content: "Be brief."}, {Role: "user", Content: "Customer: where is my order?"}},
		JSON:     json,
	}
}

func TestCompleteSendsTheRequestAndReadsTheAnswer(t *testing.T) {
	t.Parallel()
	fake, client := setup(t)
	fake.SetResponder(func(req openaitest.ChatRequest) string { return "It ships tomorrow." })

	text, usage, err := client.Complete(context.Background(), assist.Completion{
		Messages:    hello(false).Messages,
		MaxTokens:   120,
		Temperature: 0.2,
		JSON:        true,
	})
	require.NoError(t, err)
	assert.Equal(t, "It ships tomorrow.", text)

	chats := fake.Chats()
	require.Len(t, chats, 1)
	got := chats[0]
	assert.Equal(t, "gpt-4o-mini", got.Model)
	assert.Equal(t, []openaitest.Message{{Role: "system", Content: "Be brief."}, {Role: "user", Content: "Customer: where is my order?"}}, got.Messages)
	assert.True(t, got.JSON, "response_format json_object")
	assert.False(t, got.Stream)
	assert.Equal(t, 120, got.MaxTokens, "a local server gets max_tokens")
	assert.Zero(t, got.MaxCompletionTokens)
	require.NotNil(t, got.Temperature)
	assert.InDelta(t, 0.2, *got.Temperature, 1e-9)

	assert.Equal(t, "openai", usage.Provider)
	assert.Equal(t, "gpt-4o-mini", usage.Model)
	assert.Positive(t, usage.PromptTokens)
	assert.Equal(t, openaitest.Tokens("It ships tomorrow."), usage.CompletionTokens)
	want := (float64(usage.PromptTokens)*0.15 + float64(usage.CompletionTokens)*0.60) / 1e6
	assert.InDelta(t, want, usage.Cost, 1e-12)
}

func TestCompleteBudget(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name           string
		field          string
		configured     int
		asked          int
		wantMax        int
		wantCompletion int
	}{
		{"the request's budget within the configured one", "", 500, 100, 100, 0},
		{"the configured budget caps a larger request", "", 200, 900, 200, 0},
		{"the configured budget when the request sets none", "", 300, 0, 300, 0},
		{"max_completion_tokens when asked for", "max_completion_tokens", 500, 50, 0, 50},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fake, client := setup(t, func(cfg *openai.Config) { cfg.MaxTokens, cfg.TokenField = c.configured, c.field })
			req := hello(false)
			req.MaxTokens = c.asked
			_, _, err := client.Complete(context.Background(), req)
			require.NoError(t, err)
			got := fake.Chats()[0]
			assert.Equal(t, c.wantMax, got.MaxTokens)
			assert.Equal(t, c.wantCompletion, got.MaxCompletionTokens)
		})
	}
}

func TestCompleteWithoutJSONLeavesResponseFormatOut(t *testing.T) {
	t.Parallel()
	fake, client := setup(t)
	_, _, err := client.Complete(context.Background(), hello(false))
	require.NoError(t, err)
	assert.False(t, fake.Chats()[0].JSON)
	assert.NotContains(t, string(fake.Chats()[0].Raw), "response_format")
	assert.Nil(t, fake.Chats()[0].Temperature, "no temperature unless asked: reasoning models refuse it")
}

func TestRetriesHonourRetryAfter(t *testing.T) {
	t.Parallel()
	fake, client := setup(t)
	fake.SetRetryAfter(300 * time.Millisecond)
	fake.FailNext(http.StatusTooManyRequests, http.StatusInternalServerError)

	text, _, err := client.Complete(context.Background(), hello(false))
	require.NoError(t, err, "two failures fit in the default two retries")
	assert.NotEmpty(t, text)

	chats := fake.Chats()
	require.Len(t, chats, 3)
	assert.Equal(t, []int{0, 1, 2}, []int{chats[0].Attempt, chats[1].Attempt, chats[2].Attempt})
	assert.GreaterOrEqual(t, chats[1].At.Sub(chats[0].At), 300*time.Millisecond, "the 429's retry-after-ms was waited for")
}

func TestFailureAfterRetriesIsUnavailable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		mode     openaitest.Mode
		status   int
		code     string
		attempts int
	}{
		{"rate limited", openaitest.RateLimited, 429, "rate_limit_exceeded", 3},
		{"failing", openaitest.Failing, 500, "", 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fake, client := setup(t)
			fake.SetMode(c.mode)
			_, _, err := client.Complete(context.Background(), hello(false))
			require.Error(t, err)
			assert.ErrorIs(t, err, assist.ErrUnavailable)
			var apiErr *openai.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, c.status, apiErr.Status)
			assert.Equal(t, c.code, apiErr.Code)
			assert.True(t, apiErr.Temporary())
			assert.Len(t, fake.Chats(), c.attempts, "one try and two retries")
		})
	}
}

func TestNoRetries(t *testing.T) {
	t.Parallel()
	fake, client := setup(t, func(c *openai.Config) { c.MaxRetries = openai.NoRetries })
	fake.SetMode(openaitest.Failing)
	_, _, err := client.Complete(context.Background(), hello(false))
	assert.ErrorIs(t, err, assist.ErrUnavailable)
	assert.Len(t, fake.Chats(), 1)
}

func TestARetryAfterLongerThanTheTimeoutIsNotWaitedFor(t *testing.T) {
	t.Parallel()
	fake, client := setup(t, func(c *openai.Config) { c.Timeout = 2 * time.Second })
	fake.SetRetryAfter(time.Minute)
	fake.SetMode(openaitest.RateLimited)
	start := time.Now()
	_, _, err := client.Complete(context.Background(), hello(false))
	assert.ErrorIs(t, err, assist.ErrUnavailable)
	assert.Less(t, time.Since(start), 2*time.Second, "failed at once instead of timing out")
	assert.Len(t, fake.Chats(), 1)
}

func TestWrongKeyIsUnavailableAndNotRetried(t *testing.T) {
	t.Parallel()
	fake, client := setup(t, func(c *openai.Config) { c.APIKey = "sk-wrong" })
	_, _, err := client.Complete(context.Background(), hello(false))
	assert.ErrorIs(t, err, assist.ErrUnavailable)
	var apiErr *openai.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 401, apiErr.Status)
	assert.Equal(t, "invalid_api_key", apiErr.Code)
	assert.False(t, apiErr.Temporary())
	assert.NotContains(t, err.Error(), "sk-wrong", "the key never appears in an error")
	assert.Equal(t, 1, fake.Unauthorized())
}

func TestNoKeySendsNoAuthorization(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "sk-from-the-environment") // not parallel: it sets the environment
	fake, client := setup(t, func(c *openai.Config) { c.APIKey = "" })
	fake.Key = "" // a local server without keys
	_, _, err := client.Complete(context.Background(), hello(false))
	require.NoError(t, err)

	fake2, client2 := setup(t, func(c *openai.Config) { c.APIKey = "" })
	_, _, err = client2.Complete(context.Background(), hello(false))
	assert.ErrorIs(t, err, assist.ErrUnavailable, "the environment's key is not sent where the config set none")
	assert.Equal(t, 1, fake2.Unauthorized())
	_ = fake
}

func TestTimeout(t *testing.T) {
	t.Parallel()
	fake, client := setup(t, func(c *openai.Config) { c.Timeout = 200 * time.Millisecond; c.MaxRetries = openai.NoRetries })
	block := make(chan struct{})
	t.Cleanup(func() { close(block) }) // before the fake's Close, which waits for the handler
	fake.SetResponder(func(openaitest.ChatRequest) string { <-block; return "late" })
	_, _, err := client.Complete(context.Background(), hello(false))
	assert.ErrorIs(t, err, assist.ErrUnavailable)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestACancelledCallerIsNotUnavailable(t *testing.T) {
	t.Parallel()
	_, client := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := client.Complete(ctx, hello(false))
	assert.ErrorIs(t, err, context.Canceled)
	assert.False(t, errors.Is(err, assist.ErrUnavailable))
}

func TestEmbedInBatches(t *testing.T) {
	t.Parallel()
	fake, client := setup(t, func(c *openai.Config) { c.EmbedBatch = 2 })
	texts := []string{"refund policy", "reembolso", "horario de atención", "shipping times", "trocas"}
	vecs, err := client.Embed(context.Background(), texts)
	require.NoError(t, err)
	require.Len(t, vecs, len(texts))
	for i, text := range texts {
		assert.Equal(t, knowledgetest.Embed(text), vecs[i], "vector %d is the text's own", i)
	}
	reqs := fake.Embeddings()
	require.Len(t, reqs, 3, "5 texts in batches of 2")
	assert.Equal(t, []string{"refund policy", "reembolso"}, reqs[0].Input)
	assert.Equal(t, []string{"trocas"}, reqs[2].Input)
	assert.Equal(t, "text-embedding-3-small", reqs[0].Model)
	assert.Equal(t, "float", reqs[0].EncodingFormat)
	assert.Equal(t, "text-embedding-3-small", client.Model())
}

func TestEmbedFailureIsUnavailable(t *testing.T) {
	t.Parallel()
	fake, client := setup(t)
	fake.SetMode(openaitest.Failing)
	_, err := client.Embed(context.Background(), []string{"x"})
	assert.ErrorIs(t, err, assist.ErrUnavailable)
}

func TestNewRefusesABadBaseURL(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"localhost:11434", "ftp://example.com/v1", "http://"} {
		_, err := openai.New(openai.Config{BaseURL: u, Model: "m"})
		assert.Error(t, err, u)
	}
}
