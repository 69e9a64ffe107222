package bridge

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// crmMetrics count the CRM webhook's requests (crm.go), registered by
// NewMetrics with the others.
type crmMetrics struct {
	once     sync.Once
	requests *prometheus.CounterVec
}

func (m *Metrics) crm() *crmMetrics {
	c := &m.crmm
	c.once.Do(func() {
		c.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchboard_crm_webhook_total",
			Help: "CRM webhook requests by result (delivered, retry, rate_limited, rejected, error).",
		}, []string{"result"})
		if m.reg != nil {
			m.reg.MustRegister(c.requests)
		}
	})
	return c
}

// CRMWebhook counts one CRM webhook request by its result.
func (m *Metrics) CRMWebhook(result string) {
	if m == nil {
		return
	}
	m.crm().requests.WithLabelValues(result).Inc()
}
