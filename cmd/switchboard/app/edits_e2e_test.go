package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
)

// Edits and deletes in both directions (issue 17), from Slack. WhatsApp
// cannot edit or unsend a business message: a reply still queued changes
// or is cancelled, one already sent is answered in the thread.

// slackEvent posts a signed Events API body and requires a 200.
func (e *env) slackEvent(body []byte) {
	e.t.Helper()
	resp := slacktest.PostEvent(e.t, e.baseURL+"/slack/events", signingSecret, body)
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
}

// customerSends posts one signed messages[] object from the test customer.
func (e *env) customerSends(msg map[string]any) {
	e.t.Helper()
	resp := whatsapptest.PostWebhook(e.t, e.baseURL+"/webhooks/whatsapp", appSecret, whatsapptest.Envelope(whatsapptest.Value{
		PhoneNumberID: phoneID, Contacts: []whatsapptest.Contact{{WaID: "34612345678", Name: "Ana"}},
		Messages: []map[string]any{msg}}))
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
}

func revokeOf(wamid, original string) map[string]any {
	return whatsapptest.Message("34612345678", wamid, time.Now(), "revoke", map[string]any{"original_message_id": original})
}

func editOf(wamid, original, text string) map[string]any {
	return whatsapptest.Message("34612345678", wamid, time.Now(), "edit", map[string]any{"original_message_id": original,
		"message": map[string]any{"type": "text", "text": map[string]any{"body": text}}})
}

func quoting(wamid, quoted, text string) map[string]any {
	m := whatsapptest.Message("34612345678", wamid, time.Now(), "text", map[string]any{"body": text})
	m["context"] = map[string]any{"from": "34612345678", "id": quoted}
	return m
}

// storedText is what the database keeps of a message: its body and payload.
func (e *env) storedText(wamid string) string {
	e.t.Helper()
	var row struct {
		Body    string `db:"body"`
		Payload string `db:"payload"`
	}
	require.NoError(e.t, e.app.DB.GetContext(context.Background(), &row,
		e.app.DB.Rebind(`SELECT body, payload FROM messages WHERE external_id = ?`), wamid))
	return row.Body + " " + row.Payload
}

// threadHas waits until the thread under card holds a post containing sub.
func (e *env) threadHas(card slacktest.Message, sub string) {
	e.t.Helper()
	e.slack.WaitForPosts(e.t, func(posts []slacktest.Message) bool { return containsText(inThread(posts, card.TS), sub) > 0 }, waitLong)
}

const correctionsTeam = "teams:\n  - name: support\n    slack_channel: " + channel + "\n    send_corrections: true\n"

func TestSlackEditOfASentReplyIsAnsweredInTheThreadAndNotSent(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.e1", time.Now(), "Do you ship to Porto?")
		card := e.waitCardAndThread("Do you ship to Porto?")
		e.agentReplies("EvR1", card.TS, "1700000100.000100", "UAGENT1", "Yes, in 2 days")
		e.wa.WaitForSends(t, 1, waitLong)

		e.slackEvent(slacktest.MessageEdited("EvE1", channel, card.TS, "1700000100.000100", "1700000200.000100",
			"UAGENT1", "Yes, in 2 days", "Yes, in 3 days"))
		e.threadHas(card, "the customer already has the first version")
		// A retry of the same event changes nothing.
		e.slackEvent(slacktest.MessageEdited("EvE1", channel, card.TS, "1700000100.000100", "1700000200.000100",
			"UAGENT1", "Yes, in 2 days", "Yes, in 3 days"))

		// Then the agent deletes it: the customer still has it.
		e.slackEvent(slacktest.MessageDeleted("EvD1", channel, card.TS, "1700000100.000100", "1700000300.000100",
			"UAGENT1", "Yes, in 3 days"))
		e.threadHas(card, "the customer still has it: WhatsApp cannot unsend")
		texts := inThread(e.slack.Posts(), card.TS)
		require.Equal(t, 1, containsText(texts, "already has the first version"), "the retried edit is not answered twice: %v", texts)
		sends := e.wa.Sends()
		require.Len(t, sends, 1, "nothing more reaches the customer")
		require.Equal(t, "Yes, in 2 days", sends[0].Text)
	})
}

