package main

import (
	"flag"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/openai/openaitest"
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
	require.Contains(t, out, "llm: no provider (assistant.provider is offline); the offline classifier decides llm rules (labels billing)")
	require.Contains(t, out, "llm unavailable → offline classifier: billing ")
	require.Contains(t, out, "✓ route 'billing-by-llm' (team billing): matched llm label 'billing' (llm unavailable → offline classifier: billing ")
	require.Contains(t, out, "decision: team billing by route 'billing-by-llm'")
}

func TestRouteExplainWithoutLLMRulesAsksNobody(t *testing.T) {
	t.Parallel()
	cfg := strings.Replace(llmRouteConfig, "{llm: {label: billing, min_confidence: 0.7}}", "{classifier: {label: billing}}", 1)
	out := explainLLM(t, cfg+"assistant:\n  provider: openai\n  base_url: http://127.0.0.1:1/v1\n  model: llama3.1\n", "I was charged twice on my card")
	require.NotContains(t, out, "llm:", "no llm rule: the provider is not asked and not mentioned")
	require.NotContains(t, out, "llm unavailable")
	require.Contains(t, out, "decision: team billing by route 'billing-by-llm'")
}

func TestRouteExplainAsksTheProvider(t *testing.T) {
	t.Parallel()
	ai := openaitest.New(t)
	cfg := llmRouteConfig + "assistant:\n  provider: openai\n  base_url: " + ai.URL + "\n  api_key: " + openaitest.DefaultKey +
		"\n  model: gpt-4o-mini\n  max_retries: 0\n"
	text := "how much is the premium plan? I am +34 600 123 456"

	ai.SetResponder(func(openaitest.ChatRequest) string { return `{"label": "billing", "confidence": 0.93}` })
	out := explainLLM(t, cfg, text)
	require.Contains(t, out, "llm: openai asked to choose from billing\n")
	require.Contains(t, out, "\nllm: billing 0.93\n")
	require.Contains(t, out, "decision: team billing by route 'billing-by-llm'", "the LLM decides although the offline classifier says sales")
	require.Len(t, ai.Chats(), 1)
	require.NotContains(t, ai.Chats()[0].Text(), "600 123 456", "masked before it leaves")

	ai.SetMode(openaitest.Failing)
	out = explainLLM(t, cfg, "I was charged twice on my card")
	require.Contains(t, out, "llm unavailable → offline classifier: billing ")
	require.Contains(t, out, "matched llm label 'billing' (llm unavailable → offline classifier: billing ")
}
