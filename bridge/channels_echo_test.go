package bridge_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// A message the business typed in the Facebook Page inbox comes back as
// an echo: the thread shows it as sent from the Page inbox, nothing is
// sent to the customer, the window does not move, and a retry of the
// webhook changes nothing.
func TestEchoFromThePageInboxIsShownAndNeverSent(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newChFixture(t, dialect, "")
			f.customerWrites("page", "PSID1", "m_in1", "is the blue one in stock?")
			conv := f.conv("page", bridge.ChannelMessenger, "PSID1")
			f.drain(conv.ID)
			require.Equal(t, bridge.ChannelMessenger, conv.Channel)
			lastCustomer := conv.LastCustomerAt

			f.advance(time.Hour)
			echo := bridge.InboundMessage{Inbox: "page", ExternalID: "m_echo1", From: "PSID1", Echo: true,
				SentAt: f.clock(), Kind: bridge.KindText, Text: "yes, we have 3 left"}
			f.webhook(echo)
			f.webhook(echo) // the platform's retry
			f.drain(conv.ID)
			require.Zero(t, containsText(f.posts(), "yes, we have 3 left"), "the echo's post waits for echoSettle")

			f.advance(10 * time.Second)
			f.drain(conv.ID)
			want := bridge.Text("en", "ch.echo.messenger", "yes, we have 3 left")
			require.Equal(t, 1, containsText(f.posts(), want), "shown once, as sent from the Page inbox: %q", f.posts())
			require.Empty(t, f.page.sends(), "an echo is never sent to the customer")
			require.Empty(t, f.wa.sends())

			m := f.message("m_echo1")
			require.Equal(t, bridge.Outbound, m.Direction)
			require.Equal(t, bridge.StatusSent, m.Status)
			require.Empty(t, m.AuthorID)
			after := f.conv("page", bridge.ChannelMessenger, "PSID1")
			require.Equal(t, conv.ID, after.ID)
			require.True(t, lastCustomer.Equal(after.LastCustomerAt), "the window is the customer's: an echo does not move it")
		})
	}
}

// An echo of a customer who never wrote through switchboard opens a
// pending conversation with its thread, and the window stays closed.
func TestEchoWithoutAConversationOpensAPendingOne(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newChFixture(t, dialect, "")
			f.webhook(bridge.InboundMessage{Inbox: "page", ExternalID: "m_echo9", From: "PSID9", Echo: true,
				SentAt: f.clock(), Kind: bridge.KindText, Text: "hello from the shop"})
			conv := f.conv("page", bridge.ChannelMessenger, "PSID9")
			require.Equal(t, bridge.StatePending, conv.State)
			require.True(t, conv.LastCustomerAt.IsZero(), "the customer has not written")
			require.False(t, bridge.WindowOpen(conv, f.clock()))
			f.advance(10 * time.Second)
			f.drain(conv.ID)
			require.Equal(t, []string{"CSUPPORT"}, f.ws.channels(), "the thread opened")
			require.Equal(t, 1, containsText(f.posts(), "hello from the shop"))

			// The customer's answer continues it, and opens the window.
			f.customerWrites("page", "PSID9", "m_in9", "hi!")
			again := f.conv("page", bridge.ChannelMessenger, "PSID9")
			require.Equal(t, conv.ID, again.ID)
			require.True(t, bridge.WindowOpen(again, f.clock()))
		})
	}
}

// If an echo of switchboard's own send slips through the adapter and
// arrives before the send is recorded, the send still records its id
// and the thread never shows the message a second time.
func TestEchoOfOurOwnSendArrivingFirstNeverShowsTwice(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newChFixture(t, dialect, "")
			f.customerWrites("page", "PSID1", "m_in1", "where is my order?")
			conv := f.conv("page", bridge.ChannelMessenger, "PSID1")
			f.drain(conv.ID)

			f.page.beforeReturn = func(id string) {
				// The platform's echo of this very send, delivered while
				// the send call has not returned yet.
				require.NoError(t, f.b.HandleCustomerWebhook(context.Background(), bridge.CustomerWebhook{Messages: []bridge.InboundMessage{{
					Inbox: "page", ExternalID: id, From: "PSID1", Echo: true, SentAt: f.clock(), Kind: bridge.KindText, Text: "on its way"}}}))
			}
			f.agentWrites("1700000000.000100", "on its way")
			f.drain(conv.ID)
			require.Len(t, f.page.sends(), 1)

			m := f.message("m_page.out1")
			require.Equal(t, "USUP", m.AuthorID, "the send kept its id; the echo gave it way")
			require.Equal(t, bridge.StatusSent, m.Status)

			f.advance(time.Minute)
			f.drain(conv.ID)
			require.Contains(t, f.marks(), "1700000000.000100:"+string(bridge.MarkSent), "the reply's own post is marked sent")
			require.Zero(t, containsText(f.posts(), "📤"), "no echo post: %q", f.posts())
			require.Len(t, f.page.sends(), 1, "nothing sent twice")
		})
	}
}
