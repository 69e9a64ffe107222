package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/switchboard/switchboard/bridge"
)

const (
	insertReceiptSQL = `INSERT INTO receipts (external_id, status, at_ms, reason, errors) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
	receiptsForSQL   = `SELECT external_id, status, at_ms, reason, errors FROM receipts WHERE external_id = ? ORDER BY at_ms`
	appendEventSQL   = `INSERT INTO events (conversation_id, kind, actor, data, at_ms) VALUES (?, ?, ?, ?, ?)`
)

type receiptRow struct {
	ExternalID string `db:"external_id"`
	Status     string `db:"status"`
	AtMs       int64  `db:"at_ms"`
	Reason     string `db:"reason"`
	Errors     string `db:"errors"`
}

func (r *txRepo) InsertReceipt(ctx context.Context, rc bridge.DeliveryReceipt) (bool, error) {
	errs := ""
	if len(rc.Errors) > 0 {
		b, err := json.Marshal(rc.Errors)
		if err != nil {
			return false, err
		}
		errs = string(b)
	}
	res, err := r.exec(ctx, insertReceiptSQL, rc.ExternalID, string(rc.Status), toMs(rc.At), string(rc.Reason), errs)
	if err != nil {
		return false, fmt.Errorf("insert receipt: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (r *txRepo) ReceiptsFor(ctx context.Context, externalID string) ([]bridge.DeliveryReceipt, error) {
	var rows []receiptRow
	if err := r.sel(ctx, &rows, receiptsForSQL, externalID); err != nil {
		return nil, fmt.Errorf("receipts for message: %w", err)
	}
	out := make([]bridge.DeliveryReceipt, 0, len(rows))
	for _, row := range rows {
		rc := bridge.DeliveryReceipt{ExternalID: row.ExternalID, Status: bridge.ReceiptStatus(row.Status),
			At: fromMs(row.AtMs), Reason: bridge.FailureReason(row.Reason)}
		if row.Errors != "" {
			_ = json.Unmarshal([]byte(row.Errors), &rc.Errors) // written by us above
		}
		out = append(out, rc)
	}
	return out, nil
}

func (r *txRepo) AppendEvent(ctx context.Context, e bridge.Event) error {
	_, err := r.exec(ctx, appendEventSQL, int64(e.ConversationID), e.Kind, e.Actor, e.Data, toMs(e.At))
	if err != nil {
		return fmt.Errorf("append %s event: %w", e.Kind, err)
	}
	return nil
}

const (
	deliveryColumns   = `id, conversation_id, lane, kind, message_id, payload, sort_key, not_before_ms, state, attempts, last_error, created_ms`
	insertDeliverySQL = `INSERT INTO deliveries (conversation_id, lane, kind, message_id, payload, sort_key, not_before_ms, state, attempts, last_error, created_ms)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, '', ?) RETURNING id`
	getDeliverySQL = `SELECT ` + deliveryColumns + ` FROM deliveries WHERE id = ?`
	laneHeadSQL    = `SELECT ` + deliveryColumns + ` FROM deliveries WHERE lane = ? AND state = 'queued' ORDER BY sort_key, id LIMIT 1`
	// Recording a final outcome ends the call a claim announced
	// (storage/edits.go). A delivery left queued after a claimed call (a
	// timeout, a 5xx: the platform may have it) stays claimed, so an edit
	// or delete of it is answered "already sent" rather than changing a
	// text the customer may already have.
	//
	// A delivery an erase failed (state 'failed', last_error 'erased',
	// storage/people_erase.go) is never written again: the worker that
	// was calling the platform meanwhile would otherwise put the erased
	// payload back, or queue it for a retry.
	updateDelivSQL = `UPDATE deliveries SET state = ?, attempts = ?, last_error = ?, not_before_ms = ?, payload = ?,
