package slack

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/bridge"
)

func newWorkspace(t *testing.T, customize bool) (*Workspace, *slacktest.Server) {
	t.Helper()
	fake := slacktest.New(t)
	w := NewWorkspace(Config{Token: slacktest.Token, APIURL: fake.URL(), HTTPClient: fake.Client(), CustomizeIdentity: customize})
	return w, fake
}

var testCard = bridge.Card{
	ConversationID: 7,
	Title:          "Sheena Nelson",
	Fields:         []bridge.CardField{{Label: "Status", Value: "Pending"}},
	Buttons:        []bridge.CardButton{{Verb: bridge.VerbClaim, Label: "Claim", Primary: true}},
}

func openThread(t *testing.T, w *Workspace) bridge.ThreadRef {
	t.Helper()
	thread, err := w.OpenThread(context.Background(), "C1", testCard)
	require.NoError(t, err)
	return thread
}

func requireDeliveryError(t *testing.T, err error, permanent bool, reason bridge.FailureReason) *bridge.DeliveryError {
	t.Helper()
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok, "want a *bridge.DeliveryError, got %v", err)
	require.Equal(t, permanent, de.Permanent, de.Error())
	require.Equal(t, reason, de.Reason, de.Error())
	return de
}

func TestWorkspaceOpensAndUpdatesCard(t *testing.T) {
	t.Parallel()
	w, fake := newWorkspace(t, false)
	ctx := context.Background()
	require.Equal(t, bridge.WorkspaceSlack, w.Kind())

	thread := openThread(t, w)
	require.Equal(t, "C1", thread.ChannelID)
	require.NotEmpty(t, thread.ThreadKey)
	require.Equal(t, thread.ThreadKey, thread.CardKey)
	posts := fake.Posts()
	require.Len(t, posts, 1)
	require.Empty(t, posts[0].ThreadTS)
	require.Contains(t, string(posts[0].Blocks), `"action_id":"sb:claim"`)
	require.Equal(t, "Sheena Nelson", posts[0].Text)

	other := openThread(t, w)
	require.NotEqual(t, thread.ThreadKey, other.ThreadKey, "every ts is unique")

	card := testCard
	card.Fields = []bridge.CardField{{Label: "Status", Value: "Claimed by Ana"}}
	require.NoError(t, w.UpdateCard(ctx, thread, card))
	updates := fake.Updates()
	require.Len(t, updates, 1)
	require.Equal(t, thread.CardKey, updates[0].TS)
	require.Contains(t, string(updates[0].Blocks), "Claimed by Ana")

	err := w.UpdateCard(ctx, bridge.ThreadRef{ChannelID: "C1", ThreadKey: "1.000009", CardKey: "1.000009"}, card)
	requireDeliveryError(t, err, true, bridge.ReasonInvalidRequest)

	require.Equal(t, "https://slack.com/archives/C1/p"+strings.Replace(thread.ThreadKey, ".", "", 1), w.Link(thread))
}

func TestWorkspacePostsEscapedCustomerText(t *testing.T) {
	t.Parallel()
	w, fake := newWorkspace(t, false)
	thread := openThread(t, w)
	key, err := w.Post(context.Background(), thread, bridge.Post{
		Kind: bridge.PostCustomer, AuthorName: "Sheena *N*", Text: "hi <!channel> *please* & thanks",
	})
	require.NoError(t, err)
	posts := fake.WaitForPosts(t, func(p []slacktest.Message) bool { return len(p) == 2 }, 5*time.Second)
	require.Equal(t, key, posts[1].TS)
	require.Equal(t, thread.ThreadKey, posts[1].ThreadTS)
	require.Equal(t, "*Sheena N:* hi &lt;!channel&gt; *please* &amp; thanks", posts[1].Text)
	require.Empty(t, posts[1].Username)
}

func TestWorkspaceCustomIdentityAndSplitting(t *testing.T) {
	t.Parallel()
	w, fake := newWorkspace(t, true)
	thread := openThread(t, w)
	long := strings.Repeat("palabra ", 1200) // ~9,600 bytes: three messages
	key, err := w.Post(context.Background(), thread, bridge.Post{Kind: bridge.PostCustomer, AuthorName: "Sheena", Text: long})
	require.NoError(t, err)
	posts := fake.Posts()[1:]
	require.Len(t, posts, 3)
	require.Equal(t, key, posts[0].TS, "the key is the first piece")
	for _, p := range posts {
		require.Equal(t, "Sheena", p.Username)
		require.Equal(t, thread.ThreadKey, p.ThreadTS)
		require.LessOrEqual(t, len(p.Text), MaxMessageBytes)
	}
}

