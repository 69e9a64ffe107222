package report

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
)

// An agent-started conversation is counted as started, not received, and
// the customer's answer to the business's template starts a reply-time
// clock, never a first response.
func TestObserveAgentStartedConversation(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	c := Conversation{ID: 7, Inbox: "in1", Team: "sales", State: bridge.StateAssigned, Assignee: "U1", OpenedAt: at}
	evs := []Event{
		{Seq: 1, ConversationID: 7, Kind: bridge.EventStarted, Actor: "U1", Data: "sales", At: at},
		{Seq: 2, ConversationID: 7, Kind: bridge.EventClaimed, Actor: "U1", Data: "started", At: at},
		{Seq: 3, ConversationID: 7, Kind: bridge.EventReplied, Actor: "U1", At: at},
		{Seq: 4, ConversationID: 7, Kind: bridge.EventReceived, Data: "text", At: at.Add(time.Hour)},
		{Seq: 5, ConversationID: 7, Kind: bridge.EventReplied, Actor: "U1", At: at.Add(time.Hour + 5*time.Minute)},
	}
	obs, waiting := Observe(c, evs, func(string) BusinessHours { return nil }, nil)
	kinds := map[ObservationKind]int{}
	for _, o := range obs {
		kinds[o.Kind]++
		if o.Kind == ObsNextResponse {
			require.Equal(t, 5*time.Minute, o.Wall)
		}
		require.Equal(t, "sales", o.Team)
	}
	require.Equal(t, 1, kinds[ObsStarted])
	require.Zero(t, kinds[ObsOpened], "not a received conversation")
	require.Zero(t, kinds[ObsFirstResponse], "the business wrote first")
	require.Equal(t, 1, kinds[ObsNextResponse])
	require.Equal(t, 1, kinds[ObsAssigned])
	require.True(t, waiting.Since.IsZero())
}