func TestSlackEditOfASentReplyGoesOutAsACorrectionWhenTheTeamAsks(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withTeams(correctionsTeam))
		e.customerWrites("34612345678", "Ana", "wamid.c1", time.Now(), "Hola, ¿tienen talla M?")
		card := e.waitCardAndThread("talla M")
		e.agentReplies("EvR1", card.TS, "1700000100.000100", "UAGENT1", "Sí, en azul")
		first := e.wa.WaitForSends(t, 1, waitLong)[0]

		e.slackEvent(slacktest.MessageEdited("EvE1", channel, card.TS, "1700000100.000100", "1700000200.000100",
			"UAGENT1", "Sí, en azul", "Sí, en rojo"))
		sends := e.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "*Corrección:* Sí, en rojo", sends[1].Text, "a correction in the customer's language")
		require.Equal(t, first.WAMID, sends[1].ReplyTo, "quoting the reply it corrects")
		e.threadHas(card, "the new text goes out as a correction")
	})
}

func TestSlackEditOfAQueuedReplySendsTheNewTextOnce(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		// The reply ordering window holds every reply for a while: the
		// edit arrives while the reply waits in the queue.
		e := setup(t, dialect, withReplyOrderWindow(3*time.Second))
		e.customerWrites("34612345678", "Ana", "wamid.q1", time.Now(), "Is it in stock?")
		card := e.waitCardAndThread("Is it in stock?")
		e.agentReplies("EvR1", card.TS, "1700000100.000100", "UAGENT1", "Yes, 3 left")
		e.slackEvent(slacktest.MessageEdited("EvE1", channel, card.TS, "1700000100.000100", "1700000101.000100",
			"UAGENT1", "Yes, 3 left", "Yes, 2 left"))
		e.threadHas(card, "Edited before it was sent")

		// A deleted queued reply is never sent: the next reply goes alone.
		e.agentReplies("EvR2", card.TS, "1700000102.000100", "UAGENT1", "Oops, wrong thread")
		e.slackEvent(slacktest.MessageDeleted("EvD2", channel, card.TS, "1700000102.000100", "1700000103.000100",
			"UAGENT1", "Oops, wrong thread"))
		e.threadHas(card, "Deleted before it was sent")
		e.agentReplies("EvR3", card.TS, "1700000104.000100", "UAGENT1", "Anything else?")

		sends := e.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "Yes, 2 left", sends[0].Text, "the edited text, not the first one")
		require.Equal(t, "Anything else?", sends[1].Text, "the deleted reply never went")
		require.Len(t, e.wa.Sends(), 2)
	})
}

func TestSlackOwnBotUpdatesAreNotTakenForAgentEdits(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.b1", time.Now(), "Hello")
		card := e.waitCardAndThread("Hello")
		e.agentReplies("EvR1", card.TS, "1700000100.000100", "UAGENT1", "Hi!")
		e.wa.WaitForSends(t, 1, waitLong)
		// Our card updates and our posts' updates come back as message_changed.
		e.slackEvent(slacktest.BotMessageEdited("EvB1", channel, "", card.TS, "1700000150.000100", "card", "card, claimed"))
		var post slacktest.Message
		for _, p := range e.slack.Posts() {
			if p.ThreadTS == card.TS && strings.Contains(p.Text, "Hello") {
				post = p
			}
		}
		require.NotEmpty(t, post.TS)
		e.slackEvent(slacktest.BotMessageEdited("EvB2", channel, card.TS, post.TS, "1700000151.000100", post.Text, "changed"))
		// An unfurl changes the message but not its text.
		e.slackEvent(slacktest.MessageEdited("EvU1", channel, card.TS, "1700000100.000100", "1700000152.000100", "UAGENT1", "Hi!", "Hi!"))
		// A real edit afterwards is answered: the events before it were not.
		e.slackEvent(slacktest.MessageEdited("EvE1", channel, card.TS, "1700000100.000100", "1700000200.000100", "UAGENT1", "Hi!", "Hi Ana!"))
		e.threadHas(card, "already has the first version")
		texts := inThread(e.slack.Posts(), card.TS)
		require.Equal(t, 1, containsText(texts, "already has the first version"), "%v", texts)
		require.Len(t, e.wa.Sends(), 1)
	})
}

