package app_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/bridge/report"
	"github.com/switchboard/switchboard/cmd/switchboard/app"
	"github.com/switchboard/switchboard/storage"
)

const supervisorsChannel = "C0SUPERV001"

// periodAround is "--from <yesterday> --to <tomorrow>" around t (UTC), so
// a test's figures stay in the period even when it runs across midnight.
func periodAround(t time.Time) string {
	d := t.UTC()
	return fmt.Sprintf("--from %s --to %s", d.AddDate(0, 0, -1).Format("2006-01-02"), d.AddDate(0, 0, 1).Format("2006-01-02"))
}

// postsIn returns the top-level posts of channel ch.
func postsIn(posts []slacktest.Message, ch string) []slacktest.Message {
	var out []slacktest.Message
	for _, p := range posts {
		if p.Channel == ch && p.ThreadTS == "" {
			out = append(out, p)
		}
	}
	return out
}

// waitChannelText waits for a top-level post in ch containing sub.
func (e *env) waitChannelText(ch, sub string) slacktest.Message {
	e.t.Helper()
	var found slacktest.Message
	e.slack.WaitForPosts(e.t, func(p []slacktest.Message) bool {
		for _, m := range postsIn(p, ch) {
			if strings.Contains(m.Text, sub) {
				found = m
				return true
			}
		}
		return false
	}, waitLong)
	return found
}

// pressButton posts the customer's press of a reply button.
func (e *env) pressButton(from, wamid, contextID, id, title string) {
	e.t.Helper()
	resp := whatsapptest.PostWebhook(e.t, e.baseURL+"/webhooks/whatsapp", appSecret,
		whatsapptest.ButtonReply(phoneID, from, "Ana", wamid, contextID, time.Now(), id, title))
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
}

func (e *env) clicksIn(ch, triggerID, user, cardTS, verb, conversation string) {
	e.t.Helper()
	resp := slacktest.PostInteraction(e.t, e.baseURL+"/slack/interactivity", signingSecret,
		slacktest.ButtonClick(triggerID, user, ch, cardTS, "sb:"+verb, conversation))
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
}

func (e *env) count(query string) int {
	e.t.Helper()
	var n int
	require.NoError(e.t, e.app.DB.GetContext(context.Background(), &n, query))
	return n
}

