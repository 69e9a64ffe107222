package storage

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/report"
)

// The report summary (0005_report_summary.sql) keeps every conversation's
// observations — what bridge/report.Observe derives from its event log —
// so that a report of 100,000 conversations counts and sorts rows of one
// table instead of replaying 600,000 events. The event log stays the
// truth: RefreshReport rewrites the observations of the conversations
// marked dirty (by triggers, in the writer's statement) with the same
// Observe that Compute uses, and ReportSource refreshes before it reads,
// so a report counts everything committed before it was asked (or says
// how many conversations it could not count yet, when its refresh has a
// time budget).

// refreshBatch is how many conversations one refresh transaction rewrites:
// large enough to amortise the round trips, small enough that a replica
// reporting meanwhile waits little for the lock.
const refreshBatch = 1000

// vacuumAfter is how many conversations one unbounded refresh must
// rewrite (a backfill after the migration, or a long outage of the
// background refresh) before it vacuums the summary itself.
const vacuumAfter = 5000

// reportLockKey serialises refreshes across replicas on PostgreSQL (a
// transaction-level advisory lock; SQLite has one writer anyway).
const reportLockKey = 0x5b_7265_706f // "report"

// RefreshReport brings the report summary up to date: it rewrites the
// observations and waits of every dirty conversation, measuring business
// time with hours (the team a clock stops in decides). It returns how many
// conversations it rewrote.
func (db *DB) RefreshReport(ctx context.Context, hours report.HoursOf) (int, error) {
	total, _, err := db.RefreshReportWithin(ctx, hours, 0)
	return total, err
}

// ResummariseReport marks every conversation for the next refresh: after
// a team's business hours changed, figures already summarised keep the
// old hours until they are summarised again.
func (db *DB) ResummariseReport(ctx context.Context) error {
	if _, err := db.ExecContext(ctx, `INSERT INTO report_dirty (conversation_id) SELECT id FROM conversations`); err != nil {
		return fmt.Errorf("mark every conversation for the report: %w", err)
	}
	return nil
}

// RefreshReportWithin is RefreshReport that stops between batches once
// budget has passed (0: no limit), and then says how many conversations
// are still waiting to be summarised (left).
func (db *DB) RefreshReportWithin(ctx context.Context, hours report.HoursOf, budget time.Duration) (done, left int, err error) {
	if hours == nil {
		hours = func(string) report.BusinessHours { return nil }
	}
	start := time.Now()
	for {
		n, err := db.refreshReportBatch(ctx, hours)
		done += n
		if err != nil {
			return done, 0, err
		}
		if n < refreshBatch {
			if budget == 0 && done >= vacuumAfter && db.Dialect == Postgres {
				// Reports read the summary with index-only scans, which
				// need the visibility map of the pages just rewritten;
				// autovacuum would set it later (0005 makes it eager).
				if _, err := db.ExecContext(ctx, `VACUUM (ANALYZE) report_observations, report_waits`); err != nil {
					return done, 0, fmt.Errorf("refresh report: vacuum the summary: %w", err)
				}
			}
			return done, 0, nil
		}
		if budget > 0 && time.Since(start) >= budget {
			err := db.GetContext(ctx, &left, `SELECT COUNT(DISTINCT conversation_id) FROM report_dirty`)
			return done, left, err
		}
	}
}

