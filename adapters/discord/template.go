package discord

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/templates"
)

// The template picker. Every way of sending a template from Discord ends
// as the thread command "!template name@language value 1 | value 2" from
// the person, handed to the bridge, which decides (who may send, which
// template, the values) exactly as for a typed command:
//   - /template name:<autocomplete> params:"a | b";
//   - the card's "Send template" button, or the one on the private answer
//     to a reply refused outside the window: an ephemeral select of the
//     templates (customer's language first); choosing one opens a form
//     with one field per value (Discord modals hold at most five; a
//     template with more says to use /template), or, for a template
//     without values, shows it with a Send button.

// CmdTemplate is the /template command.
const CmdTemplate = "template"

// Custom ids of the picker's components. They carry the thread (its id is
// also its parent's card message id in text channels), not a conversation:
// the bridge finds conversations of thread messages by thread.
const (
	tplPickPrefix = "sbt:pick:" // + thread: the select of templates
	tplFormPrefix = "sbt:form:" // + thread + "/" + name@language: the modal
	tplSendPrefix = "sbt:send:" // + thread + "/" + name@language: Send, for a template without values
)

// Discord's limits for what the picker shows.
const (
	maxChoices      = 25  // autocomplete choices, select options
	maxChoiceChars  = 100 // choice name and value, option label, value and description
	maxModalInputs  = 5
	maxModalTitle   = 45
	maxInputLabel   = 45
	maxPlaceholder  = 100
	maxInputLength  = 1000 // a template value; Meta's body limit is 1024 in all
	paramsOption    = "params"
	templateNameOpt = "name"
)

// templateCommand describes /template for Commands.
func templateCommand() *discordgo.ApplicationCommand {
	return &discordgo.ApplicationCommand{
		Name: CmdTemplate, Description: "Send an approved WhatsApp template (works after the 24-hour window)",
		Type: discordgo.ChatApplicationCommand, Contexts: &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild},
		Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: templateNameOpt, Description: "The template: start typing to search",
				Required: true, Autocomplete: true},
			{Type: discordgo.ApplicationCommandOptionString, Name: paramsOption, Description: "Its values in order, separated by |  e.g. Ana | #1234"},
		},
	}
}

// templateText is the "!template …" command for a template and values.
// A "|" inside a value is escaped so it stays in that value.
func templateText(nameLang string, values []string) string {
	text := "!template " + nameLang
	escaped := make([]string, len(values))
	for i, v := range values {
		escaped[i] = strings.ReplaceAll(strings.TrimSpace(v), "|", `\|`)
	}
	if len(escaped) > 0 {
		text += " " + strings.Join(escaped, " | ")
	}
	return text
}

