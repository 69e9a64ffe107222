package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/bridge"
)

// withMaxAttempts sets delivery.max_attempts.
func withMaxAttempts(n int) option {
	return func(e *env, _ *strings.Builder) { e.tune.MaxAttempts = n }
}

// TestRateLimitsInARowSpendNoAttempt: the workspace answers 429 many more
// times than max_attempts allows failures; the card and the customer's
// message still arrive, because waiting as told is not a failed attempt.
func TestRateLimitsInARowSpendNoAttempt(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		t.Run("slack", func(t *testing.T) {
			t.Parallel()
			e := setup(t, dialect, withMaxAttempts(3))
			// Slack's Retry-After is whole seconds: five keep this quick.
			e.slack.FailNext("chat.postMessage", 5, slacktest.RateLimited(time.Second))
			e.customerWrites("34612345678", "Ana", "wamid.rl429", time.Now(), "Paced but delivered")
			e.slack.WaitForPosts(t, func(p []slacktest.Message) bool {
				cs := cards(p)
				return len(cs) == 1 && containsText(inThread(p, cs[0].TS), "Paced but delivered") > 0
			}, 30*time.Second)
			require.Equal(t, 7, e.slack.Calls("chat.postMessage"), "five 429s, then the card and the message")
		})
		t.Run("discord", func(t *testing.T) {
			t.Parallel()
			d := setupDiscord(t, dialect, "text", withMaxAttempts(3))
			var limits []discordtest.Failure
			for range 20 {
				limits = append(limits, discordtest.RateLimited(10*time.Millisecond))
			}
			d.fake.FailNext(discordtest.RouteCreateMessage, limits...)
			d.env.customerWrites("34612345678", "Ana", "wamid.rl429d", time.Now(), "Paced but delivered")
			c := d.waitConv(t, d.home, 1)
			d.waitPost(t, c, "Paced but delivered")
		})
	})
}

// TestCorruptCustomerMessageIsFailedAndExplained: a customer message whose
// stored data is damaged heads its thread's lane; it is failed, the thread
// says so in an agent's words, and the next message is posted instead of
// the conversation waiting forever.
func TestCorruptCustomerMessageIsFailedAndExplained(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withOrderWindow(5*time.Second))
		e.customerWrites("34612345678", "Ana", "wamid.bad", time.Now(), "Damaged on the way")
		card := e.slack.WaitForPosts(t, func(p []slacktest.Message) bool { return len(cards(p)) == 1 }, waitLong)
		// Within the order window, before the message is posted.
		_, err := e.app.DB.ExecContext(context.Background(),
			`UPDATE messages SET payload = '{"kind":"text","te' WHERE external_id = 'wamid.bad'`)
		require.NoError(t, err)
		e.customerWrites("34612345678", "Ana", "wamid.good", time.Now(), "Second message")

		ts := cards(card)[0].TS
		explain := bridge.Text("en", "fail.unloadable", bridge.Text("en", "fail.unloadable_in"))
		posts := e.slack.WaitForPosts(t, func(p []slacktest.Message) bool {
			texts := inThread(p, ts)
			return containsText(texts, "Second message") > 0 && containsText(texts, explain) > 0
		}, 30*time.Second)
		require.Zero(t, containsText(inThread(posts, ts), "Damaged on the way"))
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM deliveries WHERE state = 'failed' AND kind = 'post_inbound'`))
	})
}
