package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

const salesChannel = "C0SALES0001"

// twoTeams is support (members U0AGENTA01, U0AGENTB01, U0AGENTC01; supervisor U0SUPERV01) and sales
// (member U0SALES001), with a keyword route to sales.
func twoTeams(supportExtra string) []option {
	return []option{
		withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    members: [U0AGENTA01, U0AGENTB01, U0AGENTC01]
    supervisors: [U0SUPERV01]
%s  - name: sales
    slack_channel: %s
    members: [U0SALES001]
`, channel, supportExtra, salesChannel)),
		withTopLevel(`routing:
  id: root
  team: support
  routes:
    - id: refunds
      team: sales
      match: {keywords: [devolucion, refund]}
`),
	}
}

func cardsIn(posts []slacktest.Message, ch string) []slacktest.Message {
	var out []slacktest.Message
	for _, p := range cards(posts) {
		if p.Channel == ch {
			out = append(out, p)
		}
	}
	return out
}

// waitCardIn waits for the n-th card (1-based) in ch and a first post in
// its thread (so the thread is recorded and replies find it), and returns it.
func (e *env) waitCardIn(ch string, n int) slacktest.Message {
	e.t.Helper()
	posts := e.slack.WaitForPosts(e.t, func(p []slacktest.Message) bool {
		cs := cardsIn(p, ch)
		return len(cs) >= n && len(inThread(p, cs[n-1].TS)) > 0
	}, waitLong)
	return cardsIn(posts, ch)[n-1]
}

// waitThreadText waits until the thread under ts holds a post containing sub.
func (e *env) waitThreadText(ts, sub string) {
	e.t.Helper()
	e.slack.WaitForPosts(e.t, func(p []slacktest.Message) bool { return containsText(inThread(p, ts), sub) > 0 }, waitLong)
}

func (e *env) replyIn(ch, eventID, threadTS, ts, user, text string) {
	e.t.Helper()
	resp := slacktest.PostEvent(e.t, e.baseURL+"/slack/events", signingSecret,
		slacktest.ThreadReply(eventID, ch, threadTS, ts, user, text))
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
}

// slash runs /switchboard text as user and returns the private answer.
func (e *env) slash(user, text string) string {
	e.t.Helper()
	resp := slacktest.PostSlashCommand(e.t, e.baseURL+"/slack/commands", signingSecret, url.Values{
		"command": {"/switchboard"}, "text": {text}, "user_id": {user}, "channel_id": {channel},
		"team_id": {slacktest.TeamID}, "response_url": {"https://hooks.slack.com/commands/x"}, "trigger_id": {"t"},
	})
	defer resp.Body.Close()
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
	var body struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	require.NoError(e.t, json.NewDecoder(resp.Body).Decode(&body))
	require.Equal(e.t, "ephemeral", body.ResponseType)
	return body.Text
}

func TestKeywordRuleRoutesToTheTeamChannel(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, twoTeams("")...)
		e.customerWrites("34611111111", "Ana", "wamid.k1", time.Now(), "Quiero una DEVOLUCIÓN, por favor")
		sales := e.waitCardIn(salesChannel, 1)
		e.waitThreadText(sales.TS, "refunds")
		e.waitThreadText(sales.TS, "devolucion")
		e.customerWrites("34622222222", "Bea", "wamid.k2", time.Now(), "hola")
		support := e.waitCardIn(channel, 1)
		e.waitThreadText(support.TS, "hola")
		require.Len(t, cardsIn(e.slack.Posts(), salesChannel), 1)
	})
}

func TestRoundRobinSkipsAwayAgents(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, twoTeams("    strategy: round_robin\n")...)
		require.Contains(t, e.slash("U0AGENTB01", "away"), "away")
		for i := range 4 {
			e.customerWrites(fmt.Sprintf("3460000000%d", i), "Customer", fmt.Sprintf("wamid.rr%d", i), time.Now(), "hello")
			e.waitCardIn(channel, i+1)
		}
		var got []string
		for _, c := range cardsIn(e.slack.Posts(), channel) {
			blocks := blocksText(c)
			for _, id := range []string{"U0AGENTA01", "U0AGENTB01", "U0AGENTC01"} {
				if strings.Contains(blocks, "<@"+id+">") {
					got = append(got, id)
				}
			}
		}
		require.Equal(t, []string{"U0AGENTA01", "U0AGENTC01", "U0AGENTA01", "U0AGENTC01"}, got, "fair turns, never the away agent")
		require.Contains(t, e.slash("U0AGENTB01", "status"), "away")
	})
}

func TestCapacityQueuesAndAssignsWhenFreed(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    members: [U0AGENTA01]
    strategy: least_busy
    capacity: 1
`, channel)))
		e.customerWrites("34611111111", "Ana", "wamid.c1", time.Now(), "first")
		first := e.waitCardIn(channel, 1)
		require.Contains(t, blocksText(first), "<@U0AGENTA01>")
		e.customerWrites("34622222222", "Bea", "wamid.c2", time.Now(), "second")
		second := e.waitCardIn(channel, 2)
		require.NotContains(t, blocksText(second), "<@U0AGENTA01>", "U0AGENTA01 is at capacity: the second waits")
		queue := e.slash("U0AGENTA01", "queue")
		require.Contains(t, queue, "1 waiting, 1 assigned")

		e.clicks("trigCap", "U0AGENTA01", first.TS, "resolve", conversationID(t, first))
		e.waitThreadText(second.TS, "Assigned to <@U0AGENTA01>")
		waitUpdates(t, e, func(u []slacktest.Message) bool {
			for _, m := range u {
				if m.TS == second.TS && strings.Contains(blocksText(m), "<@U0AGENTA01>") {
					return true
				}
			}
			return false
		})
	})
}

