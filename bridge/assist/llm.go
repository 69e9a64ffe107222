package assist

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/switchboard/switchboard/bridge/knowledge"
)

// LLMOptions configure the LLM assistant.
type LLMOptions struct {
	// Model answers the prompts (adapters/openai).
	Model Model
	// Retriever finds the knowledge base passages drafts and answers use.
	Retriever knowledge.Retriever
	// Fallback classifies and reads signals when the model fails (the
	// offline assistant); nil makes those fail too.
	Fallback Assistant
	// MaxTokens is each answer's budget (0: the model's own default).
	MaxTokens int
	// Passages is how many passages a prompt carries (default 4).
	Passages int
}

// Prompt budgets, in characters (about four to a token): a long
// conversation keeps its newest turns, a long passage its beginning, so a
// prompt stays near 3,000 tokens however long the conversation grew.
const (
	promptConversationChars = 6000
	promptPassageChars      = 1200
	defaultPassages         = 4
)

// LLM is the assistant over a chat model and the knowledge base. What it
// sends: the conversation's turns with phone numbers and e-mail addresses
// masked (Redact), the customer's first name for drafts, the knowledge
// base passages found for the question, and instructions; agents' notes
// only when summarising (a draft or an answer can reach the customer,
// notes must not). It is safe for concurrent use.
type LLM struct {
	o LLMOptions
}

var _ Assistant = (*LLM)(nil)

// NewLLM returns the LLM assistant.
func NewLLM(o LLMOptions) *LLM {
	if o.Passages <= 0 {
		o.Passages = defaultPassages
	}
	return &LLM{o: o}
}

// Suggest drafts a reply from the passages and the conversation.
func (a *LLM) Suggest(ctx context.Context, req Request) (Draft, error) {
	question := questionOf(req)
	passages := a.search(ctx, req.Team, question)
	system := "You draft replies for a customer-support agent, who reads the draft and may send it to the customer. " +
		"Write the reply in " + languageName(req.Language) + ", short, friendly and plain (no Markdown). " +
		"Use only facts from the numbered passages and the conversation; never invent prices, dates, policies or links. " +
		"When the passages do not cover the question, write a brief reply saying the agent will check, without an answer of your own. " +
		`Reply with a JSON object: {"answer": "the draft", "sources": [numbers of the passages you used]}.`
	user := promptPassages(passages) + promptConversation(req.Turns, false)
	if req.CustomerName != "" {
		user += "The customer's first name: " + oneLine(req.CustomerName) + "\n"
	}
	user += "Question: " + oneLine(Redact(question)) + "\n"
	text, usage, err := a.complete(ctx, system, user, true)
	d := Draft{Language: req.Language, Usage: usage}
	if err != nil {
		return d, err
	}
	out, err := parseObject(text)
	if err != nil {
		return d, fmt.Errorf("%w: a draft that is not JSON: %w", ErrUnavailable, err)
	}
	d.Text = strings.TrimSpace(out.str("answer", "reply", "text"))
	d.Sources = cited(passages, out.ints("sources"))
	return d, nil
}

// Summarize summarises the conversation, notes included, in AgentLanguage.
func (a *LLM) Summarize(ctx context.Context, req Request) (Summary, error) {
	system := "You summarise a customer-support conversation for the agents who take it over. " +
		"Write in " + languageName(req.AgentLanguage) + ", at most five short lines, plain text: " +
		"what the customer wants, what was answered or done, and what is still pending. " +
		"Lines starting with Note: are the agents' internal notes. Do not invent anything."
	text, usage, err := a.complete(ctx, system, promptConversation(req.Turns, true), false)
	s := Summary{Text: strings.TrimSpace(text), Usage: usage}
	if err != nil {
		return s, err
	}
	if s.Text == "" {
		return s, fmt.Errorf("%w: the model returned an empty summary", ErrUnavailable)
	}
	return s, nil
}

