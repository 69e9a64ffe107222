package storage

import (
	"context"
	"fmt"
	"time"
)

// Retention: the keys that recognise platform retries (processed_events)
// and the deliveries that finished (done or failed) are only needed for a
// while. Platforms retry within hours (Meta for up to a few days, Slack
// within minutes), and a finished delivery is history the event log and
// messages already keep. Queued deliveries are never pruned, however old.

const (
	pruneEventsSQL = `DELETE FROM processed_events WHERE created_ms < ?`
	// Deliveries go in batches, so one prune never holds a long lock on
	// the table every delivery job writes to.
	pruneDeliveriesSQL = `DELETE FROM deliveries WHERE id IN (
  SELECT id FROM deliveries WHERE state <> 'queued' AND created_ms < ? LIMIT 2000)`
)

// Pruned counts what one Prune deleted.
type Pruned struct {
	Events     int64
	Deliveries int64
}

// Prune deletes processed event keys and finished deliveries created
// before before. Run periodically by one replica.
func (db *DB) Prune(ctx context.Context, before time.Time) (Pruned, error) {
	var p Pruned
	res, err := db.ExecContext(ctx, db.Rebind(pruneEventsSQL), toMs(before))
	if err != nil {
		return p, fmt.Errorf("prune processed events: %w", err)
	}
	if p.Events, err = res.RowsAffected(); err != nil {
		return p, err
	}
	for {
		res, err := db.ExecContext(ctx, db.Rebind(pruneDeliveriesSQL), toMs(before))
		if err != nil {
			return p, fmt.Errorf("prune deliveries: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return p, err
		}
		p.Deliveries += n
		if n == 0 || ctx.Err() != nil {
			return p, ctx.Err()
		}
	}
}
