package bridge

import (
	"context"
	"time"
)

// ReceiptTx is the storage contract of read receipts (readreceipts.go):
// which customer message a mark-read targets, and the per-conversation
// watermark that keeps one message from being marked read twice.
type ReceiptTx interface {
	// NewestInbound returns the conversation's newest customer message
	// that WhatsApp can mark read: it has a wamid and is a message of its
	// own (reactions, edits, revokes and system notices aside). Newest is
	// by the customer's timestamp, then by id. ErrNotFound when none.
	NewestInbound(ctx context.Context, conv ConversationID) (Message, error)
	// AdvanceReadMark records m as the newest message of its conversation
	// marked read, unless m or a newer one (by SentAt, then ID) already
	// is: advanced is then false and nothing changes. Atomic, so two
	// transactions racing for the same message advance it once.
	AdvanceReadMark(ctx context.Context, m Message, now time.Time) (advanced bool, err error)
}
