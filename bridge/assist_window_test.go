package bridge

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/assist"
)

// Between 24 hours and 7 days on Messenger a draft offers Edit but not
// Send: only the agent's own words may go then (review finding 19).
func TestDraftAfter24HoursOnMessengerOffersOnlyEdit(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_750_000_000, 0)
	conv := Conversation{ID: 3, Channel: ChannelMessenger, LastCustomerAt: now.Add(-30 * time.Hour)}
	body, actions := draftMessage("en", conv, "U1", 9, "Hola", assist.Draft{}, now)
	require.Contains(t, body, Text("en", "assist.draft_edit_only", "Messenger"))
	var verbs []Verb
	for _, a := range actions {
		verbs = append(verbs, a.Verb)
	}
	require.Equal(t, []Verb{VerbEditDraft, VerbDiscard}, verbs)
}
