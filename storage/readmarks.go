package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/switchboard/switchboard/bridge"
)

const (
	// newestInboundSQL skips what WhatsApp does not show as a message of
	// its own to mark read.
	newestInboundSQL = `SELECT ` + messageColumns + ` FROM messages
WHERE conversation_id = ? AND direction = 'in' AND external_id IS NOT NULL AND external_id <> ''
  AND kind NOT IN ('reaction', 'edit', 'revoke', 'system')
ORDER BY sent_ms DESC, id DESC LIMIT 1`
	// advanceReadMarkSQL only ever moves the mark forward: an insert, or
	// an update that the WHERE refuses for an older or equal message
	// (then no row is affected). PostgreSQL re-checks the WHERE against
	// the row a concurrent transaction committed, so a race advances once.
	advanceReadMarkSQL = `INSERT INTO read_marks (conversation_id, message_id, sent_ms, updated_ms) VALUES (?, ?, ?, ?)
ON CONFLICT (conversation_id) DO UPDATE SET message_id = excluded.message_id, sent_ms = excluded.sent_ms, updated_ms = excluded.updated_ms
WHERE excluded.sent_ms > read_marks.sent_ms
   OR (excluded.sent_ms = read_marks.sent_ms AND excluded.message_id > read_marks.message_id)`
)

func (r *txRepo) NewestInbound(ctx context.Context, conv bridge.ConversationID) (bridge.Message, error) {
	var row messageRow
	err := r.get(ctx, &row, newestInboundSQL, int64(conv))
	return row.domain(), notFound(err, fmt.Sprintf("newest customer message of conversation %d", conv))
}

func (r *txRepo) AdvanceReadMark(ctx context.Context, m bridge.Message, now time.Time) (bool, error) {
	res, err := r.exec(ctx, advanceReadMarkSQL, int64(m.ConversationID), int64(m.ID), toMs(m.SentAt), toMs(now))
	if err != nil {
		return false, fmt.Errorf("advance read mark of conversation %d: %w", m.ConversationID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
