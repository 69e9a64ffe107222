package discord

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/canned"
)

// Canned responses in Discord:
//   - /canned name:<autocomplete> in a conversation thread: the choices
//     are the responses the person may send there, the customer's
//     language first, each with its preview; the bridge then answers with
//     the private preview and a Send button (the same as "!canned name"
//     typed in the thread). Pressing Send replaces the preview with a
//     short acknowledgement, so it cannot be pressed twice, and the
//     bridge sends the response as the presser's reply.
//   - /canned-admin list|add|edit|remove: the bridge's "/switchboard canned"
//     command, with typed options (supervisors add, edit and remove).

// Commands of canned responses.
const (
	CmdCanned      = "canned"
	CmdCannedAdmin = "canned-admin"
)

// cannedCommands describes /canned and /canned-admin for Commands.
func cannedCommands() []*discordgo.ApplicationCommand {
	guildOnly := &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	str := func(name, desc string, required bool) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: desc, Required: required}
	}
	language := func() *discordgo.ApplicationCommandOption {
		o := str("language", "Its language (default: any language)", false)
		for _, l := range []string{"en", "es", "pt", "any"} {
			o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: l, Value: l})
		}
		return o
	}
	global := func() *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionBoolean, Name: "global",
			Description: "For every team instead of this channel's team"}
	}
	sub := func(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Description: desc, Options: opts}
	}
	name := func() *discordgo.ApplicationCommandOption {
		return str("name", "Its name, a short slug such as refund-policy", true)
	}
	text := func() *discordgo.ApplicationCommandOption {
		return str("text", "The text; variables such as {{contact.first_name}} and {{agent.name}} are filled in", true)
	}
	pick := str("name", "The response: start typing to search", true)
	pick.Autocomplete = true
	return []*discordgo.ApplicationCommand{
		{Name: CmdCanned, Description: "Preview a canned response, then send it as your reply",
			Type: discordgo.ChatApplicationCommand, Contexts: guildOnly, Options: []*discordgo.ApplicationCommandOption{pick}},
		{Name: CmdCannedAdmin, Description: "List, add, edit or remove canned responses (changes: supervisors)",
			Type: discordgo.ChatApplicationCommand, Contexts: guildOnly, Options: []*discordgo.ApplicationCommandOption{
				sub("list", "The canned responses agents can send here"),
				sub("add", "Add a canned response", name(), text(), language(), global()),
				sub("edit", "Change a canned response added from the chat", name(), text(), language(), global()),
				sub("remove", "Remove a canned response (every language unless one is given)", name(), language(), global()),
			}},
	}
}

// cannedInteraction answers the canned interactions (the autocomplete of
// /canned, /canned, /canned-admin and a preview's Send); handled is false
// for every other interaction.
func (g *Gateway) cannedInteraction(s *discordgo.Session, in *discordgo.Interaction) (resp *discordgo.InteractionResponse, handled bool) {
	var value string
	switch in.Type {
	case discordgo.InteractionApplicationCommandAutocomplete, discordgo.InteractionApplicationCommand:
		if n := in.ApplicationCommandData().Name; n != CmdCanned && n != CmdCannedAdmin {
			return nil, false
		}
	case discordgo.InteractionMessageComponent:
		verb, _, v, err := ParseActionCustomID(in.MessageComponentData().CustomID)
		if err != nil || verb != bridge.VerbSend || !strings.HasPrefix(v, bridge.CannedSendPrefix) {
			return nil, false
		}
		value = v
	default:
		return nil, false
	}
	user, roles := interactionUser(in)
	parent, home, found := g.homeOf(s, in)
	if !found {
		return message(g.text("error")), true
	}
	lang := g.lang(home)
	if user == "" || !g.member(home, user, roles) {
		g.Log.Info("discord canned interaction of a non-member refused", "interaction", in.ID, "user", user, "channel", home)
		if in.Type == discordgo.InteractionApplicationCommandAutocomplete {
			return choices(g.text("refused"), "-"), true
		}
		return message(g.text("refused")), true
	}
	ctx, cancel := context.WithTimeout(g.ctx, interactionBudget)
	defer cancel()
	who := asker{user: user, roles: roles, lang: lang}
	switch {
	case in.Type == discordgo.InteractionApplicationCommandAutocomplete:
		return g.cannedAutocomplete(ctx, in, who, parent), true
	case in.Type == discordgo.InteractionMessageComponent:
		return g.cannedSend(ctx, in, who, parent, value), true
	case in.ApplicationCommandData().Name == CmdCanned:
		return g.cannedPreview(ctx, in, who, parent), true
	}
	return g.cannedAdmin(ctx, in, who, home), true
}

