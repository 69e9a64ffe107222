package discord

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/bridge"
)

// CmdTakeover lets a supervisor take a conversation someone else holds
// (Slack's !takeover); the bridge decides who may.
const CmdTakeover = "takeover"

// CmdAuto hands an agent's availability back to presence and shifts
// after a manual /available or /away (Slack's /switchboard auto).
const CmdAuto = "auto"

// Options of /metrics: the words of Slack's /switchboard metrics as typed
// options.
const (
	metricsPeriod  = "period"
	metricsFrom    = "from"
	metricsTo      = "to"
	metricsTeam    = "team"
	metricsAgent   = "agent"
	metricsInbox   = "inbox"
	metricsChannel = "channel"
	metricsLabel   = "label"
	metricsByAgent = "by_agent"
	metricsChart   = "chart"
	metricsPost    = "post"
)

// MetricsChoice is a value /metrics offers for an option (a team, a
// business number): Name is shown, Value is sent.
type MetricsChoice struct {
	Name  string
	Value string
}

// metricsCommand is /metrics with its options; teams, inboxes and
// customer channels become choices when there are few enough.
func metricsCommand(teams, inboxes, channels []MetricsChoice) *discordgo.ApplicationCommand {
	str := func(name, desc string, choices []MetricsChoice) *discordgo.ApplicationCommandOption {
		o := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: desc}
		if len(choices) <= maxChoices { // with more, the option is typed freely
			for _, c := range choices {
				o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: truncateRunes(c.Name, 100), Value: c.Value})
			}
		}
		return o
	}
	boolean := func(name, desc string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionBoolean, Name: name, Description: desc}
	}
	periods := []MetricsChoice{{"today", "today"}, {"yesterday", "yesterday"}, {"7d", "7d"}, {"30d", "30d"}}
	return &discordgo.ApplicationCommand{
		Name: CmdMetrics, Description: "Show the team's numbers", Type: discordgo.ChatApplicationCommand,
		Contexts: &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild},
		Options: []*discordgo.ApplicationCommandOption{
			str(metricsPeriod, "today, yesterday, last 7 or 30 days", periods),
			str(metricsFrom, "First day, YYYY-MM-DD (with to)", nil),
			str(metricsTo, "Last day, YYYY-MM-DD (with from)", nil),
			str(metricsTeam, "The team (default: this channel's)", teams),
			{Type: discordgo.ApplicationCommandOptionUser, Name: metricsAgent, Description: "One agent's figures"},
			str(metricsInbox, "One business number", inboxes),
			str(metricsChannel, "One customer channel (WhatsApp, Messenger, …)", channels),
			str(metricsLabel, "Only customers with this label", nil),
			boolean(metricsByAgent, "One row per agent (supervisors; default yes)"),
			boolean(metricsChart, "Attach the chart as a PNG"),
			boolean(metricsPost, "Also share the figures in the channel"),
		},
	}
}

// commands are the application commands as registered in this gateway's
// guilds: /metrics with this deployment's teams and inboxes as choices,
// /takeover, and descriptions in every client language we ship.
func (g *Gateway) commands() []*discordgo.ApplicationCommand {
	cmds := Commands()
	for i, c := range cmds {
		if c.Name == CmdMetrics {
			teams := make([]MetricsChoice, 0, len(g.MetricsTeams))
			for _, t := range g.MetricsTeams {
				teams = append(teams, MetricsChoice{Name: t, Value: t})
			}
			cmds[i] = metricsCommand(teams, g.MetricsInboxes, g.MetricsChannels)
		}
	}
	localizeCommands(cmds)
	return cmds
}

// MetricsWords turns /metrics options into the words of Slack's
// /switchboard metrics, so one parser (the bridge's) reads both. bad names
// an option that cannot be said that way ("" when all could).
func MetricsWords(opts []*discordgo.ApplicationCommandInteractionDataOption) (words []string, bad string) {
	words = []string{CmdMetrics}
	var from, to string
	for _, o := range opts {
		if o == nil {
			continue
		}
		value := strings.TrimSpace(fmt.Sprint(o.Value))
		switch o.Name {
		case metricsPeriod, metricsTeam, metricsInbox:
			if value == "" || strings.ContainsAny(value, " \t\n") {
				return nil, o.Name
			}
			words = append(words, value)
		case metricsChannel:
			if value == "" || strings.ContainsAny(value, " \t\n") {
				return nil, o.Name
			}
			words = append(words, "channel:"+value)
		case metricsLabel:
			// Labels are stored with hyphens for spaces (contacts'
			// NormalizeLabel), so "key account" is one word as typed.
			if value == "" {
				return nil, o.Name
			}
			words = append(words, "label:"+strings.Join(strings.Fields(value), "-"))
		case metricsFrom:
			from = value
		case metricsTo:
			to = value
		case metricsAgent:
			if value == "" {
				return nil, o.Name
			}
			words = append(words, "<@"+value+">")
		case metricsByAgent:
			if b, ok := o.Value.(bool); ok && !b {
				words = append(words, "totals")
			}
		case metricsChart, metricsPost:
			if b, ok := o.Value.(bool); ok && b {
				words = append(words, o.Name)
			}
		default:
			return nil, o.Name
		}
	}
	if (from == "") != (to == "") {
		return nil, metricsFrom
	}
	if from != "" {
		words = append(words, "--from", from, "--to", to)
	}
	return words, ""
}