// slackMetricsScenario is the metrics tests' conversation on Slack: Ana
// writes, an agent answers 2 minutes later and resolves 3 minutes after
// that. It returns the switchboard and the clock the scenario moved.
func slackMetricsScenario(t *testing.T, dialect string) (*env, *clock) {
	t.Helper()
	clk := &clock{now: time.Now()}
	e := setup(t, dialect, withClock(clk), withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    members: [U0AGENTA01]
    supervisors: [U0SUPERV01]
    csat: {enabled: false}
    sla_targets: {first_response: 10m}
`, channel)))
	e.customerWrites("34611111111", "Ana", "wamid.m1", clk.Now(), "hello")
	card := e.waitCardIn(channel, 1)
	clk.Advance(2 * time.Minute)
	e.replyIn(channel, "EvM1", card.TS, "1700000600.000100", "U0AGENTA01", "Hi Ana")
	e.wa.WaitForSends(t, 1, waitLong)
	clk.Advance(3 * time.Minute)
	e.clicks("trigM1", "U0AGENTA01", card.TS, "resolve", conversationID(t, card))
	e.waitThreadText(card.TS, "resolved this conversation")
	return e, clk
}

func TestMetricsCommandAnswersPrivatelyAndSharesOnRequest(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e, clk := slackMetricsScenario(t, dialect)
		span := periodAround(clk.Now())

		t.Run("the channel's team, answered privately as a table", func(t *testing.T) {
			table := e.slash("U0SUPERV01", "metrics "+span)
			require.True(t, strings.HasPrefix(table, "```\nsupport · "), table)
			require.Regexp(t, `Received\s+1\s+Resolved\s+1`, table)
			require.Regexp(t, `Assigned\s+1\s+Reopened\s+0`, table)
			require.Regexp(t, `First response\s+2m\s+2m\s+1`, table)
			require.Regexp(t, `Resolution\s+5m\s+5m\s+1`, table)
			require.Contains(t, table, "first ≤10m 100%")
			require.Regexp(t, `U0AGENTA01\s+1\s+1\s+1\s+2m`, table, "one row per agent")
		})
		t.Run("a member reads the team's totals and their own figures, not a colleague's", func(t *testing.T) {
			table := e.slash("U0AGENTA01", "metrics "+span)
			require.Regexp(t, `Received\s+1\s+Resolved\s+1`, table)
			require.NotContains(t, table, "U0AGENTA01", "no per-agent rows for members")
			require.Contains(t, e.slash("U0AGENTA01", "metrics @U0AGENTA01 "+span), "support · U0AGENTA01")
			require.Contains(t, e.slash("U0AGENTB02", "metrics @U0AGENTA01 "+span), "Only supervisors can read the figures of U0AGENTA01")
		})
		t.Run("one agent's figures", func(t *testing.T) {
			table := e.slash("U0SUPERV01", "metrics <@U0AGENTA01|ana> "+span)
			require.Contains(t, table, "support · U0AGENTA01")
			require.Regexp(t, `Replies\s+1`, table)
		})
		t.Run("today needs no words", func(t *testing.T) {
			require.Contains(t, e.slash("U0AGENTA01", "metrics"), "support · ")
		})
		t.Run("a word it cannot read is explained", func(t *testing.T) {
			reply := e.slash("U0AGENTA01", "metrics lastweek")
			require.Contains(t, reply, "could not read “lastweek”")
			require.Contains(t, reply, "Usage: /switchboard metrics")
			require.Contains(t, e.slash("U0AGENTA01", "metrics --from 2025-03-10 --to 2025-03-01"), "could not read")
		})
		t.Run("post shares the table in the channel", func(t *testing.T) {
			require.Contains(t, e.slash("U0AGENTA01", "metrics post "+span), "Shared in the channel")
			shared := e.waitChannelText(channel, "shared these metrics")
			require.Contains(t, shared.Text, "<@U0AGENTA01> shared these metrics:")
			require.Contains(t, shared.Text, "```\nsupport · ")
			require.Empty(t, shared.ThreadTS, "top-level in the channel")
		})
	})
}