func TestWorkspaceMarksAreSwappedReactions(t *testing.T) {
	t.Parallel()
	w, fake := newWorkspace(t, false)
	ctx := context.Background()
	thread := openThread(t, w)
	msg := "1700000000.000555" // an agent's message

	require.NoError(t, w.SetMark(ctx, thread, msg, "", bridge.MarkSent))
	require.NoError(t, w.SetMark(ctx, thread, msg, bridge.MarkSent, bridge.MarkDelivered))
	require.NoError(t, w.SetMark(ctx, thread, msg, bridge.MarkDelivered, bridge.MarkRead))
	require.Equal(t, []slacktest.Reaction{{Channel: "C1", Timestamp: msg, Name: MarkEmoji[bridge.MarkRead]}}, fake.Reactions())

	// A retried job runs the same step again: no error.
	require.NoError(t, w.SetMark(ctx, thread, msg, bridge.MarkDelivered, bridge.MarkRead))
	require.Len(t, fake.Reactions(), 1)

	err := w.SetMark(ctx, thread, "F0000001", "", bridge.MarkSent)
	requireDeliveryError(t, err, true, bridge.ReasonInvalidRequest)
}

func TestWorkspaceReactions(t *testing.T) {
	t.Parallel()
	w, fake := newWorkspace(t, false)
	ctx := context.Background()
	thread := openThread(t, w)
	msg := "1700000000.000777"

	require.NoError(t, w.React(ctx, thread, msg, "👍🏽", false))
	require.NoError(t, w.React(ctx, thread, msg, "❤️", false))
	require.NoError(t, w.React(ctx, thread, msg, "❤️", false), "already reacted is fine")
	require.Equal(t, []slacktest.Reaction{
		{Channel: "C1", Timestamp: msg, Name: "+1::skin-tone-4"},
		{Channel: "C1", Timestamp: msg, Name: "heart"},
	}, fake.Reactions())
	require.NoError(t, w.React(ctx, thread, msg, "👍🏽", true))
	require.NoError(t, w.React(ctx, thread, msg, "👍🏽", true), "no reaction is fine")
	require.Len(t, fake.Reactions(), 1)

	require.NoError(t, w.React(ctx, thread, msg, "🦩", false))
	posts := fake.Posts()
	require.Equal(t, "_reacted with 🦩_", posts[len(posts)-1].Text)
	require.Equal(t, thread.ThreadKey, posts[len(posts)-1].ThreadTS)
}

func TestWorkspaceTellsPrivately(t *testing.T) {
	t.Parallel()
	w, fake := newWorkspace(t, false)
	thread := openThread(t, w)
	require.NoError(t, w.TellPrivately(context.Background(), thread, "U9", "Outside the 24h window <sorry>"))
	require.Equal(t, []slacktest.Message{{
		Channel: "C1", TS: fake.Ephemerals()[0].TS, ThreadTS: thread.ThreadKey, User: "U9",
		Text: "Outside the 24h window &lt;sorry&gt;",
	}}, fake.Ephemerals())
}

func TestWorkspaceUploadsFilesV2(t *testing.T) {
	t.Parallel()
	w, fake := newWorkspace(t, false)
	thread := openThread(t, w)
	data := []byte("\x89PNG fake image bytes")
	key, err := w.PostFile(context.Background(), thread, bridge.File{Name: "photo.png", MimeType: "image/png", Data: data}, "from *Sheena*")
	require.NoError(t, err)
	ups := fake.WaitForUploads(t, func(u []slacktest.Upload) bool { return len(u) == 1 }, 5*time.Second)
	require.Equal(t, slacktest.Upload{FileID: key, Filename: "photo.png", Title: "photo.png", Data: data,
		Channel: "C1", ThreadTS: thread.ThreadKey, InitialComment: "from *Sheena*"}, ups[0])

	_, err = w.PostFile(context.Background(), thread, bridge.File{Name: "empty"}, "")
	requireDeliveryError(t, err, true, bridge.ReasonMediaRejected)
}

func TestWorkspaceDownloadsWithToken(t *testing.T) {
	t.Parallel()
	w, fake := newWorkspace(t, false)
	url := fake.AddFile("notes.txt", []byte("hello"))
	f, err := w.DownloadFile(context.Background(), bridge.AgentFile{ID: "F1", Name: "notes.txt", MimeType: "text/plain", URL: url})
	require.NoError(t, err)
	require.Equal(t, bridge.File{Name: "notes.txt", MimeType: "text/plain", Data: []byte("hello")}, f)

	stranger := NewWorkspace(Config{Token: "xoxb-wrong", APIURL: fake.URL()})
	_, err = stranger.DownloadFile(context.Background(), bridge.AgentFile{URL: url})
	requireDeliveryError(t, err, true, bridge.ReasonTokenExpired)

	_, err = w.DownloadFile(context.Background(), bridge.AgentFile{URL: "https://evil.example/steal"})
	requireDeliveryError(t, err, true, bridge.ReasonInvalidRequest)
}

