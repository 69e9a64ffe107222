package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestAgentReplyReplayedAfterItsEventIdIsPrunedIsNotSentAgain: processed
// event ids are pruned after delivery.retention, but a platform may replay
// an agent's message later (a Discord catch-up fetching a thread from its
// start). The stored message itself recognises the replay.
func TestAgentReplyReplayedAfterItsEventIdIsPrunedIsNotSentAgain(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.dd1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")
		e.agentReplies("EvDD1", card.TS, "1700000400.000100", "UAGENT1", "Sí, lo tenemos")
		e.wa.WaitForSends(t, 1, waitLong)

		pruned, err := e.app.DB.Prune(context.Background(), time.Now().Add(time.Hour))
		require.NoError(t, err)
		require.Positive(t, pruned.Events, "the reply's event id is gone")

		e.agentReplies("EvDD1", card.TS, "1700000400.000100", "UAGENT1", "Sí, lo tenemos")
		// A later reply sorts after the replay in the customer lane, so once
		// it is sent a resent replay would have been sent already.
		e.agentReplies("EvDD2", card.TS, "1700000401.000100", "UAGENT1", "¿Algo más?")
		sends := e.wa.WaitForSends(t, 2, waitLong)
		require.Len(t, e.wa.Sends(), 2)
		require.Equal(t, "¿Algo más?", sends[1].Text, "the replay was not sent again")
	})
}
