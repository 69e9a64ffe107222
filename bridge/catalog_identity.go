package bridge

// identityTexts are the words the markup conversion puts in a customer's
// text (issue 17: formatting, mentions, agent identity).
var identityTexts = map[string]translations{
	// "@here", "@channel" and "@everyone" in an agent's reply: the
	// customer reads a word, never a workspace mention.
	"markup.everyone": {"en": "everyone", "es": "todos", "pt": "todos"},
}
