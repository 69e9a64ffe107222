package app_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/cmd/switchboard/app"
	"github.com/switchboard/switchboard/storage"
)

// askPrivately runs a command whose answer the bridge gives as a private
// tell (a transfer to a team that does not exist) and returns the
// interaction.
func (d *dside) askPrivately(t *testing.T, c dconv, who discordtest.User) discordtest.Interaction {
	t.Helper()
	in := d.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: c.thread, User: who, Name: "transfer",
		Options: []discordtest.Option{{Name: "team", Value: "nowhere"}}})
	require.True(t, d.fake.WaitCallback(t, in).Ephemeral())
	return in
}

// waitPrivateAnswer waits for the tell about "nowhere" and reports whether
// it came as an ephemeral follow-up to in (true) or as a public mention
// of who in the thread (false); it fails if it came both ways.
func (d *dside) waitPrivateAnswer(t *testing.T, c dconv, in discordtest.Interaction, who discordtest.User) bool {
	t.Helper()
	followup := func() int {
		n := 0
		for _, f := range d.fake.Followups() {
			if f.ChannelID == "webhook:"+in.Token && strings.Contains(f.Content, "nowhere") {
				require.Contains(t, string(f.Payload), `"flags":64`, "the follow-up is ephemeral")
				n++
			}
		}
		return n
	}
	mention := func() int {
		n := 0
		for _, p := range d.botPosts(c) {
			if strings.HasPrefix(p, "<@"+who.ID+">") && strings.Contains(p, "nowhere") {
				n++
			}
		}
		return n
	}
	d.fake.WaitFor(t, waitLong, "the private answer", func() bool { return followup()+mention() > 0 })
	// A marker through the same lane proves nothing else is on its way.
	d.waitReaction(t, c, d.say(t, c, who, "note: marker"), "📝")
	require.Equal(t, 1, followup()+mention(), "answered exactly once")
	return followup() == 1
}

// A private answer to a slash command is an ephemeral follow-up whichever
// replica runs its delivery: the interaction's token travels in the
// delivery. Here the replica holding the gateway runs no jobs, so the
// other one delivers.
func TestDiscordPrivateAnswerIsEphemeralFromAnotherReplica(t *testing.T) {
	t.Parallel()
	d := setupDiscord(t, storage.Postgres, "text")
	d.customerWrites("34612345678", "Ana", "wamid.pr1", time.Now(), "Hola")
	c := d.waitConv(t, d.home, 1)

	second, err := app.Build(context.Background(), d.cfg, d.tune)
	require.NoError(t, err)
	require.NoError(t, second.Start(context.Background()))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = second.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = second.Shutdown(ctx)
	})
	require.True(t, d.app.DiscordLeader(), "the first replica holds the gateway")
	require.False(t, second.DiscordLeader())
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, d.app.Queue.Stop(ctx), "the gateway's replica stops running deliveries")

	in := d.askPrivately(t, c, dBruno)
	require.True(t, d.waitPrivateAnswer(t, c, in, dBruno), "an ephemeral follow-up, no public mention")
}

// After Discord's 15 minutes an interaction token is dead: a private
// answer whose delivery runs later is a mention in the thread instead.
// While it lives, the answer is ephemeral. Both databases.
func TestDiscordPrivateAnswerFallsBackToAMentionAfter15Minutes(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		clk := &clock{now: time.Now()}
		d := setupDiscord(t, dialect, "text", withClock(clk))
		d.customerWrites("34612345678", "Ana", "wamid.pr2", time.Now(), "Hola")
		c := d.waitConv(t, d.home, 1)

		in := d.askPrivately(t, c, dBruno)
		require.True(t, d.waitPrivateAnswer(t, c, in, dBruno), "a young token: ephemeral")

		// The delivery of the next answer runs 16 minutes after the
		// interaction, as after a long outage of the queue.
		clk.Advance(16 * time.Minute)
		in = d.askPrivately(t, c, dAna)
		require.False(t, d.waitPrivateAnswer(t, c, in, dAna), "an expired token: a public mention")
	})
}
