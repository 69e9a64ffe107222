package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/storage"
)

// TestOutboundUpToMatchesChannelAndReach: a watermark covers the messages
// sent to the contact of its own channel within its reach only; a
// WhatsApp contact that happens to share the address (a PSID stored as a
// phone before inboxes were checked, review finding 9) and messages older
// than the lower bound are left out (finding 21).
func TestOutboundUpToMatchesChannelAndReach(t *testing.T) {
	ctx := context.Background()
	at := time.UnixMilli(1_750_000_000_000).UTC()
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
			for _, ch := range []bridge.Channel{bridge.ChannelMessenger, bridge.ChannelWhatsApp} {
				contact, err := tx.UpsertContact(ctx, bridge.Contact{Channel: string(ch), Address: "7100000000000001", CreatedAt: at})
				require.NoError(t, err)
				conv, err := tx.CreateConversation(ctx, bridge.Conversation{ContactID: contact.ID, Inbox: "page-1", Channel: ch,
					Team: "support", State: bridge.StatePending, OpenedAt: at})
				require.NoError(t, err)
				for i, sent := range []time.Time{at.Add(-8 * 24 * time.Hour), at.Add(-time.Hour)} {
					_, _, err = tx.InsertMessage(ctx, bridge.Message{ConversationID: conv.ID, Direction: bridge.Outbound, Kind: bridge.KindText,
						Body: "x", ExternalID: string(ch) + "-mid-" + string(rune('a'+i)), SentAt: sent, CreatedAt: sent, Status: bridge.StatusSent})
					require.NoError(t, err)
				}
			}
			got, err := tx.OutboundUpTo(ctx, bridge.ChannelMessenger, "page-1", "7100000000000001", at.Add(-7*24*time.Hour), at)
			require.NoError(t, err)
			require.Len(t, got, 1)
			require.Equal(t, "messenger-mid-b", got[0].ExternalID, "only the recent message of the messenger contact")
			return nil
		}))
	})
}