func (db *DB) refreshReportBatch(ctx context.Context, hours report.HoursOf) (int, error) {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("refresh report: begin: %w", err)
	}
	defer tx.Rollback() // after Commit, a no-op
	if db.Dialect == Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, reportLockKey); err != nil {
			return 0, fmt.Errorf("refresh report: lock: %w", err)
		}
	}
	// A conversation has a row per event since its last refresh: take
	// them all, and each conversation once.
	var marks []int64
	if err := tx.SelectContext(ctx, &marks, db.Rebind(`DELETE FROM report_dirty WHERE conversation_id IN
(SELECT DISTINCT conversation_id FROM report_dirty ORDER BY conversation_id LIMIT ?) RETURNING conversation_id`), refreshBatch); err != nil {
		return 0, fmt.Errorf("refresh report: take dirty conversations: %w", err)
	}
	slices.Sort(marks)
	ids := slices.Compact(marks)
	if len(ids) == 0 {
		return 0, tx.Commit()
	}
	in, args := inList(ids)
	convs, err := loadReportConversations(ctx, tx, db.Rebind(`SELECT `+reportConversationColumns+` FROM conversations WHERE id IN (`+in+`)`), args)
	if err != nil {
		return 0, err
	}
	events, err := loadReportEvents(ctx, tx, db.Rebind(`SELECT `+reportEventColumns+` FROM events WHERE conversation_id IN (`+in+`) AND kind IN (`+reportEventKinds+`)`), args)
	if err != nil {
		return 0, err
	}
	for _, table := range []string{"report_observations", "report_waits"} {
		if _, err := tx.ExecContext(ctx, db.Rebind(`DELETE FROM `+table+` WHERE conversation_id IN (`+in+`)`), args...); err != nil {
			return 0, fmt.Errorf("refresh report: clear %s: %w", table, err)
		}
	}
	byConv := map[bridge.ConversationID][]report.Event{}
	for _, e := range events {
		byConv[e.ConversationID] = append(byConv[e.ConversationID], e)
	}
	obsRows := newBatchInsert(db, tx, `INSERT INTO report_observations (conversation_id, kind, at_ms, team, agent, inbox, wall_ms, business_ms, same_team, same_agent, channel) VALUES `, 11)
	waitRows := newBatchInsert(db, tx, `INSERT INTO report_waits (conversation_id, since_ms, first) VALUES `, 3)
	var obs []report.Observation
	for _, c := range convs {
		evs := byConv[c.ID]
		report.SortEvents(evs)
		var w report.Waiting
		obs, w = report.Observe(c, evs, hours, obs[:0])
		for _, o := range obs {
			if err := obsRows.add(ctx, int64(c.ID), string(o.Kind), toMs(o.At), o.Team, o.Agent, o.Inbox,
				o.Wall.Milliseconds(), o.Business.Milliseconds(), o.SameTeam, o.SameAgent, o.Channel); err != nil {
				return 0, err
			}
		}
		if !w.Since.IsZero() {
			if err := waitRows.add(ctx, int64(c.ID), toMs(w.Since), w.First); err != nil {
				return 0, err
			}
		}
	}
	if err := obsRows.flush(ctx); err != nil {
		return 0, err
	}
	if err := waitRows.flush(ctx); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("refresh report: commit: %w", err)
	}
	return len(ids), nil
}

// inList returns "?, ?, …" for ids and the ids as arguments.
func inList(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", "), args
}

// batchInsert writes rows with multi-row INSERTs of up to 500 rows.
type batchInsert struct {
	db     *DB
	tx     *sqlx.Tx
	prefix string
	cols   int
	args   []any
}

func newBatchInsert(db *DB, tx *sqlx.Tx, prefix string, cols int) *batchInsert {
	return &batchInsert{db: db, tx: tx, prefix: prefix, cols: cols}
}

func (b *batchInsert) add(ctx context.Context, row ...any) error {
	b.args = append(b.args, row...)
	if len(b.args) >= 500*b.cols {
		return b.flush(ctx)
	}
	return nil
}

func (b *batchInsert) flush(ctx context.Context) error {
	if len(b.args) == 0 {
		return nil
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", b.cols), ", ") + ")"
	rows := len(b.args) / b.cols
	query := b.prefix + strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
	if _, err := b.tx.ExecContext(ctx, b.db.Rebind(query), b.args...); err != nil {
		return fmt.Errorf("refresh report: write summary: %w", err)
	}
	b.args = b.args[:0]
	return nil
}

// Kinds of the summary a report reads.
const (
	summaryCountKinds = `'opened', 'started', 'assigned', 'resolved', 'reopened', 'transfer_in', 'transfer_out', 'reply'`
	summaryClockKinds = `'first_response', 'next_response', 'resolution'`
)

