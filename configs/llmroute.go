package configs

import (
	"fmt"
	"strings"
	"time"

	"github.com/switchboard/switchboard/routing"
)

// Routing by the LLM classifier (docs/ai.md): routes that match on
// {llm: {label, min_confidence}} ask the assistant's provider for a label;
// the offline classifier (the classifier section) stands in for it when
// the provider is offline or fails.

// defaultClassifyWait is assistant.classify_wait when unset (the bridge's
// default too).
const defaultClassifyWait = 5 * time.Second

// usesLLMRouting reports whether any route matches on the LLM classifier.
func (c *Config) usesLLMRouting() bool { return c.Routing != nil && c.Routing.UsesLLM() }

// llmProvider is the provider that classifies for llm rules; "offline"
// when none is configured.
func (c *Config) llmProvider() string {
	if p := c.Assistant.Provider; p != "" {
		return p
	}
	return "offline"
}

// validateLLMRouting refuses llm rules that could never match (no provider
// and no offline classifier). An llm rule with the provider offline is
// allowed: the offline classifier decides it, and check-config says so.
func (c *Config) validateLLMRouting(d *decoder) {
	if c.Assistant.ClassifyWait < 0 {
		d.fail(d.lineOf("assistant.classify_wait"), "assistant.classify_wait", "%s must not be negative; remove it for the default 5s", c.Assistant.ClassifyWait)
	}
	if !c.usesLLMRouting() || c.llmProvider() != "offline" || c.Classifier != nil {
		return
	}
	c.eachLLMRoute(c.Routing, "routing", func(r *routing.Route, path string) {
		p := path + ".match.llm"
		d.fail(d.lineOf(p), p, "route %q can never match: assistant.provider is offline and there is no classifier section to stand in for the LLM; set assistant.provider: openai (also for Ollama, vLLM), or add classifier.examples for %q", r.ID, r.Match.LLM.Label)
	})
}

// eachLLMRoute calls fn for every route with an llm matcher.
func (c *Config) eachLLMRoute(r *routing.Route, path string, fn func(r *routing.Route, path string)) {
	if r == nil {
		return
	}
	if r.Match.LLM != nil {
		fn(r, path)
	}
	for i, child := range r.Routes {
		c.eachLLMRoute(child, fmt.Sprintf("%s.routes[%d]", path, i), fn)
	}
}

// llmRoutingSummary is check-config's line about llm rules ("" when there
// are none): which labels the LLM chooses from and who decides.
func (c *Config) llmRoutingSummary() string {
	if !c.usesLLMRouting() {
		return ""
	}
	labels := strings.Join(c.Routing.LLMLabels(), ", ")
	if c.llmProvider() == "offline" {
		return fmt.Sprintf("llm routing: rules ask for %s; assistant.provider is offline, so the offline classifier decides them (set assistant.provider for an LLM)", labels)
	}
	fallback := "the offline classifier decides when the provider fails"
	if c.Classifier == nil {
		fallback = "when the provider fails llm rules do not match (no classifier section to stand in)"
	}
	wait := c.Assistant.ClassifyWait.D()
	if wait <= 0 {
		wait = defaultClassifyWait
	}
	return fmt.Sprintf("llm routing: rules ask %s for %s; a new conversation's thread waits at most %s (assistant.classify_wait); %s",
		c.llmProvider(), labels, wait, fallback)
}
