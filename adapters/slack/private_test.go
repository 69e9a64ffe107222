package slack

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
)

// A private message's buttons come back, when pressed, as actions with
// their verb, value and conversation; card buttons keep working beside them.
func TestPrivateActionButtonsRoundTrip(t *testing.T) {
	t.Parallel()
	actions := []bridge.PrivateAction{
		{Conversation: 42, Verb: bridge.VerbSend, Label: "Send", Value: "canned:refund@es", Primary: true},
		{Conversation: 42, Verb: bridge.VerbSend, Label: "Send the other", Value: "canned:late"},
		{Conversation: 42, Verb: bridge.VerbTemplate, Label: "Pick a template"},
	}
	raw, err := json.Marshal(actionBlocks("*Preview*", actions))
	require.NoError(t, err)
	var blocks []struct {
		Type     string `json:"type"`
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
			Style    string `json:"style"`
		} `json:"elements"`
	}
	require.NoError(t, json.Unmarshal(raw, &blocks))
	require.Len(t, blocks, 2)
	buttons := blocks[1].Elements
	require.Len(t, buttons, 3)
	require.NotEqual(t, buttons[0].ActionID, buttons[1].ActionID, "Slack wants action ids unique within a block")
	require.Equal(t, "primary", buttons[0].Style)

	for i, b := range buttons {
		payload, err := json.Marshal(map[string]any{
			"type": "block_actions", "trigger_id": "T1", "user": map[string]any{"id": "UAGENT1"},
			"container": map[string]any{"channel_id": "C1", "message_ts": "1.2", "thread_ts": "1.1"},
			"actions":   []map[string]any{{"action_id": b.ActionID, "value": b.Value, "action_ts": "9.9"}},
		})
		require.NoError(t, err)
		acts, err := parseInteraction([]byte(url.Values{"payload": {string(payload)}}.Encode()))
		require.NoError(t, err)
		if actions[i].Verb == bridge.VerbTemplate {
			require.Empty(t, acts, "Send template opens the picker modal instead (template.go)")
			continue
		}
		require.Len(t, acts, 1)
		require.Equal(t, actions[i].Verb, acts[0].Verb)
		require.Equal(t, actions[i].Value, acts[0].Value)
		require.Equal(t, bridge.ConversationID(42), acts[0].ConversationID)
		require.Equal(t, "1.1", acts[0].ThreadKey)
	}
}
