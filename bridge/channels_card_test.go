package bridge_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// The card names the channel and shows what identifies the customer
// there, and a window line that says what that channel allows.
func TestCardPerChannel(t *testing.T) {
	t.Parallel()
	en := func(key string, args ...any) string { return bridge.Text("en", key, args...) }
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			t.Run("Messenger: no phone line, the 24 hours, then human-agent replies, then nothing", func(t *testing.T) {
				f := newChFixture(t, dialect, "")
				f.customerWrites("page", "PSID1", "m_in1", "hello")
				conv := f.conv("page", bridge.ChannelMessenger, "PSID1")
				f.drain(conv.ID)
				fields, verbs := f.ws.card()
				require.Equal(t, "💬 Messenger", fields[en("card.channel")])
				require.NotContains(t, fields, en("card.phone"), "a PSID is no phone number")
				require.Contains(t, fields[en("window.label_channel", "Messenger")], "🟢")
				require.NotContains(t, verbs, bridge.VerbTemplate, "Messenger has no templates")

				f.advance(25 * time.Hour)
				require.NoError(t, f.b.CheckWindows(t.Context()))
				f.drain(conv.ID)
				fields, _ = f.ws.card()
				require.Contains(t, fields[en("window.label_channel", "Messenger")], "🟡", "human-agent replies only: %v", fields)

				f.advance(6 * 24 * time.Hour) // 7 days and an hour after the customer wrote
				require.NoError(t, f.b.CheckWindows(t.Context()))
				f.drain(conv.ID)
				fields, _ = f.ws.card()
				require.Equal(t, en("window.closed_nothing"), fields[en("window.label_channel", "Messenger")])
			})
			t.Run("e-mail: the address, no window line, the subject in the thread", func(t *testing.T) {
				f := newChFixture(t, dialect, "")
				f.webhook(bridge.InboundMessage{Inbox: "mail", ExternalID: "<1@example.com>", From: "ana@example.com",
					Subject: "Invoice 2026-114", SentAt: f.clock(), Kind: bridge.KindText, Text: "please resend"})
				conv := f.conv("mail", bridge.ChannelEmail, "ana@example.com")
				f.drain(conv.ID)
				fields, verbs := f.ws.card()
				require.Equal(t, "ana@example.com", fields[en("card.email")])
				require.Equal(t, "✉️ "+en("ch.name.email"), fields[en("card.channel")])
				for label := range fields {
					require.NotContains(t, label, "window", "e-mail has no window")
				}
				require.NotContains(t, verbs, bridge.VerbTemplate)
				require.Equal(t, 1, containsText(f.posts(), en("post.subject", "Invoice 2026-114")), "%q", f.posts())

				f.webhook(bridge.InboundMessage{Inbox: "mail", ExternalID: "<2@example.com>", From: "ana@example.com",
					Subject: "Re: Invoice 2026-114", SentAt: f.clock(), Kind: bridge.KindText, Text: "thanks"})
				f.drain(conv.ID)
				require.Zero(t, containsText(f.posts(), "Re: Invoice"), "a reply's subject says nothing new")
			})
			t.Run("WhatsApp username without a phone: the username, not an empty phone", func(t *testing.T) {
				f := newChFixture(t, dialect, "")
				f.webhook(bridge.InboundMessage{Inbox: "inbox", ExternalID: "wamid.u1", From: "US.13491208655302741918",
					FromUserID: "US.13491208655302741918", FromUsername: "@maria", SentAt: f.clock(), Kind: bridge.KindText, Text: "hola"})
				conv := f.conv("inbox", bridge.ChannelWhatsApp, "US.13491208655302741918")
				f.drain(conv.ID)
				fields, verbs := f.ws.card()
				require.Equal(t, "🟢 WhatsApp", fields[en("card.channel")])
				require.NotContains(t, fields, en("card.phone"))
				require.Contains(t, verbs, bridge.VerbTemplate, "WhatsApp keeps templates")
				require.Contains(t, fields, en("window.label"))
			})
			t.Run("Instagram story reply shown with its link", func(t *testing.T) {
				f := newChFixture(t, dialect, "")
				f.webhook(bridge.InboundMessage{Inbox: "page", ExternalID: "m_story1", From: "PSID7",
					Story:  &bridge.Story{Kind: "reply", ID: "1789", URL: "https://lookaside.example/story1"},
					SentAt: f.clock(), Kind: bridge.KindText, Text: "love it"})
				conv := f.conv("page", bridge.ChannelMessenger, "PSID7")
				f.drain(conv.ID)
				require.Equal(t, 1, containsText(f.posts(), en("post.story_reply")+" https://lookaside.example/story1"), "%q", f.posts())
			})
		})
	}
}
