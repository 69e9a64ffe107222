package discord_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord"
	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/bridge"
)

// memMarks keeps watermarks in memory for the gateway's own tests (the
// database-backed ones are tested in storage and end to end).
type memMarks struct {
	mu     sync.Mutex
	recent []discord.ThreadMark
	marks  map[string]string
}

func (m *memMarks) Advance(_ context.Context, thread, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.marks[thread] = id
	return nil
}

func (m *memMarks) Recent(context.Context) ([]discord.ThreadMark, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.recent), nil
}

func (m *memMarks) mark(thread string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.marks[thread]
}

// After a resume that replays nothing, the messages written meanwhile are
// fetched page by page (Discord gives at most 100 at a time, newest
// first) and handed to the bridge oldest first; a REST message carries
// no member, so the author's roles are looked up to decide membership.
func TestGatewayCatchUpFetchesEveryPageInOrder(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	channel := fake.AddTextChannel("support")
	thread := fake.AddThread(channel, "Sheena Nelson")
	marks := &memMarks{recent: []discord.ThreadMark{{ParentID: channel, ThreadID: thread}}, marks: map[string]string{}}
	in := newInbound()
	gw := &discord.Gateway{
		Token: "fake-discord-token", Inbound: in, GuildIDs: []string{discordtest.GuildID}, APIBaseURL: fake.URL(),
		IsMember: func(_, _ string, roles []string) bool { return slices.Contains(roles, teamRoleID) },
		Marks:    marks,
	}
	require.NoError(t, gw.Open(context.Background()))
	t.Cleanup(func() { _ = gw.Close() })
	fake.WaitIdentified(t, 1)

	fake.DropConnection(t)
	var want, ids []string
	for i := range 150 {
		text := fmt.Sprintf("m%03d", i)
		want = append(want, text)
		ids = append(ids, fake.SendMessage(t, discordtest.MessageSpec{ChannelID: thread, Author: agent, Content: text, Lost: true}))
	}
	fake.SendMessage(t, discordtest.MessageSpec{ChannelID: thread, Author: discordtest.User{ID: outsiderID}, Content: "lurking", Lost: true})
	fake.WaitResumed(t, 1)

	msgs := in.waitMessages(t, 150)
	var got []string
	for _, m := range msgs {
		got = append(got, m.Text)
		require.Equal(t, thread, m.ThreadKey)
		require.Equal(t, channel, m.ChannelID)
	}
	require.Equal(t, want, got, "every page, oldest first, the outsider left out")
	require.Equal(t, ids[len(ids)-1], msgs[len(msgs)-1].EventID, "the message id is the dedupe key")
	lurking := fake.Messages(thread)[len(fake.Messages(thread))-1].ID
	require.Eventually(t, func() bool { return marks.mark(thread) == lurking }, 10*time.Second, 10*time.Millisecond,
		"the mark moves to the newest message fetched")
	require.GreaterOrEqual(t, fake.Count(discordtest.RouteGetMessages), 2, "paged")
}

// rolesGateway opens a gateway that decides membership by role, as the
// app does, and keeps its marks in memory.
func rolesGateway(t *testing.T, fake *discordtest.Server, marks *memMarks, in *inbound, guilds []string, recoverFor time.Duration) {
	t.Helper()
	gw := &discord.Gateway{
		Token: "fake-discord-token", Inbound: in, GuildIDs: guilds, APIBaseURL: fake.URL(),
		IsMember:   func(_, _ string, roles []string) bool { return slices.Contains(roles, teamRoleID) },
		Marks:      marks,
		RecoverFor: recoverFor,
	}
	require.NoError(t, gw.Open(context.Background()))
	t.Cleanup(func() { _ = gw.Close() })
	fake.WaitIdentified(t, 1)
}

