package discord_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord"
	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/bridge"
)

type fixture struct {
	fake  *discordtest.Server
	ws    *discord.Workspace
	text  string // a text channel id
	forum string // a forum channel id
	tags  map[string]string
}

func setup(t *testing.T) fixture {
	t.Helper()
	fake := discordtest.New(t)
	f := fixture{fake: fake, text: fake.AddTextChannel("support"), forum: fake.AddForumChannel("support-forum", "Open", "In progress", "Done")}
	f.tags = map[string]string{"pending": fake.ForumTagID(f.forum, "Open"), "assigned": fake.ForumTagID(f.forum, "In progress"),
		"resolved": fake.ForumTagID(f.forum, "Done")}
	ws, err := discord.NewWorkspace(discord.Config{
		Token: "fake-discord-token", GuildID: discordtest.GuildID, APIBaseURL: fake.URL(),
		ForumTags: map[string]map[string]string{f.forum: f.tags},
	})
	require.NoError(t, err)
	f.ws = ws
	return f
}

func pendingCard(id bridge.ConversationID) bridge.Card {
	return bridge.Card{
		ConversationID: id,
		Title:          "Sheena Nelson · +1 650-555-1234",
		Fields: []bridge.CardField{
			{Label: "State", Value: "Waiting"},
			{Label: "Customer", Value: "Sheena *VIP* <@1> @everyone"},
		},
		Buttons: []bridge.CardButton{{Verb: bridge.VerbClaim, Label: "Claim", Primary: true}, {Verb: bridge.VerbResolve, Label: "Resolve", Danger: true}},
		Footer:  "conversation 42",
	}
}

func assignedCard(id bridge.ConversationID, agent string) bridge.Card {
	c := pendingCard(id)
	c.Fields = append(c.Fields, bridge.CardField{Label: "Agent", UserID: agent})
	c.Buttons = []bridge.CardButton{{Verb: bridge.VerbUnclaim, Label: "Unclaim"}, {Verb: bridge.VerbResolve, Label: "Resolve", Danger: true}}
	return c
}

func TestWorkspaceKindAndLink(t *testing.T) {
	t.Parallel()
	f := setup(t)
	require.Equal(t, bridge.WorkspaceDiscord, f.ws.Kind())
	require.Equal(t, "https://discord.com/channels/"+discordtest.GuildID+"/123",
		f.ws.Link(bridge.ThreadRef{ChannelID: "9", ThreadKey: "123"}))
	require.Empty(t, f.ws.Link(bridge.ThreadRef{}))
}

