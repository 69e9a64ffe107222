package discordtest

import "testing"

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
