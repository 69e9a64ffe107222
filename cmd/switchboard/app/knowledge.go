package app

import (
	"context"
	"errors"
	"log/slog"

	"github.com/switchboard/switchboard/bridge/knowledge"
	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/storage"
)

// knowledgeSide is the knowledge base of this replica (issue 11): it
// indexes the configured sources into the database at start-up and when
// their files change, and keeps an in-memory search index in step with
// the database's chunks, so replicas share one knowledge base.
type knowledgeSide struct {
	retriever knowledge.Retriever
}

// newKnowledgeSide prepares the knowledge base; embedder is nil when no
// embedding model is configured (BM25 only). It reads nothing yet: Start
// indexes.
func newKnowledgeSide(ctx context.Context, cfg *configs.Config, db *storage.DB, embedder knowledge.Embedder, log *slog.Logger) (*knowledgeSide, error) {
	return &knowledgeSide{retriever: noKnowledge{}}, nil // TODO(knowledge)
}

// Retriever searches the knowledge base.
func (k *knowledgeSide) Retriever() knowledge.Retriever { return k.retriever }

// Start indexes the sources and watches them until ctx ends.
func (k *knowledgeSide) Start(ctx context.Context) error { return nil }

// startKnowledge indexes and watches the knowledge base in the background
// (a.bg), so a slow folder never holds start-up.
func (a *App) startKnowledge() {} // TODO(knowledge)

// noKnowledge finds nothing (the stub until the knowledge base is built).
type noKnowledge struct{}

func (noKnowledge) Search(ctx context.Context, team, query string, k int) ([]knowledge.Passage, error) {
	return nil, errors.New("knowledge base not built yet")
}
