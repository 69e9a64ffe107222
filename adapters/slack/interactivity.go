package slack

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard/switchboard/bridge"
)

// ActionPrefix starts the action_id of every button we render ("sb:claim");
// clicks on other apps' or older buttons carry other ids and are ignored.
const ActionPrefix = "sb:"

// ActionID is the action_id of the button for verb.
func ActionID(verb bridge.Verb) string { return ActionPrefix + string(verb) }

// ActionValue is the value of a private action's button:
// "<conversation>/<value>" (card buttons carry the conversation alone).
func ActionValue(a bridge.PrivateAction) string {
	v := a.Conversation.String()
	if a.Value != "" {
		v += "/" + a.Value
	}
	return v
}

// parseActionValue reads a button value written by the card or ActionValue.
func parseActionValue(s string) (bridge.ConversationID, string, error) {
	conv, value, _ := strings.Cut(s, "/")
	id, err := bridge.ParseConversationID(conv)
	return id, value, err
}

// interaction holds the fields of an interactivity payload we use. Like
// envelope, it is our own struct: slack.InteractionCallback decodes whole
// messages and views and fails on block types it does not know.
type interaction struct {
	Type        string `json:"type"`
	TriggerID   string `json:"trigger_id"`
	ResponseURL string `json:"response_url"`
	User        struct {
		ID     string `json:"id"`
		TeamID string `json:"team_id"`
	} `json:"user"`
	Container struct {
		ChannelID string `json:"channel_id"`
		MessageTS string `json:"message_ts"`
		ThreadTS  string `json:"thread_ts"`
	} `json:"container"`
	Channel struct {
		ID string `json:"id"`
	} `json:"channel"`
	Message struct {
		TS       string `json:"ts"`
		ThreadTS string `json:"thread_ts"`
	} `json:"message"`
	Actions []struct {
		ActionID string `json:"action_id"`
		Value    string `json:"value"`
		ActionTS string `json:"action_ts"`
	} `json:"actions"`
}

// parseInteraction decodes an interactivity body (form field payload) and
// returns the actions on our buttons; other payload types and other apps'
// buttons yield none.
func parseInteraction(body []byte) ([]bridge.AgentAction, error) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, errors.Join(errMalformed, err)
	}
	raw := form.Get("payload")
	if raw == "" {
		return nil, errMalformed
	}
	var p interaction
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return nil, errors.Join(errMalformed, err)
	}
	if p.Type != "block_actions" {
		return nil, nil
	}
	channel := firstNonEmpty(p.Container.ChannelID, p.Channel.ID)
	// The card is the thread's root, so its own ts is the thread key when
	// Slack sends no thread_ts.
	thread := firstNonEmpty(p.Container.ThreadTS, p.Message.ThreadTS, p.Container.MessageTS, p.Message.TS)
	var acts []bridge.AgentAction
	for _, a := range p.Actions {
		verb, ok := strings.CutPrefix(a.ActionID, ActionPrefix)
		verb, _, _ = strings.Cut(verb, "#") // a private action's index
		if !ok || verb == "" || bridge.Verb(verb) == bridge.VerbTransfer || bridge.Verb(verb) == bridge.VerbTemplate ||
			bridge.Verb(verb) == bridge.VerbEditDraft {
			continue // Transfer, Send template and a draft's Edit open modals (transfer.go, template.go, drafts.go)
		}
		id, value, err := parseActionValue(a.Value)
		if err != nil {
			continue // not a value we wrote: never guess a conversation
		}
		eventID := firstNonEmpty(p.TriggerID, a.ActionTS)
		if bridge.Verb(verb) == bridge.VerbSend && p.Container.MessageTS != "" {
			// A preview's Send acts once per preview: a double click (each
			// press has its own trigger_id) must not send twice.
			eventID = "send:" + p.Container.MessageTS + "/" + a.Value
		}
		acts = append(acts, bridge.AgentAction{
			Workspace:      bridge.WorkspaceSlack,
			EventID:        eventID,
			ConversationID: id,
			Verb:           bridge.Verb(verb),
			Value:          value,
			ActorID:        p.User.ID,
			ChannelID:      channel,
			ThreadKey:      thread,
		})
	}
	return acts, nil
}

