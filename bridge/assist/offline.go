package assist

import (
	"context"
	"fmt"
	"strings"

	"github.com/switchboard/switchboard/bridge/knowledge"
)

// OfflineOptions configure the offline assistant.
type OfflineOptions struct {
	// Retriever finds knowledge base passages (BM25, or hybrid).
	Retriever knowledge.Retriever
	// Classify labels text with the offline classifier (the app passes
	// the routing rules' naive Bayes) and says how sure it is; a label
	// outside labels counts as none. Nil: Classify finds no label.
	Classify func(text string, labels []string) (label string, confidence float64)
	// DetectLanguage guesses a text's language ("en", "es", "pt"; "" when
	// unsure). Nil: Signals finds no language and drafts take the best
	// passage whatever its language.
	DetectLanguage func(text string) string
	// Text renders catalogue texts (bridge.Text) for summaries: they are
	// read by agents, in their language.
	Text func(lang, key string, args ...any) string
	// Passages is how many passages a search returns (default 4).
	Passages int
}

// Offline is the assistant without a model: no key, no network. Drafts
// and answers are sentences of the knowledge base passages that best
// match the question; summaries are sentences of the conversation;
// classification is the routing classifier; sentiment is a small en/es/pt
// lexicon. It is safe for concurrent use.
type Offline struct {
	o OfflineOptions
}

var _ Assistant = (*Offline)(nil)

// OfflineProvider names the offline assistant in Usage and metrics.
const OfflineProvider = "offline"

// Extraction sizes, in characters.
const (
	draftChars   = 500
	summaryQuote = 160
)

// NewOffline returns the offline assistant.
func NewOffline(o OfflineOptions) *Offline {
	if o.Passages <= 0 {
		o.Passages = defaultPassages
	}
	if o.Text == nil {
		o.Text = func(lang, key string, args ...any) string { return fmt.Sprint(args...) }
	}
	return &Offline{o: o}
}

func offlineUsage() Usage { return Usage{Provider: OfflineProvider, Model: OfflineProvider} }

// Suggest drafts a reply from the best passage (in the customer's language
// when one about as good exists); an empty Text means the knowledge base
// has nothing on the question.
func (a *Offline) Suggest(ctx context.Context, req Request) (Draft, error) {
	question := questionOf(req)
	d := Draft{Language: req.Language, Usage: offlineUsage()}
	ps, err := a.search(ctx, req.Team, question)
	if err != nil || len(ps) == 0 {
		return d, err
	}
	p := a.pick(ps, req.Language)
	d.Text = extract(p.Text, question, draftChars)
	if d.Text == "" {
		return d, nil
	}
	d.Sources = []knowledge.Passage{p}
	if a.o.DetectLanguage != nil {
		if lang := a.o.DetectLanguage(p.Text); lang != "" {
			d.Language = lang
		}
	}
	return d, nil
}

// Answer answers from the best passage. Confidence is mostly the
// passage's Coverage of the question's terms, and partly the margin by
// which it beat the runner-up (two passages that rank alike mean the
// knowledge base is unsure which applies):
//
//	confidence = 0.75·coverage + 0.25·margin, margin = (s₁ − s₂) / s₁
//
// so a passage with every term and a clear lead scores 1, one with half
// the terms at most 0.625, and one with a third of them stays under the
// default threshold of 0.5 whatever its lead.
func (a *Offline) Answer(ctx context.Context, req Request) (Answer, error) {
	question := questionOf(req)
	ans := Answer{Language: req.Language, Usage: offlineUsage()}
	ps, err := a.search(ctx, req.Team, question)
	if err != nil || len(ps) == 0 {
		return ans, err
	}
	p := a.pick(ps, req.Language)
	text := extract(p.Text, question, draftChars)
	if text == "" {
		return ans, nil
	}
	margin := 1.0
	if len(ps) > 1 && ps[0].Score > 0 {
		margin = clamp01((ps[0].Score - ps[1].Score) / ps[0].Score)
	}
	ans.Text = text
	ans.Confidence = clamp01(0.75*p.Coverage + 0.25*margin)
	ans.Sources = []knowledge.Passage{p}
	if a.o.DetectLanguage != nil {
		if lang := a.o.DetectLanguage(p.Text); lang != "" {
			ans.Language = lang
		}
	}
	return ans, nil
}

