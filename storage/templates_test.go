package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/templates"
	"github.com/switchboard/switchboard/storage"
)

// A sync replaces an account's list: new templates are stored with their
// components, status changes are reported, and templates gone from Meta's
// list are kept as deleted; status webhooks then move one template.
func TestTemplatesSyncAndStatusChanges(t *testing.T) {
	ctx := context.Background()
	at := time.UnixMilli(1_750_000_000_000).UTC()
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		do := func(fn func(tx bridge.Tx) error) { t.Helper(); require.NoError(t, store.InTx(ctx, fn)) }
		body := []templates.Component{{Type: "BODY", Text: "Hola {{1}}"}}
		hello := func(lang string, status templates.Status) templates.Template {
			return templates.Template{ID: "id-" + lang, Name: "hello", Language: lang, Category: "UTILITY", Status: status, Components: body}
		}
		var changed []templates.Template
		do(func(tx bridge.Tx) (err error) {
			changed, err = tx.ReplaceTemplates(ctx, "W1", []templates.Template{hello("es", templates.StatusApproved), hello("en", templates.StatusRejected)}, at)
			return err
		})
		require.Len(t, changed, 1, "a new approved template is no news; a new rejected one is")
		require.Equal(t, "en", changed[0].Language)

		var list []templates.Template
		do(func(tx bridge.Tx) (err error) { list, err = tx.Templates(ctx, "W1"); return err })
		require.Len(t, list, 2)
		require.Equal(t, "en", list[0].Language, "ordered by name then language")
		require.Equal(t, body, list[1].Components)
		require.Equal(t, "W1", list[1].Account)

		do(func(tx bridge.Tx) (err error) {
			changed, err = tx.ReplaceTemplates(ctx, "W1", []templates.Template{hello("es", templates.StatusPaused)}, at.Add(time.Hour))
			return err
		})
		require.Len(t, changed, 2)
		var es, en templates.Template
		do(func(tx bridge.Tx) (err error) {
			if es, err = tx.Template(ctx, "W1", "hello", "es"); err != nil {
				return err
			}
			en, err = tx.Template(ctx, "W1", "hello", "en")
			return err
		})
		require.Equal(t, templates.StatusPaused, es.Status)
		require.Equal(t, templates.StatusDeleted, en.Status, "gone from Meta's list")

		var got templates.Template
		var moved bool
		do(func(tx bridge.Tx) (err error) {
			got, moved, err = tx.SetTemplateStatus(ctx, "W1", "id-es", "", "", templates.StatusApproved, "", at.Add(2*time.Hour))
			return err
		})
		require.True(t, moved)
		require.Equal(t, "hello", got.Name)
		do(func(tx bridge.Tx) (err error) {
			_, moved, err = tx.SetTemplateStatus(ctx, "W1", "id-es", "", "", templates.StatusApproved, "", at.Add(3*time.Hour))
			return err
		})
		require.False(t, moved, "a repeated webhook changes nothing")
		err := store.InTx(ctx, func(tx bridge.Tx) error {
			_, _, err := tx.SetTemplateStatus(ctx, "W1", "nope", "nope", "es", templates.StatusApproved, "", at)
			return err
		})
		require.ErrorIs(t, err, bridge.ErrNotFound)
		do(func(tx bridge.Tx) error { return tx.SetTemplateCategory(ctx, "W1", "id-es", "MARKETING", at) })
		do(func(tx bridge.Tx) (err error) { es, err = tx.Template(ctx, "W1", "hello", "es"); return err })
		require.Equal(t, "MARKETING", es.Category)
	})
}

// Two transactions making the same status change at once (two replicas
// syncing, a sync racing a webhook) report it once: the second waits on
// the first's row lock and then finds nothing left to change. PostgreSQL
// only: SQLite runs one writing transaction at a time.
func TestTemplateStatusChangeIsReportedOnce(t *testing.T) {
	ctx := context.Background()
	at := time.UnixMilli(1_750_000_000_000).UTC()
	eachDialect(t, func(t *testing.T, store *storage.Store, db *storage.DB) {
		hello := templates.Template{ID: "1", Name: "hello", Language: "es", Status: templates.StatusApproved,
			Components: []templates.Component{{Type: "BODY", Text: "Hola"}}}
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
			_, err := tx.ReplaceTemplates(ctx, "W1", []templates.Template{hello}, at)
			return err
		}))
		paused := hello
		paused.Status = templates.StatusPaused
		if db.Dialect != storage.Postgres {
			reported := 0
			for range 2 {
				var changed []templates.Template
				require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) (err error) {
					changed, err = tx.ReplaceTemplates(ctx, "W1", []templates.Template{paused}, at)
					return err
				}))
				reported += len(changed)
			}
			require.Equal(t, 1, reported, "the second sync finds nothing to change")
			return
		}
		firstMoved := make(chan struct{})
		release := make(chan struct{})
		firstDone := make(chan []templates.Template, 1)
		go func() {
			var changed []templates.Template
			err := store.InTx(ctx, func(tx bridge.Tx) (err error) {
				changed, err = tx.ReplaceTemplates(ctx, "W1", []templates.Template{paused}, at)
				close(firstMoved)
				<-release
				return err
			})
			if err != nil {
				changed = nil
			}
			firstDone <- changed
		}()
		<-firstMoved
		secondDone := make(chan bool, 1)
		go func() {
			var moved bool
			err := store.InTx(ctx, func(tx bridge.Tx) (err error) {
				_, moved, err = tx.SetTemplateStatus(ctx, "W1", "1", "", "", templates.StatusPaused, "", at)
				return err
			})
			secondDone <- err == nil && moved
		}()
		// Let the first commit only once the second waits on its lock.
		require.Eventually(t, func() bool {
			var waiting int
			err := db.GetContext(ctx, &waiting, `SELECT COUNT(*) FROM pg_stat_activity
				WHERE datname = current_database() AND wait_event_type = 'Lock'`)
			return err == nil && waiting > 0
		}, 10*time.Second, 5*time.Millisecond)
		close(release)
		require.Len(t, <-firstDone, 1, "the first transaction made the change")
		require.False(t, <-secondDone, "the second finds it made")
	})
}

func TestTemplateSyncState(t *testing.T) {
	ctx := context.Background()
	at := time.UnixMilli(1_750_000_000_000).UTC()
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		var s bridge.TemplateSync
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) (err error) { s, err = tx.TemplateSyncState(ctx, "W1"); return err }))
		require.Equal(t, bridge.TemplateSync{Account: "W1"}, s, "never tried")

		failed := bridge.TemplateSync{Account: "W1", AttemptedAt: at, Failures: 2, LastError: "graph down"}
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error { return tx.RecordTemplateSync(ctx, failed) }))
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) (err error) { s, err = tx.TemplateSyncState(ctx, "W1"); return err }))
		require.Equal(t, failed, s)

		ok := bridge.TemplateSync{Account: "W1", SyncedAt: at.Add(time.Minute), AttemptedAt: at.Add(time.Minute)}
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error { return tx.RecordTemplateSync(ctx, ok) }))
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) (err error) { s, err = tx.TemplateSyncState(ctx, "W1"); return err }))
		require.Equal(t, ok, s)
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) (err error) { s, err = tx.TemplateSyncState(ctx, "W2"); return err }))
		require.True(t, s.SyncedAt.IsZero(), "accounts are apart")
	})
}
