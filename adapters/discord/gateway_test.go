package discord_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord"
	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/bridge"
)

// inbound is a fake bridge.AgentInbound that records what it is given.
type inbound struct {
	mu       sync.Mutex
	changed  chan struct{}
	messages []bridge.AgentMessage
	actions  []bridge.AgentAction
	commands []bridge.AgentCommand
	edits    []bridge.AgentEdit
	deletes  []bridge.AgentDelete
	reacts   []bridge.AgentReaction
}

func (in *inbound) HandleAgentEdit(_ context.Context, e bridge.AgentEdit) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.edits = append(in.edits, e)
	in.notify()
	return nil
}

func (in *inbound) HandleAgentDelete(_ context.Context, d bridge.AgentDelete) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.deletes = append(in.deletes, d)
	in.notify()
	return nil
}

func (in *inbound) HandleAgentReaction(_ context.Context, r bridge.AgentReaction) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.reacts = append(in.reacts, r)
	in.notify()
	return nil
}

func newInbound() *inbound { return &inbound{changed: make(chan struct{})} }

func (in *inbound) notify() {
	close(in.changed)
	in.changed = make(chan struct{})
}

func (in *inbound) HandleAgentMessage(_ context.Context, m bridge.AgentMessage) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.messages = append(in.messages, m)
	in.notify()
	return nil
}

func (in *inbound) HandleAgentAction(_ context.Context, a bridge.AgentAction) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.actions = append(in.actions, a)
	in.notify()
	return nil
}

func (in *inbound) HandleAgentCommand(_ context.Context, c bridge.AgentCommand) (string, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.commands = append(in.commands, c)
	in.notify()
	return "You hold *2* conversations.", nil
}

// waitFor waits until cond holds (checked under in.mu) or fails.
func (in *inbound) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		in.mu.Lock()
		ok, ch := cond(), in.changed
		in.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func (in *inbound) waitMessages(t *testing.T, n int) []bridge.AgentMessage {
	t.Helper()
	in.waitFor(t, "agent messages", func() bool { return len(in.messages) >= n })
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]bridge.AgentMessage(nil), in.messages...)
}

const (
	agentID     = "555000000000000001"
	outsiderID  = "555000000000000666"
	otherBotID  = "555000000000000777"
	teamRoleID  = "777000000000000001"
	agentName   = "ana"
	mentionedID = "555000000000000002"
)

type gwFixture struct {
	fake    *discordtest.Server
	in      *inbound
	gw      *discord.Gateway
	channel string
	thread  string
}

func setupGateway(t *testing.T) gwFixture {
	t.Helper()
	fake := discordtest.New(t)
	f := gwFixture{fake: fake, in: newInbound(), channel: fake.AddTextChannel("support")}
	f.thread = fake.AddThread(f.channel, "Sheena Nelson")
	f.gw = &discord.Gateway{
		Token:      "fake-discord-token",
		Inbound:    f.in,
		GuildIDs:   []string{discordtest.GuildID},
		IsMember:   func(_, userID string, roles []string) bool { return userID != outsiderID },
		APIBaseURL: fake.URL(),
	}
	require.NoError(t, f.gw.Open(context.Background()))
	t.Cleanup(func() { _ = f.gw.Close() })
	fake.WaitIdentified(t, 1)
	return f
}

var agent = discordtest.User{ID: agentID, Username: agentName, Roles: []string{teamRoleID}}

func TestGatewayIdentifiesAndRegistersCommands(t *testing.T) {
	t.Parallel()
	f := setupGateway(t)

	var id struct {
		Token    string `json:"token"`
		Intents  int    `json:"intents"`
		Compress bool   `json:"compress"`
	}
	require.NoError(t, json.Unmarshal(f.fake.Identifies()[0], &id))
	require.Equal(t, discordtest.Token, id.Token)
	require.Equal(t, int(discord.Intents), id.Intents)
	require.True(t, id.Compress, "discordgo asks for compression; the fake answers with zlib frames")

	require.ElementsMatch(t, []string{"claim", "unclaim", "resolve", "reopen", "transfer", "note",
		"status", "queue", "available", "away", "metrics", "takeover", "auto", "suggest", "summary", "template", "canned", "canned-admin", "new", "contact"}, f.fake.CommandNames(discordtest.GuildID))
	require.Equal(t, discordtest.BotUserID, f.gw.BotUserID, "learnt from READY")
}

