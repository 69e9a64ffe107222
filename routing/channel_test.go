package routing

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The channel matcher (issue 12): a route for the Page and Instagram
// inboxes whatever their numbers, and an input without a channel is
// WhatsApp.
func TestChannelMatcher(t *testing.T) {
	t.Parallel()
	rt, err := Load([]byte(`teams: [{name: support}, {name: social}, {name: mail}]
route:
  team: support
  routes:
    - id: social
      team: social
      match: {channel: [messenger, instagram]}
    - id: mail
      team: mail
      match: {channel: [email], keywords: [invoice]}
`))
	require.NoError(t, err)
	cases := []struct {
		name, channel, text, team, reason string
	}{
		{"messenger", "messenger", "hi", "social", "route 'social' matched channel 'messenger'"},
		{"instagram", "instagram", "hi", "social", "route 'social' matched channel 'instagram'"},
		{"whatsapp is not social", "whatsapp", "hi", "support", "fallback"},
		{"no channel is whatsapp", "", "hi", "support", "fallback"},
		{"e-mail and a keyword", "email", "my invoice please", "mail", "route 'mail' matched channel 'email'"},
		{"e-mail without the keyword", "email", "hello", "support", "fallback"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := rt.Decide(Input{Text: c.text, Channel: c.channel, Language: "en"})
			require.Equal(t, c.team, d.Team)
			found := false
			for _, r := range d.Reasons {
				found = found || strings.Contains(r, c.reason)
			}
			require.True(t, found, "reasons %q", d.Reasons)
		})
	}
	t.Run("explain says the channel", func(t *testing.T) {
		t.Parallel()
		require.Contains(t, rt.Explain(Input{Text: "hi", Channel: "instagram", Language: "en"}), "channel: instagram")
	})
}

func TestChannelMatcherConfigErrors(t *testing.T) {
	t.Parallel()
	_, err := Load([]byte("teams: [{name: support}]\nroute: {team: support, routes: [{id: a, match: {channel: [telegram]}}]}"))
	require.ErrorContains(t, err, `route "a": match.channel[0]: unknown channel "telegram": use one of whatsapp, messenger, instagram, email`)
}
