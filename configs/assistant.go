package configs

import (
	"fmt"
	"slices"
)

// Assistant is the AI section (issue 11, docs/ai.md). Without it the
// offline assistant runs: suggestions and answers from the knowledge base
// by retrieval alone, summaries by extraction, no key and no network.
//
//	assistant:
//	  provider: openai              # offline (default) | openai | anthropic
//	  base_url: http://localhost:11434/v1   # Ollama; "" is OpenAI's
//	  api_key: ${OPENAI_API_KEY}
//	  model: gpt-4o-mini
//	  embedding_model: text-embedding-3-small
//	  knowledge:
//	    sources:
//	      - {path: ./kb}                     # every team
//	      - {team: support, path: ./kb/support}
type Assistant struct {
	// Provider is offline, openai (the OpenAI API and everything that
	// speaks it: Azure OpenAI, Ollama, vLLM, llama.cpp server) or anthropic.
	Provider string `yaml:"provider"`
	// BaseURL is the API's address ("" is the provider's own).
	BaseURL string `yaml:"base_url"`
	// APIKey is the provider's key; write it as ${VAR}. A local server
	// may need none.
	APIKey string `yaml:"api_key"`
	// Model answers chat completions (suggestions, summaries, answers,
	// classification).
	Model string `yaml:"model"`
	// EmbeddingModel computes the vectors of hybrid retrieval; "" keeps
	// retrieval to BM25.
	EmbeddingModel string `yaml:"embedding_model"`
	// Timeout bounds one request to the provider, retries included.
	Timeout Duration `yaml:"timeout"`
	// MaxRetries is how many times a 429 or 5xx is retried, with backoff
	// (default 2; 0 turns retries off).
	MaxRetries *int `yaml:"max_retries"`
	// MaxTokens bounds each answer (the token budget per request).
	MaxTokens int `yaml:"max_tokens"`
	// Prices turn tokens into dollars for switchboard_ai_cost_usd_total.
	Prices AIPrices `yaml:"prices"`
	// Knowledge is the knowledge base the assistant answers from.
	Knowledge Knowledge `yaml:"knowledge"`
	// ClassifyWait is how long a new conversation's thread waits for the
	// LLM classifier when routing rules use it (default 5s).
	ClassifyWait Duration `yaml:"classify_wait"`
}

// AIPrices are a model's prices in US dollars per million tokens.
type AIPrices struct {
	PromptPerMillion     float64 `yaml:"prompt_per_million"`
	CompletionPerMillion float64 `yaml:"completion_per_million"`
}

// Knowledge is where the knowledge base comes from.
type Knowledge struct {
	Sources []KnowledgeSource `yaml:"sources"`
	// ChunkChars and OverlapChars cut documents into chunks (defaults
	// 1200 and 200).
	ChunkChars   int `yaml:"chunk_chars"`
	OverlapChars int `yaml:"overlap_chars"`
	// Watch re-indexes a folder when its files change (default true).
	Watch *bool `yaml:"watch"`
	// AllowFetch lets switchboard fetch the listed URLs; without it a URL
	// source is refused at start-up (no network access unless allowed).
	AllowFetch bool `yaml:"allow_fetch"`
}

// KnowledgeSource is one folder or URL of documents.
type KnowledgeSource struct {
	// Team owns the documents; "" makes them every team's.
	Team string `yaml:"team"`
	// Path is a folder of .md, .txt, .html and .pdf files (or one file).
	Path string `yaml:"path"`
	// URL is a page fetched at start-up when allow_fetch is on.
	URL string `yaml:"url"`
}

// FirstLine is a team's first-line assistant (first_line in a team).
type FirstLine struct {
	// Mode: never (default), always, out_of_hours (while the team's
	// hours say it is closed).
	Mode string `yaml:"mode"`
	// MaxTurns answers before it hands over (default 3).
	MaxTurns int `yaml:"max_turns"`
	// MinConfidence is the least retrieval confidence it answers with
	// (default 0.5).
	MinConfidence float64 `yaml:"min_confidence"`
	// HandOverWords, when set, replace the default words that make it
	// hand over ("human", "agente", "atendente", …).
	HandOverWords []string `yaml:"handover_words"`
}

// AssistantProviders are the values of assistant.provider.
var AssistantProviders = []string{"offline", "openai", "anthropic"}

// FirstLineModes are the values of first_line.mode.
var FirstLineModes = []string{"never", "always", "out_of_hours"}

// validateAssistant checks the assistant section and every team's first_line.
func (c *Config) validateAssistant(d *decoder) {
	bad := func(path, format string, args ...any) { d.fail(d.lineOf(path), path, format, args...) }
	a := c.Assistant
	if a.Provider != "" && !slices.Contains(AssistantProviders, a.Provider) {
		bad("assistant.provider", "%s is not a provider; write offline, openai (also for Azure OpenAI, Ollama, vLLM) or anthropic", d.quote("assistant.provider", a.Provider))
	}
	for i, t := range c.Teams {
		p := fmt.Sprintf("teams[%d].first_line.mode", i)
		if m := t.FirstLine.Mode; m != "" && !slices.Contains(FirstLineModes, m) {
			bad(p, "%s is not a mode; write never, always or out_of_hours", d.quote(p, m))
		}
	}
}
