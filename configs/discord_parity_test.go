package configs

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// check-config says how a role team's conversations find an agent and
// where Discord agents' availability comes from.
func TestDiscordIntentsInTheSummary(t *testing.T) {
	t.Parallel()
	team := "teams:\n  - name: gaming\n    discord_channel: \"1100000000000000001\"\n    discord_role: \"1100000000000000099\"\n"
	for _, tc := range []struct {
		name, discord string
		want          []string
	}{
		{"without the intents", "", []string{
			"role 1100000000000000099 (discord.members off: holders unknown, conversations wait to be claimed)",
			"discord presence: off (agents use /available and /away)"}},
		{"with both intents", "discord:\n  presence: true\n  members: true\n", []string{
			"role 1100000000000000099 (holders read with the Server Members intent: assigned by the team's strategy)",
			"discord presence: on (Presence intent: online = available; idle, dnd, offline = away)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse([]byte(team+tc.discord), "x.yaml", noEnv)
			require.NoError(t, err)
			require.Equal(t, tc.discord != "", c.Discord.Presence && c.Discord.Members)
			for _, w := range tc.want {
				require.Contains(t, c.Summary(), w)
			}
		})
	}
	c, err := Parse([]byte("teams:\n  - name: support\n    slack_channel: C0123456789\n"), "x.yaml", noEnv)
	require.NoError(t, err)
	require.NotContains(t, c.Summary(), "discord presence", "nothing about Discord without a Discord team")
}
