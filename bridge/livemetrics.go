package bridge

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// TeamBacklog is a team's open conversations at one instant.
type TeamBacklog struct {
	Open       int // not resolved
	Unassigned int // open and held by nobody
}

// BacklogCollector reports each team's backlog at scrape time as
// switchboard_backlog_conversations{team, state="open"|"unassigned"}. It
// asks load (storage) on every scrape, so the figure is the database's,
// the same on every replica.
type BacklogCollector struct {
	teams []string
	load  func(ctx context.Context) (map[string]TeamBacklog, error)
	desc  *prometheus.Desc
}

var _ prometheus.Collector = (*BacklogCollector)(nil)

// NewBacklogCollector reports the given teams (zero when they have
// nothing open) from load.
func NewBacklogCollector(teams []string, load func(ctx context.Context) (map[string]TeamBacklog, error)) *BacklogCollector {
	return &BacklogCollector{teams: teams, load: load, desc: prometheus.NewDesc("switchboard_backlog_conversations",
		"Conversations not resolved (state=open) and, of those, held by nobody (state=unassigned), by team.",
		[]string{"team", "state"}, nil)}
}

// Describe implements prometheus.Collector.
func (c *BacklogCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

// Collect implements prometheus.Collector. When the database does not
// answer the series are left out of the scrape (absent, not zero).
func (c *BacklogCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.load(ctx)
	if err != nil {
		return // an invalid metric would fail the whole scrape
	}
	for _, t := range c.teams {
		n := counts[t]
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n.Open), t, "open")
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n.Unassigned), t, "unassigned")
	}
}
