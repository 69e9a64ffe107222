package discord

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/bridge"
)

// Command names registered in every guild.
const (
	CmdClaim     = "claim"
	CmdUnclaim   = "unclaim"
	CmdResolve   = "resolve"
	CmdReopen    = "reopen"
	CmdTransfer  = "transfer"
	CmdNote      = "note"
	CmdStatus    = "status"
	CmdQueue     = "queue"
	CmdAvailable = "available"
	CmdAway      = "away"
	CmdMetrics   = "metrics"
)

// interactionBudget is how long we let the bridge take before answering an
// interaction, which Discord requires within 3 s.
const interactionBudget = 2500 * time.Millisecond

// Commands returns the application commands we register (guild commands,
// bulk overwrite: registering the same list again changes nothing).
func Commands() []*discordgo.ApplicationCommand {
	guildOnly := &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	cmd := func(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommand {
		return &discordgo.ApplicationCommand{
			Name: name, Description: desc, Type: discordgo.ChatApplicationCommand,
			Contexts: guildOnly, Options: opts,
		}
	}
	return append([]*discordgo.ApplicationCommand{
		cmd(CmdClaim, "Take this conversation"),
		cmd(CmdUnclaim, "Give this conversation back to the team"),
		cmd(CmdResolve, "Mark this conversation resolved"),
		cmd(CmdReopen, "Reopen this conversation"),
		cmd(CmdTransfer, "Hand this conversation to an agent or a team",
			&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionUser, Name: "agent", Description: "The agent to hand it to"},
			&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "team", Description: "The team to hand it to"}),
		cmd(CmdNote, "Write an internal note (never sent to the customer)",
			&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "text", Description: "The note", Required: true}),
		cmd(CmdStatus, "Show your conversations and availability"),
		cmd(CmdQueue, "Show the team's waiting conversations"),
		cmd(CmdAvailable, "Take new conversations"),
		cmd(CmdAway, "Stop taking new conversations"),
		metricsCommand(nil, nil, nil), // metrics.go
		cmd(CmdTakeover, "Take a conversation from the AI assistant, or (supervisors) from someone else"),
		cmd(CmdAuto, "Let presence and shifts decide your availability again"),
		cmd(CmdSuggest, "Get an AI-suggested reply, shown only to you"),          // drafts.go
		cmd(CmdSummary, "Post an AI summary of this conversation in the thread"), // drafts.go
		templateCommand(),
		newCommand(),
		contactCommand(), // contact.go
	}, cannedCommands()...)
}

// personal reports whether m is a person's message of the kinds agents
// write (not ours, another bot's, a webhook's or a system message such as a
// thread announcement or a pin).
func (g *Gateway) personal(m *discordgo.Message) bool {
	if m == nil || m.Author == nil || m.Author.Bot || m.Author.System || m.WebhookID != "" || m.Author.ID == g.BotUserID {
		return false
	}
	return m.Type == discordgo.MessageTypeDefault || m.Type == discordgo.MessageTypeReply
}

