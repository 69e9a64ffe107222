package app_test

import (
	"context"
	"io"
	"net/http"
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

// A load balancer (a Kubernetes Service, a proxy with health checks) learns
// that a replica is stopping only from its readiness probe. So for
// server.drain_delay after the shutdown starts, /readyz answers 503 while
// /healthz and the webhooks are still served; then the listener closes and
// in-flight work finishes. A webhook that arrives while draining is stored
// and acknowledged, and delivered (here by the next start).
func TestShutdownAnswersNotReadyWhileStillServingForTheDrainDelay(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		const drain = 2 * time.Second
		e := setup(t, dialect, withTopLevel("server:\n  drain_delay: 2s\n"))
		status, _ := probe(e.baseURL + "/readyz")
		require.Equal(t, http.StatusOK, status, "ready before the shutdown")

		shutdown := make(chan error, 1)
		started := time.Now()
		go func() {
			var err error
			e.stopOnce.Do(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
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
			require.NoError(t, err, "a clean shutdown")
		case <-time.After(waitLong):
			t.Fatal("the shutdown did not end")
		}
		require.GreaterOrEqual(t, time.Since(started), drain, "the listener stayed open for the drain delay")
		status, _ = probe(e.baseURL + "/healthz")
		require.Zero(t, status, "the listener is closed after the shutdown")

		e.start()
		e.waitCardAndThread("sent while draining")
	})
}
