package app_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/openai/openaitest"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

// A draft of a conversation that was resolved, the customer having
// written since in a newer one, is refused like any reply there: nothing
// reaches the customer, the draft stays unsent and uncounted, the agent is
// told where to answer.
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
	})
}