// handleMessage turns a person's message in a thread into an AgentMessage
// and stores it, trying at most tries times. It ignores what personal
// rejects, messages outside threads and messages of non-members. stored
// says the bridge took the message; an error says it could not (see
// recovery.go). Live events and messages fetched again over REST (which
// carry no member roles) go through it alike.
func (g *Gateway) handleMessage(s *discordgo.Session, m *discordgo.Message, tries int) (stored bool, err error) {
	if !g.personal(m) {
		return false, nil
	}
	parent, err := g.parentOf(s, m.ChannelID)
	if err != nil {
		g.Log.Error("discord message dropped: channel lookup failed", "message", m.ID, "channel", m.ChannelID, "err", err)
		return false, nil
	}
	if parent == "" {
		return false, nil // not in a thread: not a conversation
	}
	var roles []string
	if m.Member != nil {
		roles = m.Member.Roles
	}
	if !g.member(parent, m.Author.ID, roles) && m.Member == nil {
		// A message fetched over REST has no member. Roles that could not
		// be read are no proof the author is an outsider: keep the
		// message pending (recovery tries again, then tells the author)
		// rather than drop it with the mark moving past.
		roles, err = g.rolesOf(s, m)
		if err != nil {
			g.Log.Warn("discord member roles unknown; message kept for later", "message", m.ID, "thread", m.ChannelID, "user", m.Author.ID, "err", err)
			return false, fmt.Errorf("discord member roles of message %s: %w", m.ID, err)
		}
	}
	if !g.member(parent, m.Author.ID, roles) {
		g.Log.Info("discord message of a non-member ignored", "message", m.ID, "thread", m.ChannelID, "user", m.Author.ID)
		return false, nil
	}
	content, attachments, mentions := m.Content, m.Attachments, m.Mentions
	if strings.TrimSpace(content) == "" && len(attachments) == 0 {
		// A forward carries its text in message_snapshots.
		for _, snap := range m.MessageSnapshots {
			if snap.Message != nil {
				content, attachments, mentions = snap.Message.Content, snap.Message.Attachments, snap.Message.Mentions
				break
			}
		}
	}
	msg := bridge.AgentMessage{
		Workspace:  bridge.WorkspaceDiscord,
		EventID:    m.ID,
		ChannelID:  parent,
		ThreadKey:  m.ChannelID,
		ThreadAt:   snowflakeTime(m.ChannelID),
		MessageKey: m.ID,
		SentAt:     snowflakeTime(m.ID),
		AuthorID:   m.Author.ID,
		Text:       ConvertDiscord(content, g.names(s, m, mentions, parent)),
		Files:      agentFiles(attachments),
		Mentions:   mentionIDs(content),
		QuotedKey:  quotedKey(m), // reactions.go
		Roles:      roles,
	}
	if err := g.deliver("message "+m.ID, tries, func(ctx context.Context) error { return g.Inbound.HandleAgentMessage(ctx, msg) }); err != nil {
		g.Log.Error("discord message not stored", "message", m.ID, "thread", m.ChannelID, "err", err)
		return false, err
	}
	return true, nil
}

// mentionNames resolves <@id> to the names Discord sent with the message.
func mentionNames(users []*discordgo.User) func(string) string {
	return func(id string) string {
		for _, u := range users {
			if u != nil && u.ID == id {
				if u.GlobalName != "" {
					return u.GlobalName
				}
				return u.Username
			}
		}
		return ""
	}
}

// mentionIDs lists the users mentioned in content, in the order written,
// so "!transfer <@id>" names the agent although Text reads "@name".
func mentionIDs(content string) []string {
	var ids []string
	for _, m := range reUserMention.FindAllStringSubmatch(content, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

func agentFiles(atts []*discordgo.MessageAttachment) []bridge.AgentFile {
	var out []bridge.AgentFile
	for _, a := range atts {
		if a == nil || a.URL == "" {
			continue
		}
		out = append(out, bridge.AgentFile{ID: a.ID, Name: a.Filename, MimeType: a.ContentType, URL: a.URL, Size: int64(a.Size)})
	}
	return out
}

// onInteractionCreate answers buttons and slash commands. Each runs in its
// own goroutine so a slow bridge never holds up the gateway's reading.
func (g *Gateway) onInteractionCreate(s *discordgo.Session, i *discordgo.InteractionCreate) {
	if i.Interaction == nil {
		return
	}
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		resp, handled := g.templateInteraction(s, i.Interaction)
		if !handled {
			resp, handled = g.metricsInteraction(s, i.Interaction) // metrics.go
			if handled && resp == nil {
				return // answered already (a deferred chart)
			}
		}
		if !handled {
			resp, handled = g.cannedInteraction(s, i.Interaction)
		}
		if !handled {
			resp, handled = g.draftInteraction(s, i.Interaction) // drafts.go
		}
		if !handled {
			resp, handled = g.startAutocomplete(s, i.Interaction) // start.go
		}
		if !handled {
			resp = &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{
					Content: truncate(g.interaction(s, i.Interaction), MaxMessageChars), Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions(),
				},
			}
		}
		g.localizeAnswer(resp, g.interactionLang(s, i.Interaction)) // locale.go
		if err := s.InteractionRespond(i.Interaction, resp, discordgo.WithContext(g.ctx)); err != nil {
			// safeErr: the callback's URL holds the interaction token.
			g.Log.Error("discord interaction not answered", "interaction", i.ID, "err", safeErr(err))
		}
	}()
}