// templateInteraction answers the picker's interactions (autocomplete of
// /template, the template buttons, the select, the form, Send); handled
// is false for every other interaction.
func (g *Gateway) templateInteraction(s *discordgo.Session, in *discordgo.Interaction) (resp *discordgo.InteractionResponse, handled bool) {
	var verb bridge.Verb
	var customID, value string
	switch in.Type {
	case discordgo.InteractionApplicationCommandAutocomplete:
		if in.ApplicationCommandData().Name != CmdTemplate {
			return nil, false
		}
	case discordgo.InteractionMessageComponent:
		customID = in.MessageComponentData().CustomID
		if !strings.HasPrefix(customID, "sbt:") {
			v, _, val, err := ParseActionCustomID(customID)
			if err != nil || v != bridge.VerbTemplate {
				return nil, false
			}
			verb, value = v, val
		}
	case discordgo.InteractionModalSubmit:
		customID = in.ModalSubmitData().CustomID
		if !strings.HasPrefix(customID, tplFormPrefix) {
			return nil, false
		}
	default:
		return nil, false
	}
	if g.Picker == nil {
		switch {
		case verb == bridge.VerbTemplate:
			return nil, false // no picker here: the bridge explains the command
		case in.Type == discordgo.InteractionApplicationCommandAutocomplete:
			return choices(g.text("error"), "-"), true
		case strings.HasPrefix(customID, tplPickPrefix):
			return message(g.text("error")), true
		}
	}
	user, roles := interactionUser(in)
	parent, home, found := g.homeOf(s, in)
	if !found {
		return message(g.text("error")), true
	}
	lang := g.lang(home)
	if user == "" || !g.member(home, user, roles) {
		g.Log.Info("discord template interaction of a non-member refused", "interaction", in.ID, "user", user, "channel", home)
		if in.Type == discordgo.InteractionApplicationCommandAutocomplete {
			return choices(bridge.Text(lang, "tpl.discord_refused"), "-"), true
		}
		return message(g.text("refused")), true
	}
	ctx, cancel := context.WithTimeout(g.ctx, interactionBudget)
	defer cancel()
	who := asker{user: user, roles: roles, lang: lang}
	switch {
	case in.Type == discordgo.InteractionApplicationCommandAutocomplete:
		return g.autocomplete(ctx, in, who, parent), true
	case verb == bridge.VerbTemplate:
		thread := in.ChannelID
		if parent == "" && in.Message != nil {
			thread = in.Message.ID // a text channel's card: the thread hangs off it
		}
		return g.pickTemplate(ctx, s, who, thread, value), true
	case strings.HasPrefix(customID, tplPickPrefix):
		var chosen string
		if vals := in.MessageComponentData().Values; len(vals) > 0 {
			chosen = vals[0]
		}
		return g.templateChosen(ctx, s, who, strings.TrimPrefix(customID, tplPickPrefix), chosen), true
	case strings.HasPrefix(customID, tplSendPrefix), strings.HasPrefix(customID, tplFormPrefix):
		thread, nameLang, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(customID, tplSendPrefix), tplFormPrefix), "/")
		var values []string
		if in.Type == discordgo.InteractionModalSubmit {
			values = modalValues(in.ModalSubmitData())
		}
		return g.sendTemplate(ctx, s, in, who, thread, nameLang, values), true
	}
	return message(g.text("unknown")), true
}

// asker is who is using the picker.
type asker struct {
	user  string
	roles []string
	lang  string // the team's language
}

func (g *Gateway) lang(channelID string) string {
	if g.Language != nil {
		if l := g.Language(channelID); l != "" {
			return l
		}
	}
	return "en"
}

// query asks the bridge about the conversation of thread (or, with no
// thread, the channel's team).
func (g *Gateway) query(s *discordgo.Session, who asker, channel, thread, search string) (bridge.PickerQuery, error) {
	q := bridge.PickerQuery{Workspace: bridge.WorkspaceDiscord, ChannelID: channel, ThreadKey: thread, UserID: who.user, Roles: who.roles, Search: search}
	if thread != "" {
		parent, err := g.parentOf(s, thread)
		if err != nil {
			return q, err
		}
		q.ChannelID = parent
	}
	return q, nil
}

// autocomplete lists the templates whose name holds what was typed.
func (g *Gateway) autocomplete(ctx context.Context, in *discordgo.Interaction, who asker, parent string) *discordgo.InteractionResponse {
	typed := ""
	for _, o := range in.ApplicationCommandData().Options {
		if o.Focused {
			typed = strings.TrimSpace(fmt.Sprint(o.Value))
		}
	}
	q := bridge.PickerQuery{Workspace: bridge.WorkspaceDiscord, ChannelID: parent, ThreadKey: in.ChannelID, UserID: who.user, Roles: who.roles, Search: typed}
	if parent == "" {
		q.ChannelID, q.ThreadKey = in.ChannelID, ""
	}
	got, err := g.Picker.TemplateChoices(ctx, q)
	fallback := typed
	if fallback == "" {
		fallback = "-"
	}
	switch {
	case err != nil:
		g.Log.Error("discord template autocomplete failed", "interaction", in.ID, "err", err)
		return choices(bridge.Text(who.lang, "tpl.discord_error"), fallback)
	case got.Refusal != "":
		return choices(g.plainReferences(ctx, got.Refusal), fallback) // a choice shows plain text
	case len(got.Templates) == 0:
		return choices(bridge.Text(who.lang, "tpl.discord_no_match", typed), fallback)
	}
	var out []*discordgo.ApplicationCommandOptionChoice
	for _, t := range got.Templates {
		value := t.Name + "@" + t.Language
		if len(out) == maxChoices || len(value) > maxChoiceChars {
			continue
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: truncate(choiceLabel(who.lang, t), maxChoiceChars), Value: value})
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: out}}
}

