package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/storage"
)

// A thread's watermark only moves forward, and the threads of open
// conversations touched lately are listed with theirs, on both databases.
func TestThreadWatermarksMoveForwardAndListRecentThreads(t *testing.T) {
	ctx := context.Background()
	now := time.UnixMilli(1_750_000_000_000).UTC()
	eachDialect(t, func(t *testing.T, store *storage.Store, db *storage.DB) {
		open := func(address bridge.CustomerAddress, threadKey string, at time.Time, state bridge.State) {
			require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
				c, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: address, CreatedAt: at})
				require.NoError(t, err)
				conv, err := tx.CreateConversation(ctx, bridge.Conversation{ContactID: c.ID, Inbox: "inbox", Team: "gaming",
					State: state, OpenedAt: at, LastCustomerAt: at})
				require.NoError(t, err)
				_, err = tx.CreateThread(ctx, bridge.Thread{ConversationID: conv.ID, Current: true, CreatedAt: at,
					Ref: bridge.ThreadRef{Workspace: bridge.WorkspaceDiscord, ChannelID: "900", ThreadKey: threadKey, CardKey: threadKey}})
				require.NoError(t, err)
				return nil
			}))
		}
		open("34600000001", "1000", now, bridge.StatePending)
		open("34600000002", "2000", now.Add(-48*time.Hour), bridge.StatePending) // untouched for two days
		open("34600000003", "3000", now, bridge.StateResolved)

		require.NoError(t, db.AdvanceWatermark(ctx, "discord", "1000", "1500", now))
		require.NoError(t, db.AdvanceWatermark(ctx, "discord", "1000", "1200", now), "an older id is no error…")
		got, err := db.RecentThreads(ctx, "discord", now.Add(-time.Hour), 10)
		require.NoError(t, err)
		require.Equal(t, []storage.ThreadWatermark{{ChannelID: "900", ThreadKey: "1000", MessageID: "1500"}}, got,
			"…and does not take the mark back; old and resolved conversations are left out")

		require.NoError(t, db.AdvanceWatermark(ctx, "discord", "2000", "2100", now))
		got, err = db.RecentThreads(ctx, "discord", now.Add(-time.Hour), 10)
		require.NoError(t, err)
		require.ElementsMatch(t, []storage.ThreadWatermark{{ChannelID: "900", ThreadKey: "1000", MessageID: "1500"},
			{ChannelID: "900", ThreadKey: "2000", MessageID: "2100"}}, got, "an agent message makes an old thread recent")
		got, err = db.RecentThreads(ctx, "slack", now.Add(-time.Hour), 10)
		require.NoError(t, err)
		require.Empty(t, got)
		require.Error(t, db.AdvanceWatermark(ctx, "discord", "1000", "not-an-id", now))
	})
}
