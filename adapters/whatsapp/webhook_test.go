package whatsapp_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/fixtures"
	"github.com/switchboard/switchboard/adapters/whatsapp"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/bridge"
)

// fakeInbound is a bridge.CustomerInbound that records what it was given
// and fails while err is set.
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

type webhookSetup struct {
	url     string
	inbound *fakeInbound
	reg     *prometheus.Registry
	logs    *syncBuffer
}

// syncBuffer collects log output from the server goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

const appSecret = "app-secret-for-tests"

// setupWebhook serves a Webhook on a real fiber app listening on a free
// local port; it shuts down when the test ends.
func setupWebhook(t *testing.T, secret string) webhookSetup {
	t.Helper()
	s := webhookSetup{inbound: &fakeInbound{}, reg: prometheus.NewRegistry(), logs: &syncBuffer{}}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	(&whatsapp.Webhook{
		AppSecret:   secret,
		VerifyToken: "verify-me",
		Inbound:     s.inbound,
		Metrics:     bridge.NewMetrics(s.reg, nil),
		Log:         slog.New(slog.NewTextHandler(s.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}).Register(app)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })
	s.url = "http://" + ln.Addr().String() + whatsapp.WebhookPath
	return s
}

// count reads switchboard_webhooks_received_total{platform="whatsapp",result}.
func (s webhookSetup) count(result string) float64 {
	mfs, _ := s.reg.Gather()
	for _, mf := range mfs {
		if mf.GetName() != "switchboard_webhooks_received_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["platform"] == "whatsapp" && labels["result"] == result {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

func post(t *testing.T, url string, body []byte, header string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	require.NoError(t, err)
	if header != "" {
		req.Header.Set(whatsapp.SignatureHeader, header)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

func bodyOf(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

func TestWebhookVerificationHandshake(t *testing.T) {
	t.Parallel()
	s := setupWebhook(t, appSecret)
	get := func(q url.Values) *http.Response {
		resp, err := http.Get(s.url + "?" + q.Encode())
		require.NoError(t, err)
		t.Cleanup(func() { _ = resp.Body.Close() })
		return resp
	}
	t.Run("the right token echoes the raw challenge", func(t *testing.T) {
		resp := get(url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {"verify-me"}, "hub.challenge": {"1158201444"}})
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Equal(t, "1158201444", bodyOf(t, resp))
	})
	t.Run("a wrong token is forbidden", func(t *testing.T) {
		resp := get(url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {"nope"}, "hub.challenge": {"1"}})
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
	})
	t.Run("a wrong mode is forbidden", func(t *testing.T) {
		resp := get(url.Values{"hub.mode": {"unsubscribe"}, "hub.verify_token": {"verify-me"}, "hub.challenge": {"1"}})
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
	})
	require.NotContains(t, s.logs.String(), "verify-me", "tokens never reach the logs")
}

func TestWebhookDelivery(t *testing.T) {
	t.Parallel()
	body := whatsapptest.TextMessage("106540352242922", "16505551234", "Sheena", "wamid.A", time.Unix(1749416383, 0), "hello")

	t.Run("a missing signature is unauthorized", func(t *testing.T) {
		t.Parallel()
		s := setupWebhook(t, appSecret)
		resp := post(t, s.url, body, "")
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		require.Empty(t, s.inbound.got())
		require.Equal(t, 1.0, s.count(bridge.ResultUnauthorized))
	})
	t.Run("a wrong signature is unauthorized", func(t *testing.T) {
		t.Parallel()
		s := setupWebhook(t, appSecret)
		resp := post(t, s.url, body, whatsapptest.Sign("another-secret", body))
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		require.Empty(t, s.inbound.got())
	})
	t.Run("a signed but malformed body is a bad request", func(t *testing.T) {
		t.Parallel()
		s := setupWebhook(t, appSecret)
		resp := whatsapptest.PostWebhook(t, s.url, appSecret, []byte(`{"object":"page","entry":[]}`))
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Equal(t, 1.0, s.count(bridge.ResultBadRequest))
	})
	t.Run("a stored delivery is acknowledged with 200", func(t *testing.T) {
		t.Parallel()
		s := setupWebhook(t, appSecret)
		resp := whatsapptest.PostWebhook(t, s.url, appSecret, body)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		hooks := s.inbound.got()
		require.Len(t, hooks, 1)
		require.Len(t, hooks[0].Messages, 1)
		m := hooks[0].Messages[0]
		require.Equal(t, "hello", m.Text)
		require.Equal(t, bridge.CustomerAddress("16505551234"), m.From)
		require.Equal(t, 1.0, s.count(bridge.ResultAccepted))
		require.NotContains(t, s.logs.String(), "16505551234", "customer phones never reach the logs")
		require.NotContains(t, s.logs.String(), appSecret)
	})
	t.Run("a failing bridge answers 503 so Meta retries", func(t *testing.T) {
		t.Parallel()
		s := setupWebhook(t, appSecret)
		s.inbound.err = errors.New("database is down")
		resp := whatsapptest.PostWebhook(t, s.url, appSecret, body)
		require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
		require.Equal(t, 1.0, s.count(bridge.ResultError))
	})
	t.Run("without an app secret nothing is accepted", func(t *testing.T) {
		t.Parallel()
		s := setupWebhook(t, "")
		resp := whatsapptest.PostWebhook(t, s.url, "", body)
		require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
		require.Contains(t, bodyOf(t, resp), "whatsapp.app_secret is not configured")
		require.Empty(t, s.inbound.got())
	})
	t.Run("a delivery with only other fields is acknowledged and ignored", func(t *testing.T) {
		t.Parallel()
		s := setupWebhook(t, appSecret)
		other := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":{}}]}]}`)
		resp := whatsapptest.PostWebhook(t, s.url, appSecret, other)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Empty(t, s.inbound.got())
		require.Equal(t, 1.0, s.count(bridge.ResultIgnored))
	})
}

func TestWebhookAcceptsEveryFixtureSignedAsReceived(t *testing.T) {
	t.Parallel()
	s := setupWebhook(t, appSecret)
	files := fixtures.Files(t, "whatsapp", ".json")
	for _, path := range files {
		name := path[strings.LastIndex(path, "/")+1:]
		resp := whatsapptest.PostWebhook(t, s.url, appSecret, fixtures.Read(t, "whatsapp", name))
		require.Equal(t, http.StatusOK, resp.StatusCode, name)
	}
	require.Len(t, s.inbound.got(), len(files))
}

func TestWebhookRawSurvivesTheRequest(t *testing.T) {
	t.Parallel()
	s := setupWebhook(t, appSecret)
	first := whatsapptest.TextMessage("1", "491", "A", "wamid.first", time.Unix(1700000000, 0), "first body")
	second := whatsapptest.TextMessage("1", "491", "A", "wamid.second", time.Unix(1700000001, 0), "other body")
	require.Equal(t, http.StatusOK, whatsapptest.PostWebhook(t, s.url, appSecret, first).StatusCode)
	require.Equal(t, http.StatusOK, whatsapptest.PostWebhook(t, s.url, appSecret, second).StatusCode)
	hooks := s.inbound.got()
	require.Len(t, hooks, 2)
	// fasthttp reuses request buffers: Raw kept from the first request must
	// not show bytes of the second.
	require.Contains(t, string(hooks[0].Messages[0].Raw), "wamid.first")
	require.Contains(t, string(hooks[0].Messages[0].Raw), "first body")
}
