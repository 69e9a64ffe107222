package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

// crmConfig is support (where every customer starts) and sales (members
// U0SALES001), a contacts schema with a typed plan and seat count, and
// rules sending VIPs and gold-plan customers to sales. Conversations never
// reopen: a customer writing again starts a new one, routed again.
func crmConfig() []option {
	return []option{
		withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    members: [U0AGENTA01, U0AGENTB01]
    supervisors: [U0SUPERV01]
  - name: sales
    slack_channel: %s
    members: [U0SALES001]
`, channel, salesChannel)),
		withTopLevel(`contacts:
  stages: [lead, qualified, customer]
  attributes:
    - {name: plan, type: list, options: [free, gold]}
    - {name: seats, type: number}
routing:
  id: root
  team: support
  routes:
    - id: vip
      team: sales
      match: {contact_labels: [vip]}
    - id: gold
      team: sales
      match: {contact_attributes: {plan: gold}}
`),
		withReopenWindow("0s"),
	}
}

// waitCardUpdate waits for an update of the card at ts whose blocks hold
// every one of subs.
func (e *env) waitCardUpdate(ts string, subs ...string) slacktest.Message {
	e.t.Helper()
	var got slacktest.Message
	waitUpdates(e.t, e, func(ups []slacktest.Message) bool {
		for _, u := range ups {
			if u.TS != ts {
				continue
			}
			ok := true
			for _, s := range subs {
				ok = ok && strings.Contains(string(u.Blocks)+u.Text, s)
			}
			if ok {
				got = u
				return true
			}
		}
		return false
	})
	return got
}

// An agent labels the customer, sets a stage and an attribute in the
// thread: each is confirmed privately and the card shows them; a value
// that does not fit its type is refused privately, naming the type. The
// customer's next conversation is routed by the label to sales, and
// /switchboard contact finds the person by phone with both conversations.
func TestContactsLabelStageAttributeOnTheCardAndInRouting(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, crmConfig()...)
		e.customerWrites("34600111222", "María López", "wamid.crm1", time.Now(), "Hola, una pregunta")
		card := e.waitCardIn(channel, 1)
		conv := conversationID(t, card)

		e.replyIn(channel, "EvCrm1", card.TS, "1700000100.000100", "U0AGENTA01", "!label add VIP")
		e.waitEphemeralWith("U0AGENTA01", "Label `vip` added")
		e.replyIn(channel, "EvCrm2", card.TS, "1700000100.000200", "U0AGENTA01", "!stage Qualified")
		e.waitEphemeralWith("U0AGENTA01", "Stage: qualified")
		e.replyIn(channel, "EvCrm3", card.TS, "1700000100.000300", "U0AGENTA01", "!attr plan=Gold")
		e.waitEphemeralWith("U0AGENTA01", "Attribute plan = gold")
		e.waitCardUpdate(card.TS, "vip", "qualified", "plan=gold")

		e.replyIn(channel, "EvCrm4", card.TS, "1700000100.000400", "U0AGENTA01", "!attr seats=many")
		refusal := e.waitEphemeralWith("U0AGENTA01", "seats cannot be")
		require.Contains(t, refusal.Text, "a number", "the refusal names the type")
		// Someone who is no agent of support (not in its channel) is refused.
		e.replyIn(channel, "EvCrm5", card.TS, "1700000100.000500", "U0STRANGER", "!label add spam")
		refused := e.waitEphemeralWith("U0STRANGER", "")
		require.NotContains(t, refused.Text, "spam", "only the team's agents edit the contact")

		e.clicks("trig-crm-resolve", "U0AGENTA01", card.TS, "resolve", conv)
		e.waitCardUpdate(card.TS, "Resolved")
		e.customerWrites("34600111222", "María López", "wamid.crm2", time.Now().Add(time.Second), "Otra cosa")
		salesCard := e.waitCardIn(salesChannel, 1)
		require.Contains(t, string(salesCard.Blocks), "vip", "the new conversation went to sales by the label and shows it")

		answer := e.command("U0AGENTA01", channel, "contact +34 600 111 222")
		require.Contains(t, answer, "María López")
		require.Contains(t, answer, "plan=gold")
		require.Contains(t, answer, "#"+conv+" WhatsApp", "the first conversation is listed")
		require.Equal(t, 2, strings.Count(answer, "WhatsApp ·"), "both conversations, across teams")
		require.Contains(t, e.command("U0AGENTA01", channel, "contact nobody@example.com"), "No contact matches")
	})
}

// The cross-channel test, simulated with the customer's second
// WhatsApp number (a second identity) until the Instagram adapter is
// merged: the person writes from one number, then from another; the
// agent merges the first into the second thread's contact and the new
// thread's card links the earlier thread on the other identity.
func TestContactsMergeLinksTheOtherIdentitysHistory(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, crmConfig()...)
		e.customerWrites("34600111222", "María López", "wamid.m1", time.Now(), "Hola desde mi móvil")
		first := e.waitCardIn(channel, 1)
		firstConv := conversationID(t, first)
		e.replyIn(channel, "EvM0", first.TS, "1700000200.000050", "U0AGENTA01", "!label add vip")
		e.waitEphemeralWith("U0AGENTA01", "Label `vip` added")
		e.replyIn(channel, "EvM0b", first.TS, "1700000200.000060", "U0AGENTA01", "!cnote prefers calls after 18:00")
		e.waitEphemeralWith("U0AGENTA01", "Note about")

		e.customerWrites("34699000111", "Maria (work)", "wamid.m2", time.Now().Add(time.Second), "Hola desde el trabajo")
		second := e.waitCardIn(channel, 2)
		// A name could match the wrong person: refused, with the way to
		// find the number (review finding 4).
		e.replyIn(channel, "EvM1a", second.TS, "1700000200.000070", "U0AGENTB01", "!merge María")
		e.waitEphemeralWith("U0AGENTB01", "/switchboard contact")
		// Without confirm, a private preview of both people; nothing merged.
		e.replyIn(channel, "EvM1b", second.TS, "1700000200.000080", "U0AGENTB01", "!merge +34 600 111 222")
		preview := e.waitEphemeralWith("U0AGENTB01", "confirm")
		require.Contains(t, preview.Text, "1 conversations")
		require.Contains(t, preview.Text, "WhatsApp +34")
		require.Zero(t, e.count(`SELECT COUNT(*) FROM people WHERE merged_into <> 0`), "a preview merges nothing")
		e.replyIn(channel, "EvM1", second.TS, "1700000200.000100", "U0AGENTB01", "!merge +34 600 111 222 confirm")
		e.waitThreadText(second.TS, "merged contact")
		up := e.waitCardUpdate(second.TS, "vip", "conversation #"+firstConv)
		require.Contains(t, string(up.Blocks), "Also on", "the card names the other identity")

		e.replyIn(channel, "EvM2", second.TS, "1700000200.000200", "U0AGENTB01", "!merge +34600111222 confirm")
		e.waitEphemeralWith("U0AGENTB01", "That is this conversation's contact already")
		e.replyIn(channel, "EvM3", second.TS, "1700000200.000300", "U0AGENTB01", "!contact")
		cardText := e.waitEphemeralWith("U0AGENTB01", "prefers calls after 18:00")
		require.Contains(t, cardText.Text, "#"+firstConv+" WhatsApp", "the contact card lists the history on both numbers")
	})
}

// contactDo runs /contact <sub> value:<value> in the conversation's
// thread and waits for the bridge's private follow-up containing want.
func (d *dside) contactDo(t *testing.T, c dconv, who discordtest.User, sub, value, want string) string {
	t.Helper()
	opt := discordtest.Option{Name: sub, Type: 1}
	if value != "" {
		opt.Options = []discordtest.Option{{Name: "value", Type: 3, Value: value}}
	}
	in := d.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: c.thread, User: who, Name: "contact", Options: []discordtest.Option{opt}})
	require.True(t, d.fake.WaitCallback(t, in).Ephemeral(), "/contact is answered privately")
	var got string
	d.fake.WaitFor(t, waitLong, "a private "+want, func() bool {
		for _, f := range d.fake.Followups() {
			if f.ChannelID == "webhook:"+in.Token && strings.Contains(f.Content, want) {
				got = f.Content
				return true
			}
		}
		return false
	})
	return got
}

// The main flow in Discord: /contact label-add, stage and attr change the
// card; a bad value is refused privately naming the type; /contact show
// is the contact card, privately.
func TestDiscordContactCommandsChangeTheCard(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text", withTopLevel("contacts:\n  attributes:\n    - {name: plan, type: list, options: [free, gold]}\n    - {name: seats, type: number}\n"))
		d.customerWrites("34600111222", "María López", "wamid.dcrm1", time.Now(), "Hola")
		c := d.waitConv(t, d.home, 1)

		d.contactDo(t, c, dAna, "label-add", "VIP", "Label `vip` added")
		d.contactDo(t, c, dAna, "stage", "qualified", "Stage: qualified")
		d.contactDo(t, c, dAna, "attr", "plan=gold", "Attribute plan = gold")
		d.waitCardShows(t, c, "plan=gold")
		d.waitCardShows(t, c, "vip")
		d.waitCardShows(t, c, "qualified")
		refusal := d.contactDo(t, c, dAna, "attr", "seats=lots", "seats cannot be")
		require.Contains(t, refusal, "a number")
		card := d.contactDo(t, c, dBruno, "show", "", "contact #")
		require.Contains(t, card, "plan=gold")
		require.Contains(t, card, "#"+c.id+" WhatsApp")
	})
}
