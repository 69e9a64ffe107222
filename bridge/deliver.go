package bridge

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// RunDelivery runs the lane of delivery id (RunLane), reading the lane
// from the delivery; delivery jobs carry their lane and call RunLane.
func (b *Bridge) RunDelivery(ctx context.Context, id DeliveryID, holder string) (done bool, wait time.Duration, err error) {
	own, err := b.getDelivery(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return true, 0, nil
	}
	if err != nil {
		return false, 0, err
	}
	return b.RunLane(ctx, own.Lane, holder)
}

// RunLane is called by a delivery job. It takes the lane's lease and
// drains the lane in order (the job's delivery and any due before or
// after it), so deliveries of one conversation to one destination never
// overtake each other even with many workers and replicas. done=false
// asks the job to come back after wait. The job's own delivery is not
// read: a delivery done (or gone) meanwhile is simply not in the lane.
//
// A job that finds its lane held by another job finishes at once: the
// holder looks at the lane again after releasing it, so a delivery
// committed before that job started is never left behind. A holder that
// dies is covered by its own job's rescue and by RescueLanes.
//
// One call drains for a bounded time (see drainBudget) and then hands the
// lane back to the queue (done=false, wait=0): a busy lane goes to the
// back of the line instead of keeping a worker while other lanes wait.
func (b *Bridge) RunLane(ctx context.Context, lane Lane, holder string) (done bool, wait time.Duration, err error) {
	lastStart := b.now().Add(b.drainBudget())
	for range 3 {
		ok, took, err := b.store.AcquireLane(ctx, lane, holder, b.opts.LeaseDuration)
		if err != nil {
			return false, 0, err
		}
		if !ok {
			return true, 0, nil
		}
		if took {
			b.suspects.addLane(lane) // idempotency.go
		}
		wait, released, err := b.drain(ctx, lane, holder, lastStart)
		if !released {
			b.releaseLane(ctx, lane, holder)
		}
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
		if b.now().After(lastStart) {
			break
		}
	}
	return false, 0, nil // a busy lane: back in the queue, behind the others
}

// drainBudget is how long after a job starts it may still start a platform
// call: the call (bounded by callTimeout) and the recording of its outcome
// (bounded by recordTimeout) then end a margin before the job's timeout,
// so our own deadline never cancels a call midway.
func (b *Bridge) drainBudget() time.Duration {
	t := b.opts.JobTimeout
	return max(t-t/10-b.callTimeout()-b.recordTimeout(), 0)
}

// callTimeout bounds one platform call. The call runs detached from the
// job's context, so neither the job's deadline nor a shutdown cuts it off
// halfway (a half-sent message is worse than a late one).
func (b *Bridge) callTimeout() time.Duration { return b.opts.JobTimeout / 2 }

// recordTimeout bounds the retries of recording a call's outcome.
func (b *Bridge) recordTimeout() time.Duration { return b.opts.JobTimeout / 5 }

// errLaneLost says the job no longer holds its lane (its lease ran out and
// another job took it): it must stop and write nothing, the new holder
// carries on from the lane's stored state.
var errLaneLost = errors.New("delivery lane taken over by another job")

