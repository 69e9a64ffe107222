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

// /readyz asks Pending every few seconds on every replica; once the
// answer is zero it stays zero for that handle without a query (the
// migrations of a running binary cannot become unapplied). The proof: a
// migration record removed behind its back is seen by PendingMigrations
// and by a new handle, not by Pending on a handle that saw zero.
func TestPendingAnswersZeroWithoutAskingOnceUpToDate(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			url := storagetest.URL(t, dialect)
			open := func() *storage.DB {
				db, err := storage.Open(ctx, url, 2)
				require.NoError(t, err)
				t.Cleanup(func() { db.Close() })
				return db
			}
			migrated := open()
			require.NoError(t, migrated.Migrate(ctx))
			asked := open()
			n, err := asked.Pending(ctx)
			require.NoError(t, err)
			require.Zero(t, n)

			_, err = migrated.ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = 1`)
			require.NoError(t, err)
			pending, err := migrated.PendingMigrations(ctx)
			require.NoError(t, err)
			require.Len(t, pending, 1, "the list itself is never cached")
			n, err = open().Pending(ctx)
			require.NoError(t, err)
			require.Equal(t, 1, n, "a new handle asks the database")

			n, err = asked.Pending(ctx)
			require.NoError(t, err)
			require.Zero(t, n, "a handle that saw zero does not ask again")
			n, err = migrated.Pending(ctx)
			require.NoError(t, err)
			require.Zero(t, n, "nor one that migrated")
		})
	}
}
