package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/report"
	"github.com/switchboard/switchboard/storage"
)

// A message's pricing is stored once: the first status carrying it wins,
// and the report counts it once per team and category, on both databases.
func TestMessageCostIsStoredOnceAndCountedPerTeamAndCategory(t *testing.T) {
	ctx := context.Background()
	at := time.UnixMilli(1_751_400_000_000).UTC()
	eachDialect(t, func(t *testing.T, store *storage.Store, db *storage.DB) {
		// Two conversations of two teams, each with one sent message.
		sent := func(address bridge.CustomerAddress, team, wamid string) {
			require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
				c, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: address, CreatedAt: at})
				require.NoError(t, err)
				conv, err := tx.CreateConversation(ctx, bridge.Conversation{ContactID: c.ID, Inbox: "111", Team: team,
					State: bridge.StatePending, OpenedAt: at, LastCustomerAt: at})
				require.NoError(t, err)
				_, _, err = tx.InsertMessage(ctx, bridge.Message{ConversationID: conv.ID, Direction: bridge.Outbound, Kind: bridge.KindText,
					Body: "hi", ExternalID: wamid, SentAt: at, CreatedAt: at, Status: bridge.StatusSent})
				return err
			}))
		}
		sent("34600000001", "support", "wamid.A")
		sent("5511987654321", "sales", "wamid.B")

		insert := func(c bridge.MessageCost) bool {
			var fresh bool
			require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
				var err error
				fresh, err = tx.InsertMessageCost(ctx, c)
				return err
			}))
			return fresh
		}
		marketing := bridge.Pricing{Billable: true, Model: "PMP", Category: "marketing", Type: "regular"}
		require.True(t, insert(bridge.MessageCost{Inbox: "111", ExternalID: "wamid.A", Pricing: marketing, Country: "ES", At: at}))
		require.False(t, insert(bridge.MessageCost{Inbox: "111", ExternalID: "wamid.A", Pricing: marketing, Country: "ES", At: at}),
			"a retry of the same status stores nothing")
		require.False(t, insert(bridge.MessageCost{Inbox: "111", ExternalID: "wamid.A", At: at.Add(time.Minute),
			Pricing: bridge.Pricing{Model: "PMP", Category: "utility", Type: "free_customer_service"}}), "a later status does not replace the first")
		got, err := db.MessageCost(ctx, "wamid.A")
		require.NoError(t, err)
		require.Equal(t, bridge.MessageCost{Inbox: "111", ExternalID: "wamid.A", Pricing: marketing, Country: "ES", At: at}, got)
		_, err = db.MessageCost(ctx, "wamid.none")
		require.ErrorIs(t, err, bridge.ErrNotFound)

		require.True(t, insert(bridge.MessageCost{Inbox: "111", ExternalID: "wamid.B", Pricing: marketing, Country: "BR", At: at}))
		// A status that beat our own record of the send still counts,
		// under no team until the message is recorded.
		require.True(t, insert(bridge.MessageCost{Inbox: "222", ExternalID: "wamid.C", At: at,
			Pricing: bridge.Pricing{Model: "PMP", Category: "service", Type: "free_customer_service"}}))

		src := storage.ReportSource{DB: db}
		period := report.Period{From: at.Add(-time.Hour), To: at.Add(time.Hour)}
		all, err := src.Costs(ctx, period, report.Filter{})
		require.NoError(t, err)
		require.Equal(t, []report.CostCount{
			{Team: "", Category: "service", Country: "", Charged: false, Messages: 1},
			{Team: "sales", Category: "marketing", Country: "BR", Charged: true, Messages: 1},
			{Team: "support", Category: "marketing", Country: "ES", Charged: true, Messages: 1},
		}, all)
		support, err := src.Costs(ctx, period, report.Filter{Team: "support"})
		require.NoError(t, err)
		require.Equal(t, []report.CostCount{{Team: "support", Category: "marketing", Country: "ES", Charged: true, Messages: 1}}, support)
		inbox, err := src.Costs(ctx, period, report.Filter{Inbox: "222"})
		require.NoError(t, err)
		require.Len(t, inbox, 1)
		before, err := src.Costs(ctx, report.Period{From: at.Add(-2 * time.Hour), To: at.Add(-time.Hour)}, report.Filter{})
		require.NoError(t, err)
		require.Empty(t, before, "the period bounds count")
	})
}
