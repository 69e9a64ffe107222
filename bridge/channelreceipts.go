package bridge

import (
	"context"
)

// storeWatermark applies a Messenger/Instagram delivery or read receipt:
// such receipts name no message but a watermark, and every message sent
// to the customer on the inbox up to it reached the status. Each moves
// forward (never back) with the same thread effects as a receipt naming
// it (applyReceipt: the mark on its post). Nothing is recorded in the
// receipts table: it is keyed by message id, and a watermark applied
// twice changes nothing the second time. A message whose send is not
// recorded yet when the watermark arrives is left to the next watermark
// (the platforms send one on every delivery and read).
// watermarkReach is how far back a watermark looks (review finding 21):
// the platforms send one on every delivery and read, so a message sent
// more than a week before one got its receipt long ago or never will, and
// reading the customer's whole history for it on every receipt is waste.
const watermarkReach = HumanAgentWindow

func (b *Bridge) storeWatermark(ctx context.Context, tx Tx, r DeliveryReceipt) error {
	switch r.Status {
	case ReceiptDelivered, ReceiptRead, ReceiptPlayed:
	default:
		return nil // watermarks only say delivered or read
	}
	msgs, err := tx.OutboundUpTo(ctx, b.inboxChannel(r.Inbox), r.Inbox, r.Recipient, r.Watermark.Add(-watermarkReach), r.Watermark)
	if err != nil {
		return err
	}
	one := r
	for _, m := range msgs {
		one.ExternalID = m.ExternalID
		if err := b.applyReceipt(ctx, tx, m, one); err != nil {
			return err
		}
	}
	return nil
}
