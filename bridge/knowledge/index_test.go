package knowledge_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/knowledge"
	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
}

func sources(p []knowledge.Passage) []string {
	var out []string
	for _, x := range p {
		out = append(out, x.Citation())
	}
	return out
}

// Indexing a folder stores its documents; a team searches its own and the
// global ones; an unchanged file is skipped, a changed one replaced, a
// removed one deleted; and a second index on the same database (another
// replica) sees every change through the version.
func TestSyncAndSearch(t *testing.T) {
	ctx := context.Background()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := storagetest.Open(t, dialect)
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{
				"refunds.md":         "# Refunds\n\n## Timing\n\nA refund reaches your card within 5 working days.\n\n## Exchanges\n\nYou may exchange an item within 30 days.\n",
				"envios.md":          "# Envíos\n\nLos envíos a Canarias tardan 4 días.\n",
				"notes.json":         `{"ignored": true}`,
				"support/vip.md":     "# VIP\n\nVIP customers get a refund the same day.\n",
				"support/hours.html": "<html><head><title>Hours</title><script>var refund=1</script></head><body><h1>Opening hours</h1><p>We open at 9 on weekdays.</p></body></html>",
			})
			srcs := []knowledge.Source{{Path: dir}, {Team: "support", Path: filepath.Join(dir, "support")}}
			syncer := &knowledge.Syncer{Store: db, ChunkChars: 300, OverlapChars: 50}
			res, err := syncer.Sync(ctx, srcs)
			require.NoError(t, err)
			require.Empty(t, res.Problems)
			require.Equal(t, 4, res.Added, "the .json file is not a document; support/ belongs to its own source")
			require.Equal(t, 5, res.Chunks)

			now := time.Unix(0, 0)
			clock := func() time.Time { return now }
			index := knowledge.NewIndex(db, knowledge.IndexOptions{Now: clock})
			replica := knowledge.NewIndex(db, knowledge.IndexOptions{Now: clock})

			got, err := index.Search(ctx, "sales", "how long do refunds take?", 3)
			require.NoError(t, err)
			require.Equal(t, []string{"refunds.md › Refunds › Timing"}, sources(got[:1]))
			for _, p := range got {
				require.NotEqual(t, "support", p.Team, "sales does not read support's documents")
			}
			require.InDelta(t, 1.0/3, got[0].Coverage, 1e-9, "of refund, long and take, only refund is in the passage")

			got, err = index.Search(ctx, "support", "refund same day", 3)
			require.NoError(t, err)
			require.Equal(t, "vip.md › VIP", got[0].Citation(), "support reads its own documents")

			got, err = index.Search(ctx, "support", "when do you open?", 1)
			require.NoError(t, err)
			require.Equal(t, "hours.html › Opening hours", got[0].Citation(), "HTML headings become headings; scripts are skipped")

			got, err = index.Search(ctx, "", "envio canarias", 1)
			require.NoError(t, err)
			require.Equal(t, "envios.md › Envíos", got[0].Citation(), "accents and plurals are folded")

			// Nothing changed: nothing stored.
			res, err = syncer.Sync(ctx, srcs)
			require.NoError(t, err)
			require.Equal(t, knowledge.SyncResult{Documents: 4, Unchanged: 4}, res)

			// A changed file and a removed one.
			writeFiles(t, dir, map[string]string{"envios.md": "# Envíos\n\nLos envíos a Baleares tardan 2 días.\n"})
			require.NoError(t, os.Remove(filepath.Join(dir, "support", "vip.md")))
			res, err = syncer.Sync(ctx, srcs)
			require.NoError(t, err)
			require.Equal(t, 1, res.Changed)
			require.Equal(t, 1, res.Removed)

			got, err = replica.Search(ctx, "support", "envio baleares", 5)
			require.NoError(t, err)
			require.Equal(t, "envios.md › Envíos", got[0].Citation(), "the other replica loads the current chunks")
			require.NotContains(t, sources(got), "vip.md › VIP")

			// The first index checked a while ago: it reloads only once its
			// refresh interval has passed.
			got, err = index.Search(ctx, "", "envio baleares", 5)
			require.NoError(t, err)
			require.Equal(t, 0.5, got[0].Coverage, "still the loaded snapshot: Canarias, not Baleares")
			now = now.Add(knowledge.DefaultRefreshEvery)
			got, err = index.Search(ctx, "", "envio baleares", 5)
			require.NoError(t, err)
			require.Equal(t, 1.0, got[0].Coverage, "reloaded after the interval")
		})
	}
}

var _ knowledge.Store = (*storage.DB)(nil)