// cannedAutocomplete lists what the person may send in the thread,
// matching what was typed.
func (g *Gateway) cannedAutocomplete(ctx context.Context, in *discordgo.Interaction, who asker, parent string) *discordgo.InteractionResponse {
	typed := ""
	for _, o := range in.ApplicationCommandData().Options {
		if o.Focused {
			typed = strings.TrimSpace(fmt.Sprint(o.Value))
		}
	}
	fallback := typed
	if fallback == "" {
		fallback = "-"
	}
	if parent == "" || g.Picker == nil {
		return choices(g.text("not_thread"), fallback)
	}
	got, err := g.Picker.CannedChoices(ctx, bridge.PickerQuery{Workspace: bridge.WorkspaceDiscord, ChannelID: parent,
		ThreadKey: in.ChannelID, UserID: who.user, Roles: who.roles, Search: typed})
	switch {
	case err != nil:
		g.Log.Error("discord canned autocomplete failed", "interaction", in.ID, "err", err)
		return choices(g.text("error"), fallback)
	case len(got) == 0:
		return choices(bridge.Text(who.lang, "canned.unknown", typed, ""), fallback)
	}
	var out []*discordgo.ApplicationCommandOptionChoice
	for _, c := range got {
		if len(out) == maxChoices {
			break
		}
		label := c.Name
		if c.Language != "" {
			label += " (" + c.Language + ")"
		}
		label += " · " + strings.Join(strings.Fields(c.Preview), " ")
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: truncate(label, maxChoiceChars), Value: canned.Ref(c.Name, c.Language)})
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: out}}
}

// cannedPreview hands /canned to the bridge as the thread command
// "!canned name@lang": the preview comes as an ephemeral follow-up.
func (g *Gateway) cannedPreview(ctx context.Context, in *discordgo.Interaction, who asker, parent string) *discordgo.InteractionResponse {
	if parent == "" {
		return message(g.text("not_thread"))
	}
	name := ""
	if o := in.ApplicationCommandData().GetOption("name"); o != nil {
		name = strings.TrimSpace(fmt.Sprint(o.Value))
	}
	msg := bridge.AgentMessage{Workspace: bridge.WorkspaceDiscord, EventID: in.ID, ChannelID: parent, ThreadKey: in.ChannelID,
		AuthorID: who.user, Text: strings.TrimSpace("!canned " + name), ReplyHandle: ReplyHandle(in), Roles: who.roles}
	if err := g.Inbound.HandleAgentMessage(ctx, msg); err != nil {
		g.Log.Error("discord canned preview not stored", "interaction", in.ID, "err", err)
		return message(g.text("error"))
	}
	shown, _, _ := strings.Cut(name, "@")
	return message(bridge.Text(who.lang, "canned.preview_coming", shown))
}

