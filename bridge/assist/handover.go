package assist

import (
	"slices"

	"github.com/switchboard/switchboard/routing"
)

// The first-line assistant's hand-over rules. They are pure: the bridge
// gathers what the customer wrote and what the assistant made of it, and
// Decide says whether the answer may go to the customer or the
// conversation goes to people.

// Defaults of FirstLine.
const (
	DefaultMaxTurns      = 3
	DefaultMinConfidence = 0.5
)

// DefaultHandOverWords make the assistant hand over when the customer
// writes one of them as a whole word (accents and case ignored): asking
// for a person in English, Spanish and Portuguese.
var DefaultHandOverWords = []string{
	// en
	"human", "humans", "person", "people", "agent", "agents", "operator", "representative", "someone real",
	// es
	"humano", "humana", "humanos", "persona", "personas", "agente", "agentes", "operador", "operadora",
	"asesor", "asesora",
	// pt (humano, agente, operador: as in es)
	"atendente", "atendentes", "pessoa", "pessoas", "alguem real",
}

// WithDefaults fills the zero fields of f with the documented defaults.
func (f FirstLine) WithDefaults() FirstLine {
	if f.Mode == "" {
		f.Mode = ModeNever
	}
	if f.MaxTurns <= 0 {
		f.MaxTurns = DefaultMaxTurns
	}
	if f.MinConfidence == nil {
		c := DefaultMinConfidence
		f.MinConfidence = &c
	}
	if len(f.HandOverWords) == 0 {
		f.HandOverWords = DefaultHandOverWords
	}
	return f
}

// WantsHuman reports whether text contains one of words (or phrases) as
// whole words, accents and case ignored: "quiero hablar con un HUMANO"
// matches "humano", "humanity" does not match "human".
func WantsHuman(text string, words []string) bool {
	tokens := routing.Words(text)
	if len(tokens) == 0 {
		return false
	}
	for _, w := range words {
		phrase := routing.Words(w)
		if len(phrase) == 0 || len(phrase) > len(tokens) {
			continue
		}
		for i := 0; i+len(phrase) <= len(tokens); i++ {
			if slices.Equal(tokens[i:i+len(phrase)], phrase) {
				return true
			}
		}
	}
	return false
}

// Situation is what a first-line decision is made from: one customer
// message in a conversation the assistant holds.
type Situation struct {
	// Text is the customer's message; IsText is false for a photo, an
	// audio, a location and every other kind the assistant cannot read.
	Text   string
	IsText bool
	// Answered is how many answers the assistant already gave in this
	// conversation.
	Answered int
	// Signals and Answer are what the assistant made of the message; nil
	// when not asked (a decision made before calling the provider).
	Signals *Signals
	Answer  *Answer
}

// Decision is either an answer for the customer or a hand-over.
type Decision struct {
	HandOver bool
	Reason   HandOverReason // set when HandOver
}

func handOver(r HandOverReason) Decision { return Decision{HandOver: true, Reason: r} }

// Early decides what needs no provider: a message that is not text, a
// customer asking for a person, and a conversation that used up its
// answers hand over at once. ok is false when the assistant must be asked.
func Early(f FirstLine, s Situation) (d Decision, ok bool) {
	f = f.WithDefaults()
	switch {
	case !s.IsText:
		return handOver(HandOverUnsupported), true
	case WantsHuman(s.Text, f.HandOverWords):
		return handOver(HandOverRequested), true
	case s.Answered >= f.MaxTurns:
		return handOver(HandOverTurns), true
	}
	return Decision{}, false
}

// Decide says whether the assistant's answer may be sent (HandOver false)
// or the conversation goes to people, and why. The checks run in order:
// not text, asked for a person, out of turns, upset, and an answer that
// is missing, empty or less confident than f.MinConfidence.
func Decide(f FirstLine, s Situation) Decision {
	f = f.WithDefaults()
	if d, ok := Early(f, s); ok {
		return d
	}
	if s.Signals != nil && s.Signals.Negative {
		return handOver(HandOverNegative)
	}
	if s.Answer == nil || s.Answer.Text == "" || s.Answer.Confidence < *f.MinConfidence {
		return handOver(HandOverLowConfidence)
	}
	return Decision{}
}
