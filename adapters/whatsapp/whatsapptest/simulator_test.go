package whatsapptest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
)

// statusSink is a webhook receiver that checks Meta's signature and
// records the statuses it is told, in order.
type statusSink struct {
	mu       sync.Mutex
	statuses []string // "wamid status recipient"
	changed  chan struct{}
	refuse   int // answer the next n webhooks 500
}

func (k *statusSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if r.Header.Get("X-Hub-Signature-256") != whatsapptest.Sign("secret", body) {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.refuse > 0 {
		k.refuse--
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	var raw struct {
		Entry []struct {
			Changes []struct {
				Value struct {
					Statuses []map[string]any `json:"statuses"`
				} `json:"value"`
			} `json:"changes"`
		} `json:"entry"`
	}
	if json.Unmarshal(body, &raw) != nil || len(raw.Entry) == 0 || len(raw.Entry[0].Changes) == 0 {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	for _, st := range raw.Entry[0].Changes[0].Value.Statuses {
		k.statuses = append(k.statuses, st["id"].(string)+" "+st["status"].(string)+" "+st["recipient_id"].(string))
	}
	close(k.changed)
	k.changed = make(chan struct{})
}

func (k *statusSink) waitFor(t *testing.T, n int) []string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		k.mu.Lock()
		got, ch := append([]string(nil), k.statuses...), k.changed
		k.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("got %d statuses, want %d: %v", len(got), n, got)
		}
	}
}

func TestSimulatorPostsSentDeliveredThenReadInOrder(t *testing.T) {
	t.Parallel()
	sink := &statusSink{changed: make(chan struct{}), refuse: 1}
	hook := httptest.NewServer(sink)
	t.Cleanup(hook.Close)
	srv, err := whatsapptest.Start("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	srv.SendWebhooksTo(hook.URL, "secret")

	send := func(to, text string) string {
		resp, body := do(t, http.MethodPost, srv.URL+"/v23.0/106540352242922/messages", srv.Token,
			`{"messaging_product":"whatsapp","to":"`+to+`","type":"text","text":{"body":"`+text+`"}}`)
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		var out struct{ Messages []struct{ ID string } }
		require.NoError(t, json.Unmarshal([]byte(body), &out))
		return out.Messages[0].ID
	}
	a := send("34612345678", "one")
	b := send("34612345678", "two")
	other := send("447700900123", "three")
	// The first webhook is refused once and retried: order holds.
	require.Equal(t, []string{
		a + " sent 34612345678", a + " delivered 34612345678",
		b + " sent 34612345678", b + " delivered 34612345678",
		other + " sent 447700900123", other + " delivered 447700900123",
	}, sink.waitFor(t, 6))

	require.Equal(t, 2, srv.MarkRead("34612345678"), "both messages to that customer")
	require.Equal(t, []string{a + " read 34612345678", b + " read 34612345678"}, sink.waitFor(t, 8)[6:])
	require.Eventually(t, func() bool { return srv.MessageStatus(b) == "read" }, 5*time.Second, 10*time.Millisecond)
	require.Equal(t, "delivered", srv.MessageStatus(other))
	var seen []string
	for _, r := range srv.Receipts(a) {
		seen = append(seen, r.Status)
	}
	require.Equal(t, []string{"sent", "delivered", "read"}, seen)
	require.Equal(t, 0, srv.MarkRead("34612345678"), "nothing left unread")
}

// cleanups is a TB that runs its cleanups when told, so a test can look
// at what a fake leaves behind once its own test would have ended.
type cleanups struct {
	testing.TB
	fns []func()
}

func (c *cleanups) Cleanup(fn func()) { c.fns = append(c.fns, fn) }

func (c *cleanups) run() {
	for i := len(c.fns) - 1; i >= 0; i-- {
		c.fns[i]()
	}
}

// TestTheEndOfATestStopsTheStatusWebhooks: New's cleanup cancels a status
// webhook in flight and waits for the simulator's goroutines, so a test
// using the fake leaves none running. Not parallel: parallel tests wait
// until it ends, so the only simulator goroutines are this fake's.
func TestTheEndOfATestStopsTheStatusWebhooks(t *testing.T) {
	arrived, release := make(chan struct{}, 1), make(chan struct{})
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body) // then net/http notices the caller leaving
		select {
		case arrived <- struct{}{}:
		default:
		}
		select { // no answer: the webhook stays in flight
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(hook.Close)
	t.Cleanup(func() { close(release) })
	c := &cleanups{TB: t}
	srv := whatsapptest.New(c)
	srv.SendWebhooksTo(hook.URL, "secret")
	resp, body := do(t, http.MethodPost, srv.URL+"/v23.0/106540352242922/messages", srv.Token,
		`{"messaging_product":"whatsapp","to":"34612345678","type":"text","text":{"body":"hi"}}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("the sent status never reached the webhook")
	}

	c.run()
	buf := make([]byte, 1<<20)
	stacks := string(buf[:runtime.Stack(buf, true)])
	require.False(t, strings.Contains(stacks, "whatsapptest.(*Server).deliverStatuses"), "a status goroutine outlived the test")
}
