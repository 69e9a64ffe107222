// Package storagetest gives tests real databases: a fresh PostgreSQL
// database per test (cloned from a per-package migrated template) and a
// fresh SQLite file per test. There is no mocked database.
package storagetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/switchboard/switchboard/storage"
)

// DefaultURL is used when TEST_DATABASE_URL is not set.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Dialects lists the databases every repository and end-to-end test runs on.
var Dialects = []string{storage.SQLite, storage.Postgres}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
	adminURL     string
)

func serverURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

func withDatabase(raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Path = "/" + name
	return u.String()
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// postgresTemplate creates, once per test binary (one package), a database
// with every migration applied; tests clone it, which takes milliseconds.
func postgresTemplate() (string, error) {
	templateOnce.Do(func() {
		adminURL = serverURL()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		admin, err := sqlx.Open("postgres", adminURL)
		if err != nil {
			templateErr = err
			return
		}
		defer admin.Close()
		if err := admin.PingContext(ctx); err != nil {
			templateErr = fmt.Errorf("PostgreSQL at %s does not answer: %w", adminURL, err)
			return
		}
		templateName = randomName("sbtpl_")
		if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+templateName); err != nil {
			templateErr = err
			return
		}
		db, err := storage.Open(ctx, withDatabase(adminURL, templateName), 4)
		if err != nil {
			templateErr = err
			return
		}
		templateErr = db.Migrate(ctx)
		db.Close()
	})
	return templateName, templateErr
}

// Open returns a fresh, migrated database of the given dialect, closed and
// (for PostgreSQL) dropped when the test ends. Without a reachable
// PostgreSQL the test is skipped with the reason, except under CI=true
// where it fails: CI must never silently skip database tests.
func Open(t testing.TB, dialect string) *storage.DB {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, URL(t, dialect), 10)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// URL creates a fresh database of the given dialect and returns the URL
// storage.Open takes ("sqlite:<file>" or a postgres:// URL). PostgreSQL
// databases are cloned from the migrated template and dropped at cleanup;
// SQLite files live in the test's temporary folder. Skips or fails like Open.
func URL(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == storage.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "switchboard.db")
	}
	tpl, err := postgresTemplate()
	if err != nil {
		msg := fmt.Sprintf("PostgreSQL unavailable (set TEST_DATABASE_URL; `make test` starts a throwaway cluster when binaries exist): %v", err)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	name := randomName("sbtest_")
	admin, err := sqlx.Open("postgres", adminURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	// CREATE DATABASE … TEMPLATE needs the template to have no other
	// sessions; clones are serialised so parallel tests do not collide.
	cloneMu.Lock()
	_, err = admin.Exec(fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, tpl))
	cloneMu.Unlock()
	if err != nil {
		t.Fatalf("clone test database: %v", err)
	}
	t.Cleanup(func() {
		if a, err := sqlx.Open("postgres", adminURL); err == nil {
			_, _ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			a.Close()
		}
	})
	return withDatabase(adminURL, name)
}

var cloneMu sync.Mutex

// EmptyURL is like URL but the database has no schema at all, as on a
// first deployment: for tests of the migrations themselves.
func EmptyURL(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == storage.SQLite {
		return URL(t, dialect) // a file that does not exist yet
	}
	if _, err := postgresTemplate(); err != nil {
		URL(t, dialect) // skips or fails with the reason
	}
	name := randomName("sbempty_")
	admin, err := sqlx.Open("postgres", adminURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		if a, err := sqlx.Open("postgres", adminURL); err == nil {
			_, _ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			a.Close()
		}
	})
	return withDatabase(adminURL, name)
}

// DropTemplate removes the per-package template; call from TestMain after
// m.Run so the shared server does not fill up with templates.
func DropTemplate() {
	if templateName == "" {
		return
	}
	if a, err := sqlx.Open("postgres", adminURL); err == nil {
		_, _ = a.Exec("DROP DATABASE IF EXISTS " + templateName + " WITH (FORCE)")
		a.Close()
	}
}

// Name returns a readable subtest name for a dialect.
func Name(dialect string) string { return strings.ToLower(dialect) }
