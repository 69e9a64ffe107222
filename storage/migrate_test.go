package storage_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// Replicas started together on a new or older schema (a rollout, a
// Kubernetes Deployment scaled from zero) all migrate at start-up: each
// must succeed, none may fail on a table another one just created.
// PostgreSQL only: several replicas need it, while a SQLite file belongs
// to one process (River's SQLite migrations are not safe to run from two).
func TestReplicasMigratingTogetherAllSucceed(t *testing.T) {
	t.Parallel()
	for _, dialect := range []string{storage.Postgres} {
		t.Run(storagetest.Name(dialect), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			url := storagetest.EmptyURL(t, dialect)
			const replicas = 4
			dbs := make([]*storage.DB, replicas)
			for i := range dbs {
				db, err := storage.Open(ctx, url, 4)
				require.NoError(t, err)
				t.Cleanup(func() { db.Close() })
				dbs[i] = db
			}
			errs := make([]error, replicas)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i, db := range dbs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					errs[i] = db.Migrate(ctx)
				}()
			}
			close(start)
			wg.Wait()
			for i, err := range errs {
				require.NoError(t, err, "replica %d migrates", i)
			}
			n, err := dbs[0].Pending(ctx)
			require.NoError(t, err)
			require.Zero(t, n)
		})
	}
}
