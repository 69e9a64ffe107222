package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
)

// Fifty messages of one customer, sent as concurrent webhooks, appear in
// the thread in the order the customer wrote them. The order window
// covers the spread of the concurrent arrivals.
func TestConcurrentWebhooksArePostedInTimestampOrder(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withOrderWindow(2*time.Second))
		base := time.Now().Add(-time.Minute).Truncate(time.Second)
		const n = 50
		var wg sync.WaitGroup
		for i := n - 1; i >= 0; i-- { // started newest first, to make arrival order wrong
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := whatsapptest.TextMessage(phoneID, "34612345678", "Ana", fmt.Sprintf("wamid.order%02d", i),
					base.Add(time.Duration(i)*time.Second), fmt.Sprintf("message %02d", i))
				resp := whatsapptest.PostWebhook(t, e.baseURL+"/webhooks/whatsapp", appSecret, body)
				if resp.StatusCode != http.StatusOK {
					t.Errorf("webhook %d answered %d", i, resp.StatusCode)
				}
			}()
		}
		wg.Wait()
		posts := e.slack.WaitForPosts(t, func(p []slacktest.Message) bool {
			cs := cards(p)
			return len(cs) == 1 && len(inThread(p, cs[0].TS)) >= n
		}, 30*time.Second)
		require.Len(t, cards(posts), 1, "one conversation, however the webhooks raced")
		texts := inThread(posts, cards(posts)[0].TS)
		require.Len(t, texts, n)
		for i, text := range texts {
			require.Contains(t, text, fmt.Sprintf("message %02d", i), "post %d out of order", i)
		}
	})
}

// gate lets the first `allow` Slack posts through, then holds every
// further post until its request is cancelled: a Slack that hangs while
// the process is stopped. The held calls never reach the fake.
type gate struct {
	allow  int64
	posts  atomic.Int64
	closed atomic.Bool
	held   chan struct{}
	next   http.RoundTripper
}

func newGate(allow int64) *gate {
	return &gate{allow: allow, held: make(chan struct{}, 100), next: http.DefaultTransport}
}

func (g *gate) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/chat.postMessage") && !g.closed.Load() && g.posts.Add(1) > g.allow {
		g.held <- struct{}{}
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	return g.next.RoundTrip(r)
}

// A shutdown in the middle of delivering hands the interrupted work back;
// the next process delivers every message exactly once, in order.
func TestStopMidDeliveryThenRestartDeliversEachMessageOnce(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		g := newGate(4) // the card and three messages get through
		e := setup(t, dialect, withTransport(g))
		base := time.Now().Add(-time.Minute).Truncate(time.Second)
		const n = 10
		for i := range n {
			e.customerWrites("34612345678", "Ana", fmt.Sprintf("wamid.crash%02d", i), base.Add(time.Duration(i)*time.Second),
				fmt.Sprintf("crash message %02d", i))
		}
		select {
		case <-g.held: // a post is in flight and hanging
		case <-time.After(waitLong):
			t.Fatal("no delivery reached the hanging Slack")
		}
		e.stopWithin(200 * time.Millisecond)
		require.Len(t, e.slack.Posts(), 4, "only what the gate let through was posted before the stop")

		g.closed.Store(true) // Slack is well again
		e.start()
		posts := e.slack.WaitForPosts(t, func(p []slacktest.Message) bool {
			cs := cards(p)
			return len(cs) == 1 && len(inThread(p, cs[0].TS)) >= n
		}, 30*time.Second)
		texts := inThread(posts, cards(posts)[0].TS)
		require.Len(t, texts, n, "nothing lost, nothing doubled")
		for i, text := range texts {
			require.Contains(t, text, fmt.Sprintf("crash message %02d", i))
		}
	})
}
