package report

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/switchboard/switchboard/bridge"
)

// seed builds the event log the expected figures below were computed from
// by hand. Times are Madrid wall clock; the week of Monday 2025-03-24 ends
// with the spring-forward Sunday 2025-03-30 (02:00 CET → 03:00 CEST).
//
//  1. support/in1, U1: opened Mon 10:00; a note at 10:02 (not a response);
//     a second message at 10:03 (the clock keeps running); claimed 10:04;
//     reply 10:05 → first response 5m. Customer 10:20, a reaction at 10:21,
//     reply 10:30 → reply time 10m. A reaction alone at 10:40 and a
//     "you're welcome" reply at 10:45 → no sample. Resolved 11:00 →
//     resolution 1h. CSAT 3.
//  2. support/in1, U2: opened Mon 17:00; auto-claim and reply Tue 09:30 →
//     first response 16h30m wall, 1h30m business (Mon 17-18 + Tue 9-9:30).
//     A WhatsApp "system" notice at 09:40 (no clock). Resolved Tue 10:00 →
//     17h wall, 2h business (CSAT 2). The customer writes at 12:00, the
//     webhook reopens at 12:01; reply 12:10 → a first response again, 10m
//     (from the message at 12:00). Resolved 13:01 → 1h from the reopen
//     (CSAT sent, not answered).
//  3. support/in1: opened Wed 09:00, claimed by U1 09:01, transferred to
//     sales 09:02 (back to the queue), claimed by U3 09:10, reply 09:15 →
//     first response 15m for sales and U3. Customer writes 09:30: waiting.
//  4. support/in1: opened Sat 29 23:00 CET; only a note; still waiting at
//     Now (Mon 31 10:00 CEST): 34h wall (not 35: the night lost an hour),
//     business 7h (Sat 23:00 CET-Sun 06:00 CEST = 6h, Mon 09-10 = 1h).
//  5. support/in2, U2: opened Thu 14:00, claimed 14:05, reply 14:20 → first
//     response 20m; customer 14:30, reply 15:00 → reply time 30m; transferred
//     to U1 in the same team at 15:05 (an agent transfer, not a team one).
//  6. sales/in1, U3: opened Sun 23 20:00 (before the period), reply 20:30
//     (first response before the period: not counted), resolved Mon 24
//     09:00 → resolution 13h for sales in the period. CSAT 1.
func seed(t testing.TB) Facts {
	loc := madrid(t)
	at := func(s string) time.Time { return local(t, loc, s) }
	var f Facts
	var seq int64
	conv := func(id int, team, inbox string, state bridge.State, assignee, opened string) {
		f.Conversations = append(f.Conversations, Conversation{ID: bridge.ConversationID(id), Team: team, Inbox: inbox,
			State: state, Assignee: assignee, OpenedAt: at(opened)})
	}
	ev := func(id int, kind, actor, data, when string) {
		seq++
		f.Events = append(f.Events, Event{Seq: seq, ConversationID: bridge.ConversationID(id), Kind: kind, Actor: actor, Data: data, At: at(when)})
	}
	opened := func(id int, team, when string) {
		ev(id, bridge.EventOpened, "", "", when)
		ev(id, bridge.EventRouted, "", team, when)
		ev(id, bridge.EventReceived, "", "text", when)
	}

	conv(1, "support", "in1", bridge.StateResolved, "U1", "2025-03-24 10:00")
	opened(1, "support", "2025-03-24 10:00")
	ev(1, bridge.EventNoted, "U1", "", "2025-03-24 10:02")
	ev(1, bridge.EventReceived, "", "text", "2025-03-24 10:03")
	ev(1, bridge.EventClaimed, "U1", "", "2025-03-24 10:04")
	ev(1, bridge.EventReplied, "U1", "", "2025-03-24 10:05")
	ev(1, bridge.EventReceived, "", "text", "2025-03-24 10:20")
	ev(1, bridge.EventReceived, "", "reaction", "2025-03-24 10:21")
	ev(1, bridge.EventReplied, "U1", "", "2025-03-24 10:30")
	ev(1, bridge.EventReceived, "", "reaction", "2025-03-24 10:40")
	ev(1, bridge.EventReplied, "U1", "", "2025-03-24 10:45")
	ev(1, bridge.EventResolved, "U1", "", "2025-03-24 11:00")

	conv(2, "support", "in1", bridge.StateResolved, "U2", "2025-03-24 17:00")
	opened(2, "support", "2025-03-24 17:00")
	ev(2, bridge.EventClaimed, "U2", "auto", "2025-03-25 09:30")
	ev(2, bridge.EventReplied, "U2", "", "2025-03-25 09:30")
	ev(2, bridge.EventReceived, "", "system", "2025-03-25 09:40")
	ev(2, bridge.EventResolved, "U2", "", "2025-03-25 10:00")
	ev(2, bridge.EventReopened, "customer", "", "2025-03-25 12:01")
	ev(2, bridge.EventReceived, "", "text", "2025-03-25 12:00")
	ev(2, bridge.EventReplied, "U2", "", "2025-03-25 12:10")
	ev(2, bridge.EventResolved, "U2", "", "2025-03-25 13:01")

	conv(3, "sales", "in1", bridge.StateAssigned, "U3", "2025-03-26 09:00")
	opened(3, "support", "2025-03-26 09:00")
	ev(3, bridge.EventClaimed, "U1", "", "2025-03-26 09:01")
	ev(3, bridge.EventTransferred, "U1", TransferData(Transfer{FromTeam: "support", ToTeam: "sales", FromAgent: "U1"}), "2025-03-26 09:02")
	ev(3, bridge.EventClaimed, "U3", "", "2025-03-26 09:10")
	ev(3, bridge.EventReplied, "U3", "", "2025-03-26 09:15")
	ev(3, bridge.EventReceived, "", "text", "2025-03-26 09:30")

	conv(4, "support", "in1", bridge.StatePending, "", "2025-03-29 23:00")
	opened(4, "support", "2025-03-29 23:00")
	ev(4, bridge.EventNoted, "U1", "", "2025-03-29 23:05")

	conv(5, "support", "in2", bridge.StateAssigned, "U1", "2025-03-27 14:00")
	opened(5, "support", "2025-03-27 14:00")
	ev(5, bridge.EventClaimed, "U2", "", "2025-03-27 14:05")
	ev(5, bridge.EventReplied, "U2", "", "2025-03-27 14:20")
	ev(5, bridge.EventReceived, "", "text", "2025-03-27 14:30")
	ev(5, bridge.EventReplied, "U2", "", "2025-03-27 15:00")
	ev(5, bridge.EventTransferred, "U2", TransferData(Transfer{FromTeam: "support", ToTeam: "support", FromAgent: "U2", ToAgent: "U1"}), "2025-03-27 15:05")

	conv(6, "sales", "in1", bridge.StateResolved, "U3", "2025-03-23 20:00")
	opened(6, "sales", "2025-03-23 20:00")
	ev(6, bridge.EventClaimed, "U3", "", "2025-03-23 20:30")
	ev(6, bridge.EventReplied, "U3", "", "2025-03-23 20:30")
	ev(6, bridge.EventResolved, "U3", "", "2025-03-24 09:00")

	f.CSAT = []CSAT{
		{ConversationID: 1, Team: "support", Agent: "U1", SentAt: at("2025-03-24 11:00"), AnsweredAt: at("2025-03-24 11:05"), Score: 3},
		{ConversationID: 2, Team: "support", Agent: "U2", SentAt: at("2025-03-25 10:00"), AnsweredAt: at("2025-03-25 10:20"), Score: 2},
		{ConversationID: 2, Team: "support", Agent: "U2", SentAt: at("2025-03-25 13:01")},
		{ConversationID: 6, Team: "sales", Agent: "U3", SentAt: at("2025-03-24 09:00"), AnsweredAt: at("2025-03-24 09:30"), Score: 1},
	}
	f.Now = at("2025-03-31 10:00")
	return f
}

