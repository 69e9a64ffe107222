package app_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
)

// Reactions and quotes both ways on Discord (issue 17).

// postID is the id of the bot's first post in the thread containing sub.
func (d *dside) postID(t *testing.T, c dconv, sub string) string {
	t.Helper()
	var id string
	d.fake.WaitFor(t, waitLong, fmt.Sprintf("post %q", sub), func() bool {
		for _, m := range d.posts(c) {
			if m.AuthorID == discordtest.BotUserID && strings.Contains(m.Content, sub) {
				id = m.ID
				return true
			}
		}
		return false
	})
	return id
}

// settled returns once the thread's earlier posts are recorded (see
// env.settled): a note is marked 📝 by the same lane, after them.
func (d *dside) settled(t *testing.T, c dconv) {
	t.Helper()
	note := d.say(t, c, dAna, "note: settled")
	d.waitReaction(t, c, note, "📝")
}

func (d *dside) react(t *testing.T, c dconv, key string, who discordtest.User, emoji string, removed bool) {
	t.Helper()
	d.fake.React(t, discordtest.ReactionSpec{ChannelID: c.thread, MessageID: key, User: who, Emoji: emoji, Removed: removed})
}

func TestDiscordAgentReactionsReachTheCustomer(t *testing.T) {
	t.Parallel()
	eachKind(t, func(t *testing.T, dialect, kind string) {
		d := setupDiscord(t, dialect, kind)
		d.fake.EchoReactions() // our marks come back as reaction events, as on Discord
		d.customerWrites("34612345678", "Ana", "wamid.dr1", time.Now(), "Hola")
		c := d.waitConv(t, d.home, 1)
		hola := d.postID(t, c, "Hola")
		d.settled(t, c)

		d.react(t, c, hola, dAna, "👍", false)
		sends := waitSend(t, d.wa, isReaction("👍"))
		require.Equal(t, []whatsapptest.ReactionSend{{MessageID: "wamid.dr1", Emoji: "👍"}}, reactionSends(sends))
		d.react(t, c, hola, dAna, "👍", false) // the gateway replays an event: nothing new
		d.react(t, c, hola, dAna, "👍", true)
		waitSend(t, d.wa, isReaction(""))

		reply := d.say(t, c, dAna, "Claro") // claims it
		d.waitReaction(t, c, reply, "📤")
		d.react(t, c, reply, dAna, "👍", false)                                                  // on our own reply
		d.react(t, c, hola, discordtest.User{ID: discordtest.BotUserID, Bot: true}, "👀", false) // our own bot's
		d.fake.React(t, discordtest.ReactionSpec{ChannelID: c.thread, MessageID: hola, User: dAna,
			Emoji: "partyparrot", EmojiID: "999000000000000001"}) // a custom emoji
		d.waitPost(t, c, "standard emoji")
		d.react(t, c, hola, dBruno, "🎉", false) // Ana holds the conversation
		d.waitPost(t, c, "holds this conversation, so your reaction was NOT sent")
		d.react(t, c, hola, dAna, "🎉", false)

		sends = waitSend(t, d.wa, isReaction("🎉"))
		require.Equal(t, []whatsapptest.ReactionSend{
			{MessageID: "wamid.dr1", Emoji: "👍"}, {MessageID: "wamid.dr1", Emoji: ""}, {MessageID: "wamid.dr1", Emoji: "🎉"},
		}, reactionSends(sends), "once each, never for our own posts or reactions, nor for someone not holding it")
	})
}

