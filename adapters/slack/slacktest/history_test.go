package slacktest_test

import (
	"bytes"
	"net/http"
	"testing"

	slackapi "github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

func TestHistoryShowsTheChannelAsItsMembersSeeIt(t *testing.T) {
	t.Parallel()
	s, err := slacktest.Start("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(s.Close)
	api := slackapi.New(slacktest.Token, slackapi.OptionAPIURL(s.URL()))
	v0, _ := s.Changes()

	_, card, err := api.PostMessage("C1", slackapi.MsgOptionText("card", false))
	require.NoError(t, err)
	said := s.PostAs("C1", card, "UANA", "hello")
	_, _, _, err = api.UpdateMessage("C1", card, slackapi.MsgOptionText("card, updated", false))
	require.NoError(t, err)
	eph, err := api.PostEphemeral("C1", "UANA", slackapi.MsgOptionText("only Ana", false), slackapi.MsgOptionTS(card))
	require.NoError(t, err)
	require.NoError(t, api.AddReaction("white_check_mark", slackapi.ItemRef{Channel: "C1", Timestamp: said}))
	require.NoError(t, s.React("C1", said, "UBRUNO", "white_check_mark", true))
	require.EqualError(t, s.React("C1", said, "UBRUNO", "white_check_mark", true), "already_reacted")
	require.ErrorIs(t, s.React("C1", "1.000001", "UBRUNO", "eyes", true), slacktest.ErrNoMessage)

	h := s.History()
	require.Len(t, h, 3)
	require.Equal(t, []string{card, said, eph}, []string{h[0].TS, h[1].TS, h[2].TS}, "ordered by ts, unique ts")
	require.Equal(t, "card, updated", h[0].Text, "a post as last updated")
	require.True(t, h[0].Bot)
	require.Equal(t, "UANA", h[1].User)
	require.Equal(t, card, h[1].ThreadTS)
	require.Equal(t, []slacktest.ReactionCount{{Name: "white_check_mark", Users: []string{slacktest.BotUserID, "UBRUNO"}}}, h[1].Reactions)
	require.Equal(t, "UANA", h[2].EphemeralTo)
	v1, _ := s.Changes()
	require.Greater(t, v1, v0, "every change moves the version")

	// A response_url of a click on the ephemeral replaces it; one of a
	// slash command adds an ephemeral; delete_original removes.
	post := func(url, body string) {
		resp, err := http.Post(url, "application/json", bytes.NewBufferString(body))
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	post(s.ResponseURLFor("r1", "UANA", "C1", card, eph), `{"replace_original":true,"text":"sent ✓"}`)
	post(s.ResponseURLFor("r2", "UANA", "C1", "", ""), `{"response_type":"ephemeral","text":"your status"}`)
	h = s.History()
	require.Len(t, h, 4)
	require.Equal(t, "sent ✓", h[2].Text)
	require.Equal(t, "your status", h[3].Text)
	require.Equal(t, "UANA", h[3].EphemeralTo)
	post(s.ResponseURLFor("r3", "UANA", "C1", card, eph), `{"delete_original":true}`)
	require.Len(t, s.History(), 3)
}

func TestModalsBelongToWhoOpenedThemAndCloseAsSlackDoes(t *testing.T) {
	t.Parallel()
	s, err := slacktest.Start("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(s.Close)
	api := slackapi.New(slacktest.Token, slackapi.OptionAPIURL(s.URL()))
	modal := func(title string) slackapi.ModalViewRequest {
		return slackapi.ModalViewRequest{Type: slackapi.VTModal, Title: slackapi.NewTextBlockObject("plain_text", title, false, false),
			Blocks: slackapi.Blocks{BlockSet: []slackapi.Block{slackapi.NewSectionBlock(slackapi.NewTextBlockObject("mrkdwn", "hi", false, false), nil, nil)}}}
	}
	opened, err := api.OpenView(s.NewTrigger("UANA"), modal("First"))
	require.NoError(t, err)
	views := s.OpenViews()
	require.Len(t, views, 1)
	require.Equal(t, "UANA", views[0].User)

	action, pushed, err := s.ApplyViewResponse(opened.ID, []byte(`{"response_action":"push","view":{"type":"modal","title":{"type":"plain_text","text":"Second"},"blocks":[]}}`))
	require.NoError(t, err)
	require.Equal(t, "push", action)
	require.Len(t, s.OpenViews(), 2, "a pushed view stacks on the first")

	_, _, err = s.ApplyViewResponse(pushed, []byte(`{"response_action":"errors","errors":{"b":"say more"}}`))
	require.NoError(t, err)
	require.Equal(t, map[string]string{"b": "say more"}, s.OpenViews()[1].Errors)

	require.Error(t, s.CloseView("UBRUNO", pushed), "only its user closes it")
	require.NoError(t, s.CloseView("UANA", pushed))
	require.Len(t, s.OpenViews(), 1, "Back shows the first again")
	_, _, err = s.ApplyViewResponse(opened.ID, nil)
	require.NoError(t, err)
	require.Empty(t, s.OpenViews(), "an empty answer closes the submitted view")
}
