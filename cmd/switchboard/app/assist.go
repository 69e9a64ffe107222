package app

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/switchboard/switchboard/adapters/openai"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/bridge/knowledge"
	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/routing"
	"github.com/switchboard/switchboard/storage"
)

// buildAssistant wires the AI the configuration asks for (issue 11): the
// provider's model (adapters/openai) behind the LLM assistant, with the
// offline assistant as its fallback, or the offline assistant alone; both
// read the knowledge base (knowledge.go). It calls no provider.
func buildAssistant(ctx context.Context, cfg *configs.Config, db *storage.DB, tune Tuning, metrics *bridge.Metrics, log *slog.Logger) (assist.Assistant, *knowledgeSide, error) {
	a := cfg.Assistant
	var client *openai.Client
	if a.Provider == "openai" {
		var err error
		client, err = newOpenAI(a, tune)
		if err != nil {
			return nil, nil, err
		}
	}
	var embedder knowledge.Embedder
	if client != nil && a.EmbeddingModel != "" {
		embedder = client
	}
	kb, err := newKnowledgeSide(ctx, cfg, db, embedder, log)
	if err != nil {
		return nil, nil, err
	}
	offline, err := newOfflineAssistant(cfg, kb.Retriever())
	if err != nil {
		return nil, nil, err
	}
	if client == nil {
		log.Info("AI assistant: offline (no provider, nothing leaves this server)")
		return offline, kb, nil
	}
	log.Info("AI assistant: openai-compatible provider", "base_url", a.BaseURL, "model", a.Model,
		"embedding_model", a.EmbeddingModel)
	return assist.NewLLM(assist.LLMOptions{
		Model:     client,
		Retriever: kb.Retriever(),
		Fallback:  offline,
		MaxTokens: a.MaxTokens,
	}), kb, nil
}

// newOpenAI builds the provider's client from the assistant section,
// whose defaults (timeout, retries, budget) configs filled in.
func newOpenAI(a configs.Assistant, tune Tuning) (*openai.Client, error) {
	retries := 0 // the adapter's default
	if a.MaxRetries != nil {
		retries = *a.MaxRetries
		if retries == 0 {
			retries = openai.NoRetries // written 0: no retries
		}
	}
	c, err := openai.New(openai.Config{
		BaseURL:        a.BaseURL,
		APIKey:         a.APIKey,
		Model:          a.Model,
		EmbeddingModel: a.EmbeddingModel,
		Timeout:        a.Timeout.D(),
		MaxRetries:     retries,
		MaxTokens:      a.MaxTokens,
		Prices:         openai.Prices{PromptPerMillion: a.Prices.PromptPerMillion, CompletionPerMillion: a.Prices.CompletionPerMillion},
		HTTPClient:     tune.HTTPClient,
	})
	if err != nil {
		return nil, fmt.Errorf("assistant: %w", err)
	}
	return c, nil
}

// newOfflineAssistant builds the offline assistant: the routing
// classifier's naive Bayes (when the config trains one), the routing
// language detector, and the bridge's catalogue for summaries.
func newOfflineAssistant(cfg *configs.Config, retriever knowledge.Retriever) (*assist.Offline, error) {
	o := assist.OfflineOptions{
		Retriever: retriever,
		DetectLanguage: func(text string) string {
			lang, _ := routing.DetectLanguage(routing.Words(text))
			return lang
		},
		Text: bridge.Text,
	}
	if c := cfg.Classifier; c != nil {
		nb, err := routing.TrainNaiveBayes(c.Examples, c.Threshold)
		if err != nil {
			return nil, fmt.Errorf("classifier: %w", err)
		}
		o.Classify = func(text string, labels []string) (string, float64) {
			got := nb.Classify(text)
			if got.Abstained || !slices.Contains(labels, got.Label) {
				return "", got.Confidence
			}
			return got.Label, got.Confidence
		}
	}
	return assist.NewOffline(o), nil
}
