package app_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
)

// Discord's /new: its template option autocompletes from the approved
// templates of the team's number; a number written as dialled in Spain
// starts a conversation held by the agent, whose thread opens in the
// team's channel with the template sent in Meta's shape; a bad number,
// a missing value and an outsider are refused privately.
func TestDiscordNewStartsAConversation(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text", withTemplates(), withInbox("      country: ES\n"))
		d.waitSynced()
		spec := func(who discordtest.User, opts ...discordtest.Option) discordtest.CommandSpec {
			return discordtest.CommandSpec{ChannelID: d.home, User: who, Name: "new", Options: opts}
		}
		choices := func(typed string) []string {
			cb := d.fake.WaitCallback(t, d.fake.Autocomplete(t, discordtest.AutocompleteSpec{ChannelID: d.home, User: dAna, Name: "new",
				Options: []discordtest.Option{{Name: "phone", Value: "612"}, {Name: "template", Value: typed}}, Focused: "template"}))
			require.Equal(t, discordtest.CallbackAutocomplete, cb.Type, "an autocomplete result")
			var values []string
			for _, c := range cb.Choices {
				values = append(values, fmt.Sprint(c.Value))
			}
			return values
		}
		require.ElementsMatch(t, []string{"order_update@es", "order_update@pt_BR", "welcome@en_US"}, choices(""),
			"approved only: not the rejected promo nor the pending survey")
		require.ElementsMatch(t, []string{"order_update@es", "order_update@pt_BR"}, choices("ord"))
		require.Equal(t, []string{"welcome@en_US"}, choices("welcome@"))

		run := func(who discordtest.User, opts ...discordtest.Option) string {
			t.Helper()
			cb := d.fake.WaitCallback(t, d.fake.RunCommand(t, spec(who, opts...)))
			require.True(t, cb.Ephemeral(), "answered privately")
			return cb.Content
		}
		phone := func(v string) discordtest.Option { return discordtest.Option{Name: "phone", Value: v} }
		welcome := discordtest.Option{Name: "template", Value: "welcome@en_US"}
		ana := discordtest.Option{Name: "params", Value: "Ana"}

		require.Contains(t, run(dAna, phone("612 34 56"), welcome, ana), "has too few digits")
		require.Contains(t, run(dAna, phone("612 34 56 78"), welcome), "takes 1 values and you gave 0")
		require.Contains(t, run(dOutsider, phone("612 34 56 78"), welcome, ana), "Only")
		require.Empty(t, d.fake.Threads(d.home), "refusals open nothing")
		require.Empty(t, d.wa.Sends())

		answer := run(dAna, phone("612 34 56 78"), welcome, ana)
		require.Contains(t, answer, "+34 612 34 56 78")
		require.Contains(t, answer, "<#"+d.home+">", "says where the thread appears")
		sends := d.wa.WaitForSends(t, 1, waitLong)
		require.JSONEq(t, welcomeToAna, string(sends[0].Raw))

		c := d.waitConv(t, d.home, 1)
		d.waitPost(t, c, "Welcome Ana!")
		d.waitCardShows(t, c, "<@"+dAna.ID+">")
		require.True(t, strings.Contains(strings.Join(d.botPosts(c), "\n"), "started this conversation"))
	})
}
