package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
)

// Discord users of the end-to-end tests.
var (
	dAna      = discordtest.User{ID: "555000000000000001", Username: "ana"}
	dBruno    = discordtest.User{ID: "555000000000000002", Username: "bruno"}
	dSuper    = discordtest.User{ID: "555000000000000009", Username: "sam"}
	dOutsider = discordtest.User{ID: "555000000000000666", Username: "lurker"}
	dRoleUser = discordtest.User{ID: "555000000000000007", Username: "rolf", Roles: []string{dAgentRole}}
	dRoleAna  = discordtest.User{ID: dAna.ID, Username: "ana", Roles: []string{"777000000000000002", dAgentRole}}
)

const dAgentRole = "777000000000000001"

// channelKinds are the two homes a Discord team may have.
var channelKinds = []string{"text", "forum"}

// forumTagNames are the tags the test forums offer; the workspace finds
// them by name.
var forumTagNames = []string{"Waiting", "Assigned", "Resolved", "Billing"}

// dside is a running switchboard whose team "gaming" lives in a Discord
// channel of the fake.
type dside struct {
	*env
	fake *discordtest.Server
	home string // the team's text or forum channel
	kind string
}

// withDiscord points the config at the fake Discord.
func withDiscord(fake *discordtest.Server) option {
	return withTopLevel(fmt.Sprintf("discord:\n  bot_token: fake-discord-token\n  guild_id: %q\n  api_url: %q\n",
		discordtest.GuildID, fake.URL()))
}

// addHome creates the team's channel of kind in the fake.
func addHome(fake *discordtest.Server, kind, name string) string {
	if kind == "forum" {
		return fake.AddForumChannel(name, forumTagNames...)
	}
	return fake.AddTextChannel(name)
}

// gamingTeam is the YAML of a Discord team whose agents are listed.
func gamingTeam(name, home, kind string) string {
	return fmt.Sprintf(`  - name: %s
    discord_channel: %q
    discord_kind: %s
    members: [%q, %q]
    supervisors: [%q]
`, name, home, kind, dAna.ID, dBruno.ID, dSuper.ID)
}

// roleTeam is the YAML of a Discord team whose agents hold a role.
func roleTeam(name, home, kind string) string {
	return fmt.Sprintf(`  - name: %s
    discord_channel: %q
    discord_kind: %s
    discord_role: %q
    supervisors: [%q]
`, name, home, kind, dAgentRole, dSuper.ID)
}

// setupDiscord starts switchboard with one team, "gaming", at home in a
// Discord channel of kind, and waits for the gateway.
func setupDiscord(t *testing.T, dialect, kind string, opts ...option) *dside {
	t.Helper()
	return setupDiscordTeam(t, dialect, kind, gamingTeam, opts...)
}

func setupDiscordTeam(t *testing.T, dialect, kind string, team func(name, home, kind string) string, opts ...option) *dside {
	t.Helper()
	fake := discordtest.New(t)
	home := addHome(fake, kind, "gaming")
	opts = append([]option{withTeams("teams:\n" + team("gaming", home, kind)), withDiscord(fake)}, opts...)
	e := setup(t, dialect, opts...)
	fake.WaitIdentified(t, 1)
	fake.WaitFor(t, waitLong, "commands registered", func() bool { return len(fake.CommandNames(discordtest.GuildID)) > 0 })
	return &dside{env: e, fake: fake, home: home, kind: kind}
}

// dconv is one conversation's place in the fake Discord.
type dconv struct {
	thread string // the thread or forum post
	card   string // the status card's message id
	cardIn string // the channel holding the card: the home for text, the post for forums
	id     string // the conversation id, from the card's buttons
}

// waitConv waits for the n-th conversation (1-based) opened in home and a
// first post in its thread, and returns it.
func (d *dside) waitConv(t *testing.T, home string, n int) dconv {
	t.Helper()
	var c dconv
	d.fake.WaitFor(t, waitLong, fmt.Sprintf("conversation %d in %s", n, home), func() bool {
		threads := d.fake.Threads(home)
		if len(threads) < n {
			return false
		}
		th := threads[n-1]
		c = dconv{thread: th.ID, card: th.ID, cardIn: home}
		card, ok := d.fake.Message(th.ID)
		if !ok {
			return false
		}
		if card.ChannelID == th.ID {
			c.cardIn = th.ID // a forum post's starter message
		}
		c.id = conversationOfCard(card)
		return len(d.posts(c)) > 0
	})
	return c
}

