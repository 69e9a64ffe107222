package bridge

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/switchboard/switchboard/bridge/assist"
)

// AI series (issue 11), registered by NewMetrics with the others.
type assistMetrics struct {
	once      sync.Once
	requests  *prometheus.CounterVec
	tokens    *prometheus.CounterVec
	cost      *prometheus.CounterVec
	handOvers *prometheus.CounterVec
	resolved  *prometheus.CounterVec
}

func (m *Metrics) assist() *assistMetrics {
	a := &m.ai
	a.once.Do(func() {
		a.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchboard_ai_requests_total",
			Help: "AI requests by task (suggest, summary, answer, classify, signals, embed) and result (ok, failed, fallback).",
		}, []string{"task", "result"})
		a.tokens = prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchboard_ai_tokens_total",
			Help: "Tokens spent at the AI provider, by provider, model and kind (prompt, completion).",
		}, []string{"provider", "model", "kind"})
		a.cost = prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchboard_ai_cost_usd_total",
			Help: "What AI requests cost in US dollars, from the configured prices, by provider and model.",
		}, []string{"provider", "model"})
		a.handOvers = prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchboard_assistant_handovers_total",
			Help: "Conversations the first-line assistant handed over to people, by team and reason.",
		}, []string{"team", "reason"})
		a.resolved = prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchboard_assistant_resolved_total",
			Help: "Conversations resolved while the first-line assistant held them, by team.",
		}, []string{"team"})
		if m.reg != nil {
			m.reg.MustRegister(a.requests, a.tokens, a.cost, a.handOvers, a.resolved)
		}
	})
	return a
}

// AssistRequest counts one AI request and what it spent.
func (m *Metrics) AssistRequest(task, result string, u assist.Usage) {
	if m == nil {
		return
	}
	a := m.assist()
	a.requests.WithLabelValues(task, result).Inc()
	if u.Provider == "" {
		return
	}
	if u.PromptTokens > 0 {
		a.tokens.WithLabelValues(u.Provider, u.Model, "prompt").Add(float64(u.PromptTokens))
	}
	if u.CompletionTokens > 0 {
		a.tokens.WithLabelValues(u.Provider, u.Model, "completion").Add(float64(u.CompletionTokens))
	}
	if u.Cost > 0 {
		a.cost.WithLabelValues(u.Provider, u.Model).Add(u.Cost)
	}
}

// HandOver counts a conversation the first-line assistant gave to people.
func (m *Metrics) HandOver(team string, reason assist.HandOverReason) {
	if m == nil {
		return
	}
	m.assist().handOvers.WithLabelValues(team, string(reason)).Inc()
}

// AssistantResolved counts a conversation resolved while the assistant held it.
func (m *Metrics) AssistantResolved(team string) {
	if m == nil {
		return
	}
	m.assist().resolved.WithLabelValues(team).Inc()
}