func TestDiscordQuotesAndCustomerReactionsBothWays(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text")
		d.fake.EchoReactions() // our mirrors come back as reaction events, as on Discord
		t0 := time.Now()
		d.customerWrites("34612345678", "Ana", "wamid.dq1", t0, "Where is my order?")
		c := d.waitConv(t, d.home, 1)
		q := d.postID(t, c, "Where is my order?")
		d.settled(t, c)

		// A Discord reply to the customer's message quotes it on WhatsApp,
		// also when the send is retried (the quote is kept with the reply).
		d.wa.FailNext(1, http.StatusServiceUnavailable, 131000, "")
		reply := d.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: c.thread, Author: dAna, Content: "It ships today", ReplyTo: q})
		sends := d.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "It ships today", sends[0].Text)
		require.Equal(t, "wamid.dq1", sends[0].ReplyTo, "sent quoting the customer's message")
		d.waitReaction(t, c, reply, "📤")

		// The customer's quoted answer is a native reply to the agent's message.
		d.customerQuotes("wamid.dq2", sends[0].WAMID, "Thanks!", t0.Add(time.Second))
		d.waitPost(t, c, "Thanks!")
		var ref struct {
			Reference *struct {
				MessageID       string `json:"message_id"`
				ChannelID       string `json:"channel_id"`
				FailIfNotExists *bool  `json:"fail_if_not_exists"`
			} `json:"message_reference"`
		}
		m, ok := d.fake.Message(d.postID(t, c, "Thanks!"))
		require.True(t, ok)
		require.NoError(t, m.Decode(&ref))
		require.NotNil(t, ref.Reference, "posted as a reply")
		require.Equal(t, reply, ref.Reference.MessageID)
		require.Equal(t, c.thread, ref.Reference.ChannelID)
		require.NotNil(t, ref.Reference.FailIfNotExists)
		require.False(t, *ref.Reference.FailIfNotExists, "posted even if the agent's message is gone")
		require.Contains(t, m.Content, "In reply to: It ships today", "the text quote stays for readers of notifications")

		// The customer's reactions on the reply: added, replaced, removed.
		d.customerReacts("wamid.dq3", sends[0].WAMID, "👍", t0.Add(2*time.Second))
		d.waitReaction(t, c, reply, "👍")
		d.customerReacts("wamid.dq4", sends[0].WAMID, "❤️", t0.Add(3*time.Second))
		d.fake.WaitFor(t, waitLong, "❤️ replacing 👍", func() bool {
			rs := d.fake.Reactions(c.thread, reply)
			return slices.Contains(rs, "❤️") && !slices.Contains(rs, "👍")
		})
		d.customerReacts("wamid.dq5", sends[0].WAMID, "", t0.Add(4*time.Second))
		d.fake.WaitFor(t, waitLong, "❤️ removed", func() bool {
			rs := d.fake.Reactions(c.thread, reply)
			return !slices.Contains(rs, "❤️") && slices.Contains(rs, "📤")
		})
		// WhatsApp lets customers react to their own messages too: our
		// mirror of it, echoed by Discord, never goes back as ours.
		d.customerReacts("wamid.dq6", "wamid.dq1", "😂", t0.Add(5*time.Second))
		d.waitReaction(t, c, q, "😂")
		d.react(t, c, q, dAna, "🙏", false) // a marker: Ana's own reaction is sent
		sends = waitSend(t, d.wa, isReaction("🙏"))
		require.Equal(t, []whatsapptest.ReactionSend{{MessageID: "wamid.dq1", Emoji: "🙏"}}, reactionSends(sends),
			"a customer's reaction mirrored by our bot is never sent back")
	})
}

// After 24 hours without a customer message WhatsApp refuses reactions:
// the agent is told privately and nothing is sent; a reaction the
// customer can no longer see is not remembered as theirs.
func TestDiscordReactionOutsideTheWindowIsToldPrivately(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		clk := &clock{now: time.Now()}
		d := setupDiscord(t, dialect, "text", withClock(clk))
		d.customerWrites("34612345678", "Ana", "wamid.dw1", clk.Now(), "Hola")
		c := d.waitConv(t, d.home, 1)
		hola := d.postID(t, c, "Hola")
		d.settled(t, c)

		clk.Advance(25 * time.Hour)
		d.react(t, c, hola, dAna, "👍", false)
		d.waitPost(t, c, "more than 24 hours ago")

		// The customer writes again: the window reopens, the same emoji goes.
		d.customerWrites("34612345678", "Ana", "wamid.dw2", clk.Now(), "¿Hola?")
		d.postID(t, c, "¿Hola?")
		d.react(t, c, hola, dAna, "👍", true) // not what the customer sees: nothing
		d.react(t, c, hola, dAna, "👍", false)
		sends := waitSend(t, d.wa, isReaction("👍"))
		require.Equal(t, []whatsapptest.ReactionSend{{MessageID: "wamid.dw1", Emoji: "👍"}}, reactionSends(sends))
	})
}
