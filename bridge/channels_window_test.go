package bridge_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// A Messenger read or delivery webhook names a watermark, not a message:
// every message sent to the customer up to it moves forward (never back),
// and its post in the thread gets the mark.
func TestWatermarkReceiptMovesEveryMessageUpToItForward(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newChFixture(t, dialect, "")
			f.customerWrites("page", "PSID1", "m_in1", "hello")
			conv := f.conv("page", bridge.ChannelMessenger, "PSID1")
			f.drain(conv.ID)
			f.advance(time.Second)
			f.agentWrites("1.1", "first")
			f.drain(conv.ID)
			f.advance(time.Second)
			f.agentWrites("1.2", "second")
			f.drain(conv.ID)
			between := f.clock().Add(500 * time.Millisecond)
			f.advance(time.Second)
			f.agentWrites("1.3", "third")
			f.drain(conv.ID)
			require.Len(t, f.page.sends(), 3)

			f.receipts(bridge.DeliveryReceipt{Inbox: "page", Recipient: "PSID1", Status: bridge.ReceiptDelivered, Watermark: between, At: between})
			f.drain(conv.ID)
			require.Equal(t, bridge.StatusDelivered, f.message("m_page.out1").Status)
			require.Equal(t, bridge.StatusDelivered, f.message("m_page.out2").Status)
			require.Equal(t, bridge.StatusSent, f.message("m_page.out3").Status, "sent after the watermark")
			require.Contains(t, f.marks(), "1.1:"+string(bridge.MarkDelivered))
			require.Contains(t, f.marks(), "1.2:"+string(bridge.MarkDelivered))

			f.receipts(bridge.DeliveryReceipt{Inbox: "page", Recipient: "PSID1", Status: bridge.ReceiptRead, Watermark: f.clock(), At: f.clock()})
			f.drain(conv.ID)
			for _, id := range []string{"m_page.out1", "m_page.out2", "m_page.out3"} {
				require.Equal(t, bridge.StatusRead, f.message(id).Status, id)
			}
			// A late delivery watermark never moves a read message back.
			f.receipts(bridge.DeliveryReceipt{Inbox: "page", Recipient: "PSID1", Status: bridge.ReceiptDelivered, Watermark: f.clock(), At: f.clock()})
			f.drain(conv.ID)
			require.Equal(t, bridge.StatusRead, f.message("m_page.out3").Status)
			n := len(f.marks())
			f.receipts(bridge.DeliveryReceipt{Inbox: "page", Recipient: "PSID1", Status: bridge.ReceiptRead, Watermark: f.clock(), At: f.clock()})
			f.drain(conv.ID)
			require.Len(t, f.marks(), n, "a repeated watermark changes nothing")
		})
	}
}

// On Messenger a person may answer for 7 days after the customer's last
// message, marked as a human agent's after the first 24 hours; then
// nothing can be sent, and the thread says so without offering a
// template.
func TestMessengerHumanAgentWindow(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newChFixture(t, dialect, "")
			f.customerWrites("page", "PSID1", "m_in1", "hello")
			conv := f.conv("page", bridge.ChannelMessenger, "PSID1")
			f.drain(conv.ID)

			f.agentWrites("1.1", "inside the window")
			f.drain(conv.ID)
			f.advance(48 * time.Hour)
			f.agentWrites("1.2", "two days later")
			f.drain(conv.ID)
			sends := f.page.sends()
			require.Len(t, sends, 2)
			require.False(t, sends[0].Opts.HumanAgent, "inside the 24 hours: a standard message")
			require.True(t, sends[1].Opts.HumanAgent, "after 24 hours: tagged HUMAN_AGENT")

			f.advance(6 * 24 * time.Hour)
			f.agentWrites("1.3", "eight days later")
			f.drain(conv.ID)
			require.Len(t, f.page.sends(), 2, "past 7 days nothing is attempted")
			why := bridge.Text("en", "fail.human_agent_window", "Messenger")
			require.Equal(t, 1, containsText(f.posts(), why), "the thread says why: %q", f.posts())
			require.Zero(t, containsText(f.posts(), bridge.Text("en", "fail.outside_window")), "not WhatsApp's text, which offers a template")
			_, tells, _, _ := f.rec.snapshot()
			require.Zero(t, containsText(tells, bridge.Text("en", "tpl.window_closed")))
		})
	}
}

// E-mail has no window: a reply a month later goes, unmarked.
func TestEmailNeverRefusesAReply(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newChFixture(t, dialect, "")
			f.customerWrites("mail", "ana@example.com", "<1@example.com>", "invoice please")
			conv := f.conv("mail", bridge.ChannelEmail, "ana@example.com")
			f.drain(conv.ID)
			f.advance(30 * 24 * time.Hour)
			f.agentWrites("1.1", "here it is")
			f.drain(conv.ID)
			sends := f.mail.sends()
			require.Len(t, sends, 1)
			require.False(t, sends[0].Opts.HumanAgent)
		})
	}
}

// A Messenger customer's name, which its webhooks never carry, is read
// from the profile API when the thread opens, stored, and used after.
func TestCustomerNameIsReadFromTheProfileAPI(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newChFixture(t, dialect, "Ana Souza")
			f.customerWrites("page", "PSID1", "m_in1", "hello")
			conv := f.conv("page", bridge.ChannelMessenger, "PSID1")
			require.Empty(t, f.contact(conv.ContactID).Name, "sanity: the webhook named nobody")
			f.drain(conv.ID)
			require.Equal(t, "Ana Souza", f.contact(conv.ContactID).Name)
			calls := f.page.nameCalls
			f.customerWrites("page", "PSID1", "m_in2", "anyone?")
			f.drain(conv.ID)
			require.Equal(t, calls, f.page.nameCalls, "read once: the stored name is used after")
		})
	}
}