// pickTemplate answers a template button with a select of the templates,
// those in language (the button's value, when it names one) first.
func (g *Gateway) pickTemplate(ctx context.Context, s *discordgo.Session, who asker, thread, language string) *discordgo.InteractionResponse {
	q, err := g.query(s, who, "", thread, "")
	if err != nil {
		return message(g.text("error"))
	}
	got, err := g.Picker.TemplateChoices(ctx, q)
	switch {
	case err != nil:
		g.Log.Error("discord template picker failed", "thread", thread, "err", err)
		return message(g.text("error"))
	case got.Refusal != "":
		return message(got.Refusal)
	case len(got.Templates) == 0:
		return message(bridge.Text(who.lang, "tpl.none"))
	}
	list := got.Templates
	if base := templates.BaseLanguage(language); base != "" {
		list = slices.Clone(list)
		slices.SortStableFunc(list, func(a, b templates.Template) int {
			ma, mb := templates.BaseLanguage(a.Language) == base, templates.BaseLanguage(b.Language) == base
			switch {
			case ma == mb:
				return 0
			case ma:
				return -1
			}
			return 1
		})
	}
	var options []discordgo.SelectMenuOption
	for _, t := range list {
		value := t.Name + "@" + t.Language
		if len(options) == maxChoices || len(value) > maxChoiceChars {
			continue
		}
		options = append(options, discordgo.SelectMenuOption{Label: truncate(t.Name+" ("+t.Language+")", maxChoiceChars),
			Value: value, Description: truncate(preview(t), maxChoiceChars)})
	}
	text := bridge.Text(who.lang, "tpl.discord_pick")
	if len(got.Templates) > len(options) {
		text += " " + bridge.Text(who.lang, "tpl.discord_more", len(options), len(got.Templates))
	}
	r := message(text)
	r.Data.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.SelectMenu{MenuType: discordgo.StringSelectMenu, CustomID: tplPickPrefix + thread,
			Placeholder: truncate(bridge.Text(who.lang, "tpl.discord_placeholder"), maxChoiceChars), Options: options},
	}}}
	return r
}

// templateChosen answers the choice of a template: a form for its values,
// or its preview and a Send button when it takes none.
func (g *Gateway) templateChosen(ctx context.Context, s *discordgo.Session, who asker, thread, nameLang string) *discordgo.InteractionResponse {
	q, err := g.query(s, who, "", thread, "")
	if err != nil {
		return update(g.text("error"), nil)
	}
	got, err := g.Picker.TemplateChoices(ctx, q)
	if err != nil {
		g.Log.Error("discord template picker failed", "thread", thread, "err", err)
		return update(g.text("error"), nil)
	}
	if got.Refusal != "" {
		return update(got.Refusal, nil)
	}
	var tpl templates.Template
	found := false
	for _, t := range got.Templates {
		if t.Name+"@"+t.Language == nameLang {
			tpl, found = t, true
		}
	}
	if !found {
		return update(bridge.Text(who.lang, "tpl.discord_gone", nameLang), nil)
	}
	params := tpl.Params()
	formID := tplFormPrefix + thread + "/" + nameLang
	switch {
	case len(params) == 0:
		send := discordgo.Button{Label: truncate(bridge.Text(who.lang, "tpl.discord_send"), maxButtonLabelChars), Style: discordgo.PrimaryButton,
			CustomID: tplSendPrefix + thread + "/" + nameLang}
		if len(send.CustomID) > maxCustomIDChars {
			return update(bridge.Text(who.lang, "tpl.discord_use_command", nameLang), nil)
		}
		return update(bridge.Text(who.lang, "tpl.discord_confirm", nameLang)+"\n"+preview(tpl),
			[]discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{send}}})
	case len(params) > maxModalInputs || len(formID) > maxCustomIDChars:
		// Discord forms hold five fields; the slash command takes any number.
		return update(bridge.Text(who.lang, "tpl.discord_too_many", nameLang, len(params), maxModalInputs, nameLang), nil)
	}
	var rows []discordgo.MessageComponent
	for i, p := range params {
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: fmt.Sprintf("v%d", i), Label: truncate(fmt.Sprintf("%d. %s", i+1, p.Label()), maxInputLabel),
			Style: discordgo.TextInputShort, Placeholder: truncate(p.Example, maxPlaceholder), Required: true, MaxLength: maxInputLength,
		}}})
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
		CustomID: formID, Title: truncate(tpl.Name+" ("+tpl.Language+")", maxModalTitle), Components: rows}}
}

