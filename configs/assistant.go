package configs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// Assistant is the AI section (issue 11, docs/ai.md). Without it the
// offline assistant runs: suggestions and answers from the knowledge base
// by retrieval alone, summaries by extraction, no key and no network.
//
//	assistant:
//	  provider: openai              # offline (default) | openai
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
	// speaks it: Azure OpenAI, Ollama, vLLM, llama.cpp server). anthropic
	// is a known name refused with its own message: not in this build.
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
	MaxRetries int `yaml:"max_retries"`
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
	// (default 0.5; nil when not written, so that 0 means 0).
	MinConfidence *float64 `yaml:"min_confidence"`
	// HandOverWords, when set, replace the default words that make it
	// hand over ("human", "agente", "atendente", …).
	HandOverWords []string `yaml:"handover_words"`
}

// AssistantProviders are the values of assistant.provider this build
// has. anthropic is refused by validateProvider with its own message.
var AssistantProviders = []string{"offline", "openai"}

// FirstLineModes are the values of first_line.mode.
var FirstLineModes = []string{"never", "always", "out_of_hours"}

// validateAssistant checks the assistant section and every team's first_line.
func (c *Config) validateAssistant(d *decoder) {
	bad := func(path, format string, args ...any) { d.fail(d.lineOf(path), path, format, args...) }
	a := c.Assistant
	if a.Provider != "" && a.Provider != "anthropic" && !slices.Contains(AssistantProviders, a.Provider) {
		bad("assistant.provider", "%s is not a provider; write offline or openai (also for Azure OpenAI, Ollama, vLLM, llama.cpp server)", d.quote("assistant.provider", a.Provider))
	}
	c.validateProvider(d) // assistant_provider.go
	for i, t := range c.Teams {
		p := fmt.Sprintf("teams[%d].first_line.mode", i)
		if m := t.FirstLine.Mode; m != "" && !slices.Contains(FirstLineModes, m) {
			bad(p, "%s is not a mode; write never, always or out_of_hours", d.quote(p, m))
		}
		if t.FirstLine.Mode == "out_of_hours" && t.Hours == nil {
			bad(p, "is out_of_hours but team %s has no hours; add its hours or write always", t.Name)
		}
		turns := fmt.Sprintf("teams[%d].first_line.max_turns", i)
		if n := t.FirstLine.MaxTurns; n < 0 || (n == 0 && d.set[turns]) {
			bad(turns, "is %d; write at least 1 answer (default 3); use mode: never to turn the assistant off", n)
		}
		if c := t.FirstLine.MinConfidence; c != nil && (*c < 0 || *c > 1) {
			bad(fmt.Sprintf("teams[%d].first_line.min_confidence", i), "is %g; write a number between 0 and 1 (default 0.5)", *c)
		}
	}
	c.validateKnowledge(d)
}

// Chunk size bounds: smaller chunks lose their context, larger ones
// drown the answer in text the model and the agent must read.
const (
	minChunkChars = 200
	maxChunkChars = 8000
)

// validateKnowledge checks assistant.knowledge: each source names a known
// team (or none), a path or a URL but not both, an existing folder, and a
// URL only with allow_fetch; chunk sizes are sane. A relative path is
// read from the configuration file's folder (as Prometheus reads its
// rule files), so the same file works from any working directory; Path is
// replaced by the resolved one.
func (c *Config) validateKnowledge(d *decoder) {
	bad := func(path, format string, args ...any) { d.fail(d.lineOf(path), path, format, args...) }
	k := &c.Assistant.Knowledge
	if k.ChunkChars != 0 && (k.ChunkChars < minChunkChars || k.ChunkChars > maxChunkChars) {
		bad("assistant.knowledge.chunk_chars", "is %d; write a size from %d to %d characters, or remove it for the default 1200", k.ChunkChars, minChunkChars, maxChunkChars)
	}
	chunk := k.ChunkChars
	if chunk == 0 {
		chunk = 1200
	}
	if k.OverlapChars < 0 || k.OverlapChars >= chunk/2 {
		bad("assistant.knowledge.overlap_chars", "is %d; write a value from 0 to less than half of chunk_chars (%d), or remove it for the default 200", k.OverlapChars, chunk)
	}
	base := filepath.Dir(c.source)
	for i := range k.Sources {
		s := &k.Sources[i]
		p := fmt.Sprintf("assistant.knowledge.sources[%d]", i)
		if s.Team != "" && !slices.ContainsFunc(c.Teams, func(t Team) bool { return t.Name == s.Team }) {
			bad(p+".team", "%s is not a team of teams; name one, or remove team to share the documents with every team", d.quote(p+".team", s.Team))
		}
		switch {
		case s.Path != "" && s.URL != "":
			bad(p+".url", "is set with path; a source is a folder (path) or a page (url): split it into two sources")
		case s.Path == "" && s.URL == "":
			bad(p, "needs path (a folder of .md, .txt, .html files) or url (a page, with allow_fetch: true)")
		case s.URL != "":
			checkHTTPURL(bad, d.quote, p+".url", s.URL, "write the page's address, e.g. https://example.com/help/refunds")
			if !k.AllowFetch {
				bad(p+".url", "is fetched only with assistant.knowledge.allow_fetch: true (switchboard reaches no address unless allowed); set it, or save the page into a folder source")
			}
		default:
			resolved := s.Path
			if !filepath.IsAbs(resolved) {
				resolved = filepath.Join(base, resolved)
			}
			if _, err := os.Stat(resolved); err != nil {
				bad(p+".path", "%s cannot be read (%v); create the folder or fix the path (a relative path starts at the configuration file's folder, %s)",
					d.quote(p+".path", s.Path), errors.Unwrap(err), base)
				continue
			}
			s.Path = filepath.Clean(resolved)
		}
	}
}
