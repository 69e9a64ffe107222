package report

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/assist"
)

// label is a word of the table or chart in lang, from the bridge's
// message catalogue ("report.<key>").
func label(lang, key string) string { return bridge.Text(lang, "report."+key) }

// Table renders the metrics as a compact monospace table for a Slack or
// Discord message (wrap it in a ``` code block), with one row per agent
// when the filter asked for ByAgent. Labels come from the labels map.
func (m Metrics) Table(lang string) string {
	l := func(k string) string { return label(lang, k) }
	var b strings.Builder
	scope := m.Filter.Team
	if scope == "" {
		scope = l("all")
	}
	if m.Filter.Agent != "" {
		scope += " · " + m.Filter.Agent
	}
	if m.Filter.Inbox != "" {
		scope += " · " + m.Filter.Inbox
	}
	if m.Filter.Channel != "" {
		scope += " · " + bridge.Text(lang, "report.scope_channel", ChannelName(lang, m.Filter.Channel))
	}
	if m.Filter.Label != "" {
		scope += " · " + bridge.Text(lang, "report.scope_label", m.Filter.Label)
	}
	loc := m.Period.Location()
	last := m.Period.To.Add(-time.Millisecond)
	fmt.Fprintf(&b, "%s · %s → %s (%s)\n", scope, m.Period.From.In(loc).Format("2006-01-02 15:04"),
		last.In(loc).Format("2006-01-02 15:04"), loc)
	// Columns are as wide as the longest label in lang (fmt pads by
	// runes, so accents do not shift them).
	w1, w2 := 15, 13
	for _, k := range []string{"received", "assigned", "transfer_in", "replies", "first_response", "reply_time", "resolution", "business", "backlog", "csat", "sla"} {
		w1 = max(w1, utf8.RuneCountInString(l(k))+1)
	}
	for _, k := range []string{"resolved", "reopened", "transfer_out", "started"} {
		w2 = max(w2, utf8.RuneCountInString(l(k))+1)
	}
	c := m.Counts
	pair := func(k1 string, v1 int, k2 string, v2 int) {
		if k2 == "" {
			fmt.Fprintf(&b, "%-*s%5d\n", w1, l(k1), v1)
			return
		}
		fmt.Fprintf(&b, "%-*s%5d   %-*s%5d\n", w1, l(k1), v1, w2, l(k2), v2)
	}
	pair("received", c.Received, "resolved", c.Resolved)
	pair("assigned", c.Assigned, "reopened", c.Reopened)
	pair("transfer_in", c.TransferredIn, "transfer_out", c.TransferredOut)
	pair("replies", c.Replies, "started", c.Started)
	b.WriteString("\n")
	fmt.Fprintf(&b, "%-*s%8s %8s %5s\n", w1, "", l("median"), l("p90"), l("count"))
	clock := func(k string, cl Clock) {
		fmt.Fprintf(&b, "%-*s%8s %8s %5d\n", w1, l(k), stat(cl.Wall.Median, cl.Wall.Count, l), stat(cl.Wall.P90, cl.Wall.Count, l), cl.Wall.Count)
		if m.BusinessHours {
			fmt.Fprintf(&b, "%-*s%8s %8s %5d\n", w1, l("business"), stat(cl.Business.Median, cl.Business.Count, l), stat(cl.Business.P90, cl.Business.Count, l), cl.Business.Count)
		}
	}
	clock("first_response", m.FirstResponse)
	clock("reply_time", m.ReplyTime)
	clock("resolution", m.Resolution)
	b.WriteString("\n")
	bl := m.Backlog
	fmt.Fprintf(&b, "%-*s%d %s · %d %s · %d %s", w1, l("backlog"), bl.Open, l("open"), bl.Unassigned, l("unassigned"), bl.Waiting, l("waiting"))
	if bl.OldestID != 0 {
		fmt.Fprintf(&b, " · %s %s (#%d)", l("oldest"), Human(bl.OldestWaiting), bl.OldestID)
	}
	if bl.Breaching > 0 {
		fmt.Fprintf(&b, " · %d %s", bl.Breaching, l("breaching"))
	}
	b.WriteString("\n")
	if m.CSAT.Sent > 0 {
		fmt.Fprintf(&b, "%-*s%s · %.0f%% %s (%d/%d)\n", w1, l("csat"), csatText(m.CSAT, l), 100*m.CSAT.ResponseRate(),
			l("answered"), m.CSAT.Answered, m.CSAT.Sent)
	}
	var sla []string
	for _, s := range []struct {
		key    string
		target time.Duration
		a      Attainment
	}{{"sla_first", m.Targets.FirstResponse, m.SLA.FirstResponse}, {"sla_next", m.Targets.NextResponse, m.SLA.NextResponse},
		{"sla_resolution", m.Targets.Resolution, m.SLA.Resolution}} {
		if s.target <= 0 {
			continue
		}
		rate, ok := s.a.Rate()
		v := l("none")
		if ok {
			v = fmt.Sprintf("%.0f%%", 100*rate)
		}
		sla = append(sla, fmt.Sprintf("%s ≤%s %s", l(s.key), Human(s.target), v))
	}
	if len(sla) > 0 {
		fmt.Fprintf(&b, "%-*s%s\n", w1, l("sla"), strings.Join(sla, " · "))
	}
	m.Cost.costTable(&b, lang)
	if m.Pending > 0 {
		fmt.Fprintf(&b, "%s\n", bridge.Text(lang, "report.pending", m.Pending))
	}
	m.channelTable(&b, lang)
	if m.Filter.ByAgent && len(m.Agents) > 0 {
		b.WriteString("\n")
		width := utf8.RuneCountInString(l("agent"))
		for _, a := range m.Agents {
			width = max(width, utf8.RuneCountInString(AgentLabel(lang, a.Agent)))
		}
		fmt.Fprintf(&b, "%-*s %5s %5s %5s %8s %9s %5s %5s\n", width, l("agent"), l("agent_assigned"), l("agent_replies"),
			l("agent_resolved"), l("agent_first"), l("agent_reply"), l("agent_open"), l("agent_csat"))
		for _, a := range m.Agents {
			fmt.Fprintf(&b, "%-*s %5d %5d %5d %8s %9s %5d %5s\n", width, AgentLabel(lang, a.Agent), a.Assigned, a.Replies, a.Resolved,
				stat(a.FirstResponse.Wall.Median, a.FirstResponse.Wall.Count, l), stat(a.ReplyTime.Wall.Median, a.ReplyTime.Wall.Count, l),
				a.Open, csatText(a.CSAT, l))
		}
	}
	return b.String()
}

