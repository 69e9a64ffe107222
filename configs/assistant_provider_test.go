package configs

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAssistantProviderDefaults(t *testing.T) {
	t.Parallel()
	c, err := Parse([]byte(minimal+"assistant:\n  provider: openai\n  base_url: http://localhost:11434/v1\n  model: llama3.1\n"), "x.yaml", noEnv)
	require.NoError(t, err)
	a := c.Assistant
	assert.Equal(t, 10*time.Second, a.Timeout.D())
	assert.Equal(t, 2, a.MaxRetries)
	assert.Equal(t, 500, a.MaxTokens)
	assert.Empty(t, a.APIKey, "a local server needs no key")

	c, err = Parse([]byte(minimal+"assistant:\n  provider: openai\n  api_key: ${OPENAI_API_KEY}\n  model: gpt-4o-mini\n  max_retries: 0\n  timeout: 5s\n  max_tokens: 80\n"),
		"x.yaml", fakeEnv(map[string]string{"OPENAI_API_KEY": "sk-abc"}))
	require.NoError(t, err)
	assert.Equal(t, 0, c.Assistant.MaxRetries, "an explicit 0 turns retries off")
	assert.Equal(t, 5*time.Second, c.Assistant.Timeout.D())
	assert.Equal(t, 80, c.Assistant.MaxTokens)
	assert.Equal(t, "sk-abc", c.Assistant.APIKey)
}

func TestAssistantProviderErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		yaml string
		env  map[string]string
		want []string
	}{
		{
			name: "openai without a model",
			yaml: "assistant:\n  provider: openai\n  base_url: http://localhost:11434/v1\n",
			want: []string{"assistant.model: is required with provider openai", "gpt-4o-mini", "llama3.1 (Ollama)"},
		},
		{
			name: "OpenAI's cloud without a key",
			yaml: "assistant:\n  provider: openai\n  model: gpt-4o-mini\n  api_key: ${OPENAI_API_KEY}\n",
			want: []string{"assistant.api_key (from $OPENAI_API_KEY): is required for OpenAI's API", "${OPENAI_API_KEY}", "http://localhost:11434/v1"},
		},
		{
			name: "Azure without a key",
			yaml: "assistant:\n  provider: openai\n  model: my-deployment\n  base_url: https://acme.openai.azure.com/openai/v1\n",
			want: []string{"assistant.api_key: is required for Azure OpenAI"},
		},
		{
			name: "a base URL without a scheme",
			yaml: "assistant:\n  provider: openai\n  model: llama3.1\n  base_url: localhost:11434/v1\n",
			want: []string{`assistant.base_url: "localhost:11434/v1" is not an http(s) URL`, "http://localhost:11434/v1"},
		},
		{
			name: "a zero timeout",
			yaml: "assistant:\n  timeout: 0s\n",
			want: []string{"assistant.timeout: must be more than 0; remove it for the default of 10s"},
		},
		{
			name: "a timeout of an hour",
			yaml: "assistant:\n  timeout: 1h\n",
			want: []string{"assistant.timeout: 1h", "longer than 5m"},
		},
		{
			name: "negative retries",
			yaml: "assistant:\n  max_retries: -1\n",
			want: []string{"assistant.max_retries: -1 is not between 0 and 10"},
		},
		{
			name: "no token budget",
			yaml: "assistant:\n  max_tokens: 0\n",
			want: []string{"assistant.max_tokens: 0 is not between 1 and 32000", "default of 500"},
		},
		{
			name: "a negative price",
			yaml: "assistant:\n  prices:\n    completion_per_million: -1\n",
			want: []string{"assistant.prices.completion_per_million: must not be negative"},
		},
		{
			name: "anthropic is not built",
			yaml: "assistant:\n  provider: anthropic\n",
			want: []string{"assistant.provider: anthropic is not available in this build", "openai"},
		},
		{
			name: "the key is never printed",
			yaml: "assistant:\n  provider: openai\n  api_key: ${OPENAI_API_KEY}\n  base_url: ftp://x\n",
			env:  map[string]string{"OPENAI_API_KEY": "sk-SECRETVALUE"},
			want: []string{"assistant.base_url", "assistant.model: is required"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(minimal+tc.yaml), "x.yaml", fakeEnv(tc.env))
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, err.Error(), "SECRETVALUE")
		})
	}
}

