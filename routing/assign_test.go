package routing

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)

func TestAssign(t *testing.T) {
	t.Parallel()
	three := []Agent{
		{ID: "ana", Available: true, OpenCount: 2},
		{ID: "bea", Available: true, OpenCount: 1},
		{ID: "caio", Available: true, OpenCount: 1},
	}
	cases := []struct {
		name       string
		team       Team
		agents     []Agent
		st         AssignState
		agent      string
		strategy   Strategy
		nextCursor string
		reason     string
	}{
		{"round robin starts at the smallest id", Team{Strategy: RoundRobin}, three, AssignState{}, "ana", RoundRobin, "ana", "round_robin"},
		{"round robin takes the next id after the cursor", Team{}, three, AssignState{Cursor: "ana"}, "bea", RoundRobin, "bea", "round_robin"},
		{"round robin wraps around", Team{}, three, AssignState{Cursor: "caio"}, "ana", RoundRobin, "ana", "round_robin"},
		{"round robin cursor of a departed agent still works", Team{}, three, AssignState{Cursor: "bob"}, "caio", RoundRobin, "caio", "round_robin"},
		{"round robin skips the unavailable", Team{}, []Agent{{ID: "ana", Available: true}, {ID: "bea"}, {ID: "caio", Available: true}}, AssignState{Cursor: "ana"}, "caio", RoundRobin, "caio", "round_robin"},
		{"round robin skips an agent at team capacity", Team{Capacity: 2}, three, AssignState{Cursor: "caio"}, "bea", RoundRobin, "bea", "round_robin"},
		{"agent capacity overrides the team's", Team{Capacity: 1}, []Agent{{ID: "ana", Available: true, OpenCount: 1, Capacity: 3}, {ID: "bea", Available: true, OpenCount: 1}}, AssignState{Cursor: "bea"}, "ana", RoundRobin, "ana", "round_robin"},
		{"everybody full: queued, cursor kept", Team{Capacity: 1}, three, AssignState{Cursor: "bea"}, "", RoundRobin, "bea", "queued: all 3 available agents are at capacity"},
		{"nobody available: queued", Team{}, []Agent{{ID: "ana"}}, AssignState{Cursor: "x"}, "", RoundRobin, "x", "queued: no agent is available"},
		{"no agents: queued", Team{}, nil, AssignState{}, "", RoundRobin, "", "queued: the team has no agents"},
		{"least busy takes the fewest open", Team{Strategy: LeastBusy}, []Agent{{ID: "ana", Available: true, OpenCount: 3}, {ID: "bea", Available: true, OpenCount: 1}, {ID: "caio", Available: true, OpenCount: 2}}, AssignState{Cursor: "c"}, "bea", LeastBusy, "c", "least_busy: bea has 1 open"},
		{"least busy tie: least recently assigned", Team{Strategy: LeastBusy}, []Agent{{ID: "ana", Available: true, OpenCount: 1, LastAssignedAt: t0}, {ID: "bea", Available: true, OpenCount: 1, LastAssignedAt: t0.Add(-time.Hour)}}, AssignState{}, "bea", LeastBusy, "", "least_busy"},
		{"least busy tie on time: smallest id", Team{Strategy: LeastBusy}, []Agent{{ID: "bea", Available: true, OpenCount: 1, LastAssignedAt: t0}, {ID: "ana", Available: true, OpenCount: 1, LastAssignedAt: t0}}, AssignState{}, "ana", LeastBusy, "", "least_busy"},
		{"least busy never assigned goes first", Team{Strategy: LeastBusy}, []Agent{{ID: "ana", Available: true, LastAssignedAt: t0}, {ID: "bea", Available: true}}, AssignState{}, "bea", LeastBusy, "", "least_busy"},
		{"least busy skips the unavailable and full", Team{Strategy: LeastBusy, Capacity: 2}, []Agent{{ID: "ana", OpenCount: 0}, {ID: "bea", Available: true, OpenCount: 2}, {ID: "caio", Available: true, OpenCount: 1}}, AssignState{}, "caio", LeastBusy, "", "least_busy"},
		{"sticky returns to the previous agent", Team{Strategy: Sticky}, three, AssignState{Cursor: "ana", Previous: &Previous{AgentID: "caio", At: t0.Add(-48 * time.Hour)}, Now: t0}, "caio", Sticky, "ana", "sticky: caio helped this customer 2025-03-01"},
		{"sticky too long ago: fallback round robin", Team{Strategy: Sticky, StickyDays: 1}, three, AssignState{Cursor: "ana", Previous: &Previous{AgentID: "caio", At: t0.Add(-48 * time.Hour)}, Now: t0}, "bea", RoundRobin, "bea", "round_robin"},
		{"sticky default window is 30 days", Team{Strategy: Sticky, StickyFallback: LeastBusy}, three, AssignState{Previous: &Previous{AgentID: "ana", At: t0.Add(-31 * 24 * time.Hour)}, Now: t0}, "bea", LeastBusy, "", "least_busy"},
		{"sticky previous agent away: fallback", Team{Strategy: Sticky, StickyFallback: LeastBusy}, []Agent{{ID: "ana"}, {ID: "bea", Available: true}}, AssignState{Previous: &Previous{AgentID: "ana", At: t0}, Now: t0}, "bea", LeastBusy, "", "least_busy"},
		{"sticky previous agent full: fallback", Team{Strategy: Sticky, Capacity: 2}, three, AssignState{Previous: &Previous{AgentID: "ana", At: t0}, Now: t0}, "bea", RoundRobin, "bea", "round_robin"},
		{"sticky previous agent left the team: fallback", Team{Strategy: Sticky}, three, AssignState{Previous: &Previous{AgentID: "zed", At: t0}, Now: t0}, "ana", RoundRobin, "ana", "round_robin"},
		{"sticky new customer: fallback", Team{Strategy: Sticky}, three, AssignState{Now: t0}, "ana", RoundRobin, "ana", "round_robin"},
		{"sticky with a manual fallback", Team{Strategy: Sticky, StickyFallback: Manual}, three, AssignState{Now: t0}, "", Manual, "", "manual"},
		{"manual assigns nobody", Team{Strategy: Manual}, three, AssignState{Cursor: "bea"}, "", Manual, "bea", "manual: nobody is assigned"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a := c.team.Assign(c.agents, c.st)
			require.Equal(t, c.agent, a.AgentID, a.Reason)
			require.Equal(t, c.strategy, a.Strategy)
			require.Equal(t, c.nextCursor, a.NextCursor)
			require.Contains(t, a.Reason, c.reason)
		})
	}
}