func TestSlackCustomerDeleteEditsThePostErasesTheTextAndIsNeverQuoted(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.d1", time.Now(), "my card is 4111 1111")
		card := e.waitCardAndThread("4111 1111")
		var original slacktest.Message
		for _, p := range e.slack.Posts() {
			if p.ThreadTS == card.TS && strings.Contains(p.Text, "4111 1111") {
				original = p
			}
		}
		e.customerSends(revokeOf("wamid.d2", "wamid.d1"))
		e.threadHas(card, "The customer deleted a message")
		var updated []slacktest.Message
		require.Eventually(t, func() bool {
			updated = nil
			for _, u := range e.slack.Updates() {
				if u.TS == original.TS {
					updated = append(updated, u)
				}
			}
			return len(updated) > 0
		}, waitLong, 20*time.Millisecond, "the original post is edited in place")
		require.Contains(t, updated[len(updated)-1].Text, "deleted by the customer")
		require.NotContains(t, updated[len(updated)-1].Text, "4111")
		require.NotContains(t, e.storedText("wamid.d1"), "4111", "the text is erased from the database")

		// A later quote of it names a deleted message, never its text.
		e.customerSends(quoting("wamid.d3", "wamid.d1", "did you see it?"))
		e.threadHas(card, "did you see it?")
		texts := inThread(e.slack.Posts(), card.TS)
		require.Equal(t, 1, containsText(texts, "a deleted message"), "%v", texts)
		require.Equal(t, 1, containsText(texts, "4111"), "only the original post ever showed it: %v", texts)
	})
}

func TestSlackCustomerDeleteKeepsTheTextWhenTheTeamKeepsDeletedMessages(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withTeams("teams:\n  - name: support\n    slack_channel: "+channel+"\n    keep_deleted_messages: true\n"))
		e.customerWrites("34612345678", "Ana", "wamid.k1", time.Now(), "keep this 777")
		card := e.waitCardAndThread("keep this 777")
		e.customerSends(revokeOf("wamid.k2", "wamid.k1"))
		e.threadHas(card, "The customer deleted a message")
		require.Contains(t, e.storedText("wamid.k1"), "keep this 777")
		e.customerSends(quoting("wamid.k3", "wamid.k1", "that one"))
		e.threadHas(card, "that one")
		require.Equal(t, 1, containsText(inThread(e.slack.Posts(), card.TS), "a deleted message"), "kept, yet never quoted")
	})
}

func TestSlackCustomerEditUpdatesThePostInPlace(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.x1", time.Now(), "I need size S")
		card := e.waitCardAndThread("I need size S")
		e.customerSends(editOf("wamid.x2", "wamid.x1", "I need size M"))
		e.threadHas(card, "The customer edited a message")
		require.Eventually(t, func() bool {
			for _, u := range e.slack.Updates() {
				if strings.Contains(u.Text, "I need size M") && strings.Contains(u.Text, "(edited)") {
					return true
				}
			}
			return false
		}, waitLong, 20*time.Millisecond, "the original post shows the new text, marked edited")
	})
}

// The same rows from Discord.

// discordPost returns the id of the bot's post in the thread containing sub.
func (d *dside) discordPost(t *testing.T, c dconv, sub string) string {
	t.Helper()
	for _, m := range d.posts(c) {
		if m.AuthorID == discordtest.BotUserID && strings.Contains(m.Content, sub) {
			return m.ID
		}
	}
	t.Fatalf("no post containing %q in %v", sub, d.botPosts(c))
	return ""
}

