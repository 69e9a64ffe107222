package bridge

// assistTexts are the texts of suggestions and summaries (assist_agent.go).
var assistTexts = map[string]translations{}
