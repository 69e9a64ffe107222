package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/canned"
	"github.com/switchboard/switchboard/storage"
)

// The config's responses are written at start-up over chat ones with the
// same key, config ones dropped from the file disappear, chat ones stay;
// a team lists its own and the global ones.
func TestCannedResponses(t *testing.T) {
	ctx := context.Background()
	at := time.UnixMilli(1_750_000_000_000).UTC()
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		do := func(fn func(tx bridge.Tx) error) { t.Helper(); require.NoError(t, store.InTx(ctx, fn)) }
		r := func(team, name, lang, body string) canned.Response {
			return canned.Response{Team: team, Name: name, Language: lang, Body: body}
		}
		do(func(tx bridge.Tx) error {
			return tx.SaveCanned(ctx, canned.Response{Team: "support", Name: "refund", Language: "es", Body: "chat text",
				Source: canned.SourceChat, UpdatedBy: "U1", UpdatedAt: at})
		})
		do(func(tx bridge.Tx) error {
			return tx.SaveCanned(ctx, canned.Response{Team: "support", Name: "kept", Language: "", Body: "chat only",
				Source: canned.SourceChat, UpdatedBy: "U1", UpdatedAt: at})
		})
		do(func(tx bridge.Tx) error {
			return tx.ReplaceConfigCanned(ctx, []canned.Response{
				r("support", "refund", "es", "config text"), r("", "hello", "en", "Hi"), r("", "hello", "es", "Hola"),
				r("sales", "deal", "", "Deal"), r("support", "old", "en", "old"),
			}, at)
		})
		var got canned.Response
		do(func(tx bridge.Tx) (err error) {
			got, err = tx.CannedResponse(ctx, "support", "refund", "es")
			return err
		})
		require.Equal(t, "config text", got.Body, "the config wins at start-up")
		require.Equal(t, canned.SourceConfig, got.Source)
		require.Empty(t, got.UpdatedBy)
		require.Equal(t, at, got.UpdatedAt)

		do(func(tx bridge.Tx) error {
			return tx.ReplaceConfigCanned(ctx, []canned.Response{
				r("support", "refund", "es", "config text"), r("", "hello", "en", "Hi"), r("", "hello", "es", "Hola"), r("sales", "deal", "", "Deal"),
			}, at.Add(time.Hour))
		})
		var list []canned.Response
		do(func(tx bridge.Tx) (err error) { list, err = tx.CannedResponses(ctx, "support"); return err })
		var keys []string
		for _, c := range list {
			keys = append(keys, c.Key())
		}
		require.Equal(t, []string{"/hello@en", "/hello@es", "support/kept@", "support/refund@es"}, keys,
			"the team's and the global ones by name and language; another team's and the dropped config one are not listed")
		require.Equal(t, at.Add(time.Hour), list[0].UpdatedAt)

		do(func(tx bridge.Tx) (err error) { list, err = tx.CannedResponses(ctx, ""); return err })
		require.Len(t, list, 2, "global ones only")

		var deleted bool
		do(func(tx bridge.Tx) (err error) { deleted, err = tx.DeleteCanned(ctx, "support", "kept", ""); return err })
		require.True(t, deleted)
		do(func(tx bridge.Tx) (err error) { deleted, err = tx.DeleteCanned(ctx, "support", "kept", ""); return err })
		require.False(t, deleted)
		do(func(tx bridge.Tx) error {
			_, err := tx.CannedResponse(ctx, "support", "kept", "")
			require.ErrorIs(t, err, bridge.ErrNotFound)
			return nil
		})
	})
}