// conversationOfCard reads the conversation id from a card's custom_ids
// ("sb:<verb>:<id>").
func conversationOfCard(m discordtest.Message) string {
	raw := string(m.Payload)
	i := strings.Index(raw, `"custom_id":"sb:`)
	if i < 0 {
		return ""
	}
	rest := raw[i+len(`"custom_id":"sb:`):]
	rest = rest[:strings.Index(rest, `"`)]
	return rest[strings.LastIndex(rest, ":")+1:]
}

// posts are the messages in the conversation's thread, the card aside.
func (d *dside) posts(c dconv) []discordtest.Message {
	var out []discordtest.Message
	for _, m := range d.fake.Messages(c.thread) {
		if m.ID != c.card {
			out = append(out, m)
		}
	}
	return out
}

// botPosts are what switchboard posted in the thread.
func (d *dside) botPosts(c dconv) []string {
	var out []string
	for _, m := range d.posts(c) {
		if m.AuthorID == discordtest.BotUserID {
			out = append(out, m.Content)
		}
	}
	return out
}

func (d *dside) waitPost(t *testing.T, c dconv, sub string) {
	t.Helper()
	d.fake.WaitFor(t, waitLong, fmt.Sprintf("%q in thread %s", sub, c.thread), func() bool {
		return containsText(d.botPosts(c), sub) > 0
	})
}

func (d *dside) say(t *testing.T, c dconv, who discordtest.User, text string, files ...discordtest.Attachment) string {
	t.Helper()
	return d.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: c.thread, Author: who, Content: text, Attachments: files})
}

// command runs a slash command in the conversation's thread and returns
// the answer, which must be ephemeral.
func (d *dside) command(t *testing.T, c dconv, who discordtest.User, name string, opts ...discordtest.Option) string {
	t.Helper()
	cb := d.fake.WaitCallback(t, d.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: c.thread, User: who, Name: name, Options: opts}))
	require.True(t, cb.Ephemeral(), "/%s is answered privately", name)
	require.NotEmpty(t, strings.TrimSpace(cb.Content), "/%s has an answer", name)
	return cb.Content
}

// click presses a card button and returns the private answer.
func (d *dside) click(t *testing.T, c dconv, who discordtest.User, verb string) string {
	t.Helper()
	cb := d.fake.WaitCallback(t, d.fake.ClickButton(t, discordtest.ButtonSpec{ChannelID: c.cardIn, MessageID: c.card, User: who,
		CustomID: "sb:" + verb + ":" + c.id}))
	require.True(t, cb.Ephemeral())
	return cb.Content
}

// waitReaction waits for the bot's reaction emoji on message key.
func (d *dside) waitReaction(t *testing.T, c dconv, key, emoji string) {
	t.Helper()
	d.fake.WaitFor(t, waitLong, emoji+" on "+key, func() bool { return slices.Contains(d.fake.Reactions(c.thread, key), emoji) })
}

// waitCardShows waits until the card's embed mentions sub (after edits).
func (d *dside) waitCardShows(t *testing.T, c dconv, sub string) {
	t.Helper()
	d.fake.WaitFor(t, waitLong, "card showing "+sub, func() bool {
		m, _ := d.fake.Message(c.card)
		return strings.Contains(unescapeJSON(m.Payload), sub)
	})
}

// unescapeJSON undoes encoding/json's HTML escaping of <, > and &, so
// mentions read as Discord shows them.
func unescapeJSON(raw []byte) string {
	return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(string(raw))
}

// waitTag waits until a forum post carries exactly the named tag; text
// channels have no tags.
func (d *dside) waitTag(t *testing.T, c dconv, name string) {
	t.Helper()
	if d.kind != "forum" {
		return
	}
	want := d.fake.ForumTagID(d.home, name)
	d.fake.WaitFor(t, waitLong, "tag "+name, func() bool {
		ch, _ := d.fake.Channel(c.thread)
		return slices.Equal(ch.AppliedTags, []string{want})
	})
}

// eachKind runs fn for both channel kinds on both databases.
func eachKind(t *testing.T, fn func(t *testing.T, dialect, kind string)) {
	for _, kind := range channelKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			eachDialect(t, func(t *testing.T, dialect string) { fn(t, dialect, kind) })
		})
	}
}

