package app

import (
	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/configs"
)

// RouteClassifier is what `switchboard route --explain` asks for the
// label of llm rules: the configured provider behind the LLM assistant,
// with the offline classifier as its fallback, as buildAssistant wires it
// for serve. Nil when no provider is configured (the offline classifier
// then decides llm rules as routing runs). It calls no provider.
func RouteClassifier(cfg *configs.Config) (assist.Assistant, error) {
	a := cfg.Assistant
	if !llmWired(cfg) {
		return nil, nil
	}
	client, err := newOpenAI(a, Tuning{})
	if err != nil {
		return nil, err
	}
	offline, err := newOfflineAssistant(cfg, nil)
	if err != nil {
		return nil, err
	}
	return assist.NewLLM(assist.LLMOptions{Model: client, Fallback: offline, MaxTokens: a.MaxTokens}), nil
}

// llmWired reports whether the configuration gets an LLM behind the
// assistant (buildAssistant wires the OpenAI API; any other provider runs
// offline): only then do llm rules make a new conversation's thread wait.
func llmWired(cfg *configs.Config) bool { return cfg.Assistant.Provider == "openai" }
