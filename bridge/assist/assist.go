// Package assist is switchboard's AI boundary: reply suggestions for
// agents, conversation summaries, message classification, answers from
// the knowledge base for the first-line assistant, and the rules that
// decide when the assistant hands a customer over to a person. It imports
// no SDK: a provider (adapters/openai) implements Model, and the offline
// assistant (no key, no network) answers from retrieval alone.
//
// What may reach a customer is decided here too: only Answer's text, and
// only when the team turned the first-line assistant on (FirstLine). A
// suggestion is shown to the agent who asked, never sent until they press
// Send; a summary is posted in the thread.
//
// This file is the package's contract; the rest of the package implements it.
package assist

import (
	"context"
	"errors"
	"time"

	"github.com/switchboard/switchboard/bridge/knowledge"
)

// AgentID is the assistant's id where a workspace user id is expected:
// the assignee of a conversation the first-line assistant holds, the
// author of its replies, its row in reports. No Slack or Discord id looks
// like it.
const AgentID = "switchboard:assistant"

// Role is who said a turn of a conversation.
type Role string

const (
	RoleCustomer  Role = "customer"
	RoleAgent     Role = "agent"
	RoleAssistant Role = "assistant" // the first-line assistant's answers
	RoleNote      Role = "note"      // agents' internal notes: summaries read them, answers never
)

// Turn is one message of a conversation as the assistant reads it. The
// bridge masks phone numbers and e-mail addresses (Redact) before a turn
// leaves for a provider.
type Turn struct {
	Role Role
	Text string
	At   time.Time
}

// Request is what the bridge asks about one conversation.
type Request struct {
	Team string
	// Language is the customer's language ("es") when known: drafts and
	// answers are written in it. AgentLanguage is the team's: summaries
	// are written in it.
	Language      string
	AgentLanguage string
	// CustomerName is the customer's first name, for a natural draft;
	// never a phone number.
	CustomerName string
	// Turns are the conversation so far, oldest first.
	Turns []Turn
	// Question is the customer message an answer is for (the newest).
	Question string
}

// Draft is a suggested reply for an agent.
type Draft struct {
	Text     string
	Language string
	Sources  []knowledge.Passage
	Usage    Usage
}

// Summary is a short account of a conversation for agents.
type Summary struct {
	Text  string
	Usage Usage
}

// Answer is the first-line assistant's answer to a customer's question.
type Answer struct {
	// Text is what the customer would read; empty when the assistant
	// cannot answer (Confidence is then low).
	Text     string
	Language string
	// Confidence in [0, 1]: how well the retrieved passages support the
	// answer. Below the team's FirstLine.MinConfidence it is not sent.
	Confidence float64
	// Sources are the passages the answer used, cited in the thread.
	Sources []knowledge.Passage
	Usage   Usage
}

// Classification is a label for a message with its confidence.
type Classification struct {
	Label      string
	Confidence float64
	// Decider says who decided: "llm" or "offline" (the naive Bayes
	// classifier, also the fallback when the provider fails).
	Decider string
	Usage   Usage
}

// Signals are what the assistant reads in one customer message.
type Signals struct {
	Language string // "" when unsure
	// Sentiment in [-1, 1]; Negative is the assistant's verdict that the
	// customer is upset enough to want a person.
	Sentiment float64
	Negative  bool
	Usage     Usage
}

// Usage is what one request cost at the provider.
type Usage struct {
	Provider         string // "openai", "anthropic", "offline"
	Model            string
	PromptTokens     int
	CompletionTokens int
	// Cost is in US dollars, from the configured prices (0 when unknown).
	Cost float64
}

// Assistant is what the bridge asks. Implementations are safe for
// concurrent use and called outside database transactions, by delivery
// jobs (never while a platform waits for an HTTP answer).
type Assistant interface {
	// Suggest drafts a reply an agent may send, in the customer's language.
	Suggest(ctx context.Context, req Request) (Draft, error)
	// Summarize summarises the conversation for agents, in AgentLanguage.
	Summarize(ctx context.Context, req Request) (Summary, error)
	// Answer answers req.Question from the team's knowledge base only.
	Answer(ctx context.Context, req Request) (Answer, error)
	// Classify picks one of labels for text ("" when none fits).
	Classify(ctx context.Context, text string, labels []string) (Classification, error)
	// Signals reads language and sentiment from a customer message.
	Signals(ctx context.Context, text string) (Signals, error)
}

// ErrUnavailable wraps a provider failure that outlived its retries (down,
// rate limited, timed out): the bridge tells agents and leaves customers
// to people.
var ErrUnavailable = errors.New("AI provider unavailable")

// ---------------------------------------------------------------------------
// Providers

// Message is one message of a chat completion.
type Message struct {
	Role    string // "system", "user", "assistant"
	Content string
}

// Completion is one chat completion request.
type Completion struct {
	Messages []Message
	// MaxTokens bounds the answer (the token budget per request).
	MaxTokens   int
	Temperature float64
	// JSON asks for a JSON object as the answer (response_format).
	JSON bool
}

// Model is a chat model behind an API (adapters/openai speaks the OpenAI
// API, which OpenAI, Azure OpenAI, Ollama, vLLM and llama.cpp serve).
// Implementations retry 429 and 5xx with backoff and time out; an error
// that outlived them wraps ErrUnavailable.
type Model interface {
	Complete(ctx context.Context, c Completion) (string, Usage, error)
}

// ---------------------------------------------------------------------------
// The first-line assistant

// Mode is when a team's first-line assistant answers customers.
type Mode string

const (
	ModeNever      Mode = "never" // the default: no AI text reaches a customer
	ModeAlways     Mode = "always"
	ModeOutOfHours Mode = "out_of_hours" // only while the team is closed (its hours)
)

// FirstLine is a team's first-line assistant settings.
type FirstLine struct {
	Mode Mode
	// MaxTurns is how many answers it gives in one conversation before it
	// hands over (default 3).
	MaxTurns int
	// MinConfidence is the least Answer.Confidence it sends; nil means the
	// default 0.5, and 0 sends every answer.
	MinConfidence *float64
	// HandOverWords make it hand over when the customer writes one (a
	// whole word, accents and case ignored); defaults cover en, es, pt
	// ("human", "agent", "humano", "agente", "atendente", "pessoa", …).
	HandOverWords []string
}

// On reports whether the assistant answers at all for this team.
func (f FirstLine) On() bool { return f.Mode == ModeAlways || f.Mode == ModeOutOfHours }

// HandOverReason is why the assistant gave a conversation to people.
// Stored and reported: never rename one.
type HandOverReason string

const (
	HandOverRequested     HandOverReason = "requested"      // the customer asked for a person
	HandOverTurns         HandOverReason = "max_turns"      // MaxTurns answers did not resolve it
	HandOverLowConfidence HandOverReason = "low_confidence" // the knowledge base had no good answer
	HandOverNegative      HandOverReason = "negative"       // the customer is upset
	HandOverAgent         HandOverReason = "agent"          // an agent wrote in the thread or took over
	HandOverUnavailable   HandOverReason = "unavailable"    // the provider failed
	HandOverUnsupported   HandOverReason = "unsupported"    // not text (a photo, a location…)
	HandOverHours         HandOverReason = "hours"          // out_of_hours mode and the team opened
	HandOverOff           HandOverReason = "off"            // the team's mode no longer lets the assistant answer
)
