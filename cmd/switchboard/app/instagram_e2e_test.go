package app_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestInstagramInboundThreadReply: a customer's Instagram DM opens a
// thread; the agent's reply reaches Instagram as the Send API body the
// docs show, on Instagram Login's path; a retried webhook changes nothing.
func TestInstagramInboundThreadReply(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setupInstagram(t, dialect)
		now := time.Now()
		e.instagramWrites(igAccount, "1254459154682919", "aWdfZAG1faXRlbTox", "Do you ship to Porto?", now)
		e.instagramWrites(igAccount, "1254459154682919", "aWdfZAG1faXRlbTox", "Do you ship to Porto?", now) // Meta's retry
		card := e.waitCardAndThread("Do you ship to Porto?")

		e.agentReplies("Ev-ig-1", card.TS, "1700000001.000100", "UAGENT1", "Yes, in 2 days")
		sends := e.waitIGMessages(1)
		require.Equal(t, "/v23.0/"+igAccount+"/messages", sends[0].Path)
		require.JSONEq(t, `{"recipient":{"id":"1254459154682919"},"message":{"text":"Yes, in 2 days"}}`, string(sends[0].Raw))
		texts := inThread(e.slack.Posts(), card.TS)
		require.Equal(t, 1, containsText(texts, "Do you ship to Porto?"), "the retry added nothing")
	})
}
