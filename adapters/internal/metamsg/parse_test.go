package metamsg

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
)

// The messaging items below are the payloads of Meta's Messenger Platform
// webhook reference, with their keys as Meta spells them:
//
//	https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/messages
//	https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/message-echoes
//	https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/message-deliveries
//	https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/message-reads
//	https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/message-reactions
//	https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/messaging_postbacks
//
// Ids, mids, timestamps and URLs come from the MIT-licensed bottender
// fixtures (github.com/Yoctol/bottender,
// packages/bottender/src/messenger/__tests__/MessengerEvent.spec.ts), which
// camelCase the keys after parsing; here they are as on the wire.
const (
	page = "404217156637689"
	psid = "1423587017700273"
)

func envelope(items ...string) []byte {
	out := `{"object":"page","entry":[{"id":"` + page + `","time":1491796363181,"messaging":[`
	for i, it := range items {
		if i > 0 {
			out += ","
		}
		out += it
	}
	return []byte(out + `]}]}`)
}

func TestParse(t *testing.T) {
	t.Parallel()
	at := time.UnixMilli(1491796363181).UTC()
	tests := []struct {
		name     string
		item     string
		messages []bridge.InboundMessage
		receipts []bridge.DeliveryReceipt
	}{
		{name: "a text message is text from the PSID to the Page",
			item: `{"sender":{"id":"` + psid + `"},"recipient":{"id":"` + page + `"},"timestamp":1491796363181,
			  "message":{"mid":"mid.$cAAE1UUyiiwthh0NPrVbVf4HFNDGl","seq":348847,"text":"Sharp tools make good work."}}`,
			messages: []bridge.InboundMessage{{Inbox: page, From: psid, ExternalID: "mid.$cAAE1UUyiiwthh0NPrVbVf4HFNDGl",
				Kind: bridge.KindText, Text: "Sharp tools make good work.", SentAt: at}}},
		{name: "an image attachment is an image whose media id is its URL",
			item: `{"sender":{"id":"` + psid + `"},"recipient":{"id":"` + page + `"},"timestamp":1491796363181,
			  "message":{"mid":"mid.$img","attachments":[{"type":"image","payload":{"url":"https://scontent.xx.fbcdn.net/v/t35.0-12/17887258_1429713783754592_1626047672_o.jpg?oe=58ECF78B"}}]}}`,
			messages: []bridge.InboundMessage{{Inbox: page, From: psid, ExternalID: "mid.$img", Kind: bridge.KindImage, SentAt: at,
				Media: &bridge.Media{ID: "https://scontent.xx.fbcdn.net/v/t35.0-12/17887258_1429713783754592_1626047672_o.jpg?oe=58ECF78B"}}}},
		{name: "a sticker is an image with sticker_id",
			item: `{"sender":{"id":"` + psid + `"},"recipient":{"id":"` + page + `"},"timestamp":1491796363181,
			  "message":{"mid":"mid.$stk","sticker_id":369239263222822,"attachments":[{"type":"image","payload":{"url":"https://scontent.xx.fbcdn.net/851557_n.png","sticker_id":369239263222822}}]}}`,
			messages: []bridge.InboundMessage{{Inbox: page, From: psid, ExternalID: "mid.$stk", Kind: bridge.KindSticker, SentAt: at,
				Media: &bridge.Media{ID: "https://scontent.xx.fbcdn.net/851557_n.png"}}}},
		{name: "audio, video and file attachments each become one message with its own dedupe key",
			item: `{"sender":{"id":"` + psid + `"},"recipient":{"id":"` + page + `"},"timestamp":1491796363181,
			  "message":{"mid":"mid.$multi","attachments":[{"type":"audio","payload":{"url":"https://example.com/bot/audios/audio.mp3"}},
			  {"type":"video","payload":{"url":"https://example.com/bot/videos/video.mp4"}},{"type":"file","payload":{"url":"https://example.com/bot/files/file.doc?x=1"}}]}}`,
			messages: []bridge.InboundMessage{
				{Inbox: page, From: psid, ExternalID: "mid.$multi", Kind: bridge.KindAudio, SentAt: at, Media: &bridge.Media{ID: "https://example.com/bot/audios/audio.mp3"}},
				{Inbox: page, From: psid, ExternalID: "mid.$multi#1", Kind: bridge.KindVideo, SentAt: at, Media: &bridge.Media{ID: "https://example.com/bot/videos/video.mp4"}},
				{Inbox: page, From: psid, ExternalID: "mid.$multi#2", Kind: bridge.KindDocument, SentAt: at, Media: &bridge.Media{ID: "https://example.com/bot/files/file.doc?x=1", Filename: "file.doc"}}}},
		{name: "a fallback attachment (a shared link) is text with its title and URL",
			item: `{"sender":{"id":"` + psid + `"},"recipient":{"id":"` + page + `"},"timestamp":1491796363181,
			  "message":{"mid":"mid.$fb","attachments":[{"type":"fallback","payload":null,"title":"TITLE_OF_THE_URL_ATTACHMENT","URL":"URL_OF_THE_ATTACHMENT"}]}}`,
			messages: []bridge.InboundMessage{{Inbox: page, From: psid, ExternalID: "mid.$fb", Kind: bridge.KindText, SentAt: at,
				Text: "TITLE_OF_THE_URL_ATTACHMENT\nURL_OF_THE_ATTACHMENT"}}},
		{name: "a quick reply is an interactive reply with the payload as id",
			item: `{"sender":{"id":"` + psid + `"},"recipient":{"id":"` + page + `"},"timestamp":1491796363181,
			  "message":{"mid":"mid.$qr","text":"Red","quick_reply":{"payload":"DEVELOPER_DEFINED_PAYLOAD_FOR_PICKING_RED"}}}`,
			messages: []bridge.InboundMessage{{Inbox: page, From: psid, ExternalID: "mid.$qr", Kind: bridge.KindInteractive, SentAt: at, Text: "Red",
				Interactive: &bridge.InteractiveReply{ID: "DEVELOPER_DEFINED_PAYLOAD_FOR_PICKING_RED", Title: "Red"}}}},
		{name: "a reply keeps the mid it answers",
			item: `{"sender":{"id":"` + psid + `"},"recipient":{"id":"` + page + `"},"timestamp":1491796363181,
			  "message":{"mid":"mid.$re","text":"yes","reply_to":{"mid":"mid.$cAAE1UUyiiwthh0NPrVbVf4HFNDGl"}}}`,
			messages: []bridge.InboundMessage{{Inbox: page, From: psid, ExternalID: "mid.$re", Kind: bridge.KindText, SentAt: at, Text: "yes",
				ReplyTo: "mid.$cAAE1UUyiiwthh0NPrVbVf4HFNDGl"}}},
		{name: "an echo from the Page inbox is kept as an echo to the customer",
			item: `{"sender":{"id":"` + page + `"},"recipient":{"id":"` + psid + `"},"timestamp":1491796363181,
			  "message":{"is_echo":true,"app_id":263902037430900,"mid":"mid.$cAAE1UUyiiwthh1yrIlbVhdisQW8M","seq":348859,"text":"Difficult the first time, easy the second."}}`,
			messages: []bridge.InboundMessage{{Inbox: page, From: psid, ExternalID: "mid.$cAAE1UUyiiwthh1yrIlbVhdisQW8M", Kind: bridge.KindText, SentAt: at,
				Text: "Difficult the first time, easy the second.", Echo: true}}},
		{name: "an echo of switchboard's own send (our metadata) is dropped",
			item: `{"sender":{"id":"` + page + `"},"recipient":{"id":"` + psid + `"},"timestamp":1491796363181,
			  "message":{"is_echo":true,"app_id":205552219930699,"metadata":"switchboard","mid":"mid.$own","text":"hi"}}`},
		{name: "an echo with our app id is dropped",
			item: `{"sender":{"id":"` + page + `"},"recipient":{"id":"` + psid + `"},"timestamp":1491796363181,
			  "message":{"is_echo":true,"app_id":1517776481860111,"mid":"mid.$own2","text":"hi"}}`},
		{name: "a delivery covers each listed mid up to its watermark",
			item: `{"sender":{"id":"` + psid + `"},"recipient":{"id":"` + page + `"},
			  "delivery":{"mids":["mid.1458668856218:ed81099e15d3f4f233"],"watermark":1458668856253,"seq":37}}`,
			receipts: []bridge.DeliveryReceipt{{Inbox: page, Recipient: psid, ExternalID: "mid.1458668856218:ed81099e15d3f4f233", Status: bridge.ReceiptDelivered,
				At: time.UnixMilli(1458668856253).UTC(), Watermark: time.UnixMilli(1458668856253).UTC()}}},
		{name: "a read is a watermark for every message before it",
			item: `{"sender":{"id":"` + psid + `"},"recipient":{"id":"` + page + `"},"timestamp":1458668856463,"read":{"watermark":1458668856253,"seq":38}}`,
			receipts: []bridge.DeliveryReceipt{{Inbox: page, Recipient: psid, Status: bridge.ReceiptRead,
				At: time.UnixMilli(1458668856253).UTC(), Watermark: time.UnixMilli(1458668856253).UTC()}}},
		{name: "a reaction names the message and the emoji",
			item: `{"sender":{"id":"` + psid + `"},"recipient":{"id":"` + page + `"},"timestamp":1491796363181,
			  "reaction":{"reaction":"love","emoji":"\u2764\uFE0F","action":"react","mid":"mid.$cAAE1UUyiiwthh0NPrVbVf4HFNDGl"}}`,
			messages: []bridge.InboundMessage{{Inbox: page, From: psid, ExternalID: "reaction:mid.$cAAE1UUyiiwthh0NPrVbVf4HFNDGl:react:1491796363181",
				Kind: bridge.KindReaction, SentAt: at, Reaction: &bridge.Reaction{TargetExternalID: "mid.$cAAE1UUyiiwthh0NPrVbVf4HFNDGl", Emoji: "❤️"}}}},
		{name: "an unreact removes the reaction",
			item: `{"sender":{"id":"` + psid + `"},"recipient":{"id":"` + page + `"},"timestamp":1491796363181,
			  "reaction":{"reaction":"love","emoji":"\u2764\uFE0F","action":"unreact","mid":"mid.$x"}}`,
			messages: []bridge.InboundMessage{{Inbox: page, From: psid, ExternalID: "reaction:mid.$x:unreact:1491796363181",
				Kind: bridge.KindReaction, SentAt: at, Reaction: &bridge.Reaction{TargetExternalID: "mid.$x"}}}},
		{name: "a postback is an interactive reply with its title and payload",
			item: `{"sender":{"id":"` + psid + `"},"recipient":{"id":"` + page + `"},"timestamp":1491796363181,
			  "postback":{"title":"Get Started","payload":"__GET_STARTED__","mid":"m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P"}}`,
			messages: []bridge.InboundMessage{{Inbox: page, From: psid, ExternalID: "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P",
				Kind: bridge.KindInteractive, SentAt: at, Text: "Get Started", Interactive: &bridge.InteractiveReply{ID: "__GET_STARTED__", Title: "Get Started"}}}},
		{name: "a deleted message revokes its mid",
			item:     `{"sender":{"id":"` + psid + `"},"recipient":{"id":"` + page + `"},"timestamp":1491796363181,"message":{"mid":"mid.$del","is_deleted":true}}`,
			messages: []bridge.InboundMessage{{Inbox: page, From: psid, ExternalID: "deleted:mid.$del", Kind: bridge.KindRevoke, SentAt: at, ReplyTo: "mid.$del"}}},
		{name: "an unsupported message is kept as unsupported",
			item:     `{"sender":{"id":"` + psid + `"},"recipient":{"id":"` + page + `"},"timestamp":1491796363181,"message":{"mid":"mid.$uns","is_unsupported":true}}`,
			messages: []bridge.InboundMessage{{Inbox: page, From: psid, ExternalID: "mid.$uns", Kind: bridge.KindUnsupported, SentAt: at}}},
		{name: "an event the parser does not know (optin) is kept as unknown",
			item:     `{"sender":{"id":"` + psid + `"},"recipient":{"id":"` + page + `"},"timestamp":1491796363181,"optin":{"ref":"PASS_THROUGH_PARAM"}}`,
			messages: []bridge.InboundMessage{{Inbox: page, From: psid, ExternalID: "unknown:" + psid + ":1491796363181", Kind: bridge.KindUnknown, SentAt: at}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hook, dropped, err := Parse(envelope(tt.item), ParseOptions{Channel: bridge.ChannelMessenger, Object: "page", AppID: "1517776481860111"})
			require.NoError(t, err)
			require.Empty(t, dropped)
			for i := range hook.Messages {
				require.NotEmpty(t, hook.Messages[i].Raw, "the raw item is kept")
				hook.Messages[i].Raw = nil
			}
			require.Equal(t, tt.messages, hook.Messages)
			require.Equal(t, tt.receipts, hook.Receipts)
		})
	}
}

func TestParseRefusesWhatIsNotAPageWebhook(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"not JSON":              `{"object":`,
		"another object":        `{"object":"instagram","entry":[]}`,
		"entry of a wrong type": `{"object":"page","entry":{}}`,
	} {
		_, _, err := Parse([]byte(body), ParseOptions{Object: "page"})
		require.ErrorIs(t, err, ErrMalformed, name)
	}
}

func TestParseLeavesOutOnlyTheBadItem(t *testing.T) {
	t.Parallel()
	hook, dropped, err := Parse(envelope(`{"sender":"oops"}`,
		`{"sender":{"id":"`+psid+`"},"recipient":{"id":"`+page+`"},"timestamp":1,"message":{"mid":"m1","text":"ok"}}`), ParseOptions{Object: "page"})
	require.NoError(t, err)
	require.Len(t, dropped, 1)
	require.Len(t, hook.Messages, 1)
	require.Equal(t, "ok", hook.Messages[0].Text)
}
