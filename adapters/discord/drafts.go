package discord

import (
	"context"
	"errors"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/bridge"
)

// AI suggestions and summaries in Discord (bridge/assist_agent.go):
//   - /suggest and /summary in a conversation thread are the thread
//     commands "!suggest" and "!summary" (see command in events.go); the
//     draft comes as an ephemeral follow-up to /suggest.
//   - A draft's buttons: Send and Discard are decided by the bridge and,
//     once it sent or dropped the draft, replace the draft's message
//     (callback type 7) so they cannot be pressed again; a refused one
//     is only acknowledged (type 6) and the bridge says why; Edit answers with a modal (callback type 9) holding
//     the draft in a paragraph input, whose submission is the draft's
//     Send with the edited text; Try again (and the card's Suggest
//     reply) asks for a draft, answered at once with a private "drafting".

// Commands of AI assist.
const (
	CmdSuggest = "suggest"
	CmdSummary = "summary"
)

const (
	// draftFormPrefix starts the edit modal's custom_id:
	// "sbd:<conversation>/draft:<id>".
	draftFormPrefix = "sbd:"
	draftInputID    = "text"
	// maxDraftInput is what a Discord text input holds (value and
	// max_length).
	maxDraftInput = 4000
)

// draftInteraction answers a draft's buttons, the edit modal's submission
// and Try again; handled is false for every other interaction.
func (g *Gateway) draftInteraction(s *discordgo.Session, in *discordgo.Interaction) (resp *discordgo.InteractionResponse, handled bool) {
	var verb bridge.Verb
	var conv bridge.ConversationID
	var value, edited string
	switch in.Type {
	case discordgo.InteractionMessageComponent:
		v, id, val, err := ParseActionCustomID(in.MessageComponentData().CustomID)
		if err != nil {
			return nil, false
		}
		isDraft := strings.HasPrefix(val, bridge.DraftSendPrefix)
		switch {
		case v == bridge.VerbSuggest:
			// The card's Suggest reply, a draft's Try again.
		case (v == bridge.VerbSend || v == bridge.VerbDiscard || v == bridge.VerbEditDraft) && isDraft:
		default:
			return nil, false
		}
		verb, conv, value = v, id, val
	case discordgo.InteractionModalSubmit:
		data := in.ModalSubmitData()
		rest, ok := strings.CutPrefix(data.CustomID, draftFormPrefix)
		if !ok {
			return nil, false
		}
		c, val, _ := strings.Cut(rest, "/")
		id, err := bridge.ParseConversationID(c)
		if err != nil || !strings.HasPrefix(val, bridge.DraftSendPrefix) {
			return message(g.text("unknown")), true
		}
		verb, conv, value, edited = bridge.VerbSend, id, val, strings.TrimSpace(modalInput(data, draftInputID))
	default:
		return nil, false
	}
	user, roles := interactionUser(in)
	parent, home, found := g.homeOf(s, in)
	if !found {
		return message(g.text("error")), true
	}
	if user == "" || !g.member(home, user, roles) {
		g.Log.Info("discord draft interaction of a non-member refused", "interaction", in.ID, "user", user, "channel", home)
		return message(g.text("refused")), true
	}
	lang := g.answerLang(in, home)
	ctx, cancel := context.WithTimeout(g.ctx, interactionBudget)
	defer cancel()
	if verb == bridge.VerbEditDraft {
		return g.draftForm(ctx, in, user, lang, conv, value), true
	}
	if in.Type == discordgo.InteractionModalSubmit && edited == "" {
		return message(bridge.Text(lang, "assist.draft_blank")), true
	}
	act := bridge.AgentAction{Workspace: bridge.WorkspaceDiscord, EventID: onceKey(in), ConversationID: conv, Verb: verb,
		Value: value, Text: edited, ActorID: user, Roles: roles, ChannelID: parent, ThreadKey: in.ChannelID,
		ReplyHandle: ReplyHandle(in), Lang: string(in.Locale)}
	if verb == bridge.VerbSuggest {
		act.EventID = in.ID // each Try again is a new draft
	}
	if err := g.Inbound.HandleAgentAction(ctx, act); err != nil {
		g.Log.Error("discord draft action not stored", "interaction", in.ID, "verb", verb, "conversation", conv, "err", err)
		return message(g.text("error")), true
	}
	if verb == bridge.VerbSuggest {
		return message(bridge.Text(lang, "assist.discord_suggesting")), true
	}
	state, settled := g.draftSettled(ctx, in, verb, conv, value, user)
	if !settled {
		// Refused (held by someone else, window closed, a newer
		// conversation, not theirs): the bridge tells the agent why in a
		// follow-up; the draft's message keeps its buttons.
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}, true
	}
	// Send (from the button or the modal opened on the draft's message),
	// Discard, or a Send of a draft discarded meanwhile: that message
	// becomes the acknowledgement, without its buttons.
	return update(bridge.DraftSettledText(lang, verb, state), nil), true
}

// draftSettled reports the state of the draft value names and whether the
// action on it is over (bridge.DraftSettled), so that its message may be
// replaced.
func (g *Gateway) draftSettled(ctx context.Context, in *discordgo.Interaction, verb bridge.Verb, conv bridge.ConversationID, value, user string) (bridge.DraftState, bool) {
	drafts, ok := g.Inbound.(bridge.Drafts)
	if !ok {
		return "", false
	}
	state, err := drafts.DraftState(ctx, conv, value, user)
	if err != nil && !errors.Is(err, bridge.ErrNotFound) {
		g.Log.Warn("discord draft state not read", "interaction", in.ID, "conversation", conv, "err", err)
	}
	return state, err == nil && bridge.DraftSettled(verb, state)
}

// draftForm is the edit modal, prefilled with the draft; a draft that can
// no longer be edited (sent, discarded, someone else's) gets a private
// answer saying so.
func (g *Gateway) draftForm(ctx context.Context, in *discordgo.Interaction, user, lang string, conv bridge.ConversationID, value string) *discordgo.InteractionResponse {
	drafts, ok := g.Inbound.(bridge.Drafts)
	if !ok {
		return message(bridge.Text(lang, "assist.edit_help"))
	}
	text, err := drafts.DraftText(ctx, conv, value, user)
	switch {
	case errors.Is(err, bridge.ErrNotFound):
		return message(bridge.Text(lang, "assist.edit_gone"))
	case err != nil:
		g.Log.Error("discord draft not read", "interaction", in.ID, "conversation", conv, "err", err)
		return message(g.text("error"))
	}
	formID := draftFormPrefix + conv.String() + "/" + value
	if len(formID) > maxCustomIDChars {
		return message(g.text("error"))
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
		CustomID: formID, Title: truncate(bridge.Text(lang, "assist.edit_title"), maxModalTitle),
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: draftInputID, Label: truncate(bridge.Text(lang, "assist.edit_label"), maxInputLabel),
			Style: discordgo.TextInputParagraph, Value: truncateRunes(text, maxDraftInput), Required: true, MaxLength: maxDraftInput,
		}}}},
	}}
}

// modalInput is the value of a submitted modal's text input id.
func modalInput(data discordgo.ModalSubmitInteractionData, id string) string {
	for _, row := range data.Components {
		r, ok := row.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range r.Components {
			if ti, ok := c.(*discordgo.TextInput); ok && ti.CustomID == id {
				return ti.Value
			}
		}
	}
	return ""
}