// sendTemplate hands the choice to the bridge as the person's thread
// command; the bridge answers privately if anything is wrong.
func (g *Gateway) sendTemplate(ctx context.Context, s *discordgo.Session, in *discordgo.Interaction, who asker, thread, nameLang string, values []string) *discordgo.InteractionResponse {
	parent, err := g.parentOf(s, thread)
	if err != nil || parent == "" || nameLang == "" {
		return message(g.text("error"))
	}
	msg := bridge.AgentMessage{Workspace: bridge.WorkspaceDiscord, EventID: onceKey(in), ChannelID: parent, ThreadKey: thread,
		AuthorID: who.user, Text: templateText(nameLang, values), ReplyHandle: ReplyHandle(in), Roles: who.roles}
	if err := g.Inbound.HandleAgentMessage(ctx, msg); err != nil {
		g.Log.Error("discord template not stored", "interaction", in.ID, "err", err)
		return message(g.text("error"))
	}
	text := bridge.Text(who.lang, "tpl.discord_sending", nameLang)
	if in.Type == discordgo.InteractionMessageComponent {
		return update(text, nil) // the Send button's message becomes the answer
	}
	return message(text)
}

// modalValues reads a submitted form's fields v0, v1… in order.
func modalValues(data discordgo.ModalSubmitInteractionData) []string {
	byID := map[string]string{}
	for _, row := range data.Components {
		r, ok := row.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range r.Components {
			if ti, ok := c.(*discordgo.TextInput); ok {
				byID[ti.CustomID] = ti.Value
			}
		}
	}
	var values []string
	for i := 0; ; i++ {
		v, ok := byID[fmt.Sprintf("v%d", i)]
		if !ok {
			return values
		}
		values = append(values, v)
	}
}

// preview is the template with Meta's examples (or the parameters' names)
// in place of its values, on one line.
func preview(t templates.Template) string {
	params := t.Params()
	values := make([]string, len(params))
	for i, p := range params {
		values[i] = p.Example
		if values[i] == "" {
			values[i] = p.Label()
		}
	}
	text, err := templates.Render(t, values)
	if err != nil {
		return t.Name
	}
	return strings.Join(strings.Fields(text), " ")
}

// choiceLabel is how an autocomplete choice reads:
// "order_update (es) · 2 values · Hola Ana, tu pedido…".
func choiceLabel(lang string, t templates.Template) string {
	return bridge.Text(lang, "tpl.discord_choice", t.Name, t.Language, len(t.Params()), preview(t))
}

// message is an ephemeral answer; text is in WhatsApp formatting, as the
// bridge's texts are.
func message(text string) *discordgo.InteractionResponse {
	body, _ := RenderMentions(ToDiscord(text))
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: truncate(body, MaxMessageChars), Flags: discordgo.MessageFlagsEphemeral,
			AllowedMentions: noMentions()}}
}

// update replaces the (ephemeral) message a component was on.
func update(text string, components []discordgo.MessageComponent) *discordgo.InteractionResponse {
	if components == nil {
		components = []discordgo.MessageComponent{} // an update must clear the select
	}
	body, _ := RenderMentions(ToDiscord(text))
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{Content: truncate(body, MaxMessageChars), Components: components, AllowedMentions: noMentions()}}
}

// choices is an autocomplete answer of one choice: Discord shows its name
// in the list (a refusal, "no match"), and the command keeps value.
func choices(name, value string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{
			{Name: truncate(strings.Join(strings.Fields(name), " "), maxChoiceChars), Value: truncate(value, maxChoiceChars)}}}}
}
