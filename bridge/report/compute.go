package report

import (
	"cmp"
	"slices"
	"time"

	"github.com/switchboard/switchboard/bridge"
)

// silentKinds are customer message kinds that do not ask for an answer, so
// they start no response clock: WhatsApp system notices (number changed),
// reactions, edits and deletions.
var silentKinds = map[string]bool{
	string(bridge.KindSystem):   true,
	string(bridge.KindReaction): true,
	string(bridge.KindEdit):     true,
	string(bridge.KindRevoke):   true,
}

// obsKind is what one observation of the walk is.
type obsKind int

const (
	obsOpened obsKind = iota
	obsAssigned
	obsResolved
	obsReopened
	obsTransferIn
	obsTransferOut
	obsReply
	obsFirstResponse
	obsNextResponse
	obsResolution
)

// obs is one fact derived from the event log, attributed to the team,
// agent and inbox it counts for, at the instant it counts (a clock's stop).
type obs struct {
	kind     obsKind
	at       time.Time
	team     string
	agent    string
	inbox    string
	wall     time.Duration
	business time.Duration
	// same is true for a transfer that stays within the team (sameTeam)
	// or with the agent (sameAgent); such a transfer is not counted at
	// that level.
	sameTeam, sameAgent bool
}

// waiting is a conversation whose customer is waiting at the end of the log.
type waiting struct {
	since time.Time
	first bool
}

// walk replays one conversation's events (sorted by time) and returns its
// observations and, when the customer is still waiting, since when.
func walk(c Conversation, evs []Event, hours BusinessHours, out []obs) ([]obs, waiting) {
	team := initialTeam(c, evs)
	inbox := c.Inbox
	assignee := ""
	segStart := c.OpenedAt
	firstPending := true
	var waitSince time.Time
	measure := func(from, to time.Time) (time.Duration, time.Duration) {
		var b time.Duration
		if hours != nil {
			b = hours.Between(from, to)
		}
		return to.Sub(from), b
	}
	opened := len(out)
	out = append(out, obs{kind: obsOpened, at: c.OpenedAt, team: team, inbox: inbox})
	firstAssignee := func(agent string) {
		if out[opened].agent == "" {
			out[opened].agent = agent
		}
	}
	for _, e := range evs {
		switch e.Kind {
		case bridge.EventRouted:
			// initialTeam already read it; a later routed event (a
			// re-route) moves the conversation like a transfer would.
			team = cmp.Or(e.Data, team)
		case bridge.EventReceived:
			if !silentKinds[e.Data] && waitSince.IsZero() {
				waitSince = e.At
			}
		case bridge.EventReplied:
			out = append(out, obs{kind: obsReply, at: e.At, team: team, agent: e.Actor, inbox: inbox})
			if !waitSince.IsZero() {
				kind := obsNextResponse
				if firstPending {
					kind = obsFirstResponse
				}
				w, b := measure(waitSince, e.At)
				out = append(out, obs{kind: kind, at: e.At, team: team, agent: e.Actor, inbox: inbox, wall: w, business: b})
			}
			waitSince, firstPending = time.Time{}, false
		case bridge.EventClaimed, EventAssigned, EventTakenOver:
			assignee = e.Actor
			firstAssignee(assignee)
			out = append(out, obs{kind: obsAssigned, at: e.At, team: team, agent: assignee, inbox: inbox})
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
				obs{kind: obsTransferOut, at: e.At, team: t.FromTeam, agent: t.FromAgent, inbox: inbox, sameTeam: sameTeam, sameAgent: sameAgent},
				obs{kind: obsTransferIn, at: e.At, team: t.ToTeam, agent: t.ToAgent, inbox: inbox, sameTeam: sameTeam, sameAgent: sameAgent})
			team, assignee = t.ToTeam, t.ToAgent
			if assignee != "" {
				firstAssignee(assignee)
			}
		case bridge.EventResolved:
			agent := cmp.Or(assignee, e.Actor)
			w, b := measure(segStart, e.At)
			out = append(out,
				obs{kind: obsResolved, at: e.At, team: team, agent: agent, inbox: inbox},
				obs{kind: obsResolution, at: e.At, team: team, agent: agent, inbox: inbox, wall: w, business: b})
			waitSince = time.Time{}
		case bridge.EventReopened:
			out = append(out, obs{kind: obsReopened, at: e.At, team: team, agent: assignee, inbox: inbox})
			segStart, firstPending = e.At, true
			if e.Actor == "customer" && waitSince.IsZero() {
				// The customer's message is older than the resolution it
				// reopened (a late webhook): the wait starts now.
				waitSince = e.At
			}
		}
	}
	return out, waiting{since: waitSince, first: firstPending}
}

