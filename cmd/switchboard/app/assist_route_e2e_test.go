package app_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/openai/openaitest"
)

const billingChannel = "C0BILLING01"

// llmRouted is support (the fallback), billing and sales, routed by the
// LLM classifier through the fake OpenAI server, with the offline
// classifier standing in for it: the offline classifier calls "how much is
// the premium plan" sales.
func llmRouted(ai *openaitest.Server, wait string) []option {
	return []option{
		withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    members: [U0AGENTA01]
  - name: billing
    slack_channel: %s
    members: [U0AGENTB01]
  - name: sales
    slack_channel: %s
    members: [U0SALES001]
`, channel, billingChannel, salesChannel)),
		withTopLevel(fmt.Sprintf(`routing:
  id: root
  team: support
  routes:
    - id: billing-by-llm
      team: billing
      match: {llm: {label: billing, min_confidence: 0.7}}
    - id: sales-by-llm
      team: sales
      match: {llm: {label: sales, min_confidence: 0.7}}
classifier:
  examples:
    billing: ["I was charged twice on my card", "I need an invoice"]
    sales: ["how much is the premium plan", "I want to buy a license"]
assistant:
  provider: openai
  base_url: %s
  api_key: %s
  model: gpt-4o-mini
  max_retries: 0
  timeout: 10s
  classify_wait: %s
`, ai.URL, openaitest.DefaultKey, wait)),
	}
}

// answers makes the fake model give label to every classification.
func answers(ai *openaitest.Server, label string, confidence float64) {
	ai.SetResponder(func(req openaitest.ChatRequest) string {
		return fmt.Sprintf(`{"label": %q, "confidence": %v}`, label, confidence)
	})
}

const premium = "Hi, how much is the premium plan? Call me at +34 600 123 456"

func TestLLMRoutingOpensTheThreadInTheLLMsTeam(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		ai := openaitest.New(t)
		answers(ai, "billing", 0.93)
		// The wait is longer than the test waits for the card: a card in
		// time proves the thread was released when the LLM answered.
		e := setup(t, dialect, llmRouted(ai, "60s")...)
		e.customerWrites("34611111111", "Ana", "wamid.llm1", time.Now(), premium)

		card := e.waitCardIn(billingChannel, 1)
		e.waitThreadText(card.TS, "how much is the premium plan")
		e.waitThreadText(card.TS, "matched llm label 'billing' (llm: billing 0.93)")
		require.Empty(t, cardsIn(e.slack.Posts(), salesChannel), "the offline classifier's team never sees it")

		chats := ai.Chats()
		require.Len(t, chats, 1, "one classification")
		require.Contains(t, chats[0].Text(), "how much is the premium plan")
		require.Contains(t, chats[0].Text(), "billing")
		require.Contains(t, chats[0].Text(), "sales")
		require.NotContains(t, chats[0].Text(), "600 123 456", "phone numbers are masked before they leave")
		require.Contains(t, scrape(t, e.baseURL+"/metrics"), `switchboard_ai_requests_total{result="ok",task="classify"} 1`)
	})
}

func TestLLMRoutingFallsBackToTheOfflineClassifier(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		ai := openaitest.New(t)
		ai.SetMode(openaitest.Failing)
		e := setup(t, dialect, llmRouted(ai, "2s")...)
		e.customerWrites("34611111111", "Ana", "wamid.llm2", time.Now(), premium)

		card := e.waitCardIn(salesChannel, 1)
		e.waitThreadText(card.TS, "how much is the premium plan")
		e.waitThreadText(card.TS, "matched llm label 'sales' (llm unavailable → offline classifier: sales")
		require.NotEmpty(t, ai.Chats(), "the provider was asked")
		require.Empty(t, cardsIn(e.slack.Posts(), billingChannel))
		// The LLM assistant fell back to the offline classifier itself.
		require.Contains(t, scrape(t, e.baseURL+"/metrics"), `switchboard_ai_requests_total{result="fallback",task="classify"} 1`)
	})
}

// Meta's webhook is answered once the message is stored, whatever the LLM
// does: here the model answers only after the webhook was acknowledged.
func TestLLMRoutingNeverHoldsTheWebhook(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		ai := openaitest.New(t)
		release := make(chan struct{})
		var once sync.Once
		free := func() { once.Do(func() { close(release) }) }
		t.Cleanup(free)
		ai.SetResponder(func(openaitest.ChatRequest) string {
			<-release
			return `{"label": "billing", "confidence": 0.9}`
		})
		e := setup(t, dialect, llmRouted(ai, "60s")...)

		e.customerWrites("34611111111", "Ana", "wamid.llm3", time.Now(), premium) // 200, or the test fails
		require.Eventually(t, func() bool { return len(ai.Chats()) == 1 }, waitLong, 10*time.Millisecond,
			"the classification reaches the model after the webhook was answered")
		require.Empty(t, cards(e.slack.Posts()), "the thread waits while the model thinks")

		free()
		card := e.waitCardIn(billingChannel, 1)
		e.waitThreadText(card.TS, "llm: billing 0.90")
		require.Empty(t, cardsIn(e.slack.Posts(), salesChannel))
	})
}
