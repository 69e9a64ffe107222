package bridge_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// Meta refusing a Messenger reply with its own window error (code 10,
// what happens after 24 hours while the app lacks the Human Agent
// permission) reads as Messenger's rule, never as WhatsApp's advice to
// send a template (review finding 7).
func TestMetaWindowRefusalReadsAsTheChannelsRule(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newChFixture(t, dialect, "")
			f.customerWrites("page", "PSID1", "m_in1", "hello")
			conv := f.conv("page", bridge.ChannelMessenger, "PSID1")
			f.drain(conv.ID)
			f.advance(30 * time.Hour)
			f.page.mu.Lock()
			f.page.err = &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonOutsideWindow, Code: "10/2018278"}
			f.page.mu.Unlock()
			f.agentWrites("1.1", "a day and more later")
			f.drain(conv.ID)
			require.Len(t, f.page.sends(), 1, "the reply was attempted, tagged")
			why := bridge.Text("en", "fail.channel_window", "Messenger")
			require.Equal(t, 1, containsText(f.posts(), why), "the thread says Messenger's rule: %q", f.posts())
			require.Zero(t, containsText(f.posts(), bridge.Text("en", "fail.outside_window")), "not WhatsApp's template advice")
		})
	}
}

// draftShown stores an AI draft of text for USUP in conv, as shown.
func (f *chFixture) draftShown(conv bridge.ConversationID, text string) string {
	f.t.Helper()
	ctx := context.Background()
	var id bridge.DraftID
	require.NoError(f.t, f.store.InTx(ctx, func(tx bridge.Tx) error {
		var err error
		id, err = tx.InsertDraft(ctx, bridge.Draft{ConversationID: conv, UserID: "USUP", Text: text, Language: "en",
			State: bridge.DraftShown, At: f.clock()})
		return err
	}))
	return bridge.DraftSendPrefix + strconv.FormatInt(int64(id), 10)
}

// sendsDraft is USUP pressing the draft's Send (edited "": as it is) or
// sending it from its edit form.
func (f *chFixture) sendsDraft(conv bridge.ConversationID, value, edited string) {
	f.t.Helper()
	require.NoError(f.t, f.b.HandleAgentAction(context.Background(), bridge.AgentAction{Workspace: bridge.WorkspaceSlack,
		ConversationID: conv, Verb: bridge.VerbSend, Value: value, Text: edited, ActorID: "USUP", ChannelID: "CSUPPORT"}))
}

// An AI-suggested draft sent as it was is the assistant's writing: on
// Messenger it goes only inside the standard 24-hour window, never with
// the HUMAN_AGENT tag; edited, it is the agent's reply and may be tagged
// (review finding 19).
func TestUneditedAIDraftKeepsTheStandardWindow(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newChFixture(t, dialect, "")
			f.customerWrites("page", "PSID1", "m_in1", "hello")
			conv := f.conv("page", bridge.ChannelMessenger, "PSID1")
			f.drain(conv.ID)

			// Pressed a minute before the window closes, sent after it
			// closed: the delivery refuses it rather than tagging it.
			f.advance(24*time.Hour - time.Minute)
			f.sendsDraft(conv.ID, f.draftShown(conv.ID, "Your order ships tomorrow."), "")
			f.advance(2 * time.Minute)
			f.drain(conv.ID)
			require.Empty(t, f.page.sends(), "an unedited draft never goes under the human-agent tag")
			require.Equal(t, 1, containsText(f.posts(), bridge.Text("en", "fail.channel_window", "Messenger")), "%q", f.posts())

			// Pressed after 24 hours: refused at once, Edit offered.
			value := f.draftShown(conv.ID, "Your order ships tomorrow.")
			f.sendsDraft(conv.ID, value, "")
			f.drain(conv.ID)
			require.Empty(t, f.page.sends())
			_, tells, _, _ := f.rec.snapshot()
			require.Equal(t, 1, containsText(tells, bridge.Text("en", "assist.draft_edit_only", "Messenger")), "%q", tells)

			// Edited, it is the agent's own reply: tagged HUMAN_AGENT.
			f.sendsDraft(conv.ID, value, "Your order ships tomorrow, sorry for the wait.")
			f.drain(conv.ID)
			sends := f.page.sends()
			require.Len(t, sends, 1)
			require.Equal(t, "Your order ships tomorrow, sorry for the wait.", sends[0].Text)
			require.True(t, sends[0].Opts.HumanAgent)
		})
	}
}

// A Messenger message for a Page the bridge does not serve is dropped:
// no contact (the PSID is not a phone number), no conversation; WhatsApp
// keeps taking unlisted inboxes as before (review finding 9).
func TestUnknownInboxOnAMetaChannelIsDropped(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newChFixture(t, dialect, "")
			f.webhook(bridge.InboundMessage{Inbox: "other-page", Channel: bridge.ChannelMessenger, ExternalID: "m_x1", From: "PSID9",
				SentAt: f.clock(), Kind: bridge.KindText, Text: "hi"})
			f.webhook(bridge.InboundMessage{Inbox: "inbox", Channel: bridge.ChannelMessenger, ExternalID: "m_x2", From: "PSID9",
				SentAt: f.clock(), Kind: bridge.KindText, Text: "hi"}) // a WhatsApp inbox's id on Messenger's webhook
			f.webhook(bridge.InboundMessage{Inbox: "unlisted-number", ExternalID: "wamid.x3", From: "34600000009",
				SentAt: f.clock(), Kind: bridge.KindText, Text: "hola"})
			ctx := context.Background()
			require.NoError(t, f.store.InTx(ctx, func(tx bridge.Tx) error {
				for _, id := range []string{"m_x1", "m_x2"} {
					_, err := tx.MessageByExternalID(ctx, id)
					require.ErrorIs(t, err, bridge.ErrNotFound, id)
				}
				_, err := tx.MessageByExternalID(ctx, "wamid.x3")
				require.NoError(t, err, "WhatsApp keeps its old behaviour")
				return nil
			}))
		})
	}
}