func stats(n int, median, p90 time.Duration) Stats { return Stats{Count: n, Median: median, P90: p90} }

const (
	m = time.Minute
	h = time.Hour
)

func TestCompute(t *testing.T) {
	t.Parallel()
	loc := madrid(t)
	facts := seed(t)
	week := LastDays(facts.Now, loc, 7) // Mon 24 00:00 → Mon 31 00:00
	opts := Options{Hours: testHours(t), Targets: Targets{FirstResponse: time.Hour, NextResponse: 30 * time.Minute, Resolution: 8 * time.Hour}}

	tests := []struct {
		name       string
		filter     Filter
		opts       Options
		counts     Counts
		first      Clock
		reply      Clock
		resolution Clock
		backlog    Backlog
		csat       CSATStats
		sla        SLAStats
	}{
		{
			name:   "the support team over the DST week, in business hours",
			filter: Filter{Team: "support"},
			opts:   opts,
			// received: conversations 1 2 3 4 5 (3 was opened in support);
			// assigned: 1 U1, 2 U2 (auto), 3 U1 (before its transfer), 5 U2;
			// resolved: 1, 2 twice; reopened: 2; out: 3 to sales (5 stayed
			// in the team); replies: 3 (conv 1) + 2 (conv 2) + 2 (conv 5).
			counts: Counts{Received: 5, Assigned: 4, Resolved: 3, Reopened: 1, TransferredIn: 0, TransferredOut: 1, Replies: 7},
			// wall 5m 10m 20m 16h30m: median rank ceil(.5×4)=2 → 10m, p90
			// rank ceil(.9×4)=4 → 16h30m; business 5m 10m 20m 1h30m.
			first: Clock{Wall: stats(4, 10*m, 16*h+30*m), Business: stats(4, 10*m, 90*m)},
			// 10m (conv 1) and 30m (conv 5): ranks 1 and 2; the reaction
			// before the 10:45 reply and the system notice start no clock.
			reply: Clock{Wall: stats(2, 10*m, 30*m), Business: stats(2, 10*m, 30*m)},
			// wall 1h 1h 17h: rank 2 → 1h, rank ceil(2.7)=3 → 17h; business 1h 1h 2h.
			resolution: Clock{Wall: stats(3, h, 17*h), Business: stats(3, h, 2*h)},
			// open now: 4 (waiting, unassigned) and 5 (U1); 4 waits 34h
			// wall, 7h business > the 1h first-response target.
			backlog: Backlog{Open: 2, Unassigned: 1, Waiting: 1, OldestWaiting: 34 * h, OldestID: 4, Breaching: 1},
			// sent 3 (conv 1, conv 2 twice), answered 2: (3+2)/2 = 2.5.
			csat: CSATStats{Sent: 3, Answered: 2, Average: 2.5},
			// business first responses ≤1h: 5m 10m 20m yes, 1h30m no → 3/4;
			// next ≤30m: 10m 30m → 2/2; resolution ≤8h: 1h 1h 2h → 3/3.
			sla: SLAStats{FirstResponse: Attainment{3, 4}, NextResponse: Attainment{2, 2}, Resolution: Attainment{3, 3}},
		},
		{
			name:   "the same team in wall-clock time only",
			filter: Filter{Team: "support"},
			opts:   Options{Targets: opts.Targets},
			counts: Counts{Received: 5, Assigned: 4, Resolved: 3, Reopened: 1, TransferredIn: 0, TransferredOut: 1, Replies: 7},
			first:  Clock{Wall: stats(4, 10*m, 16*h+30*m)},
			reply:  Clock{Wall: stats(2, 10*m, 30*m)},
			// 1h 1h 17h against 8h: 2/3. Conversation 4 has waited 34h > 1h.
			resolution: Clock{Wall: stats(3, h, 17*h)},
			backlog:    Backlog{Open: 2, Unassigned: 1, Waiting: 1, OldestWaiting: 34 * h, OldestID: 4, Breaching: 1},
			csat:       CSATStats{Sent: 3, Answered: 2, Average: 2.5},
			// wall first responses ≤1h: 5m 10m 20m → 3/4 (16h30m misses).
			sla: SLAStats{FirstResponse: Attainment{3, 4}, NextResponse: Attainment{2, 2}, Resolution: Attainment{2, 3}},
		},
		{
			name:   "sales receives the transfer and its first response",
			filter: Filter{Team: "sales"},
			opts:   opts,
			// conv 6 was opened before the period, conv 3 in support:
			// received 0; assigned: U3 on conv 3 (conv 6's claim was on
			// Sunday 23); resolved: conv 6; in: conv 3; replies: conv 3.
			counts: Counts{Assigned: 1, Resolved: 1, TransferredIn: 1, Replies: 1},
			// 09:00 → 09:15, counted for the team that answered.
			first: Clock{Wall: stats(1, 15*m, 15*m), Business: stats(1, 15*m, 15*m)},
			// Sun 20:00 → Mon 09:00 = 13h; business Mon 09:00 only → 0.
			resolution: Clock{Wall: stats(1, 13*h, 13*h), Business: stats(1, 0, 0)},
			// conv 3 waits since Wed 09:30 CET: to Mon 10:00 CEST is 5 days
			// less 30 minutes (the lost hour and the half hour) = 119h30m.
			backlog: Backlog{Open: 1, Waiting: 1, OldestWaiting: 119*h + 30*m, OldestID: 3, Breaching: 1},
			csat:    CSATStats{Sent: 1, Answered: 1, Average: 1},
			sla:     SLAStats{FirstResponse: Attainment{1, 1}, Resolution: Attainment{1, 1}},
		},
		{
			name:   "one agent across teams",
			filter: Filter{Agent: "U1"},
			opts:   Options{},
			// received: conversations whose first holder was U1 (1 and 3);
			// assigned 1 and 3; replies 3; resolved 1; in: conv 5 from U2;
			// out: conv 3 to the sales queue.
			counts:     Counts{Received: 2, Assigned: 2, Resolved: 1, TransferredIn: 1, TransferredOut: 1, Replies: 3},
			first:      Clock{Wall: stats(1, 5*m, 5*m)},
			reply:      Clock{Wall: stats(1, 10*m, 10*m)},
			resolution: Clock{Wall: stats(1, h, h)},
			backlog:    Backlog{Open: 1}, // conv 5, answered
			csat:       CSATStats{Sent: 1, Answered: 1, Average: 3},
		},
		{
			name:   "one inbox",
			filter: Filter{Inbox: "in2"},
			opts:   Options{},
			// conv 5 only; its agent transfer counts in and out at the
			// all-teams level.
			counts:  Counts{Received: 1, Assigned: 1, TransferredIn: 1, TransferredOut: 1, Replies: 2},
			first:   Clock{Wall: stats(1, 20*m, 20*m)},
			reply:   Clock{Wall: stats(1, 30*m, 30*m)},
			backlog: Backlog{Open: 1},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Compute(facts, week, tc.filter, tc.opts)
			require.Equal(t, tc.counts, got.Counts, "counts")
			require.Equal(t, tc.first, got.FirstResponse, "first response")
			require.Equal(t, tc.reply, got.ReplyTime, "reply time")
			require.Equal(t, tc.resolution, got.Resolution, "resolution")
			require.Equal(t, tc.backlog, got.Backlog, "backlog")
			require.Equal(t, tc.csat, got.CSAT, "csat")
			require.Equal(t, tc.sla, got.SLA, "sla")
		})
	}

	t.Run("per agent rows of the support team", func(t *testing.T) {
		got := Compute(facts, week, Filter{Team: "support", ByAgent: true}, opts)
		require.Len(t, got.Agents, 2, "U3 did nothing in support")
		u2, u1 := got.Agents[0], got.Agents[1]
		// U2: claims on 2 and 5; replies 2 + 2; resolved conv 2 twice; out:
		// conv 5 to U1; first responses 16h30m 10m 20m → median 20m.
		require.Equal(t, "U2", u2.Agent, "ties on assigned are broken by replies")
		require.Equal(t, AgentRow{Agent: "U2", Assigned: 2, Replies: 4, Resolved: 2, TransferredOut: 1,
			FirstResponse: Clock{Wall: stats(3, 20*m, 16*h+30*m), Business: stats(3, 20*m, 90*m)},
			ReplyTime:     Clock{Wall: stats(1, 30*m, 30*m), Business: stats(1, 30*m, 30*m)},
			Resolution:    Clock{Wall: stats(2, h, 17*h), Business: stats(2, h, 2*h)},
			CSAT:          CSATStats{Sent: 2, Answered: 1, Average: 2}}, u2)
		require.Equal(t, AgentRow{Agent: "U1", Assigned: 2, Replies: 3, Resolved: 1, TransferredIn: 1, TransferredOut: 1,
			FirstResponse: Clock{Wall: stats(1, 5*m, 5*m), Business: stats(1, 5*m, 5*m)},
			ReplyTime:     Clock{Wall: stats(1, 10*m, 10*m), Business: stats(1, 10*m, 10*m)},
			Resolution:    Clock{Wall: stats(1, h, h), Business: stats(1, h, h)},
			CSAT:          CSATStats{Sent: 1, Answered: 1, Average: 3}, Open: 1}, u1)
	})

	t.Run("volume by hour and the first-response trend use local time", func(t *testing.T) {
		got := Compute(facts, week, Filter{Team: "support"}, opts)
		var want [24]int
		want[9], want[10], want[14], want[17], want[23] = 1, 1, 1, 1, 1 // conv 3, 1, 5, 2, 4
		require.Equal(t, want, got.VolumeByHour)
		require.Len(t, got.FirstResponseTrend, 7)
		// Mon: 5m; Tue: 16h30m and 10m → rank 1 = 10m; Thu: 20m.
		medians := map[int]time.Duration{0: 5 * m, 1: 10 * m, 3: 20 * m}
		counts := map[int]int{0: 1, 1: 2, 3: 1}
		for i, p := range got.FirstResponseTrend {
			require.Equal(t, counts[i], p.Count, p.Day)
			require.Equal(t, medians[i], p.Median, p.Day)
		}
	})

	t.Run("a period that only holds the answer of an earlier message counts the clock when it stops", func(t *testing.T) {
		tuesday := Period{From: local(t, loc, "2025-03-25 00:00"), To: local(t, loc, "2025-03-26 00:00")}
		got := Compute(facts, tuesday, Filter{Team: "support"}, Options{})
		require.Equal(t, Counts{Resolved: 2, Reopened: 1, Assigned: 1, Replies: 2}, got.Counts)
		require.Equal(t, stats(2, 10*m, 16*h+30*m), got.FirstResponse.Wall)
	})
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		samples []time.Duration
		p       float64
		want    time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one", []time.Duration{7}, 90, 7},
		{"median of four is the second", []time.Duration{4, 1, 3, 2}, 50, 2},
		{"median of five is the third", []time.Duration{5, 1, 4, 2, 3}, 50, 3},
		{"p90 of ten is the ninth", []time.Duration{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 90, 9},
		{"p90 of eleven is the tenth", []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 90, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, Percentile(tc.samples, tc.p))
		})
	}
}
