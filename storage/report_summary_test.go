package storage_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/report"
	"github.com/switchboard/switchboard/routing"
	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// randomLog writes n conversations with a random but possible history
// (claims, replies, notes, reactions, agent and team transfers, unclaims,
// resolutions, reopens, surveys) spread over the week around day, through
// the bridge's own repository calls.
func randomLog(t *testing.T, db *storage.DB, day time.Time, n int, seed uint64) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 1))
	store := storage.NewStore(db, nil)
	teams, agents := []string{"support", "sales"}, []string{"U1", "U2", "U3", "U4"}
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	// Surveys are written after the transaction: SQLite has one
	// connection, which the transaction holds.
	var surveys [][]any
	require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
		for i := range n {
			at := day.Add(-72*time.Hour + time.Duration(rng.IntN(9*24*60))*time.Minute)
			team, assignee, state := pick(teams), "", bridge.StatePending
			contact, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: bridge.CustomerAddress(fmt.Sprintf("r%d-%d", seed, i)), CreatedAt: at})
			require.NoError(t, err)
			conv, err := tx.CreateConversation(ctx, bridge.Conversation{ContactID: contact.ID, Inbox: bridge.InboxID(pick([]string{"in1", "in2"})), Team: team,
				State: state, OpenedAt: at, LastCustomerAt: at})
			require.NoError(t, err)
			add := func(kind, actor, data string) {
				require.NoError(t, tx.AppendEvent(ctx, bridge.Event{ConversationID: conv.ID, Kind: kind, Actor: actor, Data: data, At: at}))
			}
			if rng.IntN(5) == 0 {
				// An agent started it: the business wrote first.
				assignee, state = pick(agents), bridge.StateAssigned
				add(bridge.EventStarted, assignee, team)
				add(bridge.EventClaimed, assignee, "started")
				add(bridge.EventReplied, assignee, "")
			} else {
				add(bridge.EventOpened, "", "")
				add(bridge.EventRouted, "", team+" r1")
				add(bridge.EventReceived, "", "text")
			}
			var resolvedAt time.Time
			for range rng.IntN(10) {
				at = at.Add(time.Duration(1+rng.IntN(600)) * time.Minute)
				if state == bridge.StateResolved {
					if rng.IntN(2) == 0 {
						break
					}
					add(bridge.EventReopened, "customer", "")
					add(bridge.EventReceived, "", "text")
					state, resolvedAt = bridge.StatePending, time.Time{}
					continue
				}
				switch rng.IntN(8) {
				case 0:
					add(bridge.EventReceived, "", pick([]string{"text", "text", "reaction", "system", "image"}))
				case 1:
					assignee, state = pick(agents), bridge.StateAssigned
					add(bridge.EventClaimed, assignee, "")
				case 2, 3:
					add(bridge.EventReplied, cmpOr(assignee, pick(agents)), "")
				case 4:
					add(bridge.EventNoted, pick(agents), "")
				case 5:
					to := pick(teams)
					if to == team {
						assignee, state = pick(agents), bridge.StateAssigned
						add(bridge.EventTransferred, cmpOr(assignee, "U1"), "agent:"+assignee)
					} else {
						add(bridge.EventTransferred, "U1", report.TransferData(report.Transfer{FromTeam: team, ToTeam: to, FromAgent: assignee}))
						team, assignee, state = to, "", bridge.StatePending
					}
				case 6:
					if assignee != "" {
						add(bridge.EventUnclaimed, assignee, "")
						assignee, state = "", bridge.StatePending
					}
				case 7:
					add(bridge.EventResolved, cmpOr(assignee, "U2"), "")
					state, resolvedAt = bridge.StateResolved, at
					if rng.IntN(3) > 0 {
						score, answered := 1+rng.IntN(3), at.Add(10*time.Minute)
						if rng.IntN(4) == 0 {
							score, answered = 0, time.Time{}
						}
						surveys = append(surveys, []any{int64(conv.ID), team, assignee, at.UnixMilli(), msOrZero(answered), score})
					}
				}
			}
			conv.Team, conv.State, conv.Assignee, conv.ResolvedAt = team, state, assignee, resolvedAt
			_, err = tx.UpdateConversation(ctx, conv)
			require.NoError(t, err)
		}
		return nil
	}))
	for _, s := range surveys {
		_, err := db.ExecContext(ctx, db.Rebind(`INSERT INTO csat (conversation_id, team, agent, sent_ms, answered_ms, score) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (conversation_id) DO NOTHING`), s...)
		require.NoError(t, err)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func msOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// The summary the reports read gives exactly the figures the reference
// (every event replayed by report.Compute) gives, on both databases, for
// every kind of filter, with and without business hours, including after
// more events arrive (the triggers mark the conversations again).
func TestReportSummaryAgreesWithCompute(t *testing.T) {
	ctx := context.Background()
	loc, err := time.LoadLocation("Europe/Madrid")
	require.NoError(t, err)
	day := time.Date(2025, 3, 27, 0, 0, 0, 0, loc)
	// Monday to Saturday 09:00-18:00 and a Sunday night; a holiday on
	// the Tuesday of the week.
	hours := routing.Hours{TimeZone: "Europe/Madrid", Holidays: []routing.Date{{Year: 2025, Month: time.March, Day: 25}}, Weekly: routing.Weekly{}}
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday} {
		hours.Weekly[d] = []routing.Span{{Start: 9 * 60, End: 18 * 60}}
	}
	hours.Weekly[time.Sunday] = []routing.Span{{Start: 22 * 60, End: 6 * 60}}
	require.NoError(t, hours.Validate("hours"))
	source := func(db *storage.DB) storage.ReportSource {
		return storage.ReportSource{DB: db, Hours: func(string) report.BusinessHours { return hours }}
	}
	periods := []report.Period{
		{From: day, To: day.Add(24 * time.Hour)},
		report.LastDays(day, loc, 7), // across the spring-forward Sunday
		{From: day.Add(-30 * 24 * time.Hour), To: day.Add(30 * 24 * time.Hour)},
	}
	now := day.Add(36 * time.Hour)
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := storagetest.Open(t, dialect)
			check := func(t *testing.T) {
				for _, p := range periods {
					for _, f := range []report.Filter{{}, {Team: "support", ByAgent: true}, {Team: "sales"}, {Team: "support", Agent: "U2"},
						{Agent: "U3"}, {Team: "sales", Inbox: "in2"}} {
						opts := report.Options{}
						if f.Team != "" {
							opts = report.Options{Hours: hours, Targets: report.Targets{FirstResponse: 30 * time.Minute, NextResponse: time.Hour, Resolution: 8 * time.Hour}}
						}
						want, err := report.Loader(db.LoadReportFacts).Metrics(ctx, p, f, opts, now)
						require.NoError(t, err)
						got, err := source(db).Metrics(ctx, p, f, opts, now)
						require.NoError(t, err)
						require.Equal(t, want, got, "period %s–%s, filter %+v", p.From, p.To, f)
					}
				}
			}
			randomLog(t, db, day, 120, 1)
			check(t)
			if dialect == storage.Postgres {
				// With one connection allowed, the reads share one
				// transaction instead of two.
				db.SetMaxOpenConns(1)
				check(t)
				db.SetMaxOpenConns(4)
			}
			m, err := source(db).Metrics(ctx, periods[1], report.Filter{Team: "support"}, report.Options{}, now)
			require.NoError(t, err)
			require.NotZero(t, m.Counts.Received)
			require.NotZero(t, m.Counts.TransferredOut)
			require.NotZero(t, m.Counts.Reopened)
			require.NotZero(t, m.Counts.Started, "agent-started conversations are counted apart")
			require.NotZero(t, m.FirstResponse.Wall.Count)
			require.NotZero(t, m.CSAT.Answered)
			require.NotZero(t, m.Backlog.Waiting)

			// More conversations and events after a first refresh: only
			// the marked conversations are rewritten, and the figures
			// still agree.
			randomLog(t, db, day.Add(24*time.Hour), 60, 2)
			check(t)
			n, err := db.RefreshReport(ctx, nil)
			require.NoError(t, err)
			require.Zero(t, n, "the report refreshed everything already")
		})
	}
}

