package storage_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/storage"
)

// TestPruneDropsOldEventKeysAndFinishedDeliveries: after the retention,
// processed event keys and done or failed deliveries go; recent ones and
// queued deliveries (however old) stay.
func TestPruneDropsOldEventKeysAndFinishedDeliveries(t *testing.T) {
	eachDialect(t, func(t *testing.T, store *storage.Store, db *storage.DB) {
		ctx := context.Background()
		now := time.Now()
		old, recent := now.Add(-8*24*time.Hour), now.Add(-time.Hour)
		conv, lane := openConversation(t, store, "34600300001")
		ids := map[string]bridge.DeliveryID{}
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
			for _, e := range []struct {
				id string
				at time.Time
			}{{"old-1", old}, {"old-2", old}, {"recent", recent}} {
				if _, err := tx.MarkProcessed(ctx, "slack", e.id, e.at); err != nil {
					return err
				}
			}
			for _, d := range []struct {
				name  string
				at    time.Time
				state bridge.DeliveryState
			}{{"old-done", old, bridge.DeliveryDone}, {"old-failed", old, bridge.DeliveryFailed},
				{"old-queued", old, bridge.DeliveryQueued}, {"recent-done", recent, bridge.DeliveryDone}} {
				id, err := tx.Enqueue(ctx, bridge.Delivery{ConversationID: conv, Lane: lane, Kind: bridge.DeliverPostSystem,
					Payload: json.RawMessage(`{"text":"x"}`), CreatedAt: d.at})
				if err != nil {
					return err
				}
				ids[d.name] = id
				if err := tx.UpdateDelivery(ctx, bridge.Delivery{ID: id, State: d.state, Payload: json.RawMessage(`{"text":"x"}`)}); err != nil {
					return err
				}
			}
			return nil
		}))

		pruned, err := db.Prune(ctx, now.Add(-7*24*time.Hour))
		require.NoError(t, err)
		require.Equal(t, storage.Pruned{Events: 2, Deliveries: 2}, pruned)

		var keys []string
		require.NoError(t, db.SelectContext(ctx, &keys, `SELECT event_id FROM processed_events ORDER BY event_id`))
		require.Equal(t, []string{"recent"}, keys)
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
			for name, id := range ids {
				_, err := tx.GetDelivery(ctx, id)
				if name == "old-done" || name == "old-failed" {
					require.ErrorIs(t, err, bridge.ErrNotFound, name)
				} else {
					require.NoError(t, err, name)
				}
			}
			return nil
		}))
	})
}
