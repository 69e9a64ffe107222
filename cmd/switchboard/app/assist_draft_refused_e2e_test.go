package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/adapters/openai/openaitest"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

// A draft of a conversation that was resolved, the customer having
// written since in a newer one, is refused like any reply there: nothing
// reaches the customer, the draft stays unsent and uncounted, the agent is
// told where to answer, and their draft message is not turned into
// "Sending…".
func TestAISuggestionOfASupersededConversationIsNotSent(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		ai := openaitest.New(t)
		e := setup(t, dialect, withAI(ai), withReopenWindow("0s"))
		e.customerWrites("16505551234", "Ana García", "wamid.sup1", time.Now(), "Hola, ¿dónde está mi pedido 4411?")
		card := e.waitCardAndThread("pedido 4411")
		conv := conversationID(t, card)
		e.clicks("trigSupSug", "UAGENT1", card.TS, "suggest", conv)
		draft := e.waitEphemeralWith("UAGENT1", aiDraft)
		value := draftValueIn(t, draft.Blocks)

		e.clicks("trigSupRes", "UAGENT1", card.TS, "resolve", conv)
		waitUpdates(t, e, func(u []slacktest.Message) bool { return anyContains(u, "sb:reopen") })
		e.customerWrites("16505551234", "Ana García", "wamid.sup2", time.Now(), "Otra cosa")
		e.slack.WaitForPosts(t, func(p []slacktest.Message) bool { return len(cards(p)) == 2 }, waitLong)

		resp := e.interact(slacktest.PrivateButtonClick("trigSupSend", "UAGENT1", channel, card.TS, draft.TS, "sb:send#0", value,
			e.slack.ResponseURL("supSend")))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		e.waitEphemeralWith("UAGENT1", "newer one")
		for _, s := range e.wa.Sends() {
			require.NotEqual(t, aiDraft, s.Text, "the draft did not reach the customer")
		}
		require.Zero(t, e.count(`SELECT COUNT(*) FROM events WHERE kind = 'suggestion_sent'`))
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM ai_drafts WHERE state = 'shown'`), "the draft is not used up")
		for _, r := range e.slack.Responses() {
			require.False(t, r.ID == "supSend" && strings.Contains(r.Text, "Sending"), "the agent is not told it is being sent")
		}
	})
}

// In Discord, a draft's Send refused because someone else holds the
// conversation is only acknowledged: the draft's message keeps its
// buttons (no "Sending…"), the agent is told why, nothing is sent; sent
// once the other agent releases it, it is replaced.
func TestDiscordAISuggestionRefusedKeepsTheDraft(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		ai := openaitest.New(t)
		d := setupDiscord(t, dialect, "text", withAI(ai))
		d.customerWrites("16505551234", "Ana García", "wamid.dref1", time.Now(), "Hola, ¿dónde está mi pedido 4411?")
		c := d.waitConv(t, d.home, 1)

		in := d.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: c.thread, User: dAna, Name: "suggest"})
		d.fake.WaitCallback(t, in)
		var draft discordtest.Message
		d.fake.WaitFor(t, waitLong, "the draft", func() bool {
			for _, f := range d.fake.Followups() {
				if f.ChannelID == "webhook:"+in.Token && strings.Contains(f.Content, aiDraft) {
					draft = f
					return true
				}
			}
			return false
		})
		raw := string(draft.Payload)
		i := strings.Index(raw, `"custom_id":"sb:send:`)
		require.NotEqual(t, -1, i, "the draft has Send")
		send := raw[i+len(`"custom_id":"`):]
		send = send[:strings.Index(send, `"`)]

		require.Contains(t, d.click(t, c, dBruno, "claim"), "claim")
		d.waitPost(t, c, "<@"+dBruno.ID+"> claimed this conversation")
		click := d.fake.ClickButton(t, discordtest.ButtonSpec{ChannelID: c.thread, MessageID: draft.ID, User: dAna, CustomID: send})
		cb := d.fake.WaitCallback(t, click)
		require.Equal(t, discordtest.CallbackDeferredUpdate, cb.Type, "acknowledged, the draft left as it is")
		d.fake.WaitFor(t, waitLong, "why it was not sent", func() bool {
			for _, f := range d.fake.Followups() {
				if f.ChannelID == "webhook:"+click.Token && strings.Contains(f.Content, "NOT sent") {
					return true
				}
			}
			return false
		})
		require.Empty(t, d.wa.Sends(), "nothing reached the customer")

		require.Contains(t, d.click(t, c, dBruno, "unclaim"), "")
		d.waitPost(t, c, "released")
		cb = d.fake.WaitCallback(t, d.fake.ClickButton(t, discordtest.ButtonSpec{ChannelID: c.thread, MessageID: draft.ID, User: dAna, CustomID: send}))
		require.Equal(t, discordtest.CallbackUpdate, cb.Type, "sent: the draft is replaced")
		require.Equal(t, aiDraft, d.wa.WaitForSends(t, 1, waitLong)[0].Text)
	})
}
