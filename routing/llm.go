package routing

import (
	"fmt"
	"sort"
)

// Who gave an LLMResult. Stored in the routed event's data: never rename one.
const (
	// DeciderLLM: the assistant's provider classified the message.
	DeciderLLM = "llm"
	// DeciderOffline: the provider failed, timed out or is not configured,
	// and the offline (naive Bayes) classifier stood in for it.
	DeciderOffline = "offline"
)

// LLMResult is the LLM classifier's answer for one message, given to
// routing in Input.LLM. The routing package never calls a provider: the
// bridge asks the assistant (outside any transaction) and routes again
// with its answer.
type LLMResult struct {
	// Label is one of the labels asked for (Route.LLMLabels); "" when none
	// fits.
	Label string
	// Confidence in [0, 1].
	Confidence float64
	// Decider is DeciderLLM, or DeciderOffline when the assistant itself
	// fell back to the offline classifier.
	Decider string
}

// String is how explanations show the answer: "llm: billing 0.91" or
// "llm unavailable → offline classifier: billing 0.72".
func (r LLMResult) String() string {
	label := r.Label
	if label == "" {
		label = "no label"
	}
	return fmt.Sprintf("%s: %s %.2f", r.describe(), label, r.Confidence)
}

// describe names who answered, for reasons.
func (r LLMResult) describe() string {
	if r.Decider == DeciderOffline {
		return "llm unavailable → offline classifier"
	}
	return "llm"
}

// LLMLabels are the labels the llm matchers of the tree rooted at r ask
// for, sorted and without repeats: what the LLM chooses from. None means
// the tree does not use the LLM classifier, and a new conversation need
// not wait for it.
func (r *Route) LLMLabels() []string {
	seen := map[string]bool{}
	var walk func(*Route)
	walk = func(r *Route) {
		if r == nil {
			return
		}
		if lm := r.Match.LLM; lm != nil && lm.Label != "" {
			seen[lm.Label] = true
		}
		for _, c := range r.Routes {
			walk(c)
		}
	}
	walk(r)
	labels := make([]string, 0, len(seen))
	for l := range seen {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	return labels
}

// UsesLLM reports whether any route of the tree matches on the LLM
// classifier.
func (r *Route) UsesLLM() bool { return len(r.LLMLabels()) > 0 }

// LLMLabels are the labels the router's llm matchers ask for.
func (rt *Router) LLMLabels() []string { return rt.Root.LLMLabels() }