func TestSupervisorTakeoverTellsThePreviousHolder(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, twoTeams("")...)
		e.customerWrites("34611111111", "Ana", "wamid.t1", time.Now(), "help")
		card := e.waitCardIn(channel, 1)
		e.clicks("trigT", "U0AGENTA01", card.TS, "claim", conversationID(t, card))
		e.waitThreadText(card.TS, "claimed")
		e.replyIn(channel, "EvTk1", card.TS, "1700000100.000100", "U0AGENTB01", "!takeover")
		require.Contains(t, waitEphemeral(t, e, "U0AGENTB01").Text, "supervisor")
		e.replyIn(channel, "EvTk2", card.TS, "1700000101.000100", "U0SUPERV01", "!takeover")
		e.waitThreadText(card.TS, "<@U0SUPERV01> took over this conversation from <@U0AGENTA01>")
		require.Contains(t, waitEphemeral(t, e, "U0AGENTA01").Text, "<@U0SUPERV01> took over")
		e.replyIn(channel, "EvTk3", card.TS, "1700000102.000100", "U0SUPERV01", "I'll take it from here")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "I'll take it from here", sends[0].Text)
	})
}

func TestTransferToAnotherTeamCarriesTheContext(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, twoTeams("")...)
		e.customerWrites("34611111111", "Ana", "wamid.x1", time.Now(), "My order never arrived")
		old := e.waitCardIn(channel, 1)
		e.replyIn(channel, "EvX1", old.TS, "1700000200.000100", "U0AGENTA01", "Sorry! Checking.")
		e.wa.WaitForSends(t, 1, waitLong)
		e.replyIn(channel, "EvX2", old.TS, "1700000201.000100", "U0AGENTA01", "!transfer sales wants a refund")

		fresh := e.waitCardIn(salesChannel, 1)
		e.waitThreadText(fresh.TS, "Transferred from team support")
		e.waitThreadText(fresh.TS, "wants a refund")
		e.waitThreadText(fresh.TS, "My order never arrived")
		e.waitThreadText(fresh.TS, "p"+strings.ReplaceAll(old.TS, ".", ""))
		e.waitThreadText(old.TS, "moved to team sales")
		waitUpdates(t, e, func(u []slacktest.Message) bool {
			for _, m := range u {
				if m.TS == old.TS && strings.Contains(blocksText(m), "Transferred to sales") && !strings.Contains(blocksText(m), "sb:claim") {
					return true
				}
			}
			return false
		})

		// The customer notices nothing: the sales agent's reply just arrives.
		e.replyIn(salesChannel, "EvX3", fresh.TS, "1700000202.000100", "U0SALES001", "Refund on its way")
		sends := e.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "Refund on its way", sends[1].Text)
		// A late reply in the old thread is not sent; its author is told where to go.
		e.replyIn(channel, "EvX4", old.TS, "1700000203.000100", "U0AGENTA01", "one more thing")
		require.Contains(t, waitEphemeral(t, e, "U0AGENTA01").Text, "moved to team sales")
		require.Len(t, e.wa.Sends(), 2)
	})
}

