package slack

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/bridge"
)

func TestReactionEventsReachTheBridgeWithoutOurOwn(t *testing.T) {
	t.Parallel()
	b := setup(t)
	post := func(eventID, user, name string, added bool) {
		t.Helper()
		resp := slacktest.PostEvent(t, b.events(), testSecret,
			slacktest.ReactionEvent(eventID, user, name, "C0SUPPORT01", "1700000000.000200", slacktest.BotUserID, added))
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	post("Ev1", "UAGENT1", "+1::skin-tone-3", true)
	post("Ev2", slacktest.BotUserID, "outbox_tray", true) // our status mark
	post("Ev3", slacktest.BotUserID, "heart", true)       // our mirror of a customer's reaction
	post("Ev4", "UAGENT1", "party-parrot", true)          // a custom emoji: the bridge explains
	post("Ev5", "UAGENT1", "party-parrot", false)         // its removal: nothing to take back
	post("Ev6", "UAGENT1", "heart", false)

	b.inbound.mu.Lock()
	got := append([]bridge.AgentReaction(nil), b.inbound.reacts...)
	b.inbound.mu.Unlock()
	for i := range got {
		require.False(t, got[i].At.IsZero(), "the event's time (event_ts)")
		got[i].At = time.Time{} // compared below without it
	}
	want := func(id, emoji string, removed bool) bridge.AgentReaction {
		return bridge.AgentReaction{Workspace: bridge.WorkspaceSlack, EventID: id, ChannelID: "C0SUPPORT01",
			MessageKey: "1700000000.000200", UserID: "UAGENT1", Emoji: emoji, Removed: removed}
	}
	require.Equal(t, []bridge.AgentReaction{want("Ev1", "👍🏼", false), want("Ev4", "", false), want("Ev6", "❤️", true)}, got)
	require.Empty(t, b.inbound.Messages(), "a reaction is no message")
}