func TestSatisfactionSurveyFromResolutionToMetrics(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    members: [U0AGENTA01]
    csat: {comment_window: 10m}
`, channel)))
		e.customerWrites("34611111111", "Ana", "wamid.c1", time.Now(), "my order is late")
		card := e.waitCardIn(channel, 1)
		conv := conversationID(t, card)
		e.replyIn(channel, "EvC1", card.TS, "1700000700.000100", "U0AGENTA01", "It ships today")
		e.wa.WaitForSends(t, 1, waitLong)

		e.clicks("trigC1", "U0AGENTA01", card.TS, "resolve", conv)
		survey := e.wa.WaitForSends(t, 2, waitLong)[1]
		require.Equal(t, "interactive", survey.Type)
		require.Equal(t, "34611111111", survey.To)
		require.Equal(t, phoneID, survey.PhoneNumberID)
		require.Contains(t, survey.Interactive.Body, "How did we do?")
		require.Equal(t, []whatsapptest.ButtonSend{
			{ID: "csat:" + conv + ":3", Title: "😀 Good"},
			{ID: "csat:" + conv + ":2", Title: "😐 Okay"},
			{ID: "csat:" + conv + ":1", Title: "🙁 Bad"},
		}, survey.Interactive.Buttons)

		e.pressButton("34611111111", "wamid.c2", survey.WAMID, "csat:"+conv+":3", "😀 Good")
		e.waitThreadText(card.TS, "⭐ CSAT: good")
		thanks := e.wa.WaitForSends(t, 3, waitLong)[2]
		require.Equal(t, "Thank you for your feedback! If you want to tell us more, just write it here in the next 10m.", thanks.Text)

		e.customerWrites("34611111111", "Ana", "wamid.c3", time.Now(), "Fast and friendly")
		e.waitThreadText(card.TS, "CSAT comment: “Fast and friendly”")

		// A retry of the press and a second press change nothing.
		e.pressButton("34611111111", "wamid.c2", survey.WAMID, "csat:"+conv+":3", "😀 Good")
		e.pressButton("34611111111", "wamid.c4", survey.WAMID, "csat:"+conv+":1", "🙁 Bad")
		// Resolved again after a reopen: no second survey. The agent's
		// reply goes down the same customer lane after any survey would.
		e.clicks("trigC2", "U0AGENTA01", card.TS, "reopen", conv)
		e.waitThreadText(card.TS, "reopened this conversation")
		e.clicks("trigC3", "U0AGENTA01", card.TS, "resolve", conv)
		e.replyIn(channel, "EvC2", card.TS, "1700000701.000100", "U0AGENTA01", "Bye!")
		sends := e.wa.WaitForSends(t, 4, waitLong)
		require.Equal(t, "Bye!", sends[3].Text, "no second survey went before the reply")

		posts := inThread(e.slack.Posts(), card.TS)
		require.Equal(t, 1, containsText(posts, "⭐ CSAT"), "the answer is shown once")
		require.Zero(t, containsText(posts, "open again"), "neither the answer nor the comment reopened it")
		require.Len(t, cards(e.slack.Posts()), 1)
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM csat WHERE score = 3 AND comment = 'Fast and friendly'`))

		table := e.slash("U0AGENTA01", "metrics "+periodAround(time.Now()))
		require.Regexp(t, `CSAT\s+3\.0 · 100% answered \(1/1\)`, table)
		require.Regexp(t, `U0AGENTA01 .* 3\.0\n`, table, "the agent's row has the score")
	})
}

func TestSatisfactionSurveyNeedsTheWindowAndTheTeam(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
  - name: sales
    slack_channel: %s
    csat: {enabled: false}
`, channel, salesChannel)), withTopLevel(`routing:
  id: root
  team: support
  routes:
    - id: refunds
      team: sales
      match: {keywords: [refund]}
`))
		e.customerWrites("34611111111", "Ana", "wamid.n1", time.Now().Add(-25*time.Hour), "Yesterday's question")
		old := e.waitCardIn(channel, 1)
		e.clicks("trigN1", "U0AGENTA01", old.TS, "resolve", conversationID(t, old))
		require.Zero(t, e.count(`SELECT COUNT(*) FROM csat`), "the 24-hour window is closed: no survey")

		e.customerWrites("34622222222", "Bea", "wamid.n2", time.Now(), "I want a refund")
		sales := e.waitCardIn(salesChannel, 1)
		e.clicksIn(salesChannel, "trigN2", "U0SALES001", sales.TS, "resolve", conversationID(t, sales))
		require.Zero(t, e.count(`SELECT COUNT(*) FROM csat`), "sales turned surveys off")

		e.customerWrites("34633333333", "Cris", "wamid.n3", time.Now(), "hello")
		fresh := e.waitCardIn(channel, 2)
		e.clicks("trigN3", "U0AGENTA01", fresh.TS, "resolve", conversationID(t, fresh))
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM csat`), "the control conversation is surveyed")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "34633333333", sends[0].To)
	})
}