in_flight = CASE WHEN ? = 'queued' THEN in_flight ELSE 0 END WHERE id = ? AND NOT (state = 'failed' AND last_error = 'erased')`
)

// Enqueue writes the delivery row and its River job in this transaction:
// if the transaction rolls back, neither exists; if it commits, both do.
// The job is written at the end of the transaction, with the others.
func (r *txRepo) Enqueue(ctx context.Context, d bridge.Delivery) (bridge.DeliveryID, error) {
	now := time.Now()
	if d.CreatedAt.IsZero() {
		d.CreatedAt = now
	}
	if d.SortKey == 0 && d.Kind != bridge.DeliverOpenThread {
		d.SortKey = toMs(d.CreatedAt)
	}
	var id int64
	err := r.get(ctx, &id, insertDeliverySQL, int64(d.ConversationID), string(d.Lane), string(d.Kind), int64(d.MessageID),
		string(d.Payload), d.SortKey, toMs(d.NotBefore), string(bridge.DeliveryQueued), toMs(d.CreatedAt))
	if err != nil {
		return 0, fmt.Errorf("insert %s delivery: %w", d.Kind, err)
	}
	if r.queue != nil {
		r.addJob(bridge.DeliveryID(id), d.Lane, d.NotBefore.Sub(d.CreatedAt))
	}
	return bridge.DeliveryID(id), nil
}

// addJob records the job of a delivery for Store.InTx to insert with the
// transaction's other jobs just before it commits (one statement however
// many). One job per lane is enough: a job drains its whole lane in order
// (bridge.RunLane), so a second delivery of a lane this transaction
// already woke only moves that job's start earlier if it is due sooner.
func (r *txRepo) addJob(id bridge.DeliveryID, lane bridge.Lane, delay time.Duration) {
	if i, ok := r.jobLanes[lane]; ok {
		if delay < r.jobDelays[i] {
			r.jobs[i], r.jobDelays[i] = r.queue.deliveryJob(id, lane, delay), delay
		}
		return
	}
	if r.jobLanes == nil {
		r.jobLanes = map[bridge.Lane]int{}
	}
	r.jobLanes[lane] = len(r.jobs)
	r.jobs = append(r.jobs, r.queue.deliveryJob(id, lane, delay))
	r.jobDelays = append(r.jobDelays, delay)
}

func (r *txRepo) GetDelivery(ctx context.Context, id bridge.DeliveryID) (bridge.Delivery, error) {
	var row deliveryRow
	err := r.get(ctx, &row, getDeliverySQL, int64(id))
	return row.domain(), notFound(err, fmt.Sprintf("delivery %d", id))
}

func (r *txRepo) LaneHead(ctx context.Context, lane bridge.Lane) (bridge.Delivery, error) {
	var row deliveryRow
	err := r.get(ctx, &row, laneHeadSQL, string(lane))
	return row.domain(), notFound(err, "lane head")
}

// headRowsRow is a lane's head with the rows it names (LaneHeadRows).
// Missing rows read as zero values (coalesced): an id of 0 means absent.
type headRowsRow struct {
	deliveryRow
	Conv    conversationRow `db:"c"`
	Contact contactRow      `db:"k"`
	Thread  threadRow       `db:"t"`
	Msg     messageRow      `db:"m"`
}

// laneHeadRowsSQL is laneHeadSQL joined to the rows its call needs; the
// current thread is the one CurrentThread reads.
var laneHeadRowsSQL = `SELECT ` + prefixed("d", deliveryRow{}, false) + `, ` + prefixed("c", conversationRow{}, true) + `, ` +
	prefixed("k", contactRow{}, true) + `, ` + prefixed("t", threadRow{}, true) + `, ` + prefixed("m", messageRow{}, true) + `
FROM deliveries d
LEFT JOIN conversations c ON c.id = d.conversation_id
LEFT JOIN contacts k ON k.id = c.contact_id
LEFT JOIN threads t ON t.id = (SELECT id FROM threads WHERE conversation_id = d.conversation_id AND is_current = ? ORDER BY id DESC LIMIT 1)
LEFT JOIN messages m ON m.id = d.message_id AND d.message_id <> 0
WHERE d.lane = ? AND d.state = 'queued' ORDER BY d.sort_key, d.id LIMIT 1`

func (r *txRepo) LaneHeadRows(ctx context.Context, lane bridge.Lane) (bridge.HeadRows, error) {
	var row headRowsRow
	if err := r.get(ctx, &row, laneHeadRowsSQL, true, string(lane)); err != nil {
		return bridge.HeadRows{}, notFound(err, "lane head")
	}
	out := bridge.HeadRows{Head: row.deliveryRow.domain()}
	if row.Conv.ID != 0 {
		c := row.Conv.domain()
		out.Conversation = &c
	}
	if row.Contact.ID != 0 {
		k := row.Contact.domain()
		out.Contact = &k
	}
	if row.Thread.ID != 0 {
		t := row.Thread.domain()
		out.Thread = &t
	}
	if row.Msg.ID != 0 {
		m := row.Msg.domain()
		out.Message = &m
	}
	return out, nil
}

func (r *txRepo) UpdateDelivery(ctx context.Context, d bridge.Delivery) error {
	_, err := r.exec(ctx, updateDelivSQL, string(d.State), d.Attempts, d.LastError, toMs(d.NotBefore), string(d.Payload),
		string(d.State), int64(d.ID))
	return notFound(err, fmt.Sprintf("update delivery %d", d.ID))
}

// stalledLanesSQL finds the head of every lane that is due, older than a
// grace period and held by nobody (by the database's clock). It selects
// heads, not deliveries, so one lane with a long backlog cannot fill the
// limit and hide the others; the oldest heads come first.
const stalledLanesSQL = `SELECT ` + deliveryColumns + ` FROM deliveries d
WHERE d.state = 'queued' AND d.not_before_ms <= ? AND d.created_ms <= ?
  AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.lane = d.lane AND e.state = 'queued'
                  AND (e.sort_key < d.sort_key OR (e.sort_key = d.sort_key AND e.id < d.id)))
  AND NOT EXISTS (SELECT 1 FROM lanes l WHERE l.lane = d.lane AND l.lease_until_ms > {now})
ORDER BY d.created_ms, d.id LIMIT 1000`

func (r *txRepo) StalledLanes(ctx context.Context, now, olderThan time.Time) ([]bridge.Delivery, error) {
	var rows []deliveryRow
	if err := r.sel(ctx, &rows, withNow(r.db.Dialect, stalledLanesSQL), toMs(now), toMs(olderThan)); err != nil {
		return nil, fmt.Errorf("stalled lanes: %w", err)
	}
	out := make([]bridge.Delivery, 0, len(rows))
	for _, row := range rows {
		out = append(out, row.domain())
	}
	return out, nil
}

// Requeue wakes a stalled lane. At most one such wake-up per lane waits in
// the queue (River's unique jobs), however often the rescue runs while
// the workers are busy.
func (r *txRepo) Requeue(ctx context.Context, d bridge.Delivery) error {
	if r.queue == nil {
		return nil
	}
	return r.queue.rescueTx(ctx, r.tx.Tx, d.ID, d.Lane)
}
