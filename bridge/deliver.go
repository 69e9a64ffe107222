package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// RunDelivery is called by a delivery job. It takes its lane's lease and
// drains the lane in order (this delivery and any due before or after it),
// so deliveries of one conversation to one destination never overtake each
// other even with many workers and replicas. done=false asks the job to
// come back after wait.
//
// A job that finds its lane held by another job finishes at once: the
// holder looks at the lane again after releasing it, so a delivery
// committed before that job started is never left behind. A holder that
// dies is covered by its own job's rescue and by RescueLanes.
func (b *Bridge) RunDelivery(ctx context.Context, id DeliveryID, holder string) (done bool, wait time.Duration, err error) {
	own, err := b.getDelivery(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return true, 0, nil
	}
	if err != nil {
		return false, 0, err
	}
	lane := own.Lane
	if own.State != DeliveryQueued {
		// Done, possibly by another job; this job may still be the one
		// keeping a waiting lane alive (it snoozed for the lane's retry).
		if done, wait, err := b.laneWaiting(ctx, lane); done || wait > 0 || err != nil {
			return done, wait, err
		}
	}
	for range 3 {
		ok, err := b.store.AcquireLane(ctx, lane, holder, b.now().Add(b.opts.LeaseDuration))
		if err != nil {
			return false, 0, err
		}
		if !ok {
			return true, 0, nil
		}
		wait, err = b.drain(ctx, lane, holder)
		b.releaseLane(ctx, lane, holder)
		if err != nil {
			return false, 0, err
		}
		if wait > 0 {
			return false, wait, nil // this job keeps the lane alive until its head is due
		}
		// Look again after releasing: a job that found the lane busy while
		// we held it has left its delivery to us.
		if done, wait, err := b.laneWaiting(ctx, lane); done || wait > 0 || err != nil {
			return done, wait, err
		}
	}
	return false, 0, nil // a busy lane: come back at once
}

// drain runs the lane's due deliveries in order while holding its lease,
// for at most half a lease. A positive wait means the head is not due yet
// (an ordering window or a retry backoff).
func (b *Bridge) drain(ctx context.Context, lane Lane, holder string) (time.Duration, error) {
	started := b.now()
	leaseUntil := started.Add(b.opts.LeaseDuration)
	for b.now().Sub(started) < b.opts.LeaseDuration/2 {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		head, dc, err := b.loadHead(ctx, lane)
		if errors.Is(err, ErrNotFound) {
			return 0, nil
		}
		if err != nil {
			return 0, err
		}
		if due := head.NotBefore.Sub(b.now()); due > 0 {
			return due, nil
		}
		// Renew the lease when half of it is used, so a crashed worker
		// blocks its lane for at most one lease.
		if leaseUntil.Sub(b.now()) < b.opts.LeaseDuration/2 {
			ok, err := b.store.AcquireLane(ctx, lane, holder, b.now().Add(b.opts.LeaseDuration))
			if err != nil {
				return 0, err
			}
			if !ok {
				return 0, nil // the lease was lost; its new holder carries on
			}
			leaseUntil = b.now().Add(b.opts.LeaseDuration)
		}
		if wait, err := b.runOne(ctx, head, dc); err != nil || wait > 0 {
			return wait, err
		}
	}
	return 0, nil
}