func correctionsDiscordTeam(name, home, kind string) string {
	return gamingTeam(name, home, kind) + "    send_corrections: true\n"
}

func TestDiscordEditOrDeleteOfASentReplyIsAnsweredInTheThread(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text")
		d.customerWrites("34612345678", "Ana", "wamid.de1", time.Now(), "Do you ship to Porto?")
		c := d.waitConv(t, d.home, 1)
		reply := d.say(t, c, dAna, "Yes, in 2 days")
		d.wa.WaitForSends(t, 1, waitLong)
		d.waitReaction(t, c, reply, "📤")

		d.fake.EditMessage(t, reply, "Yes, in 3 days")
		d.waitPost(t, c, "the customer already has the first version")
		d.fake.DeleteMessage(t, reply)
		d.waitPost(t, c, "the customer still has it: WhatsApp cannot unsend")
		sends := d.wa.Sends()
		require.Len(t, sends, 1, "nothing more reaches the customer")
		require.Equal(t, "Yes, in 2 days", sends[0].Text)
	})
}

func TestDiscordEditOfASentReplyGoesOutAsACorrectionWhenTheTeamAsks(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscordTeam(t, dialect, "text", correctionsDiscordTeam)
		d.customerWrites("34612345678", "Ana", "wamid.dc1", time.Now(), "Olá, tem tamanho M?")
		c := d.waitConv(t, d.home, 1)
		reply := d.say(t, c, dAna, "Sim, em azul")
		first := d.wa.WaitForSends(t, 1, waitLong)[0]
		d.waitReaction(t, c, reply, "📤")

		d.fake.EditMessage(t, reply, "Sim, em **vermelho**")
		sends := d.wa.WaitForSends(t, 2, waitLong)
		require.Contains(t, []string{"*Correção:* Sim, em *vermelho*", "*Correction:* Sim, em *vermelho*"}, sends[1].Text,
			"a correction marked in the customer's language, Discord markdown converted")
		require.Equal(t, first.WAMID, sends[1].ReplyTo, "quoting the reply it corrects")
		d.waitPost(t, c, "the new text goes out as a correction")
	})
}

func TestDiscordEditOfAQueuedReplySendsTheNewTextOnce(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text", withReplyOrderWindow(3*time.Second))
		d.customerWrites("34612345678", "Ana", "wamid.dq1", time.Now(), "Is it in stock?")
		c := d.waitConv(t, d.home, 1)
		reply := d.say(t, c, dAna, "Yes, 3 left")
		d.fake.EditMessage(t, reply, "Yes, 2 left")
		d.waitPost(t, c, "Edited before it was sent")

		oops := d.say(t, c, dAna, "Oops, wrong thread")
		d.fake.DeleteMessage(t, oops)
		d.waitPost(t, c, "Deleted before it was sent")
		d.say(t, c, dAna, "Anything else?")

		sends := d.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "Yes, 2 left", sends[0].Text, "the edited text, not the first one")
		require.Equal(t, "Anything else?", sends[1].Text, "the deleted reply never went")
		require.Len(t, d.wa.Sends(), 2)
	})
}

func TestDiscordOwnBotUpdatesAreNotTakenForAgentEdits(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text")
		d.customerWrites("34612345678", "Ana", "wamid.db1", time.Now(), "Hello")
		c := d.waitConv(t, d.home, 1)
		reply := d.say(t, c, dAna, "Hi!")
		d.wa.WaitForSends(t, 1, waitLong)
		d.waitReaction(t, c, reply, "📤")
		// Our card and our posts come back as MESSAGE_UPDATE after we edit them.
		d.fake.DispatchBotUpdate(t, c.card)
		d.fake.DispatchBotUpdate(t, d.discordPost(t, c, "Hello"))
		// A real edit afterwards is answered: the updates before it were not.
		d.fake.EditMessage(t, reply, "Hi Ana!")
		d.waitPost(t, c, "already has the first version")
		require.Equal(t, 1, containsText(d.botPosts(c), "already has the first version"), "%v", d.botPosts(c))
		require.Len(t, d.wa.Sends(), 1)
	})
}

