package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/instagram/instagramtest"
)

// The cross-channel test: a customer writing on WhatsApp and then
// on Instagram is one contact after !merge, and the Instagram thread's
// card links the WhatsApp history. The Instagram person has no phone
// number, so nothing suggests the merge: the agent names the WhatsApp
// number. Afterwards each channel's next conversation shows the other.
func TestCrossChannelMergeWhatsAppAndInstagram(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setupInstagram(t, dialect, crmConfig()...)
		now := time.Now()
		e.customerWrites("34600111222", "María López", "wamid.x1", now, "Hola desde WhatsApp")
		first := e.waitCardIn(channel, 1)
		firstConv := conversationID(t, first)
		e.replyIn(channel, "EvX0", first.TS, "1700000300.000050", "U0AGENTA01", "!label add vip")
		e.waitEphemeralWith("U0AGENTA01", "Label `vip` added")

		const igsid = "1254459154682919"
		e.instagramWrites(igAccount, igsid, "m_x2", "Hi from Instagram", now.Add(time.Second))
		second := e.waitCardIn(channel, 2) // no label yet: support
		secondConv := conversationID(t, second)
		require.NotEqual(t, firstConv, secondConv)
		require.Equal(t, 2, e.peopleCount(), "two people before the merge")

		e.replyIn(channel, "EvX1", second.TS, "1700000300.000100", "U0AGENTB01", "!merge +34 600 111 222 confirm")
		e.waitThreadText(second.TS, "merged contact")
		up := e.waitCardUpdate(second.TS, "vip", "Also on", "WhatsApp +34", "conversation #"+firstConv)
		require.Contains(t, string(up.Blocks), "/archives/", "the card links the WhatsApp thread")
		require.Equal(t, 1, e.peopleCount(), "one person after the merge")

		e.replyIn(channel, "EvX2", second.TS, "1700000300.000200", "U0AGENTB01", "!contact")
		cardText := e.waitEphemeralWith("U0AGENTB01", "#"+firstConv+" WhatsApp")
		require.Contains(t, cardText.Text, "#"+secondConv+" Instagram", "the contact card lists both conversations")
		require.Contains(t, cardText.Text, "Instagram", "both identities are listed")

		// Both conversations are resolved; the customer writes again on
		// each channel: one person, each card shows the other channel.
		e.clicks("trig-x-res1", "U0AGENTA01", first.TS, "resolve", firstConv)
		e.waitCardUpdate(first.TS, "Resolved")
		e.clicks("trig-x-res2", "U0AGENTB01", second.TS, "resolve", secondConv)
		e.waitCardUpdate(second.TS, "Resolved")

		e.customerWrites("34600111222", "María López", "wamid.x3", now.Add(2*time.Second), "Otra vez por WhatsApp")
		waCard := e.waitCardIn(salesChannel, 1) // vip: sales
		require.True(t, hasAll(string(waCard.Blocks), "Also on", "Instagram"), "the WhatsApp card shows Instagram: %s", waCard.Blocks)
		e.instagramWrites(igAccount, igsid, "m_x4", "And again on Instagram", now.Add(3*time.Second))
		igCard := e.waitCardIn(salesChannel, 2)
		require.True(t, hasAll(string(igCard.Blocks), "Also on", "WhatsApp +34"), "the Instagram card shows WhatsApp: %s", igCard.Blocks)
		require.Equal(t, 1, e.peopleCount(), "still one person")
		require.Equal(t, 2, e.identitiesOf(firstConv), "the person has both identities")
	})
}

// The cross-channel merge in Discord: the Instagram conversation's card
// links the WhatsApp thread after !merge, and /contact show lists both.
func TestDiscordCrossChannelMergeWhatsAppAndInstagram(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		fake := instagramtest.New(t)
		d := setupDiscord(t, dialect, "text", withInstagram(fake))
		ig := &igEnv{env: d.env, ig: fake}
		now := time.Now()
		d.customerWrites("34600111222", "María López", "wamid.dx1", now, "Hola desde WhatsApp")
		c1 := d.waitConv(t, d.home, 1)
		ig.instagramWrites(igAccount, "1254459154682919", "m_dx2", "Hi from Instagram", now.Add(time.Second))
		c2 := d.waitConv(t, d.home, 2)
		require.Equal(t, 2, d.peopleCount())

		d.say(t, c2, dAna, "!merge +34 600 111 222 confirm")
		d.waitPost(t, c2, "merged contact")
		d.waitCardShows(t, c2, "Also on")
		d.waitCardShows(t, c2, "conversation #"+c1.id)
		d.waitCardShows(t, c2, c1.thread) // the link to the WhatsApp thread
		require.Equal(t, 1, d.peopleCount(), "one person after the merge")
		card := d.contactDo(t, c2, dBruno, "show", "", "#"+c1.id+" WhatsApp")
		require.Contains(t, card, "#"+c2.id+" Instagram", "the contact card lists both conversations")
	})
}

// peopleCount is how many people are neither merged nor erased.
func (e *env) peopleCount() int {
	e.t.Helper()
	var n int
	require.NoError(e.t, e.app.DB.GetContext(context.Background(), &n,
		`SELECT COUNT(*) FROM people WHERE merged_into = 0 AND erased_ms = 0`))
	return n
}

// identitiesOf is how many contacts belong to the person of conversation conv.
func (e *env) identitiesOf(conv string) int {
	e.t.Helper()
	var n int
	require.NoError(e.t, e.app.DB.GetContext(context.Background(), &n, e.app.DB.Rebind(
		`SELECT COUNT(*) FROM contacts WHERE person_id = (SELECT c.person_id FROM contacts c JOIN conversations v ON v.contact_id = c.id WHERE v.id = ?)`),
		strings.TrimPrefix(conv, "#")))
	return n
}

// /switchboard help names the contact commands, in the team's language.
func TestSwitchboardHelpMentionsContact(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	help := e.command("UAGENT1", channel, "help")
	require.Contains(t, help, "/switchboard contact &lt;+phone", "Slack escapes the angle brackets")
	require.Contains(t, help, "!merge")
	require.Contains(t, help, "!label add|remove")
}