// interaction does what an interaction asks and returns the private answer.
func (g *Gateway) interaction(s *discordgo.Session, in *discordgo.Interaction) string {
	user, roles := interactionUser(in)
	if user == "" {
		return g.text("unknown")
	}
	parent, home, found := g.homeOf(s, in)
	if !found {
		return g.text("error")
	}
	if !g.member(home, user, roles) {
		g.Log.Info("discord interaction of a non-member refused", "interaction", in.ID, "user", user, "channel", home)
		return g.text("refused")
	}
	ctx, cancel := context.WithTimeout(g.ctx, interactionBudget)
	defer cancel()
	switch in.Type {
	case discordgo.InteractionMessageComponent:
		return g.button(ctx, in, user, roles, parent)
	case discordgo.InteractionApplicationCommand:
		return g.command(ctx, s, in, user, roles, parent)
	}
	return g.text("unknown")
}

func interactionUser(in *discordgo.Interaction) (string, []string) {
	if in.Member != nil && in.Member.User != nil {
		return in.Member.User.ID, in.Member.Roles
	}
	if in.User != nil {
		return in.User.ID, nil
	}
	return "", nil
}

// button turns a card button into an AgentAction. A text channel's card
// sits in the parent channel (the thread has the card's id); a forum's card
// is the starter message inside the post.
func (g *Gateway) button(ctx context.Context, in *discordgo.Interaction, user string, roles []string, parent string) string {
	verb, conv, value, err := ParseActionCustomID(in.MessageComponentData().CustomID)
	if err != nil {
		return g.text("unknown")
	}
	act := bridge.AgentAction{Workspace: bridge.WorkspaceDiscord, EventID: in.ID, ConversationID: conv, Verb: verb, Value: value, ActorID: user, Roles: roles,
		Lang: string(in.Locale)}
	switch {
	case parent != "":
		act.ChannelID, act.ThreadKey = parent, in.ChannelID
	case in.Message != nil:
		act.ChannelID, act.ThreadKey = in.ChannelID, in.Message.ID
	default:
		act.ChannelID = in.ChannelID
	}
	act.ReplyHandle = ReplyHandle(in)
	if err := g.Inbound.HandleAgentAction(ctx, act); err != nil {
		g.Log.Error("discord action not stored", "interaction", in.ID, "verb", verb, "conversation", conv, "err", err)
		return g.text("error")
	}
	return fmt.Sprintf(g.text("done"), verb)
}