func TestDiscordCustomerEditsAndDeletesShowInPlace(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text")
		d.customerWrites("34612345678", "Ana", "wamid.dd1", time.Now(), "my card is 4111 1111")
		c := d.waitConv(t, d.home, 1)
		d.waitPost(t, c, "4111 1111")
		original := d.discordPost(t, c, "4111 1111")
		d.customerSends(revokeOf("wamid.dd2", "wamid.dd1"))
		d.waitPost(t, c, "The customer deleted a message")
		d.fake.WaitFor(t, waitLong, "the original post edited in place", func() bool {
			m, ok := d.fake.Message(original)
			return ok && strings.Contains(m.Content, "deleted by the customer") && !strings.Contains(m.Content, "4111")
		})
		require.NotContains(t, d.storedText("wamid.dd1"), "4111", "the text is erased from the database")
		d.customerSends(quoting("wamid.dd3", "wamid.dd1", "did you see it?"))
		d.waitPost(t, c, "did you see it?")
		require.Equal(t, 1, containsText(d.botPosts(c), "a deleted message"), "%v", d.botPosts(c))
		require.Zero(t, containsText(d.botPosts(c), "4111"), "%v", d.botPosts(c))

		d.customerWrites("34612345678", "Ana", "wamid.dd4", time.Now(), "I need size S")
		d.waitPost(t, c, "I need size S")
		sized := d.discordPost(t, c, "I need size S")
		d.customerSends(editOf("wamid.dd5", "wamid.dd4", "I need size M"))
		d.waitPost(t, c, "The customer edited a message")
		d.fake.WaitFor(t, waitLong, "the original post shows the new text", func() bool {
			m, ok := d.fake.Message(sized)
			return ok && strings.Contains(m.Content, "I need size M") && strings.Contains(m.Content, "(edited)")
		})
	})
}

func TestSlackEditedNoteStaysANoteAndIsNeverSent(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.n1", time.Now(), "Hello")
		card := e.waitCardAndThread("Hello")
		e.agentReplies("EvN1", card.TS, "1700000100.000100", "UAGENT1", "note: call her back")
		e.slackEvent(slacktest.MessageEdited("EvE1", channel, card.TS, "1700000100.000100", "1700000101.000100",
			"UAGENT1", "note: call her back", "note: call her back tomorrow"))
		// The prefix removed: it would be a reply, but an edit sends nothing.
		e.slackEvent(slacktest.MessageEdited("EvE2", channel, card.TS, "1700000100.000100", "1700000102.000100",
			"UAGENT1", "note: call her back tomorrow", "call her back tomorrow"))
		var tells []slacktest.Message
		require.Eventually(t, func() bool {
			tells = e.slack.Ephemerals()
			return len(tells) > 0
		}, waitLong, 20*time.Millisecond)
		require.Len(t, tells, 1, "only the edit that dropped the prefix is answered: %v", tells)
		require.Equal(t, "UAGENT1", tells[0].User)
		require.Contains(t, tells[0].Text, "This stays a note")
		// A real reply afterwards is the first and only send.
		e.agentReplies("EvR1", card.TS, "1700000103.000100", "UAGENT1", "Hi Ana")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "Hi Ana", sends[0].Text)
		require.Len(t, e.wa.Sends(), 1)
		require.Len(t, e.slack.Ephemerals(), 1, "the edit that kept the prefix was not answered")
	})
}

