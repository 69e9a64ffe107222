package app_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

// WhatsApp usernames and business-scoped user ids (issue 12): a customer
// who shows only a username has no phone number anywhere; switchboard
// answers them by BSUID in Graph's "recipient" field, as Meta documents:
// https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/

const sheenaBSUID = "ES.13491208655302741918"

// bsuidDeliveryBody is deliveryBody sent to a BSUID: "recipient", no "to".
const bsuidDeliveryBody = `{"messaging_product":"whatsapp","recipient_type":"individual","recipient":"ES.13491208655302741918","type":"template",
 "template":{"name":"delivery_update","language":{"code":"es"},"components":[
  {"type":"header","parameters":[{"type":"image","image":{"link":"https://ex.com/box.jpg"}}]},
  {"type":"body","parameters":[{"type":"text","text":"Ana"},{"type":"text","text":"#1234"}]},
  {"type":"button","sub_type":"url","index":"2","parameters":[{"type":"text","text":"abc123"}]}]}}`

// The must-show on Slack: a username-only customer writes (the card shows
// the username, no phone); outside the window a template reaches them by
// BSUID; its status, naming only recipient_user_id, marks it read; they
// write again and the agent's reply goes to the BSUID; the report counts
// the conversation; /switchboard new explains they cannot be started by
// number.
func TestUsernameOnlyCustomerOnSlack(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withSendTemplates())
		e.waitSynced()
		e.usernameWrites(sheenaBSUID, "@sheena", "", "wamid.u1", time.Now().Add(-25*time.Hour), "¿Dónde está mi pedido?")
		card := e.waitCardAndThread("¿Dónde está mi pedido?")
		shown := blocksText(card)
		require.Contains(t, shown, "@sheena", "the card names the customer by username")
		require.Contains(t, shown, "phone number not shared")
		require.NotContains(t, shown, "+ES", "a BSUID is never shown as a phone number")

		e.agentReplies("EvU1", card.TS, "1700000100.000100", "UAGENT1", "!template delivery_update "+deliveryValues)
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.JSONEq(t, bsuidDeliveryBody, string(sends[0].Raw), "the template goes to the BSUID as recipient")
		posts := e.slack.WaitForPosts(t, func(p []slacktest.Message) bool {
			_, ok := threadPost(p, card.TS, "delivery_update")
			return ok
		}, waitLong)
		post, _ := threadPost(posts, card.TS, "delivery_update")
		e.userIDStatus(sends[0].WAMID, "read", sheenaBSUID)
		e.slack.WaitForReactions(t, hasReaction(post.TS, "eye"), waitLong)

		e.usernameWrites(sheenaBSUID, "@sheena", "", "wamid.u2", time.Now(), "Gracias, ¿llega mañana?")
		e.waitThreadText(card.TS, "llega mañana?")
		e.agentReplies("EvU2", card.TS, "1700000101.000100", "UAGENT1", "Sí, mañana")
		sends = e.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, sheenaBSUID, sends[1].Recipient, "a reply goes to the BSUID")
		require.Empty(t, sends[1].To)
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM contacts`), "one contact")
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM conversations`), "one conversation")

		require.Regexp(t, `Received\s+1`, e.slash("UAGENT1", "metrics"), "the report counts the conversation")
		require.Contains(t, e.slash("UAGENT1", "new @sheena"), "can only be started with a phone number")
	})
}

// A customer who changes their number stays one contact with one
// history: the thread says so, and their next message from the new number
// continues the same conversation; replies go to the new number.
func TestNumberChangeKeepsOneContact(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		now := time.Now()
		e.phoneAndBSUIDWrites("34612345678", "ES.111", "Ana", "wamid.n1", now, "Hola")
		card := e.waitCardAndThread("Hola")
		e.numberChanges("34612345678", "34699999999", "ES.111", "ES.222", "wamid.n2", now.Add(time.Second))
		e.waitThreadText(card.TS, "changed their WhatsApp number to +34 6")
		e.phoneAndBSUIDWrites("34699999999", "ES.222", "Ana", "wamid.n3", now.Add(2*time.Second), "Nuevo número")
		e.waitThreadText(card.TS, "Nuevo número")
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM contacts`), "one contact")
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM conversations`), "one history")
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM contacts WHERE address = '34699999999' AND user_id = 'ES.222'`))

		e.agentReplies("EvN1", card.TS, "1700000200.000100", "UAGENT1", "Anotado")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "34699999999", sends[0].To, "replies go to the new number")
	})
}

// The main flow on Discord: the card shows the username and no phone, the
// reply goes to the BSUID, its receipt marks it.
func TestUsernameOnlyCustomerOnDiscord(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text")
		d.usernameWrites(sheenaBSUID, "@sheena", "", "wamid.d1", time.Now(), "Hola, soy nueva")
		c := d.waitConv(t, d.home, 1)
		d.waitPost(t, c, "Hola, soy nueva")
		card, _ := d.fake.Message(c.card)
		var sent struct {
			Embeds []json.RawMessage `json:"embeds"`
		}
		require.NoError(t, card.Decode(&sent))
		require.Len(t, sent.Embeds, 1)
		require.Contains(t, string(sent.Embeds[0]), "@sheena")
		require.Contains(t, string(sent.Embeds[0]), "phone number not shared")

		reply := d.say(t, c, dAna, "¡Bienvenida!")
		sends := d.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, sheenaBSUID, sends[0].Recipient)
		require.Empty(t, sends[0].To)
		d.waitReaction(t, c, reply, "📤")
		d.userIDStatus(sends[0].WAMID, "read", sheenaBSUID)
		d.waitReaction(t, c, reply, "👁️")
	})
}