// drain runs the lane's due deliveries in order while holding its lease,
// starting no platform call after lastStart. A positive wait means the head
// is not due yet (an ordering window or a retry backoff). released says
// the lease was given back with the last delivery's record (the lane was
// empty then).
//
// Recording a delivery also renews the lease and reads the lane's next
// head with everything its call needs, or lets the lane go when it is
// empty, in the same transaction (laneRead): one commit per delivery.
func (b *Bridge) drain(ctx context.Context, lane Lane, holder string, lastStart time.Time) (wait time.Duration, released bool, err error) {
	// held is when this job last took or renewed the lease (RunLane
	// took it just before), on the monotonic clock: while the lease has
	// not run out since, nobody else can have touched the lane.
	held := time.Now()
	var next *laneRead
	for {
		// A head claimed with the last record (before lastStart) is run
		// even if the budget ran out since: left claimed but uncalled, an
		// agent's edit would take it for sent.
		if (next == nil || !next.dc.claimed) && b.now().After(lastStart) {
			break
		}
		if err := ctx.Err(); err != nil {
			return 0, false, err
		}
		var (
			head Delivery
			dc   deliveryContext
		)
		if next != nil {
			if next.released {
				return 0, true, nil
			}
			head, dc, err, held = next.head, next.dc, next.err, next.renewed
			next = nil
		} else {
			// A lease taken or renewed a moment ago needs no check
			// before the claim that may come with the read.
			head, dc, err = b.loadHead(ctx, lane, holder, time.Since(held) < b.opts.LeaseDuration/10)
		}
		// An unloadable head first: it wraps the ErrNotFound of a missing
		// row, which must not read as an empty lane (that stalled it).
		var bad *unloadableError
		if errors.As(err, &bad) {
			if err := b.failUnloadable(ctx, head, holder, bad); err != nil {
				return 0, false, laneErr(err)
			}
			continue
		}
		if errors.Is(err, ErrNotFound) || errors.Is(err, errLaneLost) {
			return 0, false, nil // empty, or another job carries on
		}
		if err != nil {
			return 0, false, err
		}
		if due := head.NotBefore.Sub(b.now()); due > 0 {
			return due, false, nil
		}
		// Renew the lease before a platform call unless it was taken or
		// renewed a moment ago (a tenth of it): the call and its recording
		// (bounded to 0.7 of the job timeout, which the lease is at least)
		// then always end inside the lease, and a job that lost its lane
		// (it stalled past its lease) learns it before calling.
		if since := time.Since(held); since > b.opts.LeaseDuration/10 {
			ok, took, err := b.store.AcquireLane(ctx, lane, holder, b.opts.LeaseDuration)
			if err != nil {
				return 0, false, err
			}
			if !ok {
				b.log.Warn("delivery lane lease lost; its new holder carries on", "lane", lane, "holder", holder)
				return 0, false, nil
			}
			if took {
				b.suspects.addLane(lane) // idempotency.go
			}
			held = time.Now()
			if since > b.opts.LeaseDuration*9/10 {
				// The lease may have run out since the head was read (this
				// job stalled), and another job may have run it meanwhile:
				// read it again under the renewed lease before calling.
				continue
			}
		}
		wait, next, err = b.runOne(ctx, head, dc, holder, lastStart)
		if err != nil || wait > 0 {
			return wait, false, laneErr(err)
		}
	}
	return 0, next != nil && next.released, nil
}

// laneRead is what recording a delivery read of its lane for the next
// turn of drain: the next head and its context (or why it cannot be
// loaded), or that the lane was empty and its lease given back.
type laneRead struct {
	head     Delivery
	dc       deliveryContext
	err      error
	released bool
	// renewed is when the transaction that renewed the lease began.
	renewed time.Time
}

// nextInLane reads the lane's head after a delivery was recorded, in the
// same transaction, with what its call needs when it is due, and claims
// it when claim (drain will run it next); an empty lane is let go.
func (b *Bridge) nextInLane(ctx context.Context, tx Tx, lane Lane, holder string, claim bool) (*laneRead, error) {
	rows, err := tx.LaneHeadRows(ctx, lane)
	head := rows.Head
	if errors.Is(err, ErrNotFound) {
		return &laneRead{released: true}, tx.ReleaseLane(ctx, lane, holder)
	}
	if err != nil {
		return nil, err
	}
	next := &laneRead{head: head}
	if head.NotBefore.After(b.now()) {
		return next, nil
	}
	next.dc, err = b.loadTx(ctx, tx, head, &rows)
	if errors.Is(err, ErrNotFound) || errors.Is(err, errCorrupt) {
		// Read without a failing statement (no row, bad JSON): the
		// transaction goes on, and drain fails this head on its turn.
		next.err = &unloadableError{err}
		return next, nil
	}
	if err != nil || !claim || !claimedBeforeCall(head.Kind) {
		return next, err // unclaimed: runOne claims it before its call
	}
	ok, err := b.claimTx(ctx, tx, head, &next.dc) // the caller renewed the lease
	next.dc.cancelled = !ok
	return next, err
}