// metricsInteraction answers /metrics: the bridge's figures privately,
// with the chart attached when asked.
func (g *Gateway) metricsInteraction(s *discordgo.Session, in *discordgo.Interaction) (*discordgo.InteractionResponse, bool) {
	if in.Type != discordgo.InteractionApplicationCommand || in.ApplicationCommandData().Name != CmdMetrics {
		return nil, false
	}
	mi, ok := g.Inbound.(bridge.MetricsInbound)
	if !ok {
		return nil, false // the text answer of HandleAgentCommand
	}
	answer := func(text string, files ...*discordgo.File) (*discordgo.InteractionResponse, bool) {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: truncate(text, MaxMessageChars), Files: files,
				Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()}}, true
	}
	user, roles := interactionUser(in)
	if user == "" {
		return answer(g.text("unknown"))
	}
	_, home, found := g.homeOf(s, in)
	if !found {
		return answer(g.text("error"))
	}
	if !g.member(home, user, roles) {
		return answer(g.text("refused"))
	}
	lang := g.answerLang(in, home)
	words, bad := MetricsWords(in.ApplicationCommandData().Options)
	if bad == metricsFrom {
		return answer(bridge.Text(lang, "discord.metrics_dates"))
	}
	if bad != "" {
		words = []string{CmdMetrics, bad} // the bridge explains the usage
	}
	cmd := bridge.AgentCommand{Workspace: bridge.WorkspaceDiscord, ChannelID: home,
		UserID: user, Text: strings.Join(words, " "), Roles: roles, Lang: string(in.Locale)}
	if slices.Contains(words, metricsChart) {
		g.deferredMetrics(s, in, mi, cmd, lang)
		return nil, true // answered
	}
	ctx, cancel := context.WithTimeout(g.ctx, interactionBudget)
	defer cancel()
	reply, err := mi.HandleMetricsCommand(ctx, cmd)
	if err != nil {
		g.Log.Error("discord metrics failed", "interaction", in.ID, "err", err)
		return answer(g.text("error"))
	}
	text, _ := RenderMentions(ToDiscord(reply.Text))
	if len(reply.Chart) == 0 {
		return answer(text)
	}
	return answer(text, &discordgo.File{Name: "switchboard-metrics.png", ContentType: "image/png", Reader: strings.NewReader(string(reply.Chart))})
}

// chartBudget bounds computing figures with their chart, answered by
// editing a deferred response (the token lasts 15 minutes).
const chartBudget = time.Minute

// deferredMetrics answers /metrics … chart:true. Drawing the chart can
// take a good part of the 3 s Discord allows an answer, so the
// interaction is acknowledged at once (privately, "thinking…") and the
// answer replaces that acknowledgement when the figures and chart are
// ready.
func (g *Gateway) deferredMetrics(s *discordgo.Session, in *discordgo.Interaction, mi bridge.MetricsInbound, cmd bridge.AgentCommand, lang string) {
	ack := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}}
	if err := s.InteractionRespond(in, ack, discordgo.WithContext(g.ctx)); err != nil {
		g.Log.Error("discord interaction not answered", "interaction", in.ID, "err", safeErr(err))
		return
	}
	ctx, cancel := context.WithTimeout(g.ctx, chartBudget)
	defer cancel()
	text := bridge.Text(lang, "discord.error")
	var files []*discordgo.File
	if reply, err := mi.HandleMetricsCommand(ctx, cmd); err != nil {
		g.Log.Error("discord metrics failed", "interaction", in.ID, "err", err)
	} else {
		text, _ = RenderMentions(ToDiscord(reply.Text))
		if len(reply.Chart) > 0 {
			files = append(files, &discordgo.File{Name: "switchboard-metrics.png", ContentType: "image/png", Reader: strings.NewReader(string(reply.Chart))})
		}
	}
	text = truncate(text, MaxMessageChars)
	if _, err := s.InteractionResponseEdit(in, &discordgo.WebhookEdit{Content: &text, Files: files, AllowedMentions: noMentions()},
		discordgo.WithContext(g.ctx)); err != nil {
		g.Log.Error("discord metrics answer not delivered", "interaction", in.ID, "err", safeErr(err))
	}
}