func TestDiscordCustomerMessagesOpenACardAndAThreadInOrder(t *testing.T) {
	t.Parallel()
	eachKind(t, func(t *testing.T, dialect, kind string) {
		d := setupDiscord(t, dialect, kind)
		base := time.Now()
		for i, text := range []string{"first", "second", "third"} {
			d.customerWrites("34612345678", "Ana García", fmt.Sprintf("wamid.o%d", i), base.Add(time.Duration(i)*time.Second), text)
		}
		c := d.waitConv(t, d.home, 1)
		d.waitPost(t, c, "third")
		require.Equal(t, []string{"**Ana García:** first", "**Ana García:** second", "**Ana García:** third"}, d.botPosts(c), "in order, each once")

		card, _ := d.fake.Message(c.card)
		var sent struct {
			Embeds []struct {
				Title  string `json:"title"`
				Fields []struct {
					Name, Value string
				} `json:"fields"`
			} `json:"embeds"`
			Components []struct {
				Components []struct {
					Label    string `json:"label"`
					CustomID string `json:"custom_id"`
				} `json:"components"`
			} `json:"components"`
		}
		require.NoError(t, card.Decode(&sent))
		require.Len(t, sent.Embeds, 1, "the card is an embed")
		embed, _ := json.Marshal(sent.Embeds[0])
		require.Contains(t, string(embed), "Ana García")
		require.Contains(t, string(embed), "+34 6")
		require.NotContains(t, string(embed), "34612345678", "the card never shows the full number")
		var ids []string
		for _, row := range sent.Components {
			for _, b := range row.Components {
				ids = append(ids, b.CustomID)
			}
		}
		require.Contains(t, ids, "sb:claim:"+c.id)
		require.Contains(t, ids, "sb:resolve:"+c.id)
		require.Len(t, d.fake.Threads(d.home), 1, "one conversation, one thread")
		d.waitTag(t, c, "Waiting")
		if kind == "text" {
			require.Equal(t, d.home, card.ChannelID, "the card sits in the channel, the thread hangs off it")
		} else {
			require.Equal(t, c.thread, card.ChannelID, "the card starts the forum post")
		}
		require.ElementsMatch(t, []string{"claim", "unclaim", "resolve", "reopen", "transfer", "note", "status", "queue", "available", "away", "metrics", "takeover", "auto", "suggest", "summary", "template", "canned", "canned-admin", "new", "contact"},
			d.fake.CommandNames(discordtest.GuildID))
	})
}

func TestDiscordRepliesReachTheCustomerAndNotesNever(t *testing.T) {
	t.Parallel()
	eachKind(t, func(t *testing.T, dialect, kind string) {
		d := setupDiscord(t, dialect, kind)
		d.customerWrites("34612345678", "Ana", "wamid.r1", time.Now(), "Hola")
		c := d.waitConv(t, d.home, 1)

		note1 := d.say(t, c, dAna, "note: she ordered twice")
		note2 := d.say(t, c, dAna, ";; check the refund")
		require.Equal(t, "Note saved.", d.command(t, c, dAna, "note", discordtest.Option{Name: "text", Value: "VIP customer"}))
		reply := d.say(t, c, dAna, "Hi **Ana**, yes we do!")
		sends := d.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "text", sends[0].Type)
		require.Equal(t, "Hi *Ana*, yes we do!", sends[0].Text, "Discord Markdown becomes WhatsApp formatting")
		require.Equal(t, "34612345678", sends[0].To)

		d.waitReaction(t, c, reply, "📤")
		d.waitReaction(t, c, note1, "📝")
		d.waitReaction(t, c, note2, "📝")
		d.waitPost(t, c, "VIP customer") // /note shows the note in the thread…
		var slashNote string
		for _, m := range d.posts(c) {
			if strings.Contains(m.Content, "VIP customer") {
				slashNote = m.ID
			}
		}
		d.waitReaction(t, c, slashNote, "📝") // …marked as a note
		require.Len(t, d.wa.Sends(), 1, "notes are never sent")

		// Receipts become reactions; the first reply claimed the conversation.
		resp := whatsapptest.PostWebhook(t, d.baseURL+"/webhooks/whatsapp", appSecret,
			whatsapptest.StatusUpdate(phoneID, sends[0].WAMID, "read", time.Now(), 0))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		d.waitReaction(t, c, reply, "👁️")
		d.waitCardShows(t, c, "<@"+dAna.ID+">")
		d.waitTag(t, c, "Assigned")
	})
}