func TestSlackDeletedStatusOfACustomerMessageIsADeletion(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.s1", time.Now(), "my password is hunter2")
		card := e.waitCardAndThread("hunter2")
		// The On-Premises API's way of saying it ("deleted" status).
		resp := whatsapptest.PostWebhook(t, e.baseURL+"/webhooks/whatsapp", appSecret,
			whatsapptest.StatusUpdate(phoneID, "wamid.s1", "deleted", time.Now(), 0))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		e.threadHas(card, "The customer deleted a message")
		require.NotContains(t, e.storedText("wamid.s1"), "hunter2")
		require.Eventually(t, func() bool {
			for _, u := range e.slack.Updates() {
				if strings.Contains(u.Text, "deleted by the customer") {
					return true
				}
			}
			return false
		}, waitLong, 20*time.Millisecond)
	})
}

func TestSlackEditOfARefusedReplyDoesNotSendIt(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		// The customer wrote 25 hours ago: the 24-hour window is closed.
		e.customerWrites("34612345678", "Ana", "wamid.w1", time.Now().Add(-25*time.Hour), "Hello?")
		card := e.waitCardAndThread("Hello?")
		e.agentReplies("EvR1", card.TS, "1700000100.000100", "UAGENT1", "Sorry for the delay")
		e.threadHas(card, "more than 24 hours ago")
		e.slackEvent(slacktest.MessageEdited("EvE1", channel, card.TS, "1700000100.000100", "1700000101.000100",
			"UAGENT1", "Sorry for the delay", "Sorry for the long delay"))
		require.Eventually(t, func() bool {
			for _, m := range e.slack.Ephemerals() {
				if m.User == "UAGENT1" && strings.Contains(m.Text, "editing it does not send it") {
					return true
				}
			}
			return false
		}, waitLong, 20*time.Millisecond)
		require.Empty(t, e.wa.Sends(), "a refused reply stays unsent")
	})
}

// An edit into a text command is never sent, whether the reply is still
// queued or already with the customer: a command is not for the customer,
// and its mentions are the bridge's {@id} references.
func TestSlackEditIntoACommandIsNeverSent(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withTeams(correctionsTeam))
		e.customerWrites("34612345678", "Ana", "wamid.cmd1", time.Now(), "Can I pay by card?")
		card := e.waitCardAndThread("pay by card")
		e.agentReplies("EvR1", card.TS, "1700000100.000100", "UAGENT1", "Yes")
		e.wa.WaitForSends(t, 1, waitLong)

		e.slackEvent(slacktest.MessageEdited("EvE1", channel, card.TS, "1700000100.000100", "1700000200.000100",
			"UAGENT1", "Yes", "!transfer <@UAGENT2> sales"))
		e.threadHas(card, "already has the first version")
		e.agentReplies("EvR2", card.TS, "1700000300.000100", "UAGENT1", "Anything else?")
		sends := e.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "Anything else?", sends[1].Text, "no correction carrying the command went out")
		require.Len(t, e.wa.Sends(), 2)
	})
}

func TestSlackQueuedReplyEditedIntoACommandIsCancelled(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withReplyOrderWindow(3*time.Second))
		e.customerWrites("34612345678", "Ana", "wamid.cmd2", time.Now(), "Is it open today?")
		card := e.waitCardAndThread("open today")
		e.agentReplies("EvR1", card.TS, "1700000100.000100", "UAGENT1", "resolve")
		e.slackEvent(slacktest.MessageEdited("EvE1", channel, card.TS, "1700000100.000100", "1700000101.000100",
			"UAGENT1", "resolve", "!resolve"))
		e.threadHas(card, "Edited into a note before it was sent")
		e.agentReplies("EvR2", card.TS, "1700000102.000100", "UAGENT1", "Yes, until 8")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "Yes, until 8", sends[0].Text, "the command never went out")
		require.Len(t, e.wa.Sends(), 1)
	})
}

