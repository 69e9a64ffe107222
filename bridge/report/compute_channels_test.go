package report

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// seedChannels is seed's log with conversation 5 (inbox in2) on Messenger
// and conversations 1 and 5 of people labelled vip; the rest is WhatsApp.
func seedChannels(t testing.TB) Facts {
	f := seed(t)
	for i := range f.Conversations {
		c := &f.Conversations[i]
		c.Channel = "whatsapp"
		switch c.ID {
		case 1:
			c.Labels = []string{"regular-buyer", "vip"}
		case 5:
			c.Channel, c.Labels = "messenger", []string{"vip"}
		}
	}
	return f
}

func TestComputeByChannelAndLabel(t *testing.T) {
	t.Parallel()
	loc := madrid(t)
	facts := seedChannels(t)
	week := LastDays(facts.Now, loc, 7)
	opts := Options{Hours: testHours(t), Targets: Targets{FirstResponse: time.Hour}}
	for _, tc := range []struct {
		name     string
		filter   Filter
		counts   Counts
		open     int
		csat     CSATStats
		channels []ChannelRow
	}{
		{
			name:   "support over every channel: one row per channel",
			filter: Filter{Team: "support"},
			counts: Counts{Received: 5, Assigned: 4, Resolved: 3, Reopened: 1, TransferredOut: 1, Replies: 7},
			open:   2,
			csat:   CSATStats{Sent: 3, Answered: 2, Average: 2.5},
			// Messenger: conversation 5 (two replies, open now); WhatsApp:
			// 1 2 3 4 (five replies, three resolutions, 4 open).
			channels: []ChannelRow{
				{Channel: "messenger", Received: 1, Replies: 2, Open: 1},
				{Channel: "whatsapp", Received: 4, Replies: 5, Resolved: 3, Open: 1},
			},
		},
		{
			name:   "support on Messenger only",
			filter: Filter{Team: "support", Channel: "messenger"},
			// conversation 5: U2's claim; its transfer stayed in the team.
			counts:   Counts{Received: 1, Assigned: 1, Replies: 2},
			open:     1,
			channels: []ChannelRow{{Channel: "messenger", Received: 1, Replies: 2, Open: 1}},
		},
		{
			name:   "support's vip customers, on both channels",
			filter: Filter{Team: "support", Label: "vip"},
			// conversations 1 (WhatsApp) and 5 (Messenger); conversation
			// 1's survey (3) is the only one.
			counts: Counts{Received: 2, Assigned: 2, Resolved: 1, Replies: 5},
			open:   1,
			csat:   CSATStats{Sent: 1, Answered: 1, Average: 3},
			channels: []ChannelRow{
				{Channel: "messenger", Received: 1, Replies: 2, Open: 1},
				{Channel: "whatsapp", Received: 1, Replies: 3, Resolved: 1},
			},
		},
		{
			name:   "a label and a channel together",
			filter: Filter{Team: "support", Label: "vip", Channel: "whatsapp"},
			counts: Counts{Received: 1, Assigned: 1, Resolved: 1, Replies: 3},
			csat:   CSATStats{Sent: 1, Answered: 1, Average: 3},
			channels: []ChannelRow{
				{Channel: "whatsapp", Received: 1, Replies: 3, Resolved: 1},
			},
		},
		{
			name:   "a label nobody carries counts nothing",
			filter: Filter{Label: "wholesale"},
		},
		{
			name:   "a channel without conversations counts nothing",
			filter: Filter{Channel: "email"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Compute(facts, week, tc.filter, opts)
			require.Equal(t, tc.counts, got.Counts)
			require.Equal(t, tc.open, got.Backlog.Open)
			require.Equal(t, tc.csat, got.CSAT)
			require.Equal(t, tc.channels, got.Channels)
		})
	}
}

func TestChannelRowsInTableAndExport(t *testing.T) {
	t.Parallel()
	loc := madrid(t)
	facts := seedChannels(t)
	m := Compute(facts, LastDays(facts.Now, loc, 7), Filter{Team: "support"}, Options{})
	table := m.Table("es")
	require.Contains(t, table, "Canal", "the channel rows' header, in the asker's language")
	require.Regexp(t, `Messenger\s+1\s+0\s+2\s+0\s+1\n`, table)
	require.Regexp(t, `WhatsApp\s+4\s+0\s+5\s+3\s+1\n`, table)

	var rows []string
	for _, r := range m.Rows() {
		if strings.HasPrefix(r.Scope, "channel:") {
			rows = append(rows, r.Scope+" "+r.Metric+" "+strconv.FormatFloat(r.Value, 'f', -1, 64))
		}
	}
	require.Contains(t, rows, "channel:messenger received 1")
	require.Contains(t, rows, "channel:whatsapp resolved 3")
	require.Contains(t, rows, "channel:messenger backlog_open 1")

	// One channel: the totals say it all, and the scope names the filter.
	one := Compute(facts, LastDays(facts.Now, loc, 7), Filter{Team: "support", Channel: "messenger", Label: "vip"}, Options{})
	table = one.Table("en")
	require.NotContains(t, table, "Recv")
	require.Contains(t, table, "support · channel Messenger · label vip")
}
