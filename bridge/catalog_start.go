package bridge

// startTexts are the texts of agent-started conversations.
var startTexts = map[string]translations{}
