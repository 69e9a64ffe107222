package discord

import (
	"context"
	"slices"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/bridge"
)

// Parity holds what brings a Discord team to a Slack team's level beyond
// messages and buttons: availability from presence, role holders as
// agents for assignment, and the choices /metrics offers.
type Parity struct {
	// Presence asks for the privileged Presence intent (discord.presence;
	// it must be enabled in the Developer Portal, or Discord refuses the
	// connection): PRESENCE_UPDATE then sets agents available (online) or
	// away (idle, do not disturb, offline), as Slack's presence does.
	Presence bool
	// Members asks for the privileged Server Members intent
	// (discord.members): the holders of Roles are read at every new
	// session (GET /guilds/{id}/members) and kept current by
	// GUILD_MEMBER_ADD/UPDATE/REMOVE, so role teams are assigned like
	// teams with members.
	Members bool
	// Roles are the roles of role teams (configs discord_role).
	Roles []string
	// MetricsTeams, MetricsInboxes (of every customer channel) and
	// MetricsChannels are offered as choices of /metrics.
	MetricsTeams    []string
	MetricsInboxes  []MetricsChoice
	MetricsChannels []MetricsChoice
}

// privilegedIntents are the optional intents Parity asks for.
func (g *Gateway) privilegedIntents() discordgo.Intent {
	var in discordgo.Intent
	if g.Presence {
		in |= discordgo.IntentsGuildPresences
	}
	if g.Members {
		in |= discordgo.IntentsGuildMembers
	}
	return in
}

// addParityHandlers registers the presence and member handlers.
func (g *Gateway) addParityHandlers(s *discordgo.Session) {
	s.AddHandler(g.onPresenceUpdate)
	s.AddHandler(g.onGuildCreate)
	s.AddHandler(g.onMemberAdd)
	s.AddHandler(g.onMemberUpdate)
	s.AddHandler(g.onMemberRemove)
}

// ourGuild reports whether events of guild concern us.
func (g *Gateway) ourGuild(guild string) bool {
	return len(g.GuildIDs) == 0 || slices.Contains(g.GuildIDs, guild)
}

func (g *Gateway) onPresenceUpdate(s *discordgo.Session, p *discordgo.PresenceUpdate) {
	if g.Presence && p.User != nil && g.ourGuild(p.GuildID) {
		g.presence(p.User.ID, p.Status)
	}
}

// presence hands one presence to the bridge. Online is available; idle
// (away from the keyboard for a while), do not disturb and offline are
// away, like Slack's "away".
func (g *Gateway) presence(user string, status discordgo.Status) {
	in, ok := g.Inbound.(bridge.PresenceInbound)
	if !ok || user == "" || user == g.BotUserID {
		return
	}
	change := bridge.PresenceChange{Workspace: bridge.WorkspaceDiscord, UserID: user, Active: status == discordgo.StatusOnline}
	if err := g.deliver("presence of "+user, 3, func(ctx context.Context) error { return in.HandlePresence(ctx, change) }); err != nil {
		g.Log.Warn("discord presence not recorded", "user", user, "status", status, "err", err)
	}
}

// presenceSnapshot hands the presences GUILD_CREATE lists to the bridge:
// Discord leaves offline members out, so agents missing are offline.
func (g *Gateway) presenceSnapshot(list []*discordgo.Presence) {
	in, ok := g.Inbound.(bridge.PresenceInbound)
	if !ok {
		return
	}
	active := map[string]bool{}
	for _, p := range list {
		if p != nil && p.User != nil {
			active[p.User.ID] = p.Status == discordgo.StatusOnline
		}
	}
	if err := g.deliver("presences", 3, func(ctx context.Context) error {
		return in.HandlePresenceSnapshot(ctx, bridge.WorkspaceDiscord, active)
	}); err != nil {
		g.Log.Warn("discord presences not recorded", "err", err)
	}
}

// onGuildCreate follows READY for each guild: with the Presence intent it
// lists who is online; with the Members intent the role holders are read.
func (g *Gateway) onGuildCreate(s *discordgo.Session, gc *discordgo.GuildCreate) {
	if gc.Guild == nil || !g.ourGuild(gc.ID) {
		return
	}
	if g.Presence {
		g.presenceSnapshot(gc.Presences)
	}
	if g.Members && len(g.Roles) > 0 {
		g.wg.Add(1)
		go func() {
			defer g.wg.Done()
			g.readRoleHolders(s, gc.ID)
		}()
	}
}

// memberPage is how many members one GET /guilds/{id}/members returns at
// most (Discord's limit).
const memberPage = 1000

// readRoleHolders lists the guild's members, every page, and hands the
// holders of each role of Roles to the bridge.
func (g *Gateway) readRoleHolders(s *discordgo.Session, guild string) {
	in, ok := g.Inbound.(bridge.RoleInbound)
	if !ok {
		return
	}
	holders := map[string][]string{}
	for _, r := range g.Roles {
		holders[r] = []string{}
	}
	after := ""
	for {
		page, err := s.GuildMembers(guild, after, memberPage, discordgo.WithContext(g.ctx))
		if err != nil {
			// 403 Missing Access: the Server Members intent is off in the
			// Developer Portal. Role teams then wait to be claimed.
			g.Log.Error("discord role holders not read; role teams wait to be claimed (enable the Server Members intent, see docs/setup-discord.md)",
				"guild", guild, "err", safeErr(err))
			return
		}
		for _, m := range page {
			if m == nil || m.User == nil || m.User.Bot {
				continue
			}
			for _, r := range m.Roles {
				if _, ok := holders[r]; ok {
					holders[r] = append(holders[r], m.User.ID)
				}
			}
			after = m.User.ID
		}
		if len(page) < memberPage {
			break
		}
	}
	for role, ids := range holders {
		h := bridge.RoleHolders{Workspace: bridge.WorkspaceDiscord, Role: role, Holders: ids}
		if err := g.deliver("holders of role "+role, 3, func(ctx context.Context) error { return in.HandleRoleHolders(ctx, h) }); err != nil {
			g.Log.Error("discord role holders not stored", "role", role, "err", err)
		}
	}
	g.Log.Info("discord role holders read", "guild", guild, "roles", len(holders))
}

func (g *Gateway) onMemberAdd(s *discordgo.Session, m *discordgo.GuildMemberAdd) {
	g.memberRoles(m.Member, false)
}

func (g *Gateway) onMemberUpdate(s *discordgo.Session, m *discordgo.GuildMemberUpdate) {
	g.memberRoles(m.Member, false)
}

func (g *Gateway) onMemberRemove(s *discordgo.Session, m *discordgo.GuildMemberRemove) {
	g.memberRoles(m.Member, true)
}

// memberRoles hands a member's roles after a change to the bridge.
func (g *Gateway) memberRoles(m *discordgo.Member, left bool) {
	in, ok := g.Inbound.(bridge.RoleInbound)
	if !g.Members || !ok || m == nil || m.User == nil || m.User.Bot || !g.ourGuild(m.GuildID) {
		return
	}
	change := bridge.MemberRoles{Workspace: bridge.WorkspaceDiscord, UserID: m.User.ID, Roles: m.Roles, Left: left}
	if err := g.deliver("roles of "+m.User.ID, 3, func(ctx context.Context) error { return in.HandleMemberRoles(ctx, change) }); err != nil {
		g.Log.Error("discord member roles not recorded", "user", m.User.ID, "err", err)
	}
}
