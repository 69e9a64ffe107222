package report

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge"
)

// ObservationKind is what one observation is: a count (opened, assigned,
// ...) or a clock's stop (first_response, next_response, resolution). The
// values are stored by storage's report summary.
type ObservationKind string

// Count observations.
const (
	ObsOpened ObservationKind = "opened"
	// ObsStarted replaces ObsOpened for a conversation an agent started
	// (bridge.EventStarted): the business wrote first, so it was not
	// received and asks for no first response.
	ObsStarted     ObservationKind = "started"
	ObsAssigned    ObservationKind = "assigned"
	ObsResolved    ObservationKind = "resolved"
	ObsReopened    ObservationKind = "reopened"
	ObsTransferIn  ObservationKind = "transfer_in"
	ObsTransferOut ObservationKind = "transfer_out"
	ObsReply       ObservationKind = "reply"
)

// Clock observations: Wall and Business hold the measured duration.
const (
	ObsFirstResponse ObservationKind = "first_response"
	ObsNextResponse  ObservationKind = "next_response"
	ObsResolution    ObservationKind = "resolution"
)

// IsClock reports whether k is a clock's stop rather than a count.
func (k ObservationKind) IsClock() bool {
	return k == ObsFirstResponse || k == ObsNextResponse || k == ObsResolution
}

// Observation is one fact derived from a conversation's event log,
// attributed to the team, agent and inbox it counts for, at the instant it
// counts (a clock's stop). Reports count observations; they never read the
// event log's rules again.
type Observation struct {
	Kind     ObservationKind
	At       time.Time
	Team     string
	Agent    string
	Inbox    string
	Channel  string // the conversation's customer channel
	Wall     time.Duration
	Business time.Duration // 0 when the team has no business hours
	// SameTeam (SameAgent) is true for a transfer that stays within the
	// team (with the agent); such a transfer is not counted at that level.
	SameTeam, SameAgent bool
}

// Waiting tells whether a conversation's customer is waiting for an
// answer at the end of its log: since when (zero: nobody waits), and
// whether the answer would be a first response.
type Waiting struct {
	Since time.Time
	First bool
}

// HoursOf returns a team's business hours, nil when it has none.
type HoursOf func(team string) BusinessHours

// silentKinds are customer message kinds that do not ask for an answer, so
// they start no response clock: WhatsApp system notices (number changed),
// reactions, edits and deletions.
var silentKinds = map[string]bool{
	string(bridge.KindSystem):   true,
	string(bridge.KindReaction): true,
	string(bridge.KindEdit):     true,
	string(bridge.KindRevoke):   true,
}

// SortEvents puts one conversation's events in log order: by time, the row
// id breaking ties.
func SortEvents(evs []Event) {
	byTime := func(a, b Event) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Seq, b.Seq)) }
	if !slices.IsSortedFunc(evs, byTime) {
		slices.SortFunc(evs, byTime)
	}
}

