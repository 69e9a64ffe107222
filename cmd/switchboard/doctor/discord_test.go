package doctor

import (
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/stretchr/testify/require"
)

func TestChannelPermissionsFollowDiscordsOrder(t *testing.T) {
	t.Parallel()
	const (
		guild   = "1"
		botRole = "2"
		other   = "3"
		bot     = "9"
		view    = discordgo.PermissionViewChannel
		send    = discordgo.PermissionSendMessages
		attach  = discordgo.PermissionAttachFiles
		admin   = discordgo.PermissionAdministrator
	)
	role := func(id string, perms int64) *discordgo.Role { return &discordgo.Role{ID: id, Permissions: perms} }
	ow := func(id string, typ discordgo.PermissionOverwriteType, allow, deny int64) *discordgo.PermissionOverwrite {
		return &discordgo.PermissionOverwrite{ID: id, Type: typ, Allow: allow, Deny: deny}
	}
	roleOW, memberOW := discordgo.PermissionOverwriteTypeRole, discordgo.PermissionOverwriteTypeMember
	for _, tc := range []struct {
		name       string
		owner      string
		roles      []*discordgo.Role
		overwrites []*discordgo.PermissionOverwrite
		has, lacks int64
	}{
		{name: "roles add up with @everyone", roles: []*discordgo.Role{role(guild, view), role(botRole, send), role(other, attach)},
			has: view | send, lacks: attach},
		{name: "an administrator role grants everything", roles: []*discordgo.Role{role(guild, 0), role(botRole, admin)},
			overwrites: []*discordgo.PermissionOverwrite{ow(botRole, roleOW, 0, view)}, has: view | send | attach},
		{name: "the owner has everything", owner: bot, roles: []*discordgo.Role{role(guild, 0)}, has: view | send | attach},
		{name: "@everyone's overwrite denies", roles: []*discordgo.Role{role(guild, view|send), role(botRole, 0)},
			overwrites: []*discordgo.PermissionOverwrite{ow(guild, roleOW, 0, send)}, has: view, lacks: send},
		{name: "a role's allow beats @everyone's deny", roles: []*discordgo.Role{role(guild, view|send), role(botRole, 0)},
			overwrites: []*discordgo.PermissionOverwrite{ow(guild, roleOW, 0, send), ow(botRole, roleOW, send, 0)}, has: view | send},
		{name: "roles the bot lacks do not count", roles: []*discordgo.Role{role(guild, view), role(botRole, 0)},
			overwrites: []*discordgo.PermissionOverwrite{ow(other, roleOW, send, 0)}, has: view, lacks: send},
		{name: "the member's own overwrite comes last", roles: []*discordgo.Role{role(guild, view), role(botRole, send)},
			overwrites: []*discordgo.PermissionOverwrite{ow(botRole, roleOW, attach, 0), ow(bot, memberOW, 0, attach|send)}, has: view, lacks: send | attach},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := &discordgo.Guild{ID: guild, OwnerID: tc.owner, Roles: tc.roles}
			m := &discordgo.Member{User: &discordgo.User{ID: bot}, Roles: []string{botRole}}
			got := channelPermissions(g, m, &discordgo.Channel{PermissionOverwrites: tc.overwrites})
			require.Equal(t, tc.has, got&tc.has, "has")
			require.Zero(t, got&tc.lacks, "lacks")
		})
	}
}