func TestTransferToAgentAndRefusals(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, twoTeams("")...)
		require.Contains(t, e.slash("U0AGENTC01", "away"), "away")
		e.customerWrites("34611111111", "Ana", "wamid.y1", time.Now(), "hi")
		card := e.waitCardIn(channel, 1)
		e.replyIn(channel, "EvY1", card.TS, "1700000300.000100", "U0AGENTA01", "!transfer nowhere")
		require.Contains(t, waitEphemeral(t, e, "U0AGENTA01").Text, "no team or agent called")
		e.replyIn(channel, "EvY2", card.TS, "1700000301.000100", "U0AGENTA01", "!transfer <@U0AGENTC01>")
		require.Contains(t, waitEphemeralCount(t, e, "U0AGENTA01", 2)[1].Text, "away")
		e.replyIn(channel, "EvY3", card.TS, "1700000302.000100", "U0AGENTA01", "!transfer <@U0AGENTB01> she speaks Portuguese")
		e.waitThreadText(card.TS, "<@U0AGENTA01> transferred this conversation to <@U0AGENTB01>")
		waitUpdates(t, e, func(u []slacktest.Message) bool { return anyContains(u, "<@U0AGENTB01>") })
		e.clicks("trigY", "U0AGENTB01", card.TS, "resolve", conversationID(t, card))
		e.waitThreadText(card.TS, "resolved")
		require.Contains(t, e.slash("U0AGENTA01", "transfer "+conversationID(t, card)+" sales"), "requested")
		require.Contains(t, waitEphemeralCount(t, e, "U0AGENTA01", 3)[2].Text, "resolved conversation cannot be transferred")
		require.Len(t, cardsIn(e.slack.Posts(), salesChannel), 0)
	})
}

func TestNonMembersCannotAnswer(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, twoTeams("")...)
		e.customerWrites("34611111111", "Ana", "wamid.z1", time.Now(), "hi")
		card := e.waitCardIn(channel, 1)
		e.replyIn(channel, "EvZ1", card.TS, "1700000400.000100", "U0OUTSIDE1", "let me answer")
		require.Contains(t, waitEphemeral(t, e, "U0OUTSIDE1").Text, "not an agent of team support")
		e.slack.WaitForReactions(t, hasReaction("1700000400.000100", "memo"), waitLong)
		require.Empty(t, e.wa.Sends())
	})
}

