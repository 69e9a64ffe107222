package configs

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/switchboard/switchboard/adapters/slack"
)

// slackManifest holds the parts of the Slack app manifest switchboard relies on.
type slackManifest struct {
	DisplayInformation struct {
		Name            string `yaml:"name"`
		Description     string `yaml:"description"`
		LongDescription string `yaml:"long_description"`
	} `yaml:"display_information"`
	Features struct {
		BotUser struct {
			DisplayName string `yaml:"display_name"`
		} `yaml:"bot_user"`
		SlashCommands []struct {
			Command string `yaml:"command"`
			URL     string `yaml:"url"`
		} `yaml:"slash_commands"`
		Shortcuts []struct {
			Name        string `yaml:"name"`
			Type        string `yaml:"type"`
			CallbackID  string `yaml:"callback_id"`
			Description string `yaml:"description"`
		} `yaml:"shortcuts"`
	} `yaml:"features"`
	OAuthConfig struct {
		Scopes struct {
			Bot []string `yaml:"bot"`
		} `yaml:"scopes"`
	} `yaml:"oauth_config"`
	Settings struct {
		EventSubscriptions struct {
			RequestURL string   `yaml:"request_url"`
			BotEvents  []string `yaml:"bot_events"`
		} `yaml:"event_subscriptions"`
		Interactivity struct {
			IsEnabled  bool   `yaml:"is_enabled"`
			RequestURL string `yaml:"request_url"`
		} `yaml:"interactivity"`
		SocketModeEnabled bool `yaml:"socket_mode_enabled"`
	} `yaml:"settings"`
}

func TestSlackManifestDeclaresWhatSwitchboardUses(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("slack-app-manifest.yaml")
	require.NoError(t, err)
	var m slackManifest
	require.NoError(t, yaml.Unmarshal(data, &m))

	require.Equal(t, "switchboard", m.DisplayInformation.Name)
	require.LessOrEqual(t, len(m.DisplayInformation.Description), 140, "Slack's limit for description")
	require.GreaterOrEqual(t, len(m.DisplayInformation.LongDescription), 175, "Slack's minimum for long_description")
	require.NotEmpty(t, m.Features.BotUser.DisplayName)
	require.Len(t, m.Features.SlashCommands, 1)
	require.Equal(t, "/switchboard", m.Features.SlashCommands[0].Command)
	require.Equal(t, "https://YOUR-HOST/slack/commands", m.Features.SlashCommands[0].URL)
	// Message shortcuts the Slack adapter answers, by callback id.
	shortcuts := map[string]string{}
	for _, sc := range m.Features.Shortcuts {
		require.Equal(t, "message", sc.Type, "%s is a message shortcut (it needs the thread)", sc.Name)
		require.NotEmpty(t, sc.Name)
		require.LessOrEqual(t, len(sc.Description), 80, "Slack's limit for a shortcut's description")
		shortcuts[sc.CallbackID] = sc.Name
	}
	require.Contains(t, shortcuts, slack.CannedCallbackID, "the canned response shortcut")
	require.Equal(t, "Send template", shortcuts["sb_template_shortcut"])
	require.Equal(t, "Reply to this message", shortcuts[slack.QuoteCallbackID], "the quoting reply shortcut")
	require.ElementsMatch(t, []string{
		"chat:write", "chat:write.customize", "channels:history", "groups:history", "channels:read",
		"groups:read", "reactions:write", "reactions:read", "files:write", "files:read", "users:read", "commands",
	}, m.OAuthConfig.Scopes.Bot)
	require.Equal(t, "https://YOUR-HOST/slack/events", m.Settings.EventSubscriptions.RequestURL)
	require.ElementsMatch(t, []string{"message.channels", "message.groups", "member_joined_channel", "member_left_channel",
		"reaction_added", "reaction_removed"},
		m.Settings.EventSubscriptions.BotEvents)
	require.True(t, m.Settings.Interactivity.IsEnabled)
	require.Equal(t, "https://YOUR-HOST/slack/interactivity", m.Settings.Interactivity.RequestURL)
	require.False(t, m.Settings.SocketModeEnabled)
}
