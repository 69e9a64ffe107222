package bridge

import (
	"context"
	"slices"
)

// PresenceChange is a workspace telling that a user came online or went
// away (Discord PRESENCE_UPDATE with the Presence intent): the push
// counterpart of polling a PresenceReader (presence.go).
type PresenceChange struct {
	Workspace WorkspaceKind
	UserID    string
	Active    bool
}

// PresenceInbound is what a workspace adapter that is told presences calls.
type PresenceInbound interface {
	HandlePresence(ctx context.Context, p PresenceChange) error
	// HandlePresenceSnapshot records everyone's presence at once (a new
	// gateway session lists who is online: Discord's GUILD_CREATE);
	// agents left out are offline.
	HandlePresenceSnapshot(ctx context.Context, ws WorkspaceKind, active map[string]bool) error
}

var _ PresenceInbound = (*Bridge)(nil)

// HandlePresence records an agent's presence as their availability, as
// PollPresence does for Slack: a manual choice (/available, /away) wins
// until the agent says auto; coming online lets assignment give them the
// waiting conversations of their teams. Presences of people who are no
// agent of a team in that workspace are ignored (a guild tells the bot
// about everyone).
func (b *Bridge) HandlePresence(ctx context.Context, p PresenceChange) error {
	if p.UserID == "" {
		return nil
	}
	var roles []string
	agent := false
	for _, t := range b.teams {
		if t.Workspace == p.Workspace && (contains(t.Members, p.UserID) || t.isSupervisor(p.UserID)) {
			agent = true
		}
	}
	if !agent {
		if len(b.roleTeams(p.Workspace)) == 0 {
			return nil // a guild tells the bot about everyone: no read for them
		}
		if err := b.store.InTx(ctx, func(tx Tx) error {
			var err error
			roles, err = b.rolesHeld(ctx, tx, p.Workspace, p.UserID)
			return err
		}); err != nil {
			return err
		}
		if len(roles) == 0 {
			return nil
		}
	}
	if err := b.recordPresence(ctx, p.Workspace, p.UserID, p.Active); err != nil || !p.Active || len(roles) == 0 {
		return err
	}
	// recordPresence drains the teams the user is an agent of by the
	// config's lists; role teams need the roles the rosters hold.
	return b.inTx(ctx, func(tx Tx) error {
		for _, t := range b.roleTeams(p.Workspace) {
			if !slices.Contains(roles, t.Role) {
				continue
			}
			if err := b.drainQueue(ctx, tx, t.Name, b.now()); err != nil {
				return err
			}
		}
		return nil
	})
}

// HandlePresenceSnapshot applies a full list of presences: every agent of
// the workspace's teams (members, and role holders as stored) is
// available when active says so and away otherwise, so an agent who went
// offline while no gateway was connected is not left available.
func (b *Bridge) HandlePresenceSnapshot(ctx context.Context, ws WorkspaceKind, active map[string]bool) error {
	agents := map[string]bool{}
	for _, t := range b.teams {
		if t.Workspace != ws {
			continue
		}
		for _, id := range t.Members {
			agents[id] = true
		}
	}
	if err := b.store.InTx(ctx, func(tx Tx) error {
		for _, t := range b.roleTeams(ws) {
			ro, err := tx.ChannelRoster(ctx, ws, roleRosterKey(t.Role))
			if err != nil {
				return err
			}
			for _, id := range ro.Members {
				agents[id] = true
			}
		}
		return nil
	}); err != nil {
		return err
	}
	ids := make([]string, 0, len(agents))
	for id := range agents {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := b.HandlePresence(ctx, PresenceChange{Workspace: ws, UserID: id, Active: active[id]}); err != nil {
			return err
		}
	}
	return nil
}
