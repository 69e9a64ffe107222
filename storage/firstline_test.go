package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/storage"
)

// A first-line session starts once per conversation (a second start keeps
// the first), is missing as ErrNotFound for a conversation the assistant
// never held, and keeps its turns, state, reason and end, on both
// databases.
func TestFirstLineSessionsStartOnceAndKeepTheirEnd(t *testing.T) {
	ctx := context.Background()
	now := time.UnixMilli(1_750_000_000_000).UTC()
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		get := func(conv bridge.ConversationID) (bridge.FirstLineSession, error) {
			var s bridge.FirstLineSession
			err := store.InTx(ctx, func(tx bridge.Tx) error {
				var err error
				s, err = tx.Session(ctx, conv)
				return err
			})
			return s, err
		}
		_, err := get(42)
		require.ErrorIs(t, err, bridge.ErrNotFound)

		start := bridge.FirstLineSession{ConversationID: 42, Team: "support", State: bridge.SessionActive, StartedAt: now}
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error { return tx.StartSession(ctx, start) }))
		again := start
		again.Team, again.StartedAt = "sales", now.Add(time.Hour)
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error { return tx.StartSession(ctx, again) }))
		s, err := get(42)
		require.NoError(t, err)
		require.Equal(t, start, s, "the second start changed nothing")

		s.Turns, s.State, s.Reason, s.EndedAt = 2, bridge.SessionHandedOver, assist.HandOverLowConfidence, now.Add(time.Minute)
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error { return tx.SaveSession(ctx, s) }))
		got, err := get(42)
		require.NoError(t, err)
		require.Equal(t, s, got)

		err = store.InTx(ctx, func(tx bridge.Tx) error {
			return tx.SaveSession(ctx, bridge.FirstLineSession{ConversationID: 7, State: bridge.SessionResolved})
		})
		require.ErrorIs(t, err, bridge.ErrNotFound, "saving a session that never started")
	})
}