func TestAssistantSummary(t *testing.T) {
	t.Parallel()
	c, err := Parse([]byte(minimal), "x.yaml", noEnv)
	require.NoError(t, err)
	assert.Contains(t, c.Summary(), "assistant: offline (no provider: nothing leaves this server)")

	c, err = Parse([]byte(minimal+"assistant:\n  provider: openai\n  api_key: ${OPENAI_API_KEY}\n  model: gpt-4o-mini\n  prices:\n    prompt_per_million: 0.15\n    completion_per_million: 0.6\n"),
		"x.yaml", fakeEnv(map[string]string{"OPENAI_API_KEY": "sk-SECRETVALUE"}))
	require.NoError(t, err)
	s := c.Summary()
	assert.Contains(t, s, "assistant: openai at https://api.openai.com/v1, model gpt-4o-mini, embeddings none (BM25 only), key set, timeout 10s, 2 retries, 500 tokens per answer, $0.15 prompt / $0.6 completion per million tokens")
	assert.NotContains(t, s, "SECRETVALUE")
}

// TestAssistantOffersOnlyBuiltProviders: every text that tells an operator
// which provider to write offers only the ones this build has, so nobody
// follows advice into a refusal.
func TestAssistantOffersOnlyBuiltProviders(t *testing.T) {
	t.Parallel()
	_, err := Parse([]byte(minimal+"assistant:\n  provider: gemini\n"), "x.yaml", noEnv)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `assistant.provider: "gemini" is not a provider; write offline or openai`)
	assert.NotContains(t, err.Error(), "anthropic")

	_, err = Parse([]byte(llmTeams), "x.yaml", noEnv)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "set assistant.provider: openai")
	assert.NotContains(t, err.Error(), "anthropic")

	example, err := os.ReadFile("switchboard.example.yaml")
	require.NoError(t, err)
	for _, line := range strings.Split(string(example), "\n") {
		if strings.Contains(line, "anthropic") {
			assert.Contains(t, line, "not available", "the example offers a provider this build refuses: %q", line)
		}
	}
}

// TestAssistantTimeoutFitsTheDeliveryJob: an AI job's provider calls run
// inside one delivery job, whose calls get half of delivery.job_timeout;
// a timeout that cannot fit is refused at load, not discovered as every
// answer handed over "unavailable".
func TestAssistantTimeoutFitsTheDeliveryJob(t *testing.T) {
	t.Parallel()
	const ollama = "assistant:\n  provider: openai\n  base_url: http://localhost:11434/v1\n  model: llama3.1\n"
	cases := []struct {
		name string
		yaml string
		want []string // nil: valid
	}{
		{"the defaults fit", ollama + "  embedding_model: nomic-embed-text\n", nil},
		{"three calls of 10s fit in half of 1m", ollama + "  embedding_model: nomic-embed-text\n  timeout: 10s\n", nil},
		{"two calls of 15s fit without embeddings", ollama + "  timeout: 15s\n", nil},
		{"a slow model with a raised job timeout", ollama + "  embedding_model: nomic-embed-text\n  timeout: 60s\ndelivery:\n  job_timeout: 6m\n  rescue_after: 7m\n", nil},
		{"offline makes no provider calls", "assistant:\n  timeout: 5m\n", nil},
		{"a slow model in the default job timeout", ollama + "  embedding_model: nomic-embed-text\n  timeout: 60s\n",
			[]string{"assistant.timeout: 3 provider calls of 1m (", "half of delivery.job_timeout (30s)", "raise delivery.job_timeout to at least 6m ", "or lower assistant.timeout to 10s"}},
		{"two calls without embeddings", ollama + "  timeout: 20s\n",
			[]string{"assistant.timeout: 2 provider calls of 20s", "raise delivery.job_timeout to at least 1m20s", "or lower assistant.timeout to 15s"}},
		{"a lowered job timeout", ollama + "delivery:\n  job_timeout: 20s\n",
			[]string{"half of delivery.job_timeout (10s)", "raise delivery.job_timeout to at least"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(minimal+tc.yaml), "x.yaml", noEnv)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}
