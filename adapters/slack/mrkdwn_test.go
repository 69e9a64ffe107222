package slack

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

func TestFromMrkdwn(t *testing.T) {
	t.Parallel()
	names := func(id string) string {
		return map[string]string{"U1": "Ana Lima"}[id]
	}
	cases := []struct{ in, want string }{
		{"plain *bold* _it_ ~s~ `code`", "plain *bold* _it_ ~s~ `code`"},
		{"hi <@U1>", "hi @Ana Lima"},
		{"hi <@U2>", "hi"}, // unnamed: dropped, never "@someone"
		{"hi <@U2|bob>", "hi @bob"},
		{"<https://x.example>", "https://x.example"},
		{"<https://x.example|label>", "label (https://x.example)"},
		{"<https://x.example|https://x.example>", "https://x.example"},
		{"<https://x.example/?a=1&amp;b=2|a &amp; b>", "a & b (https://x.example/?a=1&b=2)"},
		{"<mailto:a@b.c|a@b.c>", "a@b.c"},
		{"<#C1|general>", "#general"},
		{"see <#C1> now", "see now"},
		{"<!here> ok", "ok"},
		{"<!subteam^S1|@support>", "@support"},
		{"<!subteam^S1> ok", "ok"},
		{"<!date^1392734382^{date}|Feb 18, 2014>", "Feb 18, 2014"},
		{"&lt;3 &amp;&amp; 2 &gt; 1", "<3 && 2 > 1"},
		{"&amp;lt; stays literal", "&lt; stays literal"},
		{"&gt; quoted line", "> quoted line"},
		{"unclosed < bracket", "unclosed < bracket"},
		{"<@U1", "<@U1"},
		{"", ""},
	}
	for _, c := range cases {
		require.Equal(t, c.want, FromMrkdwn(c.in, names), c.in)
	}
	require.Equal(t, "hi", FromMrkdwn("hi <@U1>", nil), "no resolver")
}

func TestToMrkdwnEscapesInjection(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"*bold* _it_ ~s~ ```mono```", "*bold* _it_ ~s~ ```mono```"},
		{"<!channel> ping", "&lt;!channel&gt; ping"},
		{"<@U123>", "&lt;@U123&gt;"},
		{"<https://evil.example|bank>", "&lt;https://evil.example|bank&gt;"},
		{"Tom & Jerry", "Tom &amp; Jerry"},
		{"> a quote", "&gt; a quote"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, ToMrkdwn(c.in), c.in)
		require.Equal(t, c.in, FromMrkdwn(ToMrkdwn(c.in), nil), "round trip of %q", c.in)
	}
}

func TestSplitText(t *testing.T) {
	t.Parallel()
	t.Run("short text is one piece", func(t *testing.T) {
		require.Equal(t, []string{"hello"}, SplitText("hello", 100))
	})
	t.Run("long text splits on lines and words within the limit", func(t *testing.T) {
		text := strings.Repeat("word ", 300) + "\n" + strings.Repeat("línea ñ 👋\n", 200)
		pieces := SplitText(text, 500)
		require.Greater(t, len(pieces), 3)
		for _, p := range pieces {
			require.LessOrEqual(t, len(p), 500)
			require.True(t, utf8.ValidString(p))
			require.False(t, strings.HasSuffix(p, "wor"), "no word is cut")
		}
		joined := strings.Join(strings.Fields(strings.Join(pieces, " ")), " ")
		require.Equal(t, strings.Join(strings.Fields(text), " "), joined, "nothing is lost")
	})
	t.Run("unbroken text is cut on rune and entity boundaries", func(t *testing.T) {
		text := strings.Repeat("é&amp;", 400)
		for _, p := range SplitText(text, 100) {
			require.LessOrEqual(t, len(p), 100)
			require.True(t, utf8.ValidString(p))
			require.Equal(t, strings.Count(p, "&"), strings.Count(p, "&amp;"), "entity intact in %q", p)
		}
	})
	t.Run("an open code block is closed and reopened", func(t *testing.T) {
		text := "```\n" + strings.Repeat("code line\n", 60) + "```"
		pieces := SplitText(text, 200)
		require.Greater(t, len(pieces), 1)
		for _, p := range pieces {
			require.Equal(t, 0, strings.Count(p, "```")%2, "balanced fences in %q", p)
			require.LessOrEqual(t, len(p), 200)
		}
	})
}

func TestRenderMentionsLinksPeopleAndChannels(t *testing.T) {
	t.Parallel()
	require.Equal(t, "<@U0AGENTA01> started it in <#C0SUPPORT01>",
		RenderMentions("{@U0AGENTA01} started it in {#C0SUPPORT01}"))
	require.Equal(t, "{#general}", RenderMentions("{#general}"), "only channel ids become links")
}
