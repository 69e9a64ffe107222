package app_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// probe answers an HTTP GET's status and body, or 0 when nothing answers
// (the listener is closed); unlike get it never fails the test, so it can
// run inside require.Eventually.
func probe(url string) (int, string) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// withDrainEnd makes the drain end when the returned function is called
// (or when the test ends), instead of after server.drain_delay.
func withDrainEnd(t *testing.T) (option, func()) {
	ch := make(chan struct{})
	release := sync.OnceFunc(func() { close(ch) })
	t.Cleanup(release)
	return func(e *env, _ *strings.Builder) { e.tune.DrainEnd = ch }, release
}

// A load balancer (a Kubernetes Service, a proxy with health checks) learns
// that a replica is stopping only from its readiness probe. So for
// server.drain_delay after the shutdown starts, /readyz answers 503 while
// /healthz and the webhooks are still served; then the listener closes and
// in-flight work finishes. A webhook that arrives while draining is stored
// and acknowledged, and delivered (here by the next start). The drain is
// ended by the test once its requests are answered (the delay, a minute,
// is only the upper bound), so a loaded machine cannot end it first.
func TestShutdownAnswersNotReadyWhileStillServingForTheDrainDelay(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		drainEnd, endDrain := withDrainEnd(t)
		e := setup(t, dialect, withTopLevel("server:\n  drain_delay: 1m\n  shutdown_timeout: 2m\n"), drainEnd)
		status, _ := probe(e.baseURL + "/readyz")
		require.Equal(t, http.StatusOK, status, "ready before the shutdown")

		shutdown := make(chan error, 1)
		go func() {
			var err error
			e.stopOnce.Do(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				defer cancel()
				err = e.app.Shutdown(ctx)
			})
			shutdown <- err
		}()

		var body string
		require.Eventually(t, func() bool {
			status, body = probe(e.baseURL + "/readyz")
			return status == http.StatusServiceUnavailable
		}, waitLong, 10*time.Millisecond, "/readyz turns 503 as soon as the shutdown starts")
		require.Contains(t, body, "shutting down")
		status, _ = probe(e.baseURL + "/healthz")
		require.Equal(t, http.StatusOK, status, "the listener still serves: the process is alive")
		// Acknowledged (200) means stored: it cannot be lost by the shutdown.
		e.customerWrites("34612345678", "Ana", "wamid.while-draining", time.Now(), "sent while draining")
		select {
		case err := <-shutdown:
			t.Fatalf("the shutdown ended (%v) before the drain did", err)
		default:
		}

		endDrain()
		select {
		case err := <-shutdown:
			require.NoError(t, err, "a clean shutdown")
		case <-time.After(waitLong):
			t.Fatal("the shutdown did not end once the drain did")
		}
		status, _ = probe(e.baseURL + "/healthz")
		require.Zero(t, status, "the listener is closed after the shutdown")

		e.start()
		e.waitCardAndThread("sent while draining")
	})
}
