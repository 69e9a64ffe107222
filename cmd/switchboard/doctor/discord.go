package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/adapters/discord"
)

// Guide sections for Discord fixes.
const (
	docDiscordToken   = "docs/setup-discord.md#1-create-the-application-and-its-bot"
	docDiscordIntents = "docs/setup-discord.md#2-turn-on-the-privileged-intents"
	docDiscordInvite  = "docs/setup-discord.md#3-invite-the-bot-to-your-server"
)

// Application flags (GET /applications/@me) saying a privileged intent is
// enabled in the Developer Portal: the plain flag for verified apps, the
// _LIMITED one for apps under 100 servers.
const (
	flagPresence       int64 = 1<<12 | 1<<13
	flagGuildMembers   int64 = 1<<14 | 1<<15
	flagMessageContent int64 = 1<<18 | 1<<19
)

// requiredPermission is one permission docs/setup-discord.md's invite URL
// gives the bot, in the guide's order.
type requiredPermission struct {
	bit  int64
	name string
}

var requiredPermissions = []requiredPermission{
	{discordgo.PermissionViewChannel, "View Channels"},
	{discordgo.PermissionSendMessages, "Send Messages"},
	{discordgo.PermissionEmbedLinks, "Embed Links"},
	{discordgo.PermissionAttachFiles, "Attach Files"},
	{discordgo.PermissionReadMessageHistory, "Read Message History"},
	{discordgo.PermissionAddReactions, "Add Reactions"},
	{discordgo.PermissionManageThreads, "Manage Threads"},
	{discordgo.PermissionCreatePublicThreads, "Create Public Threads"},
	{discordgo.PermissionSendMessagesInThreads, "Send Messages in Threads"},
}

// discord checks the bot token, the privileged intents the app needs, and
// the bot's permissions in every Discord home channel. It runs when a team
// lives in Discord or a Discord token is set.
func (c *checker) discord(ctx context.Context) {
	var channels []teamChannel
	for _, t := range c.cfg.Teams {
		if t.DiscordChannel != "" {
			channels = append(channels, teamChannel{team: t.Name, id: t.DiscordChannel})
		}
	}
	if c.cfg.Discord.BotToken == "" {
		return // needed only with Discord teams, then listed by config
	}
	s, err := discord.NewSession(c.cfg.Discord.BotToken, c.cfg.Discord.APIURL, c.opts.HTTPClient)
	if err != nil {
		c.fail("discord", "bot token", err.Error(), "correct discord.api_url", docDiscordToken)
		return
	}
	cctx, cancel := c.bounded(ctx)
	me, err := s.User("@me", discordgo.WithContext(cctx))
	cancel()
	if err != nil {
		if status(err) == http.StatusUnauthorized {
			c.fail("discord", "bot token", "refused (401 Unauthorized)",
				"Developer Portal → your application → Bot → Reset Token, then set DISCORD_BOT_TOKEN (discord.bot_token)", docDiscordToken)
		} else {
			c.fail("discord", "bot token", fmt.Sprintf("GET /users/@me failed: %v", err),
				"check discord.api_url and this host's outgoing HTTPS", docDiscordToken)
		}
		return
	}
	c.ok("discord", "bot token", fmt.Sprintf("bot %s (%s)", me.Username, me.ID))
	c.discordIntents(ctx, s)
	if len(channels) > 0 && c.cfg.Discord.GuildID != "" {
		c.discordPermissions(ctx, s, me.ID, channels)
	}
}

type teamChannel struct{ team, id string }

// status is the HTTP status of a discordgo REST error, 0 for others.
func status(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.StatusCode
	}
	return 0
}

// discordIntents reads the application's flags: the Message Content
// intent always, Presence and Server Members when configured.
func (c *checker) discordIntents(ctx context.Context, s *discordgo.Session) {
	cctx, cancel := c.bounded(ctx)
	body, err := s.RequestWithBucketID(http.MethodGet, discordgo.EndpointApplication("@me"), nil,
		discordgo.EndpointApplication(""), discordgo.WithContext(cctx))
	cancel()
	var app struct {
		Flags int64 `json:"flags"`
	}
	if err == nil {
		err = json.Unmarshal(body, &app)
	}
	if err != nil {
		c.fail("discord", "intents", fmt.Sprintf("GET /applications/@me failed: %v", err),
			"check the bot token and discord.api_url", docDiscordIntents)
		return
	}
	const portal = "Developer Portal → your application → Bot → Privileged Gateway Intents → turn on "
	intents := []struct {
		name   string
		flag   int64
		needed bool
		why    string
	}{
		{"Message Content intent", flagMessageContent, true, "agents' replies would reach switchboard empty (Discord refuses the connection with 4014)"},
		{"Presence intent", flagPresence, c.cfg.Discord.Presence, "discord.presence is on: Discord refuses the connection (close code 4014)"},
		{"Server Members intent", flagGuildMembers, c.cfg.Discord.Members, "discord.members is on: Discord refuses the connection (close code 4014)"},
	}
	for _, in := range intents {
		switch {
		case !in.needed:
		case app.Flags&in.flag == 0:
			c.fail("discord", in.name, "off: "+in.why, portal+in.name, docDiscordIntents)
		default:
			c.ok("discord", in.name, "enabled")
		}
	}
}

