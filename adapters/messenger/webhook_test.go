package messenger_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/messenger"
	"github.com/switchboard/switchboard/adapters/messenger/messengertest"
	"github.com/switchboard/switchboard/bridge"
)

type fakeInbound struct {
	mu    sync.Mutex
	err   error
	hooks []bridge.CustomerWebhook
}

func (f *fakeInbound) HandleCustomerWebhook(_ context.Context, hook bridge.CustomerWebhook) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	f.hooks = append(f.hooks, hook)
	return nil
}

func (f *fakeInbound) got() []bridge.CustomerWebhook {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bridge.CustomerWebhook(nil), f.hooks...)
}

const secret = "app-secret"

// serve runs the webhook on a loopback fiber server with a 1 KiB body
// limit and returns its URL.
func serve(t *testing.T, in *fakeInbound) string {
	t.Helper()
	app := fiber.New(fiber.Config{BodyLimit: 1 << 10, DisableStartupMessage: true})
	(&messenger.Webhook{AppSecret: secret, VerifyToken: "verify-me", AppID: messengertest.DefaultAppID, Inbound: in}).Register(app)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.Shutdown() })
	return "http://" + ln.Addr().String() + messenger.WebhookPath
}

func TestWebhook(t *testing.T) {
	t.Parallel()
	now := time.Now()
	t.Run("the handshake echoes the challenge only for the right token", func(t *testing.T) {
		t.Parallel()
		url := serve(t, &fakeInbound{})
		resp, err := http.Get(url + "?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444")
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Equal(t, "1158201444", string(body))
		resp, err = http.Get(url + "?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1")
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
	})
	t.Run("a signed message is stored before 200", func(t *testing.T) {
		t.Parallel()
		in := &fakeInbound{}
		resp := messengertest.PostWebhook(t, serve(t, in), secret, messengertest.Envelope(page, messengertest.TextItem(page, psid, "m_1", "hi", now)))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		got := in.got()
		require.Len(t, got, 1)
		require.Equal(t, "hi", got[0].Messages[0].Text)
		require.Equal(t, bridge.InboxID(page), got[0].Messages[0].Inbox)
	})
	t.Run("unsigned is 401, wrongly signed is 401, malformed is 400, oversized is 413", func(t *testing.T) {
		t.Parallel()
		in := &fakeInbound{}
		url := serve(t, in)
		body := messengertest.Envelope(page, messengertest.TextItem(page, psid, "m_1", "hi", now))
		require.Equal(t, http.StatusUnauthorized, messengertest.PostWebhook(t, url, "", body).StatusCode)
		require.Equal(t, http.StatusUnauthorized, messengertest.PostWebhook(t, url, "other", body).StatusCode)
		require.Equal(t, http.StatusBadRequest, messengertest.PostWebhook(t, url, secret, []byte(`{"object":`)).StatusCode)
		big := messengertest.Envelope(page, messengertest.TextItem(page, psid, "m_1", strings.Repeat("x", 2<<10), now))
		require.Equal(t, http.StatusRequestEntityTooLarge, messengertest.PostWebhook(t, url, secret, big).StatusCode)
		require.Empty(t, in.got())
	})
	t.Run("our own echo is acknowledged and not stored; a Page inbox echo is stored as an echo", func(t *testing.T) {
		t.Parallel()
		in := &fakeInbound{}
		url := serve(t, in)
		own := messengertest.Envelope(page, messengertest.EchoItem(page, psid, "m_own", "hi", messengertest.DefaultAppID, "switchboard", now))
		require.Equal(t, http.StatusOK, messengertest.PostWebhook(t, url, secret, own).StatusCode)
		require.Empty(t, in.got())
		inbox := messengertest.Envelope(page, messengertest.EchoItem(page, psid, "m_page", "from the Page inbox", "263902037430900", "", now))
		require.Equal(t, http.StatusOK, messengertest.PostWebhook(t, url, secret, inbox).StatusCode)
		got := in.got()
		require.Len(t, got, 1)
		require.True(t, got[0].Messages[0].Echo)
		require.Equal(t, bridge.CustomerAddress(psid), got[0].Messages[0].From)
	})
	t.Run("a storage failure answers 503 so Meta retries", func(t *testing.T) {
		t.Parallel()
		in := &fakeInbound{err: errors.New("db down")}
		resp := messengertest.PostWebhook(t, serve(t, in), secret, messengertest.Envelope(page, messengertest.TextItem(page, psid, "m_1", "hi", now)))
		require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	})
}
