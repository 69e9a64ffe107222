package configs

// roleAssignment says, for check-config, how a role team's conversations
// find an agent: assigned among the role's holders with the Server Members
// intent, claimed by hand without it.
func (d Discord) roleAssignment() string {
	if d.Members {
		return " (holders read with the Server Members intent: assigned by the team's strategy)"
	}
	return " (discord.members off: holders unknown, conversations wait to be claimed)"
}

// presenceSummary says where Discord agents' availability comes from.
func (d Discord) presenceSummary() string {
	if d.Presence {
		return "discord presence: on (Presence intent: online = available; idle, dnd, offline = away)"
	}
	return "discord presence: off (agents use /available and /away)"
}

// usesDiscord reports whether some team lives in Discord.
func (c *Config) usesDiscord() bool {
	for _, t := range c.Teams {
		if t.DiscordChannel != "" {
			return true
		}
	}
	return false
}