// A survey WhatsApp refuses for good is withdrawn: the thread says so in
// words an agent understands, and it is not counted as sent.
func TestSatisfactionSurveyThatCannotBeSentIsNotCounted(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    members: [U0AGENTA01]
`, channel)))
		e.customerWrites("34611111111", "Ana", "wamid.f1", time.Now(), "my order is late")
		card := e.waitCardIn(channel, 1)
		conv := conversationID(t, card)
		e.wa.FailNext(1, 400, 131026, "")
		e.clicks("trigF1", "U0AGENTA01", card.TS, "resolve", conv)
		e.waitThreadText(card.TS, "The satisfaction survey was not sent: WhatsApp could not deliver it to this number")
		require.Zero(t, e.count(`SELECT COUNT(*) FROM csat`), "the survey is withdrawn")
		require.Empty(t, e.wa.Sends(), "and not retried")

		table := e.slash("U0AGENTA01", "metrics "+periodAround(time.Now()))
		require.Regexp(t, `Resolved\s+1`, table)
		require.NotRegexp(t, `CSAT\s+\S+ · `, table, "no survey counts as sent")
	})
}

func TestSLAWarningThenBreachWithAControllableClock(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		clk := &clock{now: time.Now()}
		e := setup(t, dialect, withClock(clk), withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    strategy: round_robin
    members: [U0AGENTA01]
    supervisors_channel: %s
    csat: {enabled: false}
    sla_targets: {first_response: 10m, resolution: 2h, warn_at: 0.8}
`, channel, supervisorsChannel)))
		ctx := context.Background()
		e.customerWrites("34611111111", "Ana", "wamid.s1", clk.Now(), "anyone?")
		card := e.waitCardIn(channel, 1)
		conv := conversationID(t, card)
		require.Contains(t, blocksText(card), "<@U0AGENTA01>", "assigned at once")

		clk.Advance(7 * time.Minute)
		require.NoError(t, e.app.Bridge.CheckSLAs(ctx), "70%: nothing yet")
		clk.Advance(time.Minute)
		require.NoError(t, e.app.Bridge.CheckSLAs(ctx))
		require.NoError(t, e.app.Bridge.CheckSLAs(ctx), "a second check announces nothing more")
		e.waitThreadText(card.TS, "<@U0AGENTA01> SLA first response: 8m of 10m used.")
		warned := e.waitChannelText(supervisorsChannel, "Team support · conversation #"+conv+" · SLA first response: 8m of 10m used · assignee: <@U0AGENTA01>")
		require.Contains(t, warned.Text, "https://slack.com/archives/"+channel+"/p"+strings.ReplaceAll(card.TS, ".", ""), "links the thread")

		clk.Advance(3 * time.Minute)
		require.NoError(t, e.app.Bridge.CheckSLAs(ctx))
		e.waitThreadText(card.TS, "<@U0AGENTA01> SLA breached — first response: 11m, target 10m.")
		e.waitChannelText(supervisorsChannel, "conversation #"+conv+" · SLA breached — first response: 11m, target 10m")
		require.NoError(t, e.app.Bridge.CheckSLAs(ctx))

		metrics := scrape(t, e.baseURL+"/metrics")
		require.Contains(t, metrics, `switchboard_sla_breaches_total{channel="whatsapp",clock="first_response",team="support"} 1`)
		require.Contains(t, metrics, `switchboard_backlog_conversations{state="open",team="support"} 1`)
		require.Contains(t, metrics, `switchboard_backlog_conversations{state="unassigned",team="support"} 0`)

		// The answer stops the response clock; the resolution clock goes on.
		e.replyIn(channel, "EvS1", card.TS, "1700000800.000100", "U0AGENTA01", "Sorry, here now")
		e.wa.WaitForSends(t, 1, waitLong)
		clk.Advance(85 * time.Minute) // 96 minutes open: 80% of 2h
		require.NoError(t, e.app.Bridge.CheckSLAs(ctx))
		e.waitThreadText(card.TS, "SLA resolution: 1h36m of 2h00m used.")
		e.waitChannelText(supervisorsChannel, "SLA resolution: 1h36m of 2h00m used")
		require.Contains(t, scrape(t, e.baseURL+"/metrics"), `switchboard_first_response_seconds_count{channel="whatsapp",team="support"} 1`)

		posts := inThread(e.slack.Posts(), card.TS)
		require.Equal(t, 2, containsText(posts, "SLA first response")+containsText(posts, "breached — first response"), "one warning and one breach")
		require.Len(t, postsIn(e.slack.Posts(), supervisorsChannel), 3)
	})
}

