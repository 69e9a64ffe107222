package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/cmd/switchboard/app"
)

// syncBuffer is a log destination safe for the server's goroutines.
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

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

// TestHandlerPanicIsAnswered500AndTheServerKeepsServing: without a recover
// middleware a panic in any handler ends the whole process (fasthttp does
// not recover), taking every platform's webhooks down with it.
func TestHandlerPanicIsAnswered500AndTheServerKeepsServing(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		// A second replica on the same database, with one route that
		// panics (routes cannot be added once a fiber app serves).
		var logs syncBuffer
		tune := e.tune
		tune.Log = slog.New(slog.NewTextHandler(&logs, nil))
		a, err := app.Build(context.Background(), e.cfg, tune)
		require.NoError(t, err)
		a.HTTP.Post("/test/panic", func(*fiber.Ctx) error { panic("secret internal detail") })
		require.NoError(t, a.Start(context.Background()))
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		go func() { _ = a.Serve(ln) }()
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = a.Shutdown(ctx)
		})
		base := "http://" + ln.Addr().String()

		resp, err := http.Post(base+"/test/panic", "text/plain", strings.NewReader("x"))
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
		require.NotContains(t, string(body), "secret internal detail", "the panic value stays in the log")
		require.Contains(t, logs.String(), "http handler panicked")
		require.Contains(t, logs.String(), "secret internal detail")
		require.Contains(t, logs.String(), "stack=", "logged with its stack")

		status, _ := get(t, base+"/healthz")
		require.Equal(t, http.StatusOK, status, "the next request is served")
		status, metrics := get(t, base+"/metrics")
		require.Equal(t, http.StatusOK, status)
		require.Contains(t, metrics, "switchboard_http_panics_total 1", "counted for alerting")
		e.customerWrites("34612345678", "Ana", "wamid.after-panic", time.Now(), "still here?")
		e.waitCardAndThread("still here?")
	})
}

// TestMetricsServedOnTheirOwnAddressAndNotOnTheMainOne: with
// server.metrics_listen set, /metrics is on that address only; the
// listener Meta and Slack reach answers 404 for it.
func TestMetricsServedOnTheirOwnAddressAndNotOnTheMainOne(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withTopLevel("server:\n  metrics_listen: 127.0.0.1:0\n"))
		e.customerWrites("34612345678", "Ana", "wamid.metrics-apart", time.Now(), "count me")
		e.waitCardAndThread("count me")

		addr := e.app.MetricsAddr()
		require.NotNil(t, addr, "the metrics listener is up")
		status, body := get(t, "http://"+addr.String()+"/metrics")
		require.Equal(t, http.StatusOK, status)
		require.Contains(t, body, `switchboard_webhooks_received_total{platform="whatsapp",result="accepted"} 1`)

		status, body = get(t, e.baseURL+"/metrics")
		require.Equal(t, http.StatusNotFound, status)
		require.NotContains(t, body, "switchboard_")
		status, _ = get(t, e.baseURL+"/healthz")
		require.Equal(t, http.StatusOK, status)
	})
}