// actorTeam is the workspace of the person who clicked ("" when the
// payload does not say): a Slack Connect guest's differs from ours.
func actorTeam(body []byte) string {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return ""
	}
	var p interaction
	if json.Unmarshal([]byte(form.Get("payload")), &p) != nil {
		return ""
	}
	return p.User.TeamID
}

// responseURL is the click's response_url ("" when absent).
func responseURL(body []byte) string {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return ""
	}
	var p interaction
	if json.Unmarshal([]byte(form.Get("payload")), &p) != nil {
		return ""
	}
	return p.ResponseURL
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// interactivity serves POST /slack/interactivity. Slack does not retry
// interactions; a non-2xx answer shows the clicker a warning, which is what
// we want when the bridge could not store the click.
func (h *Handler) interactivity(c *fiber.Ctx) error {
	if !h.verify(c) {
		return nil
	}
	acts, err := parseInteraction(c.Body())
	if err != nil {
		h.Metrics.Webhook(platform, bridge.ResultBadRequest)
		return c.SendStatus(fiber.StatusBadRequest)
	}
	if handled, err := h.cannedInteraction(c); handled {
		return err
	}
	if handled, err := h.transferInteraction(c); handled {
		return err
	}
	if handled, err := h.quoteInteraction(c); handled { // quote.go
		return err
	}
	if handled, err := h.draftInteraction(c); handled { // drafts.go
		return err
	}
	if p, ok := parseModalPayload(c.Body()); ok {
		if handled, err := h.modalInteraction(c, p); handled {
			return err
		}
	}
	if len(acts) == 0 {
		h.Metrics.Webhook(platform, bridge.ResultIgnored)
		return c.SendStatus(fiber.StatusOK)
	}
	ctx := c.UserContext()
	guest := h.guest(actorTeam(c.Body()))
	for _, act := range acts {
		act.Guest = guest
		if err := h.Inbound.HandleAgentAction(ctx, act); err != nil {
			h.Metrics.Webhook(platform, bridge.ResultError)
			h.log().Error("slack action not stored", "conversation", act.ConversationID, "verb", act.Verb, "err", err)
			return c.SendStatus(fiber.StatusInternalServerError)
		}
		if act.Verb == bridge.VerbSend && strings.HasPrefix(act.Value, bridge.CannedSendPrefix) {
			// After answering: Slack wants the click acknowledged in 3 s.
			go h.acknowledgeSend(ctx, responseURL(c.Body()), act)
		}
		if isDraftAction(act) {
			go h.settleDraft(ctx, responseURL(c.Body()), act) // drafts.go
		}
	}
	h.Metrics.Webhook(platform, bridge.ResultAccepted)
	return c.SendStatus(fiber.StatusOK)
}

// commandReply is the JSON answer to a slash command.
type commandReply struct {
	ResponseType string `json:"response_type"`
	Text         string `json:"text"`
}

// parseCommand decodes a slash-command body. Slack's own documentation
// example leaves "/" and ":" unencoded, which url.ParseQuery accepts.
func parseCommand(body []byte) (name string, cmd bridge.AgentCommand, err error) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return "", cmd, errors.Join(errMalformed, err)
	}
	if form.Get("command") == "" {
		return "", cmd, errMalformed
	}
	return form.Get("command"), bridge.AgentCommand{
		Workspace: bridge.WorkspaceSlack,
		ChannelID: form.Get("channel_id"),
		UserID:    form.Get("user_id"),
		Text:      strings.TrimSpace(form.Get("text")),
	}, nil
}

