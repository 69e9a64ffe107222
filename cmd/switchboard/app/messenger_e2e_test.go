package app_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/messenger/messengertest"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

// A Messenger customer's message opens a thread with a card; the agent's
// reply reaches the Send API with the documented body; Meta's echo of it
// (with our metadata) is not shown again.
func TestMessengerConversationEndToEnd(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		fake := messengertest.New(t)
		fake.AddProfile(customerPSID, "Peter", "Chang")
		e := setup(t, dialect, withMessenger(fake, ""))
		fake.EchoTo(e.messengerURL(), messengerSecret, messengertest.DefaultAppID)

		e.messengerWrites("m_first", time.Now(), "Do you ship to Lisbon?")
		card := e.waitCardAndThread("Do you ship to Lisbon?")
		require.Contains(t, string(card.Blocks), "Facebook Shop", "the card names the Page inbox")
		// The webhook names the customer only by PSID: the User Profile API
		// gives the name, and the card shows it.
		require.Contains(t, string(card.Blocks), "Peter Chang")

		e.agentReplies("EvM1", card.TS, "1700000001.000100", "UAGENT1", "Yes, in 3 days.")
		reply := fake.WaitForMessages(t, 1, waitLong)[0]
		require.Equal(t, pageID, reply.Page)
		require.Equal(t, messengertest.DefaultToken, reply.Token)
		require.JSONEq(t, `{"recipient":{"id":"`+customerPSID+`"},"messaging_type":"RESPONSE","message":{"text":"Yes, in 3 days.","metadata":"switchboard"}}`,
			string(reply.Raw))

		// Meta echoes our send; it is acknowledged and never shown again.
		fake.WaitForEchoes(t, 1, waitLong)
		e.messengerWrites("m_second", time.Now(), "Great, thanks")
		e.waitCardAndThread("Great, thanks")
		threadHasNot(t, inThread(e.slack.Posts(), card.TS), "Yes, in 3 days.")
		require.Len(t, cards(e.slack.Posts()), 1, "one conversation, one thread")
		require.Len(t, fake.Messages(), 1, "the echo was not sent again")
		// The reply marked the customer's messages seen (read receipts on
		// reply, the default).
		require.Eventually(t, func() bool {
			for _, s := range fake.Sends() {
				if s.Body.SenderAction == "mark_seen" && s.Body.Recipient.ID == customerPSID {
					return true
				}
			}
			return false
		}, waitLong, 5*time.Millisecond, "mark_seen was sent")
	})
}

func TestMessengerWebhookRefusesUnsigned(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		fake := messengertest.New(t)
		e := setup(t, dialect, withMessenger(fake, ""))
		body := messengertest.Envelope(pageID, messengertest.TextItem(pageID, customerPSID, "m_x", "hi", time.Now()))
		require.Equal(t, http.StatusUnauthorized, messengertest.PostWebhook(t, e.messengerURL(), "", body).StatusCode)
		require.Equal(t, http.StatusUnauthorized, messengertest.PostWebhook(t, e.messengerURL(), "wrong", body).StatusCode)
		resp, err := http.Get(e.messengerURL() + "?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=42")
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Empty(t, cards(e.slack.Posts()), "nothing unsigned was stored")
	})
}

// After the HUMAN_AGENT tag's 7 days nothing may be sent: the reply is
// refused in the thread, and the Send API never called.
func TestMessengerReplyAfterSevenDaysIsRefused(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		fake := messengertest.New(t)
		e := setup(t, dialect, withMessenger(fake, ""))
		e.messengerWrites("m_old", time.Now().Add(-8*24*time.Hour), "Last week's question")
		card := e.waitCardAndThread("Last week's question")
		e.agentReplies("EvM7", card.TS, "1700000030.000100", "UAGENT1", "Sorry for the wait")
		e.slack.WaitForReactions(t, hasReaction("1700000030.000100", "x"), waitLong)
		e.waitCardAndThread("more than 7 days ago", "Messenger")
		for _, s := range fake.Sends() {
			require.Nil(t, s.Body.Message, "no message went out: %s", s.Raw)
		}
	})
}

// The same flow with the team in Discord: the thread opens, the agent's
// reply (Discord Markdown) reaches the Send API as documented.
func TestMessengerConversationInDiscord(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		fake := messengertest.New(t)
		d := setupDiscord(t, dialect, "text", withMessenger(fake, ""))
		resp := messengertest.PostWebhook(t, d.baseURL+"/webhooks/messenger", messengerSecret,
			messengertest.Envelope(pageID, messengertest.TextItem(pageID, customerPSID, "m_d1", "Is the blue one in stock?", time.Now())))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		c := d.waitConv(t, d.home, 1)
		d.waitPost(t, c, "Is the blue one in stock?")

		d.say(t, c, dAna, "Yes, **two** left")
		reply := fake.WaitForMessages(t, 1, waitLong)[0]
		require.JSONEq(t, `{"recipient":{"id":"`+customerPSID+`"},"messaging_type":"RESPONSE","message":{"text":"Yes, *two* left","metadata":"switchboard"}}`,
			string(reply.Raw))
		require.Empty(t, d.wa.Sends(), "nothing went to WhatsApp")
	})
}

// A photo a customer sends arrives as a CDN link; switchboard downloads it
// (without the Page token) and uploads it into the thread.
func TestMessengerCustomerAttachmentReachesTheThread(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		fake := messengertest.New(t)
		e := setup(t, dialect, withMessenger(fake, ""))
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde")
		url := fake.AddAttachment("17887258_o.png", "image/png", png)
		e.customerMessages(messengertest.TextItem(pageID, customerPSID, "m_t", "Here is the damage", time.Now()),
			messengertest.AttachmentItem(pageID, customerPSID, "m_img", "image", url, time.Now().Add(time.Second)))
		card := e.waitCardAndThread("Here is the damage")
		ups := e.slack.WaitForUploads(t, func(u []slacktest.Upload) bool { return len(u) == 1 }, waitLong)
		require.Equal(t, png, ups[0].Data)
		require.Equal(t, card.TS, ups[0].ThreadTS)
		require.Equal(t, 1, fake.Downloads())
	})
}

// Meta retries a webhook it got no 200 for: the same mid changes nothing.
// A Graph 5xx (on the reply's first call: the send or the mark-seen
// lookup, whichever runs first) is retried and the reply still goes, once.
func TestMessengerRetriesChangeNothing(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		fake := messengertest.New(t)
		e := setup(t, dialect, withMessenger(fake, ""))
		at := time.Now()
		e.messengerWrites("m_dup", at, "Only once please")
		e.messengerWrites("m_dup", at, "Only once please")
		e.messengerWrites("m_after", at.Add(time.Second), "And then this")
		card := e.waitCardAndThread("And then this")
		require.Equal(t, 1, containsText(inThread(e.slack.Posts(), card.TS), "Only once please"), "the retried webhook was ignored")

		fake.FailNext(1, 500, 2, "")
		e.agentReplies("EvMX", card.TS, "1700000070.000100", "UAGENT1", "Here you go")
		msgs := fake.WaitForMessages(t, 1, waitLong)
		require.Equal(t, "Here you go", msgs[0].Body.Message.Text)
		e.slack.WaitForReactions(t, hasReaction("1700000070.000100", "outbox_tray"), waitLong)
		require.Len(t, fake.Messages(), 1, "sent once after the retry")
	})
}
