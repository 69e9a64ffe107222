package main

import (
	"flag"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/configs"
)

// llmRouteConfig routes billing questions by the LLM classifier.
const llmRouteConfig = `
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
classifier:
  examples:
    billing: ["I was charged twice on my card", "I need an invoice"]
    sales: ["how much is the premium plan", "I want to buy a license"]
`

func explainLLM(t *testing.T, yaml, text string) string {
	t.Helper()
	cfg, err := configs.Parse([]byte(yaml), "route.yaml", func(string) string { return "" })
	require.NoError(t, err)
	o := addRouteFlags(flag.NewFlagSet("route", flag.ContinueOnError))
	*o.explainText = text
	var out strings.Builder
	require.NoError(t, o.explain(cfg, nil, &out))
	return out.String()
}

func TestRouteExplainWithTheProviderOffline(t *testing.T) {
	t.Parallel()
	out := explainLLM(t, llmRouteConfig, "I was charged twice on my card")
	require.Contains(t, out, "llm: assistant.provider is offline; the offline classifier decides llm rules (labels billing)")
	require.Contains(t, out, "llm unavailable → offline classifier: billing ")
	require.Contains(t, out, "✓ route 'billing-by-llm' (team billing): matched llm label 'billing' (llm unavailable → offline classifier: billing ")
	require.Contains(t, out, "decision: team billing by route 'billing-by-llm'")
}

func TestRouteExplainWithoutLLMRulesAsksNobody(t *testing.T) {
	t.Parallel()
	cfg := strings.Replace(llmRouteConfig, "{llm: {label: billing, min_confidence: 0.7}}", "{classifier: {label: billing}}", 1)
	out := explainLLM(t, cfg+"assistant:\n  provider: openai\n  base_url: http://127.0.0.1:1/v1\n", "I was charged twice on my card")
	require.NotContains(t, out, "llm:", "no llm rule: the provider is not asked and not mentioned")
	require.NotContains(t, out, "llm unavailable")
	require.Contains(t, out, "decision: team billing by route 'billing-by-llm'")
}
