package instagram_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/instagram"
	"github.com/switchboard/switchboard/adapters/instagram/instagramtest"
	"github.com/switchboard/switchboard/bridge"
)

// storeFake is a bridge.CustomerInbound that keeps what it is given, or
// fails when told to.
type storeFake struct {
	mu    sync.Mutex
	hooks []bridge.CustomerWebhook
	fail  error
}

func (s *storeFake) HandleCustomerWebhook(_ context.Context, h bridge.CustomerWebhook) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.hooks = append(s.hooks, h)
	return nil
}

const secret = "app-secret"

func serve(t *testing.T, store *storeFake) *fiber.App {
	t.Helper()
	app := fiber.New(fiber.Config{BodyLimit: 4096})
	(&instagram.Webhook{AppSecret: secret, VerifyToken: "verify-me", Inbound: store}).Register(app)
	return app
}

func post(t *testing.T, app *fiber.App, body []byte, sig string) (int, string) {
	t.Helper()
	req := httptest.NewRequest("POST", instagram.WebhookPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if sig != "" {
		req.Header.Set("X-Hub-Signature-256", sig)
	}
	resp, err := app.Test(req, -1)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestWebhookHandshake(t *testing.T) {
	t.Parallel()
	app := serve(t, &storeFake{})
	for _, tc := range []struct {
		query string
		code  int
		body  string
	}{
		{"hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444", 200, "1158201444"},
		{"hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1", 403, "verification failed"},
		{"hub.mode=unsubscribe&hub.verify_token=verify-me&hub.challenge=1", 403, "verification failed"},
	} {
		resp, err := app.Test(httptest.NewRequest("GET", instagram.WebhookPath+"?"+tc.query, nil), -1)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		require.Equal(t, tc.code, resp.StatusCode, tc.query)
		require.Equal(t, tc.body, string(b))
	}
}

func TestWebhookStoresBeforeAcknowledging(t *testing.T) {
	t.Parallel()
	store := &storeFake{}
	app := serve(t, store)
	at := time.UnixMilli(1700000000000)
	body := instagramtest.Text("178414", "1254", "m1", "hola", at)

	code, _ := post(t, app, body, instagramtest.Sign(secret, body))
	require.Equal(t, 200, code)
	require.Len(t, store.hooks, 1, "stored before 200")
	require.Equal(t, "hola", store.hooks[0].Messages[0].Text)
	require.Equal(t, bridge.InboxID("178414"), store.hooks[0].Messages[0].Inbox)

	store.fail = errors.New("database down")
	code, _ = post(t, app, body, instagramtest.Sign(secret, body))
	require.Equal(t, 503, code, "not stored: Meta must retry")
}

func TestWebhookRefusals(t *testing.T) {
	t.Parallel()
	store := &storeFake{}
	app := serve(t, store)
	body := instagramtest.Text("178414", "1254", "m1", "hola", time.Now())
	code, _ := post(t, app, body, "")
	require.Equal(t, 401, code, "unsigned")
	code, _ = post(t, app, body, instagramtest.Sign("other-secret", body))
	require.Equal(t, 401, code, "signed with another secret")
	bad := []byte(`{"object":"instagram","entry":[`)
	code, _ = post(t, app, bad, instagramtest.Sign(secret, bad))
	require.Equal(t, 400, code, "malformed JSON")
	page := []byte(`{"object":"page","entry":[]}`)
	code, _ = post(t, app, page, instagramtest.Sign(secret, page))
	require.Equal(t, 400, code, "a Page webhook sent here")
	require.Empty(t, store.hooks, "nothing refused was stored")

	noSecret := fiber.New()
	(&instagram.Webhook{Inbound: store}).Register(noSecret)
	code, _ = post(t, noSecret, body, instagramtest.Sign("", body))
	require.Equal(t, 503, code, "no app secret configured: never accept unsigned")
}