// laneErr turns a lost lane into a clean stop: nothing is wrong with the
// job, another job is draining the lane.
func laneErr(err error) error {
	if errors.Is(err, errLaneLost) {
		return nil
	}
	return err
}

// laneWaiting says whether the lane is empty (done), or how long until its
// head is due; zero and not done means a due head waits to be run.
func (b *Bridge) laneWaiting(ctx context.Context, lane Lane) (done bool, wait time.Duration, err error) {
	head, err := b.store.LaneHead(ctx, lane)
	if errors.Is(err, ErrNotFound) {
		return true, 0, nil
	}
	if err != nil {
		return false, 0, err
	}
	return false, max(head.NotBefore.Sub(b.now()), 0), nil
}

// unloadableError says a lane's head cannot be prepared, now or ever: a
// row it needs is gone or its stored JSON is corrupt. Retrying would block
// the lane forever, so the head is failed instead (failUnloadable).
type unloadableError struct{ err error }

func (e *unloadableError) Error() string { return "cannot load delivery: " + e.err.Error() }
func (e *unloadableError) Unwrap() error { return e.err }

// errCorrupt marks stored JSON that does not decode; returned by loadTx.
var errCorrupt = errors.New("stored data is corrupt")

// loadHead reads the lane's head and, when it is due, everything its
// platform call needs, in one transaction, and claims a head an edit
// could still change (claimTx). A head whose rows are missing or corrupt
// comes back with an *unloadableError. freshLease says the lease was
// taken or renewed a moment ago, so the claim need not check it.
func (b *Bridge) loadHead(ctx context.Context, lane Lane, holder string, freshLease bool) (Delivery, deliveryContext, error) {
	var (
		head Delivery
		dc   deliveryContext
	)
	err := b.store.InTx(ctx, func(tx Tx) error {
		rows, err := tx.LaneHeadRows(ctx, lane)
		if err != nil {
			return err
		}
		head = rows.Head
		if head.NotBefore.After(b.now()) {
			return nil
		}
		dc, err = b.loadTx(ctx, tx, head, &rows)
		if errors.Is(err, ErrNotFound) || errors.Is(err, errCorrupt) {
			return &unloadableError{err}
		}
		if err != nil || !claimedBeforeCall(head.Kind) {
			return err
		}
		// Claimed with the read, saving the claim its own transaction.
		if !freshLease {
			if held, err := tx.HoldsLane(ctx, lane, holder); err != nil || !held {
				return cmp.Or(err, errLaneLost)
			}
		}
		ok, err := b.claimTx(ctx, tx, head, &dc)
		dc.cancelled = !ok
		return err
	})
	return head, dc, err
}

// failUnloadable fails a head that cannot be loaded, so the deliveries
// behind it go on, and says so in the thread when the thread itself can
// still be reached (otherwise the explanation would fail the same way).
func (b *Bridge) failUnloadable(ctx context.Context, d Delivery, holder string, cause error) error {
	now := b.now()
	// The customer's channel is the conversation's, read below when it
	// can be; the metric is counted once the transaction is over.
	platform := lanePlatform(d.Lane)
	defer func() { b.opts.Metrics.Delivery(platform, "failed", 0) }()
	b.log.Error("delivery cannot be loaded; failing it so its lane goes on", "delivery", d.ID, "kind", d.Kind,
		"conversation", d.ConversationID, "err", cause)
	return b.inTx(ctx, func(tx Tx) error {
		if ok, err := tx.HoldsLane(ctx, d.Lane, holder); err != nil || !ok {
			return cmp.Or(err, errLaneLost)
		}
		d.State, d.LastError = DeliveryFailed, truncate(cause.Error(), 500)
		if err := tx.UpdateDelivery(ctx, d); err != nil {
			return err
		}
		if d.Kind == DeliverMarkRead {
			return nil // a read is never worth a word in the thread (readreceipts.go)
		}
		conv, err := tx.GetConversation(ctx, d.ConversationID)
		if err != nil {
			return ignoreNotFound(err)
		}
		if d.Lane.ToCustomer() {
			platform = string(conv.Channel.OrWhatsApp())
		}
		if _, err := tx.GetContact(ctx, conv.ContactID); err != nil {
			return ignoreNotFound(err)
		}
		if _, err := tx.CurrentThread(ctx, conv.ID); err != nil {
			return ignoreNotFound(err)
		}
		lang := b.language(conv.Team)
		what := "fail.unloadable_up"
		switch d.Kind {
		case DeliverPostInbound:
			what = "fail.unloadable_in"
		case DeliverSendReply, DeliverSendReaction, DeliverSendCSAT, DeliverSendTemplate:
			what = "fail.unloadable_out"
		}
		return b.enqueueSystem(ctx, tx, conv.ID, "⚠️ "+Text(lang, "fail.unloadable", Text(lang, what)), now)
	})
}