// Answer answers the question from the passages only. An answer that
// cites no retrieved passage is no answer: Text is emptied and Confidence
// is 0, so the first-line assistant hands over instead of guessing.
func (a *LLM) Answer(ctx context.Context, req Request) (Answer, error) {
	question := questionOf(req)
	ans := Answer{Language: req.Language}
	passages := a.search(ctx, req.Team, question)
	if len(passages) == 0 {
		return ans, nil // nothing to answer from: no need to ask the model
	}
	system := "You answer a customer's question for a business, only from the numbered passages of its knowledge base. " +
		"Write the answer in " + languageName(req.Language) + ", short and plain (no Markdown). " +
		"If the passages do not answer the question, return an empty answer with confidence 0: never guess, never use other knowledge. " +
		"Confidence is how fully the passages support your answer, from 0 to 1. " +
		`Reply with a JSON object: {"answer": "...", "confidence": 0.0, "sources": [numbers of the passages you used]}.`
	user := promptPassages(passages) + promptConversation(req.Turns, false) + "Question: " + oneLine(Redact(question)) + "\n"
	text, usage, err := a.complete(ctx, system, user, true)
	ans.Usage = usage
	if errors.Is(err, errRefusedByModel) {
		return ans, nil
	}
	if err != nil {
		return ans, err
	}
	out, err := parseObject(text)
	if err != nil {
		return ans, nil // an answer we cannot read is not sent; the assistant hands over
	}
	ans.Sources = cited(passages, out.ints("sources"))
	ans.Text = strings.TrimSpace(out.str("answer", "text"))
	ans.Confidence = clamp01(out.num("confidence"))
	if ans.Text == "" || len(ans.Sources) == 0 {
		ans.Text, ans.Confidence, ans.Sources = "", 0, nil
	}
	return ans, nil
}

// Classify asks the model for one of labels; the fallback decides when the
// model fails or answers something that is not one of them.
func (a *LLM) Classify(ctx context.Context, text string, labels []string) (Classification, error) {
	if len(labels) == 0 {
		return Classification{Decider: DeciderLLM}, nil
	}
	system := "You classify a customer's message for routing. Choose exactly one of the given labels, or \"\" when none fits. " +
		`Reply with a JSON object: {"label": "...", "confidence": 0.0}, confidence from 0 to 1.`
	user := "Labels: " + strings.Join(labels, ", ") + "\nMessage: " + oneLine(Redact(text)) + "\n"
	raw, usage, err := a.complete(ctx, system, user, true)
	if err == nil {
		if out, perr := parseObject(raw); perr == nil {
			label := out.str("label")
			for _, l := range labels {
				if strings.EqualFold(strings.TrimSpace(label), l) {
					return Classification{Label: l, Confidence: clamp01(out.num("confidence")), Decider: DeciderLLM, Usage: usage}, nil
				}
			}
			if label == "" {
				return Classification{Decider: DeciderLLM, Usage: usage}, nil
			}
		}
	}
	if a.o.Fallback == nil {
		return Classification{Usage: usage}, fmt.Errorf("classify: %w", orUnavailable(err))
	}
	c, ferr := a.o.Fallback.Classify(ctx, text, labels)
	c.Decider = DeciderOffline
	return c, ferr
}

// Signals asks the model for the message's language and sentiment; the
// fallback reads them when the model fails.
func (a *LLM) Signals(ctx context.Context, text string) (Signals, error) {
	system := "You read one customer message. Give its language as an ISO 639-1 code (\"\" when unsure), " +
		"its sentiment from -1 (angry, upset) to 1 (happy), and whether the customer is upset enough to want a person. " +
		`Reply with a JSON object: {"language": "es", "sentiment": 0.0, "negative": false}.`
	raw, usage, err := a.complete(ctx, system, "Message: "+oneLine(Redact(text))+"\n", true)
	if err == nil {
		if out, perr := parseObject(raw); perr == nil {
			s := Signals{Language: strings.ToLower(strings.TrimSpace(out.str("language"))), Usage: usage}
			s.Sentiment = max(-1, min(1, out.num("sentiment")))
			s.Negative = out.boolean("negative") || s.Sentiment <= negativeSentiment
			return s, nil
		}
	}
	if a.o.Fallback == nil {
		return Signals{Usage: usage}, fmt.Errorf("signals: %w", orUnavailable(err))
	}
	return a.o.Fallback.Signals(ctx, text)
}

// Deciders of a Classification.
const (
	DeciderLLM     = "llm"
	DeciderOffline = "offline"
)

// errRefusedByModel marks a completion the model declined.
var errRefusedByModel = errors.New("the model refused")

// complete runs one prompt. An error that does not already say the
// provider is unavailable is made to, so the bridge treats every model
// failure alike.
func (a *LLM) complete(ctx context.Context, system, user string, json bool) (string, Usage, error) {
	if a.o.Model == nil {
		return "", Usage{}, fmt.Errorf("%w: no model configured", ErrUnavailable)
	}
	text, usage, err := a.o.Model.Complete(ctx, Completion{
		Messages:    []Message{{Role: "system", Content: system}, {Role: "user", Content: user}},
		MaxTokens:   a.o.MaxTokens,
		Temperature: 0.2,
		JSON:        json,
	})
	if err != nil {
		if IsRefusal(err) {
			return "", usage, errRefusedByModel
		}
		return "", usage, orUnavailable(err)
	}
	return text, usage, nil
}

