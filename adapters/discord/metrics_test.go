package discord_test

import (
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord"
)

func TestMetricsOptionsBecomeSlacksWords(t *testing.T) {
	t.Parallel()
	str := func(name, v string) *discordgo.ApplicationCommandInteractionDataOption {
		return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: v}
	}
	boolean := func(name string, v bool) *discordgo.ApplicationCommandInteractionDataOption {
		return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionBoolean, Value: v}
	}
	user := func(id string) *discordgo.ApplicationCommandInteractionDataOption {
		return &discordgo.ApplicationCommandInteractionDataOption{Name: "agent", Type: discordgo.ApplicationCommandOptionUser, Value: id}
	}
	type opts = []*discordgo.ApplicationCommandInteractionDataOption
	for _, tc := range []struct {
		name string
		in   opts
		want []string
		bad  string
	}{
		{"no options: the channel's team today", nil, []string{"metrics"}, ""},
		{"a period", opts{str("period", "7d")}, []string{"metrics", "7d"}, ""},
		{"a team and an inbox by id", opts{str("team", "gaming"), str("inbox", "106540352242922")}, []string{"metrics", "gaming", "106540352242922"}, ""},
		{"an agent is a mention", opts{user("555000000000000001")}, []string{"metrics", "<@555000000000000001>"}, ""},
		{"dates in pairs", opts{str("from", "2025-03-01"), str("to", "2025-03-31")}, []string{"metrics", "--from", "2025-03-01", "--to", "2025-03-31"}, ""},
		{"dates in either order", opts{str("to", "2025-03-31"), str("from", "2025-03-01")}, []string{"metrics", "--from", "2025-03-01", "--to", "2025-03-31"}, ""},
		{"from without to", opts{str("from", "2025-03-01")}, nil, "from"},
		{"to without from", opts{str("to", "2025-03-01")}, nil, "from"},
		{"chart and post when true", opts{boolean("chart", true), boolean("post", true)}, []string{"metrics", "chart", "post"}, ""},
		{"chart and post false say nothing", opts{boolean("chart", false), boolean("post", false)}, []string{"metrics"}, ""},
		{"by_agent false asks for the totals only", opts{boolean("by_agent", false)}, []string{"metrics", "totals"}, ""},
		{"by_agent true is the default", opts{boolean("by_agent", true)}, []string{"metrics"}, ""},
		{"a team typed with a space cannot be one word", opts{str("team", "night shift")}, nil, "team"},
		{"an empty inbox", opts{str("inbox", " ")}, nil, "inbox"},
		{"a channel", opts{str("channel", "messenger")}, []string{"metrics", "channel:messenger"}, ""},
		{"an empty channel", opts{str("channel", "")}, nil, "channel"},
		{"a label of two words is its stored form", opts{str("label", " key  account ")}, []string{"metrics", "label:key-account"}, ""},
		{"an empty label", opts{str("label", " ")}, nil, "label"},
		{"an unknown option", opts{str("colour", "blue")}, nil, "colour"},
		{"a malformed date is left to the bridge to explain", opts{str("from", "1/3/2025"), str("to", "2025-03-31")}, []string{"metrics", "--from", "1/3/2025", "--to", "2025-03-31"}, ""},
		{"everything", opts{str("period", "30d"), str("team", "gaming"), user("9"), boolean("chart", true), boolean("by_agent", false)},
			[]string{"metrics", "30d", "gaming", "<@9>", "chart", "totals"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, bad := discord.MetricsWords(tc.in)
			require.Equal(t, tc.bad, bad)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestMetricsCommandDefinition(t *testing.T) {
	t.Parallel()
	var metrics *discordgo.ApplicationCommand
	names := map[string]bool{}
	for _, c := range discord.Commands() {
		names[c.Name] = true
		if c.Name == discord.CmdMetrics {
			metrics = c
		}
	}
	require.True(t, names[discord.CmdTakeover], "/takeover is registered")
	require.NotNil(t, metrics)
	types := map[string]discordgo.ApplicationCommandOptionType{}
	for _, o := range metrics.Options {
		types[o.Name] = o.Type
		require.False(t, o.Required, "every option is optional: /metrics alone is today's figures")
	}
	require.Equal(t, map[string]discordgo.ApplicationCommandOptionType{
		"period": discordgo.ApplicationCommandOptionString, "from": discordgo.ApplicationCommandOptionString,
		"to": discordgo.ApplicationCommandOptionString, "team": discordgo.ApplicationCommandOptionString,
		"agent": discordgo.ApplicationCommandOptionUser, "inbox": discordgo.ApplicationCommandOptionString,
		"channel": discordgo.ApplicationCommandOptionString, "label": discordgo.ApplicationCommandOptionString,
		"by_agent": discordgo.ApplicationCommandOptionBoolean, "chart": discordgo.ApplicationCommandOptionBoolean,
		"post": discordgo.ApplicationCommandOptionBoolean,
	}, types)
}
