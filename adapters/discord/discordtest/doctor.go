package discordtest

import (
	"net/http"
	"strconv"
)

// The REST routes `switchboard doctor` reads besides the bridge's.
const (
	RouteGetMe          Route = "GET /users/@me"
	RouteGetApplication Route = "GET /applications/@me"
	RouteGetGuild       Route = "GET /guilds/{guild}"
)

// BotRoleID is the role the fake's bot holds in the guild (the role
// Discord creates for a bot invited with permissions).
const BotRoleID = "100000000000000004"

// Application flags of GET /applications/@me for the Message Content
// intent: enabled in the Developer Portal for a verified app (1<<18) or an
// unverified one (1<<19).
const (
	FlagGatewayMessageContent        int64 = 1 << 18
	FlagGatewayMessageContentLimited int64 = 1 << 19
)

// BotPermissions is the permission set docs/setup-discord.md's invite URL
// gives the bot's role (326417632320): View Channels, Send Messages, Embed
// Links, Attach Files, Read Message History, Add Reactions, Manage
// Threads, Create Public Threads, Send Messages in Threads.
const BotPermissions int64 = 326417632320

// Overwrite is a channel's permission overwrite for a role (Type 0) or a
// member (Type 1).
type Overwrite struct {
	ID          string
	Type        int
	Allow, Deny int64
}

// doctorState is the application and guild as `switchboard doctor` reads
// them; guarded by Server.mu. The zero value is a good setup: the Message
// Content intent on, @everyone without permissions, the bot's role with
// BotPermissions, no overwrites.
type doctorState struct {
	flags      *int64
	roles      map[string]int64 // role id → permissions, beyond the defaults
	overwrites map[string][]Overwrite
}

// SetApplicationFlags sets the flags GET /applications/@me answers.
func (s *Server) SetApplicationFlags(flags int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.doctor.flags = &flags
}

// SetRolePermissions sets a guild role's permissions: GuildID is
// @everyone, BotRoleID the bot's role.
func (s *Server) SetRolePermissions(roleID string, perms int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.doctor.roles == nil {
		s.doctor.roles = map[string]int64{}
	}
	s.doctor.roles[roleID] = perms
}

// SetOverwrites sets a channel's permission overwrites, which GET
// /channels/{id} returns.
func (s *Server) SetOverwrites(channelID string, ow ...Overwrite) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.doctor.overwrites == nil {
		s.doctor.overwrites = map[string][]Overwrite{}
	}
	s.doctor.overwrites[channelID] = append([]Overwrite(nil), ow...)
}

// rolePermissions is a role's permissions; mu held.
func (s *Server) rolePermissions(id string) int64 {
	if p, ok := s.doctor.roles[id]; ok {
		return p
	}
	if id == BotRoleID {
		return BotPermissions
	}
	return 0
}

// withOverwrites adds a channel's permission_overwrites to its JSON; mu
// held.
func (s *Server) withOverwrites(out map[string]any, channelID string) map[string]any {
	list := []any{}
	for _, o := range s.doctor.overwrites[channelID] {
		list = append(list, map[string]any{"id": o.ID, "type": o.Type,
			"allow": strconv.FormatInt(o.Allow, 10), "deny": strconv.FormatInt(o.Deny, 10)})
	}
	out["permission_overwrites"] = list
	return out
}

func (s *Server) getMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, User{ID: BotUserID, Username: BotUsername, Bot: true}.userJSON())
}

func (s *Server) getApplication(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	flags := FlagGatewayMessageContent
	if s.doctor.flags != nil {
		flags = *s.doctor.flags
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"id": AppID, "name": BotUsername, "icon": nil, "description": "", "bot_public": false,
		"bot_require_code_grant": false, "verify_key": "0000", "flags": flags,
		"bot": User{ID: BotUserID, Username: BotUsername, Bot: true}.userJSON(),
	})
}

func (s *Server) getGuild(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("guild") != GuildID {
		writeError(w, Failure{Status: http.StatusNotFound, Code: 10004, Message: "Unknown Guild"})
		return
	}
	s.mu.Lock()
	roles := []any{}
	for _, r := range []struct{ id, name string }{{GuildID, "@everyone"}, {BotRoleID, BotUsername}} {
		roles = append(roles, map[string]any{"id": r.id, "name": r.name, "permissions": strconv.FormatInt(s.rolePermissions(r.id), 10),
			"position": 0, "color": 0, "hoist": false, "managed": r.id == BotRoleID, "mentionable": false})
	}
	for id := range s.doctor.roles {
		if id != GuildID && id != BotRoleID {
			roles = append(roles, map[string]any{"id": id, "name": "role" + id, "permissions": strconv.FormatInt(s.doctor.roles[id], 10),
				"position": 1, "color": 0, "hoist": false, "managed": false, "mentionable": false})
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"id": GuildID, "name": "fake guild", "icon": nil, "owner_id": "100000000000000009", "roles": roles,
		"emojis": []any{}, "features": []any{}, "verification_level": 0, "afk_channel_id": nil,
	})
}

// botMemberJSON is the bot's own guild member; mu need not be held.
func botMemberJSON() map[string]any {
	m := User{ID: BotUserID, Username: BotUsername, Bot: true, Roles: []string{BotRoleID}}.memberJSON(true)
	delete(m, "permissions") // only interactions carry a member's computed permissions
	return m
}
