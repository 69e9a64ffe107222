package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
)

// withSlackMethodDown makes a Slack Web API method fail (HTTP 503) from
// before start-up until the test heals it.
func withSlackMethodDown(method string) option {
	return func(e *env, _ *strings.Builder) {
		e.slack.FailAlways(method, slacktest.ServerError(http.StatusServiceUnavailable))
	}
}

// messageSends drops read receipts from the Graph fake's record.
func messageSends(sends []whatsapptest.Send) []whatsapptest.Send {
	var out []whatsapptest.Send
	for _, s := range sends {
		if s.Type != "" {
			out = append(out, s)
		}
	}
	return out
}

// waitMessageSends waits until n messages (read receipts aside) reached
// the Graph fake.
func (e *env) waitMessageSends(n int) []whatsapptest.Send {
	e.t.Helper()
	var got []whatsapptest.Send
	require.Eventually(e.t, func() bool {
		got = messageSends(e.wa.Sends())
		return len(got) >= n
	}, waitLong, 10*time.Millisecond, "%d messages reach the customer", n)
	return got
}

func (e *env) postSlackEvent(body []byte) int {
	e.t.Helper()
	return slacktest.PostEvent(e.t, e.baseURL+"/slack/events", signingSecret, body).StatusCode
}

// TestSlackEventsWaitUntilTheBotKnowsWhoItIs: while auth.test has not
// answered, our bot's own upload looks like anyone's file_share. Events are
// refused with 503 (no X-Slack-No-Retry, so Slack retries) until the
// identity is known; the same deliveries are then accepted, the agent's
// reply reaches the customer and our own upload never does.
func TestSlackEventsWaitUntilTheBotKnowsWhoItIs(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withSlackMethodDown("auth.test"))
		e.customerWrites("34612345678", "Ana", "wamid.id1", time.Now(), "here is my photo")
		card := e.waitCardAndThread("here is my photo")

		// The bridge mirrored a customer's image into the thread; Slack
		// announces our own upload as a file_share by our bot user.
		url := e.slack.AddFile("photo.jpg", []byte("jpeg bytes"))
		ownUpload := slacktest.FileShare("EvOwnUpload", channel, card.TS, "1700000002.000100", slacktest.BotUserID, "",
			slacktest.SharedFile{ID: "FOWN1", Name: "photo.jpg", Mimetype: "image/jpeg", Size: 10, URL: url, User: slacktest.BotUserID})
		reply := slacktest.ThreadReply("EvAgentReply", channel, card.TS, "1700000003.000100", "UAGENT1", "Thanks, got it")

		resp := slacktest.PostEvent(t, e.baseURL+"/slack/events", signingSecret, ownUpload)
		require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "refused until auth.test answers")
		require.Empty(t, resp.Header.Get("X-Slack-No-Retry"), "Slack must retry it")
		require.Equal(t, http.StatusServiceUnavailable, e.postSlackEvent(reply))

		e.slack.Heal("auth.test")
		// Slack's retries: the same events again, until accepted.
		require.Eventually(t, func() bool { return e.postSlackEvent(ownUpload) == http.StatusOK }, waitLong, 50*time.Millisecond)
		require.Equal(t, http.StatusOK, e.postSlackEvent(reply))

		sends := e.waitMessageSends(1)
		require.Equal(t, "text", sends[0].Type, "our own upload is never sent back: %+v", sends)
		require.Equal(t, "Thanks, got it", sends[0].Text)
		require.Empty(t, e.wa.Uploads(), "no media went to the customer")
	})
}

// TestOurOwnUploadedFileIsNeverSentBack: a file our bot uploaded carries
// our bot user as files[].user; whoever shares it in the thread, it is not
// sent to the customer (it came from the customer or the bridge).
func TestOurOwnUploadedFileIsNeverSentBack(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.own1", time.Now(), "see attached")
		card := e.waitCardAndThread("see attached")
		url := e.slack.AddFile("photo.jpg", []byte("jpeg bytes"))
		ours := slacktest.SharedFile{ID: "FOWN2", Name: "photo.jpg", Mimetype: "image/jpeg", Size: 10, URL: url, User: slacktest.BotUserID}

		require.Equal(t, http.StatusOK, e.postSlackEvent(slacktest.FileShare("EvOwn1", channel, card.TS,
			"1700000002.000100", slacktest.BotUserID, "", ours)), "our bot's upload")
		require.Equal(t, http.StatusOK, e.postSlackEvent(slacktest.FileShare("EvOwn2", channel, card.TS,
			"1700000003.000100", "UAGENT1", "", ours)), "an agent sharing the file our bot uploaded")
		e.agentReplies("EvOwn3", card.TS, "1700000004.000100", "UAGENT1", "after the files")

		// One lane per conversation: a file queued before the text would
		// have been sent before it.
		sends := e.waitMessageSends(1)
		require.Equal(t, "text", sends[0].Type, "%+v", sends)
		require.Equal(t, "after the files", sends[0].Text)
		require.Empty(t, e.wa.Uploads())
	})
}

// TestPinnedSlackIdentityAcceptsEventsWhileAuthTestIsDown: with the bot's
// ids in the config, events do not wait for auth.test (Slack gives up on
// a refused event after about three retries, within minutes), and our own
// uploads are still recognised.
func TestPinnedSlackIdentityAcceptsEventsWhileAuthTestIsDown(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withSlackMethodDown("auth.test"), func(e *env, _ *strings.Builder) {
			e.slackYAML = fmt.Sprintf("  bot_user_id: %s\n  bot_id: %s\n  team_id: %s\n", slacktest.BotUserID, slacktest.BotID, slacktest.TeamID)
		})
		e.customerWrites("34612345678", "Ana", "wamid.pin1", time.Now(), "here is my photo")
		card := e.waitCardAndThread("here is my photo")
		url := e.slack.AddFile("photo.jpg", []byte("jpeg bytes"))
		require.Equal(t, http.StatusOK, e.postSlackEvent(slacktest.FileShare("EvPinOwn", channel, card.TS, "1700000002.000100",
			slacktest.BotUserID, "", slacktest.SharedFile{ID: "FPIN1", Name: "photo.jpg", Mimetype: "image/jpeg", Size: 10, URL: url,
				User: slacktest.BotUserID})))
		require.Equal(t, http.StatusOK, e.postSlackEvent(slacktest.ThreadReply("EvPinReply", channel, card.TS,
			"1700000003.000100", "UAGENT1", "Thanks, got it")))
		sends := e.waitMessageSends(1)
		require.Equal(t, "Thanks, got it", sends[0].Text)
		require.Empty(t, e.wa.Uploads(), "our own upload was not sent back")
	})
}
