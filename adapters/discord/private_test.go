package discord

import (
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
)

func TestPrivateActionCustomIDsRoundTrip(t *testing.T) {
	t.Parallel()
	for _, a := range []bridge.PrivateAction{
		{Conversation: 7, Verb: bridge.VerbSend, Value: "canned:refund@es"},
		{Conversation: 7, Verb: bridge.VerbTemplate},
	} {
		id := ActionCustomID(a)
		require.LessOrEqual(t, len(id), maxCustomIDChars)
		verb, conv, value, err := ParseActionCustomID(id)
		require.NoError(t, err)
		require.Equal(t, a.Verb, verb)
		require.Equal(t, a.Conversation, conv)
		require.Equal(t, a.Value, value)
	}
	verb, conv, value, err := ParseActionCustomID(CustomID(bridge.VerbClaim, 9))
	require.NoError(t, err, "a card button's custom_id still reads")
	require.Equal(t, bridge.VerbClaim, verb)
	require.Equal(t, bridge.ConversationID(9), conv)
	require.Empty(t, value)

	rows := ActionComponents([]bridge.PrivateAction{{Conversation: 7, Verb: bridge.VerbSend, Label: "Send", Primary: true}})
	require.Len(t, rows, 1)
	btn := rows[0].(discordgo.ActionsRow).Components[0].(discordgo.Button)
	require.Equal(t, discordgo.PrimaryButton, btn.Style)
	require.Equal(t, "sb:send:7", btn.CustomID)
	require.Nil(t, ActionComponents(nil), "no actions, no components")
}
