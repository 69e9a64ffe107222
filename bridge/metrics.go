package bridge

import (
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
	reg.MustRegister(m.webhooks, m.deliveries, m.deliveryLatency)
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
