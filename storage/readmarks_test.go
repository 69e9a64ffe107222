package storage_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/storage"
)

// The newest customer message is found by the customer's timestamp (a
// webhook that arrived late still counts), reactions and agent messages
// aside; the read mark only moves forward, and two transactions racing to
// mark the same message advance it once, on both databases.
func TestReadMarksFindTheNewestCustomerMessageAndOnlyMoveForward(t *testing.T) {
	ctx := context.Background()
	now := time.UnixMilli(1_750_000_000_000).UTC()
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		var conv bridge.Conversation
		insert := func(m bridge.Message) bridge.Message {
			require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
				m.ConversationID, m.CreatedAt, m.Status = conv.ID, now, bridge.StatusPosted
				id, _, err := tx.InsertMessage(ctx, m)
				m.ID = id
				return err
			}))
			return m
		}
		newest := func() (bridge.Message, error) {
			var m bridge.Message
			err := store.InTx(ctx, func(tx bridge.Tx) error {
				var err error
				m, err = tx.NewestInbound(ctx, conv.ID)
				return err
			})
			return m, err
		}
		advance := func(m bridge.Message) bool {
			var ok bool
			require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
				var err error
				ok, err = tx.AdvanceReadMark(ctx, m, now)
				return err
			}))
			return ok
		}
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
			c, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: "34600111222", CreatedAt: now})
			require.NoError(t, err)
			conv, err = tx.CreateConversation(ctx, bridge.Conversation{ContactID: c.ID, Inbox: "inbox", Team: "support",
				State: bridge.StatePending, OpenedAt: now, LastCustomerAt: now})
			return err
		}))
		_, err := newest()
		require.ErrorIs(t, err, bridge.ErrNotFound, "no customer message yet")

		second := insert(bridge.Message{Direction: bridge.Inbound, Kind: bridge.KindText, ExternalID: "wamid.2", SentAt: now.Add(2 * time.Second)})
		first := insert(bridge.Message{Direction: bridge.Inbound, Kind: bridge.KindText, ExternalID: "wamid.1", SentAt: now.Add(time.Second)}) // arrived late
		insert(bridge.Message{Direction: bridge.Inbound, Kind: bridge.KindReaction, ExternalID: "wamid.r", SentAt: now.Add(3 * time.Second)})
		insert(bridge.Message{Direction: bridge.Outbound, Kind: bridge.KindText, ExternalID: "wamid.out", SentAt: now.Add(4 * time.Second)})
		got, err := newest()
		require.NoError(t, err)
		require.Equal(t, "wamid.2", got.ExternalID, "by the customer's time, reactions and replies aside")

		require.True(t, advance(second))
		require.False(t, advance(second), "the same message twice")
		require.False(t, advance(first), "an older message after a newer one")

		third := insert(bridge.Message{Direction: bridge.Inbound, Kind: bridge.KindImage, ExternalID: "wamid.3", SentAt: now.Add(5 * time.Second)})
		var wg sync.WaitGroup
		results := make(chan bool, 4)
		for range 4 {
			wg.Go(func() {
				var ok bool
				err := store.InTx(ctx, func(tx bridge.Tx) error {
					var err error
					ok, err = tx.AdvanceReadMark(ctx, third, now)
					return err
				})
				if err == nil { // counted once committed
					results <- ok
				}
				require.NoError(t, err)
			})
		}
		wg.Wait()
		close(results)
		advanced := 0
		for ok := range results {
			if ok {
				advanced++
			}
		}
		require.Equal(t, 1, advanced, "racing transactions advance the mark once")
	})
}

// A mark-read whose customer message is gone fails like any unloadable
// head (and does not stall its lane, as a head with a missing row did),
// but says nothing in the thread: a read is never worth a line there.
func TestUnloadableMarkReadFailsWithoutALineInTheThread(t *testing.T) {
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		ctx := context.Background()
		conv, _ := openConversation(t, store, "34600000031")
		var read bridge.DeliveryID
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
			var err error
			read, err = tx.Enqueue(ctx, bridge.Delivery{ConversationID: conv, Lane: bridge.CustomerLane(conv),
				Kind: bridge.DeliverMarkRead, MessageID: 987654, Payload: json.RawMessage(`{"external_id":"wamid.gone"}`),
				CreatedAt: time.Now()})
			return err
		}))
		ws := &laneWorkspace{}
		clock := newReplicaClock()
		b := laneBridge(t, store, ws, func(o *bridge.Options) { o.Now = clock.Now })
		runUntilDone(t, b, clock, read, "job-1")
		require.Equal(t, bridge.DeliveryFailed, deliveryState(t, store, read).State)

		after := postSystem(t, store, conv, "after")
		runUntilDone(t, b, clock, after, "job-1")
		require.Equal(t, []string{"after"}, ws.sent(), "no explanation queued before it")
	})
}
