package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
)

// withDiscordIntents points the config at the fake Discord with the
// optional privileged intents switched on.
func withDiscordIntents(fake *discordtest.Server, presence, members bool) option {
	return withTopLevel(fmt.Sprintf("discord:\n  bot_token: fake-discord-token\n  guild_id: %q\n  api_url: %q\n  presence: %t\n  members: %t\n",
		discordtest.GuildID, fake.URL(), presence, members))
}

// setupDiscordWith starts switchboard with one Discord team described by
// team (its yaml after the home channel) and the given intents.
func setupDiscordWith(t *testing.T, dialect string, fake *discordtest.Server, team func(name, home, kind string) string, presence, members bool, opts ...option) *dside {
	t.Helper()
	home := addHome(fake, "text", "gaming")
	opts = append([]option{withTeams("teams:\n" + team("gaming", home, "text")), withDiscordIntents(fake, presence, members)}, opts...)
	e := setup(t, dialect, opts...)
	fake.WaitIdentified(t, 1)
	fake.WaitFor(t, waitLong, "commands registered", func() bool { return len(fake.CommandNames(discordtest.GuildID)) > 0 })
	return &dside{env: e, fake: fake, home: home, kind: "text"}
}

// identifiedIntents are the intents of the first IDENTIFY.
func identifiedIntents(t *testing.T, fake *discordtest.Server) int {
	t.Helper()
	var id struct {
		Intents int `json:"intents"`
	}
	require.NoError(t, json.Unmarshal(fake.Identifies()[0], &id))
	return id.Intents
}

// assignee is who holds conversation id now ("" for nobody).
func (d *dside) assignee(t *testing.T, id string) string {
	t.Helper()
	var who string
	require.NoError(t, d.app.DB.GetContext(context.Background(), &who, "SELECT assignee FROM conversations WHERE id = "+id))
	return who
}

// waitAssigned waits for the conversation to be assigned and returns to
// whom.
func (d *dside) waitAssigned(t *testing.T, c dconv) string {
	t.Helper()
	var who string
	require.Eventually(t, func() bool { who = d.assignee(t, c.id); return who != "" }, waitLong, 20*time.Millisecond,
		"conversation %s assigned", c.id)
	return who
}

// waitCount polls the database until query counts n.
func (d *dside) waitCount(t *testing.T, n int, query, what string) {
	t.Helper()
	require.Eventually(t, func() bool { return d.count(query) == n }, waitLong, 20*time.Millisecond, what)
}

// waitStatus waits until the stored availability of user is state.
func (d *dside) waitStatus(t *testing.T, user, state, source string) {
	t.Helper()
	d.waitCount(t, 1, fmt.Sprintf("SELECT count(*) FROM agent_status WHERE workspace = 'discord' AND user_id = '%s' AND state = '%s' AND source = '%s'",
		user, state, source), user+" "+state+" by "+source)
}

func roundRobinTeam(name, home, kind string) string {
	return gamingTeam(name, home, kind) + "    strategy: round_robin\n"
}