func ignoreNotFound(err error) error {
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// lanePlatform names a lane's platform for metrics when the thread is not
// known. A customer lane's channel is its conversation's; when even that
// cannot be read the lane says only that it goes to a customer, rather
// than guess WhatsApp for a Messenger or e-mail conversation.
func lanePlatform(l Lane) string {
	if l.ToCustomer() {
		return customerMetricPlatform
	}
	if l.IsAssist() {
		return assistMetricPlatform
	}
	if l.IsCRM() {
		return crmMetricPlatform
	}
	return "workspace"
}

// RescueLanes starts a job for every lane whose due deliveries wait with
// nobody holding the lane (a holder died, or a job was lost): the safety
// net behind RunDelivery's hand-offs. Run periodically by one replica;
// storage keeps at most one rescue job waiting per lane, so running it
// while the workers are behind does not flood the queue.
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
	// assist is what an AI job produced (a draft, a summary, an answer,
	// a classification), as its kind's JSON, for completeAssist to record.
	assist json.RawMessage
	// name is the customer's name read from the channel's profile API
	// for the card (profilename.go), for complete to store.
	name string
}

// runOne executes the lane's head and records the result, as long as
// holder still holds the lane. A positive wait means the head must be
// retried later and the lane waits with it.
//
// A delivery recorded as done comes back with the lane's next head, read
// in the same transaction (nextInLane).
func (b *Bridge) runOne(ctx context.Context, d Delivery, dc deliveryContext, holder string, lastStart time.Time) (time.Duration, *laneRead, error) {
	if dc.cancelled {
		return 0, nil, nil // cancelled by an edit or delete before its claim: the lane goes on
	}
	if claimedBeforeCall(d.Kind) && !dc.claimed {
		// An edit or delete may change or cancel it until claimed (agentedit.go).
		// A lost lane stops the drain (errLaneLost); a cancelled delivery
		// (!ok) lets it go on to the next head.
		if ok, err := b.claimDelivery(ctx, d, &dc, holder); err != nil || !ok {
			return 0, nil, err
		}
	}
	cctx, cancel := callContext(ctx, b.callTimeout())
	// The delivery's key lets a workspace find and adopt what an earlier,
	// unrecorded attempt posted instead of posting it twice (idempotency.go).
	key := b.deliveryKeyOf(d)
	cctx = WithDeliveryKey(cctx, key)
	out, derr := b.execute(cctx, d, dc)
	cancel()
	// The customer's channel (issue 12): deliveries split by it.
	platform := string(dc.conv.Channel.OrWhatsApp())
	switch {
	case d.Kind == DeliverPostNotice:
		platform = string(noticeWorkspace(d))
	case d.Kind == DeliverCRMWebhook:
		platform = crmMetricPlatform // crm.go
	case d.Lane == WorkspaceLane(d.ConversationID):
		platform = string(dc.thread.Ref.Workspace)
	case d.Kind == DeliverMarkRead:
		platform = readMetricPlatform
	case d.Lane.IsAssist():
		platform = assistMetricPlatform // assistjobs.go
	}
	now := b.now()
	if derr == nil {
		b.opts.Metrics.Delivery(platform, "sent", now.Sub(d.CreatedAt))
		next, err := b.recordCompletion(ctx, d, out, now, holder, lastStart)
		if err != nil {
			b.log.Warn("a delivery reached its platform unrecorded; its next attempt looks for it before posting",
				"delivery", d.ID, "kind", d.Kind, "conversation", d.ConversationID, "err", err)
			b.suspects.add(d.ID) // idempotency.go
			b.suspects.addUnrecorded(d.Lane)
		} else {
			b.suspects.recorded(d.ID)
		}
		return 0, next, err
	}
	if outcomeUnknown(derr) {
		b.suspects.add(d.ID)
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		return 0, nil, ctx.Err() // stopped for good: not the platform's fault, no attempt spent
	}
	if d.Kind == DeliverMarkRead && !errors.Is(derr, errNoPlatform) {
		return 0, nil, b.dropRead(ctx, d, derr, holder) // tried once: never holds the reply behind it back
	}
	de, _ := AsDeliveryError(derr)
	if de == nil {
		de = &DeliveryError{Reason: ReasonTemporary, Err: derr}
	}
	if d.Kind == DeliverSendReaction && !de.Permanent && !errors.Is(derr, errNoPlatform) {
		// A reaction is tried once, like a read: retrying it with backoff
		// would hold the replies queued behind it in the customer lane.
		// Its author is told privately and may react again.
		de = &DeliveryError{Permanent: true, Reason: ReasonTemporary, Code: de.Code, Err: derr}
	}
	d.LastError = truncate(lastErrorText(derr, key), 500)
	if !de.Permanent && (de.Reason == ReasonRateLimited || de.RetryAfter > 0) {
		// The platform asked us to slow down (or this process cannot reach
		// it): wait as told without spending an attempt, which is kept for
		// failures that say something about the delivery itself.
		wait := de.RetryAfter
		if wait <= 0 {
			wait = backoff(d.Attempts+1, rand.Float64)
		}
		d.NotBefore = now.Add(wait)
		b.opts.Metrics.Delivery(platform, "retry", 0)
		b.log.Warn("delivery paced by its platform", "delivery", d.ID, "kind", d.Kind, "conversation", d.ConversationID,
			"wait", wait, "err", derr)
		return wait, nil, b.updateHeld(ctx, d, holder)
	}
	d.Attempts++
	if !de.Permanent && d.Attempts < b.opts.MaxAttempts {
		wait := backoff(d.Attempts, rand.Float64)
		d.NotBefore = now.Add(wait)
		b.opts.Metrics.Delivery(platform, "retry", 0)
		b.log.Warn("delivery will be retried", "delivery", d.ID, "kind", d.Kind, "conversation", d.ConversationID,
			"attempt", d.Attempts, "wait", wait, "err", derr)
		return wait, nil, b.updateHeld(ctx, d, holder)
	}
	reason := de.Reason
	if !de.Permanent {
		reason = ReasonTemporary
	}
	b.opts.Metrics.Delivery(platform, "failed", 0)
	b.log.Error("delivery failed for good", "delivery", d.ID, "kind", d.Kind, "conversation", d.ConversationID,
		"reason", reason, "code", de.Code, "err", derr)
	return 0, nil, b.inTx(ctx, func(tx Tx) error {
		if ok, err := tx.HoldsLane(ctx, d.Lane, holder); err != nil || !ok {
			return cmp.Or(err, errLaneLost)
		}
		d.State = DeliveryFailed
		if err := tx.UpdateDelivery(ctx, d); err != nil {
			return err
		}
		return b.failed(ctx, tx, d, dc, reason, de.Code, now)
	})
}