// laneWaiting says whether the lane is empty (done), or how long until its
// head is due; zero and not done means a due head waits to be run.
func (b *Bridge) laneWaiting(ctx context.Context, lane Lane) (done bool, wait time.Duration, err error) {
	var head Delivery
	err = b.store.InTx(ctx, func(tx Tx) error {
		var err error
		head, err = tx.LaneHead(ctx, lane)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return true, 0, nil
	}
	if err != nil {
		return false, 0, err
	}
	return false, max(head.NotBefore.Sub(b.now()), 0), nil
}

// loadHead reads the lane's head and, when it is due, everything its
// platform call needs, in one transaction.
func (b *Bridge) loadHead(ctx context.Context, lane Lane) (Delivery, deliveryContext, error) {
	var (
		head Delivery
		dc   deliveryContext
	)
	err := b.store.InTx(ctx, func(tx Tx) error {
		var err error
		if head, err = tx.LaneHead(ctx, lane); err != nil {
			return err
		}
		if head.NotBefore.After(b.now()) {
			return nil
		}
		dc, err = b.loadTx(ctx, tx, head)
		return err
	})
	return head, dc, err
}

// RescueLanes starts a job for every lane whose due deliveries wait with
// nobody holding the lane (a holder died, or a job was lost): the safety
// net behind RunDelivery's hand-offs. Run periodically by one replica.
func (b *Bridge) RescueLanes(ctx context.Context) error {
	now := b.now()
	return b.store.InTx(ctx, func(tx Tx) error {
		heads, err := tx.StalledLanes(ctx, now, now.Add(-10*time.Second))
		if err != nil {
			return err
		}
		for _, d := range heads {
			b.log.Warn("restarting a stalled delivery lane", "lane", d.Lane, "delivery", d.ID)
			if err := tx.Requeue(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
}

func (b *Bridge) getDelivery(ctx context.Context, id DeliveryID) (Delivery, error) {
	var d Delivery
	err := b.store.InTx(ctx, func(tx Tx) error {
		var err error
		d, err = tx.GetDelivery(ctx, id)
		return err
	})
	return d, err
}

// outcome is what a platform call produced.
type outcome struct {
	thread     ThreadRef
	key        string // message key in the workspace
	externalID string // id on the customer channel
}

// runOne executes the lane's head and records the result. A positive wait
// means the head must be retried later and the lane waits with it.
func (b *Bridge) runOne(ctx context.Context, d Delivery, dc deliveryContext) (time.Duration, error) {
	out, derr := b.execute(ctx, d, dc)
	platform := "whatsapp"
	if d.Lane == WorkspaceLane(d.ConversationID) {
		platform = string(dc.thread.Ref.Workspace)
	}
	now := b.now()
	if derr == nil {
		b.opts.Metrics.Delivery(platform, "sent", now.Sub(d.CreatedAt))
		return 0, b.recordCompletion(ctx, d, out, now)
	}
	if ctx.Err() != nil {
		return 0, ctx.Err() // shutting down: not the platform's fault, no attempt spent
	}
	de, _ := AsDeliveryError(derr)
	if de == nil {
		de = &DeliveryError{Reason: ReasonTemporary, Err: derr}
	}
	d.Attempts++
	d.LastError = truncate(derr.Error(), 500)
	if !de.Permanent && d.Attempts < b.opts.MaxAttempts {
		wait := de.RetryAfter
		if wait <= 0 {
			wait = backoff(d.Attempts)
		}
		d.NotBefore = now.Add(wait)
		b.opts.Metrics.Delivery(platform, "retry", 0)
		b.log.Warn("delivery will be retried", "delivery", d.ID, "kind", d.Kind, "conversation", d.ConversationID,
			"attempt", d.Attempts, "wait", wait, "err", derr)
		return wait, b.store.InTx(ctx, func(tx Tx) error { return tx.UpdateDelivery(ctx, d) })
	}
	reason := de.Reason
	if !de.Permanent {
		reason = ReasonTemporary
	}
	b.opts.Metrics.Delivery(platform, "failed", 0)
	b.log.Error("delivery failed for good", "delivery", d.ID, "kind", d.Kind, "conversation", d.ConversationID,
		"reason", reason, "code", de.Code, "err", derr)
	return 0, b.inTx(ctx, func(tx Tx) error {
		d.State = DeliveryFailed
		if err := tx.UpdateDelivery(ctx, d); err != nil {
			return err
		}
		return b.failed(ctx, tx, d, dc, reason, de.Code, now)
	})
}

// releaseLane gives the lane back, retrying for a while: a lease left
// behind by a finished job would stall the conversation for a whole lease.
func (b *Bridge) releaseLane(ctx context.Context, lane Lane, holder string) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	for wait := 50 * time.Millisecond; ; wait = min(wait*2, 2*time.Second) {
		err := b.store.ReleaseLane(rctx, lane, holder)
		if err == nil {
			return
		}
		b.log.Warn("release lane; retrying", "lane", lane, "err", err)
		select {
		case <-rctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// recordCompletion stores a delivery that reached its platform. The
// platform call cannot be taken back, so when the database is briefly
// unreachable we keep trying to record it here rather than let the job run
// the call again (which would post or send twice).
func (b *Bridge) recordCompletion(ctx context.Context, d Delivery, out outcome, now time.Time) error {
	// Recording must outlive a shutdown's cancellation: the call happened.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), b.opts.LeaseDuration/2)
	defer cancel()
	wait := 50 * time.Millisecond
	deadline := b.now().Add(b.opts.LeaseDuration / 2)
	for {
		err := b.inTx(ctx, func(tx Tx) error { return b.complete(ctx, tx, d, out, now) })
		if err == nil || ctx.Err() != nil || b.now().After(deadline) {
			return err
		}
		b.log.Warn("recording a completed delivery failed; retrying", "delivery", d.ID, "err", err)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(wait*2, 2*time.Second)
	}
}

// backoff is the wait after the n-th transient failure: 1 s, 2 s, 4 s, …
// up to 5 minutes.
func backoff(n int) time.Duration {
	if n > 9 {
		return 5 * time.Minute
	}
	return min(time.Duration(1<<(n-1))*time.Second, 5*time.Minute)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// deliveryContext is what a delivery reads before calling a platform.
type deliveryContext struct {
	conv    Conversation
	contact Contact
	thread  Thread
	msg     Message
	earlier []CardLink
	replyTo string // text of the message a customer message answers
	target  Message
	// other is the thread a delivery targets when it is not the current
	// one (the thread a transfer left).
	other Thread
}

func (b *Bridge) loadTx(ctx context.Context, tx Tx, d Delivery) (deliveryContext, error) {
	var dc deliveryContext
	err := func() error {
		var err error
		if dc.conv, err = tx.GetConversation(ctx, d.ConversationID); err != nil {
			return err
		}
		if dc.contact, err = tx.GetContact(ctx, dc.conv.ContactID); err != nil {
			return err
		}
		if dc.thread, err = tx.CurrentThread(ctx, d.ConversationID); err != nil {
			return err
		}
		if d.MessageID != 0 {
			if dc.msg, err = tx.GetMessage(ctx, d.MessageID); err != nil {
				return err
			}
		}
		var target struct {
			ThreadID int64 `json:"thread_id"`
		}
		if len(d.Payload) > 0 {
			_ = json.Unmarshal(d.Payload, &target) // payloads without a thread id leave it zero
		}
		if target.ThreadID != 0 {
			if dc.other, err = tx.GetThread(ctx, target.ThreadID); err != nil {
				return err
			}
		}
		switch d.Kind {
		case DeliverOpenThread, DeliverUpdateCard:
			return b.loadEarlier(ctx, tx, &dc)
		case DeliverPostInbound:
			var in InboundMessage
			if err := json.Unmarshal(dc.msg.Payload, &in); err != nil {
				return fmt.Errorf("decode stored message %d: %w", dc.msg.ID, err)
			}
			ref := in.ReplyTo
			if in.Reaction != nil {
				ref = in.Reaction.TargetExternalID
			}
			if ref != "" {
				if t, err := tx.MessageByExternalID(ctx, ref); err == nil {
					dc.target, dc.replyTo = t, t.Body
				} else if !errors.Is(err, ErrNotFound) {
					return err
				}
			}
		}
		return nil
	}()
	return dc, err
}

// loadEarlier links the customer's earlier conversations on the card.
func (b *Bridge) loadEarlier(ctx context.Context, tx Tx, dc *deliveryContext) error {
	convs, err := tx.ContactConversations(ctx, dc.contact.ID)
	if err != nil {
		return err
	}
	lang := b.language(dc.conv.Team)
	for _, c := range convs {
		if c.ID == dc.conv.ID {
			continue
		}
		th, err := tx.CurrentThread(ctx, c.ID)
		if errors.Is(err, ErrNotFound) || th.Ref.IsZero() {
			continue
		}
		if err != nil {
			return err
		}
		dc.earlier = append(dc.earlier, CardLink{
			Label:  Text(lang, "card.earlier", int64(c.ID), c.OpenedAt.Format("2006-01-02")),
			Thread: th.Ref,
		})
	}
	return nil
}
