package storage

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed migrations
var migrationFS embed.FS

// Migrate brings the database to the newest schema: our own numbered
// migrations for the dialect, then River's tables. It is idempotent and safe
// to run at every start-up, by several replicas at once: on PostgreSQL they
// take turns (an advisory lock), and each migration is checked again inside
// its own transaction before it is applied. A wait for another replica's
// turn is logged through slog's default logger and bounded by
// DefaultMigrationLockWait; MigrateWith chooses both.
func (db *DB) Migrate(ctx context.Context) error {
	return db.MigrateWith(ctx, MigrateOptions{})
}

// DefaultMigrationLockWait is how long Migrate waits for another process's
// migration before giving up: far longer than any of ours takes, short
// enough that a session stuck holding the lock ends in an error naming it
// rather than a start-up that hangs without a word.
const DefaultMigrationLockWait = 10 * time.Minute

// MigrateOptions are MigrateWith's choices; zero values take the defaults.
type MigrateOptions struct {
	// Log says when this process waits for another one's migration
	// (nil: slog.Default()).
	Log *slog.Logger
	// LockWait bounds that wait (0: DefaultMigrationLockWait).
	LockWait time.Duration
}

// MigrateWith is Migrate with the log and the bound of the lock wait.
func (db *DB) MigrateWith(ctx context.Context, opts MigrateOptions) error {
	// Statements prepared before describe the tables as they were.
	defer db.forgetPrepared()
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.LockWait <= 0 {
		opts.LockWait = DefaultMigrationLockWait
	}
	if db.Dialect == Postgres {
		unlock, err := db.lockMigrations(ctx, opts)
		if err != nil {
			return err
		}
		defer unlock()
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	files, err := fs.Glob(migrationFS, "migrations/"+db.Dialect+"/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, file := range files {
		name := file[strings.LastIndex(file, "/")+1:]
		version, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with a number", name)
		}
		var applied int
		if err := db.GetContext(ctx, &applied, db.Rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), version); err != nil {
			return fmt.Errorf("read schema_migrations: %w", err)
		}
		if applied > 0 {
			continue
		}
		body, err := migrationFS.ReadFile(file)
		if err != nil {
			return err
		}
		tx, err := db.BeginTxx(ctx, nil)
		if err != nil {
			return err
		}
		// Another process may have applied it since the check above (SQLite
		// files shared by processes; our transactions there take the write
		// lock at BEGIN).
		if err := tx.GetContext(ctx, &applied, db.Rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), version); err != nil {
			tx.Rollback()
			return fmt.Errorf("read schema_migrations: %w", err)
		}
		if applied > 0 {
			tx.Rollback()
			continue
		}
		for _, stmt := range splitStatements(string(body)) {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				tx.Rollback()
				return fmt.Errorf("migration %s: %w", name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, db.Rebind(`INSERT INTO schema_migrations (version, applied_ms) VALUES (?, ?)`), version, time.Now().UnixMilli()); err != nil {
			tx.Rollback()
			return fmt.Errorf("record migration %s: %w", name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("commit migration %s: %w", name, err)
		}
	}
	if err := db.migrateRiver(ctx); err != nil {
		return err
	}
	db.upToDate.Store(true)
	return nil
}

// migrationLock names the advisory lock in messages, as an operator would
// look for it (pg_locks shows its key split in classid and objid).
const migrationLock = "PostgreSQL advisory lock switchboard/migrate"

// migrationLockKey is the advisory lock's key.
func migrationLockKey() int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte("switchboard/migrate"))
	return int64(h.Sum64())
}

// lockMigrations takes PostgreSQL's session advisory lock that serialises
// migrations, held on a connection of its own (not the pool's: the
// migrations need the pool, which may be a single connection). When
// another session holds it, it says so (naming that session) before
// waiting, and gives up after opts.LockWait with an error naming the lock.
// unlock frees it; so does the end of the session if the process dies.
func (db *DB) lockMigrations(ctx context.Context, opts MigrateOptions) (unlock func(), err error) {
	key := migrationLockKey()
	pool, err := sql.Open("postgres", db.url)
	if err != nil {
		return nil, fmt.Errorf("lock migrations: %w", err)
	}
	conn, err := pool.Conn(ctx)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("lock migrations (%s): %w", migrationLock, err)
	}
	release := func() {
		// Closing the pool ends the session, which frees the lock even
		// if the unlock below could not be sent.
		conn.Close()
		pool.Close()
	}
	var got bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&got); err != nil {
		release()
		return nil, fmt.Errorf("lock migrations (%s): %w", migrationLock, err)
	}
	if !got {
		holder := lockHolder(ctx, conn, key)
		opts.Log.Warn("waiting for another process's migration to finish", "lock", migrationLock,
			"held_by", holder, "gives_up_after", opts.LockWait.String())
		wctx, cancel := context.WithTimeout(ctx, opts.LockWait)
		_, err := conn.ExecContext(wctx, `SELECT pg_advisory_lock($1)`, key)
		timedOut := wctx.Err() == context.DeadlineExceeded && ctx.Err() == nil
		cancel()
		if err != nil {
			release()
			if timedOut {
				return nil, fmt.Errorf("another process held the migration lock (%s, key %d) for more than %s (held by %s): "+
					"if no migration is running there, end that session (SELECT pg_terminate_backend(pid)) and start again", migrationLock, key, opts.LockWait, holder)
			}
			return nil, fmt.Errorf("wait for another process's migration (%s): %w", migrationLock, err)
		}
		opts.Log.Info("the other process's migration is over; migrating", "lock", migrationLock)
	}
	return func() {
		uctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = conn.ExecContext(uctx, `SELECT pg_advisory_unlock($1)`, key)
		release()
	}, nil
}