// With a refresh budget, a report after a migration (every conversation
// to summarise) answers in time and says how much it does not count yet.
func TestReportRefreshBudget(t *testing.T) {
	ctx := context.Background()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := storagetest.Open(t, dialect)
			_, err := db.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
INSERT INTO report_dirty (conversation_id) SELECT i + 1000000 FROM n`)
			require.NoError(t, err)
			day := report.Period{From: time.Date(2025, 3, 24, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 3, 25, 0, 0, 0, 0, time.UTC)}
			m, err := storage.ReportSource{DB: db, Budget: time.Nanosecond}.Metrics(ctx, day, report.Filter{}, report.Options{}, day.To)
			require.NoError(t, err)
			require.Equal(t, 1500, m.Pending, "one batch of 1,000 done, the rest left to the background")
			require.Contains(t, m.Table("en"), "⏳ 1500 conversations are still being counted")
			m, err = storage.ReportSource{DB: db}.Metrics(ctx, day, report.Filter{}, report.Options{}, day.To)
			require.NoError(t, err)
			require.Zero(t, m.Pending)
			require.NotContains(t, m.Table("en"), "still being counted")
		})
	}
}

func TestParseInt8Array(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []int64
		bad  bool
	}{
		{in: "{}", want: nil},
		{in: "{7}", want: []int64{7}},
		{in: "{1,-2,300000000000}", want: []int64{1, -2, 300000000000}},
		{in: "", bad: true},
		{in: "{1,2", bad: true},
		{in: "{1,NULL}", bad: true},
		{in: "{1,,2}", bad: true},
	} {
		got, err := storage.ParseInt8Array([]byte(tc.in))
		if tc.bad {
			require.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got, tc.in)
	}
}

// The triggers mark a conversation for the summary exactly when it is
// created or gets an event of a kind reports read (the list in
// storage.reportEventKinds); other events (notes, deliveries) cost the
// summary nothing.
func TestReportTriggersMarkWhatReportsRead(t *testing.T) {
	ctx := context.Background()
	var kinds []string
	for _, k := range strings.Split(storage.ReportEventKinds, ",") {
		kinds = append(kinds, strings.Trim(strings.TrimSpace(k), "'"))
	}
	require.Contains(t, kinds, bridge.EventReplied)
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := storagetest.Open(t, dialect)
			store := storage.NewStore(db, nil)
			dirty := func() int {
				var n int
				require.NoError(t, db.GetContext(ctx, &n, `SELECT COUNT(*) FROM report_dirty`))
				return n
			}
			var conv bridge.Conversation
			require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
				contact, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: "34600000001", CreatedAt: time.Now()})
				require.NoError(t, err)
				conv, err = tx.CreateConversation(ctx, bridge.Conversation{ContactID: contact.ID, Inbox: "in1", Team: "support",
					State: bridge.StatePending, OpenedAt: time.Now(), LastCustomerAt: time.Now()})
				return err
			}))
			require.Equal(t, 1, dirty(), "a new conversation")
			for _, kind := range append(kinds, bridge.EventNoted, bridge.EventDelivery, bridge.EventReminded) {
				_, err := db.RefreshReport(ctx, nil)
				require.NoError(t, err)
				require.Zero(t, dirty())
				require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
					return tx.AppendEvent(ctx, bridge.Event{ConversationID: conv.ID, Kind: kind, At: time.Now()})
				}))
				want := 0
				if slices.Contains(kinds, kind) {
					want = 1
				}
				require.Equal(t, want, dirty(), "after a %s event", kind)
			}
		})
	}
}
