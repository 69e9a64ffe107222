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
