package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/openai/openaitest"
	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// countingTransport counts the requests that went through it.
type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// assistantFor builds the assistant of a config with the given top-level
// sections, on a fresh SQLite database.
func assistantFor(t *testing.T, top string, tune Tuning) assist.Assistant {
	t.Helper()
	dbURL := storagetest.URL(t, storage.SQLite)
	yaml := fmt.Sprintf("database:\n  url: %q\nteams:\n  - name: support\n    slack_channel: C0SUPPORT01\n%s", dbURL, top)
	cfg, err := configs.Parse([]byte(yaml), "assist.yaml", func(string) string { return "" })
	require.NoError(t, err)
	db, err := storage.Open(context.Background(), databaseURL(cfg), 2)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	a, _, err := buildAssistant(context.Background(), cfg, db, tune, nil, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	require.NotNil(t, a)
	return a
}

const classifierYAML = `classifier:
  examples:
    billing: ["quiero una factura", "where is my invoice", "segunda via do boleto"]
    sales: ["cuanto cuesta", "how much is the premium plan", "quero comprar"]
`

func TestTheOfflineAssistantIsTheDefault(t *testing.T) {
	t.Parallel()
	a := assistantFor(t, classifierYAML, Tuning{})
	require.IsType(t, &assist.Offline{}, a)

	c, err := a.Classify(context.Background(), "necesito la factura de marzo", []string{"billing", "sales"})
	require.NoError(t, err)
	assert.Equal(t, "billing", c.Label, "the routing classifier's naive Bayes decides")
	assert.Equal(t, "offline", c.Decider)

	s, err := a.Signals(context.Background(), "hola, esto es una estafa, necesito ayuda")
	require.NoError(t, err)
	assert.Equal(t, "es", s.Language, "the routing language detector")
	assert.True(t, s.Negative)

	sum, err := a.Summarize(context.Background(), assist.Request{AgentLanguage: "es", Turns: []assist.Turn{{Role: assist.RoleCustomer, Text: "mi factura está mal"}}})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(sum.Text, "El cliente quiere: mi factura está mal"), "the catalogue's texts: %q", sum.Text)
}

func TestProviderOpenAIBuildsTheLLMAssistantOnTheTuningsClient(t *testing.T) {
	t.Parallel()
	fake := openaitest.New(t)
	transport := &countingTransport{}
	top := classifierYAML + fake.AssistantYAML(false) + "  max_tokens: 123\n"
	a := assistantFor(t, top, Tuning{HTTPClient: &http.Client{Transport: transport}})
	require.IsType(t, &assist.LLM{}, a)

	c, err := a.Classify(context.Background(), "a sales question", []string{"billing", "sales"})
	require.NoError(t, err)
	assert.Equal(t, assist.Classification{Label: "sales", Confidence: 0.9, Decider: "llm", Usage: c.Usage}, c)
	assert.Equal(t, "openai", c.Usage.Provider)
	assert.EqualValues(t, 1, transport.n.Load(), "the request went through Tuning.HTTPClient")
	chats := fake.Chats()
	require.Len(t, chats, 1)
	assert.Equal(t, 123, chats[0].MaxTokens, "assistant.max_tokens is the budget")

	fake.SetMode(openaitest.Failing)
	c, err = a.Classify(context.Background(), "necesito la factura de marzo", []string{"billing", "sales"})
	require.NoError(t, err)
	assert.Equal(t, "offline", c.Decider, "the offline assistant is the fallback")
	assert.Equal(t, "billing", c.Label)
	assert.Len(t, fake.Chats(), 2, "max_retries: 0 means one try")
}
