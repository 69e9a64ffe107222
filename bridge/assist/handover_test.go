package assist

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWantsHuman(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"quiero hablar con un humano", true},
		{"Quiero hablar con un HUMANO!!", true},
		{"falar com atendente", true},
		{"Posso falar com uma pessoa?", true},
		{"I want a real person", true},
		{"can I talk to an agent please", true},
		{"¿Me pasas con un operador?", true},
		{"quero falar com alguém real", true},
		{"Ágente por favor", true}, // accents folded
		{"humanity is great", false},
		{"my personal data", false},
		{"the agency sent it", false},
		{"personalizado", false},
		{"when does my order arrive?", false},
		{"", false},
	} {
		t.Run(tc.text, func(t *testing.T) {
			assert.Equal(t, tc.want, WantsHuman(tc.text, DefaultHandOverWords))
		})
	}
	t.Run("configured words replace the defaults", func(t *testing.T) {
		assert.False(t, WantsHuman("un humano", []string{"supervisor"}))
		assert.True(t, WantsHuman("el Supervisor", []string{"supervisor"}))
		assert.True(t, WantsHuman("pass me to customer care", []string{"customer care"}))
		assert.False(t, WantsHuman("customer and care", []string{"customer care"}))
	})
}

func TestDecide(t *testing.T) {
	t.Parallel()
	good := &Answer{Text: "Refunds take 5 days.", Confidence: 0.9}
	calm := &Signals{Sentiment: 0.2}
	for _, tc := range []struct {
		name string
		f    FirstLine
		s    Situation
		want Decision
	}{
		{"a confident answer is sent", FirstLine{}, Situation{Text: "refund?", IsText: true, Signals: calm, Answer: good}, Decision{}},
		{"a photo goes to people", FirstLine{}, Situation{IsText: false, Answer: good}, handOver(HandOverUnsupported)},
		{"asking for a person", FirstLine{}, Situation{Text: "quiero hablar con un humano", IsText: true, Answer: good}, handOver(HandOverRequested)},
		{"out of turns at the default 3", FirstLine{}, Situation{Text: "and?", IsText: true, Answered: 3, Answer: good}, handOver(HandOverTurns)},
		{"turns left", FirstLine{}, Situation{Text: "and?", IsText: true, Answered: 2, Signals: calm, Answer: good}, Decision{}},
		{"configured turns", FirstLine{MaxTurns: 1}, Situation{Text: "and?", IsText: true, Answered: 1, Answer: good}, handOver(HandOverTurns)},
		{"an upset customer", FirstLine{}, Situation{Text: "this is useless", IsText: true, Signals: &Signals{Sentiment: -0.8, Negative: true}, Answer: good}, handOver(HandOverNegative)},
		{"low confidence at the default 0.5", FirstLine{}, Situation{Text: "x", IsText: true, Answer: &Answer{Text: "maybe", Confidence: 0.49}}, handOver(HandOverLowConfidence)},
		{"exactly the threshold is sent", FirstLine{}, Situation{Text: "x", IsText: true, Answer: &Answer{Text: "yes", Confidence: 0.5}}, Decision{}},
		{"configured threshold", FirstLine{MinConfidence: ptr(0.8)}, Situation{Text: "x", IsText: true, Answer: &Answer{Text: "yes", Confidence: 0.7}}, handOver(HandOverLowConfidence)},
		{"a threshold of 0 sends any answer", FirstLine{MinConfidence: ptr(0.0)}, Situation{Text: "x", IsText: true, Answer: &Answer{Text: "yes", Confidence: 0.1}}, Decision{}},
		{"an empty answer", FirstLine{}, Situation{Text: "x", IsText: true, Answer: &Answer{Confidence: 1}}, handOver(HandOverLowConfidence)},
		{"no answer", FirstLine{}, Situation{Text: "x", IsText: true}, handOver(HandOverLowConfidence)},
		{"asking for a person wins over turns", FirstLine{}, Situation{Text: "agent", IsText: true, Answered: 9}, handOver(HandOverRequested)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Decide(tc.f, tc.s))
		})
	}
}

func TestEarlyNeedsTheAssistantOnlyForText(t *testing.T) {
	t.Parallel()
	_, ok := Early(FirstLine{}, Situation{Text: "how do refunds work?", IsText: true})
	assert.False(t, ok, "an ordinary question needs the assistant")
	d, ok := Early(FirstLine{}, Situation{Text: "falar com atendente", IsText: true})
	assert.True(t, ok)
	assert.Equal(t, HandOverRequested, d.Reason)
}

func TestWithDefaults(t *testing.T) {
	t.Parallel()
	f := FirstLine{}.WithDefaults()
	assert.Equal(t, ModeNever, f.Mode)
	assert.Equal(t, 3, f.MaxTurns)
	assert.Equal(t, 0.5, *f.MinConfidence)
	zero := 0.0
	assert.Equal(t, 0.0, *FirstLine{MinConfidence: &zero}.WithDefaults().MinConfidence, "0 is 0, not the default")
	assert.Contains(t, f.HandOverWords, "atendente")
	assert.False(t, f.On())
}

func ptr[T any](v T) *T { return &v }
