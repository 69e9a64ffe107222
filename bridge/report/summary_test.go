package report

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/switchboard/switchboard/bridge"
)

// summarize builds, in memory, the Summary a database gives for facts,
// period p and filter f: what storage's queries select and group.
func summarize(f Facts, p Period, filter Filter, hours HoursOf) Summary {
	s := Summary{Opened: map[time.Time]int{}, CSAT: map[string]CSATTally{}, Now: f.Now}
	keep := func(o Observation) bool {
		return p.Contains(o.At) && (filter.Team == "" || o.Team == filter.Team) &&
			(filter.Inbox == "" || o.Inbox == filter.Inbox) && (filter.Agent == "" || o.Agent == filter.Agent)
	}
	tallies := map[Tally]int{}
	byConv := groupEvents(f.Conversations, f.Events)
	inbox := map[bridge.ConversationID]string{}
	for k, c := range f.Conversations {
		inbox[c.ID] = c.Inbox
		obs, w := Observe(c, byConv[k], hours, nil)
		for _, o := range obs {
			if !keep(o) {
				continue
			}
			switch {
			case o.Kind.IsClock():
				s.Clocks = append(s.Clocks, Sample{Kind: o.Kind, At: o.At, Agent: o.Agent, Wall: o.Wall, Business: o.Business})
			default:
				tallies[Tally{Kind: o.Kind, Agent: o.Agent, SameTeam: o.SameTeam, SameAgent: o.SameAgent}]++
			}
			if o.Kind == ObsOpened {
				s.Opened[o.At.Truncate(Quarter)]++
			}
		}
		if c.State != bridge.StateResolved {
			s.Open = append(s.Open, OpenConversation{ID: c.ID, Team: c.Team, Inbox: c.Inbox, Assignee: c.Assignee, Waiting: w})
		}
	}
	for t, n := range tallies {
		t.N = n
		s.Tallies = append(s.Tallies, t)
	}
	for _, c := range f.CSAT {
		if !p.Contains(c.SentAt) || (filter.Team != "" && c.Team != filter.Team) ||
			(filter.Agent != "" && c.Agent != filter.Agent) || (filter.Inbox != "" && inbox[c.ConversationID] != filter.Inbox) {
			continue
		}
		t := s.CSAT[c.Agent]
		t.Sent++
		if !c.AnsweredAt.IsZero() && c.Score > 0 {
			t.Answered++
			t.ScoreSum += c.Score
		}
		s.CSAT[c.Agent] = t
	}
	return s
}

// Assemble gives from a summary what Compute gives from the whole log,
// for every filter of the hand-computed tests.
func TestAssembleAgreesWithCompute(t *testing.T) {
	t.Parallel()
	facts := seed(t)
	week := LastDays(facts.Now, madrid(t), 7)
	hours := testHours(t)
	targets := Targets{FirstResponse: time.Hour, NextResponse: 30 * time.Minute, Resolution: 8 * time.Hour}
	for _, filter := range []Filter{{}, {Team: "support", ByAgent: true}, {Team: "sales"}, {Agent: "U1"}, {Agent: "U2", Team: "support"}, {Inbox: "in2"}} {
		for _, opts := range []Options{{}, {Hours: hours, Targets: targets}} {
			want := Compute(facts, week, filter, opts)
			got := Assemble(summarize(facts, week, filter, func(string) BusinessHours { return opts.Hours }), week, filter, opts)
			require.Equal(t, want, got, "filter %+v, business hours %v", filter, opts.Hours != nil)
			require.NotZero(t, got.Counts.Received+got.Counts.TransferredIn, "filter %+v sees something", filter)
		}
	}
}