func stat(d time.Duration, n int, l func(string) string) string {
	if n == 0 {
		return l("none")
	}
	return Human(d)
}

func csatText(c CSATStats, l func(string) string) string {
	if c.Answered == 0 {
		return l("none")
	}
	return fmt.Sprintf("%.1f", c.Average)
}

// Human writes a duration compactly for a table: 45s, 12m, 1h05m, 2d03h,
// the same way the bridge's own texts do.
func Human(d time.Duration) string { return bridge.HumanDuration(d) }

// AgentLabel is how an agent row is named: the first-line assistant as
// "🤖 Assistant" (in lang), a person by their id.
func AgentLabel(lang, agent string) string {
	if agent == assist.AgentID {
		return bridge.Text(lang, "fl.name")
	}
	return agent
}

// ChannelName is a customer channel's name in lang ("e-mail", …), the
// channel's id when the catalogue does not know it.
func ChannelName(lang, channel string) string {
	if t := bridge.Text(lang, "ch.name."+channel); t != "ch.name."+channel {
		return t
	}
	return channel
}

// channelTable writes one row per customer channel when the figures span
// more than one: with a single channel the totals above say it all.
func (m Metrics) channelTable(b *strings.Builder, lang string) {
	if len(m.Channels) < 2 {
		return
	}
	l := func(k string) string { return label(lang, k) }
	width := utf8.RuneCountInString(l("channel"))
	for _, r := range m.Channels {
		width = max(width, utf8.RuneCountInString(ChannelName(lang, r.Channel)))
	}
	b.WriteString("\n")
	fmt.Fprintf(b, "%-*s %5s %5s %5s %5s %5s\n", width, l("channel"), l("channel_received"), l("channel_started"),
		l("agent_replies"), l("agent_resolved"), l("agent_open"))
	for _, r := range m.Channels {
		fmt.Fprintf(b, "%-*s %5d %5d %5d %5d %5d\n", width, ChannelName(lang, r.Channel), r.Received, r.Started, r.Replies, r.Resolved, r.Open)
	}
}
