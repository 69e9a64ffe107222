package storage_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	storagetest.DropTemplate()
	os.Exit(code)
}

func eachDialect(t *testing.T, fn func(t *testing.T, store *storage.Store, db *storage.DB)) {
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := storagetest.Open(t, dialect)
			fn(t, storage.NewStore(db, nil), db)
		})
	}
}

func TestRepository(t *testing.T) {
	ctx := context.Background()
	now := time.UnixMilli(1_750_000_000_000).UTC()
	eachDialect(t, func(t *testing.T, store *storage.Store, db *storage.DB) {
		var conv bridge.Conversation
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
			c, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: "34600111222", Name: "Ana", CreatedAt: now})
			require.NoError(t, err)
			again, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: "34600111222", CreatedAt: now})
			require.NoError(t, err)
			require.Equal(t, c.ID, again.ID, "the same customer is one contact")
			require.Equal(t, "Ana", again.Name, "an empty profile name keeps the known one")

			_, err = tx.LatestConversation(ctx, c.ID, "inbox")
			require.ErrorIs(t, err, bridge.ErrNotFound)
			conv, err = tx.CreateConversation(ctx, bridge.Conversation{ContactID: c.ID, Inbox: "inbox", Team: "support",
				State: bridge.StatePending, OpenedAt: now, LastCustomerAt: now})
			require.NoError(t, err)
			got, err := tx.LatestConversation(ctx, c.ID, "inbox")
			require.NoError(t, err)
			require.Equal(t, conv, got)
			return nil
		}))

		t.Run("a stale version loses", func(t *testing.T) {
			require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
				first := conv
				first.State, first.Assignee = bridge.StateAssigned, "U1"
				_, err := tx.UpdateConversation(ctx, first)
				require.NoError(t, err)
				second := conv
				second.Assignee = "U2"
				_, err = tx.UpdateConversation(ctx, second)
				require.ErrorIs(t, err, bridge.ErrConflict)
				return nil
			}))
		})

		t.Run("a message with a known external id is not stored twice", func(t *testing.T) {
			require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
				m := bridge.Message{ConversationID: conv.ID, Direction: bridge.Inbound, Kind: bridge.KindText, Body: "hola",
					ExternalID: "wamid.1", SentAt: now, CreatedAt: now, Status: bridge.StatusReceived}
				id, inserted, err := tx.InsertMessage(ctx, m)
				require.NoError(t, err)
				require.True(t, inserted)
				_, inserted, err = tx.InsertMessage(ctx, m)
				require.NoError(t, err)
				require.False(t, inserted)
				got, err := tx.MessageByExternalID(ctx, "wamid.1")
				require.NoError(t, err)
				require.Equal(t, id, got.ID)
				require.Equal(t, "hola", got.Body)
				// Messages without an external id (notes) never collide.
				for range 2 {
					_, inserted, err = tx.InsertMessage(ctx, bridge.Message{ConversationID: conv.ID, Direction: bridge.Note,
						Kind: bridge.KindText, SentAt: now, CreatedAt: now, Status: bridge.StatusPosted})
					require.NoError(t, err)
					require.True(t, inserted)
				}
				return nil
			}))
		})

		t.Run("a lane runs its earliest delivery first", func(t *testing.T) {
			lane := bridge.WorkspaceLane(conv.ID)
			require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
				for _, sk := range []int64{30, 10, 20} {
					_, err := tx.Enqueue(ctx, bridge.Delivery{ConversationID: conv.ID, Lane: lane, Kind: bridge.DeliverPostInbound, SortKey: sk})
					require.NoError(t, err)
				}
				_, err := tx.Enqueue(ctx, bridge.Delivery{ConversationID: conv.ID, Lane: lane, Kind: bridge.DeliverOpenThread})
				require.NoError(t, err)
				var order []bridge.DeliveryKind
				var keys []int64
				for {
					d, err := tx.LaneHead(ctx, lane)
					if err != nil {
						require.ErrorIs(t, err, bridge.ErrNotFound)
						break
					}
					order = append(order, d.Kind)
					keys = append(keys, d.SortKey)
					d.State = bridge.DeliveryDone
					require.NoError(t, tx.UpdateDelivery(ctx, d))
				}
				require.Equal(t, bridge.DeliverOpenThread, order[0], "the thread opens before anything is posted in it")
				require.Equal(t, []int64{0, 10, 20, 30}, keys)
				return nil
			}))
		})

		t.Run("one holder per lane until the lease ends", func(t *testing.T) {
			lane := bridge.Lane("test-lane")
			ok, took, err := store.AcquireLane(ctx, lane, "a", time.Minute)
			require.NoError(t, err)
			require.True(t, ok)
			require.False(t, took, "a free lane is taken, not taken over")
			ok, _, err = store.AcquireLane(ctx, lane, "b", time.Minute)
			require.NoError(t, err)
			require.False(t, ok, "b must wait while a holds the lane")
			ok, took, err = store.AcquireLane(ctx, lane, "a", time.Minute)
			require.NoError(t, err)
			require.True(t, ok, "a renews its own lease")
			require.False(t, took, "a renewal is no takeover")
			require.NoError(t, store.ReleaseLane(ctx, lane, "a"))
			ok, took, err = store.AcquireLane(ctx, lane, "b", -time.Second)
			require.NoError(t, err)
			require.True(t, ok)
			require.False(t, took, "a released lane is free")
			ok, took, err = store.AcquireLane(ctx, lane, "c", time.Minute)
			require.NoError(t, err)
			require.True(t, ok, "an expired lease (a dead worker) is taken over")
			require.True(t, took, "and the new holder is told so")
			ok, took, err = store.AcquireLane(ctx, lane, "c", time.Minute)
			require.NoError(t, err)
			require.True(t, ok)
			require.False(t, took, "renewing a live lease clears it")
			require.NoError(t, store.ExpireLane(ctx, lane, "c"))
			ok, took, err = store.AcquireLane(ctx, lane, "c", time.Minute)
			require.NoError(t, err)
			require.True(t, ok)
			require.True(t, took, "a lease given up unrecorded reads as taken over, even by its own job retried")
		})

		t.Run("migrations are idempotent", func(t *testing.T) {
			require.NoError(t, db.Migrate(ctx))
			n, err := db.Pending(ctx)
			require.NoError(t, err)
			require.Zero(t, n)
		})
	})
}
