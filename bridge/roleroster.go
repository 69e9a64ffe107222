package bridge

// Role teams (a Discord team with Team.Role) learn who holds their role
// when the gateway may read guild members (the privileged Server Members
// intent): the holders are kept as a roster, in the table Slack's channel
// members use, under the key roleRosterKey(role). Assignment then chooses
// among them as it chooses among a team's members; without that roster
// (no intent) a role team's conversations wait to be claimed, as before.
// Who may act is still decided by the roles each event carries
// (membership.go), so a roster a little behind never lets a former holder
// reply.

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/switchboard/switchboard/bridge/assist"
)

// roleRosterKey is where the holders of a role are kept among the rosters.
func roleRosterKey(role string) string { return "role:" + role }

// RoleHolders is everyone holding a role, as read from the platform in
// one go (Discord: GET /guilds/{id}/members, every page).
type RoleHolders struct {
	Workspace WorkspaceKind
	Role      string
	Holders   []string
}

// MemberRoles is one member's roles after a change (Discord
// GUILD_MEMBER_ADD / GUILD_MEMBER_UPDATE), or their leaving the guild
// (GUILD_MEMBER_REMOVE: Left).
type MemberRoles struct {
	Workspace WorkspaceKind
	UserID    string
	Roles     []string
	Left      bool
}

// RoleInbound is what a workspace adapter that reads role holders calls.
type RoleInbound interface {
	HandleRoleHolders(ctx context.Context, h RoleHolders) error
	HandleMemberRoles(ctx context.Context, m MemberRoles) error
}

var _ RoleInbound = (*Bridge)(nil)

// roleTeams are the teams of workspace ws whose agents hold a role.
func (b *Bridge) roleTeams(ws WorkspaceKind) []Team {
	var out []Team
	for _, name := range teamNameList(b) {
		if t := b.teams[name]; t.Workspace == ws && t.Role != "" {
			out = append(out, t)
		}
	}
	return out
}

func teamNameList(b *Bridge) []string {
	names := make([]string, 0, len(b.teams))
	for n := range b.teams {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// HandleRoleHolders replaces the stored holders of a role some team uses,
// gives back what a former holder held and assigns the team's waiting
// conversations among the holders.
func (b *Bridge) HandleRoleHolders(ctx context.Context, h RoleHolders) error {
	teams := b.roleTeamsOf(h.Workspace, h.Role)
	if len(teams) == 0 {
		return nil
	}
	key := roleRosterKey(h.Role)
	err := b.inTx(ctx, func(tx Tx) error {
		ro, err := tx.ChannelRoster(ctx, h.Workspace, key)
		if err != nil {
			return err
		}
		now := b.now()
		if err := tx.ReplaceChannelRoster(ctx, h.Workspace, key, h.Holders, now, ro.Version); err != nil {
			return err
		}
		for _, t := range teams {
			if err := b.releaseNonHolders(ctx, tx, t, now); err != nil {
				return err
			}
			if err := b.drainQueue(ctx, tx, t.Name, now); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, ErrConflict) {
		b.log.Info("role holders changed while they were read; the events keep them current", "role", h.Role)
		return nil
	}
	return err
}

// HandleMemberRoles records one member gaining, keeping or losing the
// roles of role teams. A member who no longer holds a team's role gives
// its conversations back to the queue; one who gained it may be assigned
// the waiting ones. A role whose holders were never read stays unread:
// one event is not the whole list.
func (b *Bridge) HandleMemberRoles(ctx context.Context, m MemberRoles) error {
	if m.UserID == "" {
		return nil
	}
	byRole := map[string][]Team{}
	for _, t := range b.roleTeams(m.Workspace) {
		byRole[t.Role] = append(byRole[t.Role], t)
	}
	if len(byRole) == 0 {
		return nil
	}
	return b.inTx(ctx, func(tx Tx) error {
		now := b.now()
		for role, teams := range byRole {
			key := roleRosterKey(role)
			ro, err := tx.ChannelRoster(ctx, m.Workspace, key)
			if err != nil {
				return err
			}
			holds := !m.Left && slices.Contains(m.Roles, role)
			if !ro.Loaded || holds == slices.Contains(ro.Members, m.UserID) {
				continue
			}
			if err := tx.SetChannelMember(ctx, m.Workspace, key, m.UserID, holds); err != nil {
				return err
			}
			for _, t := range teams {
				if !holds {
					if err := b.releaseNonHolders(ctx, tx, t, now); err != nil {
						return err
					}
				}
				if err := b.drainQueue(ctx, tx, t.Name, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (b *Bridge) roleTeamsOf(ws WorkspaceKind, role string) []Team {
	var out []Team
	for _, t := range b.roleTeams(ws) {
		if t.Role == role {
			out = append(out, t)
		}
	}
	return out
}

// assignees are the agents assignment may choose from in team t: its
// pinned members, or for a role team whose holders were read, the holders
// (less the excluded). None means conversations wait to be claimed.
func (b *Bridge) assignees(ctx context.Context, tx Tx, t Team) ([]string, error) {
	if len(t.Members) > 0 || t.Role == "" {
		return t.Members, nil
	}
	ro, err := tx.ChannelRoster(ctx, t.Workspace, roleRosterKey(t.Role))
	if err != nil || !ro.Loaded {
		return nil, err
	}
	var out []string
	for _, id := range ro.Members {
		if !contains(t.Exclude, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// releaseNonHolders gives back to the queue the open conversations of a
// role team held by someone the stored holders no longer include (and who
// is neither pinned nor a supervisor).
func (b *Bridge) releaseNonHolders(ctx context.Context, tx Tx, t Team, now time.Time) error {
	ro, err := tx.ChannelRoster(ctx, t.Workspace, roleRosterKey(t.Role))
	if err != nil || !ro.Loaded {
		return err
	}
	convs, err := tx.OpenConversations(ctx, t.Name)
	if err != nil {
		return err
	}
	for _, c := range convs {
		if c.Assignee == "" || c.Assignee == assist.AgentID || c.State != StateAssigned {
			continue // the assistant holds no role
		}
		if slices.Contains(ro.Members, c.Assignee) || contains(t.Members, c.Assignee) || t.isSupervisor(c.Assignee) {
			continue
		}
		if err := b.release(ctx, tx, c, now); err != nil {
			return err
		}
	}
	return nil
}

// rolesHeld are the roles of role teams in ws that the stored rosters say
// user holds, for deciding their standing when no event carries roles (a
// presence change).
func (b *Bridge) rolesHeld(ctx context.Context, tx Tx, ws WorkspaceKind, user string) ([]string, error) {
	var roles []string
	for _, t := range b.roleTeams(ws) {
		if slices.Contains(roles, t.Role) {
			continue
		}
		ro, err := tx.ChannelRoster(ctx, ws, roleRosterKey(t.Role))
		if err != nil {
			return nil, err
		}
		if ro.Loaded && slices.Contains(ro.Members, user) {
			roles = append(roles, t.Role)
		}
	}
	return roles, nil
}