func TestOutOfHoursSendsTheAwayMessage(t *testing.T) {
	t.Parallel()
	// Noon of a fixed day: a run crossing midnight must not move the
	// message out of the holiday.
	clk := &clock{now: middayYesterday()}
	today := clk.Now().UTC().Format("2006-01-02")
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withClock(clk), withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    hours:
      time_zone: UTC
      weekly: {daily: ["00:00-23:59"]}
      holidays: [%q]
    away_message:
      en: "We are closed today."
      es: "Hoy estamos cerrados."
`, channel, today)))
		e.customerWrites("34611111111", "Ana", "wamid.h1", clk.Now(), "hola, necesito ayuda con mi pedido")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "Hoy estamos cerrados.", sends[0].Text, "in the customer's language")
		card := e.waitCardIn(channel, 1)
		e.waitThreadText(card.TS, "Outside business hours")
	})
}

// blocksText is a card's Block Kit JSON with <, > and & unescaped, so
// mentions read as Slack shows them.
func blocksText(m slacktest.Message) string {
	r := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&")
	return r.Replace(string(m.Blocks))
}

// The card's Transfer button opens a modal; submitting it with a team
// transfers the conversation like !transfer does.
func TestTransferButtonOpensAModalAndTransfers(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite", twoTeams("")...)
	e.customerWrites("34611111111", "Ana", "wamid.m1", time.Now(), "Quiero hablar con ventas")
	card := e.waitCardIn(channel, 1)
	require.Contains(t, string(card.Blocks), `"sb:transfer"`)
	e.clicks("trigModal", "U0AGENTA01", card.TS, "transfer", conversationID(t, card))
	views := e.slack.Views()
	require.Len(t, views, 1)
	require.Equal(t, "trigModal", views[0].TriggerID)
	require.Contains(t, string(views[0].JSON), `"callback_id":"sb_transfer"`)
	require.Contains(t, string(views[0].JSON), `"value":"sales"`, "teams are offered")

	var view struct {
		PrivateMetadata string `json:"private_metadata"`
	}
	require.NoError(t, json.Unmarshal(views[0].JSON, &view))
	submission, err := json.Marshal(map[string]any{
		"type": "view_submission",
		"user": map[string]any{"id": "U0AGENTA01"},
		"view": map[string]any{"id": views[0].ID, "callback_id": "sb_transfer", "private_metadata": view.PrivateMetadata,
			"state": map[string]any{"values": map[string]any{
				"agent":  map[string]any{"agent": map[string]any{"type": "users_select"}},
				"team":   map[string]any{"team": map[string]any{"type": "static_select", "selected_option": map[string]any{"value": "sales"}}},
				"reason": map[string]any{"reason": map[string]any{"type": "plain_text_input", "value": "pricing question"}},
			}}},
	})
	require.NoError(t, err)
	resp := slacktest.PostInteraction(t, e.baseURL+"/slack/interactivity", signingSecret, submission)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	fresh := e.waitCardIn(salesChannel, 1)
	e.waitThreadText(fresh.TS, "pricing question")
	e.waitThreadText(card.TS, "moved to team sales")
}

// An agent off shift takes no new conversations, and /switchboard status
// says why.
func TestShiftsDecideAvailability(t *testing.T) {
	t.Parallel()
	today := time.Now().UTC().Format("2006-01-02")
	e := setup(t, "sqlite", withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    strategy: round_robin
    members: [U0AGENTA01, U0AGENTB01]
    shifts:
      - agent: U0AGENTB01
        time_zone: UTC
        weekly: {daily: ["00:00-23:59"]}
        holidays: [%q]
`, channel, today)))
	for i := range 3 {
		e.customerWrites(fmt.Sprintf("3460000001%d", i), "Customer", fmt.Sprintf("wamid.sh%d", i), time.Now(), "hello")
		card := e.waitCardIn(channel, i+1)
		require.Contains(t, blocksText(card), "<@U0AGENTA01>", "only the agent on shift is assigned")
	}
	require.Contains(t, e.slash("U0AGENTB01", "status"), "off shift")
}

// Slack presence, polled by the leader, makes an inactive agent unavailable
// until they are active again; a manual choice wins over presence.
func TestSlackPresenceDecidesAvailability(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite", withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    strategy: round_robin
    members: [U0AGENTA01, U0AGENTB01]
`, channel)))
	ctx := context.Background()
	e.slack.SetPresence("U0AGENTB01", "away")
	require.NoError(t, e.app.Bridge.PollPresence(ctx))
	require.Contains(t, e.slash("U0AGENTB01", "status"), "away (presence")
	for i := range 2 {
		e.customerWrites(fmt.Sprintf("3460000002%d", i), "Customer", fmt.Sprintf("wamid.pr%d", i), time.Now(), "hello")
		require.Contains(t, blocksText(e.waitCardIn(channel, i+1)), "<@U0AGENTA01>")
	}
	e.slack.SetPresence("U0AGENTB01", "active")
	require.NoError(t, e.app.Bridge.PollPresence(ctx))
	require.Contains(t, e.slash("U0AGENTB01", "status"), "available (presence")

	require.Contains(t, e.slash("U0AGENTB01", "away"), "away")
	require.NoError(t, e.app.Bridge.PollPresence(ctx))
	require.Contains(t, e.slash("U0AGENTB01", "status"), "away (manual", "a manual choice wins over presence")
}

// A busy team lists several channels; new conversations spread across them
// and replies work in each.
func TestBusyTeamSpreadsAcrossChannels(t *testing.T) {
	t.Parallel()
	const second = "C0SUPPORT02"
	e := setup(t, "sqlite", withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    more_slack_channels: [%s]
`, channel, second)))
	for i := range 4 {
		e.customerWrites(fmt.Sprintf("3460000003%d", i), "Customer", fmt.Sprintf("wamid.sp%d", i), time.Now(), fmt.Sprintf("hello %d", i))
	}
	e.waitCardIn(channel, 2)
	card := e.waitCardIn(second, 2)
	e.replyIn(second, "EvSpread", card.TS, "1700000600.000100", "U0AGENTA01", "answered from the second channel")
	sends := e.wa.WaitForSends(t, 1, waitLong)
	require.Equal(t, "answered from the second channel", sends[0].Text)
}

