package discord

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/bridge"
)

// The light CRM in Discord (issue 12, docs/contacts.md): /contact with
// one subcommand per thread command. In a conversation thread each is the
// bridge's text command ("!label add vip", …) from that user, whose
// answer the bridge tells privately; outside a thread, /contact show
// <+phone | e-mail | name> is /switchboard contact, answered here.

// CmdContact is the CRM's command.
const CmdContact = "contact"

// contactSubcommands maps each /contact subcommand to its thread command.
var contactSubcommands = []struct{ name, desc, text string }{
	{"show", "Show the contact card (outside a thread: find a contact by phone, e-mail or name)", "!contact"},
	{"label-add", "Add a label to this conversation's contact", "!label add"},
	{"label-remove", "Remove a label from this conversation's contact", "!label remove"},
	{"stage", "Set the contact's pipeline stage", "!stage"},
	{"attr", "Set an attribute (plan=gold; plan= clears it)", "!attr"},
	{"name", "Name the contact", "!name"},
	{"merge", "Merge another contact (#id, +phone or e-mail) into this one: a preview, unless confirm", "!merge"},
	{"note", "Write a private note about the contact (kept across conversations)", "!cnote"},
}

func contactCommand() *discordgo.ApplicationCommand {
	var opts []*discordgo.ApplicationCommandOption
	for _, s := range contactSubcommands {
		sub := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: s.name, Description: s.desc,
			Options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionString, Name: "value",
				Description: "The label, stage, name=value, contact or text", Required: s.name != "show"}}}
		if s.name == "merge" {
			// A merge cannot be undone: without confirm it is a preview
			// (bridge/crm_merge.go).
			sub.Options = append(sub.Options, &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionBoolean,
				Name: "confirm", Description: "Merge now (without it: show what would be merged)"})
		}
		opts = append(opts, sub)
	}
	return &discordgo.ApplicationCommand{Name: CmdContact, Description: "The conversation's contact: card, labels, stage, attributes, merge",
		Type: discordgo.ChatApplicationCommand, Contexts: &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild}, Options: opts}
}

// contact runs /contact; the answer is private.
func (g *Gateway) contact(ctx context.Context, in *discordgo.Interaction, user string, roles []string, parent string) string {
	data := in.ApplicationCommandData()
	if len(data.Options) == 0 {
		return g.text("unknown")
	}
	sub := data.Options[0]
	value := ""
	confirm := false
	for _, o := range sub.Options {
		switch o.Name {
		case "value":
			value = strings.TrimSpace(fmt.Sprint(o.Value))
		case "confirm":
			confirm, _ = o.Value.(bool)
		}
	}
	if confirm && sub.Name == "merge" {
		value += " confirm"
	}
	text := ""
	for _, s := range contactSubcommands {
		if s.name == sub.Name {
			text = strings.TrimSpace(s.text + " " + value)
		}
	}
	if text == "" {
		return g.text("unknown")
	}
	if parent == "" || (sub.Name == "show" && value != "") {
		if sub.Name != "show" {
			return g.text("not_thread")
		}
		channel := in.ChannelID
		if parent != "" {
			channel = parent
		}
		reply, err := g.Inbound.HandleAgentCommand(ctx, bridge.AgentCommand{Workspace: bridge.WorkspaceDiscord, ChannelID: channel,
			UserID: user, Text: "contact " + value, Roles: roles, Lang: string(in.Locale)})
		if err != nil {
			g.Log.Error("discord command failed", "interaction", in.ID, "command", CmdContact, "err", err)
			return g.text("error")
		}
		reply, _ = RenderMentions(ToDiscord(reply))
		return reply
	}
	msg := bridge.AgentMessage{Workspace: bridge.WorkspaceDiscord, EventID: in.ID, ChannelID: parent, ThreadKey: in.ChannelID,
		AuthorID: user, Text: text, ReplyHandle: ReplyHandle(in), Roles: roles, Lang: string(in.Locale)}
	if err := g.Inbound.HandleAgentMessage(ctx, msg); err != nil {
		g.Log.Error("discord command not stored", "interaction", in.ID, "command", CmdContact, "err", err)
		return g.text("error")
	}
	return fmt.Sprintf(g.text("done"), CmdContact+" "+sub.Name)
}
