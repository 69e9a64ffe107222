package storage_test

import (
	"context"
	"fmt"
	"os"
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

// reportConv is one conversation of the report fixture, written through the
// bridge's own repository calls.
type reportConv struct {
	address  string
	team     string
	state    bridge.State
	assignee string
	opened   time.Time
	resolved time.Time
	events   []bridge.Event // ConversationID is filled in
}

func TestLoadReportFacts(t *testing.T) {
	ctx := context.Background()
	day := time.Date(2025, 3, 24, 0, 0, 0, 0, time.UTC)
	from, to := day, day.Add(24*time.Hour)
	at := func(h int) time.Time { return day.Add(time.Duration(h) * time.Hour) }
	ev := func(kind, actor, data string, when time.Time) bridge.Event {
		return bridge.Event{Kind: kind, Actor: actor, Data: data, At: when}
	}
	fixture := []reportConv{
		{"in-period", "support", bridge.StateResolved, "U1", at(9), at(11), []bridge.Event{
			ev(bridge.EventOpened, "", "", at(9)), ev(bridge.EventRouted, "", "support", at(9)), ev(bridge.EventReceived, "", "text", at(9)),
			ev(bridge.EventNoted, "U1", "", at(9)), ev(bridge.EventReplied, "U1", "", at(10)), ev(bridge.EventResolved, "U1", "", at(11))}},
		{"open-since-last-week", "support", bridge.StatePending, "", at(-100), time.Time{}, []bridge.Event{
			ev(bridge.EventOpened, "", "", at(-100)), ev(bridge.EventReceived, "", "text", at(-100))}},
		{"resolved-last-week", "support", bridge.StateResolved, "U1", at(-100), at(-90), []bridge.Event{
			ev(bridge.EventOpened, "", "", at(-100)), ev(bridge.EventResolved, "U1", "", at(-90))}},
		{"opened-tomorrow", "support", bridge.StateResolved, "U1", at(30), at(31), []bridge.Event{
			ev(bridge.EventOpened, "", "", at(30))}},
		{"other-team", "sales", bridge.StateResolved, "U3", at(9), at(12), []bridge.Event{
			ev(bridge.EventOpened, "", "", at(9)), ev(bridge.EventResolved, "U3", "", at(12))}},
		{"moved-to-sales", "sales", bridge.StateAssigned, "U3", at(8), time.Time{}, []bridge.Event{
			ev(bridge.EventOpened, "", "", at(8)), ev(bridge.EventRouted, "", "support", at(8)), ev(bridge.EventReceived, "", "text", at(8)),
			ev(bridge.EventTransferred, "U1", report.TransferData(report.Transfer{FromTeam: "support", ToTeam: "sales"}), at(9)),
			ev(bridge.EventClaimed, "U3", "", at(9))}},
	}

	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := storagetest.Open(t, dialect)
			store := storage.NewStore(db, nil)
			ids := map[string]bridge.ConversationID{}
			require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
				for _, c := range fixture {
					contact, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: bridge.CustomerAddress(c.address), CreatedAt: c.opened})
					require.NoError(t, err)
					conv, err := tx.CreateConversation(ctx, bridge.Conversation{ContactID: contact.ID, Inbox: "in1", Team: c.team,
						State: bridge.StatePending, OpenedAt: c.opened, LastCustomerAt: c.opened})
					require.NoError(t, err)
					conv.State, conv.Assignee, conv.ResolvedAt = c.state, c.assignee, c.resolved
					_, err = tx.UpdateConversation(ctx, conv)
					require.NoError(t, err)
					for _, e := range c.events {
						e.ConversationID = conv.ID
						require.NoError(t, tx.AppendEvent(ctx, e))
					}
					ids[c.address] = conv.ID
				}
				return nil
			}))

			tests := []struct {
				name   string
				team   string
				want   []string
				events map[string][]string
			}{
				{
					name: "a team gets its conversations of the period, its backlog and those it transferred away",
					team: "support",
					want: []string{"in-period", "open-since-last-week", "moved-to-sales"},
					// opened and noted are not loaded: opened_ms says the
					// first, the second never counts.
					events: map[string][]string{
						"in-period":            {"routed", "received", "replied", "resolved"},
						"open-since-last-week": {"received"},
						"moved-to-sales":       {"routed", "received", "transferred", "claimed"},
					},
				},
				{
					name: "every team",
					team: "",
					want: []string{"in-period", "open-since-last-week", "other-team", "moved-to-sales"},
				},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					facts, err := db.LoadReportFacts(ctx, from, to, tc.team)
					require.NoError(t, err)
					var got, want []bridge.ConversationID
					for _, c := range facts.Conversations {
						got = append(got, c.ID)
					}
					for _, name := range tc.want {
						want = append(want, ids[name])
					}
					require.ElementsMatch(t, want, got)
					for name, kinds := range tc.events {
						var seen []report.Event
						for _, e := range facts.Events {
							if e.ConversationID == ids[name] {
								seen = append(seen, e)
							}
						}
						slices.SortFunc(seen, func(a, b report.Event) int { return int(a.Seq - b.Seq) })
						var gotKinds []string
						for _, e := range seen {
							gotKinds = append(gotKinds, e.Kind)
						}
						require.Equal(t, kinds, gotKinds, name)
					}
				})
			}

			t.Run("the loaded facts compute the period's figures", func(t *testing.T) {
				facts, err := db.LoadReportFacts(ctx, from, to, "support")
				require.NoError(t, err)
				facts.Now = at(12)
				m := report.Compute(facts, report.Period{From: from, To: to}, report.Filter{Team: "support"}, report.Options{})
				// Received: in-period and moved-to-sales (opened in support);
				// one reply after 1h; resolved after 2h; one transfer out;
				// backlog: open-since-last-week, waiting 112h (from -100h to 12h).
				require.Equal(t, report.Counts{Received: 2, Resolved: 1, TransferredOut: 1, Replies: 1}, m.Counts)
				require.Equal(t, report.Stats{Count: 1, Median: time.Hour, P90: time.Hour}, m.FirstResponse.Wall)
				require.Equal(t, report.Stats{Count: 1, Median: 2 * time.Hour, P90: 2 * time.Hour}, m.Resolution.Wall)
				require.Equal(t, report.Backlog{Open: 1, Unassigned: 1, Waiting: 1, OldestWaiting: 112 * time.Hour,
					OldestID: ids["open-since-last-week"]}, m.Backlog)
			})
		})
	}
}

