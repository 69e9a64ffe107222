package slack

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestConvertMrkdwnToWhatsApp is the table of what agents type in Slack
// and what the customer reads on WhatsApp (issue 17).
func TestConvertMrkdwnToWhatsApp(t *testing.T) {
	t.Parallel()
	names := Names{
		User:     func(id string) string { return map[string]string{"U1": "Ana Lima", "U3": "  "}[id] },
		Channel:  func(id string) string { return map[string]string{"C9": "billing"}[id] },
		Everyone: "everyone",
	}
	cases := []struct{ name, in, want string }{
		{"bold, italic, strike and code keep their markers", "*bold* _it_ ~s~ `code`", "*bold* _it_ ~s~ `code`"},
		{"a code block is kept", "```\nselect *\n```", "```\nselect *\n```"},
		{"nested bold and italic", "*bold _and italic_*", "*bold _and italic_*"},
		{"malformed markers keep every word", "*a_b*c_ and *unclosed", "*a_b*c_ and *unclosed"},
		{"composer bullets become list items", "Steps:\n• open the app\n• tap Pay", "Steps:\n- open the app\n- tap Pay"},
		{"nested bullets keep their indent", "• one\n    ◦ one.a\n        ▪ one.a.i", "- one\n    - one.a\n        - one.a.i"},
		{"numbered lists pass through", "1. first\n2. second", "1. first\n2. second"},
		{"bullets inside a code block stay literal", "```\n• x\n```\n• y", "```\n• x\n```\n- y"},
		{"a quote", "&gt; you wrote this", "> you wrote this"},
		{"a user mention reads as the display name", "hi <@U1>, welcome", "hi @Ana Lima, welcome"},
		{"an unknown user with a label uses the label", "ask <@U2|bob>", "ask @bob"},
		{"an unknown user is dropped, never @someone", "hi <@U2>, welcome", "hi, welcome"},
		{"an unknown user at the start is dropped with its space", "<@U2> your order shipped", "your order shipped"},
		{"a blank name counts as unknown", "thanks <@U3> and me", "thanks and me"},
		{"a channel with its label", "see <#C1|general>", "see #general"},
		{"a channel without a label is resolved", "see <#C9|> or <#C9>", "see #billing or #billing"},
		{"an unknown channel is dropped", "see <#C7> now", "see now"},
		{"a user group reads as its handle", "<!subteam^S1|@support> will help", "@support will help"},
		{"a user group without a handle is dropped", "<!subteam^S1> will help", "will help"},
		{"broadcast mentions become words", "<!here> <!channel> <!everyone>", "everyone everyone everyone"},
		{"a date falls back to its text", "<!date^1392734382^{date}|Feb 18, 2014>", "Feb 18, 2014"},
		{"a labelled link reads label (url)", "<https://x.example|the docs>", "the docs (https://x.example)"},
		{"a bare link", "<https://x.example/a?b=1&amp;c=2>", "https://x.example/a?b=1&c=2"},
		{"a mail link", "<mailto:a@b.c|a@b.c>", "a@b.c"},
		{"entities are unescaped once", "&lt;3 &amp;&amp; &amp;lt;", "<3 && &lt;"},
		{"mentions and links inside inline code are still Slack's tokens", "`<@U1>`", "`@Ana Lima`"},
		{"an unclosed bracket stays", "a < b and <@U1", "a < b and <@U1"},
		{"a text command keeps the person as a reference", "!transfer <@U1> she speaks pt", "!transfer {@U1} she speaks pt"},
		{"even an unknown one", " !transfer <@U2|bob>", " !transfer {@U2}"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, ConvertMrkdwn(c.in, names), c.in)
		})
	}
	t.Run("without resolvers nothing leaks an id", func(t *testing.T) {
		require.Equal(t, "hi, see #general", ConvertMrkdwn("hi <@U1>, see <#C1|general> <!here>", Names{}))
	})
}
