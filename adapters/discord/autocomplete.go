package discord

import (
	"context"

	"github.com/bwmarrin/discordgo"
)

// autocompleteNew answers /new's autocomplete interaction (type 4) with at
// most 25 choices (type 8), within Discord's 3 seconds. Nobody but members
// gets choices. (/template and /canned answer theirs in template.go and
// canned.go.)
func (g *Gateway) autocompleteNew(s *discordgo.Session, in *discordgo.Interaction) {
	var choices []*discordgo.ApplicationCommandOptionChoice
	user, roles := interactionUser(in)
	parent, err := g.parentOf(s, in.ChannelID)
	if err != nil {
		g.Log.Error("discord autocomplete: channel lookup failed", "interaction", in.ID, "channel", in.ChannelID, "err", err)
	}
	if user != "" && err == nil && g.member(homeChannel(in, parent), user, roles) {
		ctx, cancel := context.WithTimeout(g.ctx, interactionBudget)
		switch in.ApplicationCommandData().Name {
		case CmdNew:
			choices = g.autocompleteStart(ctx, in, user, roles, parent)
		}
		cancel()
	}
	if choices == nil {
		choices = []*discordgo.ApplicationCommandOptionChoice{} // "no matches", not a failure
	}
	if err := s.InteractionRespond(in, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	}, discordgo.WithContext(g.ctx)); err != nil {
		g.Log.Error("discord autocomplete not answered", "interaction", in.ID, "err", safeErr(err))
	}
}