// callContext is the context of one platform call: bounded by timeout,
// and detached from the job's deadline, which therefore never cuts a call
// off halfway (drainBudget starts only calls that end before it). An
// explicit stop (the queue's hard shutdown, after its grace period) still
// cancels the call.
func callContext(job context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(job), timeout)
	stop := context.AfterFunc(job, func() {
		if !errors.Is(job.Err(), context.DeadlineExceeded) {
			cancel()
		}
	})
	return ctx, func() { stop(); cancel() }
}

// updateHeld stores a retry's new attempt count and due time, unless the
// lane was taken over meanwhile: the new holder's progress wins.
func (b *Bridge) updateHeld(ctx context.Context, d Delivery, holder string) error {
	return b.store.InTx(ctx, func(tx Tx) error {
		if ok, err := tx.HoldsLane(ctx, d.Lane, holder); err != nil || !ok {
			return cmp.Or(err, errLaneLost)
		}
		return tx.UpdateDelivery(ctx, d)
	})
}

// releaseLane gives the lane back, retrying for a while: a lease left
// behind by a finished job would stall the conversation for a whole lease.
func (b *Bridge) releaseLane(ctx context.Context, lane Lane, holder string) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	release := b.store.ReleaseLane
	if b.suspects.takeUnrecorded(lane) {
		// A call of this job reached its platform unrecorded: whichever
		// job or replica runs the lane next must look before posting
		// (idempotency.go).
		release = b.store.ExpireLane
	}
	for wait := 50 * time.Millisecond; ; wait = min(wait*2, 2*time.Second) {
		err := release(rctx, lane, holder)
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
// the call again (which would post or send twice). Only the lane's holder
// records: a job that lost its lane leaves the row to the new holder.
func (b *Bridge) recordCompletion(ctx context.Context, d Delivery, out outcome, now time.Time, holder string, lastStart time.Time) (*laneRead, error) {
	// Recording must outlive a shutdown's cancellation: the call happened.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), b.recordTimeout())
	defer cancel()
	wait := 50 * time.Millisecond
	// The next head is read with the record only while that read works:
	// a head that cannot be read (a failing statement aborts the whole
	// transaction on PostgreSQL) must not keep this delivery unrecorded,
	// so after a failure the record is retried alone and drain reads the
	// head itself.
	withNext := true
	for {
		var next *laneRead
		began := time.Now()
		err := b.inTx(ctx, func(tx Tx) error {
			next = nil
			if ok, err := tx.RenewLane(ctx, d.Lane, holder, b.opts.LeaseDuration); err != nil || !ok {
				return cmp.Or(err, errLaneLost)
			}
			if err := b.complete(ctx, tx, d, out, now); err != nil {
				return err
			}
			if !withNext {
				return nil
			}
			// A head claimed now but run only by a later job (this one is
			// out of time) would read as sent to an agent's edit meanwhile.
			var err error
			next, err = b.nextInLane(ctx, tx, d.Lane, holder, !b.now().After(lastStart))
			return err
		})
		if err == nil && next == nil {
			return nil, nil
		}
		if errors.Is(err, errLaneLost) {
			b.log.Warn("a delivery reached its platform after its job lost the lane; not recorded by this job",
				"delivery", d.ID, "kind", d.Kind, "conversation", d.ConversationID)
			return nil, err
		}
		if err == nil {
			next.renewed = began
			return next, nil
		}
		if ctx.Err() != nil {
			return nil, err
		}
		withNext = false
		b.log.Warn("recording a completed delivery failed; retrying", "delivery", d.ID, "err", err)
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(wait):
		}
		wait = min(wait*2, 2*time.Second)
	}
}