func TestOpenThreadInTextChannel(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()

	ref, err := f.ws.OpenThread(ctx, f.text, pendingCard(42))
	require.NoError(t, err)
	require.Equal(t, bridge.WorkspaceDiscord, ref.Workspace)
	require.Equal(t, f.text, ref.ChannelID)
	require.Equal(t, ref.CardKey, ref.ThreadKey, "a thread started from a message has the message's id")

	t.Run("the card is a message in the channel with an embed and buttons", func(t *testing.T) {
		card, ok := f.fake.Message(ref.CardKey)
		require.True(t, ok)
		require.Equal(t, f.text, card.ChannelID)
		var sent struct {
			Embeds []*discordgo.MessageEmbed `json:"embeds"`
		}
		require.NoError(t, card.Decode(&sent))
		require.Len(t, sent.Embeds, 1)
		require.Equal(t, "Sheena Nelson · +1 650-555-1234", sent.Embeds[0].Title)
		require.Equal(t, `Sheena \*VIP\* \<@1> @`+"\u200b"+`everyone`, sent.Embeds[0].Fields[1].Value)
		require.True(t, sent.Embeds[0].Fields[0].Inline)
		var raw struct {
			Components []struct {
				Type       int `json:"type"`
				Components []struct {
					CustomID string `json:"custom_id"`
					Style    int    `json:"style"`
				} `json:"components"`
			} `json:"components"`
			AllowedMentions *struct {
				Parse []string `json:"parse"`
			} `json:"allowed_mentions"`
		}
		require.NoError(t, json.Unmarshal(card.Payload, &raw))
		require.Len(t, raw.Components, 1)
		require.Equal(t, 1, raw.Components[0].Type)
		require.Equal(t, "sb:claim:42", raw.Components[0].Components[0].CustomID)
		require.Equal(t, int(discordgo.PrimaryButton), raw.Components[0].Components[0].Style)
		require.Equal(t, int(discordgo.DangerButton), raw.Components[0].Components[1].Style)
		require.NotNil(t, raw.AllowedMentions)
		require.Empty(t, raw.AllowedMentions.Parse)
	})

	t.Run("the thread is public and hangs off the card", func(t *testing.T) {
		th, ok := f.fake.Channel(ref.ThreadKey)
		require.True(t, ok)
		require.Equal(t, discordtest.TypePublicThread, th.Type)
		require.Equal(t, f.text, th.ParentID)
	})

	t.Run("UpdateCard edits the card in the channel", func(t *testing.T) {
		require.NoError(t, f.ws.UpdateCard(ctx, ref, assignedCard(42, "555000000000000001")))
		card, _ := f.fake.Message(ref.CardKey)
		require.Equal(t, 1, card.Edits)
		var sent struct {
			Embeds []*discordgo.MessageEmbed `json:"embeds"`
		}
		require.NoError(t, card.Decode(&sent))
		require.Equal(t, "<@555000000000000001>", sent.Embeds[0].Fields[2].Value)
		require.Contains(t, string(card.Payload), "sb:unclaim:42")
		require.Zero(t, f.fake.Count(discordtest.RouteEditChannel), "text channels have no tags")
	})
}

func TestOpenThreadInForum(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()

	ref, err := f.ws.OpenThread(ctx, f.forum, pendingCard(7))
	require.NoError(t, err)
	require.Equal(t, f.forum, ref.ChannelID)
	require.Equal(t, ref.ThreadKey, ref.CardKey, "a forum post's starter message has the thread's id")

	post, ok := f.fake.Channel(ref.ThreadKey)
	require.True(t, ok)
	require.Equal(t, f.forum, post.ParentID)
	require.Equal(t, []string{f.tags["pending"]}, post.AppliedTags)
	starter, ok := f.fake.Message(ref.CardKey)
	require.True(t, ok)
	require.Equal(t, ref.ThreadKey, starter.ChannelID)
	require.Contains(t, string(starter.Payload), "sb:claim:7")

	t.Run("UpdateCard edits the starter message and swaps the state tag", func(t *testing.T) {
		require.NoError(t, f.ws.UpdateCard(ctx, ref, assignedCard(7, "555000000000000001")))
		starter, _ := f.fake.Message(ref.CardKey)
		require.Equal(t, 1, starter.Edits)
		post, _ := f.fake.Channel(ref.ThreadKey)
		require.Equal(t, []string{f.tags["assigned"]}, post.AppliedTags)
	})

	t.Run("posts go into the forum post", func(t *testing.T) {
		key, err := f.ws.Post(ctx, ref, bridge.Post{Kind: bridge.PostCustomer, AuthorName: "Sheena", Text: "hello"})
		require.NoError(t, err)
		m, ok := f.fake.Message(key)
		require.True(t, ok)
		require.Equal(t, ref.ThreadKey, m.ChannelID)
	})
}

