package slack

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/bridge"
)

// A burst of 200 customers writing into one team's channel: each needs a
// card and a message, 400 posts. Slack's limit and our pace are scaled up
// 100× (100 posts/s allowed, 80/s paced) so the test takes seconds; the
// shape is the production one (1/s allowed, about 1/s paced, small burst).
func TestPacedBurstIntoOneChannelStaysUnderSlackLimit(t *testing.T) {
	t.Parallel()
	fake := slacktest.New(t)
	const channel, customers = "C0BURST01", 200
	fake.LimitChannel(channel, 100)
	w := NewWorkspace(Config{Token: slacktest.Token, APIURL: fake.URL(), HTTPClient: fake.Client(),
		Pacing: Pacing{PerSecond: 80, Burst: 4}})

	start := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []error
	latencies := make([]time.Duration, 0, customers)
	for c := range customers {
		wg.Go(func() {
			asked := time.Now()
			thread, err := w.OpenThread(context.Background(), channel, bridge.Card{ConversationID: bridge.ConversationID(c + 1), Title: fmt.Sprintf("Customer %03d", c)})
			if err == nil {
				_, err = w.Post(context.Background(), thread, bridge.Post{Kind: bridge.PostCustomer, Text: fmt.Sprintf("message of %03d", c)})
			}
			mu.Lock()
			defer mu.Unlock()
			latencies = append(latencies, time.Since(asked))
			if err != nil {
				failures = append(failures, err)
			}
		})
	}
	require.Eventually(t, func() bool { return w.Pacer().Stats().Waiting > 0 }, 5*time.Second, time.Millisecond,
		"the burst queues at the pacer")
	wg.Wait()
	backlog := w.Pacer().Stats().Peak
	elapsed := time.Since(start)

	calls := fake.Calls("chat.postMessage")
	posted := len(fake.Posts())
	refused := calls - posted
	require.Empty(t, failures)
	require.Equal(t, 2*customers, posted, "every card and message posted")
	require.Less(t, float64(refused), 0.01*float64(calls), "fewer than 1%% of posts answered 429")
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	t.Logf("%d posts in %s (%.0f/s), %d answered 429; peak backlog %d posts; customer wait p50 %s, max %s; longest pace %s",
		calls, elapsed.Round(time.Millisecond), float64(posted)/elapsed.Seconds(), refused, backlog,
		latencies[len(latencies)/2].Round(time.Millisecond), latencies[len(latencies)-1].Round(time.Millisecond),
		w.Pacer().Stats().MaxWait.Round(time.Millisecond))
}

func TestPacerSpacesPostsPerChannel(t *testing.T) {
	t.Parallel()
	p := NewPacer(Pacing{PerSecond: 10, Burst: 2})
	ctx := context.Background()
	start := time.Now()
	for range 4 { // 2 at once, then 2 spaced 100 ms apart
		require.NoError(t, p.Wait(ctx, "C1"))
	}
	require.GreaterOrEqual(t, time.Since(start), 190*time.Millisecond)
	other := time.Now()
	require.NoError(t, p.Wait(ctx, "C2"), "another channel has its own pace")
	// Waiting behind C1 would take a whole 100 ms spacing; half of it
	// leaves room for a busy machine.
	require.Less(t, time.Since(other), 50*time.Millisecond)
}

func TestPacerWaitEndsWithContext(t *testing.T) {
	t.Parallel()
	p := NewPacer(Pacing{PerSecond: 0.01, Burst: 1})
	require.NoError(t, p.Wait(context.Background(), "C1"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, p.Wait(ctx, "C1"), context.Canceled)
	require.Nil(t, NewPacer(Pacing{}), "zero pacing is off")
	require.NoError(t, (*Pacer)(nil).Wait(ctx, "C1"), "a nil pacer never waits")
}
