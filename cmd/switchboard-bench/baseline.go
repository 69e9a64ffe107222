package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchboard/switchboard/storage"
)

// baselineClients is how many clients commit at once, as in the issue's
// pgbench figure (16 clients, fsync on).
const baselineClients = 16

// baseline is the raw commit rate of the database, measured in the same
// run as switchboard: baselineClients clients each committing single-row
// INSERT transactions as fast as they can for p.baselineFor, on a fresh
// database opened with storage.Open (the product's driver, pool and, for
// SQLite, pragmas: one writer, WAL, synchronous NORMAL). Nothing else is
// in the way: no HTTP, no lookups, no lanes, no platform calls. It
// returns commits per second.
func baseline(dialect string, p params) (float64, error) {
	ctx := context.Background()
	dbase, err := freshDatabase(dialect, p.pgURL, "sbbaseline_")
	if err != nil {
		return 0, err
	}
	defer dbase.drop()
	db, err := storage.Open(ctx, dbase.url, baselineClients)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	idType := "BIGSERIAL PRIMARY KEY"
	if dialect == storage.SQLite {
		idType = "INTEGER PRIMARY KEY"
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE bl_rows (id `+idType+`, client BIGINT NOT NULL, body TEXT NOT NULL, created_ms BIGINT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("baseline schema: %w", err)
	}
	insert := db.Rebind(`INSERT INTO bl_rows (client, body, created_ms) VALUES (?, ?, ?)`)
	body := strings.Repeat("x", 100) // pgbench's history rows are about this size

	var n atomic.Int64
	var firstErr error
	var once sync.Once
	stop := time.Now().Add(p.baselineFor)
	start := time.Now()
	var wg sync.WaitGroup
	for c := range baselineClients {
		wg.Go(func() {
			for time.Now().Before(stop) {
				// An explicit transaction, as pgbench's BEGIN … END: one
				// commit, hence one flush, per row.
				err := func() error {
					tx, err := db.BeginTxx(ctx, nil)
					if err != nil {
						return err
					}
					defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
					if _, err := tx.ExecContext(ctx, insert, c, body, time.Now().UnixMilli()); err != nil {
						return err
					}
					return tx.Commit()
				}()
				if err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				n.Add(1)
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return 0, fmt.Errorf("baseline insert: %w", firstErr)
	}
	return float64(n.Load()) / time.Since(start).Seconds(), nil
}
