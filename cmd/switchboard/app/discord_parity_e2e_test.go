package app_test

import (
	"bytes"
	"image/png"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
)

// Discord at Slack's level (issue 17): /metrics with Slack's options and
// figures, /takeover, availability from presence, role holders assigned,
// answers in the asker's language.

// metricsTeam is a Discord team like gamingTeam with Slack's metrics test
// settings (no survey, a first-response target).
func metricsTeam(name, home, kind string) string {
	return gamingTeam(name, home, kind) + "    csat: {enabled: false}\n    sla_targets: {first_response: 10m}\n"
}

// spaceRE collapses the padding of monospace tables, which follows the
// length of the team's name and the agents' ids.
var spaceRE = regexp.MustCompile(`[ \t]+`)

// comparable makes a metrics table of one workspace comparable with
// another's: the names replaced, the padding collapsed.
func comparable(table string, names ...string) string {
	r := strings.NewReplacer(names...)
	return spaceRE.ReplaceAllString(r.Replace(table), " ")
}

// runMetricsScenario is the scenario of Slack's metrics test on Discord:
// a customer writes, an agent replies two minutes later and resolves three
// minutes after that.
func (d *dside) runMetricsScenario(t *testing.T, clk *clock) {
	t.Helper()
	d.customerWrites("34611111111", "Ana", "wamid.m1", clk.Now(), "hello")
	c := d.waitConv(t, d.home, 1)
	clk.Advance(2 * time.Minute)
	d.say(t, c, dAna, "Hi Ana")
	d.wa.WaitForSends(t, 1, waitLong)
	clk.Advance(3 * time.Minute)
	require.Contains(t, d.command(t, c, dAna, "resolve"), "resolve")
	d.waitPost(t, c, "resolved this conversation")
}

// metrics runs /metrics in the team's channel and returns the callback.
func (d *dside) metrics(t *testing.T, who discordtest.User, opts ...discordtest.Option) discordtest.Callback {
	t.Helper()
	cb := d.fake.WaitCallback(t, d.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: d.home, User: who, Name: "metrics", Options: opts}))
	require.True(t, cb.Ephemeral(), "/metrics is answered privately")
	return cb
}