// IsRefusal reports whether err says the model declined to answer (a
// provider reports it by wrapping an error whose text or type says so;
// adapters/openai's ErrRefused implements Refusal).
func IsRefusal(err error) bool {
	var r interface{ Refusal() bool }
	return errors.As(err, &r) && r.Refusal()
}

func orUnavailable(err error) error {
	switch {
	case err == nil:
		return fmt.Errorf("%w: the model's answer could not be read", ErrUnavailable)
	case errors.Is(err, ErrUnavailable), errors.Is(err, context.Canceled):
		return err
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}

// search finds passages for a question; a knowledge base that fails leaves
// the prompt without them (a draft can still be written, an answer not).
func (a *LLM) search(ctx context.Context, team, question string) []knowledge.Passage {
	if a.o.Retriever == nil || strings.TrimSpace(question) == "" {
		return nil
	}
	ps, err := a.o.Retriever.Search(ctx, team, question, a.o.Passages)
	if err != nil {
		return nil
	}
	return ps
}

// questionOf is what a draft or an answer responds to: the request's
// question, or the newest customer turn.
func questionOf(req Request) string {
	if strings.TrimSpace(req.Question) != "" {
		return req.Question
	}
	for i := len(req.Turns) - 1; i >= 0; i-- {
		if req.Turns[i].Role == RoleCustomer {
			return req.Turns[i].Text
		}
	}
	return ""
}

// promptPassages numbers the passages as the model cites them.
func promptPassages(ps []knowledge.Passage) string {
	if len(ps) == 0 {
		return "Passages: none.\n\n"
	}
	var b strings.Builder
	b.WriteString("Passages:\n")
	for i, p := range ps {
		fmt.Fprintf(&b, "[%d] %s\n%s\n\n", i+1, oneLine(p.Citation()), passageText(p.Text))
	}
	return b.String()
}

// passageText is a passage as a prompt block: its beginning, without
// blank lines (a blank line ends the block).
func passageText(text string) string {
	if len(text) > promptPassageChars {
		text = cutAtWord(text, promptPassageChars)
	}
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, strings.TrimRight(l, " \t\r"))
		}
	}
	return strings.Join(lines, "\n")
}

// promptConversation writes the turns, redacted, one line each, keeping
// the newest that fit the budget. Notes are written only when withNotes.
func promptConversation(turns []Turn, withNotes bool) string {
	var lines []string
	size := 0
	for i := len(turns) - 1; i >= 0; i-- {
		t := turns[i]
		who := ""
		switch t.Role {
		case RoleCustomer:
			who = "Customer"
		case RoleAgent:
			who = "Agent"
		case RoleAssistant:
			who = "Assistant"
		case RoleNote:
			if !withNotes {
				continue
			}
			who = "Note"
		default:
			continue
		}
		line := who + ": " + oneLine(Redact(t.Text))
		if size+len(line) > promptConversationChars {
			if len(lines) > 0 {
				break
			}
			line = cutAtWord(line, promptConversationChars) // one huge message: its beginning
		}
		size += len(line) + 1
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return "Conversation: none.\n\n"
	}
	var b strings.Builder
	b.WriteString("Conversation (oldest first):\n")
	for i := len(lines) - 1; i >= 0; i-- {
		b.WriteString(lines[i])
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	return b.String()
}

// cited maps the model's 1-based source numbers to the passages retrieved;
// numbers it invented are dropped, repeats counted once.
func cited(ps []knowledge.Passage, nums []int) []knowledge.Passage {
	var out []knowledge.Passage
	seen := map[int]bool{}
	for _, n := range nums {
		if n < 1 || n > len(ps) || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, ps[n-1])
	}
	return out
}

// languageName is how a prompt names a language code.
func languageName(code string) string {
	switch strings.ToLower(code) {
	case "":
		return "the customer's language (the language of their last message)"
	case "en":
		return "English"
	case "es":
		return "Spanish"
	case "pt":
		return "Portuguese"
	}
	return "the language with ISO code " + code
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func cutAtWord(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	cut := strings.LastIndexAny(s[:limit], " \n")
	if cut <= limit/2 {
		cut = limit
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimSpace(s[:cut]) + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

func clamp01(f float64) float64 { return max(0, min(1, f)) }
