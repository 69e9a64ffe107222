package app

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/knowledge/knowledgetest"
	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// flakyEmbedder fails until up is set (the provider is down, then back).
type flakyEmbedder struct {
	knowledgetest.Embedder
	up *atomic.Bool
}

func (f flakyEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if !f.up.Load() {
		return nil, errors.New("503 Service Unavailable")
	}
	return f.Embedder.Embed(ctx, texts)
}

// When the embedding provider is down at start-up, the documents are
// searchable by BM25 at once and get their vectors once it is back,
// without a file change (watch off).
func TestKnowledgeRetriesEmbeddingWhenTheProviderIsBack(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := storagetest.Open(t, storage.SQLite)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "refunds.md"), []byte("# Refunds\n\nA refund takes 5 days.\n"), 0o644))
	off := false
	cfg := &configs.Config{Assistant: configs.Assistant{Knowledge: configs.Knowledge{
		Sources: []configs.KnowledgeSource{{Path: dir}}, Watch: &off}}}
	var up atomic.Bool
	k, err := newKnowledgeSide(ctx, cfg, db, flakyEmbedder{up: &up}, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	k.retryEvery = 20 * time.Millisecond
	done := make(chan error, 1)
	go func() { done <- k.Start(ctx) }()

	vectors := func() int {
		chunks, err := db.Chunks(ctx)
		require.NoError(t, err)
		n := 0
		for _, c := range chunks {
			if len(c.Vector) > 0 {
				n++
			}
		}
		return n
	}
	require.Eventually(t, func() bool {
		got, err := k.Retriever().Search(ctx, "", "refund", 1)
		return err == nil && len(got) == 1
	}, 10*time.Second, 10*time.Millisecond, "BM25 finds the document while the provider is down")
	require.Zero(t, vectors())

	up.Store(true)
	require.Eventually(t, func() bool { return vectors() == 1 }, 10*time.Second, 10*time.Millisecond, "embedded once the provider is back")
	select {
	case err := <-done:
		require.NoError(t, err, "with watch off, Start returns once everything is indexed")
	case <-time.After(10 * time.Second):
		t.Fatal("Start did not return after a complete pass with watch off")
	}
}
