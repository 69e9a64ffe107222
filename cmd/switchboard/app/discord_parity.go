package app

import (
	"cmp"
	"slices"

	"github.com/switchboard/switchboard/adapters/discord"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/configs"
)

// discordParity is what the gateway needs to give Discord teams Slack's
// tools: the optional privileged intents, the roles whose holders are
// read, and the teams and business numbers /metrics offers as choices.
func discordParity(cfg *configs.Config) discord.Parity {
	p := discord.Parity{Presence: cfg.Discord.Presence, Members: cfg.Discord.Members}
	for _, t := range cfg.Teams {
		p.MetricsTeams = append(p.MetricsTeams, t.Name)
		if t.DiscordRole != "" && !slices.Contains(p.Roles, t.DiscordRole) {
			p.Roles = append(p.Roles, t.DiscordRole)
		}
	}
	slices.Sort(p.MetricsTeams)
	// Every channel's inboxes, and the channels that have one.
	seen := map[bridge.Channel]bool{}
	add := func(ch bridge.Channel, id, name string) {
		p.MetricsInboxes = append(p.MetricsInboxes, discord.MetricsChoice{Name: cmp.Or(name, id), Value: id})
		if !seen[ch] {
			seen[ch] = true
			p.MetricsChannels = append(p.MetricsChannels, discord.MetricsChoice{Name: bridge.Text("en", "ch.name."+string(ch)), Value: string(ch)})
		}
	}
	for _, in := range cfg.WhatsApp.Inboxes {
		add(bridge.ChannelWhatsApp, in.PhoneNumberID, in.Name)
	}
	for _, in := range channelInboxes(cfg) {
		add(in.Channel, string(in.ID), in.Name)
	}
	return p
}