func TestGatewayMessages(t *testing.T) {
	t.Parallel()
	f := setupGateway(t)

	// Messages that must be ignored go first: handlers run in order, so
	// once the last message arrives the others have been looked at.
	f.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: f.thread, Author: discordtest.User{ID: discordtest.BotUserID, Bot: true}, Content: "our echo"})
	f.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: f.thread, Author: discordtest.User{ID: otherBotID, Bot: true}, Content: "another bot"})
	f.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: f.thread, Author: discordtest.User{ID: outsiderID}, Content: "not an agent"})
	f.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: f.channel, Author: agent, Content: "outside a thread"})
	f.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: f.thread, Author: agent, Content: "thread announcement", Type: 18})
	first := f.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: f.thread, Author: agent,
		Content:  "**Thanks** <@" + mentionedID + "> will _call_ you ~~today~~",
		Mentions: []discordtest.User{{ID: mentionedID, Username: "bruno"}}})
	second := f.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: f.thread, Author: agent, Content: "here it is",
		Attachments: []discordtest.Attachment{{Filename: "quote.pdf", ContentType: "application/pdf", Data: []byte("%PDF")}}})

	msgs := f.in.waitMessages(t, 2)
	require.Len(t, msgs, 2, "bots, outsiders, channel messages and system messages are ignored")
	require.Equal(t, bridge.AgentMessage{
		Workspace: bridge.WorkspaceDiscord, EventID: first, ChannelID: f.channel, ThreadKey: f.thread,
		ThreadAt:   threadTime(t, f.thread),
		MessageKey: first, SentAt: threadTime(t, first), AuthorID: agentID, Text: "*Thanks* @bruno will _call_ you ~today~",
		Mentions: []string{mentionedID}, Roles: []string{teamRoleID},
	}, msgs[0], "mentions keep their ids so \"!transfer @bruno\" names him")
	require.Equal(t, second, msgs[1].MessageKey, "in order")
	require.Len(t, msgs[1].Files, 1)
	file := msgs[1].Files[0]
	require.Equal(t, "quote.pdf", file.Name)
	require.Equal(t, "application/pdf", file.MimeType)
	require.Equal(t, int64(4), file.Size)

	t.Run("an agent's attachment can be downloaded", func(t *testing.T) {
		ws, err := discord.NewWorkspace(discord.Config{Token: "fake-discord-token", APIBaseURL: f.fake.URL()})
		require.NoError(t, err)
		got, err := ws.DownloadFile(context.Background(), file)
		require.NoError(t, err)
		require.Equal(t, []byte("%PDF"), got.Data)
	})
}

func TestGatewayButton(t *testing.T) {
	t.Parallel()
	f := setupGateway(t)
	ws, err := discord.NewWorkspace(discord.Config{Token: "fake-discord-token", APIBaseURL: f.fake.URL()})
	require.NoError(t, err)
	ref, err := ws.OpenThread(context.Background(), f.channel, pendingCard(42))
	require.NoError(t, err)

	in := f.fake.ClickButton(t, discordtest.ButtonSpec{ChannelID: f.channel, MessageID: ref.CardKey, User: agent, CustomID: "sb:claim:42"})
	cb := f.fake.WaitCallback(t, in)
	require.True(t, cb.Ephemeral())
	require.Equal(t, 4, cb.Type)
	f.in.waitFor(t, "action", func() bool { return len(f.in.actions) == 1 })
	require.Equal(t, bridge.AgentAction{Workspace: bridge.WorkspaceDiscord, EventID: in.ID, ConversationID: 42,
		Verb: bridge.VerbClaim, ActorID: agentID, ChannelID: f.channel, ThreadKey: ref.ThreadKey, Roles: []string{teamRoleID}, Lang: "en-US",
		ReplyHandle: "i1:" + discordtest.AppID + ":" + in.ID + ":" + in.Token}, f.in.actions[0],
		"the click carries the roles (the bridge decides) and the interaction's reply handle (any replica can answer privately)")

	t.Run("an outsider's click is refused privately", func(t *testing.T) {
		in := f.fake.ClickButton(t, discordtest.ButtonSpec{ChannelID: f.channel, MessageID: ref.CardKey,
			User: discordtest.User{ID: outsiderID}, CustomID: "sb:resolve:42"})
		cb := f.fake.WaitCallback(t, in)
		require.True(t, cb.Ephemeral())
		require.Contains(t, cb.Content, "Only members")
		f.in.mu.Lock()
		defer f.in.mu.Unlock()
		require.Len(t, f.in.actions, 1)
	})
}

