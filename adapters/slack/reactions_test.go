package slack_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack"
)

func TestSlackReactionNamesBecomeUnicode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		want  string
		known bool
	}{
		{"+1", "👍", true},
		{"thumbsup", "👍", true},
		{"-1", "👎", true},
		{"thumbsdown", "👎", true},
		{"heart", "❤️", true}, // the variation selector makes it an emoji, not a text glyph
		{"joy", "😂", true},
		{"open_mouth", "😮", true},
		{"cry", "😢", true},
		{"pray", "🙏", true},
		{"tada", "🎉", true},
		{"white_check_mark", "✅", true},
		{"heavy_check_mark", "✔️", true},
		{"simple_smile", "🙂", true},
		{"slightly_smiling_face", "🙂", true},
		{"satisfied", "😆", true},
		{"laughing", "😆", true},
		{"poop", "💩", true},
		{"hankey", "💩", true},
		{"v", "✌️", true},
		{":fire:", "🔥", true}, // colons as people type them
		{"+1::skin-tone-2", "👍🏻", true},
		{"+1::skin-tone-4", "👍🏽", true},
		{"clap::skin-tone-6", "👏🏿", true},
		{"v::skin-tone-3", "✌🏼", true},   // a skin tone replaces the variation selector
		{"wave::skin-tone-7", "👋", true}, // no such tone: the plain emoji
		{"party-parrot", "", false},      // a workspace's custom emoji
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := slack.EmojiUnicode(tt.name)
			require.Equal(t, tt.known, ok)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestSlackReactionNamesRoundTrip(t *testing.T) {
	t.Parallel()
	// Every emoji the bridge can mirror as a Slack reaction reads back as
	// the same emoji, so a customer's reaction and an agent's are one.
	for _, e := range []string{"👍", "👍🏽", "❤️", "😂", "🙏", "🔥", "✅", "👀", "🎉"} {
		name, ok := slack.EmojiName(e)
		require.True(t, ok, e)
		back, ok := slack.EmojiUnicode(name)
		require.True(t, ok, name)
		require.Equal(t, e, back, "%s → %s → %s", e, name, back)
	}
}
