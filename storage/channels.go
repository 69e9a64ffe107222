package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/switchboard/switchboard/bridge"
)

const (
	// outboundUpToSQL: the messages a Messenger/Instagram watermark
	// covers. Queued ones (no external id yet) are not: the platform has
	// not got them. The contact is matched on (channel, address), the
	// contacts' unique index, so a row of another channel with the same
	// address never answers; sent_ms is bounded below so a watermark reads
	// days, not a customer's whole history.
	outboundUpToSQL = `SELECT m.id, m.conversation_id, m.direction, m.kind, m.body, m.payload, m.external_id, m.workspace_key,
  m.author_id, m.sent_ms, m.created_ms, m.status, m.failure
FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN contacts k ON k.id = c.contact_id
WHERE c.inbox = ? AND k.channel = ? AND k.address = ? AND m.direction = 'out' AND m.external_id IS NOT NULL AND m.external_id <> ''
  AND m.sent_ms >= ? AND m.sent_ms <= ? AND m.status IN ('sent', 'delivered')
ORDER BY m.sent_ms, m.id`
	setContactNameSQL = `UPDATE contacts SET name = ? WHERE id = ? AND name = ''`
)

func (r *txRepo) OutboundUpTo(ctx context.Context, ch bridge.Channel, inbox bridge.InboxID, to bridge.CustomerAddress, from, upTo time.Time) ([]bridge.Message, error) {
	var rows []messageRow
	if err := r.sel(ctx, &rows, outboundUpToSQL, string(inbox), string(ch.OrWhatsApp()), string(to), toMs(from), toMs(upTo)); err != nil {
		return nil, fmt.Errorf("messages to %s on %s up to %s: %w", bridge.MaskPhone(string(to)), inbox, upTo, err)
	}
	out := make([]bridge.Message, 0, len(rows))
	for _, row := range rows {
		out = append(out, row.domain())
	}
	return out, nil
}

func (r *txRepo) SetContactName(ctx context.Context, id bridge.ContactID, name string) error {
	if _, err := r.exec(ctx, setContactNameSQL, name, int64(id)); err != nil {
		return fmt.Errorf("name of contact %d: %w", id, err)
	}
	return nil
}
