package instagram

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
)

// Payloads below follow Meta's documented Instagram messaging webhooks:
// the messaging envelope and message fields of
// https://developers.facebook.com/docs/instagram-platform/webhooks/examples/
// and https://developers.facebook.com/docs/messenger-platform/instagram/features/webhook/
// (story replies: message.reply_to.story{url,id}; story mentions: an
// attachment of type story_mention; reactions: reaction{mid,action,reaction,
// emoji}; seen: read{mid}); the changes[] form is the App Dashboard's
// "Test" sample for the messages field.

const (
	igAccount = "17841405822304914"
	igsid     = "1254459154682919"
)

func wrap(event string) string {
	return `{"object":"instagram","entry":[{"id":"` + igAccount + `","time":1569262486134,"messaging":[` + event + `]}]}`
}

func TestParseDelivery(t *testing.T) {
	t.Parallel()
	at := time.UnixMilli(1569262485349).UTC()
	from := `"sender":{"id":"` + igsid + `"},"recipient":{"id":"` + igAccount + `"},"timestamp":1569262485349`
	cases := []struct {
		name     string
		body     string
		messages []bridge.InboundMessage // compared without Raw
		receipts []bridge.DeliveryReceipt
	}{
		{
			name: "text",
			body: wrap(`{` + from + `,"message":{"mid":"aWdfZAG1faXRlbTox","text":"Is the blue one in stock?"}}`),
			messages: []bridge.InboundMessage{{Inbox: igAccount, ExternalID: "aWdfZAG1faXRlbTox", From: igsid, SentAt: at,
				Kind: bridge.KindText, Text: "Is the blue one in stock?"}},
		},
		{
			name: "image",
			body: wrap(`{` + from + `,"message":{"mid":"m_img","attachments":[{"type":"image","payload":{"url":"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1&signature=x"}}]}}`),
			messages: []bridge.InboundMessage{{Inbox: igAccount, ExternalID: "m_img", From: igsid, SentAt: at,
				Kind: bridge.KindImage, Media: &bridge.Media{ID: "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1&signature=x"}}},
		},
		{
			name: "video and audio in one message are two messages with their own keys",
			body: wrap(`{` + from + `,"message":{"mid":"m_av","attachments":[{"type":"video","payload":{"url":"https://cdn.example/v.mp4"}},{"type":"audio","payload":{"url":"https://cdn.example/a.mp4"}}]}}`),
			messages: []bridge.InboundMessage{
				{Inbox: igAccount, ExternalID: "m_av", From: igsid, SentAt: at, Kind: bridge.KindVideo, Media: &bridge.Media{ID: "https://cdn.example/v.mp4"}},
				{Inbox: igAccount, ExternalID: "m_av#1", From: igsid, SentAt: at, Kind: bridge.KindAudio, Media: &bridge.Media{ID: "https://cdn.example/a.mp4"}},
			},
		},
		{
			name: "story reply keeps the story's link and id",
			body: wrap(`{` + from + `,"message":{"mid":"m_sr","text":"Love this!","reply_to":{"story":{"url":"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=story1","id":"17920319345789211"}}}}`),
			messages: []bridge.InboundMessage{{Inbox: igAccount, ExternalID: "m_sr", From: igsid, SentAt: at, Kind: bridge.KindText,
				Text: "Love this!", Story: &bridge.Story{Kind: "reply", ID: "17920319345789211", URL: "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=story1"}}},
		},
		{
			name: "story mention carries the story's link",
			body: wrap(`{` + from + `,"message":{"mid":"m_sm","attachments":[{"type":"story_mention","payload":{"url":"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=story2"}}]}}`),
			messages: []bridge.InboundMessage{{Inbox: igAccount, ExternalID: "m_sm", From: igsid, SentAt: at, Kind: bridge.KindText,
				Story: &bridge.Story{Kind: "mention", URL: "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=story2"}}},
		},
		{
			name: "a shared post is its link",
			body: wrap(`{` + from + `,"message":{"mid":"m_sh","attachments":[{"type":"share","payload":{"url":"https://www.instagram.com/p/C1a2b3c4d5e/"}}]}}`),
			messages: []bridge.InboundMessage{{Inbox: igAccount, ExternalID: "m_sh", From: igsid, SentAt: at, Kind: bridge.KindText,
				Text: "https://www.instagram.com/p/C1a2b3c4d5e/"}},
		},
		{
			name: "a shared reel is its video",
			body: wrap(`{` + from + `,"message":{"mid":"m_rl","attachments":[{"type":"ig_reel","payload":{"url":"https://cdn.example/reel.mp4","title":"Summer drop"}}]}}`),
			messages: []bridge.InboundMessage{{Inbox: igAccount, ExternalID: "m_rl", From: igsid, SentAt: at, Kind: bridge.KindVideo,
				Media: &bridge.Media{ID: "https://cdn.example/reel.mp4"}}},
		},
		{
			name: "an echo from the Instagram app names the customer as From",
			body: wrap(`{"sender":{"id":"` + igAccount + `"},"recipient":{"id":"` + igsid + `"},"timestamp":1569262485349,"message":{"mid":"m_echo","text":"Sent from the app","is_echo":true}}`),
			messages: []bridge.InboundMessage{{Inbox: igAccount, ExternalID: "m_echo", From: igsid, SentAt: at, Kind: bridge.KindText,
				Text: "Sent from the app", Echo: true}},
		},
		{
			name:     "seen names the message read",
			body:     wrap(`{` + from + `,"read":{"mid":"m_ours"}}`),
			receipts: []bridge.DeliveryReceipt{{Inbox: igAccount, ExternalID: "m_ours", Status: bridge.ReceiptRead, Recipient: igsid}},
		},
		{
			name: "reaction",
			body: wrap(`{` + from + `,"reaction":{"mid":"m_ours","action":"react","reaction":"love","emoji":"\u2764\ufe0f"}}`),
			messages: []bridge.InboundMessage{{Inbox: igAccount, ExternalID: "reaction:m_ours:react:1569262485349", From: igsid, SentAt: at,
				Kind: bridge.KindReaction, Reaction: &bridge.Reaction{TargetExternalID: "m_ours", Emoji: "❤️"}}},
		},
		{
			name: "unreact removes the reaction",
			body: wrap(`{` + from + `,"reaction":{"mid":"m_ours","action":"unreact"}}`),
			messages: []bridge.InboundMessage{{Inbox: igAccount, ExternalID: "reaction:m_ours:unreact:1569262485349", From: igsid, SentAt: at,
				Kind: bridge.KindReaction, Reaction: &bridge.Reaction{TargetExternalID: "m_ours"}}},
		},
		{
			name: "deleted",
			body: wrap(`{` + from + `,"message":{"mid":"m_del","is_deleted":true}}`),
			messages: []bridge.InboundMessage{{Inbox: igAccount, ExternalID: "deleted:m_del", From: igsid, SentAt: at,
				Kind: bridge.KindRevoke, ReplyTo: "m_del"}},
		},
		{
			name:     "unsupported is kept",
			body:     wrap(`{` + from + `,"message":{"mid":"m_uns","is_unsupported":true}}`),
			messages: []bridge.InboundMessage{{Inbox: igAccount, ExternalID: "m_uns", From: igsid, SentAt: at, Kind: bridge.KindUnsupported}},
		},
		{
			name:     "an unknown event is kept as unknown",
			body:     wrap(`{` + from + `,"referral":{"ref":"summer","source":"IGME","type":"OPEN_THREAD"}}`),
			messages: []bridge.InboundMessage{{Inbox: igAccount, ExternalID: "unknown:" + igsid + ":1569262485349", From: igsid, SentAt: at, Kind: bridge.KindUnknown}},
		},
		{
			name: "the changes[] form with a timestamp in seconds",
			body: `{"object":"instagram","entry":[{"id":"0","time":1527459824,"changes":[{"field":"messages","value":{"sender":{"id":"12334"},"recipient":{"id":"23245"},"timestamp":"1527459824","message":{"mid":"random_mid","text":"random_text"}}}]}]}`,
			messages: []bridge.InboundMessage{{Inbox: "0", ExternalID: "random_mid", From: "12334", SentAt: time.Unix(1527459824, 0).UTC(),
				Kind: bridge.KindText, Text: "random_text"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			hook, dropped, err := ParseDelivery([]byte(tc.body), "")
			require.NoError(t, err)
			require.Empty(t, dropped)
			for i := range hook.Messages {
				require.NotEmpty(t, hook.Messages[i].Raw, "raw kept")
				hook.Messages[i].Raw = nil
			}
			require.Equal(t, tc.messages, hook.Messages)
			require.Equal(t, tc.receipts, hook.Receipts)
		})
	}
}

func TestParseDeliveryRefusesWhatIsNotInstagram(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"object":"page","entry":[]}`, `{"object":`, `[]`, `{"object":"instagram","entry":[{"id":"1","changes":"x"}]}`} {
		_, _, err := ParseDelivery([]byte(body), "")
		require.Error(t, err, body)
	}
}

func TestParseDeliveryDropsOurOwnEchoByAppID(t *testing.T) {
	t.Parallel()
	body := wrap(`{"sender":{"id":"` + igAccount + `"},"recipient":{"id":"` + igsid + `"},"timestamp":1,"message":{"mid":"m1","text":"hi","is_echo":true,"app_id":1517776481860111}}`)
	hook, _, err := ParseDelivery([]byte(body), "1517776481860111")
	require.NoError(t, err)
	require.Empty(t, hook.Messages, "our own send's echo is dropped")
	hook, _, err = ParseDelivery([]byte(body), "999")
	require.NoError(t, err)
	require.Len(t, hook.Messages, 1, "another app's echo is kept")
	require.True(t, hook.Messages[0].Echo)
}