// commands serves POST /slack/commands. The answer is always 200 with an
// ephemeral text, even on failure: Slack shows a non-2xx only as a vague
// "failed with the error" notice, and DESIGN.md asks that a failed command
// tell its author why.
func (h *Handler) commands(c *fiber.Ctx) error {
	if !h.verify(c) {
		return nil
	}
	name, cmd, err := parseCommand(c.Body())
	if err != nil {
		h.Metrics.Webhook(platform, bridge.ResultBadRequest)
		return c.SendStatus(fiber.StatusBadRequest)
	}
	want := h.Command
	if want == "" {
		want = "/switchboard"
	}
	if name != want {
		h.Metrics.Webhook(platform, bridge.ResultIgnored)
		return c.JSON(commandReply{ResponseType: "ephemeral", Text: "Unknown command " + name + "; try " + want + " help."})
	}
	// team_id is where the person typed the command from: a Slack Connect
	// guest's own workspace, not ours.
	if form, err := url.ParseQuery(string(c.Body())); err == nil {
		cmd.Guest = h.guest(form.Get("team_id"))
	}
	if trigger, ok := wantsStartForm(c.Body(), cmd.Text); ok {
		// "/switchboard new" alone: a form (start.go). An empty 200 shows
		// nothing in the channel; if the form cannot open, the bridge
		// answers with the text usage instead.
		err := h.openStartForm(c.UserContext(), trigger, cmd)
		if err == nil {
			h.Metrics.Webhook(platform, bridge.ResultAccepted)
			return emptyOK(c)
		}
		h.log().Error("slack start form not opened", "channel", cmd.ChannelID, "err", err)
	}
	reply, err := h.Inbound.HandleAgentCommand(c.UserContext(), cmd)
	if err != nil {
		h.Metrics.Webhook(platform, bridge.ResultError)
		h.log().Error("slack command failed", "channel", cmd.ChannelID, "err", err)
		if reply == "" {
			reply = "Sorry, that did not work. Please try again in a moment."
		}
	} else {
		h.Metrics.Webhook(platform, bridge.ResultAccepted)
	}
	return c.JSON(commandReply{ResponseType: "ephemeral", Text: RenderMentions(ToMrkdwn(reply))})
}

// transferInteraction handles the Transfer button (opens the modal) and
// the modal's submission (becomes a !transfer thread command).
func (h *Handler) transferInteraction(c *fiber.Ctx) (bool, error) {
	form, err := url.ParseQuery(string(c.Body()))
	if err != nil {
		return false, nil
	}
	raw := []byte(form.Get("payload"))
	var p interaction
	if json.Unmarshal(raw, &p) != nil {
		return false, nil
	}
	ctx := c.UserContext()
	switch p.Type {
	case "block_actions":
		for _, a := range p.Actions {
			if a.ActionID != ActionID(bridge.VerbTransfer) {
				continue
			}
			if err := h.openTransfer(ctx, p, a.Value); err != nil {
				h.log().Error("slack transfer modal not opened", "err", err)
				return true, c.SendStatus(fiber.StatusInternalServerError)
			}
			h.Metrics.Webhook(platform, bridge.ResultAccepted)
			return true, c.SendStatus(fiber.StatusOK)
		}
	case "view_submission":
		msg, errText, ok := h.transferCommand(raw)
		if !ok {
			return false, nil
		}
		if errText != "" {
			return true, c.JSON(fiber.Map{"response_action": "errors", "errors": fiber.Map{"agent": errText}})
		}
		if err := h.Inbound.HandleAgentMessage(ctx, msg); err != nil {
			h.log().Error("slack transfer not stored", "err", err)
			return true, c.SendStatus(fiber.StatusInternalServerError)
		}
		h.Metrics.Webhook(platform, bridge.ResultAccepted)
		return true, emptyOK(c) // an empty 200 closes the modal
	}
	return false, nil
}

// emptyOK answers 200 with no body. fiber's SendStatus writes "OK" into
// an empty body, which Slack would show as a message after a slash
// command and reject as an answer to a view_submission.
func emptyOK(c *fiber.Ctx) error {
	c.Status(fiber.StatusOK)
	return nil
}
