package configs

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const llmTeams = `
teams:
  - name: support
    slack_channel: C0123456789
  - name: billing
    slack_channel: C0123456780
routing:
  id: root
  team: support
  routes:
    - id: billing-by-llm
      team: billing
      match: {llm: {label: billing, min_confidence: 0.7}}
`

// ollama is a provider that needs no key.
const ollama = "assistant:\n  provider: openai\n  base_url: http://localhost:11434/v1\n  model: llama3.1\n"

const llmClassifier = `
classifier:
  examples:
    billing: ["I need an invoice", "me cobraron dos veces"]
    sales: ["how much is it", "quiero comprar"]
`

func TestLLMRoutingConfig(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		yaml    string
		err     []string // nil: valid
		summary string   // a substring of check-config's llm routing line
	}{
		{"provider offline with a classifier: allowed, and check-config says who decides",
			llmTeams + llmClassifier, nil,
			"llm routing: rules ask for billing; assistant.provider is offline, so the offline classifier decides them"},
		{"a provider with a classifier: the LLM decides, the classifier stands in",
			llmTeams + llmClassifier + ollama + "  classify_wait: 3s\n", nil,
			"llm routing: rules ask openai for billing; a new conversation's thread waits at most 3s (assistant.classify_wait); the offline classifier decides when the provider fails"},
		{"a provider without a classifier: allowed, with a warning",
			llmTeams + ollama, nil,
			"waits at most 5s (assistant.classify_wait); when the provider fails llm rules do not match"},
		{"no provider and no classifier: the rule could never match",
			llmTeams,
			[]string{`routing.routes[0].match.llm: route "billing-by-llm" can never match: assistant.provider is offline and there is no classifier section`, `add classifier.examples for "billing"`}, ""},
		{"a label the offline classifier does not know",
			strings.Replace(llmTeams, "label: billing", "label: refunds", 1) + llmClassifier + ollama,
			[]string{`match.llm.label: "refunds" is not a label of the classifier (labels: billing, sales); add examples of it under classifier.examples`}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Parse([]byte(tc.yaml), "x.yaml", noEnv)
			if tc.err != nil {
				require.Error(t, err)
				for _, w := range tc.err {
					require.Contains(t, err.Error(), w)
				}
				return
			}
			require.NoError(t, err)
			require.Contains(t, c.Summary(), tc.summary)
		})
	}
}

func TestNoLLMRoutingLineWithoutLLMRules(t *testing.T) {
	t.Parallel()
	c, err := Parse([]byte(minimal), "x.yaml", noEnv)
	require.NoError(t, err)
	require.NotContains(t, c.Summary(), "llm routing")
}