// A forum the configuration says nothing about has its tags read from
// Discord once and matched by name.
func TestForumTagsFoundByName(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	forum := fake.AddForumChannel("help", "Billing", "⏳ Waiting", "assigned", "RESOLVED")
	ws, err := discord.NewWorkspace(discord.Config{Token: "fake-discord-token", GuildID: discordtest.GuildID, APIBaseURL: fake.URL(),
		ChannelKinds: map[string]discord.ChannelKind{forum: discord.ChannelForum}})
	require.NoError(t, err)
	ctx := context.Background()
	ref, err := ws.OpenThread(ctx, forum, pendingCard(9))
	require.NoError(t, err)
	post, _ := fake.Channel(ref.ThreadKey)
	require.Equal(t, []string{fake.ForumTagID(forum, "⏳ Waiting")}, post.AppliedTags)

	resolved := pendingCard(9)
	resolved.Buttons = []bridge.CardButton{{Verb: bridge.VerbReopen, Label: "Reopen"}}
	require.NoError(t, ws.UpdateCard(ctx, ref, resolved))
	post, _ = fake.Channel(ref.ThreadKey)
	require.Equal(t, []string{fake.ForumTagID(forum, "RESOLVED")}, post.AppliedTags)
	require.Equal(t, 1, fake.Count(discordtest.RouteGetChannel), "the tags are read once")
}

func TestMatchForumTags(t *testing.T) {
	t.Parallel()
	got := discord.MatchForumTags([]discordgo.ForumTag{{ID: "1", Name: "Open"}, {ID: "2", Name: "Waiting"},
		{ID: "3", Name: "in-progress"}, {ID: "4", Name: "Bug"}})
	require.Equal(t, map[string]string{"pending": "2", "assigned": "3"}, got, "Waiting beats Open; no resolved tag")
}

func openText(t *testing.T, f fixture) bridge.ThreadRef {
	t.Helper()
	ref, err := f.ws.OpenThread(context.Background(), f.text, pendingCard(1))
	require.NoError(t, err)
	return ref
}

func allowedMentions(t *testing.T, m discordtest.Message) (parse []string, users []string) {
	t.Helper()
	var raw struct {
		AllowedMentions *struct {
			Parse []string `json:"parse"`
			Users []string `json:"users"`
		} `json:"allowed_mentions"`
	}
	require.NoError(t, json.Unmarshal(m.Payload, &raw))
	require.NotNil(t, raw.AllowedMentions, "every message we send restricts mentions")
	return raw.AllowedMentions.Parse, raw.AllowedMentions.Users
}

func TestPost(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	ref := openText(t, f)

	t.Run("customer text is converted, escaped and pings nobody", func(t *testing.T) {
		key, err := f.ws.Post(ctx, ref, bridge.Post{Kind: bridge.PostCustomer, AuthorName: "Sh*ena",
			Text: "*hi* _there_ ~old~ @everyone <@123> {@456}\n# not a heading"})
		require.NoError(t, err)
		m, _ := f.fake.Message(key)
		require.Equal(t, ref.ThreadKey, m.ChannelID)
		require.Equal(t, `**Sh\*ena:** **hi** *there* ~~old~~ @`+"\u200b"+`everyone \<@123> {@456}`+"\n"+`\# not a heading`, m.Content)
		parse, users := allowedMentions(t, m)
		require.Empty(t, parse)
		require.Empty(t, users)
	})

	t.Run("the assistant's answer is under its name and pings nobody", func(t *testing.T) {
		key, err := f.ws.Post(ctx, ref, bridge.Post{Kind: bridge.PostAssistant, AuthorName: "🤖 Assistant",
			Text: "Refunds take *5 days* {@456}"})
		require.NoError(t, err)
		m, _ := f.fake.Message(key)
		require.Equal(t, "**🤖 Assistant:** Refunds take **5 days** {@456}", m.Content)
		parse, users := allowedMentions(t, m)
		require.Empty(t, parse)
		require.Empty(t, users)
	})

	t.Run("system text mentions the users its tokens name, and only them", func(t *testing.T) {
		key, err := f.ws.Post(ctx, ref, bridge.Post{Kind: bridge.PostSystem, Text: "Claimed by " + bridge.MentionToken("555000000000000001") + " @here"})
		require.NoError(t, err)
		m, _ := f.fake.Message(key)
		require.Equal(t, "Claimed by <@555000000000000001> @\u200bhere", m.Content)
		parse, users := allowedMentions(t, m)
		require.Empty(t, parse)
		require.Equal(t, []string{"555000000000000001"}, users)
	})

	t.Run("long text is split under 2000 characters without breaking words or fences", func(t *testing.T) {
		before := len(f.fake.Messages(ref.ThreadKey))
		word := "lorem "
		text := strings.Repeat(word, 300) + "```\n" + strings.Repeat("code line\n", 200) + "```\n" + strings.Repeat("ipsum ", 100)
		key, err := f.ws.Post(ctx, ref, bridge.Post{Kind: bridge.PostCustomer, Text: text})
		require.NoError(t, err)
		msgs := f.fake.Messages(ref.ThreadKey)[before:]
		require.Greater(t, len(msgs), 2)
		require.Equal(t, key, msgs[0].ID, "the key is the first piece's id")
		var joined strings.Builder
		for _, m := range msgs {
			require.LessOrEqual(t, len([]rune(m.Content)), discord.MaxMessageChars)
			require.Zero(t, strings.Count(m.Content, "```")%2, "every piece closes its code fences: %q", m.Content)
			require.False(t, strings.HasSuffix(m.Content, "lore"), "no word is cut")
			joined.WriteString(m.Content + " ")
		}
		require.Equal(t, 400, strings.Count(joined.String(), "lorem")+strings.Count(joined.String(), "ipsum"))
		require.Equal(t, 200, strings.Count(joined.String(), "code line"))
	})
}

