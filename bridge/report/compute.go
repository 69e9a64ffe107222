package report

import (
	"cmp"
	"slices"
	"strings"
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

// waiting is a conversation whose customer is waiting at the end of the
// log; waited and breaching are filled in once by Compute for Facts.Now.
type waiting struct {
	since     time.Time
	first     bool
	waited    time.Duration
	breaching bool
}

// walk replays one conversation's events (sorted by time) and returns its
// observations and, when the customer is still waiting, since when.
func walk(c Conversation, evs []Event, p Period, hours BusinessHours, out []obs) ([]obs, waiting) {
	team := initialTeam(c, evs)
	inbox := c.Inbox
	assignee := ""
	segStart := c.OpenedAt
	firstPending := true
	var waitSince time.Time
	measure := func(from, to time.Time) (time.Duration, time.Duration) {
		var b time.Duration
		if hours != nil && p.Contains(to) {
			b = hours.Between(from, to)
		}
		return to.Sub(from), b
	}
	// Only observations of the period are kept; the walk still replays
	// everything before it to know who holds what and who waits.
	emit := func(o obs) {
		if p.Contains(o.at) {
			out = append(out, o)
		}
	}
	opened := -1
	if p.Contains(c.OpenedAt) {
		opened = len(out)
		out = append(out, obs{kind: obsOpened, at: c.OpenedAt, team: team, inbox: inbox})
	}
	firstAssignee := func(agent string) {
		if opened >= 0 && out[opened].agent == "" {
			out[opened].agent = agent
		}
	}
	for _, e := range evs {
		switch e.Kind {
		case bridge.EventRouted:
			// initialTeam already read it; a later routed event (a
			// re-route) moves the conversation like a transfer would.
			team = cmp.Or(routedTeam(e.Data), team)
		case bridge.EventReceived:
			if !silentKinds[e.Data] && waitSince.IsZero() {
				waitSince = e.At
			}
		case bridge.EventReplied:
			emit(obs{kind: obsReply, at: e.At, team: team, agent: e.Actor, inbox: inbox})
			if !waitSince.IsZero() {
				kind := obsNextResponse
				if firstPending {
					kind = obsFirstResponse
				}
				w, b := measure(waitSince, e.At)
				emit(obs{kind: kind, at: e.At, team: team, agent: e.Actor, inbox: inbox, wall: w, business: b})
			}
			waitSince, firstPending = time.Time{}, false
		case bridge.EventClaimed, EventAssigned, EventTakenOver:
			assignee = e.Actor
			firstAssignee(assignee)
			emit(obs{kind: obsAssigned, at: e.At, team: team, agent: assignee, inbox: inbox})
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
			emit(obs{kind: obsTransferOut, at: e.At, team: t.FromTeam, agent: t.FromAgent, inbox: inbox, sameTeam: sameTeam, sameAgent: sameAgent})
			emit(obs{kind: obsTransferIn, at: e.At, team: t.ToTeam, agent: t.ToAgent, inbox: inbox, sameTeam: sameTeam, sameAgent: sameAgent})
			team, assignee = t.ToTeam, t.ToAgent
			if assignee != "" {
				firstAssignee(assignee)
			}
		case bridge.EventResolved:
			agent := cmp.Or(assignee, e.Actor)
			w, b := measure(segStart, e.At)
			emit(obs{kind: obsResolved, at: e.At, team: team, agent: agent, inbox: inbox})
			emit(obs{kind: obsResolution, at: e.At, team: team, agent: agent, inbox: inbox, wall: w, business: b})
			waitSince = time.Time{}
		case bridge.EventReopened:
			emit(obs{kind: obsReopened, at: e.At, team: team, agent: assignee, inbox: inbox})
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

// exceeds reports whether more than target of (business, when hours is
// set) time passed between from and to. A conversation forgotten for months
// must not cost months of calendar arithmetic: business time is measured
// over a window that doubles until it passes the target or reaches to.
func exceeds(hours BusinessHours, from, to time.Time, target time.Duration) bool {
	if to.Sub(from) <= target {
		return false
	}
	if hours == nil {
		return true
	}
	for window := 24 * time.Hour; ; window *= 2 {
		end := from.Add(window)
		if !end.Before(to) {
			return hours.Between(from, to) > target
		}
		if hours.Between(from, end) > target {
			return true
		}
	}
}

// groupEvents returns, for each conversation (by index in convs), its
// events in time order (the row id breaks ties), as sub-slices of one copy
// of events. Events of conversations not in convs are dropped.
func groupEvents(convs []Conversation, events []Event) [][]Event {
	index := make(map[bridge.ConversationID]int32, len(convs))
	for i, c := range convs {
		index[c.ID] = int32(i)
	}
	owner := make([]int32, len(events))
	start := make([]int, len(convs)+1)
	for i, e := range events {
		k, ok := index[e.ConversationID]
		if !ok {
			k = -1
		} else {
			start[k+1]++
		}
		owner[i] = k
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	flat := make([]Event, start[len(convs)])
	fill := slices.Clone(start[:len(convs)])
	for i, e := range events {
		if k := owner[i]; k >= 0 {
			flat[fill[k]] = e
			fill[k]++
		}
	}
	out := make([][]Event, len(convs))
	byTime := func(a, b Event) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Seq, b.Seq)) }
	for k := range convs {
		evs := flat[start[k]:start[k+1]:start[k+1]]
		if !slices.IsSortedFunc(evs, byTime) {
			slices.SortFunc(evs, byTime)
		}
		out[k] = evs
	}
	return out
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
		case bridge.EventRouted:
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
	byConv := groupEvents(f.Conversations, f.Events)
	inPeriod := make([]obs, 0, len(f.Events)+len(f.Conversations))
	waits := make(map[bridge.ConversationID]waiting)
	for k, c := range f.Conversations {
		evs := byConv[k]
		var w waiting
		inPeriod, w = walk(c, evs, p, opts.Hours, inPeriod)
		if w.since.IsZero() || w.since.After(f.Now) || c.State == bridge.StateResolved {
			continue
		}
		w.waited = f.Now.Sub(w.since)
		target := opts.Targets.NextResponse
		if w.first {
			target = opts.Targets.FirstResponse
		}
		w.breaching = target > 0 && exceeds(opts.Hours, w.since, f.Now, target)
		waits[c.ID] = w
	}

	m := Metrics{Period: p, Filter: filter, Now: f.Now, BusinessHours: opts.Hours != nil, Targets: opts.Targets}
	agg := aggregate(inPeriod, filter, filter.Agent, opts)
	m.Counts, m.FirstResponse, m.ReplyTime, m.Resolution, m.SLA = agg.counts, agg.first, agg.next, agg.resolution, agg.sla
	m.CSAT = csatOf(f, p, filter, filter.Agent)
	m.Backlog = backlogOf(f, filter, filter.Agent, waits)

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

	// Agent rows: one pass over the observations, the surveys and the
	// open conversations, each grouped by agent.
	rows := map[string]*collector{}
	row := func(agent string) *collector {
		c, ok := rows[agent]
		if !ok {
			c = &collector{}
			rows[agent] = c
		}
		return c
	}
	for _, o := range inPeriod {
		if o.agent != "" && (filter.Agent == "" || o.agent == filter.Agent) && o.matches(filter, o.agent) {
			row(o.agent).add(o, opts)
		}
	}
	open := map[string]int{}
	for _, c := range f.Conversations {
		if c.Assignee != "" && c.State != bridge.StateResolved && (filter.Agent == "" || c.Assignee == filter.Agent) &&
			(filter.Team == "" || c.Team == filter.Team) && (filter.Inbox == "" || c.Inbox == filter.Inbox) {
			open[c.Assignee]++
			row(c.Assignee)
		}
	}
	for agent, c := range rows {
		a := c.result()
		m.Agents = append(m.Agents, AgentRow{Agent: agent, Assigned: a.counts.Assigned, Replies: a.counts.Replies, Resolved: a.counts.Resolved,
			TransferredIn: a.counts.TransferredIn, TransferredOut: a.counts.TransferredOut,
			FirstResponse: a.first, ReplyTime: a.next, Resolution: a.resolution,
			CSAT: csatOf(f, p, filter, agent), Open: open[agent]})
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

// collector accumulates the observations of one scope (the whole filter
// or one agent).
type collector struct {
	a                aggregated
	first, next, res [2][]time.Duration // wall, business
}

func (c *collector) add(o obs, opts Options) {
	business := opts.Hours != nil
	switch o.kind {
	case obsOpened:
		c.a.counts.Received++
	case obsAssigned:
		c.a.counts.Assigned++
	case obsResolved:
		c.a.counts.Resolved++
	case obsReopened:
		c.a.counts.Reopened++
	case obsTransferIn:
		c.a.counts.TransferredIn++
	case obsTransferOut:
		c.a.counts.TransferredOut++
	case obsReply:
		c.a.counts.Replies++
	case obsFirstResponse:
		c.first = addSample(c.first, o, business)
		c.a.sla.FirstResponse = attain(c.a.sla.FirstResponse, o, opts.Targets.FirstResponse, business)
	case obsNextResponse:
		c.next = addSample(c.next, o, business)
		c.a.sla.NextResponse = attain(c.a.sla.NextResponse, o, opts.Targets.NextResponse, business)
	case obsResolution:
		c.res = addSample(c.res, o, business)
		c.a.sla.Resolution = attain(c.a.sla.Resolution, o, opts.Targets.Resolution, business)
	}
}

func (c *collector) result() aggregated {
	a := c.a
	a.first = Clock{Wall: statsOf(c.first[0]), Business: statsOf(c.first[1])}
	a.next = Clock{Wall: statsOf(c.next[0]), Business: statsOf(c.next[1])}
	a.resolution = Clock{Wall: statsOf(c.res[0]), Business: statsOf(c.res[1])}
	return a
}

func aggregate(list []obs, f Filter, agent string, opts Options) aggregated {
	var c collector
	for _, o := range list {
		if o.matches(f, agent) {
			c.add(o, opts)
		}
	}
	return c.result()
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

func backlogOf(f Facts, filter Filter, agent string, waits map[bridge.ConversationID]waiting) Backlog {
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
		if !ok {
			continue
		}
		b.Waiting++
		if w.waited > b.OldestWaiting || (w.waited == b.OldestWaiting && c.ID < b.OldestID) {
			b.OldestWaiting, b.OldestID = w.waited, c.ID
		}
		if w.breaching {
			b.Breaching++
		}
	}
	return b
}