// BenchmarkReport100k measures loading and computing a week's report of a
// team with 100,000 conversations in the period, on PostgreSQL, among as
// many of another team and as many older ones. Target: under 500 ms/op.
func BenchmarkReport100k(b *testing.B) {
	ctx := context.Background()
	loc, err := time.LoadLocation("Europe/Madrid")
	require.NoError(b, err)
	period := report.Period{From: time.Date(2025, 3, 3, 0, 0, 0, 0, loc), To: time.Date(2025, 3, 10, 0, 0, 0, 0, loc)}
	from, span := period.From.UnixMilli(), period.To.Sub(period.From).Milliseconds()
	const n = 100_000
	// SWITCHBOARD_REPORT_BENCH_URL names a database to seed on the first
	// run and reuse on the next ones (seeding and summarising take about
	// two minutes); by default a fresh one is seeded.
	var db *storage.DB
	if url := os.Getenv("SWITCHBOARD_REPORT_BENCH_URL"); url != "" {
		db, err = storage.Open(ctx, url, 4)
		require.NoError(b, err)
		b.Cleanup(func() { db.Close() })
		require.NoError(b, db.Migrate(ctx))
		var seeded int
		require.NoError(b, db.GetContext(ctx, &seeded, `SELECT COUNT(*) FROM conversations`))
		if seeded > 0 {
			runReportBench(b, db, period, n)
			return
		}
	} else {
		db = storagetest.Open(b, storage.Postgres)
	}
	start := time.Now()
	for _, stmt := range []string{
		`INSERT INTO contacts (channel, address, created_ms) SELECT 'whatsapp', 'c' || g, $1 FROM generate_series(1, $2) g`,
		// 1..n: support in the period; n+1..2n: sales in the period;
		// 2n+1..3n: support, a month earlier, resolved. One in five of the
		// period's conversations is still open and waiting.
		`INSERT INTO conversations (contact_id, inbox, team, state, assignee, opened_ms, last_customer_ms, first_response_ms, resolved_ms)
SELECT g, 'in1', CASE WHEN g <= $2::bigint OR g > 2 * $2::bigint THEN 'support' ELSE 'sales' END,
       CASE WHEN g <= 2 * $2::bigint AND g % 5 = 0 THEN 'pending' ELSE 'resolved' END,
       CASE WHEN g <= 2 * $2::bigint AND g % 5 = 0 THEN '' ELSE 'U' || (g % 20) END,
       o, o, 0, CASE WHEN g <= 2 * $2::bigint AND g % 5 = 0 THEN 0 ELSE o + 3600000 END
FROM (SELECT g, CASE WHEN g <= 2 * $2::bigint THEN $1::bigint + (g % $2::bigint) * ($3::bigint - 3600000) / $2::bigint ELSE $1::bigint - 30::bigint * 86400000 + (g % $2::bigint) * 1000 END AS o
      FROM generate_series(1, 3 * $2::bigint) g) s`,
		`INSERT INTO events (conversation_id, kind, actor, data, at_ms)
SELECT c.id, k.kind, CASE WHEN k.agent THEN c.assignee ELSE '' END,
       CASE WHEN k.kind = 'routed' THEN c.team ELSE k.data END,
       c.opened_ms + k.off * (1 + c.id % 7)
FROM conversations c JOIN (VALUES
  ('opened', 0, false, '', false), ('routed', 0, false, '', false), ('received', 0, false, 'text', false),
  ('claimed', 60000, true, 'auto', true), ('replied', 60000, true, '', true), ('noted', 90000, true, '', true),
  ('received', 120000, false, 'text', true), ('replied', 240000, true, '', true), ('resolved', 500000, true, '', true)
) AS k(kind, off, agent, data, closed) ON c.state = 'resolved' OR NOT k.closed`,
		// Every resolved conversation was surveyed; two in three answered.
		`INSERT INTO csat (conversation_id, team, agent, sent_ms, answered_ms, score)
SELECT id, team, assignee, resolved_ms, CASE WHEN id % 3 = 0 THEN 0 ELSE resolved_ms + 60000 END,
       CASE WHEN id % 3 = 0 THEN 0 ELSE 1 + id % 3 END
FROM conversations WHERE state = 'resolved'`,
		`ANALYZE`,
	} {
		var args []any
		switch {
		case strings.HasPrefix(stmt, "INSERT INTO contacts"):
			args = []any{from, 3 * n}
		case strings.HasPrefix(stmt, "INSERT INTO conversations"):
			args = []any{from, n, span}
		}
		_, err := db.ExecContext(ctx, stmt, args...)
		require.NoError(b, err)
	}
	var events int
	require.NoError(b, db.GetContext(ctx, &events, `SELECT COUNT(*) FROM events`))
	b.Logf("seeded %d conversations and %d events in %s", 3*n, events, time.Since(start).Round(time.Millisecond))
	runReportBench(b, db, period, n)
}