// Observe replays one conversation's events, sorted by SortEvents, and
// appends to out its observations (every one, whatever their period),
// measuring business time with the hours of the team each clock stops in.
// It also says whether the customer is still waiting. This is where the
// definitions of docs/metrics.md live.
func Observe(c Conversation, evs []Event, hours HoursOf, out []Observation) ([]Observation, Waiting) {
	team := initialTeam(c, evs)
	inbox := c.Inbox
	assignee := ""
	segStart := c.OpenedAt
	firstPending := true
	var waitSince time.Time
	measure := func(team string, from, to time.Time) (time.Duration, time.Duration) {
		var b time.Duration
		if h := hours(team); h != nil {
			b = h.Between(from, to)
		}
		return to.Sub(from), b
	}
	opened := len(out)
	openedKind := ObsOpened
	if started(evs) {
		// The customer's answer to the business's first message is a next
		// response's start, not a first response's.
		openedKind, firstPending = ObsStarted, false
	}
	out = append(out, Observation{Kind: openedKind, At: c.OpenedAt, Team: team, Inbox: inbox})
	firstAssignee := func(agent string) {
		if out[opened].Agent == "" {
			out[opened].Agent = agent
		}
	}
	for _, e := range evs {
		switch e.Kind {
		case bridge.EventStarted:
			team = cmp.Or(e.Data, team)
		case bridge.EventRouted:
			// initialTeam already read it; a later routed event (a
			// re-route) moves the conversation like a transfer would.
			team = cmp.Or(routedTeam(e.Data), team)
		case bridge.EventReceived:
			if !silentKinds[e.Data] && waitSince.IsZero() {
				waitSince = e.At
			}
		case bridge.EventReplied:
			out = append(out, Observation{Kind: ObsReply, At: e.At, Team: team, Agent: e.Actor, Inbox: inbox})
			if !waitSince.IsZero() {
				kind := ObsNextResponse
				if firstPending {
					kind = ObsFirstResponse
				}
				w, b := measure(team, waitSince, e.At)
				out = append(out, Observation{Kind: kind, At: e.At, Team: team, Agent: e.Actor, Inbox: inbox, Wall: w, Business: b})
			}
			waitSince, firstPending = time.Time{}, false
		case bridge.EventClaimed, EventAssigned, EventTakenOver:
			assignee = e.Actor
			firstAssignee(assignee)
			out = append(out, Observation{Kind: ObsAssigned, At: e.At, Team: team, Agent: assignee, Inbox: inbox})
		case bridge.EventUnclaimed:
			assignee = ""
		case bridge.EventTransferred:
			t, ok := ParseTransfer(e.Data)
			if !ok {
				continue
			}
			t.FromTeam = cmp.Or(t.FromTeam, team)
			t.FromAgent = cmp.Or(t.FromAgent, assignee)
			t.ToTeam = cmp.Or(t.ToTeam, t.FromTeam)
			sameTeam, sameAgent := t.FromTeam == t.ToTeam, t.FromAgent == t.ToAgent
			out = append(out,
				Observation{Kind: ObsTransferOut, At: e.At, Team: t.FromTeam, Agent: t.FromAgent, Inbox: inbox, SameTeam: sameTeam, SameAgent: sameAgent},
				Observation{Kind: ObsTransferIn, At: e.At, Team: t.ToTeam, Agent: t.ToAgent, Inbox: inbox, SameTeam: sameTeam, SameAgent: sameAgent})
			team, assignee = t.ToTeam, t.ToAgent
			if assignee != "" {
				firstAssignee(assignee)
			}
		case bridge.EventResolved:
			agent := cmp.Or(assignee, e.Actor)
			w, b := measure(team, segStart, e.At)
			out = append(out,
				Observation{Kind: ObsResolved, At: e.At, Team: team, Agent: agent, Inbox: inbox},
				Observation{Kind: ObsResolution, At: e.At, Team: team, Agent: agent, Inbox: inbox, Wall: w, Business: b})
			waitSince = time.Time{}
		case bridge.EventReopened:
			out = append(out, Observation{Kind: ObsReopened, At: e.At, Team: team, Agent: assignee, Inbox: inbox})
			segStart, firstPending = e.At, true
			if e.Actor == "customer" && waitSince.IsZero() {
				// The customer's message is older than the resolution it
				// reopened (a late webhook): the wait starts now.
				waitSince = e.At
			}
		}
	}
	for i := opened; i < len(out); i++ {
		out[i].Channel = c.Channel
	}
	return out, Waiting{Since: waitSince, First: firstPending}
}

// started reports whether an agent started the conversation.
func started(evs []Event) bool {
	for _, e := range evs {
		if e.Kind == bridge.EventStarted {
			return true
		}
	}
	return false
}

// routedTeam reads the team from a routed event's Data: "<team>" or, as
// the bridge writes it since routing rules exist, "<team> <route id>".
func routedTeam(data string) string {
	team, _, _ := strings.Cut(data, " ")
	return team
}

// initialTeam is the team a conversation was routed to: the routed event's
// data, else the team the first transfer left, else the current team.
func initialTeam(c Conversation, evs []Event) string {
	for _, e := range evs {
		switch e.Kind {
		case bridge.EventRouted, bridge.EventStarted:
			if t := routedTeam(e.Data); t != "" {
				return t
			}
		case bridge.EventTransferred:
			if t, ok := ParseTransfer(e.Data); ok && t.FromTeam != "" {
				return t.FromTeam
			}
		}
	}
	return c.Team
}
