package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/adapters/messenger/messengertest"
)

// Discord's /metrics has the channel and label options of Slack's words,
// offers every channel's inboxes and the configured channels as choices,
// and narrows the figures the same way.
func TestDiscordMetricsByChannelAndLabel(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		clk := &clock{now: time.Now()}
		d := setupDiscordTeam(t, dialect, "text", metricsTeam, withClock(clk), withMessenger(messengertest.New(t), ""))
		d.runMetricsScenario(t, clk)
		day := func(days int) string { return clk.Now().UTC().AddDate(0, 0, days).Format("2006-01-02") }
		span := []discordtest.Option{{Name: "from", Value: day(-1)}, {Name: "to", Value: day(1)}}

		whatsapp := d.metrics(t, dSuper, append(span, discordtest.Option{Name: "channel", Value: "whatsapp"})...)
		require.Contains(t, whatsapp.Content, "gaming · channel WhatsApp")
		require.Regexp(t, `Received\s+1\s+Resolved\s+1`, whatsapp.Content)
		messenger := d.metrics(t, dSuper, append(span, discordtest.Option{Name: "channel", Value: "messenger"})...)
		require.Regexp(t, `Received\s+0\s+Resolved\s+0`, messenger.Content, "Ana wrote on WhatsApp")
		vip := d.metrics(t, dSuper, append(span, discordtest.Option{Name: "label", Value: "VIP"})...)
		require.Contains(t, vip.Content, "gaming · label vip")
		require.Regexp(t, `Received\s+0\s+Resolved\s+0`, vip.Content, "nobody carries the label")

		raw, ok := d.fake.Commands(discordtest.GuildID)
		require.True(t, ok)
		s := string(raw)
		i := strings.Index(s, `"name":"metrics"`)
		require.GreaterOrEqual(t, i, 0)
		for _, opt := range []string{"channel", "label"} {
			require.Contains(t, s[i:], `"name":"`+opt+`"`)
		}
		require.Contains(t, s[i:], `"value":"`+pageID+`"`, "the Messenger Page is an inbox choice")
		require.Contains(t, s[i:], `"name":"Facebook Shop"`)
		require.Contains(t, s[i:], `"value":"messenger"`, "the configured channels are choices")
		require.Contains(t, s[i:], `"value":"whatsapp"`)
		require.NotContains(t, s[i:], `"value":"instagram"`, "a channel not configured is not offered")
	})
}