// initialTeam is the team a conversation was routed to: the routed event's
// data, else the team the first transfer left, else the current team.
func initialTeam(c Conversation, evs []Event) string {
	for _, e := range evs {
		switch e.Kind {
		case bridge.EventRouted:
			if e.Data != "" {
				return e.Data
			}
		case bridge.EventTransferred:
			if t, ok := ParseTransfer(e.Data); ok && t.FromTeam != "" {
				return t.FromTeam
			}
		}
	}
	return c.Team
}

// matches reports whether an observation counts for filter f and agent
// (f.Agent, or one agent row's agent; "" for any).
func (o obs) matches(f Filter, agent string) bool {
	if f.Team != "" && o.team != f.Team {
		return false
	}
	if f.Inbox != "" && o.inbox != f.Inbox {
		return false
	}
	if agent != "" && o.agent != agent {
		return false
	}
	if o.kind == obsTransferIn || o.kind == obsTransferOut {
		switch {
		case agent != "":
			return !o.sameAgent
		case f.Team != "":
			return !o.sameTeam
		}
	}
	return true
}

// Compute turns facts into the metrics of period p for filter f, per the
// definitions of docs/metrics.md. It does not modify f.
func Compute(f Facts, p Period, filter Filter, opts Options) Metrics {
	byConv := make(map[bridge.ConversationID][]Event, len(f.Conversations))
	for _, e := range f.Events {
		byConv[e.ConversationID] = append(byConv[e.ConversationID], e)
	}
	all := make([]obs, 0, len(f.Events)+len(f.Conversations))
	waits := make(map[bridge.ConversationID]waiting)
	for _, c := range f.Conversations {
		evs := byConv[c.ID]
		slices.SortFunc(evs, func(a, b Event) int {
			return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Seq, b.Seq))
		})
		var w waiting
		all, w = walk(c, evs, opts.Hours, all)
		if !w.since.IsZero() {
			waits[c.ID] = w
		}
	}
	inPeriod := all[:0:0]
	for _, o := range all {
		if p.Contains(o.at) {
			inPeriod = append(inPeriod, o)
		}
	}

	m := Metrics{Period: p, Filter: filter, Now: f.Now, BusinessHours: opts.Hours != nil, Targets: opts.Targets}
	agg := aggregate(inPeriod, filter, filter.Agent, opts)
	m.Counts, m.FirstResponse, m.ReplyTime, m.Resolution, m.SLA = agg.counts, agg.first, agg.next, agg.resolution, agg.sla
	m.CSAT = csatOf(f, p, filter, filter.Agent)
	m.Backlog = backlogOf(f, filter, filter.Agent, waits, opts)

	loc := p.Location()
	trend := map[time.Time][]time.Duration{}
	for _, o := range inPeriod {
		if !o.matches(filter, filter.Agent) {
			continue
		}
		switch o.kind {
		case obsOpened:
			m.VolumeByHour[o.at.In(loc).Hour()]++
		case obsFirstResponse:
			d := midnight(o.at, loc, 0)
			trend[d] = append(trend[d], o.wall)
		}
	}
	for _, d := range p.Days() {
		s := statsOf(trend[d])
		m.FirstResponseTrend = append(m.FirstResponseTrend, DayPoint{Day: d, Count: s.Count, Median: s.Median})
	}

	agents := map[string]bool{}
	for _, o := range inPeriod {
		if o.agent != "" && (filter.Agent == "" || o.agent == filter.Agent) && o.matches(filter, o.agent) {
			agents[o.agent] = true
		}
	}
	for _, c := range f.Conversations {
		if c.Assignee != "" && c.State != bridge.StateResolved && (filter.Agent == "" || c.Assignee == filter.Agent) {
			agents[c.Assignee] = true
		}
	}
	for agent := range agents {
		a := aggregate(inPeriod, filter, agent, opts)
		row := AgentRow{Agent: agent, Assigned: a.counts.Assigned, Replies: a.counts.Replies, Resolved: a.counts.Resolved,
			TransferredIn: a.counts.TransferredIn, TransferredOut: a.counts.TransferredOut,
			FirstResponse: a.first, ReplyTime: a.next, Resolution: a.resolution,
			CSAT: csatOf(f, p, filter, agent), Open: backlogOf(f, filter, agent, waits, opts).Open}
		if row.Assigned+row.Replies+row.Resolved+row.TransferredIn+row.TransferredOut+row.Open+row.CSAT.Sent == 0 {
			continue
		}
		m.Agents = append(m.Agents, row)
	}
	slices.SortFunc(m.Agents, func(a, b AgentRow) int {
		return cmp.Or(cmp.Compare(b.Assigned, a.Assigned), cmp.Compare(b.Replies, a.Replies), cmp.Compare(a.Agent, b.Agent))
	})
	return m
}

