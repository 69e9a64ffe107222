package slack

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
)

// The edit form holds the draft (cut to what a Slack input holds) and
// carries the draft and its message's response_url to the submission; a
// draft that can no longer be edited gets a form without an input.
func TestDraftModal(t *testing.T) {
	t.Parallel()
	target := draftTarget{Conversation: "12", Value: "draft:7", Channel: "C1", Thread: "1.2", ResponseURL: "https://hooks.slack.com/actions/x"}
	raw, err := json.Marshal(draftModal("es", target, "Hola Ana\n"+strings.Repeat("é", 4000), true))
	require.NoError(t, err)
	var v struct {
		Title           struct{ Text string }  `json:"title"`
		Submit          *struct{ Text string } `json:"submit"`
		CallbackID      string                 `json:"callback_id"`
		PrivateMetadata string                 `json:"private_metadata"`
		Blocks          []struct {
			BlockID string `json:"block_id"`
			Element struct {
				ActionID     string `json:"action_id"`
				Multiline    bool   `json:"multiline"`
				MaxLength    int    `json:"max_length"`
				InitialValue string `json:"initial_value"`
			} `json:"element"`
		} `json:"blocks"`
	}
	require.NoError(t, json.Unmarshal(raw, &v))
	require.Equal(t, DraftCallbackID, v.CallbackID)
	require.Equal(t, "Editar la sugerencia", v.Title.Text)
	require.NotNil(t, v.Submit)
	require.Len(t, v.Blocks, 1)
	in := v.Blocks[0].Element
	require.Equal(t, draftBlock, v.Blocks[0].BlockID)
	require.Equal(t, draftAction, in.ActionID)
	require.True(t, in.Multiline)
	require.Equal(t, maxDraftInput, in.MaxLength)
	require.True(t, strings.HasPrefix(in.InitialValue, "Hola Ana\n"))
	require.Equal(t, maxDraftInput, len([]rune(in.InitialValue)), "cut to what the input holds")
	var meta draftTarget
	require.NoError(t, json.Unmarshal([]byte(v.PrivateMetadata), &meta))
	require.Equal(t, target, meta)

	raw, err = json.Marshal(draftModal("en", target, "", false))
	require.NoError(t, err)
	require.NotContains(t, string(raw), "plain_text_input")
	require.NotContains(t, string(raw), `"submit"`)
	require.Contains(t, string(raw), "can no longer be edited")
}

// A draft's Edit opens a modal: it never reaches the bridge as an action.
func TestEditDraftIsNotAnAction(t *testing.T) {
	t.Parallel()
	payload := `{"type":"block_actions","trigger_id":"t1","user":{"id":"U1"},"container":{"channel_id":"C1","message_ts":"5.6","thread_ts":"1.2"},
"actions":[{"action_id":"sb:edit_draft#1","value":"12/draft:7"},{"action_id":"sb:discard#2","value":"12/draft:7"}]}`
	acts, err := parseInteraction([]byte("payload=" + url.QueryEscape(payload)))
	require.NoError(t, err)
	require.Len(t, acts, 1)
	require.Equal(t, bridge.VerbDiscard, acts[0].Verb)
	require.Equal(t, "draft:7", acts[0].Value)
	require.True(t, isDraftAction(acts[0]))
	require.False(t, isDraftAction(bridge.AgentAction{Verb: bridge.VerbSend, Value: "canned:hi@en"}))
}
