package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/storage"
)

// A channel's roster is unknown until its full list is stored; joins and
// leaves then keep it current, and a new full list replaces it.
func TestChannelRosterIsUnknownUntilRead(t *testing.T) {
	ctx := context.Background()
	at := time.UnixMilli(1_750_000_000_000).UTC()
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		roster := func() bridge.Roster {
			var ro bridge.Roster
			require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
				var err error
				ro, err = tx.ChannelRoster(ctx, bridge.WorkspaceSlack, "C1")
				return err
			}))
			return ro
		}
		do := func(fn func(tx bridge.Tx) error) { require.NoError(t, store.InTx(ctx, fn)) }

		require.False(t, roster().Loaded, "never read")
		do(func(tx bridge.Tx) error { return tx.SetChannelMember(ctx, bridge.WorkspaceSlack, "C1", "U9", true) })
		require.False(t, roster().Loaded, "a join alone does not make the list known")

		do(func(tx bridge.Tx) error {
			return tx.ReplaceChannelRoster(ctx, bridge.WorkspaceSlack, "C1", []string{"U2", "U1", "U2"}, at, 0)
		})
		ro := roster()
		require.True(t, ro.Loaded)
		require.Equal(t, at, ro.LoadedAt.UTC())
		require.Equal(t, []string{"U1", "U2"}, ro.Members, "the full list replaces what was there")

		do(func(tx bridge.Tx) error { return tx.SetChannelMember(ctx, bridge.WorkspaceSlack, "C1", "U3", true) })
		do(func(tx bridge.Tx) error { return tx.SetChannelMember(ctx, bridge.WorkspaceSlack, "C1", "U3", true) })
		do(func(tx bridge.Tx) error { return tx.SetChannelMember(ctx, bridge.WorkspaceSlack, "C1", "U1", false) })
		require.Equal(t, []string{"U2", "U3"}, roster().Members)

		// A refresh that read the platform's list before U2 left must not
		// bring U2 back: the leave moved the version on.
		seen := roster().Version
		do(func(tx bridge.Tx) error { return tx.SetChannelMember(ctx, bridge.WorkspaceSlack, "C1", "U2", false) })
		err := store.InTx(ctx, func(tx bridge.Tx) error {
			return tx.ReplaceChannelRoster(ctx, bridge.WorkspaceSlack, "C1", []string{"U2", "U3"}, at.Add(time.Minute), seen)
		})
		require.ErrorIs(t, err, bridge.ErrConflict)
		require.Equal(t, []string{"U3"}, roster().Members, "the leave recorded during the read stands")
		require.Equal(t, at, roster().LoadedAt.UTC(), "the stale list was not stored")
		seen = roster().Version
		do(func(tx bridge.Tx) error {
			return tx.ReplaceChannelRoster(ctx, bridge.WorkspaceSlack, "C1", []string{"U3", "U4"}, at.Add(2*time.Minute), seen)
		})
		require.Equal(t, []string{"U3", "U4"}, roster().Members, "a read after the leave is stored")

		do(func(tx bridge.Tx) error {
			ro, err := tx.ChannelRoster(ctx, bridge.WorkspaceDiscord, "C1")
			require.False(t, ro.Loaded, "rosters are per workspace")
			require.Empty(t, ro.Members)
			return err
		})
	})
}
