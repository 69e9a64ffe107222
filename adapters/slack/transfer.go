package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	slackapi "github.com/slack-go/slack"

	"github.com/switchboard/switchboard/bridge"
)

// The card's Transfer button opens a modal to pick an agent or a team and
// give a reason. Its submission reaches the bridge as the thread command
// "!transfer <@agent>|team reason" from the person who submitted it, so
// the bridge has one transfer path for buttons, thread commands and slash
// commands alike.

// transferCallbackID names our modal in view_submission payloads.
const transferCallbackID = "sb_transfer"

// transferTarget is what the modal carries from the click to the submission.
type transferTarget struct {
	Conversation string `json:"c"`
	Channel      string `json:"ch"`
	Thread       string `json:"th"`
}

// transferModal builds the modal in lang; teams are the team names offered.
func transferModal(lang string, teams []string, target transferTarget) slackapi.ModalViewRequest {
	meta, _ := json.Marshal(target)
	text := func(key string) *slackapi.TextBlockObject {
		return slackapi.NewTextBlockObject(slackapi.PlainTextType, bridge.Text(lang, key), false, false)
	}
	agent := slackapi.NewOptionsSelectBlockElement(slackapi.OptTypeUser, text("modal.agent_hint"), "agent")
	agentBlock := slackapi.NewInputBlock("agent", text("modal.agent"), nil, agent)
	agentBlock.Optional = true
	var options []*slackapi.OptionBlockObject
	for _, t := range teams {
		options = append(options, slackapi.NewOptionBlockObject(t, slackapi.NewTextBlockObject(slackapi.PlainTextType, t, false, false), nil))
	}
	blocks := []slackapi.Block{agentBlock}
	if len(options) > 0 {
		team := slackapi.NewOptionsSelectBlockElement(slackapi.OptTypeStatic, text("modal.team_hint"), "team", options...)
		teamBlock := slackapi.NewInputBlock("team", text("modal.team"), nil, team)
		teamBlock.Optional = true
		blocks = append(blocks, teamBlock)
	}
	reason := slackapi.NewPlainTextInputBlockElement(text("modal.reason_hint"), "reason")
	reasonBlock := slackapi.NewInputBlock("reason", text("modal.reason"), nil, reason)
	reasonBlock.Optional = true
	blocks = append(blocks, reasonBlock)
	return slackapi.ModalViewRequest{
		Type:            slackapi.VTModal,
		Title:           text("modal.title"),
		Submit:          text("modal.submit"),
		Close:           text("modal.cancel"),
		CallbackID:      transferCallbackID,
		PrivateMetadata: string(meta),
		Blocks:          slackapi.Blocks{BlockSet: blocks},
	}
}

// openTransfer answers a click on the card's Transfer button.
func (h *Handler) openTransfer(ctx context.Context, p interaction, conversation string) error {
	if h.Views == nil {
		return fmt.Errorf("transfer modal: no Slack client configured")
	}
	target := transferTarget{Conversation: conversation,
		Channel: firstNonEmpty(p.Container.ChannelID, p.Channel.ID),
		Thread:  firstNonEmpty(p.Container.ThreadTS, p.Message.ThreadTS, p.Container.MessageTS, p.Message.TS)}
	_, err := h.Views.Client().OpenViewContext(ctx, p.TriggerID, transferModal(h.lang(), h.Teams, target))
	return err
}

func (h *Handler) lang() string {
	if h.Language == "" {
		return "en"
	}
	return h.Language
}

// viewSubmission holds the fields of a modal submission we use.
type viewSubmission struct {
	User struct {
		ID     string `json:"id"`
		TeamID string `json:"team_id"`
	} `json:"user"`
	View struct {
		ID              string `json:"id"`
		CallbackID      string `json:"callback_id"`
		PrivateMetadata string `json:"private_metadata"`
		State           struct {
			Values map[string]map[string]struct {
				SelectedUser   string `json:"selected_user"`
				SelectedOption *struct {
					Value string `json:"value"`
				} `json:"selected_option"`
				Value string `json:"value"`
			} `json:"values"`
		} `json:"state"`
	} `json:"view"`
}

// transferCommand turns a submitted transfer modal into the thread command
// the bridge understands; ok=false when it is not our modal. errText, when
// set, is shown in the modal instead of closing it.
func (h *Handler) transferCommand(raw []byte) (msg bridge.AgentMessage, errText string, ok bool) {
	var v viewSubmission
	if json.Unmarshal(raw, &v) != nil || v.View.CallbackID != transferCallbackID {
		return msg, "", false
	}
	var target transferTarget
	if json.Unmarshal([]byte(v.View.PrivateMetadata), &target) != nil || target.Thread == "" {
		return msg, "", false
	}
	values := v.View.State.Values
	agent := values["agent"]["agent"].SelectedUser
	team := ""
	if opt := values["team"]["team"].SelectedOption; opt != nil {
		team = opt.Value
	}
	reason := strings.TrimSpace(values["reason"]["reason"].Value)
	text := "!transfer "
	switch {
	case agent != "":
		text += "<@" + agent + ">"
	case team != "":
		text += team
	default:
		return msg, bridge.Text(h.lang(), "modal.pick_one"), true
	}
	if reason != "" {
		text += " " + reason
	}
	msg = bridge.AgentMessage{Workspace: bridge.WorkspaceSlack, EventID: "view:" + v.View.ID, ChannelID: target.Channel,
		ThreadKey: target.Thread, AuthorID: v.User.ID, Text: text, Guest: h.guest(v.User.TeamID)}
	if agent != "" {
		msg.Mentions = []string{agent}
	}
	return msg, "", true
}
