package discord_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord"
)

// TestConvertDiscordToWhatsApp is the table of what agents type in
// Discord and what the customer reads on WhatsApp (issue 17).
func TestConvertDiscordToWhatsApp(t *testing.T) {
	t.Parallel()
	names := discord.Names{
		User:     func(id string) string { return map[string]string{"11": "Ana", "12": "Bruno Díaz"}[id] },
		Channel:  func(id string) string { return map[string]string{"21": "billing"}[id] },
		Role:     func(id string) string { return map[string]string{"31": "Sales"}[id] },
		Everyone: "everyone",
	}
	cases := []struct{ name, in, want string }{
		{"bold", "**bold**", "*bold*"},
		{"italic with stars and underscores", "*one* and _two_", "_one_ and _two_"},
		{"strike", "~~gone~~", "~gone~"},
		{"underline has no WhatsApp form: plain", "__under__", "under"},
		{"spoiler: plain", "||secret||", "secret"},
		{"bold italic", "***both***", "*_both_*"},
		{"nested italic in bold", "**bold _italic_**", "*bold _italic_*"},
		{"unclosed bold keeps its words", "**unclosed and more", "**unclosed and more"},
		{"crossed markers keep every word", "*a_b*c_", "_a_b_c_"},
		{"inline code stays literal", "run `**x** <@11>` now", "run `**x** <@11>` now"},
		{"a code block stays literal and loses its language", "```go\n**x** := <#21>\n```", "```\n**x** := <#21>\n```"},
		{"dash list", "- one\n- two", "- one\n- two"},
		{"star list becomes dash list", "* one\n* **two**", "- one\n- *two*"},
		{"numbered list", "1. one\n2. two", "1. one\n2. two"},
		{"quote", "> said\nreply", "> said\nreply"},
		{"block quote quotes every line after it", "intro\n>>> one\ntwo", "intro\n> one\n> two"},
		{"heading becomes a bold line", "# Title\ntext", "*Title*\ntext"},
		{"second-level heading", "## Steps", "*Steps*"},
		{"bold inside a heading", "### **Your** order", "*Your order*"},
		{"subtext becomes plain", "-# small print", "small print"},
		{"masked link", "[site](https://ex.com/a)", "site (https://ex.com/a)"},
		{"masked link whose label is its url", "[https://ex.com](https://ex.com)", "https://ex.com"},
		{"angle-bracket link", "<https://ex.com/x>", "https://ex.com/x"},
		{"escaped markers stay literal", `\*not bold\* 2\_3`, "*not bold* 2_3"},
		{"custom emoji", "thanks <:blob:123> <a:wave:456>", "thanks :blob: :wave:"},
		{"timestamp, full", "<t:0:F>", "1970-01-01 00:00 UTC"},
		{"timestamp, date only", "<t:86400:d>", "1970-01-02"},
		{"user mentions read as names", "<@11> and <@!12>", "@Ana and @Bruno Díaz"},
		{"an unknown user is dropped, never @someone", "hi <@99>, thanks", "hi, thanks"},
		{"channel mention", "see <#21>", "see #billing"},
		{"an unknown channel is dropped", "see <#29> now", "see now"},
		{"role mention", "<@&31> will call", "@Sales will call"},
		{"an unknown role is dropped", "<@&39> will call", "will call"},
		{"@everyone and @here become words", "@everyone look, @here too", "everyone look, everyone too"},
		{"an e-mail address is not a mention", "write to a@here.com", "write to a@here.com"},
		{"slash command mention", "use </help:1>", "use /help"},
		{"a text command keeps the person as a reference", "!transfer <@12> she speaks pt", "!transfer {@12} she speaks pt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, discord.ConvertDiscord(c.in, names), c.in)
		})
	}
	t.Run("without resolvers nothing leaks an id", func(t *testing.T) {
		require.Equal(t, "hi, see and", discord.ConvertDiscord("hi <@11>, see <#21> and <@&31> @everyone", discord.Names{}))
	})
}
