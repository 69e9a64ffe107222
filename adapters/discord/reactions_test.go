package discord_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/bridge"
)

func TestGatewayReactionsWithoutOurOwn(t *testing.T) {
	t.Parallel()
	f := setupGateway(t)
	target := f.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: f.thread, Author: agent, Content: "a message"})
	f.in.waitMessages(t, 1)

	react := func(user discordtest.User, emoji, emojiID string, removed bool) {
		f.fake.React(t, discordtest.ReactionSpec{ChannelID: f.thread, MessageID: target, User: user, Emoji: emoji, EmojiID: emojiID, Removed: removed})
	}
	// Ignored ones first: handlers run in order.
	react(discordtest.User{ID: discordtest.BotUserID, Bot: true}, "📤", "", false) // our status mark
	react(discordtest.User{ID: discordtest.BotUserID, Bot: true}, "📤", "", true)
	react(discordtest.User{ID: otherBotID, Bot: true}, "👍", "", false)
	react(discordtest.User{ID: outsiderID}, "👍", "", false)
	react(agent, "partyparrot", "999000000000000001", true) // a custom emoji's removal
	react(agent, "👍🏽", "", false)
	react(agent, "partyparrot", "999000000000000001", false)
	react(agent, "👍🏽", "", true)

	f.in.waitFor(t, "three reactions", func() bool { return len(f.in.reacts) >= 3 })
	f.in.mu.Lock()
	got := append([]bridge.AgentReaction(nil), f.in.reacts...)
	f.in.mu.Unlock()
	for i := range got {
		require.False(t, got[i].At.IsZero())
		got[i].At = time.Time{} // compared below without it
	}
	want := func(emoji string, removed bool, roles []string) bridge.AgentReaction {
		return bridge.AgentReaction{Workspace: bridge.WorkspaceDiscord, ChannelID: f.channel, ThreadKey: f.thread,
			MessageKey: target, UserID: agentID, Emoji: emoji, Removed: removed, Roles: roles}
	}
	require.Equal(t, []bridge.AgentReaction{
		want("👍🏽", false, []string{teamRoleID}),
		want("", false, []string{teamRoleID}), // the bridge tells the agent it cannot be sent
		want("👍🏽", true, nil),                 // REMOVE carries no member
	}, got)
}

func TestGatewayReplyQuotesTheMessageItAnswers(t *testing.T) {
	t.Parallel()
	f := setupGateway(t)
	first := f.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: f.thread, Author: agent, Content: "first"})
	f.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: f.thread, Author: agent, Content: "answer", ReplyTo: first})
	msgs := f.in.waitMessages(t, 2)
	require.Empty(t, msgs[0].QuotedKey)
	require.Equal(t, first, msgs[1].QuotedKey)
	require.Equal(t, "answer", msgs[1].Text)
}
