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

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

// membershipTeams is support, whose agents are the members of its Slack
// channel (UAGENT1, UAGENT2; supervisor U0SUPERV01), and sales, which pins
// U0SALES001; "refund" routes to sales.
func membershipTeams() []option {
	return []option{
		withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    supervisors: [U0SUPERV01]
  - name: sales
    slack_channel: %s
    members: [U0SALES001]
`, channel, salesChannel)),
		withTopLevel(`routing:
  id: root
  team: support
  routes:
    - id: refunds
      team: sales
      match: {keywords: [refund]}
`),
		withSlack(func(s *slacktest.Server) {
			s.SetChannelMembers(channel, "UAGENT1", "UAGENT2")
			s.SetChannelMembers(salesChannel, "U0SALES001")
		}),
	}
}

// ephemeralWith waits for a private message to user containing sub.
func ephemeralWith(t *testing.T, e *env, user, sub string) slacktest.Message {
	t.Helper()
	var found slacktest.Message
	require.Eventually(t, func() bool {
		for _, m := range e.slack.Ephemerals() {
			if m.User == user && containsText([]string{m.Text}, sub) > 0 {
				found = m
				return true
			}
		}
		return false
	}, waitLong, 5*time.Millisecond, "a private message to %s containing %q", user, sub)
	return found
}

// Nobody outside a conversation's team moves it, and nobody makes an
// outsider its assignee: not with /switchboard transfer, not with
// !transfer in the thread.
func TestTransferByOutsiderIsRefused(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, membershipTeams()...)
		e.customerWrites("34611111111", "Ana", "wamid.t1", time.Now(), "Hola")
		card := e.waitCardIn(channel, 1)
		conv := conversationID(t, card)

		require.Contains(t, e.slash("U0OUTSIDE1", "transfer "+conv+" sales"), "not an agent of team support")
		require.Contains(t, e.slash("U0SALES001", "transfer "+conv+" sales"), "not an agent of team support")

		e.slash("UAGENT1", "transfer "+conv+" <@U0OUTSIDE1>")
		ephemeralWith(t, e, "UAGENT1", "is not an agent of any team")
		e.replyIn(channel, "EvT1", card.TS, "1700000100.000100", "UAGENT2", "!transfer <@U0OUTSIDE1> please")
		ephemeralWith(t, e, "UAGENT2", "is not an agent of any team")

		// A reply by a member goes out: the conversation is still
		// support's, and nobody else holds it.
		e.replyIn(channel, "EvT2", card.TS, "1700000101.000100", "UAGENT1", "marker")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "marker", sends[0].Text)
		require.Empty(t, cardsIn(e.slack.Posts(), salesChannel), "nothing reached sales")
		require.Zero(t, containsText(inThread(e.slack.Posts(), card.TS), "U0OUTSIDE1"), "no transfer to the outsider was announced")
	})
}

// /switchboard queue lists only the asker's teams; someone in no team sees
// no queue and no metrics.
func TestQueueShowsOnlyTheAskersTeams(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, membershipTeams()...)
		e.customerWrites("34611111111", "Ana", "wamid.q1", time.Now(), "hola")
		e.customerWrites("34622222222", "Bea", "wamid.q2", time.Now(), "I want a refund")
		e.waitCardIn(channel, 1)
		e.waitCardIn(salesChannel, 1)

		agent := e.slash("UAGENT1", "queue")
		require.Contains(t, agent, "*support* —")
		require.NotContains(t, agent, "*sales* —")
		seller := e.slash("U0SALES001", "queue")
		require.Contains(t, seller, "*sales* —")
		require.NotContains(t, seller, "*support* —")
		sup := e.slash("U0SUPERV01", "queue")
		require.Contains(t, sup, "*support* —")

		outsider := e.slash("U0OUTSIDE1", "queue")
		require.Contains(t, outsider, "not an agent of any team")
		require.NotContains(t, outsider, "*support* —")
		require.NotContains(t, outsider, "*sales* —")
		metrics := e.slash("U0OUTSIDE1", "metrics")
		require.Contains(t, metrics, "Only supervisors can read the figures")
		require.NotContains(t, metrics, "```")
		require.Contains(t, e.slash("U0OUTSIDE1", "available"), "not an agent of any team", "only agents have an availability")
		require.Contains(t, e.slash("UAGENT1", "away"), "away")
	})
}