func TestDiscordPresenceDecidesWhoIsAssigned(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		fake := discordtest.New(t)
		fake.SetPresence(t, dBruno.ID, "online") // before we connect: told by GUILD_CREATE
		d := setupDiscordWith(t, dialect, fake, roundRobinTeam, true, false)
		require.NotZero(t, identifiedIntents(t, fake)&discordtest.IntentGuildPresences, "the Presence intent is asked for")
		d.waitStatus(t, dBruno.ID, "available", "presence")
		d.waitStatus(t, dAna.ID, "away", "presence") // not listed online at connection: offline

		require.True(t, fake.SetPresence(t, dAna.ID, "offline"))
		require.True(t, fake.SetPresence(t, dBruno.ID, "idle"))
		d.waitStatus(t, dAna.ID, "away", "presence")
		d.waitStatus(t, dBruno.ID, "away", "presence")

		d.customerWrites("34611111111", "Ana", "wamid.p1", time.Now(), "hello")
		c1 := d.waitConv(t, d.home, 1)
		require.Zero(t, d.count("SELECT count(*) FROM conversations WHERE assignee <> ''"), "nobody online: the conversation waits")

		require.True(t, fake.SetPresence(t, dAna.ID, "online"))
		require.Equal(t, dAna.ID, d.waitAssigned(t, c1), "coming online takes the waiting conversation")

		require.True(t, fake.SetPresence(t, dAna.ID, "dnd"))
		d.waitStatus(t, dAna.ID, "away", "presence")
		require.True(t, fake.SetPresence(t, dBruno.ID, "online"))
		d.waitStatus(t, dBruno.ID, "available", "presence")
		d.customerWrites("34622222222", "Bea", "wamid.p2", time.Now(), "hi")
		require.Equal(t, dBruno.ID, d.waitAssigned(t, d.waitConv(t, d.home, 2)), "do not disturb is away")

		// A manual choice wins over presence, as on Slack.
		c2 := d.waitConv(t, d.home, 2)
		require.Contains(t, d.command(t, c2, dBruno, "away"), "away")
		require.True(t, fake.SetPresence(t, dBruno.ID, "idle"))
		require.True(t, fake.SetPresence(t, dBruno.ID, "online"))
		d.waitStatus(t, dAna.ID, "away", "presence")
		d.waitStatus(t, dBruno.ID, "away", "manual")
		// /auto gives the choice back to presence.
		require.Contains(t, d.command(t, c2, dBruno, "auto"), "available")
		require.True(t, fake.SetPresence(t, dBruno.ID, "idle"))
		d.waitStatus(t, dBruno.ID, "away", "presence")
	})
}

func TestDiscordWithoutPresenceIntentAgentsSetAvailabilityByHand(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		fake := discordtest.New(t)
		d := setupDiscordWith(t, dialect, fake, roundRobinTeam, false, false)
		require.Zero(t, identifiedIntents(t, fake)&(discordtest.IntentGuildPresences|discordtest.IntentGuildMembers), "no privileged intent unless configured")
		require.False(t, fake.SetPresence(t, dAna.ID, "offline"), "Discord sends no presences without the intent")

		d.customerWrites("34611111111", "Ana", "wamid.h1", time.Now(), "hello")
		c := d.waitConv(t, d.home, 1)
		first := d.waitAssigned(t, c)
		require.Contains(t, d.command(t, c, dAna, "away"), "away")
		require.Contains(t, d.command(t, c, dBruno, "away"), "away")
		d.customerWrites("34622222222", "Bea", "wamid.h2", time.Now(), "hi")
		c2 := d.waitConv(t, d.home, 2)
		require.Equal(t, 1, d.count("SELECT count(*) FROM conversations WHERE assignee <> ''"), "both away by hand: it waits")
		require.Contains(t, d.command(t, c2, dBruno, "available"), "available")
		require.Equal(t, dBruno.ID, d.waitAssigned(t, c2))
		_ = first
	})
}

// roleRoundRobin is a role team that assigns round robin.
func roleRoundRobin(name, home, kind string) string {
	return roleTeam(name, home, kind) + "    strategy: round_robin\n"
}

