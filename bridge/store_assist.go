package bridge

// SuggestTx keeps the AI drafts shown to agents and the conversation
// summaries (assist_agent.go).
type SuggestTx interface {
}

// FirstLineTx keeps the first-line assistant's state per conversation
// (assist_firstline.go).
type FirstLineTx interface {
}
