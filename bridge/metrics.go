package bridge

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the Prometheus series every part of switchboard reports to.
// A nil *Metrics is valid and records nothing, so tests and tools need no
// registry.
type Metrics struct {
	webhooks        *prometheus.CounterVec
	deliveries      *prometheus.CounterVec
	deliveryLatency *prometheus.HistogramVec
	queueDepth      prometheus.GaugeFunc
	firstResponse   *prometheus.HistogramVec
	slaBreaches     *prometheus.CounterVec
	csatAnswers     *prometheus.CounterVec
	// reg registers series made on first use (metrics_assist.go).
	reg  prometheus.Registerer
	ai   assistMetrics
	crmm crmMetrics // metrics_crm.go
}

// Webhook results reported by adapters.
const (
	ResultAccepted     = "accepted"
	ResultDuplicate    = "duplicate"
	ResultIgnored      = "ignored"
	ResultUnauthorized = "unauthorized"
	ResultBadRequest   = "bad_request"
	ResultTooLarge     = "too_large"
	ResultError        = "error"
)

// NewMetrics registers switchboard's series on reg. queueDepth, when not
// nil, is called at scrape time to report the number of waiting jobs.
func NewMetrics(reg prometheus.Registerer, queueDepth func() float64) *Metrics {
	m := &Metrics{
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchboard_webhooks_received_total",
			Help: "Inbound webhook requests by platform and result.",
		}, []string{"platform", "result"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchboard_deliveries_total",
			Help: "Outbound delivery attempts by platform and result (sent, retry, failed).",
		}, []string{"platform", "result"}),
		deliveryLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "switchboard_delivery_latency_seconds",
			Help:    "Time from the fact being stored to its delivery on the platform.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300},
		}, []string{"platform"}),
	}
	m.firstResponse = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "switchboard_first_response_seconds",
		Help:    "Wall-clock time from a conversation's opening to its first agent reply, by team and customer channel.",
		Buckets: []float64{15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400},
	}, []string{"team", "channel"})
	m.slaBreaches = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "switchboard_sla_breaches_total",
		Help: "SLA breaches announced, by team, clock (first_response, next_response, resolution) and customer channel.",
	}, []string{"team", "clock", "channel"})
	m.csatAnswers = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "switchboard_csat_answers_total",
		Help: "Satisfaction survey answers, by team, score (1 bad, 2 okay, 3 good) and customer channel.",
	}, []string{"team", "score", "channel"})
	m.reg = reg
	reg.MustRegister(m.webhooks, m.deliveries, m.deliveryLatency, m.firstResponse, m.slaBreaches, m.csatAnswers)
	m.crm()    // metrics_crm.go
	m.assist() // registered now, so /metrics shows them from the start
	if queueDepth != nil {
		m.queueDepth = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "switchboard_queue_depth",
			Help: "Outbound deliveries waiting to be sent.",
		}, queueDepth)
		reg.MustRegister(m.queueDepth)
	}
	return m
}

// Webhook counts one inbound request.
func (m *Metrics) Webhook(platform, result string) {
	if m == nil {
		return
	}
	m.webhooks.WithLabelValues(platform, result).Inc()
}

// Delivery counts one outbound attempt and, when it succeeded, its latency
// since the fact was stored.
func (m *Metrics) Delivery(platform, result string, since time.Duration) {
	if m == nil {
		return
	}
	m.deliveries.WithLabelValues(platform, result).Inc()
	if result == "sent" && since > 0 {
		m.deliveryLatency.WithLabelValues(platform).Observe(since.Seconds())
	}
}

// FirstResponse records a conversation's first agent reply; channel is
// the conversation's customer channel.
func (m *Metrics) FirstResponse(team string, channel Channel, d time.Duration) {
	if m == nil || d < 0 {
		return
	}
	m.firstResponse.WithLabelValues(team, string(channel.OrWhatsApp())).Observe(d.Seconds())
}

// SLABreach counts one announced breach.
func (m *Metrics) SLABreach(team, clock string, channel Channel) {
	if m == nil {
		return
	}
	m.slaBreaches.WithLabelValues(team, clock, string(channel.OrWhatsApp())).Inc()
}

// CSATAnswer counts one survey answer.
func (m *Metrics) CSATAnswer(team string, score int, channel Channel) {
	if m == nil {
		return
	}
	m.csatAnswers.WithLabelValues(team, strconv.Itoa(score), string(channel.OrWhatsApp())).Inc()
}
