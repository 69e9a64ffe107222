package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/report"
)

// The report loads the conversations that may hold a figure of the period
// [from, to) or of today's backlog: those still open, those opened before
// its end and resolved during or after it, plus every conversation
// transferred since its start (it may have left the team).
// The index conversations_team_resolved (0002_report.sql) serves the team
// query; the events of those conversations come through events_conversation.
const (
	// Open conversations have resolved_ms = 0 (a reopen clears it), so
	// both branches are range scans of conversations_team_resolved.
	reportTeamConversations = `SELECT id FROM conversations WHERE team = ? AND resolved_ms >= ? AND opened_ms < ?
UNION ALL SELECT id FROM conversations WHERE team = ? AND resolved_ms = 0 AND state <> 'resolved'
UNION ALL SELECT id FROM conversations WHERE team <> ? AND id IN (SELECT conversation_id FROM events WHERE kind = 'transferred' AND at_ms >= ?)`
	reportAllConversations = `SELECT id FROM conversations WHERE resolved_ms >= ? AND opened_ms < ?
UNION ALL SELECT id FROM conversations WHERE resolved_ms = 0 AND state <> 'resolved'`

	reportConversationColumns = `id, inbox, team, state, assignee, opened_ms, channel`
	reportEventColumns        = `id, conversation_id, kind, actor, data, at_ms`
	// reportEventKinds are the kinds Compute reads; notes, delivery
	// failures and the opened event (opened_ms says it) are not loaded.
	reportEventKinds = `'routed', 'started', 'received', 'replied', 'claimed', 'unclaimed', 'assigned', 'taken_over',
'transferred', 'resolved', 'reopened'`
)

// LoadReportFacts loads what report.Compute needs for the period [from, to)
// and one team ("" for every team): the conversations that may count in the
// period or in today's backlog, with all their events (including those
// after the period, which the backlog needs), and the satisfaction surveys
// sent in the period. Facts.Now is the current time. On PostgreSQL every
// query reads one snapshot. Reports read the summary instead
// (ReportSource); this is the reference the summary is tested against.
func (db *DB) LoadReportFacts(ctx context.Context, from, to time.Time, team string) (report.Facts, error) {
	convSQL, eventSQL, args := db.reportQueries(from, to, team)
	q, done, err := db.readSnapshot(ctx)
	if err != nil {
		return report.Facts{}, err
	}
	defer done()
	facts := report.Facts{Now: time.Now()}
	if facts.Conversations, err = loadReportConversations(ctx, q, convSQL, args); err != nil {
		return report.Facts{}, err
	}
	if facts.Events, err = loadReportEvents(ctx, q, eventSQL, args); err != nil {
		return report.Facts{}, err
	}
	if err = db.loadReportLabels(ctx, q, from, to, team, facts.Conversations); err != nil {
		return report.Facts{}, err
	}
	if facts.CSAT, err = db.loadReportCSAT(ctx, q, from, to, team); err != nil {
		return report.Facts{}, err
	}
	return facts, nil
}

// readSnapshot returns where a report's reads go: on PostgreSQL a
// read-only transaction, so that every query sees one snapshot (done
// rolls it back); on SQLite the database itself (one connection, and the
// reads are short).
func (db *DB) readSnapshot(ctx context.Context) (q sqlx.QueryerContext, done func(), err error) {
	if db.Dialect != Postgres {
		return db.DB, func() {}, nil
	}
	tx, err := db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, nil, fmt.Errorf("begin report snapshot: %w", err)
	}
	return tx, func() { tx.Rollback() }, nil // read only: nothing to keep
}

// Surveys are counted in the period they were sent in (docs/metrics.md),
// for the team that owned the conversation at resolution.
const (
	reportCSATSQL     = `SELECT conversation_id, team, agent, sent_ms, answered_ms, score FROM csat WHERE sent_ms >= ? AND sent_ms < ?`
	reportTeamCSATSQL = reportCSATSQL + ` AND team = ?`
)

// reportCSATQuery is the surveys query, rebound, and its arguments.
func (db *DB) reportCSATQuery(from, to time.Time, team string) (string, []any) {
	query, args := reportCSATSQL, []any{from.UnixMilli(), to.UnixMilli()}
	if team != "" {
		query, args = reportTeamCSATSQL, append(args, team)
	}
	return db.Rebind(query), args
}

func (db *DB) loadReportCSAT(ctx context.Context, q sqlx.QueryerContext, from, to time.Time, team string) ([]report.CSAT, error) {
	query, args := db.reportCSATQuery(from, to, team)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("load report surveys: %w", err)
	}
	defer rows.Close()
	var out []report.CSAT
	for rows.Next() {
		var (
			conv, sentMs, answeredMs int64
			team, agent              string
			score                    int
		)
		if err := rows.Scan(&conv, &team, &agent, &sentMs, &answeredMs, &score); err != nil {
			return nil, fmt.Errorf("load report surveys: %w", err)
		}
		out = append(out, report.CSAT{ConversationID: bridge.ConversationID(conv), Team: team, Agent: agent,
			SentAt: fromMs(sentMs), AnsweredAt: fromMs(answeredMs), Score: score})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load report surveys: %w", err)
	}
	return out, nil
}

