package slack

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

// Which message_changed and message_deleted events reach the bridge, as
// what: a person's edit or deletion of a thread reply does; our own bot's
// updates (cards, posts), other bots', unfurls that keep the text, and
// messages outside threads do not.
func TestRevisionEventsBecomeAgentEditsAndDeletes(t *testing.T) {
	t.Parallel()
	h := &Handler{BotUserID: slacktest.BotUserID, BotID: slacktest.BotID, AppID: "AFAKEAPP"}
	const ch, thread, ts, at = "C1", "1700000000.000100", "1700000001.000100", "1700000002.000100"
	otherBot := func() []byte {
		var env map[string]any
		_ = json.Unmarshal(slacktest.MessageEdited("Ev", ch, thread, ts, at, "U1", "a", "b"), &env)
		env["event"].(map[string]any)["message"].(map[string]any)["bot_id"] = "BOTHER"
		raw, _ := json.Marshal(env)
		return raw
	}
	tests := []struct {
		name            string
		body            []byte
		handled         bool
		edit, del       bool
		wantText, actor string
	}{
		{"a person edits a reply", slacktest.MessageEdited("Ev", ch, thread, ts, at, "U1", "see you at *5*", "see you at *6*"), true, true, false, "see you at *6*", "U1"},
		{"a person deletes a reply", slacktest.MessageDeleted("Ev", ch, thread, ts, at, "U1", "oops"), true, false, true, "", "U1"},
		{"an unfurl keeps the text", slacktest.MessageEdited("Ev", ch, thread, ts, at, "U1", "see https://x.y", "see https://x.y"), true, false, false, "", ""},
		{"our bot updates its card", slacktest.BotMessageEdited("Ev", ch, "", thread, at, "card", "card, claimed"), true, false, false, "", ""},
		{"our bot updates a post", slacktest.BotMessageEdited("Ev", ch, thread, ts, at, "*Ana:* hi", "*Ana:* 🗑 deleted"), true, false, false, "", ""},
		{"another bot edits", otherBot(), true, false, false, "", ""},
		{"an edit outside threads", slacktest.MessageEdited("Ev", ch, "", ts, at, "U1", "a", "b"), true, false, false, "", ""},
		{"a plain reply is not a revision", slacktest.ThreadReply("Ev", ch, thread, ts, "U1", "hi"), false, false, false, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env, err := parseEnvelope(tc.body)
			require.NoError(t, err)
			handled, edit, del, _ := h.agentRevision(context.Background(), env)
			require.Equal(t, tc.handled, handled)
			require.Equal(t, tc.edit, edit != nil, "edit")
			require.Equal(t, tc.del, del != nil, "delete")
			if edit != nil {
				require.Equal(t, tc.wantText, edit.Text)
				require.Equal(t, tc.actor, edit.AuthorID)
				require.Equal(t, ts, edit.MessageKey)
				require.Equal(t, thread, edit.ThreadKey)
				require.Equal(t, "Ev", edit.EventID)
			}
			if del != nil {
				require.Equal(t, ts, del.MessageKey)
				require.Equal(t, thread, del.ThreadKey)
				require.Equal(t, tc.actor, del.AuthorID)
			}
		})
	}
}