func TestWorkspaceClassifiesFailures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		failure   slacktest.Failure
		permanent bool
		reason    bridge.FailureReason
	}{
		{"a 429 asks us to wait", slacktest.RateLimited(7 * time.Second), false, bridge.ReasonRateLimited},
		{"a 500 is transient", slacktest.ServerError(500), false, bridge.ReasonTemporary},
		{"a 503 is transient", slacktest.ServerError(503), false, bridge.ReasonTemporary},
		{"channel_not_found is permanent", slacktest.SlackError("channel_not_found"), true, bridge.ReasonNotInChannel},
		{"not_in_channel is permanent", slacktest.SlackError("not_in_channel"), true, bridge.ReasonNotInChannel},
		{"is_archived is permanent", slacktest.SlackError("is_archived"), true, bridge.ReasonNotInChannel},
		{"invalid_auth needs a new token", slacktest.SlackError("invalid_auth"), true, bridge.ReasonTokenExpired},
		{"token_revoked needs a new token", slacktest.SlackError("token_revoked"), true, bridge.ReasonTokenExpired},
		{"msg_too_long is our bug", slacktest.SlackError("msg_too_long"), true, bridge.ReasonInvalidRequest},
		{"invalid_blocks is our bug", slacktest.SlackError("invalid_blocks"), true, bridge.ReasonInvalidRequest},
		{"internal_error is transient", slacktest.SlackError("internal_error"), false, bridge.ReasonTemporary},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			w, fake := newWorkspace(t, false)
			fake.FailNext("chat.postMessage", 1, c.failure)
			_, err := w.OpenThread(context.Background(), "C1", testCard)
			de := requireDeliveryError(t, err, c.permanent, c.reason)
			if c.failure.RetryAfter > 0 {
				require.Equal(t, c.failure.RetryAfter, de.RetryAfter)
				require.Equal(t, "ratelimited", de.Code)
			}
			// The failure was used up: the next call works.
			_, err = w.OpenThread(context.Background(), "C1", testCard)
			require.NoError(t, err)
		})
	}
}

func TestWorkspaceNetworkErrorIsTransient(t *testing.T) {
	t.Parallel()
	w := NewWorkspace(Config{Token: slacktest.Token, APIURL: "http://127.0.0.1:1/api/"})
	_, err := w.Post(context.Background(), bridge.ThreadRef{ChannelID: "C1", ThreadKey: "1.000001"}, bridge.Post{Kind: bridge.PostSystem, Text: "x"})
	requireDeliveryError(t, err, false, bridge.ReasonTemporary)
}

func TestFakeChannelLimit(t *testing.T) {
	t.Parallel()
	w, fake := newWorkspace(t, false)
	fake.LimitChannel("C1", 2)
	thread := openThread(t, w) // first post of the second
	var limited *bridge.DeliveryError
	for range 3 {
		_, err := w.Post(context.Background(), thread, bridge.Post{Kind: bridge.PostSystem, Text: "x"})
		if de, ok := bridge.AsDeliveryError(err); ok {
			limited = de
			break
		}
	}
	require.NotNil(t, limited, "a third post within a second is refused")
	require.Equal(t, time.Second, limited.RetryAfter)
}

func TestFakeUsersAndAuth(t *testing.T) {
	t.Parallel()
	w, fake := newWorkspace(t, false)
	fake.AddUser("U42", "Ana")
	u, err := w.Client().GetUserInfoContext(context.Background(), "U42")
	require.NoError(t, err)
	require.Equal(t, "Ana", u.Profile.DisplayName)
	auth, err := w.Client().AuthTestContext(context.Background())
	require.NoError(t, err)
	require.Equal(t, slacktest.BotUserID, auth.UserID)
	require.Equal(t, slacktest.BotID, auth.BotID)
	raw, err := json.Marshal(auth)
	require.NoError(t, err)
	require.Contains(t, string(raw), slacktest.TeamID)
}

// A ref without a thread key posts top-level in the channel: digests,
// shared metrics and supervisors' alerts.
func TestWorkspacePostsTopLevelWithoutThreadKey(t *testing.T) {
	t.Parallel()
	w, fake := newWorkspace(t, false)
	ctx := context.Background()
	channel := bridge.ThreadRef{Workspace: bridge.WorkspaceSlack, ChannelID: "C2"}
	key, err := w.Post(ctx, channel, bridge.Post{Kind: bridge.PostSystem, Text: "📊 {@U1} shared these metrics:\n```\nReceived 1\n```"})
	require.NoError(t, err)
	posts := fake.Posts()
	require.Len(t, posts, 1)
	require.Equal(t, key, posts[0].TS)
	require.Equal(t, "C2", posts[0].Channel)
	require.Empty(t, posts[0].ThreadTS)
	require.Equal(t, "📊 <@U1> shared these metrics:\n```\nReceived 1\n```", posts[0].Text)

	_, err = w.PostFile(ctx, channel, bridge.File{Name: "digest.png", MimeType: "image/png", Data: []byte("png")}, "*Daily digest*")
	require.NoError(t, err)
	ups := fake.WaitForUploads(t, func(u []slacktest.Upload) bool { return len(u) == 1 }, 5*time.Second)
	require.Equal(t, "C2", ups[0].Channel)
	require.Empty(t, ups[0].ThreadTS)
	require.Equal(t, "*Daily digest*", ups[0].InitialComment)
}