func TestDiscordRoleHoldersAreAssignedWithTheMembersIntent(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		fake := discordtest.New(t)
		fake.AddGuildMember(dRoleUser)
		fake.AddGuildMember(dRoleAna)
		fake.AddGuildMember(dOutsider)
		d := setupDiscordWith(t, dialect, fake, roleRoundRobin, true, true)
		require.NotZero(t, identifiedIntents(t, fake)&discordtest.IntentGuildMembers, "the Server Members intent is asked for")
		d.waitCount(t, 2, "SELECT count(*) FROM channel_members WHERE workspace = 'discord' AND channel_id = 'role:"+dAgentRole+"'", "role holders read")

		holders := map[string]bool{dRoleUser.ID: true, dRoleAna.ID: true}
		got := map[string]int{}
		var convs []dconv
		for i := 1; i <= 4; i++ {
			d.customerWrites(fmt.Sprintf("3461111111%d", i), "C", fmt.Sprintf("wamid.r%d", i), time.Now(), "hello")
			c := d.waitConv(t, d.home, i)
			who := d.waitAssigned(t, c)
			require.True(t, holders[who], "assigned to a holder of the role, got %s", who)
			got[who]++
			convs = append(convs, c)
		}
		require.Equal(t, map[string]int{dRoleUser.ID: 2, dRoleAna.ID: 2}, got, "round robin among the holders")

		// Rolf loses the role: his conversations go back and to Ana.
		require.True(t, fake.UpdateGuildMember(t, discordtest.User{ID: dRoleUser.ID, Username: "rolf"}))
		d.waitCount(t, 4, "SELECT count(*) FROM conversations WHERE assignee = '"+dRoleAna.ID+"'", "every conversation with ana")
		for _, c := range convs {
			require.Equal(t, dRoleAna.ID, d.assignee(t, c.id))
		}
		// Bruno gains it: the next conversation may go to him.
		require.True(t, fake.UpdateGuildMember(t, discordtest.User{ID: dBruno.ID, Username: "bruno", Roles: []string{dAgentRole}}))
		d.waitCount(t, 1, "SELECT count(*) FROM channel_members WHERE channel_id = 'role:"+dAgentRole+"' AND user_id = '"+dBruno.ID+"'", "bruno among the holders")
		d.customerWrites("34699999999", "D", "wamid.r9", time.Now(), "hello")
		require.Equal(t, dBruno.ID, d.waitAssigned(t, d.waitConv(t, d.home, 5)), "the least recent in the rotation: the new holder")
		// Leaving the guild is losing the role.
		require.True(t, fake.RemoveGuildMember(t, discordtest.User{ID: dBruno.ID, Username: "bruno", Roles: []string{dAgentRole}}))
		d.waitCount(t, 5, "SELECT count(*) FROM conversations WHERE assignee = '"+dRoleAna.ID+"'", "bruno's conversation back with ana")

		// A holder's presence counts as a listed member's does.
		require.True(t, fake.SetPresence(t, dRoleAna.ID, "offline"))
		d.waitStatus(t, dRoleAna.ID, "away", "presence")
		d.customerWrites("34688888888", "E", "wamid.r8", time.Now(), "hello")
		c6 := d.waitConv(t, d.home, 6)
		require.Empty(t, d.assignee(t, c6.id), "the only holder is offline: it waits")
		require.True(t, fake.SetPresence(t, dOutsider.ID, "online"))
		require.True(t, fake.SetPresence(t, dRoleAna.ID, "online"))
		require.Equal(t, dRoleAna.ID, d.waitAssigned(t, c6), "back online, the holder takes the waiting conversation")
		require.Zero(t, d.count("SELECT count(*) FROM agent_status WHERE user_id = '"+dOutsider.ID+"'"), "a non-holder's presence is not kept")
	})
}

func TestDiscordRoleTeamWithoutMembersIntentWaitsToBeClaimed(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		fake := discordtest.New(t)
		fake.AddGuildMember(dRoleUser)
		d := setupDiscordWith(t, dialect, fake, roleRoundRobin, false, false)
		require.False(t, fake.UpdateGuildMember(t, dRoleAna), "Discord sends no member events without the intent")
		d.customerWrites("34611111111", "Ana", "wamid.w1", time.Now(), "hello")
		c := d.waitConv(t, d.home, 1)
		require.Zero(t, d.count("SELECT count(*) FROM conversations WHERE assignee <> ''"), "holders unknown: nobody is assigned")
		require.Zero(t, fake.Count(discordtest.RouteListMembers), "members are not listed without the intent")
		require.Contains(t, d.command(t, c, dRoleUser, "claim"), "claim")
		d.waitPost(t, c, "<@"+dRoleUser.ID+"> claimed this conversation")
	})
}

