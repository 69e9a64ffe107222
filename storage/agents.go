package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/switchboard/switchboard/bridge"
)

const (
	setAgentStatusSQL = `INSERT INTO agent_status (workspace, user_id, state, source, updated_ms) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (workspace, user_id) DO UPDATE SET state = excluded.state, source = excluded.source, updated_ms = excluded.updated_ms`
	agentStatusesSQL = `SELECT user_id, state, source, updated_ms FROM agent_status WHERE workspace = ?`
	openCountsSQL    = `SELECT assignee, COUNT(*) AS n FROM conversations WHERE state = 'assigned' AND assignee <> '' GROUP BY assignee`
	teamCursorSQL    = `SELECT cursor, version FROM team_cursors WHERE team = ?`
	insertCursorSQL  = `INSERT INTO team_cursors (team, cursor, version) VALUES (?, ?, 1) ON CONFLICT DO NOTHING`
	updateCursorSQL  = `UPDATE team_cursors SET cursor = ?, version = version + 1 WHERE team = ? AND version = ?`
	teamConvsSQL     = `SELECT ` + conversationColumns + ` FROM conversations WHERE team = ? AND state <> 'resolved' ORDER BY opened_ms, id`
	getThreadSQL     = `SELECT ` + threadColumns + ` FROM threads WHERE id = ?`
	recentMsgsSQL    = `SELECT ` + messageColumns + ` FROM messages WHERE conversation_id = ? AND direction IN ('in', 'out') ORDER BY id DESC LIMIT ?`
	countMsgsSQL     = `SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND direction IN ('in', 'out')`
)

func (r *txRepo) SetAgentStatus(ctx context.Context, ws bridge.WorkspaceKind, s bridge.AgentStatus) error {
	_, err := r.exec(ctx, setAgentStatusSQL, string(ws), s.UserID, string(s.State), s.Source, toMs(s.Since))
	if err != nil {
		return fmt.Errorf("set agent status: %w", err)
	}
	return nil
}

func (r *txRepo) AgentStatuses(ctx context.Context, ws bridge.WorkspaceKind) (map[string]bridge.AgentStatus, error) {
	var rows []struct {
		UserID    string `db:"user_id"`
		State     string `db:"state"`
		Source    string `db:"source"`
		UpdatedMs int64  `db:"updated_ms"`
	}
	if err := r.sel(ctx, &rows, agentStatusesSQL, string(ws)); err != nil {
		return nil, fmt.Errorf("agent statuses: %w", err)
	}
	out := make(map[string]bridge.AgentStatus, len(rows))
	for _, row := range rows {
		out[row.UserID] = bridge.AgentStatus{UserID: row.UserID, State: bridge.Availability(row.State),
			Source: row.Source, Since: fromMs(row.UpdatedMs)}
	}
	return out, nil
}

func (r *txRepo) OpenCounts(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		Assignee string `db:"assignee"`
		N        int    `db:"n"`
	}
	if err := r.sel(ctx, &rows, openCountsSQL); err != nil {
		return nil, fmt.Errorf("open conversations per agent: %w", err)
	}
	out := make(map[string]int, len(rows))
	for _, row := range rows {
		out[row.Assignee] = row.N
	}
	return out, nil
}

// TeamCursor reads the team's round-robin cursor and locks it until the
// transaction ends, so replicas assigning at once take turns instead of
// racing (SQLite has a single writer already).
func (r *txRepo) TeamCursor(ctx context.Context, team string) (string, int64, error) {
	var row struct {
		Cursor  string `db:"cursor"`
		Version int64  `db:"version"`
	}
	if _, err := r.exec(ctx, insertCursorSQL, team, ""); err != nil {
		return "", 0, fmt.Errorf("create team cursor: %w", err)
	}
	query := teamCursorSQL
	if r.db.Dialect == Postgres {
		query += " FOR UPDATE"
	}
	err := r.get(ctx, &row, query, team)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, nil
	}
	return row.Cursor, row.Version, err
}

// SetTeamCursor moves the round-robin cursor if nobody moved it since it
// was read at version; replicas assigning at once settle it here.
func (r *txRepo) SetTeamCursor(ctx context.Context, team, cursor string, version int64) error {
	if version == 0 {
		res, err := r.exec(ctx, insertCursorSQL, team, cursor)
		if err != nil {
			return fmt.Errorf("set team cursor: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("set team cursor: %w", bridge.ErrConflict)
		}
		return nil
	}
	res, err := r.exec(ctx, updateCursorSQL, cursor, team, version)
	if err != nil {
		return fmt.Errorf("set team cursor: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("set team cursor: %w", bridge.ErrConflict)
	}
	return nil
}

func (r *txRepo) OpenConversations(ctx context.Context, team string) ([]bridge.Conversation, error) {
	var rows []conversationRow
	if err := r.sel(ctx, &rows, teamConvsSQL, team); err != nil {
		return nil, fmt.Errorf("open conversations of %s: %w", team, err)
	}
	out := make([]bridge.Conversation, len(rows))
	for i, row := range rows {
		out[i] = row.domain()
	}
	return out, nil
}

func (r *txRepo) GetThread(ctx context.Context, id int64) (bridge.Thread, error) {
	var row threadRow
	err := r.get(ctx, &row, getThreadSQL, id)
	return row.domain(), notFound(err, fmt.Sprintf("thread %d", id))
}

func (r *txRepo) RecentMessages(ctx context.Context, conv bridge.ConversationID, n int) ([]bridge.Message, int, error) {
	var rows []messageRow
	if err := r.sel(ctx, &rows, recentMsgsSQL, int64(conv), n); err != nil {
		return nil, 0, fmt.Errorf("recent messages: %w", err)
	}
	var total int
	if err := r.get(ctx, &total, countMsgsSQL, int64(conv)); err != nil {
		return nil, 0, fmt.Errorf("count messages: %w", err)
	}
	out := make([]bridge.Message, len(rows))
	for i, row := range rows {
		out[len(rows)-1-i] = row.domain()
	}
	return out, total, nil
}

const (
	lastEventSQL       = `SELECT conversation_id, kind, actor, data, at_ms FROM events WHERE conversation_id = ? AND kind = ? ORDER BY at_ms DESC, id DESC LIMIT 1`
	firstEventAfterSQL = `SELECT conversation_id, kind, actor, data, at_ms FROM events WHERE conversation_id = ? AND kind = ? AND at_ms > ? ORDER BY at_ms, id LIMIT 1`
)

type eventRow struct {
	ConversationID int64  `db:"conversation_id"`
	Kind           string `db:"kind"`
	Actor          string `db:"actor"`
	Data           string `db:"data"`
	AtMs           int64  `db:"at_ms"`
}

func (row eventRow) domain() bridge.Event {
	return bridge.Event{ConversationID: bridge.ConversationID(row.ConversationID), Kind: row.Kind, Actor: row.Actor,
		Data: row.Data, At: fromMs(row.AtMs)}
}

func (r *txRepo) LastEvent(ctx context.Context, conv bridge.ConversationID, kind string) (bridge.Event, error) {
	var row eventRow
	err := r.get(ctx, &row, lastEventSQL, int64(conv), kind)
	return row.domain(), notFound(err, "last "+kind+" event")
}

func (r *txRepo) FirstEventAfter(ctx context.Context, conv bridge.ConversationID, kind string, after time.Time) (bridge.Event, error) {
	var row eventRow
	err := r.get(ctx, &row, firstEventAfterSQL, int64(conv), kind, toMs(after))
	return row.domain(), notFound(err, "first "+kind+" event")
}