// Conversations that arrive while every agent is away wait in the queue and
// are assigned, oldest first, as soon as someone becomes available.
func TestQueueDrainsWhenAnAgentBecomesAvailable(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    strategy: least_busy
    capacity: 1
    members: [U0AGENTA01]
`, channel)))
		require.Contains(t, e.slash("U0AGENTA01", "away"), "away")
		e.customerWrites("34611111111", "Ana", "wamid.q1", time.Now().Add(-2*time.Second), "first in line")
		first := e.waitCardIn(channel, 1)
		e.customerWrites("34622222222", "Bea", "wamid.q2", time.Now(), "second in line")
		second := e.waitCardIn(channel, 2)
		require.NotContains(t, blocksText(first), "<@U0AGENTA01>")
		require.Contains(t, e.slash("U0AGENTA01", "queue"), "2 waiting, 0 assigned")

		require.Contains(t, e.slash("U0AGENTA01", "available"), "available")
		e.waitThreadText(first.TS, "Assigned to <@U0AGENTA01>")
		require.Contains(t, e.slash("U0AGENTA01", "queue"), "1 waiting, 1 assigned", "capacity 1: the oldest first, the other keeps waiting")
		require.Zero(t, containsText(inThread(e.slack.Posts(), second.TS), "Assigned to"))
	})
}

// TestTransferOfAHeldConversationByAColleagueIsRefused: "!transfer @me" by
// a team member who does not hold the conversation would be a takeover
// without a supervisor's right to one. The holder and supervisors may.
func TestTransferOfAHeldConversationByAColleagueIsRefused(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, twoTeams("")...)
		e.customerWrites("34611111111", "Ana", "wamid.th1", time.Now(), "hi")
		card := e.waitCardIn(channel, 1)
		e.clicks("trigTH", "U0AGENTA01", card.TS, "claim", conversationID(t, card))
		e.waitThreadText(card.TS, "<@U0AGENTA01> claimed")

		e.replyIn(channel, "EvTH1", card.TS, "1700000500.000100", "U0AGENTB01", "!transfer <@U0AGENTB01>")
		require.Contains(t, waitEphemeral(t, e, "U0AGENTB01").Text, "only they or a supervisor can transfer it")
		require.Contains(t, e.slash("U0AGENTB01", "transfer "+conversationID(t, card)+" sales"), "requested")
		require.Contains(t, waitEphemeralCount(t, e, "U0AGENTB01", 2)[1].Text, "only they or a supervisor can transfer it")
		e.replyIn(channel, "EvTH2", card.TS, "1700000501.000100", "U0AGENTB01", "let me answer")
		require.Contains(t, waitEphemeralCount(t, e, "U0AGENTB01", 3)[2].Text, "holds this conversation")
		require.Empty(t, e.wa.Sends(), "the colleague's reply was held")
		require.Len(t, cardsIn(e.slack.Posts(), salesChannel), 0, "nothing moved to sales")

		e.replyIn(channel, "EvTH3", card.TS, "1700000502.000100", "U0SUPERV01", "!transfer <@U0AGENTB01>")
		e.waitThreadText(card.TS, "<@U0SUPERV01> transferred this conversation to <@U0AGENTB01>")
	})
}