func TestDiscordTakeoverBySupervisor(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text")
		d.customerWrites("34612345678", "Ana", "wamid.to", time.Now(), "Hola")
		c := d.waitConv(t, d.home, 1)
		require.Contains(t, d.command(t, c, dAna, "claim"), "claim")
		d.waitPost(t, c, "<@"+dAna.ID+"> claimed this conversation")

		require.Contains(t, d.command(t, c, dBruno, "takeover"), "takeover")
		d.waitFollowup(t, "Only a supervisor of team gaming can take over")

		require.Contains(t, d.command(t, c, dSuper, "takeover"), "takeover")
		d.waitPost(t, c, "<@"+dSuper.ID+"> took over this conversation from <@"+dAna.ID+">")
		d.waitCardShows(t, c, "<@"+dSuper.ID+">")
		require.Equal(t, 1, d.count("SELECT count(*) FROM conversations WHERE assignee = '"+dSuper.ID+"'"))
		d.say(t, c, dSuper, "I will take it from here")
		require.Equal(t, "I will take it from here", d.wa.WaitForSends(t, 1, waitLong)[0].Text)
		require.Contains(t, d.fake.CommandNames(discordtest.GuildID), "takeover")
	})
}

func TestDiscordAnswersInTheAskersLanguage(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		portuguese := func(name, home, kind string) string { return gamingTeam(name, home, kind) + "    language: pt\n" }
		d := setupDiscordTeam(t, dialect, "text", portuguese)
		d.customerWrites("34612345678", "Ana", "wamid.lang", time.Now(), "Hola")
		c := d.waitConv(t, d.home, 1)
		anaES := discordtest.User{ID: dAna.ID, Username: "ana", Locale: "es-ES"}
		brunoFR := discordtest.User{ID: dBruno.ID, Username: "bruno", Locale: "fr"}
		superUS := discordtest.User{ID: dSuper.ID, Username: "sam", Locale: "en-US"}
		outsiderMX := discordtest.User{ID: dOutsider.ID, Username: "lurker", Locale: "es-419"}

		require.Equal(t, "Pedido: claim. El hilo muestra el resultado.", d.command(t, c, anaES, "claim"))
		require.Equal(t, "Requested: takeover. The thread shows the result.", d.command(t, c, superUS, "takeover"))
		require.Contains(t, d.command(t, c, anaES, "available"), "Estás disponible")
		require.Contains(t, d.command(t, c, anaES, "status"), "disponible")
		require.Contains(t, d.command(t, c, brunoFR, "away"), "Você está ausente", "an unsupported locale gets the team's language")
		require.Contains(t, d.command(t, c, superUS, "away"), "You are away")
		require.Equal(t, "Solo los miembros de este equipo pueden hacer eso.", d.command(t, c, outsiderMX, "claim"))

		metrics := d.fake.WaitCallback(t, d.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: d.home, User: anaES, Name: "metrics"}))
		require.Contains(t, metrics.Content, "Recibidas")
		outside := d.fake.WaitCallback(t, d.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: d.home, User: anaES, Name: "claim"}))
		require.Equal(t, "Usa este comando dentro del hilo de una conversación.", outside.Content)
		note := d.fake.WaitCallback(t, d.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: c.thread, User: brunoFR, Name: "note",
			Options: []discordtest.Option{{Name: "text", Value: "ligar às 5"}}}))
		require.Equal(t, "Nota salva.", note.Content)

		// What the bridge tells the author later (a follow-up) is in their
		// language too; what it tells anyone else, in the team's.
		brunoES := discordtest.User{ID: dBruno.ID, Username: "bruno", Locale: "es-ES"}
		require.Equal(t, "Pedido: takeover. El hilo muestra el resultado.", d.command(t, c, brunoES, "takeover"))
		d.waitFollowup(t, "Solo un supervisor del equipo gaming puede tomar el control de una conversación.")
		d.fake.WaitFor(t, waitLong, "ana told in the team's language", func() bool {
			for _, m := range append(d.fake.Followups(), d.fake.Messages(c.thread)...) {
				if strings.Contains(m.Content, "assumiu uma conversa que estava com você") {
					return true
				}
			}
			return false
		})
	})
}