func TestGatewaySlashCommands(t *testing.T) {
	t.Parallel()
	f := setupGateway(t)

	t.Run("/claim in a thread becomes the bridge's !claim", func(t *testing.T) {
		in := f.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: f.thread, User: agent, Name: "claim"})
		cb := f.fake.WaitCallback(t, in)
		require.True(t, cb.Ephemeral())
		msgs := f.in.waitMessages(t, 1)
		require.Equal(t, bridge.AgentMessage{Workspace: bridge.WorkspaceDiscord, EventID: in.ID, ChannelID: f.channel,
			ThreadKey: f.thread, AuthorID: agentID, Text: "!claim", Roles: []string{teamRoleID}, Lang: "en-US",
			ReplyHandle: "i1:" + discordtest.AppID + ":" + in.ID + ":" + in.Token}, msgs[0])
	})

	t.Run("/transfer names the agent as a mention token", func(t *testing.T) {
		in := f.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: f.thread, User: agent, Name: "transfer",
			Options: []discordtest.Option{{Name: "agent", Type: 6, Value: mentionedID}}})
		f.fake.WaitCallback(t, in)
		msgs := f.in.waitMessages(t, 2)
		require.Equal(t, "!transfer "+bridge.MentionToken(mentionedID), msgs[1].Text)
	})

	t.Run("/note posts the note in the thread and hands it over as a note", func(t *testing.T) {
		in := f.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: f.thread, User: agent, Name: "note",
			Options: []discordtest.Option{{Name: "text", Value: "customer is **upset**"}}})
		cb := f.fake.WaitCallback(t, in)
		require.Equal(t, "Note saved.", cb.Content)
		msgs := f.in.waitMessages(t, 3)
		require.Equal(t, "note: customer is *upset*", msgs[2].Text)
		posted, ok := f.fake.Message(msgs[2].MessageKey)
		require.True(t, ok, "the note is a message the bridge can mark")
		require.Equal(t, f.thread, posted.ChannelID)
	})

	t.Run("/claim outside a thread is refused", func(t *testing.T) {
		in := f.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: f.channel, User: agent, Name: "claim"})
		cb := f.fake.WaitCallback(t, in)
		require.True(t, cb.Ephemeral())
		require.Contains(t, cb.Content, "inside a conversation thread")
	})

	t.Run("an outsider's command is refused", func(t *testing.T) {
		in := f.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: f.thread, User: discordtest.User{ID: outsiderID}, Name: "resolve"})
		cb := f.fake.WaitCallback(t, in)
		require.Contains(t, cb.Content, "Only members")
	})

	t.Run("/status is an AgentCommand answered privately", func(t *testing.T) {
		in := f.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: f.thread, User: agent, Name: "status"})
		cb := f.fake.WaitCallback(t, in)
		require.True(t, cb.Ephemeral())
		require.Equal(t, "You hold **2** conversations.", cb.Content)
		f.in.mu.Lock()
		defer f.in.mu.Unlock()
		require.Equal(t, []bridge.AgentCommand{{Workspace: bridge.WorkspaceDiscord, ChannelID: f.channel, UserID: agentID, Text: "status",
			Roles: []string{teamRoleID}, Lang: "en-US"}}, f.in.commands, "with the asker's client language")
	})

	f.in.mu.Lock()
	defer f.in.mu.Unlock()
	require.Len(t, f.in.messages, 3, "refused commands reach nobody")
}

func TestGatewayResumesAfterDrop(t *testing.T) {
	t.Parallel()
	f := setupGateway(t)

	before := f.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: f.thread, Author: agent, Content: "before"})
	f.in.waitMessages(t, 1)

	f.fake.DropConnection(t)
	during := f.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: f.thread, Author: agent, Content: "while away"})
	f.fake.WaitResumed(t, 1)
	after := f.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: f.thread, Author: agent, Content: "after"})

	msgs := f.in.waitMessages(t, 3)
	var keys []string
	for _, m := range msgs {
		keys = append(keys, m.MessageKey)
	}
	require.Equal(t, []string{before, during, after}, keys, "nothing lost, nothing doubled, in order")
	require.Len(t, f.fake.Identifies(), 1, "the session was resumed, not identified again")

	// A later message proves no duplicate was still on its way.
	last := f.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: f.thread, Author: agent, Content: "last"})
	msgs = f.in.waitMessages(t, 4)
	require.Len(t, msgs, 4)
	require.Equal(t, last, msgs[3].MessageKey)
}

func threadTime(t *testing.T, id string) time.Time {
	t.Helper()
	at, err := discordgo.SnowflakeTimestamp(id)
	require.NoError(t, err)
	return at
}

// An Open that fails after connecting (here: the commands cannot be
// registered) leaves nothing running, so a second Open does not race the
// first one's recovery goroutine (run with -race).
func TestGatewayOpenAfterFailedOpenDoesNotRace(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	channel := fake.AddTextChannel("support")
	thread := fake.AddThread(channel, "Sheena Nelson")
	in := newInbound()
	gw := &discord.Gateway{
		Token: "fake-discord-token", Inbound: in, GuildIDs: []string{discordtest.GuildID}, APIBaseURL: fake.URL(),
		AppID: discordtest.AppID, Marks: &memMarks{marks: map[string]string{}},
	}
	fake.FailNext(discordtest.RouteBulkCommands, discordtest.MissingAccess())
	require.Error(t, gw.Open(context.Background()))
	require.NoError(t, gw.Open(context.Background()))
	t.Cleanup(func() { _ = gw.Close() })
	fake.WaitIdentified(t, 2)

	fake.SendMessage(t, discordtest.MessageSpec{ChannelID: thread, Author: agent, Content: "hello"})
	require.Equal(t, "hello", in.waitMessages(t, 1)[0].Text, "the second session works")
}
