package slack

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

func TestEventsAreRefusedUntilTheBotIdentityIsKnown(t *testing.T) {
	t.Parallel()
	b := setup(t, func(h *Handler) { h.BotUserID, h.BotID = "", "" })
	own := slacktest.FileShare("EvF1", "C1", "100.000001", "100.000002", slacktest.BotUserID, "",
		slacktest.SharedFile{ID: "F1", Name: "a.png", Mimetype: "image/png", Size: 3,
			URL: "https://files.slack.com/files-pri/T-F1/download/a.png", User: slacktest.BotUserID})

	resp := slacktest.PostEvent(t, b.events(), testSecret, own)
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	require.Empty(t, resp.Header.Get("X-Slack-No-Retry"))
	require.Empty(t, b.inbound.Messages())

	challenge := slacktest.PostEvent(t, b.events(), testSecret, []byte(`{"type":"url_verification","challenge":"c1"}`))
	require.Equal(t, http.StatusOK, challenge.StatusCode, "the URL handshake does not wait")

	b.handler.SetIdentity(Identity{UserID: slacktest.BotUserID, BotID: slacktest.BotID, TeamID: slacktest.TeamID})
	require.Equal(t, http.StatusOK, slacktest.PostEvent(t, b.events(), testSecret, own).StatusCode)
	require.Empty(t, b.inbound.Messages(), "our own upload is recognised once the identity is known")
}

func TestFilesOurBotUploadedAreNotAnAgentsFiles(t *testing.T) {
	t.Parallel()
	b := setup(t)
	url := "https://files.slack.com/files-pri/T-F/download/"
	ours := slacktest.SharedFile{ID: "FOURS", Name: "c.png", Mimetype: "image/png", Size: 3, URL: url + "c.png", User: slacktest.BotUserID}
	theirs := slacktest.SharedFile{ID: "FTHEIRS", Name: "d.pdf", Mimetype: "application/pdf", Size: 3, URL: url + "d.pdf", User: "UAGENT1"}

	for _, ev := range [][]byte{
		slacktest.FileShare("Ev1", "C1", "100.000001", "100.000002", slacktest.BotUserID, "", ours),
		slacktest.FileShare("Ev2", "C1", "100.000001", "100.000003", "UAGENT1", "", ours),
	} {
		require.Equal(t, http.StatusOK, slacktest.PostEvent(t, b.events(), testSecret, ev).StatusCode)
	}
	require.Empty(t, b.inbound.Messages(), "only our own files: nothing for the bridge")

	require.Equal(t, http.StatusOK, slacktest.PostEvent(t, b.events(), testSecret,
		slacktest.FileShare("Ev3", "C1", "100.000001", "100.000004", "UAGENT1", "here", ours, theirs)).StatusCode)
	msgs := b.inbound.Messages()
	require.Len(t, msgs, 1)
	require.Equal(t, "here", msgs[0].Text)
	require.Len(t, msgs[0].Files, 1, "the agent's own file is kept, ours is not")
	require.Equal(t, "FTHEIRS", msgs[0].Files[0].ID)
}

func TestAConfiguredBotUserIDAndTheLearnedOneAreBothOurs(t *testing.T) {
	t.Parallel()
	b := setup(t, func(h *Handler) { h.BotUserID = "UCONFIGURED" })
	b.handler.SetIdentity(Identity{UserID: slacktest.BotUserID, BotID: slacktest.BotID})
	for i, user := range []string{"UCONFIGURED", slacktest.BotUserID} {
		ev := slacktest.FileShare("EvC"+user, "C1", "100.000001", "100.00000"+string(rune('2'+i)), user, "",
			slacktest.SharedFile{ID: "F" + user, Name: "a.png", Mimetype: "image/png", Size: 3,
				URL: "https://files.slack.com/files-pri/T-F/download/a.png", User: user})
		require.Equal(t, http.StatusOK, slacktest.PostEvent(t, b.events(), testSecret, ev).StatusCode)
	}
	require.Empty(t, b.inbound.Messages())
}
