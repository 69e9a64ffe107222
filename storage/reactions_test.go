package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/storage"
)

// One current reaction per message and side, replaced and forgotten; a
// message found by its thread key through any thread of its channel.
func TestReactionsAndMessagesInThreads(t *testing.T) {
	ctx := context.Background()
	at := time.UnixMilli(1_750_000_000_000).UTC()
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		do := func(fn func(tx bridge.Tx) error) { t.Helper(); require.NoError(t, store.InTx(ctx, fn)) }
		var msg, other bridge.MessageID
		do(func(tx bridge.Tx) error {
			contact, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: "34600000001", CreatedAt: at})
			require.NoError(t, err)
			conv, err := tx.CreateConversation(ctx, bridge.Conversation{ContactID: contact.ID, Inbox: "1", Team: "support",
				State: bridge.StatePending, OpenedAt: at})
			require.NoError(t, err)
			_, err = tx.CreateThread(ctx, bridge.Thread{ConversationID: conv.ID, CreatedAt: at,
				Ref: bridge.ThreadRef{Workspace: bridge.WorkspaceSlack, ChannelID: "C1", ThreadKey: "100.1"}})
			require.NoError(t, err)
			msg, _, err = tx.InsertMessage(ctx, bridge.Message{ConversationID: conv.ID, Direction: bridge.Inbound, Kind: bridge.KindText,
				Body: "Hola", ExternalID: "wamid.s1", WorkspaceKey: "100.2", SentAt: at, CreatedAt: at, Status: bridge.StatusPosted})
			require.NoError(t, err)
			other, _, err = tx.InsertMessage(ctx, bridge.Message{ConversationID: conv.ID, Direction: bridge.Outbound, Kind: bridge.KindText,
				Body: "Hi", ExternalID: "wamid.s2", WorkspaceKey: "100.3", SentAt: at, CreatedAt: at, Status: bridge.StatusSent})
			return err
		})
		do(func(tx bridge.Tx) error {
			m, err := tx.MessageInThread(ctx, bridge.WorkspaceSlack, "C1", "", "100.2")
			require.NoError(t, err)
			require.Equal(t, msg, m.ID, "found through the channel's threads")
			m, err = tx.MessageInThread(ctx, bridge.WorkspaceSlack, "C1", "100.1", "100.3")
			require.NoError(t, err)
			require.Equal(t, other, m.ID, "found in its thread")
			for _, miss := range [][3]string{{"C2", "", "100.2"}, {"C1", "100.9", "100.2"}, {"C1", "", "100.1"}} {
				_, err = tx.MessageInThread(ctx, bridge.WorkspaceSlack, miss[0], miss[1], miss[2])
				require.ErrorIs(t, err, bridge.ErrNotFound, "%v", miss)
			}
			_, err = tx.MessageInThread(ctx, bridge.WorkspaceDiscord, "C1", "", "100.2")
			require.ErrorIs(t, err, bridge.ErrNotFound, "another workspace")
			return nil
		})
		do(func(tx bridge.Tx) error {
			_, err := tx.CurrentReaction(ctx, msg, bridge.ReactionAgent)
			require.ErrorIs(t, err, bridge.ErrNotFound)
			require.NoError(t, tx.SetReaction(ctx, bridge.StoredReaction{MessageID: msg, Side: bridge.ReactionAgent, Emoji: "👍", UserID: "U1", At: at}))
			require.NoError(t, tx.SetReaction(ctx, bridge.StoredReaction{MessageID: msg, Side: bridge.ReactionCustomer, Emoji: "😂", At: at}))
			require.NoError(t, tx.SetReaction(ctx, bridge.StoredReaction{MessageID: msg, Side: bridge.ReactionAgent, Emoji: "❤️", UserID: "U2", At: at.Add(time.Second)}))
			return nil
		})
		do(func(tx bridge.Tx) error {
			r, err := tx.CurrentReaction(ctx, msg, bridge.ReactionAgent)
			require.NoError(t, err)
			require.Equal(t, bridge.StoredReaction{MessageID: msg, Side: bridge.ReactionAgent, Emoji: "❤️", UserID: "U2", At: at.Add(time.Second)}, r, "replaced")
			r, err = tx.CurrentReaction(ctx, msg, bridge.ReactionCustomer)
			require.NoError(t, err)
			require.Equal(t, "😂", r.Emoji, "each side its own")
			require.NoError(t, tx.SetReaction(ctx, bridge.StoredReaction{MessageID: msg, Side: bridge.ReactionAgent, At: at}))
			_, err = tx.CurrentReaction(ctx, msg, bridge.ReactionAgent)
			require.ErrorIs(t, err, bridge.ErrNotFound, "forgotten")
			_, err = tx.CurrentReaction(ctx, other, bridge.ReactionCustomer)
			require.ErrorIs(t, err, bridge.ErrNotFound, "per message")
			return nil
		})
	})
}