// A team without a members list: the members of its Slack channel are its
// agents, kept fresh by member_joined_channel and member_left_channel; an
// agent who leaves gives their conversations back to the queue.
func TestChannelMembershipDecidesWhoMayAct(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		const newcomer = "U0NEWAGNT1"
		e.customerWrites("34611111111", "Ana", "wamid.m1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")
		conv := conversationID(t, card)

		e.agentReplies("EvM1", card.TS, "1700000200.000100", newcomer, "let me answer")
		ephemeralWith(t, e, newcomer, "not an agent of team support")
		e.clicks("trigM1", newcomer, card.TS, "claim", conv)
		waitEphemeralCount(t, e, newcomer, 2)
		e.clicks("trigM2", newcomer, card.TS, "resolve", conv)
		waitEphemeralCount(t, e, newcomer, 3)

		e.memberJoins("EvJoin1", channel, newcomer, slacktest.TeamID)
		e.agentReplies("EvM2", card.TS, "1700000201.000100", newcomer, "Hi, I can help")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "Hi, I can help", sends[0].Text)

		e.memberLeaves("EvLeave1", channel, newcomer, slacktest.TeamID)
		e.waitThreadText(card.TS, "no longer an agent of this team")
		// Back in the queue: another agent may answer without claiming.
		e.agentReplies("EvM3", card.TS, "1700000202.000100", "UAGENT1", "I take over from here")
		sends = e.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "I take over from here", sends[1].Text)

		e.agentReplies("EvM4", card.TS, "1700000203.000100", newcomer, "still here")
		waitEphemeralCount(t, e, newcomer, 4)
		e.agentReplies("EvM5", card.TS, "1700000204.000100", "UAGENT1", "marker")
		sends = e.wa.WaitForSends(t, 3, waitLong)
		require.Equal(t, "marker", sends[2].Text, "the leaver's message was not sent")
	})
}

// When the channel's members cannot be read, nobody is taken for an agent:
// the reply is refused with the reason, privately, and nothing is sent.
func TestUnknownMembershipIsRefusedWithAReason(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withSlack(func(s *slacktest.Server) {
			s.FailNext("conversations.members", 1000, slacktest.SlackError("missing_scope"))
		}))
		e.customerWrites("34611111111", "Ana", "wamid.u1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")
		require.Positive(t, e.slack.Calls("conversations.members"), "switchboard asked Slack for the channel's members")

		e.agentReplies("EvU1", card.TS, "1700000300.000100", "UAGENT1", "I can help")
		ephemeralWith(t, e, "UAGENT1", "could not be read")
		require.Contains(t, e.slash("UAGENT1", "queue"), "could not be read")
		require.Empty(t, e.wa.Sends(), "nothing reached the customer")
	})
}

// A Slack Connect guest (a user of another workspace) in the team's channel
// is not an agent unless the team lists them.
func TestSlackConnectGuestCannotAct(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		const other = "T0OTHERORG"
		e := setup(t, dialect, withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    members: [U0GUEST002]
`, channel)), withSlack(func(s *slacktest.Server) {
			s.SetChannelMembers(channel, "UAGENT1", "U0GUEST001", "U0GUEST002")
		}))
		e.customerWrites("34611111111", "Ana", "wamid.g1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")

		guestSays := func(eventID, ts, user, text string) {
			resp := slacktest.PostEvent(t, e.baseURL+"/slack/events", signingSecret,
				slacktest.ThreadReplyFrom(eventID, channel, card.TS, ts, user, other, text))
			require.Equal(t, http.StatusOK, resp.StatusCode)
		}
		guestSays("EvG1", "1700000400.000100", "U0GUEST001", "guest answer")
		ephemeralWith(t, e, "U0GUEST001", "another workspace")
		e.memberJoins("EvG2", channel, "U0GUEST003", other)
		guestSays("EvG3", "1700000401.000100", "U0GUEST003", "joined guest answer")
		ephemeralWith(t, e, "U0GUEST003", "another workspace")

		// A slash command names the workspace it was typed from.
		resp := slacktest.PostSlashCommand(t, e.baseURL+"/slack/commands", signingSecret, url.Values{
			"command": {"/switchboard"}, "text": {"queue"}, "user_id": {"U0GUEST001"}, "channel_id": {channel},
			"team_id": {other}, "response_url": {"https://hooks.slack.com/commands/x"}, "trigger_id": {"t"},
		})
		require.Equal(t, http.StatusOK, resp.StatusCode)
		var answer struct {
			Text string `json:"text"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&answer))
		require.Contains(t, answer.Text, "not an agent of any team")

		guestSays("EvG4", "1700000402.000100", "U0GUEST002", "listed guest answer")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "listed guest answer", sends[0].Text)
		require.Len(t, e.wa.Sends(), 1, "the unlisted guests' messages were not sent")
	})
}

// waitFollowup waits for a private (ephemeral) Discord follow-up
// containing sub.
func (d *dside) waitFollowup(t *testing.T, sub string) {
	t.Helper()
	d.fake.WaitFor(t, waitLong, "a private answer containing "+sub, func() bool {
		for _, f := range d.fake.Followups() {
			if strings.Contains(f.Content, sub) && strings.Contains(string(f.Payload), `"flags":64`) {
				return true
			}
		}
		return false
	})
}

