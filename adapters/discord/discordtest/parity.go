package discordtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"testing"
)

// Privileged gateway intents: Discord sends presences and member events
// only to a session that asked for them in IDENTIFY (and only when the
// Developer Portal allows them).
const (
	IntentGuildMembers   = 1 << 1
	IntentGuildPresences = 1 << 8
)

// AddGuildMember makes u a member of the guild as GET
// /guilds/{guild}/members lists it, without dispatching an event (a
// member who was there before the bot connected).
func (s *Server) AddGuildMember(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.guildies[u.ID] = u
	s.members[u.ID] = u
}

// UpdateGuildMember changes a member's roles (or adds the member) and
// dispatches GUILD_MEMBER_ADD or GUILD_MEMBER_UPDATE when the session
// asked for the Server Members intent. It reports whether it dispatched.
func (s *Server) UpdateGuildMember(t testing.TB, u User) bool {
	t.Helper()
	s.mu.Lock()
	_, known := s.guildies[u.ID]
	s.guildies[u.ID] = u
	s.members[u.ID] = u
	s.mu.Unlock()
	if !s.sessionAsked(IntentGuildMembers) {
		return false
	}
	data := u.memberJSON(true)
	delete(data, "permissions") // only interactions carry them
	data["guild_id"] = GuildID
	kind := "GUILD_MEMBER_UPDATE"
	if !known {
		kind = "GUILD_MEMBER_ADD"
	}
	s.Dispatch(t, kind, data)
	return true
}

// RemoveGuildMember removes a member (they left or were kicked) and
// dispatches GUILD_MEMBER_REMOVE when the session asked for it.
func (s *Server) RemoveGuildMember(t testing.TB, u User) bool {
	t.Helper()
	s.mu.Lock()
	delete(s.guildies, u.ID)
	s.mu.Unlock()
	if !s.sessionAsked(IntentGuildMembers) {
		return false
	}
	s.Dispatch(t, "GUILD_MEMBER_REMOVE", map[string]any{"guild_id": GuildID, "user": u.userJSON()})
	return true
}

// SetPresence records a user's status ("online", "idle", "dnd",
// "offline") and dispatches PRESENCE_UPDATE when the session asked for the
// Presence intent; it reports whether it dispatched. The statuses also
// fill the presences of the GUILD_CREATE that follows each READY.
func (s *Server) SetPresence(t testing.TB, userID, status string) bool {
	t.Helper()
	s.mu.Lock()
	s.presences[userID] = status
	s.mu.Unlock()
	if !s.sessionAsked(IntentGuildPresences) {
		return false
	}
	s.Dispatch(t, "PRESENCE_UPDATE", presenceJSON(userID, status, true))
	return true
}

func presenceJSON(userID, status string, withGuild bool) map[string]any {
	client := map[string]any{}
	if status != "offline" {
		client["desktop"] = status
	}
	out := map[string]any{"user": map[string]any{"id": userID}, "status": status, "activities": []any{}, "client_status": client}
	if withGuild {
		out["guild_id"] = GuildID
	}
	return out
}

// sessionAsked reports whether the current gateway session asked for
// intent.
func (s *Server) sessionAsked(intent int) bool {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	return s.gw.current != nil && s.gw.current.intents&intent != 0
}

// guildCreate sends the GUILD_CREATE that follows READY for the fake's one
// guild: its online members' presences when the session asked for the
// Presence intent (offline members are left out, as Discord does).
func (g *gateway) guildCreate(ss *session) error {
	g.s.mu.Lock()
	presences := []any{}
	if ss.intents&IntentGuildPresences != 0 {
		ids := make([]string, 0, len(g.s.presences))
		for id := range g.s.presences {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			if st := g.s.presences[id]; st != "offline" {
				presences = append(presences, presenceJSON(id, st, false))
			}
		}
	}
	count := len(g.s.guildies)
	g.s.mu.Unlock()
	guild, _ := json.Marshal(map[string]any{
		"id": GuildID, "name": "fake guild", "icon": nil, "owner_id": "100000000000000001",
		"joined_at": "2024-01-02T03:04:05.000000+00:00", "large": false, "unavailable": false,
		"member_count": count, "roles": []any{}, "emojis": []any{}, "members": []any{},
		"presences": presences, "channels": []any{}, "threads": []any{}, "voice_states": []any{},
	})
	g.mu.Lock()
	ss.seq++
	seq := ss.seq
	ss.log = append(ss.log, logged{seq: seq, kind: "GUILD_CREATE", data: guild})
	c := ss.conn
	g.mu.Unlock()
	if c == nil {
		return nil
	}
	return c.send(frame{Op: 0, D: guild, S: &seq, T: str("GUILD_CREATE")})
}

// listMembers answers GET /guilds/{guild}/members?limit=&after=: members
// with their user, in user id order, after the given id, at most limit
// (1 to 1000, default 1) of them.
func (s *Server) listMembers(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("guild") != GuildID {
		writeError(w, Failure{Status: http.StatusNotFound, Code: 10004, Message: "Unknown Guild"})
		return
	}
	limit := 1
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			badRequest(w, "limit: int value should be less than or equal to 1000.")
			return
		}
		limit = n
	}
	after := snowflake(r.URL.Query().Get("after"))
	s.mu.Lock()
	var ids []string
	for id := range s.guildies {
		if snowflake(id) > after {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b string) int {
		switch x, y := snowflake(a), snowflake(b); {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	if len(ids) > limit {
		ids = ids[:limit]
	}
	out := []any{}
	for _, id := range ids {
		m := s.guildies[id].memberJSON(true)
		delete(m, "permissions")
		out = append(out, m)
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}
