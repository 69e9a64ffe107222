// Package storage keeps switchboard's facts in PostgreSQL (lib/pq) or SQLite
// (modernc.org/sqlite, no cgo) through sqlx, with the same repository code
// for both, and wires the durable job queue (River) onto the same database.
package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"modernc.org/sqlite"
)

// Dialects we speak.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// DB is an open database with its dialect.
type DB struct {
	*sqlx.DB
	Dialect string
	url     string // kept for the job queue's LISTEN connection
	// upToDate is set once every migration is known to be applied: a
	// running binary's migrations cannot become unapplied, so /readyz
	// stops asking (see Pending).
	upToDate atomic.Bool
	// counter counts the statements and commits sent (stats.go).
	counter *statementCounter
}

// Open connects to url: "postgres://…" / "postgresql://…" for PostgreSQL,
// "sqlite:<path>" (or "sqlite::memory:") for SQLite. It does not migrate.
func Open(ctx context.Context, url string, maxOpenConns int) (*DB, error) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		sqldb, counter := openCounted(pq.Driver{}, url)
		db := sqlx.NewDb(sqldb, "postgres")
		if maxOpenConns <= 0 {
			maxOpenConns = 20
		}
		db.SetMaxOpenConns(maxOpenConns)
		db.SetMaxIdleConns(maxOpenConns)
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("connect to postgres (database.url): %w", err)
		}
		return &DB{DB: db, Dialect: Postgres, url: url, counter: counter}, nil
	case strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(url, "sqlite:")
		dsn, err := sqliteDSN(path)
		if err != nil {
			return nil, err
		}
		sqldb, counter := openCounted(&sqlite.Driver{}, dsn)
		db := sqlx.NewDb(sqldb, "sqlite")
		// SQLite allows one writer at a time; River's SQLite driver asks for
		// a single connection so its goroutines queue instead of failing
		// with SQLITE_BUSY. Nothing may use the pool while a transaction is
		// open on it, or it waits forever: every bridge read goes through
		// the transaction it is given.
		db.SetMaxOpenConns(1)
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		}
		return &DB{DB: db, Dialect: SQLite, counter: counter}, nil
	}
	return nil, fmt.Errorf("database.url %q: use postgres://… or sqlite:<path>", redactURL(url))
}

func sqliteDSN(path string) (string, error) {
	pragmas := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_txlock=immediate"
	if path == ":memory:" {
		return "file::memory:?" + pragmas, nil
	}
	if path == "" {
		return "", errors.New("database.url sqlite: needs a path, e.g. sqlite:./data/switchboard.db")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return "", fmt.Errorf("create folder for %s: %w", path, err)
		}
	}
	return "file:" + sqliteURIPath.Replace(path) + "?" + pragmas + "&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)", nil
}

// sqliteURIPath escapes what a file: URI gives a meaning to: SQLite ends
// the path at "?" (the parameters; the driver also splits there) and "#"
// (a fragment), and decodes "%HH". A path holding them unescaped is cut
// short, so two databases (say the tests' t.TempDir() of "TestX#01" and
// "TestX#02") would silently open one file. Source:
// https://www.sqlite.org/uri.html ("The path ... is terminated by a '?' or
// '#' character"; "%HH" escapes are decoded).
var sqliteURIPath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// redactURL hides a password in a database URL before it is printed.
func redactURL(url string) string {
	at := strings.LastIndex(url, "@")
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 {
		return url
	}
	creds := url[scheme+3 : at]
	if i := strings.Index(creds, ":"); i >= 0 {
		return url[:scheme+3] + creds[:i] + ":***" + url[at:]
	}
	return url
}