func TestPostFileSetMarkReact(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	ref := openText(t, f)

	key, err := f.ws.PostFile(ctx, ref, bridge.File{Name: "invoice.pdf", MimeType: "application/pdf", Data: []byte("%PDF-1.4")}, "your *invoice*")
	require.NoError(t, err)
	m, ok := f.fake.Message(key)
	require.True(t, ok)
	require.Equal(t, ref.ThreadKey, m.ChannelID)
	require.Equal(t, "your **invoice**", m.Content)
	require.Len(t, m.Files, 1)
	require.Equal(t, "invoice.pdf", m.Files[0].Name)
	require.Equal(t, "application/pdf", m.Files[0].ContentType)
	require.Equal(t, []byte("%PDF-1.4"), m.Files[0].Data)

	_, err = f.ws.PostFile(ctx, ref, bridge.File{Name: "empty"}, "")
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok)
	require.True(t, de.Permanent)
	require.Equal(t, bridge.ReasonMediaRejected, de.Reason)

	t.Run("marks replace each other", func(t *testing.T) {
		require.NoError(t, f.ws.SetMark(ctx, ref, key, "", bridge.MarkSent))
		require.Equal(t, []string{"📤"}, f.fake.Reactions(ref.ThreadKey, key))
		require.NoError(t, f.ws.SetMark(ctx, ref, key, bridge.MarkSent, bridge.MarkRead))
		require.Equal(t, []string{"👁️"}, f.fake.Reactions(ref.ThreadKey, key))
		require.NoError(t, f.ws.SetMark(ctx, ref, key, bridge.MarkSent, bridge.MarkRead), "a retried job runs again")
		require.Equal(t, []string{"👁️"}, f.fake.Reactions(ref.ThreadKey, key))
	})

	t.Run("customer reactions are added and removed", func(t *testing.T) {
		msg, err := f.ws.Post(ctx, ref, bridge.Post{Kind: bridge.PostCustomer, Text: "hi"})
		require.NoError(t, err)
		require.NoError(t, f.ws.React(ctx, ref, msg, "❤️", false))
		require.Equal(t, []string{"❤️"}, f.fake.Reactions(ref.ThreadKey, msg))
		require.NoError(t, f.ws.React(ctx, ref, msg, "❤️", true))
		require.Empty(t, f.fake.Reactions(ref.ThreadKey, msg))
	})
}

