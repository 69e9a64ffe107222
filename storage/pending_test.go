package storage_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

func TestPendingMigrationsNamesWhatMigrateWouldApplyAndChangesNothing(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, err := storage.Open(ctx, storagetest.EmptyURL(t, dialect), 2)
			require.NoError(t, err)
			t.Cleanup(func() { db.Close() })

			pending, err := db.PendingMigrations(ctx)
			require.NoError(t, err)
			require.Greater(t, len(pending), 1)
			require.Regexp(t, `^0*1_.*\.sql$`, pending[0], "the first migration by its file name")
			require.Contains(t, pending[len(pending)-1], "job queue tables", "River's tables are named too")
			again, err := db.PendingMigrations(ctx)
			require.NoError(t, err)
			require.Equal(t, pending, again, "reading changed nothing")
			n, err := db.Pending(ctx)
			require.NoError(t, err)
			require.Equal(t, len(pending), n, "/readyz counts the same list")

			require.NoError(t, db.Migrate(ctx))
			pending, err = db.PendingMigrations(ctx)
			require.NoError(t, err)
			require.Empty(t, pending)
		})
	}
}
