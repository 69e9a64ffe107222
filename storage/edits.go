package storage

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/switchboard/switchboard/bridge"
)

// Edits and deletes (bridge/store_edits.go). The race between an agent's
// edit of a queued reply and the job about to send it is settled on the
// delivery row: the job claims it (in_flight = 1) with a conditional
// update, the edit holds it with another conditional update that only
// matches an unclaimed row. On PostgreSQL the second writer waits for the
// first one's commit and then re-evaluates its condition on the new row;
// SQLite runs write transactions one at a time. Either way one wins.
const (
	claimDeliverySQL = `UPDATE deliveries SET in_flight = 1 WHERE id = ? AND state = 'queued'`
	holdPendingSQL   = `UPDATE deliveries SET in_flight = 0
WHERE message_id = ? AND kind = ? AND state = 'queued' AND in_flight = 0 RETURNING ` + deliveryColumns
	cancelDeliverySQL = `UPDATE deliveries SET state = ?, last_error = ? WHERE id = ? AND state = 'queued' AND in_flight = 0`
	messagesByKeySQL  = `SELECT ` + messageColumns + ` FROM messages WHERE conversation_id = ? AND workspace_key = ? ORDER BY id`
	addRevisionSQL    = `INSERT INTO message_revisions (message_id, kind, body, source_id, author_id, at_ms) VALUES (?, ?, ?, ?, ?, ?)`
	revisionsSQL      = `SELECT message_id, kind, body, source_id, author_id, at_ms FROM message_revisions WHERE message_id = ? ORDER BY id`
	messagePostedSQL  = `UPDATE messages SET workspace_key = ?, status = ? WHERE id = ?`
	eraseMessageSQL   = `UPDATE messages SET body = '', payload = ? WHERE id = ?`
	eraseRevisionsSQL = `UPDATE message_revisions SET body = '' WHERE message_id = ?`
)

type revisionRow struct {
	MessageID int64  `db:"message_id"`
	Kind      string `db:"kind"`
	Body      string `db:"body"`
	SourceID  int64  `db:"source_id"`
	AuthorID  string `db:"author_id"`
	AtMs      int64  `db:"at_ms"`
}

func (r *txRepo) ClaimDelivery(ctx context.Context, id bridge.DeliveryID) (bool, error) {
	res, err := r.exec(ctx, claimDeliverySQL, int64(id))
	if err != nil {
		return false, fmt.Errorf("claim delivery %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (r *txRepo) HoldPendingDelivery(ctx context.Context, msg bridge.MessageID, kind bridge.DeliveryKind) (bridge.Delivery, error) {
	var rows []deliveryRow
	if err := r.sel(ctx, &rows, holdPendingSQL, int64(msg), string(kind)); err != nil {
		return bridge.Delivery{}, fmt.Errorf("hold pending %s of message %d: %w", kind, msg, err)
	}
	if len(rows) == 0 {
		return bridge.Delivery{}, bridge.ErrNotFound
	}
	return rows[0].domain(), nil
}

func (r *txRepo) CancelDelivery(ctx context.Context, id bridge.DeliveryID, reason string) (bool, error) {
	res, err := r.exec(ctx, cancelDeliverySQL, string(bridge.DeliveryCancelled), reason, int64(id))
	if err != nil {
		return false, fmt.Errorf("cancel delivery %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (r *txRepo) MessagesByWorkspaceKey(ctx context.Context, conv bridge.ConversationID, key string) ([]bridge.Message, error) {
	var rows []messageRow
	if err := r.sel(ctx, &rows, messagesByKeySQL, int64(conv), key); err != nil {
		return nil, fmt.Errorf("messages at key: %w", err)
	}
	out := make([]bridge.Message, 0, len(rows))
	for _, row := range rows {
		out = append(out, row.domain())
	}
	return out, nil
}

func (r *txRepo) SetMessagePosted(ctx context.Context, id bridge.MessageID, key string) error {
	if _, err := r.exec(ctx, messagePostedSQL, key, string(bridge.StatusPosted), int64(id)); err != nil {
		return fmt.Errorf("record post of message %d: %w", id, err)
	}
	return nil
}

func (r *txRepo) AddRevision(ctx context.Context, rv bridge.Revision) error {
	_, err := r.exec(ctx, addRevisionSQL, int64(rv.MessageID), string(rv.Kind), rv.Body, int64(rv.Source), rv.AuthorID, toMs(rv.At))
	if err != nil {
		return fmt.Errorf("add revision of message %d: %w", rv.MessageID, err)
	}
	return nil
}

func (r *txRepo) Revisions(ctx context.Context, msg bridge.MessageID) ([]bridge.Revision, error) {
	var rows []revisionRow
	if err := r.sel(ctx, &rows, revisionsSQL, int64(msg)); err != nil {
		return nil, fmt.Errorf("revisions of message %d: %w", msg, err)
	}
	out := make([]bridge.Revision, 0, len(rows))
	for _, row := range rows {
		out = append(out, bridge.Revision{MessageID: bridge.MessageID(row.MessageID), Kind: bridge.RevisionKind(row.Kind),
			Body: row.Body, Source: bridge.MessageID(row.SourceID), AuthorID: row.AuthorID, At: fromMs(row.AtMs)})
	}
	return out, nil
}

func (r *txRepo) EraseMessage(ctx context.Context, msg bridge.MessageID, payload json.RawMessage) error {
	if _, err := r.exec(ctx, eraseMessageSQL, string(payload), int64(msg)); err != nil {
		return fmt.Errorf("erase message %d: %w", msg, err)
	}
	if _, err := r.exec(ctx, eraseRevisionsSQL, int64(msg)); err != nil {
		return fmt.Errorf("erase revisions of message %d: %w", msg, err)
	}
	return nil
}

var _ bridge.EditsTx = (*txRepo)(nil)
