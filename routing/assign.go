package routing

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"go.yaml.in/yaml/v3"
)

// Strategy is how a team hands conversations to its agents.
type Strategy string

const (
	// RoundRobin takes agents in id order after the last one assigned
	// (the cursor), skipping unavailable or full agents.
	RoundRobin Strategy = "round_robin"
	// LeastBusy takes the agent with the fewest open conversations; ties go
	// to the one assigned least recently, then to the smallest id.
	LeastBusy Strategy = "least_busy"
	// Sticky gives a returning customer back to the agent who last helped
	// them (within StickyDays) when that agent can take it; otherwise the
	// team's StickyFallback applies.
	Sticky Strategy = "sticky"
	// Manual assigns nobody: the team claims from the status card.
	Manual Strategy = "manual"
)

// DefaultStickyDays is how long a customer sticks to an agent when the team
// sets no sticky_days.
const DefaultStickyDays = 30

func (s Strategy) validate(path string, stickyOK bool) error {
	switch s {
	case "", RoundRobin, LeastBusy, Manual:
		return nil
	case Sticky:
		if stickyOK {
			return nil
		}
		return fmt.Errorf("%s: sticky cannot be its own fallback; use round_robin, least_busy or manual", path)
	}
	return fmt.Errorf("%s: unknown strategy %q (use round_robin, least_busy, sticky or manual)", path, string(s))
}

// UnmarshalYAML rejects unknown strategies at load time.
func (s *Strategy) UnmarshalYAML(n *yaml.Node) error {
	v := Strategy(n.Value)
	if err := v.validate("strategy", true); err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*s = v
	return nil
}

// Agent is one agent's state as the caller read it.
type Agent struct {
	ID string
	// Available: marked available, and on shift if they have shifts (see
	// Team.Availability).
	Available bool
	// OpenCount is how many open conversations the agent holds.
	OpenCount int
	// Capacity is the agent's maximum of open conversations; 0 means the
	// team's Capacity (and 0 there means no limit).
	Capacity int
	// LastAssignedAt is when the agent was last given a conversation.
	LastAssignedAt time.Time
}

// Previous is the agent who last helped the customer, for sticky.
type Previous struct {
	AgentID string
	At      time.Time
}

// AssignState is what the caller persists or knows besides the agents.
type AssignState struct {
	// Cursor is the id of the agent round-robin assigned last (persisted by
	// the caller, e.g. on the team row, updated with a conditional write so
	// replicas stay fair).
	Cursor string
	// Previous is the agent who last helped this customer, if any.
	Previous *Previous
	// Now is the decision time, for sticky's window.
	Now time.Time
}

// Assignment is the outcome. An empty AgentID means the conversation waits
// in the team's queue.
type Assignment struct {
	AgentID string
	// Strategy that decided (after a sticky fallback, the fallback).
	Strategy Strategy
	// Reason says why, for the event log.
	Reason string
	// NextCursor is the cursor to persist: the agent round-robin chose, or
	// the old cursor when round-robin did not choose.
	NextCursor string
}

// CanTake reports whether the agent can be given one more conversation.
func (t *Team) CanTake(a Agent) bool { return t.canTake(&a) }

func (t *Team) canTake(a *Agent) bool {
	c := a.Capacity
	if c == 0 {
		c = t.Capacity
	}
	return a.Available && (c == 0 || a.OpenCount < c)
}

// Assign picks an agent of team for a new or returning conversation. It
// does not change agents; the caller records the assignment (and the
// cursor) in the same transaction as the conversation's new state.
func (t *Team) Assign(agents []Agent, st AssignState) Assignment {
	strategy := cmp.Or(t.Strategy, RoundRobin)
	if strategy == Sticky {
		if a, ok := t.sticky(agents, st); ok {
			return a
		}
		strategy = cmp.Or(t.StickyFallback, RoundRobin)
	}
	switch strategy {
	case Manual:
		return Assignment{Strategy: Manual, Reason: "manual: nobody is assigned, the team claims from the card", NextCursor: st.Cursor}
	case LeastBusy:
		return t.leastBusy(agents, st.Cursor)
	default:
		return t.roundRobin(agents, st.Cursor)
	}
}

