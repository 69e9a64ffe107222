package app_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestRetriedOlderReplyIsSentBeforeANewerOne: Slack delivers reply B, then
// (a retry) the older reply A, within the reply ordering window. The
// customer receives A then B: replies are ordered by their Slack ts, not
// by when they reached us.
func TestRetriedOlderReplyIsSentBeforeANewerOne(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withReplyOrderWindow(2*time.Second))
		e.customerWrites("34612345678", "Ana", "wamid.ord1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")

		e.agentReplies("EvB", card.TS, "1700000501.000200", "UAGENT1", "B: and it ships tomorrow")
		e.agentReplies("EvA", card.TS, "1700000500.000100", "UAGENT1", "A: yes, we have it")
		sends := e.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "A: yes, we have it", sends[0].Text, "the older reply first")
		require.Equal(t, "B: and it ships tomorrow", sends[1].Text)
	})
}
