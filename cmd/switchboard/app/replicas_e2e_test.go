package app_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/cmd/switchboard/app"
	"github.com/switchboard/switchboard/storage"
)

// Two replicas on one PostgreSQL assign a burst of new conversations
// round robin: every agent's load differs by at most one and no
// conversation is assigned twice.
func TestRoundRobinIsFairAcrossTwoReplicas(t *testing.T) {
	t.Parallel()
	agents := []string{"U0RR000001", "U0RR000002", "U0RR000003", "U0RR000004", "U0RR000005", "U0RR000006", "U0RR000007"}
	e := setup(t, storage.Postgres, withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    strategy: round_robin
    members: [%s]
`, channel, joinIDs(agents))))
	second, err := app.Build(context.Background(), e.cfg, e.tune)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = second.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = second.Shutdown(ctx)
	})
	urls := []string{e.baseURL, "http://" + ln.Addr().String()}

	const n = 350 // 50 per agent
	var wg sync.WaitGroup
	jobs := make(chan int)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				body := whatsapptest.TextMessage(phoneID, fmt.Sprintf("3460%07d", i), "Customer", fmt.Sprintf("wamid.rep%d", i), time.Now(), "hello")
				resp := whatsapptest.PostWebhook(t, urls[w%2]+"/webhooks/whatsapp", appSecret, body)
				if resp.StatusCode != http.StatusOK {
					t.Errorf("webhook %d answered %d", i, resp.StatusCode)
				}
			}
		}()
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	ctx := context.Background()
	var loads []struct {
		Assignee string `db:"assignee"`
		N        int    `db:"n"`
	}
	require.NoError(t, e.app.DB.SelectContext(ctx, &loads, `SELECT assignee, COUNT(*) AS n FROM conversations GROUP BY assignee`))
	require.Len(t, loads, len(agents), "every conversation assigned, to the seven agents only")
	lo, hi := n, 0
	for _, l := range loads {
		lo, hi = min(lo, l.N), max(hi, l.N)
	}
	t.Logf("loads %v", loads)
	require.LessOrEqual(t, hi-lo, 1, "busiest and idlest differ by at most one")
	var twice int
	require.NoError(t, e.app.DB.GetContext(ctx, &twice,
		`SELECT COUNT(*) FROM (SELECT conversation_id FROM events WHERE kind = 'assigned' GROUP BY conversation_id HAVING COUNT(*) > 1) x`))
	require.Zero(t, twice, "no conversation assigned twice")
}

func joinIDs(ids []string) string {
	out := ""
	for i, id := range ids {
		if i > 0 {
			out += ", "
		}
		out += id
	}
	return out
}