func (t *Team) sticky(agents []Agent, st AssignState) (Assignment, bool) {
	p := st.Previous
	if p == nil || p.AgentID == "" {
		return Assignment{}, false
	}
	days := t.StickyDays
	if days == 0 {
		days = DefaultStickyDays
	}
	if !st.Now.IsZero() && st.Now.Sub(p.At) > time.Duration(days)*24*time.Hour {
		return Assignment{}, false
	}
	i := slices.IndexFunc(agents, func(a Agent) bool { return a.ID == p.AgentID })
	if i < 0 || !t.CanTake(agents[i]) {
		return Assignment{}, false
	}
	return Assignment{
		AgentID:    p.AgentID,
		Strategy:   Sticky,
		Reason:     fmt.Sprintf("sticky: %s helped this customer %s and can take it", p.AgentID, p.At.Format(time.DateOnly)),
		NextCursor: st.Cursor,
	}, true
}

// roundRobin takes the first agent able to take it in id order strictly
// after cursor, wrapping around. The cursor need not be a current agent.
func (t *Team) roundRobin(agents []Agent, cursor string) Assignment {
	var best, wrap *Agent
	for i := range agents {
		a := &agents[i]
		if !t.canTake(a) {
			continue
		}
		if a.ID > cursor && (best == nil || a.ID < best.ID) {
			best = a
		}
		if wrap == nil || a.ID < wrap.ID {
			wrap = a
		}
	}
	if best == nil {
		best = wrap
	}
	if best == nil {
		return Assignment{Strategy: RoundRobin, Reason: t.nobodyReason(agents), NextCursor: cursor}
	}
	return Assignment{AgentID: best.ID, Strategy: RoundRobin, Reason: fmt.Sprintf("round_robin: next available agent after %q", cursor), NextCursor: best.ID}
}

func (t *Team) leastBusy(agents []Agent, cursor string) Assignment {
	var best *Agent
	for i := range agents {
		a := &agents[i]
		if !t.canTake(a) {
			continue
		}
		if best == nil || lessBusy(a, best) {
			best = a
		}
	}
	if best == nil {
		return Assignment{Strategy: LeastBusy, Reason: t.nobodyReason(agents), NextCursor: cursor}
	}
	return Assignment{AgentID: best.ID, Strategy: LeastBusy, Reason: fmt.Sprintf("least_busy: %s has %d open", best.ID, best.OpenCount), NextCursor: cursor}
}

func lessBusy(a, b *Agent) bool {
	if a.OpenCount != b.OpenCount {
		return a.OpenCount < b.OpenCount
	}
	if !a.LastAssignedAt.Equal(b.LastAssignedAt) {
		return a.LastAssignedAt.Before(b.LastAssignedAt)
	}
	return a.ID < b.ID
}

func (t *Team) nobodyReason(agents []Agent) string {
	available := 0
	for _, a := range agents {
		if a.Available {
			available++
		}
	}
	switch {
	case len(agents) == 0:
		return "queued: the team has no agents"
	case available == 0:
		return "queued: no agent is available"
	default:
		return fmt.Sprintf("queued: all %d available agents are at capacity", available)
	}
}

// Waiting is a conversation waiting in a team's queue.
type Waiting struct {
	// ConversationID is the bridge's conversation id.
	ConversationID int64
	// Since is when it started waiting.
	Since time.Time
	// Previous is the agent who last helped this customer, for sticky.
	Previous *Previous
}

// NextWaiting returns the queue ordered oldest first (ties by id), as
// waiting conversations are to be assigned. queue is not modified.
func NextWaiting(queue []Waiting) []Waiting {
	out := slices.Clone(queue)
	slices.SortStableFunc(out, func(a, b Waiting) int {
		if c := a.Since.Compare(b.Since); c != 0 {
			return c
		}
		return cmp.Compare(a.ConversationID, b.ConversationID)
	})
	return out
}

// Drained is one waiting conversation given to an agent.
type Drained struct {
	ConversationID int64
	Assignment
}

// Drain assigns waiting conversations oldest first until nobody can take
// more, as when an agent becomes available or frees capacity. It works on a
// copy of agents, counting each assignment against capacity, and returns
// the assignments and the final cursor. Manual teams drain nothing.
func (t *Team) Drain(agents []Agent, cursor string, queue []Waiting, now time.Time) ([]Drained, string) {
	if t.Strategy == Manual {
		return nil, cursor
	}
	work := slices.Clone(agents)
	var out []Drained
	for _, w := range NextWaiting(queue) {
		a := t.Assign(work, AssignState{Cursor: cursor, Previous: w.Previous, Now: now})
		if a.AgentID == "" {
			if !slices.ContainsFunc(work, t.CanTake) {
				break
			}
			continue // sticky with a manual fallback: a later customer may still stick
		}
		cursor = a.NextCursor
		for i := range work {
			if work[i].ID == a.AgentID {
				work[i].OpenCount++
				work[i].LastAssignedAt = now
			}
		}
		out = append(out, Drained{ConversationID: w.ConversationID, Assignment: a})
	}
	return out, cursor
}