func scrape(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(body)
}

// Two replicas on one PostgreSQL both run the digest check, several times
// at once: one digest is posted, with the table and a real chart.
func TestDigestIsPostedOnceByTwoReplicas(t *testing.T) {
	t.Parallel()
	// Far from midnight, so the conversation is received and resolved on
	// the day the digest covers whenever the test runs.
	clk := &clock{now: middayYesterday()}
	e := setup(t, storage.Postgres, withClock(clk), withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    members: [U0AGENTA01]
    supervisors_channel: %s
    csat: {enabled: false}
    digest: {daily: true, at: "00:00", time_zone: UTC}
`, channel, supervisorsChannel)))
	e.customerWrites("34611111111", "Ana", "wamid.d1", clk.Now(), "hello")
	card := e.waitCardIn(channel, 1)
	clk.Advance(4 * time.Minute)
	e.replyIn(channel, "EvD1", card.TS, "1700000900.000100", "U0AGENTA01", "Hi!")
	e.wa.WaitForSends(t, 1, waitLong)
	e.clicks("trigD1", "U0AGENTA01", card.TS, "resolve", conversationID(t, card))
	e.waitThreadText(card.TS, "resolved this conversation")
	activity := clk.Now().UTC()
	clk.Advance(24 * time.Hour) // the daily digest now covers the activity's day

	second, err := app.Build(context.Background(), e.cfg, e.tune)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = second.Shutdown(ctx)
	})
	replicas := []*app.App{e.app, second}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- replicas[i%2].Bridge.RunDigests(context.Background())
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	for _, r := range replicas {
		require.NoError(t, r.Bridge.RunDigests(context.Background()), "later checks find it sent")
	}

	uploads := e.slack.WaitForUploads(t, func(u []slacktest.Upload) bool { return len(u) >= 1 }, waitLong)
	require.Len(t, uploads, 1, "one digest for the period")
	up := uploads[0]
	require.Equal(t, supervisorsChannel, up.Channel)
	require.Empty(t, up.ThreadTS, "top-level in the channel")
	day := activity.Format("2006-01-02")
	require.Equal(t, "switchboard-support-daily-"+clk.Now().UTC().Format("2006-01-02")+".png", up.Filename)
	require.Contains(t, up.InitialComment, "*Daily digest* · team support · "+day)
	require.Regexp(t, `Received\s+1\s+Resolved\s+1`, up.InitialComment)
	require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM digests WHERE state = 'sent'`))

	img, err := png.Decode(bytes.NewReader(up.Data))
	require.NoError(t, err, "the chart is a PNG")
	require.Equal(t, image.Rect(0, 0, report.ChartWidth, report.ChartHeight), img.Bounds())
	requireNotBlank(t, img)
}

// requireNotBlank checks that an image has drawn content: enough
// non-white pixels and the chart's bar colour somewhere.
func requireNotBlank(t *testing.T, img image.Image) {
	t.Helper()
	b := img.Bounds()
	inked, colours := 0, map[color.RGBA]bool{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			c := color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 0xff}
			colours[c] = true
			if c != (color.RGBA{0xff, 0xff, 0xff, 0xff}) {
				inked++
			}
		}
	}
	total := b.Dx() * b.Dy()
	require.Greater(t, inked, total/100, "more than 1%% of the pixels are drawn")
	require.Greater(t, len(colours), 3, "more than background and text colours")
	require.True(t, colours[color.RGBA{0x36, 0x7c, 0xc1, 0xff}], "the volume bar is drawn")
}
