package discord

import (
	"context"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/bridge"
)

// Reactions and replies from the agents' side (issue 17).
//
// MESSAGE_REACTION_ADD / MESSAGE_REACTION_REMOVE in a conversation thread
// become bridge.AgentReaction. Our own bot's reactions (the status marks
// and the mirrors of the customer's reactions) are dropped here, so they
// never travel back to the customer. Custom guild emoji have no Unicode
// form: they arrive at the bridge with an empty Emoji (which tells the
// agent privately) and their removal is dropped. Discord gives reaction
// events no id of their own; the bridge's stored current reaction makes
// a replayed event change nothing.

// onReactionAdd handles MESSAGE_REACTION_ADD.
func (g *Gateway) onReactionAdd(s *discordgo.Session, r *discordgo.MessageReactionAdd) {
	if r == nil || r.MessageReaction == nil {
		return
	}
	if r.Member != nil && r.Member.User != nil && r.Member.User.Bot {
		return // another bot's (ours is dropped by id below)
	}
	var roles []string
	if r.Member != nil {
		roles = r.Member.Roles
	}
	g.reaction(s, r.MessageReaction, roles, r.Member != nil, false)
}

// onReactionRemove handles MESSAGE_REACTION_REMOVE, which carries no
// member: roles are read over REST when membership needs them.
func (g *Gateway) onReactionRemove(s *discordgo.Session, r *discordgo.MessageReactionRemove) {
	if r == nil || r.MessageReaction == nil {
		return
	}
	g.reaction(s, r.MessageReaction, nil, false, true)
}

func (g *Gateway) reaction(s *discordgo.Session, r *discordgo.MessageReaction, roles []string, haveRoles, removed bool) {
	if r.UserID == "" || r.UserID == g.BotUserID || r.MessageID == "" {
		return
	}
	emoji := r.Emoji.Name
	if r.Emoji.ID != "" {
		emoji = "" // a custom emoji
		if removed {
			return
		}
	}
	parent, err := g.parentOf(s, r.ChannelID)
	if err != nil {
		g.Log.Error("discord reaction dropped: channel lookup failed", "message", r.MessageID, "channel", r.ChannelID, "err", err)
		return
	}
	if parent == "" {
		return // not in a thread: not a conversation
	}
	if !haveRoles && !g.member(parent, r.UserID, nil) {
		probe := &discordgo.Message{ChannelID: r.ChannelID, GuildID: r.GuildID, Author: &discordgo.User{ID: r.UserID}}
		if roles, err = g.rolesOf(s, probe); err != nil {
			g.Log.Warn("discord reaction dropped: member roles unknown", "message", r.MessageID, "user", r.UserID, "err", err)
			return
		}
	}
	if !g.member(parent, r.UserID, roles) {
		g.Log.Info("discord reaction of a non-member ignored", "message", r.MessageID, "thread", r.ChannelID, "user", r.UserID)
		return
	}
	ar := bridge.AgentReaction{Workspace: bridge.WorkspaceDiscord, ChannelID: parent, ThreadKey: r.ChannelID,
		MessageKey: r.MessageID, UserID: r.UserID, Emoji: emoji, Removed: removed, At: time.Now(), Roles: roles}
	if err := g.deliver("reaction on "+r.MessageID, 3, func(ctx context.Context) error { return g.Inbound.HandleAgentReaction(ctx, ar) }); err != nil {
		g.Log.Error("discord reaction not stored", "message", r.MessageID, "thread", r.ChannelID, "err", err)
	}
}

// quotedKey is the message a reply (type 19) answers, "" for others.
func quotedKey(m *discordgo.Message) string {
	if m.Type != discordgo.MessageTypeReply || m.MessageReference == nil {
		return ""
	}
	if m.MessageReference.ChannelID != "" && m.MessageReference.ChannelID != m.ChannelID {
		return "" // a reply to a message of another channel quotes nothing here
	}
	return m.MessageReference.MessageID
}

// replyReference makes a post a native reply to key in the thread,
// posted even if key is gone.
func replyReference(thread bridge.ThreadRef, key string) *discordgo.MessageReference {
	if key == "" {
		return nil
	}
	no := false
	return &discordgo.MessageReference{MessageID: key, ChannelID: postTarget(thread), FailIfNotExists: &no}
}