func TestDiscordAttachmentsGoBothWays(t *testing.T) {
	t.Parallel()
	eachKind(t, func(t *testing.T, dialect, kind string) {
		d := setupDiscord(t, dialect, kind)
		photo := []byte("\xff\xd8\xff jpeg bytes")
		d.wa.AddMedia("MEDIAIMG1", "image/jpeg", photo)
		resp := whatsapptest.PostWebhook(t, d.baseURL+"/webhooks/whatsapp", appSecret, whatsapptest.Envelope(whatsapptest.Value{
			PhoneNumberID: phoneID, Contacts: []whatsapptest.Contact{{WaID: "34612345678", Name: "Ana"}},
			Messages: []map[string]any{whatsapptest.Message("34612345678", "wamid.img1", time.Now(), "image",
				map[string]any{"id": "MEDIAIMG1", "mime_type": "image/jpeg", "caption": "my receipt"})},
		}))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		c := d.waitConv(t, d.home, 1)
		var file discordtest.Message
		d.fake.WaitFor(t, waitLong, "the customer's photo in the thread", func() bool {
			for _, m := range d.posts(c) {
				if len(m.Files) > 0 {
					file = m
					return true
				}
			}
			return false
		})
		require.Equal(t, photo, file.Files[0].Data, "the customer's file, as sent")
		require.Contains(t, file.Content+strings.Join(d.botPosts(c), "\n"), "my receipt", "with its caption")

		pdf := []byte("%PDF-1.4 invoice")
		d.say(t, c, dAna, "Here it is", discordtest.Attachment{Filename: "invoice.pdf", ContentType: "application/pdf", Data: pdf})
		sends := d.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "text", sends[0].Type)
		require.Equal(t, "Here it is", sends[0].Text)
		require.Equal(t, "document", sends[1].Type)
		uploads := d.wa.Uploads()
		require.Len(t, uploads, 1)
		require.Equal(t, pdf, uploads[0].Data, "the agent's file, fetched from Discord's CDN")
		require.Equal(t, uploads[0].ID, sends[1].MediaID)
	})
}

func TestDiscordSplitsALongCustomerMessageBetweenWords(t *testing.T) {
	t.Parallel()
	eachKind(t, func(t *testing.T, dialect, kind string) {
		d := setupDiscord(t, dialect, kind)
		var words []string
		for i := 0; len(strings.Join(words, " ")) < 4500; i++ {
			words = append(words, fmt.Sprintf("palabra%03d", i), "*negrita*", "canción")
		}
		long := strings.Join(words, " ")
		d.customerWrites("34612345678", "Ana", "wamid.long", time.Now(), long)
		c := d.waitConv(t, d.home, 1)
		d.waitPost(t, c, words[len(words)-3])
		pieces := d.botPosts(c)
		require.GreaterOrEqual(t, len(pieces), 3, "4,500 characters need three messages")
		var got []string
		for i, p := range pieces {
			require.LessOrEqual(t, utf8.RuneCountInString(p), 2000, "piece %d is under Discord's limit", i)
			require.Equal(t, strings.Count(p, "**")%2, 0, "piece %d keeps its bold markers paired", i)
			got = append(got, strings.Fields(p)...)
		}
		require.Equal(t, "**Ana:**", strings.Join(got[:1], ""))
		require.Equal(t, strings.Fields(strings.ReplaceAll(long, "*negrita*", "**negrita**")), got[1:], "every word whole, in order")
	})
}