// discordPermissions computes the bot's permissions in each home channel
// from the guild's roles, the bot's roles and the channel's overwrites,
// as Discord does, and names what is missing.
func (c *checker) discordPermissions(ctx context.Context, s *discordgo.Session, botID string, channels []teamChannel) {
	guildID := c.cfg.Discord.GuildID
	cctx, cancel := c.bounded(ctx)
	defer cancel()
	guild, err := s.Guild(guildID, discordgo.WithContext(cctx))
	var member *discordgo.Member
	if err == nil {
		member, err = s.GuildMember(guildID, botID, discordgo.WithContext(cctx))
	}
	if err != nil {
		c.fail("discord", "server "+guildID, fmt.Sprintf("the bot cannot read the server or its own membership: %v", err),
			"check discord.guild_id and invite the bot with the guide's URL", docDiscordInvite)
		return
	}
	for _, tc := range channels {
		name := fmt.Sprintf("team %q channel %s", tc.team, tc.id)
		ch, err := s.Channel(tc.id, discordgo.WithContext(cctx))
		if err != nil {
			c.fail("discord", name, fmt.Sprintf("the bot cannot read the channel: %v", err),
				"check teams[].discord_channel and give the bot's role View Channels there", docDiscordInvite)
			continue
		}
		perms := channelPermissions(guild, member, ch)
		var missing []string
		for _, p := range requiredPermissions {
			if perms&p.bit == 0 {
				missing = append(missing, p.name)
			}
		}
		if len(missing) > 0 {
			c.fail("discord", name, fmt.Sprintf("#%s: the bot lacks %s", ch.Name, strings.Join(missing, ", ")),
				fmt.Sprintf("give the bot's role these permissions on #%s (Edit Channel → Permissions), or invite it again with the guide's URL", ch.Name), docDiscordInvite)
			continue
		}
		c.ok("discord", name, fmt.Sprintf("#%s, the bot has the %d permissions it needs", ch.Name, len(requiredPermissions)))
	}
}

// channelPermissions is Discord's permission algorithm: @everyone's and
// the member's roles' permissions (everything for the owner or an
// administrator), then the channel's overwrites in order: @everyone's,
// the member's roles' (denies then allows), the member's own.
func channelPermissions(guild *discordgo.Guild, member *discordgo.Member, ch *discordgo.Channel) int64 {
	const all = int64(^uint64(0) >> 1)
	userID := ""
	if member.User != nil {
		userID = member.User.ID
	}
	if guild.OwnerID != "" && guild.OwnerID == userID {
		return all
	}
	holds := map[string]bool{guild.ID: true} // every member holds @everyone
	for _, r := range member.Roles {
		holds[r] = true
	}
	var perms int64
	for _, r := range guild.Roles {
		if holds[r.ID] {
			perms |= r.Permissions
		}
	}
	if perms&discordgo.PermissionAdministrator != 0 {
		return all
	}
	var roleAllow, roleDeny int64
	var everyone, own *discordgo.PermissionOverwrite
	for _, o := range ch.PermissionOverwrites {
		switch {
		case o.Type == discordgo.PermissionOverwriteTypeRole && o.ID == guild.ID:
			everyone = o
		case o.Type == discordgo.PermissionOverwriteTypeRole && holds[o.ID]:
			roleAllow, roleDeny = roleAllow|o.Allow, roleDeny|o.Deny
		case o.Type == discordgo.PermissionOverwriteTypeMember && o.ID == userID:
			own = o
		}
	}
	if everyone != nil {
		perms = perms&^everyone.Deny | everyone.Allow
	}
	perms = perms&^roleDeny | roleAllow
	if own != nil {
		perms = perms&^own.Deny | own.Allow
	}
	return perms
}
