package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/switchboard/switchboard/bridge"
)

// Repositories of supervision: satisfaction surveys, SLA announcements and
// digests (0004_csat.sql). Every "only once" here is settled by a primary
// key or a conditional update, so replicas cannot both win.

const (
	csatColumns     = `conversation_id, team, agent, sent_ms, answered_ms, score, comment, comment_ms`
	createCSATSQL   = `INSERT INTO csat (conversation_id, team, agent, sent_ms) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`
	getCSATSQL      = `SELECT ` + csatColumns + ` FROM csat WHERE conversation_id = ?`
	answerCSATSQL   = `UPDATE csat SET score = ?, answered_ms = ? WHERE conversation_id = ? AND answered_ms = 0`
	withdrawCSATSQL = `DELETE FROM csat WHERE conversation_id = ? AND answered_ms = 0`
	// A comment is kept only after an answer (the bridge checks the window).
	commentCSATSQL = `UPDATE csat SET comment = ?, comment_ms = ? WHERE conversation_id = ? AND comment = '' AND answered_ms > 0`

	markSLAAlertSQL = `INSERT INTO sla_alerts (conversation_id, clock, started_ms, level, at_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`

	insertDigestSQL = `INSERT INTO digests (period_key, team, state, created_ms) VALUES (?, ?, 'pending', ?) ON CONFLICT DO NOTHING`
	claimDigestSQL  = `UPDATE digests SET lease_until_ms = ?, attempts = attempts + 1
WHERE period_key = ? AND state = 'pending' AND lease_until_ms < ? RETURNING attempts`
	finishDigestSQL = `UPDATE digests SET state = ?, finished_ms = ?, lease_until_ms = 0 WHERE period_key = ?`

	backlogSQL = `SELECT team, COUNT(*) AS open, SUM(CASE WHEN assignee = '' THEN 1 ELSE 0 END) AS unassigned
FROM conversations WHERE state <> 'resolved' GROUP BY team`
)

type csatRow struct {
	ConversationID int64  `db:"conversation_id"`
	Team           string `db:"team"`
	Agent          string `db:"agent"`
	SentMs         int64  `db:"sent_ms"`
	AnsweredMs     int64  `db:"answered_ms"`
	Score          int    `db:"score"`
	Comment        string `db:"comment"`
	CommentMs      int64  `db:"comment_ms"`
}

func (r csatRow) domain() bridge.CSAT {
	return bridge.CSAT{ConversationID: bridge.ConversationID(r.ConversationID), Team: r.Team, Agent: r.Agent,
		SentAt: fromMs(r.SentMs), AnsweredAt: fromMs(r.AnsweredMs), Score: r.Score, Comment: r.Comment, CommentAt: fromMs(r.CommentMs)}
}

func (r *txRepo) CreateCSAT(ctx context.Context, s bridge.CSAT) (bool, error) {
	res, err := r.exec(ctx, createCSATSQL, int64(s.ConversationID), s.Team, s.Agent, toMs(s.SentAt))
	if err != nil {
		return false, fmt.Errorf("create survey of conversation %d: %w", s.ConversationID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (r *txRepo) GetCSAT(ctx context.Context, conv bridge.ConversationID) (bridge.CSAT, error) {
	var row csatRow
	err := r.get(ctx, &row, getCSATSQL, int64(conv))
	return row.domain(), notFound(err, fmt.Sprintf("survey of conversation %d", conv))
}

func (r *txRepo) AnswerCSAT(ctx context.Context, conv bridge.ConversationID, score int, at time.Time) (bool, error) {
	return r.changedOne(ctx, fmt.Sprintf("answer survey of conversation %d", conv), answerCSATSQL, score, toMs(at), int64(conv))
}

func (r *txRepo) CommentCSAT(ctx context.Context, conv bridge.ConversationID, comment string, at time.Time) (bool, error) {
	return r.changedOne(ctx, fmt.Sprintf("comment survey of conversation %d", conv), commentCSATSQL, comment, toMs(at), int64(conv))
}

func (r *txRepo) WithdrawCSAT(ctx context.Context, conv bridge.ConversationID) (bool, error) {
	return r.changedOne(ctx, fmt.Sprintf("withdraw survey of conversation %d", conv), withdrawCSATSQL, int64(conv))
}

func (r *txRepo) MarkSLAAlert(ctx context.Context, a bridge.SLAAlert) (bool, error) {
	return r.changedOne(ctx, fmt.Sprintf("record SLA %s of conversation %d", a.Level, a.ConversationID), markSLAAlertSQL,
		int64(a.ConversationID), a.Clock, toMs(a.StartedAt), a.Level, toMs(a.At))
}

func (r *txRepo) ClaimDigest(ctx context.Context, key, team string, now, leaseUntil time.Time) (bool, int, error) {
	if _, err := r.exec(ctx, insertDigestSQL, key, team, toMs(now)); err != nil {
		return false, 0, fmt.Errorf("create digest %s: %w", key, err)
	}
	var attempts int
	err := r.get(ctx, &attempts, claimDigestSQL, toMs(leaseUntil), key, toMs(now))
	if errors.Is(err, sql.ErrNoRows) {
		return false, 0, nil // sent, given up, or leased by another replica
	}
	if err != nil {
		return false, 0, fmt.Errorf("claim digest %s: %w", key, err)
	}
	return true, attempts, nil
}

func (r *txRepo) FinishDigest(ctx context.Context, key string, state bridge.DigestState, now time.Time) error {
	_, err := r.exec(ctx, finishDigestSQL, string(state), toMs(now), key)
	return notFound(err, "finish digest "+key)
}

// changedOne runs a conditional statement and reports whether it changed
// exactly one row.
func (r *txRepo) changedOne(ctx context.Context, what, query string, args ...any) (bool, error) {
	res, err := r.exec(ctx, query, args...)
	if err != nil {
		return false, fmt.Errorf("%s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("%s: %w", what, err)
	}
	return n == 1, nil
}

// Backlog counts each team's open and unassigned conversations now, for
// the switchboard_backlog_conversations gauge (served by the index
// conversations_team_state).
func (db *DB) Backlog(ctx context.Context) (map[string]bridge.TeamBacklog, error) {
	var rows []struct {
		Team       string `db:"team"`
		Open       int    `db:"open"`
		Unassigned int    `db:"unassigned"`
	}
	if err := db.SelectContext(ctx, &rows, backlogSQL); err != nil {
		return nil, fmt.Errorf("backlog per team: %w", err)
	}
	out := make(map[string]bridge.TeamBacklog, len(rows))
	for _, row := range rows {
		out[row.Team] = bridge.TeamBacklog{Open: row.Open, Unassigned: row.Unassigned}
	}
	return out, nil
}