func runReportBench(b *testing.B, db *storage.DB, period report.Period, n int) {
	ctx := context.Background()
	loc := period.Location()
	hours := routing.Hours{TimeZone: loc.String(), Weekly: routing.Weekly{}}
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday} {
		hours.Weekly[d] = []routing.Span{{Start: 9 * 60, End: 18 * 60}}
	}
	require.NoError(b, hours.Validate("hours"))
	source := storage.ReportSource{DB: db, Hours: func(string) report.BusinessHours { return hours }}
	// The summary is kept as the bridge writes; a seeded database
	// summarises everything once, like a deployment after the migration.
	start := time.Now()
	built, err := db.RefreshReport(ctx, source.Hours)
	require.NoError(b, err)
	if built > 0 {
		_, err = db.ExecContext(ctx, `ANALYZE`)
		require.NoError(b, err)
		b.Logf("summarised %d conversations in %s", built, time.Since(start).Round(time.Millisecond))
	}
	explainReport(b, db, period, report.Filter{Team: "support", ByAgent: true})

	opts := report.Options{Hours: hours, Targets: report.Targets{FirstResponse: 15 * time.Minute, NextResponse: time.Hour, Resolution: 8 * time.Hour}}
	filter := report.Filter{Team: "support", ByAgent: true}
	now := period.To.Add(time.Hour)
	var m report.Metrics
	var read, assemble time.Duration
	b.ResetTimer()
	for b.Loop() {
		// What source.Metrics does, timed by halves.
		t0 := time.Now()
		if _, err := db.RefreshReport(ctx, source.Hours); err != nil {
			b.Fatal(err)
		}
		sum, err := db.ReportSummary(ctx, period, filter, now)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		m = report.Assemble(sum, period, filter, opts)
		read, assemble = read+t1.Sub(t0), assemble+time.Since(t1)
	}
	b.StopTimer()
	b.ReportMetric(float64(read.Milliseconds())/float64(b.N), "read-ms/op")
	b.ReportMetric(float64(assemble.Milliseconds())/float64(b.N), "assemble-ms/op")
	viaSource, err := source.Metrics(ctx, period, filter, opts, now)
	require.NoError(b, err)
	require.Equal(b, viaSource, m)
	require.Equal(b, n, m.Counts.Received)
	b.Logf("received %d, resolved %d, first response median %s p90 %s, backlog %d, csat %.2f (%d/%d)",
		m.Counts.Received, m.Counts.Resolved, m.FirstResponse.Wall.Median, m.FirstResponse.Wall.P90, m.Backlog.Open,
		m.CSAT.Average, m.CSAT.Answered, m.CSAT.Sent)
	// The reference, replaying the event log, is what the summary avoids;
	// measured once for comparison, and it must agree.
	t0 := time.Now()
	facts, err := db.LoadReportFacts(ctx, period.From, period.To, "support")
	require.NoError(b, err)
	facts.Now = now
	ref := report.Compute(facts, period, filter, opts)
	b.Logf("replaying the event log instead: %s", time.Since(t0).Round(time.Millisecond))
	require.Equal(b, ref, m)
}

// explainReport prints PostgreSQL's plan for the report's queries.
func explainReport(b *testing.B, db *storage.DB, p report.Period, f report.Filter) {
	plan, err := db.ExplainReport(context.Background(), p, f)
	require.NoError(b, err)
	// Printed rather than logged: benchmark logs are cut after a few lines.
	fmt.Println("EXPLAIN of the report's queries:\n" + plan)
}