func TestRoundRobinFairness(t *testing.T) {
	t.Parallel()
	team := Team{Strategy: RoundRobin}
	agents := make([]Agent, 7)
	for i := range agents {
		agents[i] = Agent{ID: fmt.Sprintf("agent-%d", i), Available: true}
	}
	counts := map[string]int{}
	cursor := ""
	for range 10_000 {
		a := team.Assign(agents, AssignState{Cursor: cursor})
		require.NotEmpty(t, a.AgentID)
		counts[a.AgentID]++
		cursor = a.NextCursor
	}
	lo, hi := 10_000, 0
	for _, n := range counts {
		lo, hi = min(lo, n), max(hi, n)
	}
	t.Logf("10,000 conversations over 7 agents: busiest %d, idlest %d", hi, lo)
	require.Len(t, counts, 7)
	require.LessOrEqual(t, hi-lo, 1)
}

func TestLeastBusyBalances(t *testing.T) {
	t.Parallel()
	team := Team{Strategy: LeastBusy}
	agents := []Agent{{ID: "a", Available: true, OpenCount: 5}, {ID: "b", Available: true}, {ID: "c", Available: true, OpenCount: 2}}
	for i := range 20 {
		a := team.Assign(agents, AssignState{})
		for j := range agents {
			if agents[j].ID == a.AgentID {
				agents[j].OpenCount++
				agents[j].LastAssignedAt = t0.Add(time.Duration(i) * time.Minute)
			}
		}
	}
	// 27 open over three agents: 9 each.
	for _, a := range agents {
		require.Equal(t, 9, a.OpenCount, a.ID)
	}
}

func TestNextWaiting(t *testing.T) {
	t.Parallel()
	queue := []Waiting{
		{ConversationID: 3, Since: t0.Add(2 * time.Minute)},
		{ConversationID: 9, Since: t0},
		{ConversationID: 1, Since: t0.Add(2 * time.Minute)},
		{ConversationID: 4, Since: t0.Add(time.Minute)},
	}
	got := NextWaiting(queue)
	var ids []int64
	for _, w := range got {
		ids = append(ids, w.ConversationID)
	}
	require.Equal(t, []int64{9, 4, 1, 3}, ids)
	require.Equal(t, int64(3), queue[0].ConversationID, "input untouched")
	require.Empty(t, NextWaiting(nil))
}

func TestDrain(t *testing.T) {
	t.Parallel()
	queue := []Waiting{
		{ConversationID: 1, Since: t0.Add(3 * time.Minute)},
		{ConversationID: 2, Since: t0.Add(1 * time.Minute)},
		{ConversationID: 3, Since: t0.Add(2 * time.Minute)},
		{ConversationID: 4, Since: t0.Add(4 * time.Minute), Previous: &Previous{AgentID: "bea", At: t0}},
	}
	cases := []struct {
		name   string
		team   Team
		agents []Agent
		want   []string // "conversation→agent", oldest first
		cursor string
	}{
		{"an agent becomes available: oldest first up to capacity",
			Team{Capacity: 2}, []Agent{{ID: "ana", Available: true}, {ID: "bea"}},
			[]string{"2→ana", "3→ana"}, "ana"},
		{"two agents share the queue round robin",
			Team{Capacity: 2}, []Agent{{ID: "ana", Available: true, OpenCount: 1}, {ID: "bea", Available: true}},
			[]string{"2→ana", "3→bea", "1→bea"}, "bea"},
		{"sticky conversation goes back to its agent",
			Team{Strategy: Sticky, StickyFallback: Manual}, []Agent{{ID: "ana", Available: true}, {ID: "bea", Available: true}},
			[]string{"4→bea"}, ""},
		{"manual drains nothing",
			Team{Strategy: Manual}, []Agent{{ID: "ana", Available: true}},
			nil, ""},
		{"nobody available drains nothing",
			Team{}, []Agent{{ID: "ana"}},
			nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			before := append([]Agent(nil), c.agents...)
			got, cursor := c.team.Drain(c.agents, "", queue, t0.Add(time.Hour))
			var pairs []string
			for _, d := range got {
				pairs = append(pairs, fmt.Sprintf("%d→%s", d.ConversationID, d.AgentID))
			}
			require.Equal(t, c.want, pairs)
			require.Equal(t, c.cursor, cursor)
			require.Equal(t, before, c.agents, "agents untouched")
		})
	}
}