// A correction is a reply: in a team that shows agents' names it carries
// the author's name line.
func TestSlackCorrectionCarriesTheAgentsName(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withTeams(correctionsTeam+"    agent_name: first_line\n"),
			withSlack(func(s *slacktest.Server) { s.AddUser("UAGENT1", "Ana") }))
		e.customerWrites("34612345678", "Ana", "wamid.cmd3", time.Now(), "Hola, ¿tienen talla M?")
		card := e.waitCardAndThread("talla M")
		e.agentReplies("EvR1", card.TS, "1700000100.000100", "UAGENT1", "Sí, en azul")
		e.wa.WaitForSends(t, 1, waitLong)
		e.slackEvent(slacktest.MessageEdited("EvE1", channel, card.TS, "1700000100.000100", "1700000200.000100",
			"UAGENT1", "Sí, en azul", "Sí, en rojo"))
		sends := e.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "*Ana:*\n*Corrección:* Sí, en rojo", sends[1].Text)
	})
}

// A correction the window would refuse is not attempted: the thread says
// the customer has the first version, and the reply they have is never
// marked as failed or offered a template for.
func TestSlackEditAfterTheWindowClosedSendsNoCorrection(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		clk := &clock{now: time.Now()}
		e := setup(t, dialect, withClock(clk), withTeams(correctionsTeam))
		e.customerWrites("34612345678", "Ana", "wamid.cmd4", clk.Now(), "Do you open on Sunday?")
		card := e.waitCardAndThread("Sunday")
		e.agentReplies("EvR1", card.TS, "1700000100.000100", "UAGENT1", "No, closed")
		e.wa.WaitForSends(t, 1, waitLong)

		clk.Advance(25 * time.Hour)
		e.slackEvent(slacktest.MessageEdited("EvE1", channel, card.TS, "1700000100.000100", "1700000200.000100",
			"UAGENT1", "No, closed", "No, closed on Sundays"))
		e.threadHas(card, "Send a new reply if the change matters") // not "goes out as a correction"
		require.Len(t, e.wa.Sends(), 1)
	})
}

// A reply whose send failed in a way that leaves it unknown whether the
// customer got it (a 5xx) is treated as sent: an edit while its retry
// waits is answered "the customer already has the first version", and the
// retry sends the first text, so the customer never gets two versions.
func TestSlackEditWhileAFailedSendWaitsForItsRetryIsAnsweredAsSent(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.amb1", time.Now(), "Do you deliver on Saturday?")
		card := e.waitCardAndThread("Saturday")
		e.wa.Script(whatsapptest.Failure{Status: 500, Code: 131000, Transient: true, RetryAfter: "3"})
		e.agentReplies("EvR1", card.TS, "1700000100.000100", "UAGENT1", "Yes, until noon")
		require.Eventually(t, func() bool {
			var failed int
			err := e.app.DB.GetContext(context.Background(), &failed,
				`SELECT COUNT(*) FROM deliveries WHERE kind = 'send_reply' AND last_error <> ''`)
			return err == nil && failed > 0
		}, waitLong, 20*time.Millisecond, "the first send attempt failed")
		e.slackEvent(slacktest.MessageEdited("EvE1", channel, card.TS, "1700000100.000100", "1700000101.000100",
			"UAGENT1", "Yes, until noon", "Yes, until 1 pm"))
		e.threadHas(card, "Send a new reply if the change matters")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "Yes, until noon", sends[0].Text, "the first version, as the thread said")
	})
}

// An edited text is read like a new message: broadcasts and channels keep
// their words in the correction the customer gets.
func TestSlackCorrectionIsConvertedLikeANewReply(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withTeams(correctionsTeam))
		e.customerWrites("14155550100", "Sam", "wamid.cv1", time.Now(), "Who can help me?")
		card := e.waitCardAndThread("help me")
		e.agentReplies("EvR1", card.TS, "1700000100.000100", "UAGENT1", "Me")
		e.wa.WaitForSends(t, 1, waitLong)
		e.slackEvent(slacktest.MessageEdited("EvE1", channel, card.TS, "1700000100.000100", "1700000200.000100",
			"UAGENT1", "Me", "Ask <!here> in *sales*"))
		sends := e.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "*Correction:* Ask everyone in *sales*", sends[1].Text)
	})
}