func TestDiscordSlashCommandsWorkInsideThreads(t *testing.T) {
	t.Parallel()
	eachKind(t, func(t *testing.T, dialect, kind string) {
		d := setupDiscord(t, dialect, kind)
		d.customerWrites("34612345678", "Ana", "wamid.cmd", time.Now(), "Hola")
		c := d.waitConv(t, d.home, 1)

		require.Contains(t, d.command(t, c, dAna, "claim"), "claim")
		d.waitPost(t, c, "<@"+dAna.ID+"> claimed this conversation")
		d.waitTag(t, c, "Assigned")
		d.waitCardShows(t, c, "sb:unclaim:"+c.id)

		require.Contains(t, d.command(t, c, dAna, "unclaim"), "unclaim")
		d.waitPost(t, c, "released this conversation")
		d.waitTag(t, c, "Waiting")

		require.Contains(t, d.command(t, c, dAna, "transfer", discordtest.Option{Name: "agent", Type: 6, Value: dBruno.ID}), "transfer")
		d.waitPost(t, c, "<@"+dAna.ID+"> transferred this conversation to <@"+dBruno.ID+">")
		d.waitCardShows(t, c, "<@"+dBruno.ID+">")

		require.Contains(t, d.command(t, c, dBruno, "resolve"), "resolve")
		d.waitPost(t, c, "resolved this conversation")
		d.waitTag(t, c, "Resolved")
		d.waitCardShows(t, c, "sb:reopen:"+c.id)

		require.Contains(t, d.command(t, c, dBruno, "reopen"), "reopen")
		d.waitPost(t, c, "reopened this conversation")
		d.waitTag(t, c, "Assigned")

		require.Equal(t, "Note saved.", d.command(t, c, dBruno, "note", discordtest.Option{Name: "text", Value: "call back at 5"}))
		d.waitPost(t, c, "call back at 5")

		require.Contains(t, d.command(t, c, dAna, "away"), "away")
		status := d.command(t, c, dAna, "status")
		require.Contains(t, status, "<@"+dAna.ID+">")
		require.Contains(t, status, "away")
		require.Contains(t, d.command(t, c, dAna, "available"), "available")
		require.Contains(t, d.command(t, c, dAna, "queue"), "gaming")
		require.Contains(t, d.command(t, c, dAna, "metrics"), "Received", "/metrics answers with the figures (issue 6)")
		for _, s := range d.wa.Sends() {
			require.NotEqual(t, "text", s.Type, "commands send no text to the customer (a resolve may send the satisfaction survey): %q", s.Text)
		}
	})
}

// Only the team's agents may act: listed by user id, or holding the
// team's role. Everyone else is refused privately, and what they write is
// never sent.
func TestDiscordRefusesNonMembersPrivately(t *testing.T) {
	t.Parallel()
	teams := map[string]func(name, home, kind string) string{"listed": gamingTeam, "by role": roleTeam}
	for _, access := range []string{"listed", "by role"} {
		t.Run(access, func(t *testing.T) {
			t.Parallel()
			eachKind(t, func(t *testing.T, dialect, kind string) { refusesNonMembers(t, dialect, kind, access, teams[access]) })
		})
	}
}

func refusesNonMembers(t *testing.T, dialect, kind, access string, team func(name, home, kind string) string) {
	d := setupDiscordTeam(t, dialect, kind, team)
	holder, other := dAna, dBruno
	if access == "by role" {
		holder, other = dRoleUser, dRoleAna
	}
	d.customerWrites("34612345678", "Ana", "wamid.nm", time.Now(), "Hola")
	c := d.waitConv(t, d.home, 1)

	outsiders := []discordtest.User{dOutsider}
	if access == "by role" {
		outsiders = append(outsiders, dBruno) // listed nowhere, without the role
	}
	for _, who := range outsiders {
		for _, name := range []string{"claim", "resolve", "note", "status"} {
			var opts []discordtest.Option
			if name == "note" {
				opts = append(opts, discordtest.Option{Name: "text", Value: "x"})
			}
			require.Equal(t, "Only members of this team can do that.", d.command(t, c, who, name, opts...), "/%s by %s", name, who.Username)
		}
		require.Equal(t, "Only members of this team can do that.", d.click(t, c, who, "claim"))
		d.say(t, c, who, "let me answer")
	}

	// Once an agent holds the conversation another agent's claim is
	// refused privately, as an ephemeral follow-up to the command.
	require.Contains(t, d.click(t, c, holder, "claim"), "claim")
	d.waitPost(t, c, "<@"+holder.ID+"> claimed this conversation")
	d.command(t, c, other, "claim")
	d.fake.WaitFor(t, waitLong, "a private refusal", func() bool {
		for _, f := range d.fake.Followups() {
			if strings.Contains(f.Content, "already holds this conversation") && strings.Contains(string(f.Payload), `"flags":64`) {
				return true
			}
		}
		return false
	})
	d.say(t, c, holder, "I can help")
	sends := d.wa.WaitForSends(t, 1, waitLong)
	require.Len(t, sends, 1, "the outsiders' messages were never sent")
	require.Equal(t, "I can help", sends[0].Text)
}