// ReportSummary reads the summary of period p for filter f (team, inbox,
// agent), with the backlog as it is now. It does not refresh: see
// ReportSource. On PostgreSQL every query reads one snapshot, and the
// clock samples (the largest read) are read on a second connection that
// shares it, in parallel with the rest.
func (db *DB) ReportSummary(ctx context.Context, p report.Period, f report.Filter, now time.Time) (report.Summary, error) {
	s := report.Summary{Opened: map[time.Time]int{}, CSAT: map[string]report.CSATTally{}, Channels: map[string][]report.Tally{}, Now: now}
	where, args := summaryWhere(p, f)
	if limit := db.Stats().MaxOpenConnections; db.Dialect != Postgres || limit == 1 {
		// One connection: the reads follow one another.
		q, done, err := db.readSnapshot(ctx)
		if err != nil {
			return report.Summary{}, err
		}
		defer done()
		for _, load := range []func() error{
			func() error { return db.loadClocks(ctx, q, where, args, &s) },
			func() error { return db.loadTallies(ctx, q, where, args, &s) },
			func() error { return db.loadOpened(ctx, q, where, args, &s) },
			func() error { return db.loadChannels(ctx, q, where, args, &s) },
			func() error { return db.loadCSATTallies(ctx, q, p, f, &s) },
			func() error { return db.loadOpen(ctx, q, f, &s) },
		} {
			if err := load(); err != nil {
				return report.Summary{}, err
			}
		}
		return s, nil
	}
	main, clocksTx, err := db.sharedSnapshot(ctx)
	if err != nil {
		return report.Summary{}, err
	}
	defer main.Rollback() // read only: nothing to keep
	var clocks report.Summary
	clocksDone := make(chan error, 1)
	go func() {
		defer clocksTx.Rollback()
		clocksDone <- db.loadClocks(ctx, clocksTx, where, args, &clocks)
	}()
	err = db.loadTallies(ctx, main, where, args, &s)
	if err == nil {
		err = db.loadOpened(ctx, main, where, args, &s)
	}
	if err == nil {
		err = db.loadChannels(ctx, main, where, args, &s)
	}
	if err == nil {
		err = db.loadCSATTallies(ctx, main, p, f, &s)
	}
	if err == nil {
		err = db.loadOpen(ctx, main, f, &s)
	}
	if clocksErr := <-clocksDone; err == nil {
		err = clocksErr
	}
	if err != nil {
		return report.Summary{}, err
	}
	s.Clocks = clocks.Clocks
	return s, nil
}

// sharedSnapshot begins two read-only transactions on PostgreSQL that see
// the same snapshot (pg_export_snapshot), so reads split across two
// connections still describe one instant.
func (db *DB) sharedSnapshot(ctx context.Context) (main, second *sqlx.Tx, err error) {
	opts := &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	if main, err = db.BeginTxx(ctx, opts); err != nil {
		return nil, nil, fmt.Errorf("begin report snapshot: %w", err)
	}
	var snapshot string
	if err = main.GetContext(ctx, &snapshot, `SELECT pg_export_snapshot()`); err != nil {
		main.Rollback()
		return nil, nil, fmt.Errorf("export report snapshot: %w", err)
	}
	if strings.Trim(snapshot, "0123456789ABCDEF-") != "" {
		main.Rollback()
		return nil, nil, fmt.Errorf("export report snapshot: unexpected identifier %q", snapshot)
	}
	if second, err = db.BeginTxx(ctx, opts); err != nil {
		main.Rollback()
		return nil, nil, fmt.Errorf("begin report snapshot: %w", err)
	}
	// SET TRANSACTION SNAPSHOT takes no parameter; the identifier was
	// checked above.
	if _, err = second.ExecContext(ctx, `SET TRANSACTION SNAPSHOT '`+snapshot+`'`); err != nil {
		second.Rollback()
		main.Rollback()
		return nil, nil, fmt.Errorf("share report snapshot: %w", err)
	}
	return main, second, nil
}

// summaryWhere is the filter of the observations of p and f.
func summaryWhere(p report.Period, f report.Filter) (string, []any) {
	where, args := `at_ms >= ? AND at_ms < ?`, []any{p.From.UnixMilli(), p.To.UnixMilli()}
	for _, c := range []struct{ col, val string }{{"team", f.Team}, {"inbox", f.Inbox}, {"agent", f.Agent}, {"channel", f.Channel}} {
		if c.val != "" {
			where += ` AND ` + c.col + ` = ?`
			args = append(args, c.val)
		}
	}
	if f.Label != "" {
		where += ` AND conversation_id IN (` + reportLabelled + `)`
		args = append(args, f.Label)
	}
	return where, args
}