func TestTellPrivatelyAndDownload(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	ref := openText(t, f)

	t.Run("without an interaction it mentions only that user in the thread", func(t *testing.T) {
		require.NoError(t, f.ws.TellPrivately(ctx, ref, "555000000000000009", "Held by "+bridge.MentionToken("555000000000000001")))
		msgs := f.fake.Messages(ref.ThreadKey)
		last := msgs[len(msgs)-1]
		require.Equal(t, "<@555000000000000009> Held by <@555000000000000001>", last.Content)
		parse, users := allowedMentions(t, last)
		require.Empty(t, parse)
		require.Equal(t, []string{"555000000000000009", "555000000000000001"}, users)
	})

	t.Run("attachments are fetched from the CDN", func(t *testing.T) {
		id, url := f.fake.AddAttachment(ref.ThreadKey, "photo.jpg", []byte("jpeg bytes"))
		file, err := f.ws.DownloadFile(ctx, bridge.AgentFile{ID: id, Name: "photo.jpg", MimeType: "image/jpeg", URL: url})
		require.NoError(t, err)
		require.Equal(t, []byte("jpeg bytes"), file.Data)
		require.Equal(t, "image/jpeg", file.MimeType)
	})

	t.Run("foreign URLs are refused", func(t *testing.T) {
		_, err := f.ws.DownloadFile(ctx, bridge.AgentFile{ID: "1", URL: "https://evil.example/x"})
		de, ok := bridge.AsDeliveryError(err)
		require.True(t, ok)
		require.True(t, de.Permanent)
	})
}

// A private answer carrying an interaction's reply handle is an ephemeral
// follow-up while the token is young, from any Workspace value (nothing is
// remembered in memory); an old, refused or unreadable handle falls back to
// a mention in the thread.
func TestTellPrivatelyViaAHandleIsEphemeralWhileTheTokenLives(t *testing.T) {
	t.Parallel()
	const user = "555000000000000009"
	cases := []struct {
		name      string
		handle    func(fake *discordtest.Server) string
		age       time.Duration
		ephemeral bool
	}{
		{"a fresh token gives an ephemeral follow-up", issued, 0, true},
		{"a token almost 15 minutes old still does", issued, 14 * time.Minute, true},
		{"a token over 15 minutes old gives a mention", issued, 15*time.Minute + time.Second, false},
		{"a token Discord refuses gives a mention", func(fake *discordtest.Server) string {
			in := fake.IssueInteraction()
			fake.ExpireInteraction(in)
			return discord.ReplyHandle(&discordgo.Interaction{ID: in.ID, AppID: discordtest.AppID, Token: in.Token})
		}, 0, false},
		{"no handle gives a mention", func(*discordtest.Server) string { return "" }, 0, false},
		{"a garbled handle gives a mention", func(*discordtest.Server) string { return "i1:x:notasnowflake:tok" }, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := discordtest.New(t)
			text := fake.AddTextChannel("support")
			ws, err := discord.NewWorkspace(discord.Config{Token: "fake-discord-token", GuildID: discordtest.GuildID,
				APIBaseURL: fake.URL(), Now: func() time.Time { return time.Now().Add(tc.age) }})
			require.NoError(t, err)
			ref, err := ws.OpenThread(context.Background(), text, pendingCard(3))
			require.NoError(t, err)
			before := len(fake.Messages(ref.ThreadKey))

			require.NoError(t, ws.TellPrivatelyVia(context.Background(), ref, user, tc.handle(fake), "Someone else holds this."))
			fups := fake.Followups()
			if tc.ephemeral {
				require.Len(t, fups, 1)
				require.Equal(t, "Someone else holds this.", fups[0].Content)
				require.Contains(t, string(fups[0].Payload), `"flags":64`)
				require.Len(t, fake.Messages(ref.ThreadKey), before, "nothing public was posted")
				return
			}
			require.Empty(t, fups)
			posts := fake.Messages(ref.ThreadKey)
			require.Len(t, posts, before+1)
			require.Equal(t, "<@"+user+"> Someone else holds this.", posts[len(posts)-1].Content)
		})
	}
}