// backoff is the wait after the n-th transient failure, with full jitter
// (uniformly random below a ceiling of 1 s, 2 s, 4 s, … up to 5 minutes)
// so lanes that failed together do not retry together and hit a
// recovering platform at once. It never goes below minBackoff. rnd returns
// a number in [0, 1).
func backoff(n int, rnd func() float64) time.Duration {
	ceiling := 5 * time.Minute
	if n <= 9 {
		ceiling = min(time.Duration(1<<max(n-1, 0))*time.Second, ceiling)
	}
	return minBackoff + time.Duration(rnd()*float64(ceiling-minBackoff))
}

// minBackoff keeps a retry from following its failure at once.
const minBackoff = 100 * time.Millisecond

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
	// reaction is what a customer's reaction replaces (agentreaction.go).
	reaction customerReactionPayload
	// other is the thread a delivery targets when it is not the current
	// one (the thread a transfer left).
	other Thread
	// replyDeleted: the customer deleted the message this one answers,
	// which is never quoted again (customeredit.go).
	replyDeleted bool
	// corrects is the wamid of the reply a correction quotes (agentedit.go).
	corrects string
	// recent are the conversation's last messages, oldest first, for AI
	// work (assistjobs.go); loaded only for the assist lane.
	recent []Message
	// session is the conversation's first-line session, for an answer job.
	session FirstLineSession
	// crm is the person on the card (crm_card.go).
	crm crmCard
	// claimed: the head was claimed for its call when it was read
	// (claimTx); cancelled: it was cancelled before, and is skipped.
	claimed, cancelled bool
}