func (db *DB) talliesQuery(where string) string {
	return db.Rebind(`SELECT kind, agent, same_team, same_agent, COUNT(*) FROM report_observations
WHERE kind IN (` + summaryCountKinds + `) AND ` + where + ` GROUP BY kind, agent, same_team, same_agent`)
}

func (db *DB) loadTallies(ctx context.Context, q sqlx.QueryerContext, where string, args []any, s *report.Summary) error {
	rows, err := q.QueryContext(ctx, db.talliesQuery(where), args...)
	if err != nil {
		return fmt.Errorf("report counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t report.Tally
		if err := rows.Scan(&t.Kind, &t.Agent, &t.SameTeam, &t.SameAgent, &t.N); err != nil {
			return fmt.Errorf("report counts: %w", err)
		}
		s.Tallies = append(s.Tallies, t)
	}
	return rows.Err()
}

// loadClocks reads every clock sample of the period. PostgreSQL sends
// them as one array per kind and agent: a few rows to parse instead of
// hundreds of thousands.
func (db *DB) clocksQuery(where string) string {
	if db.Dialect == Postgres {
		return db.Rebind(`SELECT kind, agent, array_agg(at_ms), array_agg(wall_ms), array_agg(business_ms) FROM report_observations
WHERE kind IN (` + summaryClockKinds + `) AND ` + where + ` GROUP BY kind, agent`)
	}
	return db.Rebind(`SELECT kind, agent, at_ms, wall_ms, business_ms FROM report_observations WHERE kind IN (` + summaryClockKinds + `) AND ` + where)
}

func (db *DB) loadClocks(ctx context.Context, q sqlx.QueryerContext, where string, args []any, s *report.Summary) error {
	rows, err := q.QueryContext(ctx, db.clocksQuery(where), args...)
	if err != nil {
		return fmt.Errorf("report clocks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			kind  report.ObservationKind
			agent string
		)
		if db.Dialect == Postgres {
			var at, wall, business sql.RawBytes
			if err := rows.Scan(&kind, &agent, &at, &wall, &business); err != nil {
				return fmt.Errorf("report clocks: %w", err)
			}
			if err := appendClocks(s, kind, agent, at, wall, business); err != nil {
				return fmt.Errorf("report clocks: %w", err)
			}
			continue
		}
		var at, wall, business int64
		if err := rows.Scan(&kind, &agent, &at, &wall, &business); err != nil {
			return fmt.Errorf("report clocks: %w", err)
		}
		s.Clocks = append(s.Clocks, report.Sample{Kind: kind, Agent: agent, At: fromMs(at),
			Wall: time.Duration(wall) * time.Millisecond, Business: time.Duration(business) * time.Millisecond})
	}
	return rows.Err()
}

// channelsQuery counts the period's observations that compare channels
// (report.ChannelRow) per channel.
func (db *DB) channelsQuery(where string) string {
	return db.Rebind(`SELECT channel, kind, COUNT(*) FROM report_observations
WHERE kind IN ('opened', 'started', 'reply', 'resolved') AND ` + where + ` GROUP BY channel, kind`)
}

func (db *DB) loadChannels(ctx context.Context, q sqlx.QueryerContext, where string, args []any, s *report.Summary) error {
	rows, err := q.QueryContext(ctx, db.channelsQuery(where), args...)
	if err != nil {
		return fmt.Errorf("report channels: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var channel string
		var t report.Tally
		if err := rows.Scan(&channel, &t.Kind, &t.N); err != nil {
			return fmt.Errorf("report channels: %w", err)
		}
		s.Channels[channel] = append(s.Channels[channel], t)
	}
	return rows.Err()
}

func (db *DB) openedQuery(where string) string {
	quarter := report.Quarter.Milliseconds()
	return db.Rebind(fmt.Sprintf(`SELECT at_ms / %d, COUNT(*) FROM report_observations
WHERE kind = 'opened' AND %s GROUP BY at_ms / %d`, quarter, where, quarter))
}

// appendClocks appends the samples of one kind and agent, given as three
// PostgreSQL int8[] literals ("{1,2,3}") of equal length. They are parsed
// here rather than by pq.Int64Array, which copies each element: this is
// the report's largest read.
func appendClocks(s *report.Summary, kind report.ObservationKind, agent string, at, wall, business []byte) error {
	var err error
	var ats, walls, businesses []int64
	if ats, err = parseInt8Array(at); err != nil {
		return err
	}
	if walls, err = parseInt8Array(wall); err != nil {
		return err
	}
	if businesses, err = parseInt8Array(business); err != nil {
		return err
	}
	if len(walls) != len(ats) || len(businesses) != len(ats) {
		return fmt.Errorf("%s of %s: arrays of %d, %d and %d samples", kind, agent, len(ats), len(walls), len(businesses))
	}
	for i := range ats {
		s.Clocks = append(s.Clocks, report.Sample{Kind: kind, Agent: agent, At: fromMs(ats[i]),
			Wall: time.Duration(walls[i]) * time.Millisecond, Business: time.Duration(businesses[i]) * time.Millisecond})
	}
	return nil
}

// parseInt8Array reads a PostgreSQL int8[] literal without NULLs: "{}",
// "{7}", "{1,-2,3}".
func parseInt8Array(b []byte) ([]int64, error) {
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return nil, fmt.Errorf("not an int8[] literal: %.20q", b)
	}
	body := b[1 : len(b)-1]
	if len(body) == 0 {
		return nil, nil
	}
	out := make([]int64, 0, bytes.Count(body, []byte{','})+1)
	for len(body) > 0 {
		field := body
		if i := bytes.IndexByte(body, ','); i >= 0 {
			field, body = body[:i], body[i+1:]
		} else {
			body = nil
		}
		n, err := strconv.ParseInt(string(field), 10, 64) // no allocation: the conversion is not kept
		if err != nil {
			return nil, fmt.Errorf("int8[] element %q: %w", field, err)
		}
		out = append(out, n)
	}
	return out, nil
}

func (db *DB) loadOpened(ctx context.Context, q sqlx.QueryerContext, where string, args []any, s *report.Summary) error {
	quarter := report.Quarter.Milliseconds()
	rows, err := q.QueryContext(ctx, db.openedQuery(where), args...)
	if err != nil {
		return fmt.Errorf("report volume: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var bucket int64
		var n int
		if err := rows.Scan(&bucket, &n); err != nil {
			return fmt.Errorf("report volume: %w", err)
		}
		s.Opened[time.UnixMilli(bucket*quarter).UTC()] = n
	}
	return rows.Err()
}

// Surveys are counted in the period they were sent in (docs/metrics.md),
// for the team and agent that held the conversation at resolution.
func (db *DB) csatQuery(p report.Period, f report.Filter) (string, []any) {
	query := `SELECT agent, COUNT(*), SUM(CASE WHEN answered_ms > 0 AND score > 0 THEN 1 ELSE 0 END),
SUM(CASE WHEN answered_ms > 0 AND score > 0 THEN score ELSE 0 END) FROM csat WHERE sent_ms >= ? AND sent_ms < ?`
	args := []any{p.From.UnixMilli(), p.To.UnixMilli()}
	if f.Team != "" {
		query, args = query+` AND team = ?`, append(args, f.Team)
	}
	if f.Agent != "" {
		query, args = query+` AND agent = ?`, append(args, f.Agent)
	}
	if f.Inbox != "" {
		query, args = query+` AND conversation_id IN (SELECT id FROM conversations WHERE inbox = ?)`, append(args, f.Inbox)
	}
	if f.Channel != "" {
		query, args = query+` AND conversation_id IN (SELECT id FROM conversations WHERE channel = ?)`, append(args, f.Channel)
	}
	if f.Label != "" {
		query, args = query+` AND conversation_id IN (`+reportLabelled+`)`, append(args, f.Label)
	}
	return db.Rebind(query + ` GROUP BY agent`), args
}

func (db *DB) loadCSATTallies(ctx context.Context, q sqlx.QueryerContext, p report.Period, f report.Filter, s *report.Summary) error {
	query, args := db.csatQuery(p, f)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("report surveys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var agent string
		var t report.CSATTally
		if err := rows.Scan(&agent, &t.Sent, &t.Answered, &t.ScoreSum); err != nil {
			return fmt.Errorf("report surveys: %w", err)
		}
		s.CSAT[agent] = t
	}
	return rows.Err()
}

// loadOpen reads the backlog now: the conversations of f not resolved,
// with who waits since when.
func (db *DB) openQuery(f report.Filter) (string, []any) {
	query := `SELECT c.id, c.team, c.inbox, c.channel, c.assignee, COALESCE(w.since_ms, 0), COALESCE(w.first, false)
FROM conversations c LEFT JOIN report_waits w ON w.conversation_id = c.id WHERE c.state <> 'resolved'`
	var args []any
	for _, c := range []struct{ col, val string }{{"c.team", f.Team}, {"c.inbox", f.Inbox}, {"c.assignee", f.Agent}, {"c.channel", f.Channel}} {
		if c.val != "" {
			query += ` AND ` + c.col + ` = ?`
			args = append(args, c.val)
		}
	}
	if f.Label != "" {
		query += ` AND c.id IN (` + reportLabelled + `)`
		args = append(args, f.Label)
	}
	return db.Rebind(query), args
}

func (db *DB) loadOpen(ctx context.Context, q sqlx.QueryerContext, f report.Filter, s *report.Summary) error {
	query, args := db.openQuery(f)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("report backlog: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id      int64
			c       report.OpenConversation
			sinceMs int64
		)
		if err := rows.Scan(&id, &c.Team, &c.Inbox, &c.Channel, &c.Assignee, &sinceMs, &c.Waiting.First); err != nil {
			return fmt.Errorf("report backlog: %w", err)
		}
		c.ID, c.Waiting.Since = bridge.ConversationID(id), fromMs(sinceMs)
		s.Open = append(s.Open, c)
	}
	return rows.Err()
}

// ExplainReport returns the database's plan for ReportSummary's queries
// (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite), for a
// benchmark or an operator checking that the summary's indexes are used.
func (db *DB) ExplainReport(ctx context.Context, p report.Period, f report.Filter) (string, error) {
	where, args := summaryWhere(p, f)
	csatSQL, csatArgs := db.csatQuery(p, f)
	openSQL, openArgs := db.openQuery(f)
	prefix, cols := "EXPLAIN (ANALYZE, COSTS OFF, BUFFERS OFF) ", 1
	if db.Dialect == SQLite {
		prefix, cols = "EXPLAIN QUERY PLAN ", 4
	}
	var b strings.Builder
	for _, q := range []struct {
		query string
		args  []any
	}{{db.talliesQuery(where), args}, {db.clocksQuery(where), args}, {db.openedQuery(where), args}, {db.channelsQuery(where), args},
		{csatSQL, csatArgs}, {openSQL, openArgs}} {
		fmt.Fprintf(&b, "-- %s\n", q.query)
		rows, err := db.QueryContext(ctx, prefix+q.query, q.args...)
		if err != nil {
			return "", fmt.Errorf("explain report: %w", err)
		}
		for rows.Next() {
			vals := make([]any, cols)
			ptrs := make([]any, cols)
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return "", fmt.Errorf("explain report: %w", err)
			}
			fmt.Fprintf(&b, "%v\n", vals[cols-1])
		}
		if err := rows.Close(); err != nil {
			return "", fmt.Errorf("explain report: %w", err)
		}
	}
	return b.String(), nil
}

// ReportSource is the report.Source of a deployment: it refreshes the
// summary, then reads it. Hours are each team's business hours, which
// the refresh measures business time with. A Budget (0: none) bounds the
// refresh, for a slash command that must answer within 3 seconds after a
// migration left every conversation to summarise: the figures then say
// how many conversations they do not count yet (Metrics.Pending), and the
// background refresh catches up.
type ReportSource struct {
	DB     *DB
	Hours  report.HoursOf
	Budget time.Duration
}

var _ report.Source = ReportSource{}

// Metrics implements report.Source.
func (s ReportSource) Metrics(ctx context.Context, p report.Period, f report.Filter, opts report.Options, now time.Time) (report.Metrics, error) {
	_, left, err := s.DB.RefreshReportWithin(ctx, s.Hours, s.Budget)
	if err != nil {
		return report.Metrics{}, err
	}
	sum, err := s.DB.ReportSummary(ctx, p, f, now)
	if err != nil {
		return report.Metrics{}, err
	}
	m := report.Assemble(sum, p, f, opts)
	m.Pending = left
	return m, nil
}
