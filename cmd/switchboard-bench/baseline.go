package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchboard/switchboard/storage"
)

// The baseline commits, for each message, the rows switchboard writes for
// an inbound message (the message, its delivery, its job and its event),
// as plain inserts in one transaction per message, with the same driver,
// connection settings and durability (storage.Open's pragmas for SQLite,
// the server's settings for PostgreSQL). Nothing else is in the way: no
// HTTP, no lookups, no lanes, no platform calls.
var baselineSchema = []string{
	`CREATE TABLE bl_messages (id {id}, conversation_id BIGINT NOT NULL, external_id TEXT NOT NULL UNIQUE,
		body TEXT NOT NULL, payload TEXT NOT NULL, created_at BIGINT NOT NULL)`,
	`CREATE TABLE bl_deliveries (id {id}, conversation_id BIGINT NOT NULL, lane TEXT NOT NULL, kind TEXT NOT NULL,
		message_id BIGINT NOT NULL, sort_key BIGINT NOT NULL, not_before BIGINT NOT NULL, state TEXT NOT NULL, created_at BIGINT NOT NULL)`,
	`CREATE INDEX bl_deliveries_lane ON bl_deliveries (lane, state, sort_key, id)`,
	`CREATE TABLE bl_jobs (id {id}, kind TEXT NOT NULL, args TEXT NOT NULL, state TEXT NOT NULL,
		scheduled_at BIGINT NOT NULL, created_at BIGINT NOT NULL)`,
	`CREATE INDEX bl_jobs_fetch ON bl_jobs (state, scheduled_at, id)`,
	`CREATE TABLE bl_events (id {id}, conversation_id BIGINT NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL, at BIGINT NOT NULL)`,
}

// baseline returns the messages per second the database commits that way
// with `workers` concurrent writers during d.
func baseline(dialect string, p params) (float64, error) {
	ctx := context.Background()
	dbase, err := freshDatabase(dialect, p.pgURL, "sbbaseline_")
	if err != nil {
		return 0, err
	}
	defer dbase.drop()
	db, err := storage.Open(ctx, dbase.url, 20)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	idType := "BIGSERIAL PRIMARY KEY"
	if dialect == storage.SQLite {
		idType = "INTEGER PRIMARY KEY"
	}
	for _, stmt := range baselineSchema {
		if _, err := db.ExecContext(ctx, strings.ReplaceAll(stmt, "{id}", idType)); err != nil {
			return 0, fmt.Errorf("baseline schema: %w", err)
		}
	}
	insMsg := db.Rebind(`INSERT INTO bl_messages (conversation_id, external_id, body, payload, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`)
	insDel := db.Rebind(`INSERT INTO bl_deliveries (conversation_id, lane, kind, message_id, sort_key, not_before, state, created_at) VALUES (?, ?, 'post_inbound', ?, ?, ?, 'queued', ?)`)
	insJob := db.Rebind(`INSERT INTO bl_jobs (kind, args, state, scheduled_at, created_at) VALUES ('switchboard_deliver', ?, 'available', ?, ?)`)
	insEv := db.Rebind(`INSERT INTO bl_events (conversation_id, kind, data, at) VALUES (?, 'received', 'text', ?)`)
	payload := strings.Repeat("x", 420) // about the size of a stored inbound text message's JSON

	var n atomic.Int64
	var firstErr error
	var once sync.Once
	stop := time.Now().Add(p.baselineFor)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range p.workers {
		wg.Go(func() {
			for i := 0; time.Now().Before(stop); i++ {
				conv := int64((w*7919 + i) % max(p.conversations, 1))
				now := time.Now().UnixMilli()
				err := func() error {
					tx, err := db.BeginTxx(ctx, nil)
					if err != nil {
						return err
					}
					defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
					var id int64
					if err := tx.GetContext(ctx, &id, insMsg, conv, fmt.Sprintf("wamid.bl.%d.%d", w, i),
						"hello, is my order on its way?", payload, now); err != nil {
						return err
					}
					lane := fmt.Sprintf("c%d:workspace", conv)
					if _, err := tx.ExecContext(ctx, insDel, conv, lane, id, now, now, now); err != nil {
						return err
					}
					args, _ := json.Marshal(map[string]any{"delivery_id": id, "lane": lane})
					if _, err := tx.ExecContext(ctx, insJob, string(args), now, now); err != nil {
						return err
					}
					if _, err := tx.ExecContext(ctx, insEv, conv, now); err != nil {
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
