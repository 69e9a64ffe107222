package storage

import (
	"context"
	"fmt"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/assist"
)

// The first-line assistant's sessions (bridge/store_assist.go).
const (
	firstLineColumns = `conversation_id, team, state, turns, reason, started_ms, ended_ms`
	startSessionSQL  = `INSERT INTO firstline_sessions (` + firstLineColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id) DO NOTHING`
	sessionSQL       = `SELECT ` + firstLineColumns + ` FROM firstline_sessions WHERE conversation_id = ?`
	saveSessionSQL   = `UPDATE firstline_sessions SET state = ?, turns = ?, reason = ?, ended_ms = ? WHERE conversation_id = ?`
)

type sessionRow struct {
	ConversationID int64  `db:"conversation_id"`
	Team           string `db:"team"`
	State          string `db:"state"`
	Turns          int    `db:"turns"`
	Reason         string `db:"reason"`
	StartedMs      int64  `db:"started_ms"`
	EndedMs        int64  `db:"ended_ms"`
}

func (r sessionRow) domain() bridge.FirstLineSession {
	return bridge.FirstLineSession{ConversationID: bridge.ConversationID(r.ConversationID), Team: r.Team,
		State: bridge.SessionState(r.State), Turns: r.Turns, Reason: assist.HandOverReason(r.Reason),
		StartedAt: fromMs(r.StartedMs), EndedAt: fromMs(r.EndedMs)}
}

func (r *txRepo) StartSession(ctx context.Context, s bridge.FirstLineSession) error {
	if _, err := r.exec(ctx, startSessionSQL, int64(s.ConversationID), s.Team, string(s.State), s.Turns,
		string(s.Reason), toMs(s.StartedAt), toMs(s.EndedAt)); err != nil {
		return fmt.Errorf("start first-line session of %d: %w", s.ConversationID, err)
	}
	return nil
}

func (r *txRepo) Session(ctx context.Context, conv bridge.ConversationID) (bridge.FirstLineSession, error) {
	var row sessionRow
	if err := r.get(ctx, &row, sessionSQL, int64(conv)); err != nil {
		return bridge.FirstLineSession{}, notFound(err, fmt.Sprintf("first-line session of %d", conv))
	}
	return row.domain(), nil
}

func (r *txRepo) SaveSession(ctx context.Context, s bridge.FirstLineSession) error {
	res, err := r.exec(ctx, saveSessionSQL, string(s.State), s.Turns, string(s.Reason), toMs(s.EndedAt), int64(s.ConversationID))
	if err != nil {
		return fmt.Errorf("save first-line session of %d: %w", s.ConversationID, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("save first-line session of %d: %w", s.ConversationID, bridge.ErrNotFound)
	}
	return nil
}

var _ bridge.FirstLineTx = (*txRepo)(nil)
