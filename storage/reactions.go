package storage

import (
	"context"
	"fmt"

	"github.com/switchboard/switchboard/bridge"
)

const (
	reactionColumns    = `message_id, side, emoji, user_id, at_ms`
	currentReactionSQL = `SELECT ` + reactionColumns + ` FROM reactions WHERE message_id = ? AND side = ?`
	upsertReactionSQL  = `INSERT INTO reactions (` + reactionColumns + `) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (message_id, side) DO UPDATE SET emoji = excluded.emoji, user_id = excluded.user_id, at_ms = excluded.at_ms`
	deleteReactionSQL = `DELETE FROM reactions WHERE message_id = ? AND side = ?`
	// With a thread key one thread is searched; without it every thread of
	// the channel, as Slack's reaction events name only the channel and
	// the message's ts. Both use threads_key and messages_workspace_key.
	messageInThreadSQL = `SELECT ` + messageColumnsM + ` FROM messages m
WHERE m.workspace_key = ? AND m.conversation_id IN (
  SELECT t.conversation_id FROM threads t WHERE t.workspace = ? AND t.channel_id = ?)
ORDER BY m.id LIMIT 1`
	messageAtThreadSQL = `SELECT ` + messageColumnsM + ` FROM messages m
WHERE m.workspace_key = ? AND m.conversation_id IN (
  SELECT t.conversation_id FROM threads t WHERE t.workspace = ? AND t.channel_id = ? AND t.thread_key = ?)
ORDER BY m.id LIMIT 1`
	messageColumnsM = `m.id, m.conversation_id, m.direction, m.kind, m.body, m.payload, m.external_id, m.workspace_key, m.author_id, m.sent_ms, m.created_ms, m.status, m.failure`
)

type reactionRow struct {
	MessageID int64  `db:"message_id"`
	Side      string `db:"side"`
	Emoji     string `db:"emoji"`
	UserID    string `db:"user_id"`
	AtMs      int64  `db:"at_ms"`
}

func (r *txRepo) CurrentReaction(ctx context.Context, message bridge.MessageID, side bridge.ReactionSide) (bridge.StoredReaction, error) {
	var row reactionRow
	err := r.get(ctx, &row, currentReactionSQL, int64(message), string(side))
	return bridge.StoredReaction{MessageID: bridge.MessageID(row.MessageID), Side: bridge.ReactionSide(row.Side),
		Emoji: row.Emoji, UserID: row.UserID, At: fromMs(row.AtMs)}, notFound(err, fmt.Sprintf("%s reaction on message %d", side, message))
}

func (r *txRepo) SetReaction(ctx context.Context, rc bridge.StoredReaction) error {
	var err error
	if rc.Emoji == "" {
		_, err = r.exec(ctx, deleteReactionSQL, int64(rc.MessageID), string(rc.Side))
	} else {
		_, err = r.exec(ctx, upsertReactionSQL, int64(rc.MessageID), string(rc.Side), rc.Emoji, rc.UserID, toMs(rc.At))
	}
	if err != nil {
		return fmt.Errorf("set %s reaction on message %d: %w", rc.Side, rc.MessageID, err)
	}
	return nil
}

func (r *txRepo) MessageInThread(ctx context.Context, ws bridge.WorkspaceKind, channelID, threadKey, key string) (bridge.Message, error) {
	var row messageRow
	var err error
	if threadKey != "" {
		err = r.get(ctx, &row, messageAtThreadSQL, key, string(ws), channelID, threadKey)
	} else {
		err = r.get(ctx, &row, messageInThreadSQL, key, string(ws), channelID)
	}
	return row.domain(), notFound(err, "message "+key+" in "+channelID)
}