// Summarize says, from the turns, who wants what (the customer's first
// message), what was answered (the last reply of an agent or the
// assistant) and what is pending (the customer's messages after it).
func (a *Offline) Summarize(ctx context.Context, req Request) (Summary, error) {
	lang := req.AgentLanguage
	var asked, answered string
	var pending []string
	customer, replies := 0, 0
	for _, t := range req.Turns {
		text := strings.TrimSpace(t.Text)
		if text == "" {
			continue
		}
		switch t.Role {
		case RoleCustomer:
			customer++
			if asked == "" || len(words(asked)) < 3 && len(pending) == 0 && replies == 0 {
				// A bare "hola" is no request: the next message says what
				// the customer wants.
				asked = text
			}
			pending = append(pending, text)
		case RoleAgent, RoleAssistant:
			replies++
			answered = text
			pending = nil
		}
	}
	var lines []string
	if asked != "" {
		if req.CustomerName != "" {
			lines = append(lines, a.o.Text(lang, "assist.offline.asked_by", req.CustomerName, quote(asked)))
		} else {
			lines = append(lines, a.o.Text(lang, "assist.offline.asked", quote(asked)))
		}
	}
	if answered != "" {
		lines = append(lines, a.o.Text(lang, "assist.offline.answered", quote(answered)))
	}
	switch {
	case len(pending) > 0 && replies > 0:
		lines = append(lines, a.o.Text(lang, "assist.offline.pending", quote(pending[len(pending)-1])))
	case len(pending) > 0:
		lines = append(lines, a.o.Text(lang, "assist.offline.unanswered"))
	case replies > 0:
		lines = append(lines, a.o.Text(lang, "assist.offline.nothing_pending"))
	}
	if customer+replies > 0 {
		lines = append(lines, a.o.Text(lang, "assist.offline.counts", customer, replies))
	}
	return Summary{Text: strings.Join(lines, "\n"), Usage: offlineUsage()}, nil
}

// Classify runs the injected classifier.
func (a *Offline) Classify(ctx context.Context, text string, labels []string) (Classification, error) {
	c := Classification{Decider: DeciderOffline, Usage: offlineUsage()}
	if a.o.Classify == nil {
		return c, nil
	}
	label, conf := a.o.Classify(text, labels)
	for _, l := range labels {
		if l == label {
			c.Label, c.Confidence = l, clamp01(conf)
		}
	}
	return c, nil
}

// Signals reads the language with the injected detector and the sentiment
// with the lexicon (sentiment.go).
func (a *Offline) Signals(ctx context.Context, text string) (Signals, error) {
	s := Signals{Usage: offlineUsage()}
	if a.o.DetectLanguage != nil {
		s.Language = a.o.DetectLanguage(text)
	}
	s.Sentiment = Sentiment(text)
	s.Negative = s.Sentiment <= negativeSentiment
	return s, nil
}

func (a *Offline) search(ctx context.Context, team, question string) ([]knowledge.Passage, error) {
	if a.o.Retriever == nil || strings.TrimSpace(question) == "" {
		return nil, nil
	}
	ps, err := a.o.Retriever.Search(ctx, team, question, a.o.Passages)
	if err != nil {
		return nil, fmt.Errorf("search the knowledge base: %w", err)
	}
	return ps, nil
}

// pick is the passage to answer from: the best one, unless a passage in
// the customer's language covers the question nearly as well (a
// translated page of the same topic).
func (a *Offline) pick(ps []knowledge.Passage, lang string) knowledge.Passage {
	best := ps[0]
	if lang == "" || a.o.DetectLanguage == nil || a.o.DetectLanguage(best.Text) == lang {
		return best
	}
	for _, p := range ps[1:] {
		if p.Coverage >= 0.8*best.Coverage && a.o.DetectLanguage(p.Text) == lang {
			return p
		}
	}
	return best
}

// extract is the passage's sentence that shares most terms with the
// question, with the sentences after it while they fit in limit
// characters (an answer's explanation tends to follow it). Without a
// shared term it is the passage's opening.
func extract(text, question string, limit int) string {
	ss := sentences(text)
	if len(ss) == 0 {
		return ""
	}
	q := terms(question)
	best, bestScore := 0, 0.0
	for i, s := range ss {
		score := 0.0
		for t := range terms(s) {
			if q[t] {
				score++
			}
		}
		// Prefer earlier sentences on a tie, short ones slightly less.
		score -= float64(i) * 0.01
		if score > bestScore+1e-9 || i == 0 && bestScore == 0 {
			best, bestScore = i, score
		}
	}
	if bestScore < 0.5 {
		best = 0
	}
	out := ss[best]
	if len(out) > limit {
		return cutAtWord(out, limit)
	}
	for _, s := range ss[best+1:] {
		if len(out)+1+len(s) > limit {
			break
		}
		out += " " + s
	}
	return out
}

// quote is a turn as a summary quotes it: one line, at most summaryQuote
// characters.
func quote(text string) string { return cutAtWord(oneLine(text), summaryQuote) }

