package app_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// clock is a controllable time source for the bridge.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// middayYesterday is noon UTC of the day before today: a start for a test
// clock whose assertions name calendar days, far from any midnight.
func middayYesterday() time.Time {
	return time.Now().UTC().Truncate(24 * time.Hour).Add(-12 * time.Hour)
}

func withClock(c *clock) option {
	return func(e *env, _ *strings.Builder) { e.tune.Now = c.Now }
}

func TestWaitingConversationsAreRemindedThenEscalated(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		clk := &clock{now: time.Now()}
		e := setup(t, dialect, withClock(clk), withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    members: [U0AGENTA01]
    supervisors: [U0SUPERV01]
    remind_after: 10m
    escalate_after: 30m
`, channel)))
		ctx := context.Background()
		e.customerWrites("34611111111", "Ana", "wamid.w1", time.Now(), "anyone there?")
		card := e.waitCardIn(channel, 1)

		clk.Advance(9 * time.Minute)
		require.NoError(t, e.app.Bridge.CheckReminders(ctx))
		clk.Advance(2 * time.Minute)
		require.NoError(t, e.app.Bridge.CheckReminders(ctx))
		require.NoError(t, e.app.Bridge.CheckReminders(ctx), "a second check in the same wait sends nothing more")
		e.waitThreadText(card.TS, "⏰ <@U0AGENTA01>")

		clk.Advance(20 * time.Minute)
		require.NoError(t, e.app.Bridge.CheckReminders(ctx))
		e.waitThreadText(card.TS, "🚨 <@U0SUPERV01> — escalated")
		posts := e.slack.Posts()
		require.Equal(t, 1, containsText(inThread(posts, card.TS), "⏰"), "reminded once")
		require.Equal(t, 1, containsText(inThread(posts, card.TS), "🚨"), "escalated once")

		// An answer ends the wait; a new customer message starts a new one.
		e.replyIn(channel, "EvW1", card.TS, "1700000500.000100", "U0AGENTA01", "Here!")
		e.wa.WaitForSends(t, 1, waitLong)
		clk.Advance(time.Hour)
		require.NoError(t, e.app.Bridge.CheckReminders(ctx))
		e.customerWrites("34611111111", "Ana", "wamid.w2", clk.Now(), "thanks, one more question")
		e.waitThreadText(card.TS, "one more question")
		clk.Advance(11 * time.Minute)
		require.NoError(t, e.app.Bridge.CheckReminders(ctx))
		e.waitThreadText(card.TS, "⏰ <@U0AGENTA01>, the customer has been waiting")
		require.Equal(t, 1, containsText(inThread(e.slack.Posts(), card.TS), "🚨"), "no escalation for the new, shorter wait")
	})
}
