package report

import (
	"context"
	"time"
)

// Summary is a period's observations as a database summarises them for one
// filter (storage's report summary): counts grouped rather than listed,
// every clock sample, conversations opened per quarter hour, surveys per
// agent and the backlog now. Assemble turns it into the Metrics Compute
// would give for the same log.
type Summary struct {
	Tallies []Tally
	Clocks  []Sample
	// Opened counts the conversations opened per quarter hour (its
	// start): every time zone's offset is a multiple of 15 minutes, so a
	// quarter falls in one local hour.
	Opened map[time.Time]int
	CSAT   map[string]CSATTally // by agent
	Open   []OpenConversation
	// Channels counts the period's opened, started, reply and resolved
	// observations per customer channel (Tally.Kind and N; Agent empty).
	Channels map[string][]Tally
	Now      time.Time
}

// Tally is N count observations sharing a kind, an agent and, for
// transfers, their same-team and same-agent flags.
type Tally struct {
	Kind                ObservationKind
	Agent               string
	SameTeam, SameAgent bool
	N                   int
}

// Sample is a clock observation of the period (its team and inbox are the
// filter's).
type Sample struct {
	Kind     ObservationKind
	Agent    string
	At       time.Time
	Wall     time.Duration
	Business time.Duration
}

// Quarter is the length of the buckets of Summary.Opened.
const Quarter = 15 * time.Minute

// Assemble computes the metrics of period p for filter f from a summary
// already restricted to p and f (team, inbox and agent).
func Assemble(s Summary, p Period, f Filter, opts Options) Metrics {
	sc := newScopes(p, f, opts)
	// The summary is filtered already; the scopes still apply the
	// per-level rules (a transfer within the team is not counted for it).
	in := func(o Observation) Observation {
		o.Team, o.Inbox = f.Team, f.Inbox
		return o
	}
	for _, t := range s.Tallies {
		sc.add(in(Observation{Kind: t.Kind, Agent: t.Agent, SameTeam: t.SameTeam, SameAgent: t.SameAgent}), t.N)
	}
	loc := p.Location()
	for _, c := range s.Clocks {
		o := in(Observation{Kind: c.Kind, Agent: c.Agent, At: c.At, Wall: c.Wall, Business: c.Business})
		sc.add(o, 1)
		if o.Kind == ObsFirstResponse {
			day := midnight(o.At, loc, 0)
			sc.trend[day] = append(sc.trend[day], o.Wall)
		}
	}
	for ch, tallies := range s.Channels {
		for _, t := range tallies {
			sc.channel(ch).add(t.Kind, t.N)
		}
	}
	for start, n := range s.Opened {
		sc.volume[start.In(loc).Hour()] += n
	}
	return sc.metrics(s.Now, s.CSAT, s.Open)
}

// Source computes the metrics of a period for a filter, with the backlog
// measured at now.
type Source interface {
	Metrics(ctx context.Context, p Period, f Filter, opts Options, now time.Time) (Metrics, error)
}

// Loader loads the facts of the period [from, to) for one team ("" for
// every team); storage.DB.LoadReportFacts is one. As a Source it computes
// the metrics from the facts in memory (Compute).
type Loader func(ctx context.Context, from, to time.Time, team string) (Facts, error)

// Metrics implements Source.
func (l Loader) Metrics(ctx context.Context, p Period, f Filter, opts Options, now time.Time) (Metrics, error) {
	facts, err := l(ctx, p.From, p.To, f.Team)
	if err != nil {
		return Metrics{}, err
	}
	facts.Now = now
	return Compute(facts, p, f, opts), nil
}
