package metamsg

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
)

// Bodies as the Send API reference shows them
// (https://developers.facebook.com/docs/messenger-platform/reference/send-api/,
// .../send-messages/message-tags, .../send-messages/sender-actions), plus
// our metadata tag.
func TestSendRequestBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		req  SendRequest
		want string
	}{
		{"text answers inside the window", TextRequest("1254459154682919", "hello, world!", SendFlags{}),
			`{"recipient":{"id":"1254459154682919"},"messaging_type":"RESPONSE","message":{"text":"hello, world!","metadata":"switchboard"}}`},
		{"a human agent's late reply carries the HUMAN_AGENT tag", TextRequest("1254459154682919", "sorry for the wait", SendFlags{HumanAgent: true}),
			`{"recipient":{"id":"1254459154682919"},"messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT","message":{"text":"sorry for the wait","metadata":"switchboard"}}`},
		{"a quote names the customer's mid", TextRequest("1", "yes", SendFlags{ReplyTo: "m_abc"}),
			`{"recipient":{"id":"1"},"messaging_type":"RESPONSE","message":{"text":"yes","metadata":"switchboard"},"reply_to":{"mid":"m_abc"}}`},
		{"an attachment by uploaded id", AttachmentRequest("1", "image", "", "1857777774821032", SendFlags{}),
			`{"recipient":{"id":"1"},"messaging_type":"RESPONSE","message":{"attachment":{"type":"image","payload":{"attachment_id":"1857777774821032"}},"metadata":"switchboard"}}`},
		{"mark_seen is a bare sender action", SenderActionRequest("1", ActionMarkSeen),
			`{"recipient":{"id":"1"},"sender_action":"mark_seen"}`},
		{"a reaction names the message", ReactionRequest("1", "m_abc", "love"),
			`{"recipient":{"id":"1"},"sender_action":"react","payload":{"message_id":"m_abc","reaction":"love"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := json.Marshal(tt.req)
			require.NoError(t, err)
			require.JSONEq(t, tt.want, string(got))
		})
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		status    int
		body      string
		header    http.Header
		reason    bridge.FailureReason
		permanent bool
		wait      time.Duration
	}{
		{"outside the window is permanent", 400,
			`{"error":{"message":"(#10) This message is sent outside of allowed window.","type":"OAuthException","code":10,"error_subcode":2018278,"fbtrace_id":"A1"}}`,
			nil, bridge.ReasonOutsideWindow, true, 0},
		{"a person who is not available is undeliverable", 400,
			`{"error":{"message":"(#551) This person isn't available right now.","type":"OAuthException","code":551,"error_subcode":1545041}}`,
			nil, bridge.ReasonUndeliverable, true, 0},
		{"613 is a rate limit with a default wait", 400, `{"error":{"code":613,"message":"Calls to this api have exceeded the rate limit."}}`,
			nil, bridge.ReasonRateLimited, false, time.Minute},
		{"32 honours Retry-After", 400, `{"error":{"code":32}}`, http.Header{"Retry-After": {"7"}}, bridge.ReasonRateLimited, false, 7 * time.Second},
		{"an expired token is permanent", 401, `{"error":{"code":190,"error_subcode":463,"message":"Error validating access token"}}`,
			nil, bridge.ReasonTokenExpired, true, 0},
		{"a 5xx is transient", 503, `{"error":{"code":2,"message":"Service temporarily unavailable","is_transient":true}}`,
			nil, bridge.ReasonTemporary, false, 0},
		{"a proxy's 502 page is transient", 502, `<html>bad gateway</html>`, nil, bridge.ReasonTemporary, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := tt.header
			if h == nil {
				h = http.Header{}
			}
			de := Classify(tt.status, h, []byte(tt.body))
			require.Equal(t, tt.reason, de.Reason)
			require.Equal(t, tt.permanent, de.Permanent)
			require.Equal(t, tt.wait, de.RetryAfter)
		})
	}
}

func TestVerifySignature(t *testing.T) {
	t.Parallel()
	body := []byte(`{"object":"page","entry":[{"text":"héllo 👋"}]}`)
	good := "sha256=" + hmacHex("s3cret", body)
	require.NoError(t, VerifySignature("s3cret", body, good))
	require.ErrorIs(t, VerifySignature("other", body, good), ErrSignatureMismatch)
	require.ErrorIs(t, VerifySignature("s3cret", body, ""), ErrSignatureMissing)
	require.ErrorIs(t, VerifySignature("s3cret", body, "sha1=ab"), ErrSignatureMalformed)
	require.ErrorIs(t, VerifySignature("", body, good), ErrNoAppSecret)
}
