package storage_test

import (
	"bytes"
	"context"
	"database/sql"
	"hash/fnv"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// syncBuffer collects log lines written from another goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// holdMigrationLock takes the migration lock on a session of its own, as
// another replica's migrate would, and returns that session's pid and a
// function that frees the lock.
func holdMigrationLock(t *testing.T, url string) (pid int, release func()) {
	t.Helper()
	pool, err := sql.Open("postgres", url)
	require.NoError(t, err)
	t.Cleanup(func() { pool.Close() })
	conn, err := pool.Conn(t.Context())
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	h := fnv.New64a()
	_, _ = h.Write([]byte("switchboard/migrate"))
	_, err = conn.ExecContext(t.Context(), `SELECT pg_advisory_lock($1)`, int64(h.Sum64()))
	require.NoError(t, err)
	require.NoError(t, conn.QueryRowContext(t.Context(), `SELECT pg_backend_pid()`).Scan(&pid))
	return pid, func() {
		_, err := conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, int64(h.Sum64()))
		require.NoError(t, err)
	}
}

// A replica whose migration waits for another one's says so at once,
// naming the session that holds the lock, and migrates when it is freed;
// a lock held past the bound ends in an error naming the lock and that
// session instead of a start-up that hangs without a word.
func TestMigrateSaysItWaitsForAnotherReplicaAndGivesUpAfterTheBound(t *testing.T) {
	t.Parallel()
	url := storagetest.EmptyURL(t, storage.Postgres)
	pid, release := holdMigrationLock(t, url)
	db, err := storage.Open(t.Context(), url, 2)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })

	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	started := time.Now()
	err = db.MigrateWith(t.Context(), storage.MigrateOptions{Log: log, LockWait: 300 * time.Millisecond})
	require.Error(t, err)
	require.Contains(t, err.Error(), "another process held the migration lock (PostgreSQL advisory lock switchboard/migrate, key ")
	require.Contains(t, err.Error(), "for more than 300ms (held by pid "+strconv.Itoa(pid)+", ")
	require.Contains(t, err.Error(), "pg_terminate_backend")
	require.Less(t, time.Since(started), 10*time.Second, "the bound holds")
	require.Contains(t, logs.String(), `msg="waiting for another process's migration to finish" lock="PostgreSQL advisory lock switchboard/migrate" held_by="pid `+strconv.Itoa(pid))
	n, err := db.Pending(t.Context())
	require.NoError(t, err)
	require.NotZero(t, n, "nothing was migrated without the lock")

	var waiting syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- db.MigrateWith(context.Background(), storage.MigrateOptions{Log: slog.New(slog.NewTextHandler(&waiting, nil))})
	}()
	require.Eventually(t, func() bool {
		return bytes.Contains([]byte(waiting.String()), []byte("waiting for another process's migration to finish"))
	}, 10*time.Second, 10*time.Millisecond, "said before blocking")
	select {
	case err := <-done:
		t.Fatalf("migrated while another session held the lock: %v", err)
	default:
	}
	release()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("still waiting after the lock was freed")
	}
	require.Contains(t, waiting.String(), "the other process's migration is over")
	n, err = db.Pending(t.Context())
	require.NoError(t, err)
	require.Zero(t, n)
}
