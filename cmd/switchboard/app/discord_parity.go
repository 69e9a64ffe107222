package app

import (
	"cmp"
	"slices"

	"github.com/switchboard/switchboard/adapters/discord"
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
	for _, in := range cfg.WhatsApp.Inboxes {
		p.MetricsInboxes = append(p.MetricsInboxes, discord.MetricsChoice{Name: cmp.Or(in.Name, in.PhoneNumberID), Value: in.PhoneNumberID})
	}
	return p
}