// lockHolder describes the session holding the advisory lock key ("pid
// 4242, application psql, from 10.0.0.7, state active since …"), or
// says it could not tell: it only adds to a message, never fails it.
func lockHolder(ctx context.Context, conn *sql.Conn, key int64) string {
	var pid int
	var app, from, state, since string
	err := conn.QueryRowContext(ctx, `
SELECT a.pid, COALESCE(a.application_name, ''), COALESCE(host(a.client_addr), 'a local socket'),
       COALESCE(a.state, ''), COALESCE(to_char(a.state_change AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '')
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.classid::bigint = ($1::bigint >> 32) & 4294967295
  AND l.objid::bigint = $1::bigint & 4294967295
LIMIT 1`, key).Scan(&pid, &app, &from, &state, &since)
	if err != nil {
		return "a session this user cannot see (pg_locks)"
	}
	desc := fmt.Sprintf("pid %d", pid)
	if app != "" {
		desc += ", application " + app
	}
	desc += ", from " + from
	if state != "" {
		desc += ", " + state + " since " + since
	}
	return desc
}

func (db *DB) migrateRiver(ctx context.Context) error {
	var err error
	if db.Dialect == SQLite {
		m, merr := rivermigrate.New(riversqlite.New(db.DB.DB), nil)
		if merr != nil {
			return merr
		}
		_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	} else {
		m, merr := rivermigrate.New(riverdatabasesql.New(db.DB.DB), nil)
		if merr != nil {
			return merr
		}
		_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	}
	if err != nil {
		return fmt.Errorf("migrate job queue tables: %w", err)
	}
	return nil
}

// Pending reports how many migrations are not applied yet; /readyz is
// false until it is zero. It counts what PendingMigrations names, until
// the count is zero (or Migrate succeeded) once: from then on it answers
// zero without a query, since /readyz asks every few seconds per replica
// and the migrations of a running binary cannot become unapplied.
func (db *DB) Pending(ctx context.Context) (int, error) {
	if db.upToDate.Load() {
		return 0, nil
	}
	pending, err := db.PendingMigrations(ctx)
	if err == nil && len(pending) == 0 {
		db.upToDate.Store(true)
	}
	return len(pending), err
}

// PendingMigrations names the migrations Migrate would apply, changing
// nothing: our numbered files for the dialect not yet recorded in
// schema_migrations (every one of them on a database never migrated), then
// River's job queue tables when they are behind. `switchboard doctor`
// prints them; /readyz waits until there are none.
func (db *DB) PendingMigrations(ctx context.Context) ([]string, error) {
	files, err := fs.Glob(migrationFS, "migrations/"+db.Dialect+"/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	applied := map[int]bool{}
	exists, err := db.tableExists(ctx, "schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	if exists {
		var versions []int
		if err := db.SelectContext(ctx, &versions, `SELECT version FROM schema_migrations`); err != nil {
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
		for _, v := range versions {
			applied[v] = true
		}
	}
	var pending []string
	for _, file := range files {
		name := file[strings.LastIndex(file, "/")+1:]
		version, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", name)
		}
		if !applied[version] {
			pending = append(pending, name)
		}
	}
	river, err := db.riverPending(ctx)
	if err != nil {
		return nil, err
	}
	return append(pending, river...), nil
}

// tableExists reports whether the table is in the database (the current
// schema, for PostgreSQL).
func (db *DB) tableExists(ctx context.Context, table string) (bool, error) {
	query := `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1`
	if db.Dialect == SQLite {
		query = `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
	}
	var n int
	if err := db.GetContext(ctx, &n, query, table); err != nil {
		return false, err
	}
	return n > 0, nil
}

// riverPending names River's job queue migrations when its tables are
// behind (River's own validation, which reads and changes nothing).
func (db *DB) riverPending(ctx context.Context) ([]string, error) {
	var res *rivermigrate.ValidateResult
	var err error
	if db.Dialect == SQLite {
		m, merr := rivermigrate.New(riversqlite.New(db.DB.DB), nil)
		if merr != nil {
			return nil, merr
		}
		res, err = m.Validate(ctx, nil)
	} else {
		m, merr := rivermigrate.New(riverdatabasesql.New(db.DB.DB), nil)
		if merr != nil {
			return nil, merr
		}
		res, err = m.Validate(ctx, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("read job queue migrations: %w", err)
	}
	if res.OK {
		return nil, nil
	}
	return []string{"job queue tables (" + strings.Join(res.Messages, "; ") + ")"}, nil
}

// splitStatements cuts a migration file at semicolons that end a line.
// Our migrations hold no procedural code, so this is enough.
func splitStatements(sql string) []string {
	var out []string
	var cur strings.Builder
	// A statement ends at a line ending in ";", except inside a
	// dollar-quoted PostgreSQL function body or a SQLite trigger's
	// BEGIN … END, whose own statements end in ";" too.
	inDollar := false
	for _, line := range strings.Split(sql, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteString("\n")
		if strings.Count(line, "$$")%2 == 1 {
			inDollar = !inDollar
		}
		inTrigger := strings.HasPrefix(strings.ToUpper(strings.TrimSpace(cur.String())), "CREATE TRIGGER") &&
			!strings.EqualFold(trimmed, "END;")
		if strings.HasSuffix(trimmed, ";") && !inDollar && !inTrigger {
			if s := strings.TrimSpace(cur.String()); s != ";" {
				out = append(out, s)
			}
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}
