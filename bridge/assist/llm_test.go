package assist_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/openai"
	"github.com/switchboard/switchboard/adapters/openai/openaitest"
	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/bridge/knowledge"
)

// passages is a retriever that finds the same passages for every query of
// its team, recording the queries.
type passages struct {
	team    string
	found   []knowledge.Passage
	queries []string
}

func (p *passages) Search(ctx context.Context, team, query string, k int) ([]knowledge.Passage, error) {
	p.queries = append(p.queries, query)
	if team != p.team {
		return nil, nil
	}
	return p.found[:min(k, len(p.found))], nil
}

var refunds = []knowledge.Passage{
	{ChunkID: 1, Source: "billing/refunds.md", Heading: "Refunds › Timing", Text: "Refunds reach your card within 5 business days. We email you when it is sent.", Score: 0.9, Coverage: 0.8},
	{ChunkID: 2, Source: "billing/invoices.md", Heading: "Invoices", Text: "Invoices are in your account.\n\nDownload them as PDF.", Score: 0.4, Coverage: 0.3},
}

// llmSetup is the LLM assistant on the real adapter against the fake,
// with the offline assistant as its fallback.
func llmSetup(t *testing.T) (*openaitest.Server, *assist.LLM, *passages) {
	t.Helper()
	fake := openaitest.New(t)
	client, err := openai.New(openai.Config{BaseURL: fake.URL, APIKey: openaitest.DefaultKey, Model: "gpt-4o-mini",
		Timeout: 5 * time.Second, MaxRetries: openai.NoRetries, HTTPClient: fake.Client(),
		Prices: openai.Prices{PromptPerMillion: 1, CompletionPerMillion: 2}})
	require.NoError(t, err)
	kb := &passages{team: "support", found: refunds}
	offline := assist.NewOffline(assist.OfflineOptions{
		Retriever: kb,
		Classify: func(text string, labels []string) (string, float64) {
			if strings.Contains(text, "factura") {
				return "billing", 0.75
			}
			return "", 0
		},
		DetectLanguage: func(text string) string {
			if strings.Contains(text, "hola") {
				return "es"
			}
			return ""
		},
	})
	return fake, assist.NewLLM(assist.LLMOptions{Model: client, Retriever: kb, Fallback: offline, MaxTokens: 300}), kb
}

var conversation = assist.Request{
	Team:          "support",
	Language:      "es",
	AgentLanguage: "en",
	CustomerName:  "Ana",
	Turns: []assist.Turn{
		{Role: assist.RoleCustomer, Text: "hola, soy Ana, mi teléfono es +34 600 123 456 y mi correo ana@example.com"},
		{Role: assist.RoleNote, Text: "VIP customer, pedido 12345, secret discount code X9"},
		{Role: assist.RoleCustomer, Text: "¿cuándo llega mi reembolso del pedido 12345?"},
	},
}

func TestLLMAnswerCitesRetrievedPassagesOnly(t *testing.T) {
	t.Parallel()
	fake, a, _ := llmSetup(t)
	fake.SetResponder(func(req openaitest.ChatRequest) string {
		return "```json\n" + `{"answer": "Tu reembolso llega en 5 días hábiles.", "confidence": "0.85", "sources": [1, 7, "1"]}` + "\n```"
	})
	ans, err := a.Answer(context.Background(), conversation)
	require.NoError(t, err)
	assert.Equal(t, "Tu reembolso llega en 5 días hábiles.", ans.Text)
	assert.InDelta(t, 0.85, ans.Confidence, 1e-9)
	require.Len(t, ans.Sources, 1, "source 7 was never retrieved; 1 counts once")
	assert.Equal(t, "billing/refunds.md › Refunds › Timing", ans.Sources[0].Citation())
	assert.Equal(t, "openai", ans.Usage.Provider)
	assert.Positive(t, ans.Usage.PromptTokens)
	assert.Positive(t, ans.Usage.Cost)

	req := fake.Chats()[0]
	assert.True(t, req.JSON)
	assert.Equal(t, 300, req.MaxTokens, "the configured budget")
	assert.Contains(t, req.System(), "Spanish")
	assert.Contains(t, req.User(), "[1] billing/refunds.md › Refunds › Timing\nRefunds reach your card")
	assert.Contains(t, req.User(), "Question: ¿cuándo llega mi reembolso del pedido 12345?", "order numbers stay")
}

func TestLLMNeverSendsPhoneNumbersEmailsOrNotesToAnswerOrDraft(t *testing.T) {
	t.Parallel()
	fake, a, _ := llmSetup(t)
	_, err := a.Answer(context.Background(), conversation)
	require.NoError(t, err)
	_, err = a.Suggest(context.Background(), conversation)
	require.NoError(t, err)
	_, err = a.Summarize(context.Background(), conversation)
	require.NoError(t, err)
	chats := fake.Chats()
	require.Len(t, chats, 3)
	for _, c := range chats {
		text := c.Text()
		assert.NotContains(t, text, "600 123 456")
		assert.NotContains(t, text, "ana@example.com")
		assert.Contains(t, text, "[phone]")
		assert.Contains(t, text, "[email]")
	}
	assert.NotContains(t, chats[0].Text(), "secret discount", "an answer reaches the customer: no notes")
	assert.NotContains(t, chats[1].Text(), "secret discount", "a draft may be sent: no notes")
	assert.Contains(t, chats[2].Text(), "Note: VIP customer", "a summary is for agents: notes help")
}

