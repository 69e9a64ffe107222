package bridge

import (
	"context"
	"time"
)

// ChannelTx is the storage contract of the customer channels' semantics
// (issue 12): watermark receipts and names read from a channel's profile
// API.
type ChannelTx interface {
	// OutboundUpTo returns the messages switchboard (or the business,
	// echoes) sent to the customer of channel ch at address to on inbox
	// that a watermark at upTo covers and could still move forward:
	// outbound, with an external id, SentAt from from to upTo inclusive,
	// status sent or delivered. Oldest first.
	OutboundUpTo(ctx context.Context, ch Channel, inbox InboxID, to CustomerAddress, from, upTo time.Time) ([]Message, error)
	// SetContactName sets the contact's name unless it has one already
	// (a name the customer's own webhook gave wins over a profile read
	// that raced it); nothing changes then, and no error is returned.
	SetContactName(ctx context.Context, id ContactID, name string) error
}
