package report

import (
	"cmp"
	"slices"
	"time"

	"github.com/switchboard/switchboard/bridge"
)

// Compute turns facts into the metrics of period p for filter f, per the
// definitions of docs/metrics.md: it observes every conversation (Observe)
// and counts what falls in the period. It is the reference the database's
// report summary (storage) is checked against; opts.Hours measures every
// clock.
func Compute(f Facts, p Period, filter Filter, opts Options) Metrics {
	byConv := groupEvents(f.Conversations, f.Events)
	hours := func(string) BusinessHours { return opts.Hours }
	all := make([]Observation, 0, len(f.Events)+len(f.Conversations))
	open := make([]OpenConversation, 0)
	for k, c := range f.Conversations {
		if !filter.keeps(c) {
			continue
		}
		var w Waiting
		start := len(all)
		all, w = Observe(c, byConv[k], hours, all)
		// Only observations of the period are kept.
		kept := start
		for _, o := range all[start:] {
			if p.Contains(o.At) {
				all[kept] = o
				kept++
			}
		}
		all = all[:kept]
		if c.State != bridge.StateResolved {
			open = append(open, OpenConversation{ID: c.ID, Team: c.Team, Inbox: c.Inbox, Channel: c.Channel, Assignee: c.Assignee, Waiting: w})
		}
	}

	s := newScopes(p, filter, opts)
	loc := p.Location()
	for _, o := range all {
		s.add(o, 1)
		if o.matches(filter, filter.Agent) {
			switch o.Kind {
			case ObsOpened:
				s.volume[o.At.In(loc).Hour()]++
			case ObsFirstResponse:
				day := midnight(o.At, loc, 0)
				s.trend[day] = append(s.trend[day], o.Wall)
			}
		}
	}
	csat := map[string]CSATTally{}
	// Surveys count for the conversation's inbox, channel and labels.
	var kept map[bridge.ConversationID]bool
	if filter.Inbox != "" || filter.Channel != "" || filter.Label != "" {
		kept = make(map[bridge.ConversationID]bool, len(f.Conversations))
		for _, c := range f.Conversations {
			kept[c.ID] = filter.keeps(c) && (filter.Inbox == "" || c.Inbox == filter.Inbox)
		}
	}
	for _, c := range f.CSAT {
		if !p.Contains(c.SentAt) || (filter.Team != "" && c.Team != filter.Team) ||
			(filter.Agent != "" && c.Agent != filter.Agent) || (kept != nil && !kept[c.ConversationID]) {
			continue
		}
		a := csat[c.Agent]
		a.Sent++
		if !c.AnsweredAt.IsZero() && c.Score > 0 {
			a.Answered++
			a.ScoreSum += c.Score
		}
		csat[c.Agent] = a
	}
	return s.metrics(f.Now, csat, open)
}

// CSATTally counts one agent's surveys of a period: sent, answered and
// the sum of the answers' scores.
type CSATTally struct {
	Sent, Answered, ScoreSum int
}

func (t CSATTally) stats() CSATStats {
	s := CSATStats{Sent: t.Sent, Answered: t.Answered}
	if t.Answered > 0 {
		s.Average = float64(t.ScoreSum) / float64(t.Answered)
	}
	return s
}

// OpenConversation is a conversation of the backlog: not resolved, with
// its current team, inbox and holder, and who waits since when.
type OpenConversation struct {
	ID       bridge.ConversationID
	Team     string
	Inbox    string
	Channel  string
	Assignee string
	Waiting  Waiting
}

// scopes accumulates the observations of a period for the filter's scope
// and for each agent's row; Compute and Assemble feed it.
type scopes struct {
	p      Period
	filter Filter
	opts   Options
	scope  collector
	rows   map[string]*collector
	volume [24]int
	trend  map[time.Time][]time.Duration
	// channels counts the scope's observations per customer channel
	// (observations without a channel, as Assemble makes, are not split).
	channels map[string]*ChannelRow
}

func newScopes(p Period, filter Filter, opts Options) *scopes {
	return &scopes{p: p, filter: filter, opts: opts, rows: map[string]*collector{}, trend: map[time.Time][]time.Duration{},
		channels: map[string]*ChannelRow{}}
}

func (s *scopes) channel(name string) *ChannelRow {
	r, ok := s.channels[name]
	if !ok {
		r = &ChannelRow{Channel: name}
		s.channels[name] = r
	}
	return r
}

func (s *scopes) row(agent string) *collector {
	c, ok := s.rows[agent]
	if !ok {
		c = &collector{}
		s.rows[agent] = c
	}
	return c
}

// add counts n observations like o (n is 1 for a clock's stop).
func (s *scopes) add(o Observation, n int) {
	if o.matches(s.filter, s.filter.Agent) {
		s.scope.add(o, n, s.opts)
		if o.Channel != "" {
			s.channel(o.Channel).add(o.Kind, n)
		}
	}
	if o.Agent != "" && (s.filter.Agent == "" || o.Agent == s.filter.Agent) && o.matches(s.filter, o.Agent) {
		s.row(o.Agent).add(o, n, s.opts)
	}
}