// On Discord too a conversation is never handed to someone outside every
// team, whether the team lists its agents or gives them a role; the bridge
// decides with the roles the event carries.
func TestDiscordTransferToOutsiderIsRefused(t *testing.T) {
	t.Parallel()
	teams := map[string]func(name, home, kind string) string{"listed": gamingTeam, "by role": roleTeam}
	for _, access := range []string{"listed", "by role"} {
		t.Run(access, func(t *testing.T) {
			t.Parallel()
			eachDialect(t, func(t *testing.T, dialect string) {
				d := setupDiscordTeam(t, dialect, "text", teams[access])
				agent := dAna
				if access == "by role" {
					agent = dRoleUser
				}
				d.customerWrites("34612345678", "Ana", "wamid.dt1", time.Now(), "Hola")
				c := d.waitConv(t, d.home, 1)
				d.command(t, c, agent, "transfer", discordtest.Option{Name: "agent", Value: dOutsider.ID})
				d.waitFollowup(t, "is not an agent of any team")
				d.say(t, c, agent, "marker")
				sends := d.wa.WaitForSends(t, 1, waitLong)
				require.Equal(t, "marker", sends[0].Text, "the conversation was not handed to the outsider")
				require.Zero(t, containsText(d.botPosts(c), "<@"+dOutsider.ID+">"), "no handover to the outsider was announced")
			})
		})
	}
}

// On Discord /queue lists only the teams of the one who asks, as the bridge
// decides from the roles their command carries.
func TestDiscordQueueShowsOnlyTheAskersTeams(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		fake := discordtest.New(t)
		gaming := addHome(fake, "text", "gaming")
		community := addHome(fake, "text", "community")
		e := setup(t, dialect, withDiscord(fake), withTeams("teams:\n"+gamingTeam("gaming", gaming, "text")+roleTeam("community", community, "text")))
		fake.WaitIdentified(t, 1)
		fake.WaitFor(t, waitLong, "commands registered", func() bool { return len(fake.CommandNames(discordtest.GuildID)) > 0 })
		d := &dside{env: e, fake: fake, home: gaming, kind: "text"}
		e.customerWrites("34612345678", "Ana", "wamid.dq1", time.Now(), "Hola")
		c := d.waitConv(t, gaming, 1)

		mine := d.command(t, c, dAna, "queue")
		require.Contains(t, mine, "gaming")
		require.NotContains(t, mine, "community", "not a team of the asker's")
		both := d.command(t, c, dRoleAna, "queue") // a member of gaming holding community's role
		require.Contains(t, both, "gaming")
		require.Contains(t, both, "community")
	})
}

// Someone excluded from a team is not an agent even in its channel, and
// what they held goes back to the queue when switchboard starts with the
// new configuration.
func TestExcludedAgentCannotActAndGivesBackConversations(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34611111111", "Ana", "wamid.x1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")
		e.agentReplies("EvX1", card.TS, "1700000500.000100", "UAGENT2", "first")
		e.wa.WaitForSends(t, 1, waitLong) // UAGENT2 now holds it (auto-claim)

		e.stop()
		e.cfg.Teams[0].Exclude = []string{"UAGENT2"}
		e.start()
		e.waitThreadText(card.TS, "no longer an agent of this team")

		e.agentReplies("EvX2", card.TS, "1700000501.000100", "UAGENT2", "again")
		ephemeralWith(t, e, "UAGENT2", "not an agent of team support")
		e.agentReplies("EvX3", card.TS, "1700000502.000100", "UAGENT1", "marker")
		sends := e.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "marker", sends[1].Text, "back in the queue, and the excluded agent's message was not sent")
	})
}

// TestChannelMembersNotConfirmedForAnHourAreUnknown: when reading the
// channel's members keeps failing (scope removed, Slack down), the list
// read earlier is used for bridge.RosterTrustedFor, then the team's channel
// members are refused, saying why, until a read works: a list nobody can
// confirm may keep someone who left.
func TestChannelMembersNotConfirmedForAnHourAreUnknown(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		clk := &clock{now: time.Now()}
		e := setup(t, dialect, withClock(clk))
		ctx := context.Background()
		e.customerWrites("34611111111", "Ana", "wamid.st1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")
		e.agentReplies("EvST1", card.TS, "1700000300.000100", "UAGENT1", "first answer")
		e.wa.WaitForSends(t, 1, waitLong)

		e.slack.FailNext("conversations.members", 1000, slacktest.SlackError("missing_scope"))
		clk.Advance(30 * time.Minute)
		require.Error(t, e.app.Bridge.SyncRosters(ctx, 10*time.Minute))
		e.agentReplies("EvST2", card.TS, "1700000301.000100", "UAGENT1", "second answer")
		e.wa.WaitForSends(t, 2, waitLong)

		clk.Advance(31 * time.Minute)
		require.Error(t, e.app.Bridge.SyncRosters(ctx, 10*time.Minute))
		e.agentReplies("EvST3", card.TS, "1700000302.000100", "UAGENT1", "third answer")
		ephemeralWith(t, e, "UAGENT1", "could not be read")
		require.Len(t, e.wa.Sends(), 2, "the third answer was held")
	})
}
