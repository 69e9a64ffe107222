package discord_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord"
	"github.com/switchboard/switchboard/bridge"
)

func TestToDiscord(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in, want string }{
		{"bold italic strike", "*a* _b_ ~c~", "**a** *b* ~~c~~"},
		{"nested", "*bold _it_*", "**bold *it***"},
		{"markers inside words stay literal", "snake_case_name 2*3*4", `snake\_case\_name 2\*3\*4`},
		{"code keeps its content", "see ```*x* <@1>``` and `a_b`", "see ```*x* <@1>``` and `a_b`"},
		{"mentions cannot ping", "@everyone @here <@123> <#9> <@&5>", "@\u200beveryone @\u200bhere \\<@123> \\<#9> \\<@&5>"},
		{"masked links and spoilers are escaped", "[x](https://evil) ||s||", `\[x\](https://evil) \|\|s\|\|`},
		{"urls pass through", "go to https://ex.com/a_b_c*d now", "go to https://ex.com/a_b_c*d now"},
		{"block syntax at line start", "# h\n> q\n- l\n1. n\n-# s", "\\# h\n\\> q\n\\- l\n1\\. n\n\\-# s"},
		{"backslashes", `a\b`, `a\\b`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, discord.ToDiscord(tc.in))
		})
	}
}

func TestFromDiscord(t *testing.T) {
	t.Parallel()
	names := func(id string) string {
		if id == "1" {
			return "ana"
		}
		return ""
	}
	cases := []struct{ name, in, want string }{
		{"formatting", "**b** *i* _i_ ~~s~~ __u__ ||sp||", "*b* _i_ _i_ ~s~ u sp"},
		{"mentions", "<@1> <@!2> <@&3> <#4> <:blob:5>", "@ana :blob:"},
		{"links", "[site](https://ex.com) <https://ex.com/x>", "site (https://ex.com) https://ex.com/x"},
		{"escapes", `\*not bold\*`, "*not bold*"},
		{"headings", "# Title\ntext", "*Title*\ntext"},
		{"code", "```go\n**x**\n```", "```\n**x**\n```"},
		{"timestamps", "<t:0:f>", "1970-01-01 00:00 UTC"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, discord.FromDiscord(tc.in, names))
		})
	}
}

func TestSplitText(t *testing.T) {
	t.Parallel()
	t.Run("short text is one piece", func(t *testing.T) {
		require.Equal(t, []string{"hi"}, discord.SplitText("hi", 2000))
	})
	t.Run("bold open at the cut is closed and reopened", func(t *testing.T) {
		pieces := discord.SplitText("**"+strings.Repeat("word ", 100)+"**", 100)
		require.Greater(t, len(pieces), 1)
		for _, p := range pieces {
			require.LessOrEqual(t, len([]rune(p)), 100)
			require.True(t, strings.HasPrefix(p, "**") && strings.HasSuffix(p, "**"), p)
		}
	})
	t.Run("multi-byte text is cut by characters", func(t *testing.T) {
		pieces := discord.SplitText(strings.Repeat("é", 4500), 2000)
		require.Len(t, pieces, 3)
		for _, p := range pieces {
			require.LessOrEqual(t, len([]rune(p)), 2000)
		}
	})
	t.Run("an escape is never separated", func(t *testing.T) {
		for _, p := range discord.SplitText(strings.Repeat(`\*`, 200), 101) {
			require.False(t, strings.HasSuffix(p, `\`) && !strings.HasSuffix(p, `\\`), p)
		}
	})
}

func TestCustomID(t *testing.T) {
	t.Parallel()
	id := discord.CustomID(bridge.VerbResolve, 12345)
	require.Equal(t, "sb:resolve:12345", id)
	verb, conv, err := discord.ParseCustomID(id)
	require.NoError(t, err)
	require.Equal(t, bridge.VerbResolve, verb)
	require.Equal(t, bridge.ConversationID(12345), conv)
	for _, bad := range []string{"", "claim:1", "sb:claim:", "sb::1", "sb:claim:x", "sb:claim:-1"} {
		_, _, err := discord.ParseCustomID(bad)
		require.Error(t, err, bad)
	}
}

func TestCardState(t *testing.T) {
	t.Parallel()
	require.Equal(t, "pending", discord.CardState(pendingCard(1)))
	require.Equal(t, "assigned", discord.CardState(assignedCard(1, "2")))
	require.Equal(t, "resolved", discord.CardState(bridge.Card{Buttons: []bridge.CardButton{{Verb: bridge.VerbReopen}}}))
}

func TestRenderMentions(t *testing.T) {
	t.Parallel()
	text, ids := discord.RenderMentions("{@555000000000000001} took it from {@U0AGENTA01} ({@555000000000000002})")
	require.Equal(t, "<@555000000000000001> took it from @U0AGENTA01 (<@555000000000000002>)", text,
		"a Slack user of a transferred conversation is named, not left as a token")
	require.Equal(t, []string{"555000000000000001", "555000000000000002"}, ids)
}

func TestRenderMentionsLinksChannels(t *testing.T) {
	t.Parallel()
	text, ids := discord.RenderMentions("opens in {#777000000000000123} for {@555000000000000001}")
	require.Equal(t, "opens in <#777000000000000123> for <@555000000000000001>", text)
	require.Equal(t, []string{"555000000000000001"}, ids, "a channel link pings nobody")
}
