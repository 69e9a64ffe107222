package app_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
)

func post(t *testing.T, url, contentType string, body []byte, headers map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", contentType)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp
}

// storedMessages counts what reached the database.
func storedMessages(t *testing.T, e *env) int {
	t.Helper()
	var n int
	require.NoError(t, e.app.DB.GetContext(context.Background(), &n, `SELECT COUNT(*) FROM messages`))
	return n
}

func TestBadInputGetsAClearAnswerAndIsNotStored(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		waURL := e.baseURL + "/webhooks/whatsapp"
		good := whatsapptest.TextMessage(phoneID, "34612345678", "Ana", "wamid.bad1", time.Now(), "hola")

		t.Run("an unsigned WhatsApp webhook is refused", func(t *testing.T) {
			require.Equal(t, http.StatusUnauthorized, post(t, waURL, "application/json", good, nil).StatusCode)
		})
		t.Run("a mis-signed WhatsApp webhook is refused", func(t *testing.T) {
			sig := whatsapptest.Sign("another-secret", good)
			require.Equal(t, http.StatusUnauthorized,
				post(t, waURL, "application/json", good, map[string]string{"X-Hub-Signature-256": sig}).StatusCode)
		})
		t.Run("malformed JSON is a bad request", func(t *testing.T) {
			bad := []byte(`{"object":"whatsapp_business_account","entry":[`)
			resp := whatsapptest.PostWebhook(t, waURL, appSecret, bad)
			require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		})
		t.Run("a body over the limit is too large", func(t *testing.T) {
			// The server answers as soon as it reads the length, before the
			// body: a raw request keeps the client from racing that answer.
			for _, path := range []string{"/webhooks/whatsapp", "/slack/events"} {
				require.Equal(t, http.StatusRequestEntityTooLarge, statusForLength(t, e.baseURL, path, 2<<20), path)
			}
		})
		t.Run("an unsigned Slack event is refused", func(t *testing.T) {
			event := slacktest.ThreadReply("EvBad", channel, "1.0", "2.0", "UAGENT1", "hi")
			require.Equal(t, http.StatusUnauthorized, post(t, e.baseURL+"/slack/events", "application/json", event, nil).StatusCode)
		})
		t.Run("a Slack request older than five minutes is refused", func(t *testing.T) {
			event := slacktest.ThreadReply("EvOld", channel, "1.0", "2.0", "UAGENT1", "hi")
			old := time.Now().Add(-6 * time.Minute)
			sig, ts := slacktest.Sign(signingSecret, old, event)
			resp := post(t, e.baseURL+"/slack/events", "application/json", event,
				map[string]string{"X-Slack-Signature": sig, "X-Slack-Request-Timestamp": ts})
			require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		})
		t.Run("a mis-signed button click is refused", func(t *testing.T) {
			form := []byte(slacktest.InteractionBody(slacktest.ButtonClick("t", "UAGENT1", channel, "1.0", "sb:claim", "1")))
			sig, ts := slacktest.Sign("wrong-secret", time.Now(), form)
			resp := post(t, e.baseURL+"/slack/interactivity", "application/x-www-form-urlencoded", form,
				map[string]string{"X-Slack-Signature": sig, "X-Slack-Request-Timestamp": ts})
			require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		})
		require.Zero(t, storedMessages(t, e), "nothing refused was stored")

		t.Run("the verification handshake echoes the challenge only for our token", func(t *testing.T) {
			ok, err := http.Get(waURL + "?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444")
			require.NoError(t, err)
			defer ok.Body.Close()
			var buf bytes.Buffer
			_, _ = buf.ReadFrom(ok.Body)
			require.Equal(t, http.StatusOK, ok.StatusCode)
			require.Equal(t, "1158201444", buf.String())
			bad, err := http.Get(waURL + "?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1")
			require.NoError(t, err)
			bad.Body.Close()
			require.Equal(t, http.StatusForbidden, bad.StatusCode)
		})
	})
}

func TestHealthReadinessAndMetrics(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200} {
		resp, err := http.Get(e.baseURL + path)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, want, resp.StatusCode, path)
	}
	e.customerWrites("34612345678", "Ana", "wamid.m1", time.Now(), "metrics please")
	e.waitCardAndThread("metrics please")
	resp, err := http.Get(e.baseURL + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	body := buf.String()
	require.Contains(t, body, `switchboard_webhooks_received_total{platform="whatsapp",result="accepted"} 1`)
	require.Contains(t, body, `switchboard_deliveries_total{platform="slack",result="sent"}`)
	require.Contains(t, body, "switchboard_delivery_latency_seconds_bucket")
	require.Contains(t, body, "switchboard_queue_depth")

	// After the database closes, readiness says so (the process is alive).
	require.NoError(t, e.app.DB.Close())
	resp, err = http.Get(e.baseURL + "/readyz")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	resp, err = http.Get(e.baseURL + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

// statusForLength sends only the head of a POST announcing a body of n
// bytes and returns the status the server answers with.
func statusForLength(t *testing.T, baseURL, path string, n int) int {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(baseURL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: switchboard\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{", path, n)
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(waitLong)))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}
