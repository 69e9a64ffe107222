package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

func TestEmailMailOpensAThreadAndTheReplyGoesBackInTheMailThread(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		var m mailFakes
		clk := &clock{now: time.Now()}
		e := setup(t, dialect, withEmail(t, &m), withClock(clk))

		m.imap.Deliver(customerMail("<CAKx1@mail.example.org>", "Order 1042 has not arrived",
			"Hi, my order has not arrived yet.\r\n\r\nOn Fri, Dec 4, 2026 at 10:00 AM Shop <support@shop.example> wrote:\r\n> Your order shipped."))
		card := e.waitCardAndThread("my order has not arrived yet")
		texts := inThread(e.slack.Posts(), card.TS)
		require.Zero(t, containsText(texts, "Your order shipped"), "the quoted earlier mail is not shown")

		e.agentReplies("EvM1", card.TS, "1700000001.000100", "UAGENT1", "Sorry Ana, it leaves today.")
		sent := m.smtp.WaitSent(t, 1, waitLong)
		got := sent[0]
		require.Equal(t, []string{"ana@example.org"}, got.To)
		require.Equal(t, "Re: Order 1042 has not arrived", got.Header.Get("Subject"))
		require.Equal(t, "<CAKx1@mail.example.org>", got.Header.Get("In-Reply-To"))
		require.Equal(t, "<CAKx1@mail.example.org>", got.Header.Get("References"))
		require.Contains(t, got.Header.Get("From"), mailInbox)
		require.Contains(t, got.Body(), "Sorry Ana, it leaves today.")

		// E-mail has no reply window: three days later a reply still goes.
		clk.Advance(72 * time.Hour)
		e.agentReplies("EvM2", card.TS, "1700000002.000100", "UAGENT1", "Did it arrive?")
		sent = m.smtp.WaitSent(t, 2, waitLong)
		require.Contains(t, sent[1].Body(), "Did it arrive?")
		require.Equal(t, "<CAKx1@mail.example.org>", sent[1].Header.Get("In-Reply-To"))
	})
}

func TestEmailTheSameMailTwiceIsOneMessage(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		var m mailFakes
		e := setup(t, dialect, withEmail(t, &m))
		raw := customerMail("<dup-1@mail.example.org>", "Refund", "Please refund order 7.")
		// The receiver stores the first copy, then fails to mark it (the
		// connection dropped): on its restart it offers the mail again,
		// and a second copy of the same mail arrives too.
		m.imap.FailStores(1)
		first := m.imap.Deliver(raw)
		m.imap.Deliver(raw)
		m.imap.Deliver(customerMail("<after@mail.example.org>", "Refund", "Any news?"))

		card := e.waitCardAndThread("Please refund order 7.", "Any news?")
		e.slack.WaitForPosts(t, func([]slacktest.Message) bool { return m.imap.HasKeyword(first, "$Switchboard") }, waitLong)
		texts := inThread(e.slack.Posts(), card.TS)
		require.Equal(t, 1, containsText(texts, "Please refund order 7."), "one message: %q", texts)
		require.Len(t, cards(e.slack.Posts()), 1)
	})
}

func TestEmailAttachmentShowsInTheThread(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		var m mailFakes
		e := setup(t, dialect, withEmail(t, &m))
		raw := strings.Join([]string{
			"From: ana@example.org",
			"To: " + mailInbox,
			"Subject: Broken item",
			"Message-ID: <att-1@mail.example.org>",
			"Date: Sat, 05 Dec 2026 09:00:00 +0000",
			"MIME-Version: 1.0",
			`Content-Type: multipart/mixed; boundary="b1"`,
			"",
			"--b1",
			"Content-Type: text/plain; charset=utf-8",
			"",
			"It arrived broken, photo attached.",
			"--b1",
			`Content-Type: application/pdf; name="receipt.pdf"`,
			`Content-Disposition: attachment; filename="receipt.pdf"`,
			"Content-Transfer-Encoding: base64",
			"",
			"JVBERi0xLjQKJcOkw7zDtsOfCjEgMCBvYmoKPDwvVHlwZS9DYXRhbG9nPj4KZW5kb2JqCnRyYWlsZXIKPDwvUm9vdCAxIDAgUj4+CiUlRU9GCg==",
			"--b1--",
			"",
		}, "\r\n")
		m.imap.Deliver([]byte(raw))
		ups := e.slack.WaitForUploads(t, func(u []slacktest.Upload) bool { return len(u) > 0 }, waitLong)
		require.Equal(t, "receipt.pdf", ups[0].Filename)
		require.True(t, strings.HasPrefix(string(ups[0].Data), "%PDF-1.4"), "the file's bytes, fetched again over IMAP")
		e.waitCardAndThread()
		all := fmt.Sprint(inThread(e.slack.Posts(), ups[0].ThreadTS), ups[0].InitialComment)
		require.Contains(t, all, "It arrived broken")
	})
}

func TestEmailDiscordMainFlow(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		var m mailFakes
		d := setupDiscord(t, dialect, "text", withEmail(t, &m))
		m.imap.Deliver(customerMail("<disc-1@mail.example.org>", "Question", "Do you ship to Porto?"))
		c := d.waitConv(t, d.home, 1)
		d.waitPost(t, c, "Do you ship to Porto?")
		d.say(t, c, dAna, "Yes, we do.")
		sent := m.smtp.WaitSent(t, 1, waitLong)
		require.Equal(t, "Re: Question", sent[0].Header.Get("Subject"))
		require.Equal(t, "<disc-1@mail.example.org>", sent[0].Header.Get("In-Reply-To"))
		require.Contains(t, sent[0].Body(), "Yes, we do.")
	})
}
