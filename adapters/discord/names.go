package discord

import (
	"context"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/bridge"
)

// mentionBudget bounds the lookups of the names an agent's message
// mentions, all together, so a slow REST answer delays the message little;
// a name not found in time is left out of the customer's text.
const mentionBudget = 1500 * time.Millisecond

// names returns the resolvers ConvertDiscord uses for m, written in a
// thread of the channel parent: members by MemberName (nickname, global
// name, user name; cached by the workspace), else by the users the message
// lists in mentions[]; channels and roles from the session's state, else
// over REST; @everyone and @here as the catalogue's word in the team's
// language.
func (g *Gateway) names(s *discordgo.Session, m *discordgo.Message, mentions []*discordgo.User, parent string) Names {
	deadline := time.Now().Add(mentionBudget)
	guild := m.GuildID
	if guild == "" && len(g.GuildIDs) > 0 {
		guild = g.GuildIDs[0]
	}
	within := func() (context.Context, context.CancelFunc) { return context.WithDeadline(g.ctx, deadline) }
	listed := mentionNames(mentions)
	return Names{
		User: func(id string) string {
			if g.MemberName != nil {
				ctx, cancel := within()
				defer cancel()
				if name, err := g.MemberName(ctx, id); err == nil && strings.TrimSpace(name) != "" {
					return name
				} else if err != nil {
					g.Log.Warn("discord mention's member name not read; using the user's name", "user", id, "err", err)
				}
			}
			return listed(id)
		},
		Channel: func(id string) string {
			if c, err := s.State.Channel(id); err == nil && c.Name != "" {
				return c.Name
			}
			ctx, cancel := within()
			defer cancel()
			c, err := s.Channel(id, discordgo.WithContext(ctx))
			if err != nil {
				g.Log.Warn("discord channel mention not resolved; left out of the customer's text", "channel", id, "err", safeErr(err))
				return ""
			}
			return c.Name
		},
		Role: func(id string) string {
			if guild == "" {
				return ""
			}
			if r, err := s.State.Role(guild, id); err == nil && r.Name != "" {
				return r.Name
			}
			ctx, cancel := within()
			defer cancel()
			roles, err := s.GuildRoles(guild, discordgo.WithContext(ctx))
			if err != nil {
				g.Log.Warn("discord role mention not resolved; left out of the customer's text", "role", id, "err", safeErr(err))
				return ""
			}
			for _, r := range roles {
				if r.ID == id {
					return r.Name
				}
			}
			return ""
		},
		Everyone: bridge.Text(g.lang(parent), "markup.everyone"),
	}
}

// plainReferences writes the bridge's {@id} and {#id} references in text
// as "@name" and "#name", for the places Discord shows as plain text (an
// autocomplete choice), where a mention cannot render; a reference no
// lookup names reads "@…" without the id.
func (g *Gateway) plainReferences(ctx context.Context, text string) string {
	ctx, cancel := context.WithTimeout(ctx, mentionBudget)
	defer cancel()
	text = foreignToken.ReplaceAllStringFunc(text, func(m string) string {
		id := foreignToken.FindStringSubmatch(m)[1]
		if g.MemberName != nil && mentionToken.MatchString(m) {
			if name, err := g.MemberName(ctx, id); err == nil && strings.TrimSpace(name) != "" {
				return "@" + strings.TrimSpace(name)
			}
		}
		return "@…"
	})
	// Channel names need the session, which an autocomplete answer has
	// no safe hold of: the reference reads "#…".
	return channelToken.ReplaceAllString(text, "#…")
}
