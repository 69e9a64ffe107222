package bridge

import (
	"context"
	"encoding/json"
)

// emailThreadScan is how many of a conversation's latest messages are
// searched for the customer's latest e-mail.
const emailThreadScan = 50

// emailThread keeps a reply to an e-mail conversation in the customer's
// mail thread: InEmailThread with the Message-ID and subject of the
// customer's latest e-mail. Other channels get nil (no option). It reads
// in its own short transaction, before the send and never during it; a
// failed read sends unthreaded rather than not at all.
func (b *Bridge) emailThread(ctx context.Context, dc deliveryContext) SendOption {
	if dc.conv.Channel != ChannelEmail && b.inboxChannel(dc.conv.Inbox) != ChannelEmail {
		return nil
	}
	var latest Message
	err := b.inTx(ctx, func(tx Tx) error {
		recent, _, err := tx.RecentMessages(ctx, dc.conv.ID, emailThreadScan)
		if err != nil {
			return err
		}
		for i := len(recent) - 1; i >= 0; i-- {
			if recent[i].Direction == Inbound && recent[i].ExternalID != "" {
				latest = recent[i]
				return nil
			}
		}
		return nil
	})
	if err != nil || latest.ID == 0 {
		return nil
	}
	var in InboundMessage
	_ = json.Unmarshal(latest.Payload, &in) // an unreadable payload threads without a subject
	return InEmailThread(latest.ExternalID, in.Subject)
}