func TestLLMAnswerWithoutACitationIsNoAnswer(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"no sources":      `{"answer": "Probably next week.", "confidence": 0.9, "sources": []}`,
		"invented source": `{"answer": "Probably next week.", "confidence": 0.9, "sources": [9]}`,
		"not JSON":        `Probably next week.`,
		"empty answer":    `{"answer": "", "confidence": 0.9, "sources": [1]}`,
	}
	for name, reply := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fake, a, _ := llmSetup(t)
			fake.SetResponder(func(openaitest.ChatRequest) string { return reply })
			ans, err := a.Answer(context.Background(), conversation)
			require.NoError(t, err)
			assert.Empty(t, ans.Text)
			assert.Zero(t, ans.Confidence)
			assert.Empty(t, ans.Sources)
		})
	}
}

func TestLLMAnswerWithNothingRetrievedAsksNoModel(t *testing.T) {
	t.Parallel()
	fake, a, _ := llmSetup(t)
	req := conversation
	req.Team = "sales" // the retriever finds nothing for it
	ans, err := a.Answer(context.Background(), req)
	require.NoError(t, err)
	assert.Empty(t, ans.Text)
	assert.Empty(t, fake.Chats())
}

func TestLLMSuggest(t *testing.T) {
	t.Parallel()
	fake, a, kb := llmSetup(t)
	d, err := a.Suggest(context.Background(), conversation)
	require.NoError(t, err)
	// The fake's default answer: passage 1's first sentences, citing it.
	assert.Equal(t, "Refunds reach your card within 5 business days. We email you when it is sent.", d.Text)
	require.Len(t, d.Sources, 1)
	assert.Equal(t, int64(1), d.Sources[0].ChunkID)
	assert.Equal(t, "es", d.Language)
	assert.Equal(t, []string{"¿cuándo llega mi reembolso del pedido 12345?"}, kb.queries, "the newest customer turn is the question")
	user := fake.Chats()[0].User()
	assert.Contains(t, user, "The customer's first name: Ana")
	assert.Contains(t, user, "[2] billing/invoices.md › Invoices\nInvoices are in your account.\nDownload them as PDF.", "a blank line inside a passage is dropped")
}

func TestLLMSummarize(t *testing.T) {
	t.Parallel()
	fake, a, _ := llmSetup(t)
	s, err := a.Summarize(context.Background(), conversation)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(s.Text, "Summary: hola, soy Ana"), s.Text)
	assert.Equal(t, "openai", s.Usage.Provider)
	req := fake.Chats()[0]
	assert.False(t, req.JSON)
	assert.Contains(t, req.System(), "English")
}

func TestLLMClassify(t *testing.T) {
	t.Parallel()
	fake, a, _ := llmSetup(t)
	labels := []string{"billing", "sales"}

	c, err := a.Classify(context.Background(), "I need my billing statement", labels)
	require.NoError(t, err)
	assert.Equal(t, assist.Classification{Label: "billing", Confidence: 0.9, Decider: "llm", Usage: c.Usage}, c)
	assert.Contains(t, fake.Chats()[0].User(), "Labels: billing, sales")

	fake.SetResponder(func(openaitest.ChatRequest) string { return `{"label": "SALES", "confidence": 0.7}` })
	c, err = a.Classify(context.Background(), "quiero comprar", labels)
	require.NoError(t, err)
	assert.Equal(t, "sales", c.Label, "labels match without regard to case")

	fake.SetResponder(func(openaitest.ChatRequest) string { return `{"label": "refunds", "confidence": 0.9}` })
	c, err = a.Classify(context.Background(), "mi factura", labels)
	require.NoError(t, err)
	assert.Equal(t, "offline", c.Decider, "a label that is not offered goes to the offline classifier")
	assert.Equal(t, "billing", c.Label)
}

func TestLLMFallsBackOfflineWhenTheProviderFails(t *testing.T) {
	t.Parallel()
	for _, mode := range []openaitest.Mode{openaitest.Failing, openaitest.RateLimited} {
		fake, a, _ := llmSetup(t)
		fake.SetMode(mode)

		c, err := a.Classify(context.Background(), "quiero mi factura", []string{"billing", "sales"})
		require.NoError(t, err)
		assert.Equal(t, "offline", c.Decider)
		assert.Equal(t, "billing", c.Label)
		assert.InDelta(t, 0.75, c.Confidence, 1e-9)

		s, err := a.Signals(context.Background(), "hola, esto es una estafa, pésimo servicio")
		require.NoError(t, err)
		assert.Equal(t, "es", s.Language)
		assert.True(t, s.Negative)
		assert.Equal(t, "offline", s.Usage.Provider)

		_, err = a.Answer(context.Background(), conversation)
		assert.ErrorIs(t, err, assist.ErrUnavailable)
		_, err = a.Suggest(context.Background(), conversation)
		assert.ErrorIs(t, err, assist.ErrUnavailable)
		_, err = a.Summarize(context.Background(), conversation)
		assert.ErrorIs(t, err, assist.ErrUnavailable)
	}
}

func TestLLMSignals(t *testing.T) {
	t.Parallel()
	fake, a, _ := llmSetup(t)
	fake.SetResponder(func(req openaitest.ChatRequest) string {
		b, _ := json.Marshal(map[string]any{"language": "PT", "sentiment": -0.9, "negative": false})
		return string(b)
	})
	s, err := a.Signals(context.Background(), "isso é um absurdo, me ligue no (11) 98765-4321")
	require.NoError(t, err)
	assert.Equal(t, "pt", s.Language)
	assert.InDelta(t, -0.9, s.Sentiment, 1e-9)
	assert.True(t, s.Negative, "a sentiment that low is negative whatever the flag says")
	assert.NotContains(t, fake.Chats()[0].Text(), "98765")
}
