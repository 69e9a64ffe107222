package configs

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Defaults of the assistant's provider settings.
const (
	// DefaultAITimeout fits the default delivery.job_timeout (1m): an AI
	// job's three provider calls share the half of it a job's calls get
	// (see aiCallsFit).
	DefaultAITimeout    = 10 * time.Second
	DefaultAIMaxRetries = 2
	DefaultAIMaxTokens  = 500
	// DefaultOpenAIBaseURL is OpenAI's API, what an empty base_url means.
	DefaultOpenAIBaseURL = "https://api.openai.com/v1"
)

// providerDefaults fills the assistant's timeout, retries and budget.
func (c *Config) providerDefaults(d *decoder) {
	a := &c.Assistant
	if !d.set["assistant.timeout"] {
		a.Timeout = Duration(DefaultAITimeout)
	}
	if !d.set["assistant.max_retries"] {
		a.MaxRetries = DefaultAIMaxRetries
	}
	if !d.set["assistant.max_tokens"] {
		a.MaxTokens = DefaultAIMaxTokens
	}
}

// validateProvider checks how the assistant reaches its provider.
func (c *Config) validateProvider(d *decoder) {
	bad := func(path, format string, args ...any) { d.fail(d.lineOf(path), path, format, args...) }
	a := c.Assistant
	if a.BaseURL != "" {
		checkHTTPURL(bad, d.quote, "assistant.base_url", a.BaseURL,
			"write the API root with its version, e.g. \"http://localhost:11434/v1\" (Ollama) or \"https://RESOURCE.openai.azure.com/openai/v1\" (Azure OpenAI)")
	}
	if a.Timeout <= 0 {
		bad("assistant.timeout", "must be more than 0; remove it for the default of 10s")
	} else if a.Timeout.D() > 5*time.Minute {
		bad("assistant.timeout", "%s is longer than 5m: agents and customers would wait that long for a failure; remove it for the default of 10s", a.Timeout)
	} else {
		c.aiCallsFit(d)
	}
	if a.MaxRetries < 0 || a.MaxRetries > 10 {
		bad("assistant.max_retries", "%d is not between 0 and 10; remove it for the default of 2", a.MaxRetries)
	}
	if a.MaxTokens <= 0 || a.MaxTokens > 32000 {
		bad("assistant.max_tokens", "%d is not between 1 and 32000; remove it for the default of 500", a.MaxTokens)
	}
	if a.Prices.PromptPerMillion < 0 {
		bad("assistant.prices.prompt_per_million", "must not be negative; write the provider's price in US dollars per million prompt tokens, or remove it")
	}
	if a.Prices.CompletionPerMillion < 0 {
		bad("assistant.prices.completion_per_million", "must not be negative; write the provider's price in US dollars per million completion tokens, or remove it")
	}
	switch a.Provider {
	case "openai":
		if strings.TrimSpace(a.Model) == "" {
			bad("assistant.model", "is required with provider openai; write the chat model, e.g. gpt-4o-mini (OpenAI), your deployment's name (Azure OpenAI) or llama3.1 (Ollama)")
		}
		if a.APIKey == "" && needsKey(a.BaseURL) {
			bad("assistant.api_key", "is required for %s; write api_key: ${OPENAI_API_KEY} and set the variable, or point base_url at a local server (Ollama: http://localhost:11434/v1)", cloudName(a.BaseURL))
		}
	case "anthropic":
		bad("assistant.provider", "anthropic is not available in this build; write openai (OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp server) or offline")
	}
}

// aiCallsFit refuses an assistant.timeout that the delivery job running
// the AI cannot wait for. A first-line job makes its provider calls one
// after the other (signals, the query's embedding, the answer), all
// inside one platform call of the delivery job, which gets half of
// delivery.job_timeout (bridge callTimeout): a longer sum would cut every
// slow answer short and hand the customer over as "unavailable".
func (c *Config) aiCallsFit(d *decoder) {
	a := c.Assistant
	if a.Provider != "openai" { // offline calls nobody
		return
	}
	calls := 2 // signals, answer
	if a.EmbeddingModel != "" {
		calls++
	}
	need := time.Duration(calls) * a.Timeout.D()
	budget := c.Delivery.JobTimeout.D() / 2
	if need <= budget {
		return
	}
	d.fail(d.lineOf("assistant.timeout"), "assistant.timeout",
		"%d provider calls of %s (one AI job makes them one after the other) do not fit in half of delivery.job_timeout (%s), which bounds them; raise delivery.job_timeout to at least %s (and delivery.rescue_after above it), or lower assistant.timeout to %s",
		calls, Duration(a.Timeout.D()), Duration(budget), Duration(2*need), Duration(budget/time.Duration(calls)))
}

// needsKey reports whether base is a cloud API that refuses requests
// without a key (OpenAI's, Azure's); local servers usually need none.
func needsKey(base string) bool {
	return cloudName(base) != ""
}

func cloudName(base string) string {
	if base == "" {
		return "OpenAI's API"
	}
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	switch host := u.Hostname(); {
	case host == "api.openai.com":
		return "OpenAI's API"
	case strings.HasSuffix(host, ".openai.azure.com"):
		return "Azure OpenAI"
	}
	return ""
}

// providerSummary is check-config's line about the AI provider; the key
// is only said to be set or missing.
func (a Assistant) providerSummary() string {
	if a.Provider == "" || a.Provider == "offline" {
		return "assistant: offline (no provider: nothing leaves this server)"
	}
	base := a.BaseURL
	if base == "" {
		base = DefaultOpenAIBaseURL
	}
	key := "no key"
	if a.APIKey != "" {
		key = "key set"
	}
	embeddings := "none (BM25 only)"
	if a.EmbeddingModel != "" {
		embeddings = a.EmbeddingModel
	}
	prices := "not priced"
	if a.Prices.PromptPerMillion > 0 || a.Prices.CompletionPerMillion > 0 {
		prices = fmt.Sprintf("$%g prompt / $%g completion per million tokens", a.Prices.PromptPerMillion, a.Prices.CompletionPerMillion)
	}
	return fmt.Sprintf("assistant: %s at %s, model %s, embeddings %s, %s, timeout %s, %d retries, %d tokens per answer, %s",
		a.Provider, base, a.Model, embeddings, key, a.Timeout, a.MaxRetries, a.MaxTokens, prices)
}
