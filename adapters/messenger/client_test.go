package messenger_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/messenger"
	"github.com/switchboard/switchboard/adapters/messenger/messengertest"
	"github.com/switchboard/switchboard/bridge"
)

const (
	page = "104510918123456"
	psid = "1254459154682919"
)

func setup(t *testing.T) (*messenger.Client, *messengertest.Server) {
	t.Helper()
	fake := messengertest.New(t)
	return &messenger.Client{BaseURL: fake.URL, Tokens: map[bridge.InboxID]string{page: messengertest.DefaultToken}}, fake
}

// The bodies are the Send API reference's
// (https://developers.facebook.com/docs/messenger-platform/reference/send-api/)
// plus switchboard's metadata tag.
func TestClientSendsTheDocumentedBodies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name string
		send func(c *messenger.Client) error
		want string
	}{
		{"text inside the window is a RESPONSE", func(c *messenger.Client) error {
			_, err := c.SendText(ctx, page, psid, "hello, world!")
			return err
		}, `{"recipient":{"id":"` + psid + `"},"messaging_type":"RESPONSE","message":{"text":"hello, world!","metadata":"switchboard"}}`},
		{"a human agent's reply after 24 hours carries the HUMAN_AGENT tag", func(c *messenger.Client) error {
			_, err := c.SendText(ctx, page, psid, "sorry for the wait", bridge.AsHumanAgent())
			return err
		}, `{"recipient":{"id":"` + psid + `"},"messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT","message":{"text":"sorry for the wait","metadata":"switchboard"}}`},
		{"a quote goes as reply_to", func(c *messenger.Client) error {
			_, err := c.SendText(ctx, page, psid, "yes", bridge.Quoting("m_customer"))
			return err
		}, `{"recipient":{"id":"` + psid + `"},"messaging_type":"RESPONSE","message":{"text":"yes","metadata":"switchboard"},"reply_to":{"mid":"m_customer"}}`},
		{"an image is uploaded and sent by attachment_id", func(c *messenger.Client) error {
			_, err := c.SendMedia(ctx, page, psid, bridge.File{Name: "a.png", MimeType: "image/png", Data: []byte("\x89PNG\r\n\x1a\n")}, "")
			return err
		}, `{"recipient":{"id":"` + psid + `"},"messaging_type":"RESPONSE","message":{"attachment":{"type":"image","payload":{"attachment_id":"att1"}},"metadata":"switchboard"}}`},
		{"quick replies carry the button ids as payloads", func(c *messenger.Client) error {
			_, err := c.SendButtons(ctx, page, psid, "How did we do?", []bridge.ReplyButton{{ID: "csat:5", Title: "Great"}})
			return err
		}, `{"recipient":{"id":"` + psid + `"},"messaging_type":"RESPONSE","message":{"text":"How did we do?","quick_replies":[{"content_type":"text","title":"Great","payload":"csat:5"}],"metadata":"switchboard"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, fake := setup(t)
			require.NoError(t, tt.send(c))
			sends := fake.Sends()
			require.Len(t, sends, 1)
			require.Equal(t, page, sends[0].Page)
			require.JSONEq(t, tt.want, string(sends[0].Raw))
		})
	}
}

func TestMarkReadFindsTheSenderAndSendsMarkSeen(t *testing.T) {
	t.Parallel()
	c, fake := setup(t)
	fake.AddMessage("m_customer", psid)
	require.NoError(t, c.MarkRead(context.Background(), page, "m_customer", true))
	sends := fake.Sends()
	require.Len(t, sends, 2)
	require.JSONEq(t, `{"recipient":{"id":"`+psid+`"},"sender_action":"mark_seen"}`, string(sends[0].Raw))
	require.JSONEq(t, `{"recipient":{"id":"`+psid+`"},"sender_action":"typing_on"}`, string(sends[1].Raw))
}

func TestClientMapsGraphErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		failure   messengertest.Failure
		reason    bridge.FailureReason
		permanent bool
		wait      time.Duration
	}{
		{"outside the window", messengertest.WindowClosed(), bridge.ReasonOutsideWindow, true, 0},
		{"rate limited", messengertest.Failure{Code: 613, RetryAfter: "3"}, bridge.ReasonRateLimited, false, 3 * time.Second},
		{"server error", messengertest.Failure{Status: 500, Code: 2, Transient: true}, bridge.ReasonTemporary, false, 0},
		{"person unavailable", messengertest.Failure{Code: 551}, bridge.ReasonUndeliverable, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, fake := setup(t)
			fake.Script(tt.failure)
			_, err := c.SendText(context.Background(), page, psid, "hi")
			de, ok := bridge.AsDeliveryError(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, tt.reason, de.Reason)
			require.Equal(t, tt.permanent, de.Permanent)
			require.Equal(t, tt.wait, de.RetryAfter)
			require.Empty(t, fake.Sends())
		})
	}
	t.Run("a wrong token is a token error that does not show the token", func(t *testing.T) {
		t.Parallel()
		fake := messengertest.New(t)
		c := &messenger.Client{BaseURL: fake.URL, Tokens: map[bridge.InboxID]string{page: "wrong-secret-token"}}
		_, err := c.SendText(context.Background(), page, psid, "hi")
		de, ok := bridge.AsDeliveryError(err)
		require.True(t, ok)
		require.Equal(t, bridge.ReasonTokenExpired, de.Reason)
		require.True(t, de.Permanent)
		require.NotContains(t, err.Error(), "wrong-secret-token")
	})
}

func TestProfileAndDownload(t *testing.T) {
	t.Parallel()
	c, fake := setup(t)
	fake.AddProfile(psid, "Peter", "Chang")
	name, err := c.CustomerName(context.Background(), page, psid)
	require.NoError(t, err)
	require.Equal(t, "Peter Chang", name)

	url := fake.AddAttachment("photo.jpg", "image/jpeg", []byte("jpegdata"))
	f, err := c.DownloadMedia(context.Background(), url)
	require.NoError(t, err)
	require.Equal(t, []byte("jpegdata"), f.Data)
	require.Equal(t, "image/jpeg", f.MimeType)
	_, err = c.DownloadMediaUpTo(context.Background(), url, 3)
	require.Error(t, err, "a file over the limit is refused")
}