// cannedSend is a preview's Send: the bridge sends the response as the
// presser's reply (or tells them privately why not), and the preview is
// replaced by an acknowledgement without the button.
func (g *Gateway) cannedSend(ctx context.Context, in *discordgo.Interaction, who asker, parent, value string) *discordgo.InteractionResponse {
	_, conv, _, _ := ParseActionCustomID(in.MessageComponentData().CustomID)
	act := bridge.AgentAction{Workspace: bridge.WorkspaceDiscord, EventID: onceKey(in), ConversationID: conv, Verb: bridge.VerbSend,
		Value: value, ActorID: who.user, Roles: who.roles, ChannelID: parent, ThreadKey: in.ChannelID, ReplyHandle: ReplyHandle(in)}
	if err := g.Inbound.HandleAgentAction(ctx, act); err != nil {
		g.Log.Error("discord canned send not stored", "interaction", in.ID, "conversation", conv, "err", err)
		return message(g.text("error"))
	}
	name, _, _ := canned.ParseRef(strings.TrimPrefix(value, bridge.CannedSendPrefix))
	return update(bridge.Text(who.lang, "canned.requested", name), nil)
}

// cannedAdmin turns /canned-admin into the bridge's "canned …" command,
// answered privately.
func (g *Gateway) cannedAdmin(ctx context.Context, in *discordgo.Interaction, who asker, home string) *discordgo.InteractionResponse {
	opts := in.ApplicationCommandData().Options
	if len(opts) == 0 {
		return message(g.text("unknown"))
	}
	sub := opts[0]
	get := func(name string) string {
		for _, o := range sub.Options {
			if o.Name == name {
				return strings.TrimSpace(fmt.Sprint(o.Value))
			}
		}
		return ""
	}
	text := "canned " + sub.Name
	if sub.Name != "list" {
		name := get("name")
		if get("global") == "true" {
			name = "global/" + name
		}
		text += " " + name
		if l := get("language"); l != "" {
			text += " " + l
		} else if sub.Name != "remove" {
			text += " any" // the text's first word is never taken for a language
		}
		text += " " + get("text")
	}
	reply, err := g.Inbound.HandleAgentCommand(ctx, bridge.AgentCommand{Workspace: bridge.WorkspaceDiscord, ChannelID: home,
		UserID: who.user, Text: strings.TrimSpace(text), Roles: who.roles})
	if err != nil {
		g.Log.Error("discord canned command failed", "interaction", in.ID, "err", err)
		return message(g.text("error"))
	}
	return message(reply)
}

// nameCacheFor is how long a member's name read from Discord is used.
const nameCacheFor = time.Hour

// memberNames caches members' display names.
type memberNames struct {
	mu   sync.Mutex
	byID map[string]memberName
}

type memberName struct {
	name string
	at   time.Time
}

// UserName implements bridge.UserNamer: the member's nickname in the
// guild, else their display name, else their user name (GET
// /guilds/{guild}/members/{user}), cached for an hour.
func (w *Workspace) UserName(ctx context.Context, userID string) (string, error) {
	w.names.mu.Lock()
	c, ok := w.names.byID[userID]
	w.names.mu.Unlock()
	if ok && time.Since(c.at) < nameCacheFor {
		return c.name, nil
	}
	if w.cfg.GuildID == "" {
		return "", fmt.Errorf("discord member %s: no guild configured", userID)
	}
	m, err := w.s.GuildMember(w.cfg.GuildID, userID, discordgo.WithContext(ctx))
	if err != nil {
		return "", fmt.Errorf("discord member %s: %s", userID, safeErr(err))
	}
	name := strings.TrimSpace(m.Nick)
	if name == "" && m.User != nil {
		name = strings.TrimSpace(m.User.GlobalName)
		if name == "" {
			name = m.User.Username
		}
	}
	w.names.mu.Lock()
	if w.names.byID == nil {
		w.names.byID = map[string]memberName{}
	}
	w.names.byID[userID] = memberName{name: name, at: time.Now()}
	w.names.mu.Unlock()
	return name, nil
}

var _ bridge.UserNamer = (*Workspace)(nil)

// onceKey is the dedupe key of a Send: the message holding the button and
// the button itself, so a double click (each press is a new interaction)
// sends once. A modal's submission has no message: its interaction id.
func onceKey(in *discordgo.Interaction) string {
	if in.Type == discordgo.InteractionMessageComponent && in.Message != nil {
		return "send:" + in.Message.ID + "/" + in.MessageComponentData().CustomID
	}
	return in.ID
}
