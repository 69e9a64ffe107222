package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/switchboard/switchboard/bridge"
)

const (
	rosterLoadedSQL  = `SELECT loaded_ms, version FROM channel_rosters WHERE workspace = ? AND channel_id = ?`
	bumpRosterSQL    = `UPDATE channel_rosters SET version = version + 1 WHERE workspace = ? AND channel_id = ?`
	claimRosterSQL   = `UPDATE channel_rosters SET version = version + 1 WHERE workspace = ? AND channel_id = ? AND version = ?`
	rosterMembersSQL = `SELECT user_id FROM channel_members WHERE workspace = ? AND channel_id = ? ORDER BY user_id`
	upsertRosterSQL  = `INSERT INTO channel_rosters (workspace, channel_id, loaded_ms) VALUES (?, ?, ?)
ON CONFLICT (workspace, channel_id) DO UPDATE SET loaded_ms = excluded.loaded_ms`
	clearMembersSQL = `DELETE FROM channel_members WHERE workspace = ? AND channel_id = ?`
	addMemberSQL    = `INSERT INTO channel_members (workspace, channel_id, user_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`
	removeMemberSQL = `DELETE FROM channel_members WHERE workspace = ? AND channel_id = ? AND user_id = ?`
	forgetRosterSQL = `DELETE FROM channel_rosters WHERE workspace = ? AND channel_id = ?`
)

func (r *txRepo) ChannelRoster(ctx context.Context, ws bridge.WorkspaceKind, channel string) (bridge.Roster, error) {
	var ro bridge.Roster
	var row struct {
		LoadedMs int64 `db:"loaded_ms"`
		Version  int64 `db:"version"`
	}
	err := r.get(ctx, &row, rosterLoadedSQL, string(ws), channel)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return ro, fmt.Errorf("roster of %s: %w", channel, err)
	default:
		ro.Loaded, ro.LoadedAt, ro.Version = true, fromMs(row.LoadedMs), row.Version
	}
	if err := r.sel(ctx, &ro.Members, rosterMembersSQL, string(ws), channel); err != nil {
		return ro, fmt.Errorf("members of %s: %w", channel, err)
	}
	return ro, nil
}

// ReplaceChannelRoster rewrites the channel's member list, unless a join
// or leave was recorded since the roster was at version seen
// (bridge.ErrConflict). Concurrent replicas refreshing the same channel
// both write the same list; the primary keys keep it free of duplicates.
func (r *txRepo) ReplaceChannelRoster(ctx context.Context, ws bridge.WorkspaceKind, channel string, members []string, at time.Time, seen int64) error {
	res, err := r.exec(ctx, claimRosterSQL, string(ws), channel, seen)
	if err != nil {
		return fmt.Errorf("roster of %s: %w", channel, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("roster of %s: %w", channel, err)
	} else if n == 0 {
		// No row at that version: the roster moved on, or was never read.
		if ro, err := r.ChannelRoster(ctx, ws, channel); err != nil {
			return err
		} else if ro.Loaded {
			return fmt.Errorf("roster of %s changed while it was read: %w", channel, bridge.ErrConflict)
		}
	}
	if _, err := r.exec(ctx, clearMembersSQL, string(ws), channel); err != nil {
		return fmt.Errorf("clear members of %s: %w", channel, err)
	}
	members = slices.Clone(members)
	slices.Sort(members)
	for _, u := range slices.Compact(members) {
		if _, err := r.exec(ctx, addMemberSQL, string(ws), channel, u); err != nil {
			return fmt.Errorf("add member of %s: %w", channel, err)
		}
	}
	if _, err := r.exec(ctx, upsertRosterSQL, string(ws), channel, toMs(at)); err != nil {
		return fmt.Errorf("roster of %s: %w", channel, err)
	}
	return nil
}

func (r *txRepo) SetChannelMember(ctx context.Context, ws bridge.WorkspaceKind, channel, user string, member bool) error {
	query := removeMemberSQL
	if member {
		query = addMemberSQL
	}
	if _, err := r.exec(ctx, query, string(ws), channel, user); err != nil {
		return fmt.Errorf("channel member of %s: %w", channel, err)
	}
	if _, err := r.exec(ctx, bumpRosterSQL, string(ws), channel); err != nil {
		return fmt.Errorf("roster of %s: %w", channel, err)
	}
	return nil
}

// ForgetChannelRoster makes the channel's member list unknown again (its
// members stay stored for when it is read next).
func (r *txRepo) ForgetChannelRoster(ctx context.Context, ws bridge.WorkspaceKind, channel string) error {
	if _, err := r.exec(ctx, forgetRosterSQL, string(ws), channel); err != nil {
		return fmt.Errorf("forget roster of %s: %w", channel, err)
	}
	return nil
}
