package storagetest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard/switchboard/storage"
)

// EmptyURL creates a fresh database of the given dialect with no table at
// all (never migrated) and returns its URL, for tests of what happens
// before `switchboard migrate`. PostgreSQL databases are dropped at
// cleanup; skips or fails like Open when PostgreSQL is unavailable.
func EmptyURL(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == storage.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "empty.db")
	}
	admin, err := sqlx.Open("postgres", serverURL())
	if err == nil {
		err = admin.Ping()
	}
	if err != nil {
		msg := "PostgreSQL unavailable (set TEST_DATABASE_URL): " + err.Error()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	defer admin.Close()
	name := randomName("sbempty_")
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create empty test database: %v", err)
	}
	t.Cleanup(func() {
		if a, err := sqlx.Open("postgres", serverURL()); err == nil {
			_, _ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			a.Close()
		}
	})
	return withDatabase(serverURL(), name)
}