// A message fetched over REST carries no member, so its author's roles
// are looked up; when that lookup fails the author may well be an agent:
// the message must stay pending (not be dropped as a non-member's with
// the mark moving past it) and, once recovery gives up, its author is
// told to send it again.
func TestGatewayMessageWhoseRolesCannotBeReadIsKeptAndItsAuthorTold(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	channel := fake.AddTextChannel("support")
	thread := fake.AddThread(channel, "Sheena Nelson")
	marks := &memMarks{recent: []discord.ThreadMark{{ParentID: channel, ThreadID: thread}}, marks: map[string]string{}}
	in := newInbound()
	failures := make([]discordtest.Failure, 200)
	for i := range failures {
		failures[i] = discordtest.ServerError(http.StatusInternalServerError)
	}
	fake.FailNext(discordtest.RouteGetMember, failures...)
	rolesGateway(t, fake, marks, in, []string{discordtest.GuildID}, time.Second)

	fake.DropConnection(t)
	id := fake.SendMessage(t, discordtest.MessageSpec{ChannelID: thread, Author: agent, Content: "your refund is on its way", Lost: true})
	fake.WaitResumed(t, 1)

	fake.WaitFor(t, 15*time.Second, "the author told to send the message again", func() bool {
		for _, m := range fake.Messages(thread) {
			if m.ID != id && strings.Contains(m.Content, "<@"+agent.ID+">") && strings.Contains(m.Content, "could not be saved") {
				return true
			}
		}
		return false
	})
	in.mu.Lock()
	defer in.mu.Unlock()
	require.Empty(t, in.messages, "a message whose author's roles were never read is not stored")
}

// The roles of a REST message's author are those of the thread's own
// guild, not of the first guild configured.
func TestGatewayCatchUpReadsRolesInTheThreadsGuild(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	channel := fake.AddTextChannel("support")
	thread := fake.AddThread(channel, "Sheena Nelson")
	marks := &memMarks{recent: []discord.ThreadMark{{ParentID: channel, ThreadID: thread}}, marks: map[string]string{}}
	in := newInbound()
	rolesGateway(t, fake, marks, in, []string{"100000000000000099", discordtest.GuildID}, 0)

	fake.DropConnection(t)
	id := fake.SendMessage(t, discordtest.MessageSpec{ChannelID: thread, Author: agent, Content: "still there?", Lost: true})
	fake.WaitResumed(t, 1)

	msgs := in.waitMessages(t, 1)
	require.Equal(t, id, msgs[0].EventID)
	for _, r := range fake.Requests() {
		if r.Route == discordtest.RouteGetMember {
			require.Contains(t, r.Path, "/guilds/"+discordtest.GuildID+"/", "roles read in the thread's guild")
		}
	}
}

// refusing is a bridge that cannot store anything (its database is down).
type refusing struct{ *inbound }

func (refusing) HandleAgentMessage(context.Context, bridge.AgentMessage) error {
	return errors.New("database unavailable")
}

// When recovery gives a thread up, every author whose message was not
// stored is told: those of the page that failed, of the pages after it
// (never fetched before) and of live messages left to the fetch.
func TestGatewayGiveUpTellsEveryUnstoredMessagesAuthor(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	channel := fake.AddTextChannel("support")
	thread := fake.AddThread(channel, "Sheena Nelson")
	marks := &memMarks{recent: []discord.ThreadMark{{ParentID: channel, ThreadID: thread}}, marks: map[string]string{}}
	gw := &discord.Gateway{
		Token: "fake-discord-token", Inbound: refusing{newInbound()}, GuildIDs: []string{discordtest.GuildID}, APIBaseURL: fake.URL(),
		Marks: marks, RecoverFor: 2 * time.Second,
	}
	require.NoError(t, gw.Open(context.Background()))
	t.Cleanup(func() { _ = gw.Close() })
	fake.WaitIdentified(t, 1)

	onPage2 := discordtest.User{ID: "555000000000000003", Username: "bruno"}
	live := discordtest.User{ID: "555000000000000004", Username: "carla"}
	fake.DropConnection(t)
	for i := range 100 {
		fake.SendMessage(t, discordtest.MessageSpec{ChannelID: thread, Author: agent, Content: fmt.Sprintf("m%03d", i), Lost: true})
	}
	fake.SendMessage(t, discordtest.MessageSpec{ChannelID: thread, Author: onPage2, Content: "on page two", Lost: true})
	fake.WaitResumed(t, 1)
	fake.SendMessage(t, discordtest.MessageSpec{ChannelID: thread, Author: live, Content: "live while lagging"})

	told := func(u discordtest.User) bool {
		for _, m := range fake.Messages(thread) {
			if strings.HasPrefix(m.Content, "<@"+u.ID+">") && strings.Contains(m.Content, "could not be saved") {
				return true
			}
		}
		return false
	}
	fake.WaitFor(t, 15*time.Second, "the first page's author told", func() bool { return told(agent) })
	fake.WaitFor(t, 5*time.Second, "every unstored message's author told", func() bool { return told(onPage2) && told(live) })
	require.True(t, told(onPage2), "the author of a page after the failing one is told")
	require.True(t, told(live), "the author of a live message left to the fetch is told")
}
