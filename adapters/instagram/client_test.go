package instagram_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/instagram"
	"github.com/switchboard/switchboard/adapters/instagram/instagramtest"
	"github.com/switchboard/switchboard/bridge"
)

const (
	loginAccount = "17841400000000001" // Instagram Login
	pageAccount  = "17841400000000002" // through Page 102290129340398
	pageID       = "102290129340398"
	customer     = "1254459154682919"
)

func newClient(t *testing.T) (*instagram.Client, *instagramtest.Server) {
	t.Helper()
	fake := instagramtest.New(t)
	fake.AddAccount(loginAccount, "IGAA-login-token")
	fake.AddAccount(pageID, "EAA-page-token")
	c := instagram.NewClient(
		instagram.Account{ID: loginAccount, AccessToken: "IGAA-login-token"},
		instagram.Account{ID: pageAccount, AccessToken: "EAA-page-token", PageID: pageID},
	)
	c.BaseURL, c.PageBaseURL = fake.URL, fake.URL
	return c, fake
}

func deliveryError(t *testing.T, err error) *bridge.DeliveryError {
	t.Helper()
	var de *bridge.DeliveryError
	require.True(t, errors.As(err, &de), "a *bridge.DeliveryError, got %v", err)
	return de
}

// The bodies and paths are those of Instagram's Send Messages guides:
// POST graph.instagram.com/{version}/{IG_ID}/messages
// (https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/messaging-api)
// and POST graph.facebook.com/{version}/{PAGE_ID}/messages
// (https://developers.facebook.com/docs/messenger-platform/instagram/features/send-message),
// body {"recipient":{"id":"<IGSID>"},"message":{"text":"<TEXT>"}}.
func TestSendTextBodyAndPathInBothModes(t *testing.T) {
	t.Parallel()
	c, fake := newClient(t)
	ctx := context.Background()
	id1, err := c.SendText(ctx, loginAccount, customer, "Yes, size M is in stock")
	require.NoError(t, err)
	id2, err := c.SendText(ctx, pageAccount, customer, "Through the Page")
	require.NoError(t, err)
	require.NotEqual(t, id1, id2)
	sends := fake.Sends()
	require.Len(t, sends, 2)
	require.Equal(t, "/v23.0/"+loginAccount+"/messages", sends[0].Path)
	require.JSONEq(t, `{"recipient":{"id":"`+customer+`"},"message":{"text":"Yes, size M is in stock"}}`, string(sends[0].Raw))
	require.Equal(t, id1, sends[0].MID)
	require.Equal(t, "/v23.0/"+pageID+"/messages", sends[1].Path, "through the Page: the Page id, with the Page's token")
	require.JSONEq(t, `{"recipient":{"id":"`+customer+`"},"message":{"text":"Through the Page"}}`, string(sends[1].Raw))
}

func TestHumanAgentTagAfterTheWindow(t *testing.T) {
	t.Parallel()
	c, fake := newClient(t)
	fake.CustomerWrote(customer, time.Now().Add(-30*time.Hour))
	_, err := c.SendText(context.Background(), loginAccount, customer, "Sorry for the wait")
	de := deliveryError(t, err)
	require.True(t, de.Permanent)
	require.Equal(t, bridge.ReasonOutsideWindow, de.Reason, "Instagram's 10/2534022")
	require.Equal(t, "10/2534022", de.Code)

	_, err = c.SendText(context.Background(), loginAccount, customer, "Sorry for the wait", bridge.AsHumanAgent())
	require.NoError(t, err)
	sends := fake.Sends()
	require.Len(t, sends, 1)
	require.JSONEq(t, `{"recipient":{"id":"`+customer+`"},"messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT","message":{"text":"Sorry for the wait"}}`, string(sends[0].Raw))

	fake.CustomerWrote(customer, time.Now().Add(-8*24*time.Hour))
	_, err = c.SendText(context.Background(), loginAccount, customer, "Still there?", bridge.AsHumanAgent())
	require.Equal(t, bridge.ReasonOutsideWindow, deliveryError(t, err).Reason, "not even a person after 7 days")
}

func TestLongTextIsSplitUnder1000Bytes(t *testing.T) {
	t.Parallel()
	c, fake := newClient(t)
	text := strings.Repeat("ñandú ", 300) // 2,100 bytes
	_, err := c.SendText(context.Background(), loginAccount, customer, text)
	require.NoError(t, err)
	sends := fake.Sends()
	require.Len(t, sends, 3)
	var joined []string
	for _, s := range sends {
		require.Less(t, len(s.Text), instagram.MaxTextBytes)
		joined = append(joined, s.Text)
	}
	require.Equal(t, strings.TrimSpace(text), strings.Join(joined, " "))
}

func TestSendErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		failure   instagramtest.Failure
		reason    bridge.FailureReason
		permanent bool
		retry     time.Duration
	}{
		{"expired token", instagramtest.Failure{Status: 401, Code: 190, Type: "OAuthException", Message: "Error validating access token"}, bridge.ReasonTokenExpired, true, 0},
		{"rate limit with Retry-After", instagramtest.Failure{Status: 429, Code: 4, Message: "(#4) Application request limit reached", RetryAfter: "30"}, bridge.ReasonRateLimited, false, 30 * time.Second},
		{"user unavailable", instagramtest.Failure{Status: 400, Code: 551, Message: "This person isn't available right now."}, bridge.ReasonUndeliverable, true, 0},
		{"no matching user", instagramtest.Failure{Status: 400, Code: 100, Subcode: 2018001, Message: "No matching user found"}, bridge.ReasonUndeliverable, true, 0},
		{"server error", instagramtest.Failure{Status: 500, Code: 2, Message: "An unexpected error has occurred. Please retry your request later.", Transient: true}, bridge.ReasonTemporary, false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, fake := newClient(t)
			fake.Script(tc.failure)
			_, err := c.SendText(context.Background(), loginAccount, customer, "hi")
			de := deliveryError(t, err)
			require.Equal(t, tc.reason, de.Reason)
			require.Equal(t, tc.permanent, de.Permanent)
			require.Equal(t, tc.retry, de.RetryAfter)
			require.NotContains(t, err.Error(), "IGAA-login-token", "tokens never in errors")
		})
	}
}

func TestWrongTokenAndUnknownInbox(t *testing.T) {
	t.Parallel()
	fake := instagramtest.New(t)
	fake.AddAccount(loginAccount, "right")
	c := instagram.NewClient(instagram.Account{ID: loginAccount, AccessToken: "wrong"})
	c.BaseURL = fake.URL
	_, err := c.SendText(context.Background(), loginAccount, customer, "hi")
	require.Equal(t, bridge.ReasonTokenExpired, deliveryError(t, err).Reason)
	_, err = c.SendText(context.Background(), "999", customer, "hi")
	require.True(t, deliveryError(t, err).Permanent, "an inbox no account serves")
	require.Empty(t, fake.Sends())
}

func TestReactionsAndUnsupportedSends(t *testing.T) {
	t.Parallel()
	c, fake := newClient(t)
	ctx := context.Background()
	_, err := c.SendReaction(ctx, loginAccount, customer, "m_customer", "👍")
	require.NoError(t, err)
	_, err = c.SendReaction(ctx, loginAccount, customer, "m_customer", "")
	require.NoError(t, err)
	sends := fake.Sends()
	require.Len(t, sends, 2)
	require.JSONEq(t, `{"recipient":{"id":"`+customer+`"},"sender_action":"react","payload":{"message_id":"m_customer","reaction":"love"}}`, string(sends[0].Raw))
	require.JSONEq(t, `{"recipient":{"id":"`+customer+`"},"sender_action":"unreact","payload":{"message_id":"m_customer"}}`, string(sends[1].Raw))

	_, err = c.SendMedia(ctx, loginAccount, customer, bridge.File{Name: "a.png", Data: []byte("x")}, "")
	require.Equal(t, bridge.ReasonUnsupported, deliveryError(t, err).Reason)
	require.Len(t, fake.Sends(), 2, "nothing sent for a refused file")

	fake.AddMessage("m_customer", customer)
	require.NoError(t, c.MarkRead(ctx, pageAccount, "m_customer", true))
	sends = fake.Sends()
	require.Len(t, sends, 4)
	require.Equal(t, "/v23.0/"+pageID+"/messages", sends[2].Path)
	require.JSONEq(t, `{"recipient":{"id":"`+customer+`"},"sender_action":"mark_seen"}`, string(sends[2].Raw))
	require.JSONEq(t, `{"recipient":{"id":"`+customer+`"},"sender_action":"typing_on"}`, string(sends[3].Raw))
	require.Error(t, c.MarkRead(ctx, loginAccount, "m_unknown", false), "a message Instagram does not know")
}

func TestProfileAndMedia(t *testing.T) {
	t.Parallel()
	c, fake := newClient(t)
	ctx := context.Background()
	fake.AddProfile(customer, instagramtest.Profile{Name: "Lucía Pérez", Username: "lucia.p"})
	fake.AddProfile("222", instagramtest.Profile{Username: "nameless"})
	name, err := c.CustomerName(ctx, loginAccount, customer)
	require.NoError(t, err)
	require.Equal(t, "Lucía Pérez", name)
	name, err = c.CustomerName(ctx, pageAccount, "222")
	require.NoError(t, err)
	require.Equal(t, "@nameless", name)
	_, err = c.CustomerName(ctx, loginAccount, "333")
	require.Error(t, err)

	png := []byte("\x89PNG\r\n\x1a\n0000")
	url := fake.AddMedia("photo.png", png)
	f, err := c.DownloadMedia(ctx, url)
	require.NoError(t, err)
	require.Equal(t, png, f.Data)
	require.Equal(t, "image/png", f.MimeType)
	_, err = c.DownloadMedia(ctx, fake.URL+"/cdn/expired.jpg")
	de := deliveryError(t, err)
	require.True(t, de.Permanent, "an expired CDN link will not come back")
	require.Equal(t, bridge.ReasonMediaRejected, de.Reason)
}
