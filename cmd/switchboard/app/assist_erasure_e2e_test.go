package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/openai/openaitest"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

// A customer deleting a message, in a team that does not keep deleted
// text, erases it from what the assistant made of the conversation too:
// its summaries (shown on the customer's next card) are deleted and its
// drafts lose their text, a draft still shown can no longer be sent.
func TestCustomerDeleteErasesAISummariesAndDrafts(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		ai := openaitest.New(t)
		e := setup(t, dialect, withAI(ai))
		e.customerWrites("34612345678", "Ana", "wamid.er1", time.Now(), "my card is 4111 1111")
		card := e.waitCardAndThread("4111 1111")
		e.agentReplies("EvErSum", card.TS, "1700000400.000100", "UAGENT1", "!summary")
		e.waitThreadText(card.TS, aiSummary)
		e.agentReplies("EvErSug", card.TS, "1700000401.000100", "UAGENT1", "!suggest")
		draft := e.waitEphemeralWith("UAGENT1", aiDraft)
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM conversation_summaries`))
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM ai_drafts WHERE text <> ''`))

		e.customerSends(revokeOf("wamid.er2", "wamid.er1"))
		e.threadHas(card, "The customer deleted a message")
		require.NotContains(t, e.storedText("wamid.er1"), "4111")
		require.Zero(t, e.count(`SELECT COUNT(*) FROM conversation_summaries`), "no summary keeps what was deleted")
		require.Zero(t, e.count(`SELECT COUNT(*) FROM ai_drafts WHERE text <> ''`), "no draft keeps it")
		require.Zero(t, e.count(`SELECT COUNT(*) FROM ai_drafts WHERE state = 'shown'`), "nor can one be sent")

		// Its Send, still on screen, sends nothing and takes the buttons away.
		resp := e.interact(slacktest.PrivateButtonClick("trigErSend", "UAGENT1", channel, card.TS, draft.TS, "sb:send#0",
			draftValueIn(t, draft.Blocks), e.slack.ResponseURL("trigErSend")))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		e.slack.WaitForResponses(t, func(rs []slacktest.Response) bool {
			for _, r := range rs {
				if r.ID == "trigErSend" && r.ReplaceOriginal && strings.Contains(r.Text, "This draft is gone") {
					return true
				}
			}
			return false
		}, waitLong)
		e.waitEphemeralWith("UAGENT1", "already sent or discarded")
		require.Empty(t, e.wa.Sends(), "nothing reached the customer")
	})
}