// reportQueries returns the two queries of LoadReportFacts, rebound for the
// dialect, and their shared arguments.
func (db *DB) reportQueries(from, to time.Time, team string) (convSQL, eventSQL string, args []any) {
	f, t := max(from.UnixMilli(), 1), to.UnixMilli() // from ≥ 1 keeps open conversations out of the first branch
	sel, args := reportAllConversations, []any{f, t}
	if team != "" {
		sel, args = reportTeamConversations, []any{team, f, t, team, team, f}
	}
	convSQL = db.Rebind(`SELECT ` + reportConversationColumns + ` FROM conversations WHERE id IN (` + sel + `)`)
	eventSQL = db.Rebind(`SELECT ` + reportEventColumns + ` FROM events WHERE conversation_id IN (` + sel + `) AND kind IN (` + reportEventKinds + `)`)
	return convSQL, eventSQL, args
}

// The loaders scan into locals rather than through sqlx's reflection: a
// month of a busy team is several hundred thousand events.
func loadReportConversations(ctx context.Context, q sqlx.QueryerContext, query string, args []any) ([]report.Conversation, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("load report conversations: %w", err)
	}
	defer rows.Close()
	var out []report.Conversation
	for rows.Next() {
		var (
			id                                    int64
			inbox, team, state, assignee, channel string
			openedMs                              int64
		)
		if err := rows.Scan(&id, &inbox, &team, &state, &assignee, &openedMs, &channel); err != nil {
			return nil, fmt.Errorf("load report conversations: %w", err)
		}
		out = append(out, report.Conversation{ID: bridge.ConversationID(id), Inbox: inbox, Team: team,
			State: bridge.State(state), Assignee: assignee, OpenedAt: fromMs(openedMs), Channel: channel})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load report conversations: %w", err)
	}
	return out, nil
}

func loadReportEvents(ctx context.Context, q sqlx.QueryerContext, query string, args []any) ([]report.Event, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("load report events: %w", err)
	}
	defer rows.Close()
	var out []report.Event
	// Kinds and actors repeat: share one string per distinct value instead
	// of one allocation per row.
	intern := map[string]string{}
	share := func(b []byte) string {
		if s, ok := intern[string(b)]; ok {
			return s
		}
		s := string(b)
		intern[s] = s
		return s
	}
	for rows.Next() {
		var (
			id, conv, atMs    int64
			kind, actor, data sql.RawBytes // copied by share before the next row
		)
		if err := rows.Scan(&id, &conv, &kind, &actor, &data, &atMs); err != nil {
			return nil, fmt.Errorf("load report events: %w", err)
		}
		out = append(out, report.Event{Seq: id, ConversationID: bridge.ConversationID(conv), Kind: share(kind),
			Actor: share(actor), Data: share(data), At: fromMs(atMs)})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load report events: %w", err)
	}
	return out, nil
}

// reportLabelled is the conversations whose person carries a label now
// (contacts.person_id: a merged person's identities point to the
// survivor), the subquery of a report's label filter.
const reportLabelled = `SELECT c.id FROM conversations c JOIN contacts k ON k.id = c.contact_id
JOIN person_labels l ON l.person_id = k.person_id WHERE l.label = ?`

// loadReportLabels fills the Labels of convs (the facts of one period and
// team) from their people's labels.
func (db *DB) loadReportLabels(ctx context.Context, q sqlx.QueryerContext, from, to time.Time, team string, convs []report.Conversation) error {
	if len(convs) == 0 {
		return nil
	}
	_, _, args := db.reportQueries(from, to, team)
	sel := reportAllConversations
	if team != "" {
		sel = reportTeamConversations
	}
	rows, err := q.QueryContext(ctx, db.Rebind(`SELECT c.id, l.label FROM conversations c JOIN contacts k ON k.id = c.contact_id
JOIN person_labels l ON l.person_id = k.person_id WHERE c.id IN (`+sel+`)`), args...)
	if err != nil {
		return fmt.Errorf("load report labels: %w", err)
	}
	defer rows.Close()
	labels := map[bridge.ConversationID][]string{}
	for rows.Next() {
		var id int64
		var label string
		if err := rows.Scan(&id, &label); err != nil {
			return fmt.Errorf("load report labels: %w", err)
		}
		labels[bridge.ConversationID(id)] = append(labels[bridge.ConversationID(id)], label)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load report labels: %w", err)
	}
	for i := range convs {
		convs[i].Labels = labels[convs[i].ID]
	}
	return nil
}
