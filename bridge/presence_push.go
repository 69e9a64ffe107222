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
