package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Row is one exported figure: Scope is "all", "channel:<channel>" or
// "agent:<id>", Metric a
// stable snake_case name (durations in seconds, rates as fractions).
type Row struct {
	Scope  string  `json:"scope"`
	Metric string  `json:"metric"`
	Value  float64 `json:"value"`
}

// Rows flattens the metrics for export; CSV and JSON write the same rows.
// Figures without data (a median of no samples, an unmeasured SLA) are left
// out rather than written as zero.
func (m Metrics) Rows() []Row {
	var out []Row
	add := func(scope, name string, v float64) { out = append(out, Row{scope, name, v}) }
	clock := func(scope, name string, c Clock) {
		add(scope, name+"_count", float64(c.Wall.Count))
		if c.Wall.Count > 0 {
			add(scope, name+"_median_seconds", c.Wall.Median.Seconds())
			add(scope, name+"_p90_seconds", c.Wall.P90.Seconds())
		}
		if c.Business.Count > 0 {
			add(scope, name+"_business_median_seconds", c.Business.Median.Seconds())
			add(scope, name+"_business_p90_seconds", c.Business.P90.Seconds())
		}
	}
	csat := func(scope string, c CSATStats) {
		add(scope, "csat_sent", float64(c.Sent))
		add(scope, "csat_answered", float64(c.Answered))
		if c.Sent > 0 {
			add(scope, "csat_response_rate", c.ResponseRate())
		}
		if c.Answered > 0 {
			add(scope, "csat_average", c.Average)
		}
	}
	const all = "all"
	c := m.Counts
	add(all, "received", float64(c.Received))
	add(all, "started", float64(c.Started))
	add(all, "assigned", float64(c.Assigned))
	add(all, "resolved", float64(c.Resolved))
	add(all, "reopened", float64(c.Reopened))
	add(all, "transferred_in", float64(c.TransferredIn))
	add(all, "transferred_out", float64(c.TransferredOut))
	add(all, "replies", float64(c.Replies))
	clock(all, "first_response", m.FirstResponse)
	clock(all, "reply_time", m.ReplyTime)
	clock(all, "resolution", m.Resolution)
	add(all, "backlog_open", float64(m.Backlog.Open))
	add(all, "backlog_unassigned", float64(m.Backlog.Unassigned))
	add(all, "backlog_waiting", float64(m.Backlog.Waiting))
	add(all, "backlog_oldest_waiting_seconds", m.Backlog.OldestWaiting.Seconds())
	add(all, "backlog_breaching", float64(m.Backlog.Breaching))
	csat(all, m.CSAT)
	for _, s := range []struct {
		name string
		a    Attainment
	}{{"sla_first_response", m.SLA.FirstResponse}, {"sla_next_response", m.SLA.NextResponse}, {"sla_resolution", m.SLA.Resolution}} {
		if rate, ok := s.a.Rate(); ok {
			add(all, s.name+"_attainment", rate)
		}
	}
	m.Cost.costRows(add)
	for _, r := range m.Channels {
		scope := "channel:" + r.Channel
		add(scope, "received", float64(r.Received))
		add(scope, "started", float64(r.Started))
		add(scope, "replies", float64(r.Replies))
		add(scope, "resolved", float64(r.Resolved))
		add(scope, "backlog_open", float64(r.Open))
	}
	for _, a := range m.Agents {
		scope := "agent:" + a.Agent
		add(scope, "assigned", float64(a.Assigned))
		add(scope, "replies", float64(a.Replies))
		add(scope, "resolved", float64(a.Resolved))
		add(scope, "transferred_in", float64(a.TransferredIn))
		add(scope, "transferred_out", float64(a.TransferredOut))
		add(scope, "backlog_open", float64(a.Open))
		clock(scope, "first_response", a.FirstResponse)
		clock(scope, "reply_time", a.ReplyTime)
		clock(scope, "resolution", a.Resolution)
		csat(scope, a.CSAT)
	}
	return out
}

// WriteCSV writes the rows as CSV with a header: from,to,team,scope,metric,value
// (period bounds in RFC 3339 with the period's offset).
func (m Metrics) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	from, to := m.Period.From.Format(time.RFC3339), m.Period.To.Format(time.RFC3339)
	if err := cw.Write([]string{"from", "to", "team", "scope", "metric", "value"}); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for _, r := range m.Rows() {
		if err := cw.Write([]string{from, to, m.Filter.Team, r.Scope, r.Metric, strconv.FormatFloat(r.Value, 'f', -1, 64)}); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// Export is the JSON document of one report.
type Export struct {
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Team    string    `json:"team,omitempty"`
	Agent   string    `json:"agent,omitempty"`
	Inbox   string    `json:"inbox,omitempty"`
	Channel string    `json:"channel,omitempty"`
	Label   string    `json:"label,omitempty"`
	Rows    []Row     `json:"rows"`
}

// WriteJSON writes the report as one indented Export document.
func (m Metrics) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(Export{From: m.Period.From, To: m.Period.To, Team: m.Filter.Team, Agent: m.Filter.Agent,
		Inbox: m.Filter.Inbox, Channel: m.Filter.Channel, Label: m.Filter.Label, Rows: m.Rows()}); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
