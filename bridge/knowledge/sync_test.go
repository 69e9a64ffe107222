package knowledge_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/knowledge"
	"github.com/switchboard/switchboard/bridge/knowledge/knowledgetest"
	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// otherModel is the test embedding under another model's name.
type otherModel struct{ knowledgetest.Embedder }

func (otherModel) Model() string { return "other-model" }

// Chunks are embedded in batches once; a second sync embeds nothing; a
// new model embeds everything again; hybrid search then fills Cosine.
func TestSyncEmbedsMissingVectors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storagetest.Open(t, storage.SQLite)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.md": "# Refunds\n\nRefunds take 5 days.\n\n# Exchanges\n\nExchanges within 30 days.\n",
		"b.md": "# Shipping\n\nParcels take 2 days.\n",
	})
	calls := 0
	embedder := countingEmbedder{calls: &calls}
	s := &knowledge.Syncer{Store: db, Embedder: embedder, EmbedBatch: 2}
	res, err := s.Sync(ctx, []knowledge.Source{{Path: dir}})
	require.NoError(t, err)
	require.Equal(t, 3, res.Embedded)
	require.Equal(t, 2, calls, "3 chunks in batches of 2")

	res, err = s.Sync(ctx, []knowledge.Source{{Path: dir}})
	require.NoError(t, err)
	require.Zero(t, res.Embedded, "every chunk has its vector")

	s.Embedder = otherModel{}
	res, err = s.Sync(ctx, []knowledge.Source{{Path: dir}})
	require.NoError(t, err)
	require.Equal(t, 3, res.Embedded, "another model's vectors are not comparable: all again")

	index := knowledge.NewIndex(db, knowledge.IndexOptions{Embedder: otherModel{}})
	got, err := index.Search(ctx, "", "how many days for a refund", 3)
	require.NoError(t, err)
	require.Equal(t, "a.md › Refunds", got[0].Citation())
	require.Positive(t, got[0].Cosine)
	require.Positive(t, got[0].BM25)
	require.InDelta(t, 2.0/61, got[0].Score, 1e-9, "first in both lists: 1/61 + 1/61")
}

type countingEmbedder struct {
	knowledgetest.Embedder
	calls *int
}

func (c countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	*c.calls++
	return c.Embedder.Embed(ctx, texts)
}

// A URL source is fetched only when the syncer has an HTTP client
// (allow_fetch); its HTML is read like a file's and cited by URL. A page
// that fails keeps the team's stored documents.
func TestSyncFetchesURLsOnlyWhenAllowed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storagetest.Open(t, storage.SQLite)
	var fail atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail.Load() {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<html><body><h1>Returns</h1><p>Return within 30 days.</p></body></html>"))
	}))
	t.Cleanup(srv.Close)
	src := []knowledge.Source{{Team: "support", URL: srv.URL + "/help"}}

	res, err := (&knowledge.Syncer{Store: db}).Sync(ctx, src)
	require.NoError(t, err)
	require.Zero(t, res.Documents)
	require.Len(t, res.Problems, 1)
	require.ErrorContains(t, res.Problems[0], "allow_fetch")

	s := &knowledge.Syncer{Store: db, HTTP: srv.Client()}
	res, err = s.Sync(ctx, src)
	require.NoError(t, err)
	require.Equal(t, 1, res.Added)
	got, err := knowledge.NewIndex(db, knowledge.IndexOptions{}).Search(ctx, "support", "return days", 1)
	require.NoError(t, err)
	require.Equal(t, srv.URL+"/help › Returns", got[0].Citation())

	fail.Store(true)
	res, err = s.Sync(ctx, src)
	require.NoError(t, err)
	require.Len(t, res.Problems, 1)
	require.Zero(t, res.Removed, "a page that cannot be fetched now keeps its stored version")
}