// command handles a slash command. Conversation verbs go to the bridge as
// the text commands it already understands ("!claim", "!transfer …") from
// that user in that thread, because the bridge finds conversations by
// thread for messages; /note posts the note in the thread (so it can carry
// the 📝 mark) and hands it over as a note-prefixed message; the rest are
// AgentCommands answered privately.
func (g *Gateway) command(ctx context.Context, s *discordgo.Session, in *discordgo.Interaction, user string, roles []string, parent string) string {
	data := in.ApplicationCommandData()
	switch data.Name {
	case CmdClaim, CmdUnclaim, CmdResolve, CmdReopen, CmdTransfer, CmdNote, CmdTemplate, CmdTakeover, CmdSuggest, CmdSummary:
		if parent == "" {
			return g.text("not_thread")
		}
		msg := bridge.AgentMessage{Workspace: bridge.WorkspaceDiscord, EventID: in.ID, ChannelID: parent,
			ThreadKey: in.ChannelID, AuthorID: user, Text: "!" + data.Name, ReplyHandle: ReplyHandle(in), Roles: roles,
			Lang: string(in.Locale)}
		answer := fmt.Sprintf(g.text("done"), data.Name)
		switch data.Name {
		case CmdSuggest: // the draft follows privately (drafts.go)
			answer = bridge.Text(g.answerLang(in, parent), "assist.discord_suggesting")
		case CmdSummary:
			answer = bridge.Text(g.answerLang(in, parent), "assist.discord_summarising")
		case CmdTransfer:
			target := ""
			if o := data.GetOption("agent"); o != nil {
				target = bridge.MentionToken(fmt.Sprint(o.Value))
			} else if o := data.GetOption("team"); o != nil {
				target = strings.TrimSpace(fmt.Sprint(o.Value))
			}
			if target == "" {
				return g.text("transfer_arg")
			}
			msg.Text += " " + target
		case CmdTemplate:
			// The bridge answers privately when the name or the values
			// do not fit (the autocomplete offered name@language).
			name, params := "", ""
			if o := data.GetOption(templateNameOpt); o != nil {
				name = strings.TrimSpace(fmt.Sprint(o.Value))
			}
			if o := data.GetOption(paramsOption); o != nil {
				params = strings.TrimSpace(fmt.Sprint(o.Value))
			}
			msg.Text = strings.TrimSpace("!template " + name + " " + params)
			answer = bridge.Text(g.lang(parent), "tpl.discord_sending", name)
		case CmdNote:
			o := data.GetOption("text")
			if o == nil || strings.TrimSpace(fmt.Sprint(o.Value)) == "" {
				return g.text("note_empty")
			}
			text := strings.TrimSpace(fmt.Sprint(o.Value))
			posted, err := s.ChannelMessageSendComplex(in.ChannelID, &discordgo.MessageSend{
				Content:         truncate("<@"+user+">: "+text, MaxMessageChars),
				AllowedMentions: noMentions(),
			}, discordgo.WithContext(ctx))
			if err != nil {
				g.Log.Error("discord note not posted", "interaction", in.ID, "err", err)
				return g.text("error")
			}
			prefix := g.NotePrefix
			if prefix == "" {
				prefix = "note:"
			}
			msg.MessageKey = posted.ID
			msg.Text = prefix + " " + FromDiscord(text, nil)
			answer = g.text("note_saved")
		}
		if err := g.Inbound.HandleAgentMessage(ctx, msg); err != nil {
			g.Log.Error("discord command not stored", "interaction", in.ID, "command", data.Name, "err", err)
			return g.text("error")
		}
		return answer
	case CmdNew:
		return g.startCommand(ctx, in, user, roles, parent)
	case CmdContact:
		return g.contact(ctx, in, user, roles, parent) // contact.go
	case CmdStatus, CmdQueue, CmdAvailable, CmdAway, CmdMetrics, CmdAuto:
		channel := in.ChannelID
		if parent != "" {
			channel = parent
		}
		reply, err := g.Inbound.HandleAgentCommand(ctx, bridge.AgentCommand{
			Workspace: bridge.WorkspaceDiscord, ChannelID: channel, UserID: user, Text: data.Name, Roles: roles,
			Lang: string(in.Locale),
		})
		if err != nil {
			g.Log.Error("discord command failed", "interaction", in.ID, "command", data.Name, "err", err)
			return g.text("error")
		}
		reply, _ = RenderMentions(ToDiscord(reply))
		return reply
	}
	return g.text("unknown")
}

// snowflakeTime is when a Discord id (here a thread's) was made; zero when
// it is not an id. The bridge uses it to tell a reply racing our record of
// a brand-new thread (worth retrying) from a thread that is not ours.
func snowflakeTime(id string) time.Time {
	t, err := discordgo.SnowflakeTimestamp(id)
	if err != nil {
		return time.Time{}
	}
	return t
}