// issued is the reply handle of a fresh interaction of the fake.
func issued(fake *discordtest.Server) string {
	in := fake.IssueInteraction()
	return discord.ReplyHandle(&discordgo.Interaction{ID: in.ID, AppID: discordtest.AppID, Token: in.Token})
}

func TestDeliveryErrors(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	ref := openText(t, f)
	post := bridge.Post{Kind: bridge.PostCustomer, Text: "hi"}

	cases := []struct {
		name      string
		failure   discordtest.Failure
		permanent bool
		reason    bridge.FailureReason
		retry     time.Duration
	}{
		{"a 429 asks to wait retry_after", discordtest.RateLimited(1500 * time.Millisecond), false, bridge.ReasonRateLimited, 1500 * time.Millisecond},
		{"a global 429 too", discordtest.GlobalRateLimited(50 * time.Millisecond), false, bridge.ReasonRateLimited, 50 * time.Millisecond},
		{"missing access is permanent", discordtest.MissingAccess(), true, bridge.ReasonNotInChannel, 0},
		{"an unknown channel is permanent", discordtest.UnknownChannel(), true, bridge.ReasonNotInChannel, 0},
		{"a revoked token is permanent", discordtest.Unauthorized(), true, bridge.ReasonTokenExpired, 0},
		{"a 500 is transient", discordtest.ServerError(500), false, bridge.ReasonTemporary, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f.fake.FailNext(discordtest.RouteCreateMessage, tc.failure)
			_, err := f.ws.Post(ctx, ref, post)
			de, ok := bridge.AsDeliveryError(err)
			require.True(t, ok, "got %v", err)
			require.Equal(t, tc.permanent, de.Permanent)
			require.Equal(t, tc.reason, de.Reason)
			require.Equal(t, tc.retry, de.RetryAfter)
		})
	}

	t.Run("discordgo does not retry a 429 itself", func(t *testing.T) {
		n := f.fake.Count(discordtest.RouteCreateMessage)
		f.fake.FailNext(discordtest.RouteCreateMessage, discordtest.RateLimited(10*time.Millisecond))
		_, err := f.ws.Post(ctx, ref, post)
		require.Error(t, err)
		require.Equal(t, n+1, f.fake.Count(discordtest.RouteCreateMessage))
	})
}

// failWebhooks fails every call to /webhooks/… at the transport, as a
// network fault would (the client then returns a *url.Error naming the
// URL, which holds the interaction token); other calls go through.
type failWebhooks struct{}

func (failWebhooks) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.Contains(r.URL.Path, "/webhooks/") {
		return nil, errors.New("connection reset by peer")
	}
	return http.DefaultTransport.RoundTrip(r)
}

// An interaction token is a secret: a follow-up that fails at the
// transport is logged without the URL that carries it.
func TestFollowupFailureLogsNoInteractionToken(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	text := fake.AddTextChannel("support")
	var logs bytes.Buffer
	var mu sync.Mutex
	ws, err := discord.NewWorkspace(discord.Config{Token: "fake-discord-token", GuildID: discordtest.GuildID,
		APIBaseURL: fake.URL(), HTTPClient: &http.Client{Transport: failWebhooks{}},
		Log: slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))})
	require.NoError(t, err)
	ref, err := ws.OpenThread(context.Background(), text, pendingCard(3))
	require.NoError(t, err)
	in := fake.IssueInteraction()
	handle := discord.ReplyHandle(&discordgo.Interaction{ID: in.ID, AppID: discordtest.AppID, Token: in.Token})

	require.NoError(t, ws.TellPrivatelyVia(context.Background(), ref, "555000000000000001", handle, "Someone else holds this."))
	mu.Lock()
	defer mu.Unlock()
	require.Contains(t, logs.String(), "follow-up failed", "the failure is logged")
	require.Contains(t, logs.String(), "connection reset by peer", "with what went wrong")
	require.NotContains(t, logs.String(), in.Token, "but never the interaction token")
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
