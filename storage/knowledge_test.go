package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/knowledge"
	"github.com/switchboard/switchboard/storage"
)

// A document's chunks are replaced only when its hash changes, every
// change moves the version, vectors round-trip as float32, and removing
// documents spares other teams and the kept ones.
func TestKnowledgeStore(t *testing.T) {
	ctx := context.Background()
	at := time.UnixMilli(1_750_000_000_000).UTC()
	eachDialect(t, func(t *testing.T, _ *storage.Store, db *storage.DB) {
		version := func() int64 {
			t.Helper()
			v, err := db.Version(ctx)
			require.NoError(t, err)
			return v
		}
		v0 := version()
		refunds := knowledge.Document{Team: "", Source: "refunds.md", Title: "Refunds", Hash: "h1"}
		chunks := []knowledge.Chunk{
			{Heading: "Refunds › Timing", Text: "Refunds take 5 days.", Ordinal: 0},
			{Heading: "Refunds › How", Text: "Write to us.", Ordinal: 1, Vector: []float32{0.5, -0.25, 1e-7}, VectorModel: "m1"},
		}
		changed, err := db.ReplaceDocument(ctx, refunds, chunks, at)
		require.NoError(t, err)
		require.True(t, changed, "a new document is stored")
		require.Greater(t, version(), v0)

		v1 := version()
		changed, err = db.ReplaceDocument(ctx, refunds, chunks, at)
		require.NoError(t, err)
		require.False(t, changed, "the same hash stores nothing")
		require.Equal(t, v1, version(), "nothing changed, the version stays")

		_, err = db.ReplaceDocument(ctx, knowledge.Document{Team: "support", Source: "vip.md", Title: "VIP", Hash: "s1"},
			[]knowledge.Chunk{{Text: "VIP customers call us.", Ordinal: 0}}, at)
		require.NoError(t, err)

		refunds.Hash = "h2"
		changed, err = db.ReplaceDocument(ctx, refunds, chunks[:1], at)
		require.NoError(t, err)
		require.True(t, changed)

		got, err := db.Chunks(ctx)
		require.NoError(t, err)
		require.Len(t, got, 2, "the changed document's old chunks are gone")
		require.Equal(t, "refunds.md", got[0].Source)
		require.Equal(t, "Refunds › Timing", got[0].Heading)
		require.Equal(t, "Refunds take 5 days.", got[0].Text)
		require.Nil(t, got[0].Vector)
		require.Equal(t, "support", got[1].Team)

		v2 := version()
		require.NoError(t, db.SetVectors(ctx, "m2", map[int64][]float32{got[0].ID: {0.5, -0.25, 1e-7}}))
		require.Greater(t, version(), v2, "new vectors reach other replicas through the version")
		got, err = db.Chunks(ctx)
		require.NoError(t, err)
		require.Equal(t, []float32{0.5, -0.25, 1e-7}, got[0].Vector, "vectors round-trip exactly")
		require.Equal(t, "m2", got[0].VectorModel)

		removed, err := db.RemoveDocumentsExcept(ctx, []string{""}, nil)
		require.NoError(t, err)
		require.Equal(t, 1, removed, "the global document goes, the support team's stays")
		got, err = db.Chunks(ctx)
		require.NoError(t, err)
		require.Len(t, got, 1)
		require.Equal(t, "vip.md", got[0].Source)

		removed, err = db.RemoveDocumentsExcept(ctx, []string{"support"}, []knowledge.SourceKey{{Team: "support", Source: "vip.md"}})
		require.NoError(t, err)
		require.Zero(t, removed, "a kept document stays")

		// A removed document indexed again is new: its hash was forgotten.
		_, err = db.RemoveDocumentsExcept(ctx, []string{"support"}, nil)
		require.NoError(t, err)
		changed, err = db.ReplaceDocument(ctx, knowledge.Document{Team: "support", Source: "vip.md", Title: "VIP", Hash: "s1"}, nil, at)
		require.NoError(t, err)
		require.True(t, changed)
	})
}