// loadTx reads what d's call needs; rows read with the head (LaneHeadRows)
// are taken from there, and a row missing there is missing (ErrNotFound),
// as reading it alone would say.
func (b *Bridge) loadTx(ctx context.Context, tx Tx, d Delivery, rows *HeadRows) (deliveryContext, error) {
	var dc deliveryContext
	if d.Kind == DeliverPostNotice || d.Kind == DeliverCRMWebhook {
		return dc, nil // no conversation: the payload says it all
	}
	err := func() error {
		missing := func(what string, id any) error { return fmt.Errorf("%s %v: %w", what, id, ErrNotFound) }
		if rows.Conversation == nil {
			return missing("conversation", d.ConversationID)
		}
		dc.conv = *rows.Conversation
		if rows.Contact == nil {
			return missing("contact", dc.conv.ContactID)
		}
		dc.contact = *rows.Contact
		if rows.Thread == nil {
			return missing("current thread of conversation", d.ConversationID)
		}
		dc.thread = *rows.Thread
		if d.MessageID != 0 {
			if rows.Message == nil {
				return missing("message", d.MessageID)
			}
			dc.msg = *rows.Message
		}
		var err error
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
		if d.Lane.IsAssist() {
			if dc.recent, _, err = tx.RecentMessages(ctx, d.ConversationID, assistRecentMessages); err != nil {
				return err
			}
			if d.Kind == DeliverAssistAnswer {
				// Its turns count this session's answers (assist_firstline.go).
				if dc.session, err = tx.Session(ctx, d.ConversationID); errors.Is(err, ErrNotFound) {
					err = nil
				}
			}
			return err
		}
		switch d.Kind {
		case DeliverOpenThread, DeliverUpdateCard:
			if err := b.loadEarlier(ctx, tx, &dc); err != nil {
				return err
			}
			return b.loadCRM(ctx, tx, &dc) // crm_card.go
		case DeliverPostInbound:
			var in InboundMessage
			if err := json.Unmarshal(dc.msg.Payload, &in); err != nil {
				return fmt.Errorf("decode stored message %d: %w: %w", dc.msg.ID, errCorrupt, err)
			}
			ref := in.ReplyTo
			if in.Reaction != nil {
				ref = in.Reaction.TargetExternalID
				if len(d.Payload) > 0 {
					_ = json.Unmarshal(d.Payload, &dc.reaction) // absent: nothing to replace
				}
			}
			if ref != "" {
				if t, err := tx.MessageByExternalID(ctx, ref); err == nil {
					dc.target, dc.replyTo = t, t.Body
					if dc.replyDeleted, err = messageDeleted(ctx, tx, t.ID); err != nil {
						return err
					}
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
	latest, latestID := -1, ConversationID(0) // the link to the last conversation before this one
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
		if c.ID < dc.conv.ID { // oldest first: the last one kept is the latest
			latest, latestID = len(dc.earlier)-1, c.ID
		}
	}
	if latest < 0 {
		return nil
	}
	// The customer's last conversation before this one shows its newest
	// AI summary (assist_agent.go), so the next agent starts informed.
	sum, err := tx.LatestSummary(ctx, latestID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	dc.earlier[latest].Label = lastSummaryLabel(lang, dc.earlier[latest].Label, sum.Text)
	return nil
}

// customerMetricPlatform is the platform label of a customer delivery
// whose conversation (and so channel) could not be read.
const customerMetricPlatform = "customer"