// metrics finishes the figures: now is the instant the backlog is measured
// at, csat the surveys of the period by agent (already filtered), open the
// conversations not resolved now (filtered here).
func (s *scopes) metrics(now time.Time, csat map[string]CSATTally, open []OpenConversation) Metrics {
	filter, opts := s.filter, s.opts
	m := Metrics{Period: s.p, Filter: filter, Now: now, BusinessHours: opts.Hours != nil, Targets: opts.Targets, VolumeByHour: s.volume}
	agg := s.scope.result()
	m.Counts, m.FirstResponse, m.ReplyTime, m.Resolution, m.SLA = agg.counts, agg.first, agg.next, agg.resolution, agg.sla
	var all CSATTally
	for _, c := range csat {
		all.Sent, all.Answered, all.ScoreSum = all.Sent+c.Sent, all.Answered+c.Answered, all.ScoreSum+c.ScoreSum
	}
	m.CSAT = all.stats()
	for _, d := range s.p.Days() {
		st := statsOf(s.trend[d])
		m.FirstResponseTrend = append(m.FirstResponseTrend, DayPoint{Day: d, Count: st.Count, Median: st.Median})
	}

	held := map[string]int{}
	for _, c := range open {
		if (filter.Team != "" && c.Team != filter.Team) || (filter.Inbox != "" && c.Inbox != filter.Inbox) ||
			(filter.Channel != "" && c.Channel != filter.Channel) ||
			(filter.Agent != "" && c.Assignee != filter.Agent) {
			continue
		}
		m.Backlog.add(c, now, opts)
		if c.Channel != "" {
			s.channel(c.Channel).Open++
		}
		if c.Assignee != "" {
			held[c.Assignee]++
			s.row(c.Assignee)
		}
	}
	for agent, c := range s.rows {
		a := c.result()
		m.Agents = append(m.Agents, AgentRow{Agent: agent, Assigned: a.counts.Assigned, Replies: a.counts.Replies, Resolved: a.counts.Resolved,
			TransferredIn: a.counts.TransferredIn, TransferredOut: a.counts.TransferredOut,
			FirstResponse: a.first, ReplyTime: a.next, Resolution: a.resolution,
			CSAT: csat[agent].stats(), Open: held[agent]})
	}
	slices.SortFunc(m.Agents, func(a, b AgentRow) int {
		return cmp.Or(cmp.Compare(b.Assigned, a.Assigned), cmp.Compare(b.Replies, a.Replies), cmp.Compare(a.Agent, b.Agent))
	})
	for _, r := range s.channels {
		m.Channels = append(m.Channels, *r)
	}
	slices.SortFunc(m.Channels, func(a, b ChannelRow) int { return cmp.Compare(a.Channel, b.Channel) })
	return m
}

// add counts one open conversation in the backlog measured at now.
func (b *Backlog) add(c OpenConversation, now time.Time, opts Options) {
	b.Open++
	if c.Assignee == "" {
		b.Unassigned++
	}
	since := c.Waiting.Since
	if since.IsZero() || since.After(now) {
		return
	}
	waited := now.Sub(since)
	b.Waiting++
	if waited > b.OldestWaiting || (waited == b.OldestWaiting && c.ID < b.OldestID) {
		b.OldestWaiting, b.OldestID = waited, c.ID
	}
	target := opts.Targets.NextResponse
	if c.Waiting.First {
		target = opts.Targets.FirstResponse
	}
	if target > 0 && exceeds(opts.Hours, since, now, target) {
		b.Breaching++
	}
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
// events in log order (SortEvents), as sub-slices of one copy of events.
// Events of conversations not in convs are dropped.
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
	for k := range convs {
		evs := flat[start[k]:start[k+1]:start[k+1]]
		SortEvents(evs)
		out[k] = evs
	}
	return out
}

// matches reports whether an observation counts for filter f and agent
// (f.Agent, or one agent row's agent; "" for any).
func (o Observation) matches(f Filter, agent string) bool {
	if f.Team != "" && o.Team != f.Team {
		return false
	}
	if f.Inbox != "" && o.Inbox != f.Inbox {
		return false
	}
	if agent != "" && o.Agent != agent {
		return false
	}
	if o.Kind == ObsTransferIn || o.Kind == ObsTransferOut {
		switch {
		case agent != "":
			return !o.SameAgent
		case f.Team != "":
			return !o.SameTeam
		}
	}
	return true
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

// add counts n observations like o; a clock's stop is always one sample.
func (c *collector) add(o Observation, n int, opts Options) {
	business := opts.Hours != nil
	switch o.Kind {
	case ObsOpened:
		c.a.counts.Received += n
	case ObsStarted:
		c.a.counts.Started += n
	case ObsAssigned:
		c.a.counts.Assigned += n
	case ObsResolved:
		c.a.counts.Resolved += n
	case ObsReopened:
		c.a.counts.Reopened += n
	case ObsTransferIn:
		c.a.counts.TransferredIn += n
	case ObsTransferOut:
		c.a.counts.TransferredOut += n
	case ObsReply:
		c.a.counts.Replies += n
	case ObsFirstResponse:
		c.first = addSample(c.first, o, business)
		c.a.sla.FirstResponse = attain(c.a.sla.FirstResponse, o, opts.Targets.FirstResponse, business)
	case ObsNextResponse:
		c.next = addSample(c.next, o, business)
		c.a.sla.NextResponse = attain(c.a.sla.NextResponse, o, opts.Targets.NextResponse, business)
	case ObsResolution:
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

func addSample(s [2][]time.Duration, o Observation, business bool) [2][]time.Duration {
	s[0] = append(s[0], o.Wall)
	if business {
		s[1] = append(s[1], o.Business)
	}
	return s
}

func attain(a Attainment, o Observation, target time.Duration, business bool) Attainment {
	if target <= 0 {
		return a
	}
	d := o.Wall
	if business {
		d = o.Business
	}
	a.Total++
	if d <= target {
		a.Met++
	}
	return a
}
