package assist_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/bridge/knowledge"
)

// detect is a tiny language detector for the tests.
func detect(text string) string {
	t := strings.ToLower(text)
	switch {
	case strings.Contains(t, " el ") || strings.Contains(t, " los ") || strings.Contains(t, "hola"):
		return "es"
	case strings.Contains(t, " the ") || strings.Contains(t, "hello"):
		return "en"
	case strings.Contains(t, " os ") || strings.Contains(t, " você") || strings.Contains(t, "olá"):
		return "pt"
	}
	return ""
}

func offline(found ...knowledge.Passage) *assist.Offline {
	return assist.NewOffline(assist.OfflineOptions{
		Retriever:      &passages{team: "support", found: found},
		DetectLanguage: detect,
		Text:           bridge.Text,
		Classify: func(text string, labels []string) (string, float64) {
			return "billing", 0.8
		},
	})
}

var (
	refundEN = knowledge.Passage{ChunkID: 10, Source: "refunds.md", Heading: "Refunds", Score: 0.9, Coverage: 0.9,
		Text: "# Refunds\nWe are happy to help. The refund reaches the card within 5 business days. Ask the bank after that."}
	refundES = knowledge.Passage{ChunkID: 11, Source: "es/reembolsos.md", Heading: "Reembolsos", Score: 0.7, Coverage: 0.8,
		Text: "# Reembolsos\nEstamos para ayudarte. El reembolso llega a la tarjeta en 5 días hábiles. Después, consulta con los bancos."}
	shipping = knowledge.Passage{ChunkID: 12, Source: "shipping.md", Heading: "Shipping", Score: 0.2, Coverage: 0.2,
		Text: "Orders ship from Madrid. The courier delivers in 2 days."}
)

func TestOfflineSuggestPrefersTheCustomersLanguage(t *testing.T) {
	t.Parallel()
	a := offline(refundEN, refundES, shipping)
	d, err := a.Suggest(context.Background(), assist.Request{Team: "support", Language: "es", Question: "¿cuándo llega el reembolso a la tarjeta?"})
	require.NoError(t, err)
	assert.Equal(t, "El reembolso llega a la tarjeta en 5 días hábiles. Después, consulta con los bancos.", d.Text,
		"the sentence that answers, and what follows it; not the greeting")
	assert.Equal(t, "es", d.Language)
	require.Len(t, d.Sources, 1)
	assert.Equal(t, int64(11), d.Sources[0].ChunkID)
	assert.Equal(t, "offline", d.Usage.Provider)

	d, err = a.Suggest(context.Background(), assist.Request{Team: "support", Language: "en", Question: "when does the refund reach the card?"})
	require.NoError(t, err)
	assert.Equal(t, int64(10), d.Sources[0].ChunkID)
	assert.Equal(t, "The refund reaches the card within 5 business days. Ask the bank after that.", d.Text)
}

func TestOfflineSuggestWithNothingFound(t *testing.T) {
	t.Parallel()
	d, err := offline().Suggest(context.Background(), assist.Request{Team: "support", Question: "hello?"})
	require.NoError(t, err)
	assert.Empty(t, d.Text)
	assert.Empty(t, d.Sources)
}

func TestOfflineAnswerConfidence(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		found []knowledge.Passage
		want  float64
	}{
		{"every term, alone", []knowledge.Passage{{Text: "A. B.", Score: 1, Coverage: 1}}, 1},
		{"every term, a close runner-up", []knowledge.Passage{{Text: "A.", Score: 1, Coverage: 1}, {Text: "B.", Score: 0.9, Coverage: 1}}, 0.775},
		{"half the terms, a clear lead", []knowledge.Passage{{Text: "A.", Score: 1, Coverage: 0.5}, {Text: "B.", Score: 0.2}}, 0.575},
		{"a third of the terms, alone", []knowledge.Passage{{Text: "A.", Score: 1, Coverage: 0.33}}, 0.4975},
		{"nothing found", nil, 0},
		{"found by vectors alone, no term in common", []knowledge.Passage{{Text: "A.", Score: 1, Coverage: 0}}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ans, err := offline(c.found...).Answer(context.Background(), assist.Request{Team: "support", Question: "a b"})
			require.NoError(t, err)
			assert.InDelta(t, c.want, ans.Confidence, 1e-9)
			if c.want > 0 {
				assert.NotEmpty(t, ans.Text)
				assert.Len(t, ans.Sources, 1)
			} else {
				assert.Empty(t, ans.Text)
			}
		})
	}
}

