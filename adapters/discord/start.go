package discord

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/templates"
)

// /new starts a conversation with a customer: options phone, template
// (autocompleted from the approved templates of the team's number),
// params ("a | b") and team (the channel's when left out). The bridge
// decides (bridge.Starter) and its answer is shown privately.

// CmdNew is the command that starts a conversation.
const CmdNew = "new"

// newCommand is /new's definition (Commands lists it).
func newCommand() *discordgo.ApplicationCommand {
	return &discordgo.ApplicationCommand{
		Name: CmdNew, Description: "Start a WhatsApp conversation with a customer (an approved template first)",
		Type: discordgo.ChatApplicationCommand, Contexts: &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild},
		Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "phone", Required: true,
				Description: "The customer's number: +34 612 34 56 78, or as dialled in the number's country"},
			{Type: discordgo.ApplicationCommandOptionString, Name: "template", Required: true, Autocomplete: true,
				Description: "The approved template to send first"},
			{Type: discordgo.ApplicationCommandOptionString, Name: "params",
				Description: "The template's values, separated by | (a | b)"},
			{Type: discordgo.ApplicationCommandOptionString, Name: "team", Autocomplete: true,
				Description: "The team that will hold it (this channel's by default)"},
		},
	}
}

// starter is the bridge's Starter, when the Inbound has one.
func (g *Gateway) starter() (bridge.Starter, bool) {
	st, ok := g.Inbound.(bridge.Starter)
	return st, ok
}

// optionString is a string option's value, trimmed ("" when absent).
func optionString(data discordgo.ApplicationCommandInteractionData, name string) string {
	for _, o := range data.Options {
		if o.Name == name {
			return strings.TrimSpace(fmt.Sprint(o.Value))
		}
	}
	return ""
}

// homeChannel is the channel a command counts as typed in: a thread's
// parent (a forum post's forum), else the channel itself.
func homeChannel(in *discordgo.Interaction, parent string) string {
	if parent != "" {
		return parent
	}
	return in.ChannelID
}

// startCommand handles /new and returns the private answer.
func (g *Gateway) startCommand(ctx context.Context, in *discordgo.Interaction, user string, roles []string, parent string) string {
	st, ok := g.starter()
	if !ok {
		return g.text("unknown")
	}
	data := in.ApplicationCommandData()
	var params []string
	if raw := optionString(data, "params"); raw != "" {
		// The same splitting as "!template name a | b" (a "\|" stays).
		_, params = templates.ParseArgs("x " + raw)
	}
	res, err := st.StartConversation(ctx, bridge.StartRequest{Workspace: bridge.WorkspaceDiscord, EventID: in.ID,
		ChannelID: homeChannel(in, parent), UserID: user, Roles: roles,
		Phone: optionString(data, "phone"), Team: optionString(data, "team"),
		Template: optionString(data, "template"), Params: params})
	if err != nil {
		g.Log.Error("discord /new failed", "interaction", in.ID, "err", err)
		return g.text("error")
	}
	text, _ := RenderMentions(ToDiscord(res.Text))
	return text
}

// autocompleteStart answers /new's autocomplete: the team's approved
// templates matching what was typed ("name@language" values), or the
// teams the person may start in.
func (g *Gateway) autocompleteStart(ctx context.Context, in *discordgo.Interaction, user string, roles []string, parent string) []*discordgo.ApplicationCommandOptionChoice {
	st, ok := g.starter()
	if !ok {
		return nil
	}
	data := in.ApplicationCommandData()
	focused, typed := "", ""
	for _, o := range data.Options {
		if o.Focused {
			focused, typed = o.Name, strings.TrimSpace(fmt.Sprint(o.Value))
		}
	}
	q := bridge.PickerQuery{Workspace: bridge.WorkspaceDiscord, ChannelID: homeChannel(in, parent), UserID: user, Roles: roles}
	if focused == "template" {
		q.Search = typed
	}
	ch, err := st.StartChoices(ctx, q, optionString(data, "team"))
	if err != nil {
		g.Log.Error("discord /new autocomplete failed", "interaction", in.ID, "err", err)
		return nil
	}
	var choices []*discordgo.ApplicationCommandOptionChoice
	add := func(name, value string) {
		if len(choices) < maxChoices {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: truncate(name, 100), Value: value})
		}
	}
	switch focused {
	case "team":
		for _, t := range ch.Teams {
			if strings.Contains(t, strings.ToLower(typed)) {
				add(t, t)
			}
		}
	case "template":
		for _, t := range ch.Templates.Templates {
			key := t.Name + "@" + t.Language
			if len(key) > 100 || !matchesTemplate(t, typed) {
				continue // a value Discord would refuse, or not what was typed
			}
			add(fmt.Sprintf("%s (%s) · %d", t.Name, t.Language, len(t.Params())), key)
		}
	}
	return choices
}

// matchesTemplate keeps templates whose name or language contains what
// was typed (the bridge may have filtered already; typing "name@lang",
// as a chosen value reads, matches too).
func matchesTemplate(t templates.Template, typed string) bool {
	typed = strings.ToLower(typed)
	if typed == "" {
		return true
	}
	name, lang, hasLang := strings.Cut(typed, "@")
	n, l := strings.ToLower(t.Name), strings.ToLower(t.Language)
	if hasLang {
		return strings.Contains(n, name) && strings.HasPrefix(l, lang)
	}
	return strings.Contains(n, typed) || strings.HasPrefix(l, typed)
}

// startAutocomplete answers the autocomplete of /new (handled is false
// for any other interaction): choices for members only, none otherwise,
// within Discord's 3 seconds.
func (g *Gateway) startAutocomplete(s *discordgo.Session, in *discordgo.Interaction) (*discordgo.InteractionResponse, bool) {
	if in.Type != discordgo.InteractionApplicationCommandAutocomplete || in.ApplicationCommandData().Name != CmdNew {
		return nil, false
	}
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{}}}
	user, roles := interactionUser(in)
	parent, err := g.parentOf(s, in.ChannelID)
	if err != nil {
		g.Log.Error("discord autocomplete: channel lookup failed", "interaction", in.ID, "channel", in.ChannelID, "err", err)
		return resp, true
	}
	if user == "" || !g.member(homeChannel(in, parent), user, roles) {
		return resp, true // no choices: the command itself says why
	}
	ctx, cancel := context.WithTimeout(g.ctx, interactionBudget)
	defer cancel()
	if choices := g.autocompleteStart(ctx, in, user, roles, parent); choices != nil {
		resp.Data.Choices = choices
	}
	return resp, true
}
