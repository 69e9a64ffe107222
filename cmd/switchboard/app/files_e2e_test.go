package app_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

// tooLarge is how the thread explains a file WhatsApp would not take.
const tooLarge = "larger than WhatsApp accepts"

// TestAgentFileOverWhatsAppLimitIsExplainedAndNotSent: WhatsApp takes
// images up to 5 MB. A 6 MB image is refused from its declared size before
// a byte is downloaded; one whose declared size lies is cut off at the
// limit while downloading. Either way the thread says why and the customer
// gets nothing; later replies still go out.
func TestAgentFileOverWhatsAppLimitIsExplainedAndNotSent(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.big1", time.Now(), "send me the photo")
		card := e.waitCardAndThread("send me the photo")
		sixMB := make([]byte, 6<<20)

		big := e.slack.AddFile("big.jpg", sixMB)
		require.Equal(t, http.StatusOK, e.postSlackEvent(slacktest.FileShare("EvBig1", channel, card.TS, "1700000002.000100", "UAGENT1", "",
			slacktest.SharedFile{ID: "FBIG1", Name: "big.jpg", Mimetype: "image/jpeg", Size: int64(len(sixMB)), URL: big, User: "UAGENT1"})))
		e.waitCardAndThread(tooLarge)
		require.Zero(t, e.slack.Calls("files-pri"), "refused before downloading")

		liar := e.slack.AddFile("small.jpg", sixMB)
		require.Equal(t, http.StatusOK, e.postSlackEvent(slacktest.FileShare("EvBig2", channel, card.TS, "1700000003.000100", "UAGENT1", "",
			slacktest.SharedFile{ID: "FBIG2", Name: "small.jpg", Mimetype: "image/jpeg", Size: 1024, URL: liar, User: "UAGENT1"})))
		e.slack.WaitForPosts(t, func(posts []slacktest.Message) bool {
			return containsText(inThread(posts, card.TS), tooLarge) == 2
		}, waitLong)
		require.Equal(t, 1, e.slack.Calls("files-pri"), "downloaded once, stopped at the limit (a permanent failure, not retried)")

		e.agentReplies("EvBig3", card.TS, "1700000004.000100", "UAGENT1", "here is a link instead")
		sends := e.waitMessageSends(1)
		require.Equal(t, "text", sends[0].Type, "%+v", sends)
		require.Equal(t, "here is a link instead", sends[0].Text)
		require.Empty(t, e.wa.Uploads(), "no file reached WhatsApp")
	})
}

// TestDiscordAgentFileOverWhatsAppLimitIsExplainedAndNotSent is the same
// rule on Discord: the attachment's declared size is checked before the
// CDN is asked for it.
func TestDiscordAgentFileOverWhatsAppLimitIsExplainedAndNotSent(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text")
		d.customerWrites("34612345678", "Ana", "wamid.dbig1", time.Now(), "send me the photo")
		c := d.waitConv(t, d.home, 1)

		d.say(t, c, dAna, "", discordtest.Attachment{Filename: "big.png", ContentType: "image/png", Data: make([]byte, 6<<20)})
		d.waitPost(t, c, tooLarge)
		for _, r := range d.fake.Requests() {
			require.NotEqual(t, discordtest.Route("GET /attachments"), r.Route, "refused before downloading")
		}

		d.say(t, c, dAna, "here is a link instead")
		sends := d.env.waitMessageSends(1)
		require.Equal(t, "text", sends[0].Type, "%+v", sends)
		require.Equal(t, "here is a link instead", sends[0].Text)
		require.Empty(t, d.wa.Uploads())
	})
}
