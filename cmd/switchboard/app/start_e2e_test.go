package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

// Agent-started conversations from Slack's /switchboard new, as text.

// setupStart is a switchboard whose templates are synced from the fake
// Graph (graphTemplates) and whose inbox reads national numbers in Spain.
func setupStart(t *testing.T, dialect string, opts ...option) *env {
	t.Helper()
	e := setup(t, dialect, append([]option{withTemplates(), withInbox("      country: ES\n")}, opts...)...)
	e.waitSynced()
	return e
}

// welcomeToAna is Meta's documented send of welcome (a named parameter)
// to +34 612 34 56 78, as the fake Graph must receive it.
const welcomeToAna = `{"messaging_product":"whatsapp","recipient_type":"individual","to":"34612345678","type":"template",
 "template":{"name":"welcome","language":{"code":"en_US"},
  "components":[{"type":"body","parameters":[{"type":"text","parameter_name":"first_name","text":"Ana"}]}]}}`

// threadLink is the Slack archive link of a thread rooted at ts.
func threadLink(ts string) string {
	return "https://slack.com/archives/" + channel + "/p" + strings.Replace(ts, ".", "", 1)
}

// A number written as dialled in Spain starts a conversation with the
// customer at +34 612 34 56 78: the contact has that WhatsApp id, the
// conversation is held by the agent who started it, its card opens in the
// team's channel, the template reaches the Graph in Meta's shape, and the
// customer's answer lands in the same thread.
func TestAgentStartsAConversationFromANationalNumber(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setupStart(t, dialect)
		reply := e.slash("UAGENT1", "new 612 34 56 78 welcome Ana")
		require.Contains(t, reply, "+34 612 34 56 78")
		require.Contains(t, reply, "assigned to you")
		require.Contains(t, reply, "<#"+channel+">", "says where the thread appears")

		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "34612345678", sends[0].To)
		require.JSONEq(t, welcomeToAna, string(sends[0].Raw))

		card := e.waitCardAndThread("started this conversation", "Welcome Ana!")
		require.Equal(t, channel, card.Channel)
		blocks := string(card.Blocks)
		require.Contains(t, blocksText(card), "<@UAGENT1>", "the starter holds it")
		require.Contains(t, blocks, "sb:unclaim")
		require.Contains(t, blocks, "+34 6")
		require.NotContains(t, blocks, "34612345678")
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM conversations c JOIN contacts k ON k.id = c.contact_id
WHERE k.address = '34612345678' AND c.assignee = 'UAGENT1' AND c.state = 'assigned'`))
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM events WHERE kind = 'started' AND actor = 'UAGENT1'`))

		// The customer answers: same conversation, same thread.
		e.customerWrites("34612345678", "Ana García", "wamid.answer", time.Now(), "¡Hola! Gracias")
		e.waitCardAndThread("¡Hola! Gracias")
		require.Len(t, cards(e.slack.Posts()), 1, "no second conversation")
	})
}

// Refusals say why and change nothing: no contact, no conversation, no
// card, no send.
func TestStartingAConversationIsRefusedWithAReason(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setupStart(t, dialect)
		for _, tc := range []struct {
			name, user, text string
			want             []string
		}{
			{"too short", "UAGENT1", "new 612 34 56 welcome Ana", []string{"“612 34 56” has too few digits", "+34 612 34 56 78", "612 34 56 78"}},
			{"impossible", "UAGENT1", "new +34 412 34 56 78 welcome Ana", []string{"not a valid number in ES"}},
			{"not a number", "UAGENT1", "new ana@example.com welcome", []string{"Usage: /switchboard new"}},
			{"no template", "UAGENT1", "new 612 34 56 78", []string{"A template is required", "welcome@en_US"}},
			{"a template not approved", "UAGENT1", "new 612 34 56 78 promo 10%", []string{"promo", "rejected"}},
			{"a value missing", "UAGENT1", "new 612 34 56 78 welcome", []string{"takes 1 values and you gave 0"}},
			{"an unknown team", "UAGENT1", "new 612 34 56 78 #billing welcome Ana", []string{"There is no team “#billing”. Teams: support"}},
			{"an outsider", "U0OUTSIDE1", "new 612 34 56 78 welcome Ana", []string{"Only agents of team support can start"}},
		} {
			reply := e.slash(tc.user, tc.text)
			for _, w := range tc.want {
				require.Contains(t, reply, w, tc.name)
			}
			require.NotContains(t, reply, "started in team", tc.name)
		}
		require.Zero(t, e.count(`SELECT COUNT(*) FROM conversations`))
		require.Zero(t, e.count(`SELECT COUNT(*) FROM contacts`), "a refused start leaves no contact behind")
		require.Zero(t, e.count(`SELECT COUNT(*) FROM deliveries`))
		require.Empty(t, e.wa.Sends())
		require.Empty(t, cards(e.slack.Posts()))
	})
}

// A returning customer whose conversation is resolved gets a new one whose
// card links the earlier thread; while that one is open, starting again
// is refused with a link to its thread and how to send a template there.
func TestStartingAgainForAReturningCustomer(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setupStart(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.r1", time.Now(), "Hola")
		first := e.waitCardAndThread("Hola")
		e.clicks("trigResolve", "UAGENT1", first.TS, "resolve", conversationID(t, first))
		waitUpdates(t, e, func(u []slacktest.Message) bool { return anyContains(u, "sb:reopen") })

		reply := e.slash("UAGENT2", "new +34612345678 welcome Ana")
		require.Contains(t, reply, "started in team support")
		var second slacktest.Message
		e.slack.WaitForPosts(t, func(posts []slacktest.Message) bool {
			cs := cards(posts)
			if len(cs) < 2 {
				return false
			}
			second = cs[1]
			return true
		}, waitLong)
		require.Contains(t, string(second.Blocks), "Earlier conversation #1")
		require.Contains(t, string(second.Blocks), threadLink(first.TS), "history stays one click away")
		require.Contains(t, blocksText(second), "<@UAGENT2>")
		e.wa.WaitForSends(t, 1, waitLong)
		// Posts under the new card mean its thread is recorded.
		e.slack.WaitForPosts(t, func(posts []slacktest.Message) bool {
			return containsText(inThread(posts, second.TS), "Welcome Ana!") > 0
		}, waitLong)

		again := e.slash("UAGENT1", "new 612 34 56 78 welcome Ana")
		require.Contains(t, again, "already has an open conversation: #2")
		require.Contains(t, again, threadLink(second.TS))
		require.Contains(t, again, "!template")
		require.Equal(t, 2, e.count(`SELECT COUNT(*) FROM conversations`))
	})
}
