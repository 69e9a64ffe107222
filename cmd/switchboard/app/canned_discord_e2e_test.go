package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
)

// dAnaNick is dAna with a nickname in the guild: {{agent.name}} reads it.
var dAnaNick = discordtest.User{ID: dAna.ID, Username: "ana", Nick: "Ana Rosa"}

const cannedGreetingYAML = `canned_responses:
  - name: greeting
    text:
      en: "Hi {{contact.first_name}}, I'm {{agent.name}} from {{team.name}}."
      es: "¡Hola {{contact.first_name}}! Soy {{agent.name}}, del equipo {{team.name}}."
`

// /canned offers, as the agent types, what may be sent in this thread (the
// customer's language first, each with its preview); choosing one shows
// the private preview with Send; Send replaces the preview and sends the
// response as the agent's reply, shown in the thread with its receipts.
// Supervisors manage responses with /canned-admin, usable at once;
// agents may not.
func TestDiscordCannedAutocompleteAndSend(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text", withTopLevel(cannedGreetingYAML))
		d.customerWrites("16505551234", "Ana García", "wamid.dc1", time.Now(), spanishText)
		c := d.waitConv(t, d.home, 1)
		want := "¡Hola Ana! Soy Ana Rosa, del equipo gaming."

		cb := d.fake.WaitCallback(t, d.fake.Autocomplete(t, discordtest.AutocompleteSpec{ChannelID: c.thread, User: dAnaNick, Name: "canned",
			Options: []discordtest.Option{{Name: "name", Value: "gre"}}, Focused: "name"}))
		require.Equal(t, discordtest.CallbackAutocomplete, cb.Type)
		var values []string
		for _, ch := range cb.Choices {
			values = append(values, fmt.Sprint(ch.Value))
		}
		require.Equal(t, []string{"greeting@es", "greeting@en"}, values, "the customer's language first")
		require.Contains(t, cb.Choices[0].Name, want, "each choice reads as it would be sent")

		in := d.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: c.thread, User: dAnaNick, Name: "canned",
			Options: []discordtest.Option{{Name: "name", Value: "greeting@es"}}})
		require.True(t, d.fake.WaitCallback(t, in).Ephemeral())
		var preview discordtest.Message
		d.fake.WaitFor(t, waitLong, "the private preview", func() bool {
			for _, f := range d.fake.Followups() {
				if f.ChannelID == "webhook:"+in.Token && strings.Contains(f.Content, want) {
					preview = f
					return true
				}
			}
			return false
		})
		require.Contains(t, string(preview.Payload), `"flags":64`, "only the agent sees it")
		send := "sb:send:" + c.id + "/canned:greeting@es"
		require.Contains(t, string(preview.Payload), `"custom_id":"`+send+`"`)
		require.Empty(t, d.wa.Sends(), "a preview sends nothing")

		cb = d.fake.WaitCallback(t, d.fake.ClickButton(t, discordtest.ButtonSpec{ChannelID: c.thread, MessageID: preview.ID, User: dAnaNick,
			CustomID: send}))
		require.Equal(t, discordtest.CallbackUpdate, cb.Type, "the preview is replaced")
		require.Contains(t, cb.Content, "greeting")
		require.Contains(t, string(cb.Payload), `"components":[]`, "without its Send button")

		sends := d.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, want, sends[0].Text)
		d.waitPost(t, c, want)
		var post discordtest.Message
		for _, m := range d.posts(c) {
			if m.AuthorID == discordtest.BotUserID && strings.Contains(m.Content, "sent the canned response") {
				post = m
			}
		}
		require.NotEmpty(t, post.ID)
		d.waitReaction(t, c, post.ID, "📤")
		d.status(sends[0].WAMID, "delivered", 0)
		d.waitReaction(t, c, post.ID, "☑️")

		admin := func(who discordtest.User, sub string, opts ...discordtest.Option) string {
			t.Helper()
			cb := d.fake.WaitCallback(t, d.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: d.home, User: who, Name: "canned-admin",
				Options: []discordtest.Option{{Name: sub, Type: 1, Options: opts}}}))
			require.True(t, cb.Ephemeral(), "answered privately")
			return cb.Content
		}
		bye := []discordtest.Option{{Name: "name", Value: "bye"}, {Name: "text", Value: "¡Hasta pronto, {{contact.first_name}}!"},
			{Name: "language", Value: "es"}}
		require.Contains(t, admin(dAna, "add", bye...), "Only a supervisor of team gaming")
		require.Contains(t, admin(dSuper, "add", discordtest.Option{Name: "name", Value: "oops"},
			discordtest.Option{Name: "text", Value: "Hola {{cliente}}"}), "{{cliente}} is not a variable")
		require.Contains(t, admin(dSuper, "add", bye...), "Saved")
		require.Contains(t, admin(dAna, "list"), "**bye** (es)")

		cb = d.fake.WaitCallback(t, d.fake.Autocomplete(t, discordtest.AutocompleteSpec{ChannelID: c.thread, User: dAnaNick, Name: "canned",
			Options: []discordtest.Option{{Name: "name", Value: "bye"}}, Focused: "name"}))
		require.Len(t, cb.Choices, 1)
		require.Contains(t, cb.Choices[0].Name, "¡Hasta pronto, Ana!", "usable at once")
	})
}
