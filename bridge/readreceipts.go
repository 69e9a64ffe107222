package bridge

import (
	"cmp"
	"context"
	"errors"
	"time"
)

// Read receipts and typing (issue 17): the customer's messages get blue
// ticks when an agent of the team first acts on them, as the team's
// read_receipts option says, and a reply shows WhatsApp's typing indicator
// while it is delivered. WhatsApp shows typing only as part of a mark-read
// call (status "read" + typing_indicator, dismissed by our next message or
// after 25 s), so a team that never marks read never shows typing either.
//
// Each mark-read is a delivery in the customer lane, enqueued in the
// transaction of the act (claim, reply) and placed ahead of everything
// queued there (readSortKey), so it runs before the reply it announces
// even when an older reply arrives late and slots in before that one,
// and never waits behind a reply that is being retried. It is tried once: a failure (Graph 5xx or 400, a timeout)
// is logged and counted, never retried, never reported in the thread, so
// it cannot hold back or fail the reply behind it (dropRead).
//
// A message is never marked read twice: the conversation's read mark (the
// newest customer message marked so far, storage's read_marks) must move
// forward for a call to be enqueued. So a second reply to the same
// customer message shows no typing: Meta requires a message_id for typing,
// and repeating the read of a message already read costs a Graph call per
// reply for an indicator that lasts until the reply lands anyway.

// readAction is what an agent did that may mark the customer's messages read.
type readAction int

const (
	// readOnReply: an agent's reply was queued for the customer.
	readOnReply readAction = iota + 1
	// readOnClaim: an agent claimed the conversation (card button, !claim,
	// /claim) or a supervisor took it over.
	readOnClaim
)

// marksRead says whether a team with policy marks the customer's messages
// read when action happens, and whether the call shows typing (only when
// a reply follows it).
func marksRead(policy ReadReceipts, action readAction) (mark, typing bool) {
	switch policy {
	case ReadNever:
		return false, false
	case ReadOnClaim:
		return action == readOnReply || action == readOnClaim, action == readOnReply
	default: // ReadOnReply, and "" for a bridge built without the option
		return action == readOnReply, action == readOnReply
	}
}

// maxReadCall bounds a mark-read call: a Graph that hangs delays the reply
// behind it by at most this long.
const maxReadCall = 5 * time.Second

// readMetricPlatform is the platform label of mark-read calls in
// switchboard_deliveries_total (results sent and dropped), apart from the
// messages sent to WhatsApp.
const readMetricPlatform = "whatsapp_read"

// readSortKey puts a mark-read ahead of every message queued in its
// customer lane (their sort keys are times in milliseconds; 0 would mean
// "now" to storage), behind earlier mark-reads only.
const readSortKey = 1

// markReadOn enqueues a mark-read of the conversation's newest customer
// message when the team's policy asks for it on action and that message
// was not marked read yet.
func (b *Bridge) markReadOn(ctx context.Context, tx Tx, conv Conversation, action readAction, now time.Time) error {
	mark, typing := marksRead(b.team(conv.Team).ReadReceipts, action)
	if !mark || !conv.Channel.Rules().ReadReceipts { // e-mail has none (channels.go)
		return nil
	}
	newest, err := tx.NewestInbound(ctx, conv.ID)
	if errors.Is(err, ErrNotFound) {
		return nil // nothing from the customer (an agent-started conversation)
	}
	if err != nil {
		return err
	}
	advanced, err := tx.AdvanceReadMark(ctx, newest, now)
	if err != nil || !advanced {
		return err
	}
	_, err = tx.Enqueue(ctx, Delivery{ConversationID: conv.ID, Lane: CustomerLane(conv.ID), Kind: DeliverMarkRead,
		MessageID: newest.ID, Payload: mustJSON(markReadPayload{ExternalID: newest.ExternalID, Typing: typing}),
		SortKey: readSortKey, CreatedAt: now})
	return err
}

// dropRead records a mark-read that failed as done with, without a retry
// and without a word in the thread: the customer merely keeps grey ticks
// (or sees no typing) for that message. Logged and counted.
func (b *Bridge) dropRead(ctx context.Context, d Delivery, derr error, holder string) error {
	b.opts.Metrics.Delivery(readMetricPlatform, "dropped", 0)
	b.log.Warn("mark-read failed; dropped, the reply behind it goes on", "delivery", d.ID,
		"conversation", d.ConversationID, "err", derr)
	d.State, d.Attempts, d.LastError = DeliveryFailed, d.Attempts+1, truncate(derr.Error(), 500)
	return b.inTx(ctx, func(tx Tx) error {
		if ok, err := tx.HoldsLane(ctx, d.Lane, holder); err != nil || !ok {
			return cmp.Or(err, errLaneLost)
		}
		return tx.UpdateDelivery(ctx, d)
	})
}