type aggregated struct {
	counts                  Counts
	first, next, resolution Clock
	sla                     SLAStats
}

func aggregate(list []obs, f Filter, agent string, opts Options) aggregated {
	var a aggregated
	var first, next, res [2][]time.Duration // wall, business
	for _, o := range list {
		if !o.matches(f, agent) {
			continue
		}
		switch o.kind {
		case obsOpened:
			a.counts.Received++
		case obsAssigned:
			a.counts.Assigned++
		case obsResolved:
			a.counts.Resolved++
		case obsReopened:
			a.counts.Reopened++
		case obsTransferIn:
			a.counts.TransferredIn++
		case obsTransferOut:
			a.counts.TransferredOut++
		case obsReply:
			a.counts.Replies++
		case obsFirstResponse:
			first = addSample(first, o, opts.Hours != nil)
			a.sla.FirstResponse = attain(a.sla.FirstResponse, o, opts.Targets.FirstResponse, opts.Hours != nil)
		case obsNextResponse:
			next = addSample(next, o, opts.Hours != nil)
			a.sla.NextResponse = attain(a.sla.NextResponse, o, opts.Targets.NextResponse, opts.Hours != nil)
		case obsResolution:
			res = addSample(res, o, opts.Hours != nil)
			a.sla.Resolution = attain(a.sla.Resolution, o, opts.Targets.Resolution, opts.Hours != nil)
		}
	}
	a.first = Clock{Wall: statsOf(first[0]), Business: statsOf(first[1])}
	a.next = Clock{Wall: statsOf(next[0]), Business: statsOf(next[1])}
	a.resolution = Clock{Wall: statsOf(res[0]), Business: statsOf(res[1])}
	return a
}

func addSample(s [2][]time.Duration, o obs, business bool) [2][]time.Duration {
	s[0] = append(s[0], o.wall)
	if business {
		s[1] = append(s[1], o.business)
	}
	return s
}

func attain(a Attainment, o obs, target time.Duration, business bool) Attainment {
	if target <= 0 {
		return a
	}
	d := o.wall
	if business {
		d = o.business
	}
	a.Total++
	if d <= target {
		a.Met++
	}
	return a
}

func csatOf(f Facts, p Period, filter Filter, agent string) CSATStats {
	var s CSATStats
	var inbox map[bridge.ConversationID]string
	if filter.Inbox != "" {
		inbox = make(map[bridge.ConversationID]string, len(f.Conversations))
		for _, c := range f.Conversations {
			inbox[c.ID] = c.Inbox
		}
	}
	sum := 0
	for _, c := range f.CSAT {
		if !p.Contains(c.SentAt) || (filter.Team != "" && c.Team != filter.Team) ||
			(agent != "" && c.Agent != agent) || (filter.Inbox != "" && inbox[c.ConversationID] != filter.Inbox) {
			continue
		}
		s.Sent++
		if !c.AnsweredAt.IsZero() && c.Score > 0 {
			s.Answered++
			sum += c.Score
		}
	}
	if s.Answered > 0 {
		s.Average = float64(sum) / float64(s.Answered)
	}
	return s
}

func backlogOf(f Facts, filter Filter, agent string, waits map[bridge.ConversationID]waiting, opts Options) Backlog {
	var b Backlog
	for _, c := range f.Conversations {
		if c.State == bridge.StateResolved || (filter.Team != "" && c.Team != filter.Team) ||
			(filter.Inbox != "" && c.Inbox != filter.Inbox) || (agent != "" && c.Assignee != agent) {
			continue
		}
		b.Open++
		if c.Assignee == "" {
			b.Unassigned++
		}
		w, ok := waits[c.ID]
		if !ok || w.since.After(f.Now) {
			continue
		}
		b.Waiting++
		waited := f.Now.Sub(w.since)
		if waited > b.OldestWaiting || (waited == b.OldestWaiting && c.ID < b.OldestID) {
			b.OldestWaiting, b.OldestID = waited, c.ID
		}
		target := opts.Targets.NextResponse
		if w.first {
			target = opts.Targets.FirstResponse
		}
		measured := waited
		if opts.Hours != nil {
			measured = opts.Hours.Between(w.since, f.Now)
		}
		if target > 0 && measured > target {
			b.Breaching++
		}
	}
	return b
}
