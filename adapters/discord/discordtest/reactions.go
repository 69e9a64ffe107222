package discordtest

import (
	"encoding/json"
	"testing"
)

// ReactionSpec describes a person (or, to test echoes, our bot) adding or
// removing an emoji reaction on a message.
type ReactionSpec struct {
	ChannelID string // the thread the message is in
	MessageID string
	User      User
	// Emoji is a Unicode emoji, or a custom emoji's name when EmojiID is set.
	Emoji   string
	EmojiID string
	Removed bool
}

// React records the reaction as present (or absent) on the message and
// dispatches MESSAGE_REACTION_ADD (with member, as Discord sends in
// guilds) or MESSAGE_REACTION_REMOVE (without member) to the current
// gateway session.
func (s *Server) React(t testing.TB, r ReactionSpec) {
	t.Helper()
	s.mu.Lock()
	key := Reaction{ChannelID: r.ChannelID, MessageID: r.MessageID, Emoji: r.Emoji, UserID: r.User.ID}
	if r.Removed {
		delete(s.reactions, key)
	} else {
		s.reactions[key] = true
	}
	s.members[r.User.ID] = r.User
	author := ""
	if m, ok := s.messages[r.MessageID]; ok {
		author = m.AuthorID
	}
	s.notifyLocked()
	s.mu.Unlock()
	var emojiID any
	if r.EmojiID != "" {
		emojiID = r.EmojiID
	}
	data := map[string]any{
		"user_id": r.User.ID, "channel_id": r.ChannelID, "message_id": r.MessageID, "guild_id": GuildID,
		"emoji": map[string]any{"id": emojiID, "name": r.Emoji}, "burst": false, "type": 0,
	}
	if r.Removed {
		s.Dispatch(t, "MESSAGE_REACTION_REMOVE", data)
		return
	}
	data["member"] = r.User.memberJSON(true)
	data["message_author_id"] = author
	data["burst_colors"] = []any{}
	s.Dispatch(t, "MESSAGE_REACTION_ADD", data)
}

// EchoReactions makes the fake behave as Discord does with the bot's own
// reactions: each one the bot adds or removes over REST (status marks,
// mirrored customer reactions) is dispatched back to the gateway as
// MESSAGE_REACTION_ADD / MESSAGE_REACTION_REMOVE with the bot's user id.
func (s *Server) EchoReactions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.echoReactions = true
}

// echoReactionLocked dispatches the bot's reaction key back, when asked
// to, without blocking the REST answer on the gateway connection.
func (s *Server) echoReactionLocked(key Reaction, removed bool) {
	if !s.echoReactions {
		return
	}
	data := map[string]any{
		"user_id": key.UserID, "channel_id": key.ChannelID, "message_id": key.MessageID, "guild_id": GuildID,
		"emoji": map[string]any{"id": nil, "name": key.Emoji}, "burst": false, "type": 0,
	}
	kind := "MESSAGE_REACTION_REMOVE"
	if !removed {
		kind = "MESSAGE_REACTION_ADD"
		data["member"] = User{ID: key.UserID, Username: BotUsername, Bot: true}.memberJSON(true)
	}
	go s.dispatchQuiet(kind, data)
}

// dispatchQuiet is Dispatch for the fake's own events: nothing happens
// when no session is connected.
func (s *Server) dispatchQuiet(kind string, data any) {
	raw, err := json.Marshal(data)
	if err != nil {
		return
	}
	g := s.gw
	g.mu.Lock()
	ss := g.current
	if ss == nil {
		g.mu.Unlock()
		return
	}
	ss.seq++
	seq := ss.seq
	c := ss.conn
	if c != nil || !g.loseMissed {
		ss.log = append(ss.log, logged{seq: seq, kind: kind, data: raw})
	}
	g.mu.Unlock()
	if c != nil {
		_ = c.send(frame{Op: 0, D: raw, S: &seq, T: str(kind)})
	}
}
