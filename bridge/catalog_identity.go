package bridge

// identityTexts are the words the markup conversion puts in a customer's
// text (issue 17: formatting, mentions, agent identity).
var identityTexts = map[string]translations{
	// "@here", "@channel" and "@everyone" in an agent's reply: the
	// customer reads a word, never a workspace mention.
	"markup.everyone": {"en": "everyone", "es": "todos", "pt": "todos"},
	// The first line of a reply of a team with agent_name: first_line:
	// the agent's display name in WhatsApp bold.
	"identity.agent_line": {"en": "*%s:*", "es": "*%s:*", "pt": "*%s:*"},
}