func TestOfflineSummarize(t *testing.T) {
	t.Parallel()
	a := offline()
	cases := []struct {
		name  string
		req   assist.Request
		lines []string
	}{
		{
			name: "answered, then a new question",
			req: assist.Request{AgentLanguage: "en", CustomerName: "Ana", Turns: []assist.Turn{
				{Role: assist.RoleCustomer, Text: "hola"},
				{Role: assist.RoleCustomer, Text: "quiero cambiar la dirección de envío"},
				{Role: assist.RoleNote, Text: "check the courier"},
				{Role: assist.RoleAgent, Text: "Claro, ¿cuál es la nueva dirección?"},
				{Role: assist.RoleCustomer, Text: "Calle Mayor 5, Madrid"},
			}},
			lines: []string{
				"Ana wants: quiero cambiar la dirección de envío",
				"Last answer: Claro, ¿cuál es la nueva dirección?",
				"Pending, the customer wrote after it: Calle Mayor 5, Madrid",
				"Customer messages: 3 · answers: 1",
			},
		},
		{
			name: "nobody answered, in Spanish",
			req: assist.Request{AgentLanguage: "es", Turns: []assist.Turn{
				{Role: assist.RoleCustomer, Text: "my invoice is wrong"},
			}},
			lines: []string{
				"El cliente quiere: my invoice is wrong",
				"Pendiente: nadie ha respondido todavía.",
				"Mensajes del cliente: 1 · respuestas: 0",
			},
		},
		{
			name: "our word last, in Portuguese",
			req: assist.Request{AgentLanguage: "pt", Turns: []assist.Turn{
				{Role: assist.RoleCustomer, Text: "qual o horário?"},
				{Role: assist.RoleAssistant, Text: "Das 9h às 18h."},
			}},
			lines: []string{
				"O cliente quer: qual o horário?",
				"Última resposta: Das 9h às 18h.",
				"Nada pendente: a última mensagem foi nossa.",
				"Mensagens do cliente: 1 · respostas: 1",
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s, err := a.Summarize(context.Background(), c.req)
			require.NoError(t, err)
			assert.Equal(t, strings.Join(c.lines, "\n"), s.Text)
			assert.Equal(t, "offline", s.Usage.Provider)
		})
	}
}

func TestOfflineSummaryQuotesAreShort(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("palabra ", 100)
	s, err := offline().Summarize(context.Background(), assist.Request{AgentLanguage: "en", Turns: []assist.Turn{{Role: assist.RoleCustomer, Text: long}}})
	require.NoError(t, err)
	first := strings.Split(s.Text, "\n")[0]
	assert.LessOrEqual(t, len(first), 200)
	assert.True(t, strings.HasSuffix(first, "…"))
}

func TestOfflineClassify(t *testing.T) {
	t.Parallel()
	c, err := offline().Classify(context.Background(), "factura", []string{"billing", "sales"})
	require.NoError(t, err)
	assert.Equal(t, "billing", c.Label)
	assert.Equal(t, "offline", c.Decider)
	c, err = offline().Classify(context.Background(), "factura", []string{"sales"})
	require.NoError(t, err)
	assert.Empty(t, c.Label, "a label that was not offered is none")
}

func TestSentiment(t *testing.T) {
	t.Parallel()
	cases := []struct {
		text     string
		negative bool
	}{
		{"I have a problem with my order", false},
		{"where is my refund?", false},
		{"this is a scam", true},
		{"esto es una estafa", true},
		{"serviço péssimo", true},
		{"my order is late and broken", true},
		{"mi pedido llegó tarde", false},
		{"my order is late!!!", true},
		{"MY ORDER IS STILL NOT HERE", true},
		{"thanks, great service", false},
		{"terrible delay but thanks for the help, great", false},
		{"muito obrigado, perfeito", false},
	}
	a := offline()
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			s, err := a.Signals(context.Background(), c.text)
			require.NoError(t, err)
			assert.Equal(t, c.negative, s.Negative, "sentiment %.2f", s.Sentiment)
			assert.GreaterOrEqual(t, s.Sentiment, -1.0)
			assert.LessOrEqual(t, s.Sentiment, 1.0)
		})
	}
	assert.Positive(t, assist.Sentiment("gracias, excelente"))
}
