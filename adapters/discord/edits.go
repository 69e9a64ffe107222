package discord

import (
	"context"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/bridge"
)

// Edits and deletions of thread messages (MESSAGE_UPDATE, MESSAGE_DELETE)
// become bridge.AgentEdit and bridge.AgentDelete; the bridge decides what
// they mean (bridge/agentedit.go). MESSAGE_UPDATE also comes for embeds
// Discord adds (link previews: no edited_timestamp) and for our own bot's
// edits of its cards and posts: both are dropped here. MESSAGE_DELETE
// names no author: the bridge only acts on messages it knows an agent
// wrote.

func (g *Gateway) onMessageUpdate(s *discordgo.Session, u *discordgo.MessageUpdate) {
	m := u.Message
	if m == nil || m.EditedTimestamp == nil || !g.personal(m) {
		return
	}
	parent, err := g.parentOf(s, m.ChannelID)
	if err != nil || parent == "" {
		return // not in a thread (or unknown): not a conversation
	}
	var roles []string
	if m.Member != nil {
		roles = m.Member.Roles
	}
	if !g.member(parent, m.Author.ID, roles) {
		return
	}
	edit := bridge.AgentEdit{
		Workspace:  bridge.WorkspaceDiscord,
		EventID:    "edit:" + m.ID + ":" + m.EditedTimestamp.UTC().Format(time.RFC3339Nano),
		ChannelID:  parent,
		ThreadKey:  m.ChannelID,
		MessageKey: m.ID,
		AuthorID:   m.Author.ID,
		Text:       ConvertDiscord(m.Content, g.names(s, m, m.Mentions, parent)),
		Mentions:   mentionIDs(m.Content),
		EditedAt:   *m.EditedTimestamp,
		Roles:      roles,
	}
	if err := g.deliver("edit "+m.ID, 3, func(ctx context.Context) error { return g.Inbound.HandleAgentEdit(ctx, edit) }); err != nil {
		g.Log.Error("discord edit not stored", "message", m.ID, "thread", m.ChannelID, "err", err)
	}
}

func (g *Gateway) onMessageDelete(s *discordgo.Session, d *discordgo.MessageDelete) {
	if d.Message == nil || d.ID == "" || d.ChannelID == "" {
		return
	}
	parent, err := g.parentOf(s, d.ChannelID)
	if err != nil || parent == "" {
		return
	}
	del := bridge.AgentDelete{
		Workspace:  bridge.WorkspaceDiscord,
		EventID:    "delete:" + d.ID,
		ChannelID:  parent,
		ThreadKey:  d.ChannelID,
		MessageKey: d.ID,
		DeletedAt:  time.Now(),
	}
	if err := g.deliver("delete "+d.ID, 3, func(ctx context.Context) error { return g.Inbound.HandleAgentDelete(ctx, del) }); err != nil {
		g.Log.Error("discord delete not stored", "message", d.ID, "thread", d.ChannelID, "err", err)
	}
}

// EditPost replaces the content of a message the bridge posted (a
// customer's message they edited or deleted), written as Post writes it.
// Only the first piece of a post split in several changes.
func (w *Workspace) EditPost(ctx context.Context, thread bridge.ThreadRef, messageKey string, post bridge.Post) error {
	text, allowed := postContent(post)
	text = SplitText(text, MaxMessageChars)[0]
	_, err := w.s.ChannelMessageEditComplex(&discordgo.MessageEdit{
		ID: messageKey, Channel: postTarget(thread), Content: &text, AllowedMentions: allowed,
	}, discordgo.WithContext(ctx))
	return deliveryError("edit post", err)
}

var _ bridge.PostEditor = (*Workspace)(nil)
