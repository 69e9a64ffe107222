package report

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge"
)

// TeamSettings are what a team's figures depend on: its time zone (days,
// hours and periods are counted there), business hours (nil: none) and
// SLA targets.
type TeamSettings struct {
	Location *time.Location
	Hours    BusinessHours
	Targets  Targets
}

// Service answers report queries: it resolves the period in the team's
// time zone, loads the facts and computes the metrics. It implements
// bridge.Reporter (the /switchboard metrics command and digests) and
// serves `switchboard report` through Metrics. Its only I/O is Source.
type Service struct {
	Source Source
	Teams  map[string]TeamSettings
	// Location counts reports over every team (nil: UTC).
	Location *time.Location
	// Rates price the billable messages of the cost section (the
	// config's pricing); without a currency only counts are shown.
	Rates Rates
}

var _ bridge.Reporter = (*Service)(nil)

func (s *Service) settings(team string) TeamSettings {
	t := s.Teams[team]
	if team == "" {
		t = TeamSettings{Location: s.Location}
	}
	if t.Location == nil {
		t.Location = time.UTC
	}
	return t
}

// Metrics computes the figures q asks for. A period it cannot read is an
// error wrapping bridge.ErrBadPeriod.
func (s *Service) Metrics(ctx context.Context, q bridge.ReportQuery) (Metrics, error) {
	set := s.settings(q.Team)
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	p, err := ResolvePeriod(q.Period, q.From, q.To, now, set.Location)
	if err != nil {
		return Metrics{}, err
	}
	m, err := s.Source.Metrics(ctx, p, Filter{Team: q.Team, Agent: q.Agent, Inbox: q.Inbox, Channel: q.Channel, Label: q.Label, ByAgent: q.ByAgent},
		Options{Hours: set.Hours, Targets: set.Targets}, now)
	if err != nil {
		return Metrics{}, fmt.Errorf("report metrics: %w", err)
	}
	// Costs belong to teams, not to agents; Meta prices WhatsApp only, and
	// priced messages are not kept per person, so a label filter leaves
	// them out rather than show the whole team's.
	if cs, ok := s.Source.(CostSource); ok && q.Agent == "" && q.Label == "" && (q.Channel == "" || q.Channel == string(bridge.ChannelWhatsApp)) {
		counts, err := cs.Costs(ctx, p, Filter{Team: q.Team, Inbox: q.Inbox})
		if err != nil {
			return Metrics{}, fmt.Errorf("report costs: %w", err)
		}
		m.Cost = ComputeCost(counts, s.Rates)
	}
	return m, nil
}

// Report implements bridge.Reporter: the table in q.Lang and, when asked,
// the chart.
func (s *Service) Report(ctx context.Context, q bridge.ReportQuery) (bridge.Report, error) {
	m, err := s.Metrics(ctx, q)
	if err != nil {
		return bridge.Report{}, err
	}
	out := bridge.Report{Table: m.Table(q.Lang), From: m.Period.From, To: m.Period.To}
	if q.Chart {
		if out.Chart, err = Chart(m, q.Lang); err != nil {
			return bridge.Report{}, err
		}
	}
	return out, nil
}

// ResolvePeriod turns a period name ("today", "yesterday", "7d", "30d";
// "" is today) or explicit bounds into a Period in loc, counted at now.
// Bounds are local dates "YYYY-MM-DD" (to included: the period ends at
// the midnight after it) or RFC 3339 instants (to excluded); when from is
// set, to must be too and name is ignored.
func ResolvePeriod(name, from, to string, now time.Time, loc *time.Location) (Period, error) {
	if from != "" || to != "" {
		f, err := parseBound(from, loc, false)
		if err != nil {
			return Period{}, err
		}
		t, err := parseBound(to, loc, true)
		if err != nil {
			return Period{}, err
		}
		if !t.After(f) {
			return Period{}, fmt.Errorf("%w: %s is not before %s", bridge.ErrBadPeriod, from, to)
		}
		return Period{From: f, To: t}, nil
	}
	switch strings.ToLower(name) {
	case "", "today":
		return Today(now, loc), nil
	case "yesterday":
		return Yesterday(now, loc), nil
	case "7d":
		return LastDays(now, loc, 7), nil
	case "30d":
		return LastDays(now, loc, 30), nil
	}
	return Period{}, fmt.Errorf("%w: %q is not today, yesterday, 7d or 30d", bridge.ErrBadPeriod, name)
}

func parseBound(s string, loc *time.Location, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("%w: give both --from and --to", bridge.ErrBadPeriod)
	}
	if d, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		if end {
			return midnight(d, loc, 1), nil
		}
		return d, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q is neither a date YYYY-MM-DD nor an RFC 3339 time", bridge.ErrBadPeriod, s)
	}
	return t.In(loc), nil
}