func TestDiscordMetricsGiveSlacksFiguresWithItsOptions(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		// The same scenario on Slack, as Slack's metrics test runs it.
		e, sclk := slackMetricsScenario(t, dialect)

		dclk := &clock{now: sclk.Now().Add(-5 * time.Minute)}
		d := setupDiscordTeam(t, dialect, "text", metricsTeam, withClock(dclk))
		d.runMetricsScenario(t, dclk)

		day := func(c *clock, days int) string { return c.Now().UTC().AddDate(0, 0, days).Format("2006-01-02") }
		span := []discordtest.Option{{Name: "from", Value: day(dclk, -1)}, {Name: "to", Value: day(dclk, 1)}}
		slackTable := e.slash("U0SUPERV01", "metrics --from "+day(sclk, -1)+" --to "+day(sclk, 1))
		asSlack := func(s string) string { return comparable(s, "gaming", "support", dAna.ID, "U0AGENTA01") }

		t.Run("a supervisor reads the figures Slack shows for the same events", func(t *testing.T) {
			cb := d.metrics(t, dSuper, span...)
			require.True(t, strings.HasPrefix(cb.Content, "```\ngaming · "), cb.Content)
			require.Regexp(t, `Received\s+1\s+Resolved\s+1`, cb.Content)
			require.Regexp(t, `First response\s+2m\s+2m\s+1`, cb.Content)
			require.Regexp(t, `Resolution\s+5m\s+5m\s+1`, cb.Content)
			require.Regexp(t, dAna.ID+`\s+1\s+1\s+1\s+2m`, cb.Content, "one row per agent")
			require.Equal(t, comparable(slackTable), asSlack(cb.Content), "the same table as Slack's")
			require.Empty(t, cb.Files, "no chart unless asked")
		})
		t.Run("options say what Slack's words say", func(t *testing.T) {
			agent := d.metrics(t, dSuper, append(span, discordtest.Option{Name: "agent", Type: 6, Value: dAna.ID})...)
			require.Contains(t, agent.Content, "gaming · "+dAna.ID)
			require.Equal(t, comparable(e.slash("U0SUPERV01", "metrics @U0AGENTA01 --from "+day(sclk, -1)+" --to "+day(sclk, 1))),
				asSlack(agent.Content))
			totals := d.metrics(t, dSuper, append(span, discordtest.Option{Name: "by_agent", Type: 5, Value: false})...)
			require.Regexp(t, `Received\s+1\s+Resolved\s+1`, totals.Content)
			require.NotContains(t, totals.Content, dAna.ID, "by_agent:false leaves out the agents' rows")
			named := d.metrics(t, dSuper, append(span, discordtest.Option{Name: "team", Value: "gaming"},
				discordtest.Option{Name: "inbox", Value: phoneID})...)
			require.Regexp(t, `Received\s+1\s+Resolved\s+1`, named.Content)
			require.Contains(t, d.metrics(t, dSuper, discordtest.Option{Name: "period", Value: "today"}).Content, "gaming · ")
			require.Contains(t, d.metrics(t, dSuper, discordtest.Option{Name: "from", Value: day(dclk, -1)}).Content, "YYYY-MM-DD",
				"from without to is explained")
		})
		t.Run("a member reads the totals, not a colleague's figures", func(t *testing.T) {
			cb := d.metrics(t, dBruno, span...)
			require.Regexp(t, `Received\s+1\s+Resolved\s+1`, cb.Content)
			require.NotContains(t, cb.Content, dAna.ID)
			other := d.metrics(t, dBruno, append(span, discordtest.Option{Name: "agent", Type: 6, Value: dAna.ID})...)
			require.Contains(t, other.Content, "Only supervisors can read the figures of "+dAna.ID)
		})
		t.Run("chart attaches the digest chart as a PNG", func(t *testing.T) {
			in := d.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: d.home, User: dSuper, Name: "metrics",
				Options: append(span, discordtest.Option{Name: "chart", Type: 5, Value: true})})
			cb := d.fake.WaitCallback(t, in)
			require.Equal(t, 5, cb.Type, "acknowledged at once: drawing may take longer than Discord's 3 s")
			require.True(t, cb.Ephemeral())
			var answer discordtest.Message
			d.fake.WaitFor(t, waitLong, "the answer with the chart", func() bool {
				for _, f := range d.fake.Followups() {
					if f.ChannelID == "webhook:"+in.Token {
						answer = f
						return true
					}
				}
				return false
			})
			require.Regexp(t, `Received\s+1\s+Resolved\s+1`, answer.Content)
			require.Len(t, answer.Files, 1)
			require.Equal(t, "image/png", answer.Files[0].ContentType)
			img, err := png.Decode(bytes.NewReader(answer.Files[0].Data))
			require.NoError(t, err)
			requireNotBlank(t, img)
		})
		t.Run("post shares the figures in the channel", func(t *testing.T) {
			cb := d.metrics(t, dBruno, append(span, discordtest.Option{Name: "post", Type: 5, Value: true})...)
			require.Contains(t, cb.Content, "Shared in the channel")
			d.fake.WaitFor(t, waitLong, "figures shared in the channel", func() bool {
				for _, m := range d.fake.Messages(d.home) {
					if strings.Contains(m.Content, "shared these metrics") && strings.Contains(m.Content, "gaming · ") {
						return true
					}
				}
				return false
			})
		})
		t.Run("Slack reads the same words: totals, and chart says where it is attached", func(t *testing.T) {
			span := "--from " + day(sclk, -1) + " --to " + day(sclk, 1)
			totals := e.slash("U0SUPERV01", "metrics totals "+span)
			require.Regexp(t, `Received\s+1\s+Resolved\s+1`, totals)
			require.NotContains(t, totals, "U0AGENTA01")
			chart := e.slash("U0SUPERV01", "metrics chart "+span)
			require.Regexp(t, `Received\s+1\s+Resolved\s+1`, chart)
			require.Contains(t, chart, "The chart is attached on Discord's /metrics")
		})
		t.Run("the command offers Slack's options, teams and inboxes as choices", func(t *testing.T) {
			raw, ok := d.fake.Commands(discordtest.GuildID)
			require.True(t, ok)
			s := string(raw)
			i := strings.Index(s, `"name":"metrics"`)
			require.GreaterOrEqual(t, i, 0)
			for _, opt := range []string{"period", "from", "to", "team", "agent", "inbox", "by_agent", "chart", "post"} {
				require.Contains(t, s[i:], `"name":"`+opt+`"`)
			}
			require.Contains(t, s[i:], `"value":"`+phoneID+`"`, "the inbox is a choice")
			require.Contains(t, s, `"es-ES":"Ver las cifras del equipo"`, "descriptions in the client's language")
		})
	})
}
