package app

import (
	"context"
	"log/slog"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/storage"
)

// buildAssistant wires the AI the configuration asks for (issue 11): the
// provider's model (adapters/openai) behind the LLM assistant, with the
// offline assistant as its fallback, or the offline assistant alone; both
// read the knowledge base (knowledge.go). It calls no provider.
func buildAssistant(ctx context.Context, cfg *configs.Config, db *storage.DB, tune Tuning, metrics *bridge.Metrics, log *slog.Logger) (assist.Assistant, *knowledgeSide, error) {
	kb, err := newKnowledgeSide(ctx, cfg, db, nil, log)
	if err != nil {
		return nil, nil, err
	}
	return nil, kb, nil // TODO(assist-provider): the offline and LLM assistants
}