// Team support lives in Slack and team gaming in Discord: a conversation
// goes from one to the other and back, each new thread opening with the
// context block, and the customer notices nothing.
func TestTransfersBetweenSlackAndDiscordCarryTheContext(t *testing.T) {
	t.Parallel()
	eachKind(t, func(t *testing.T, dialect, kind string) {
		fake := discordtest.New(t)
		home := addHome(fake, kind, "gaming")
		e := setup(t, dialect, withDiscord(fake), withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    members: [U0AGENTA01]
%s`, channel, gamingTeam("gaming", home, kind))))
		fake.WaitIdentified(t, 1)
		d := &dside{env: e, fake: fake, home: home, kind: kind}

		e.customerWrites("34611111111", "Ana", "wamid.sd1", time.Now(), "My game keeps crashing")
		old := e.waitCardIn(channel, 1)
		e.replyIn(channel, "EvSD1", old.TS, "1700000500.000100", "U0AGENTA01", "Sorry! Let me ask our gaming team.")
		e.wa.WaitForSends(t, 1, waitLong)
		e.replyIn(channel, "EvSD2", old.TS, "1700000501.000100", "U0AGENTA01", "!transfer gaming crash on level 3")

		c := d.waitConv(t, home, 1)
		d.waitPost(t, c, "Transferred from team support")
		d.waitPost(t, c, "crash on level 3")
		d.waitPost(t, c, "My game keeps crashing")
		d.waitPost(t, c, "p"+strings.ReplaceAll(old.TS, ".", ""))
		d.waitPost(t, c, "@U0AGENTA01") // the Slack agent who sent it, named
		require.Zero(t, containsText(d.botPosts(c), "{@"), "no raw bridge token reaches Discord")
		d.waitTag(t, c, "Waiting")
		e.waitThreadText(old.TS, "moved to team gaming")

		d.say(t, c, dBruno, "Patch 1.2 fixes it")
		sends := e.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "Patch 1.2 fixes it", sends[1].Text)
		require.Contains(t, d.command(t, c, dBruno, "transfer", discordtest.Option{Name: "team", Value: "support"}), "transfer")

		back := e.waitCardIn(channel, 2)
		e.waitThreadText(back.TS, "Transferred from team gaming")
		e.waitThreadText(back.TS, "Patch 1.2 fixes it")
		e.waitThreadText(back.TS, "discord.com/channels/"+discordtest.GuildID+"/"+c.thread)
		d.waitPost(t, c, "moved to team support")
		d.waitCardShows(t, c, "Transferred to support")
		e.replyIn(channel, "EvSD3", back.TS, "1700000502.000100", "U0AGENTA01", "Glad it works!")
		sends = e.wa.WaitForSends(t, 3, waitLong)
		require.Equal(t, "Glad it works!", sends[2].Text)
		require.Len(t, cards(e.slack.Posts()), 2)
		require.Len(t, fake.Threads(home), 1)
	})
}

// The gateway connection drops mid-conversation: discordgo resumes the
// session, Discord replays what was sent meanwhile, and every agent
// message reaches the customer once, in order.
func TestDiscordGatewayDropResumesWithoutLossOrDoubles(t *testing.T) {
	t.Parallel()
	eachKind(t, func(t *testing.T, dialect, kind string) {
		d := setupDiscord(t, dialect, kind)
		d.customerWrites("34612345678", "Ana", "wamid.gd1", time.Now(), "Hola")
		c := d.waitConv(t, d.home, 1)
		d.say(t, c, dAna, "one")
		d.wa.WaitForSends(t, 1, waitLong)

		d.fake.DropConnection(t)
		d.say(t, c, dAna, "two")   // dispatched while nobody is connected…
		d.say(t, c, dAna, "three") // …kept for the resume
		d.customerWrites("34612345678", "Ana", "wamid.gd2", time.Now(), "still there?")
		d.fake.WaitResumed(t, 1)
		d.waitPost(t, c, "still there?")
		d.say(t, c, dAna, "four")
		d.wa.WaitForSends(t, 4, waitLong)

		// A marker proves the queue drained past any double.
		d.say(t, c, dAna, "marker")
		sends := d.wa.WaitForSends(t, 5, waitLong)
		var texts []string
		for _, s := range sends {
			texts = append(texts, s.Text)
		}
		require.Equal(t, []string{"one", "two", "three", "four", "marker"}, texts)
		require.Len(t, d.fake.Identifies(), 1, "resumed, not identified again")
		require.Equal(t, 1, d.fake.Connections())
		require.Equal(t, 1, containsText(d.botPosts(c), "still there?"))
	})
}
