package slack

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	slackapi "github.com/slack-go/slack"

	"github.com/switchboard/switchboard/bridge"
)

// AI drafts in Slack (bridge/assist_agent.go). A draft is an ephemeral
// message with Send, Edit, Discard and Try again. Send and Discard are
// plain private actions the bridge decides; once the bridge sent or
// dropped the draft, the ephemeral is replaced by a short
// acknowledgement (Send) or deleted (Discard) through
// the click's response_url, so its buttons cannot be pressed again. Edit
// opens a modal prefilled with the draft (views.open with the click's
// trigger_id); its submission becomes the draft's Send with the edited
// text, exactly as the bridge expects from any workspace's form.

const (
	// DraftCallbackID is the edit modal's callback_id.
	DraftCallbackID = "sb_draft_edit"
	draftBlock      = "draft"
	draftAction     = "text"
	// maxDraftInput is Slack's limit of a plain_text_input (max_length
	// and what it can hold).
	maxDraftInput = 3000
)

// draftTarget is the edit modal's private_metadata: the draft, where it
// was shown, and the ephemeral's response_url to replace it once sent
// (Slack keeps a response_url usable for 30 minutes, five times).
type draftTarget struct {
	Conversation string `json:"c"`
	Value        string `json:"v"`
	Channel      string `json:"ch"`
	Thread       string `json:"th"`
	ResponseURL  string `json:"r,omitempty"`
}

// drafts is the bridge's Drafts, when the inbound side offers it.
func (h *Handler) drafts() (bridge.Drafts, bool) {
	d, ok := h.Inbound.(bridge.Drafts)
	return d, ok
}

// draftInteraction opens the edit modal (the Edit button) and sends its
// text (the submission); handled is false for other payloads.
func (h *Handler) draftInteraction(c *fiber.Ctx) (handled bool, err error) {
	p, ok := parseModalPayload(c.Body())
	if !ok {
		return false, nil
	}
	switch p.Type {
	case "block_actions":
		for _, a := range p.Actions {
			verb, ok := strings.CutPrefix(a.ActionID, ActionPrefix)
			verb, _, _ = strings.Cut(verb, "#")
			if ok && bridge.Verb(verb) == bridge.VerbEditDraft {
				return true, h.openDraftEdit(c, p, a.Value)
			}
		}
	case "view_submission":
		if p.View.CallbackID == DraftCallbackID {
			return true, h.submitDraftEdit(c, p)
		}
	}
	return false, nil
}

// openDraftEdit opens the modal with the draft's text, or with why it
// cannot be edited (sent, discarded, someone else's).
func (h *Handler) openDraftEdit(c *fiber.Ctx, p modalPayload, buttonValue string) error {
	ctx := c.UserContext()
	drafts, ok := h.drafts()
	if h.Views == nil || !ok {
		h.log().Error("slack draft edit modal not opened: no Slack client or no drafts configured")
		return c.SendStatus(fiber.StatusInternalServerError)
	}
	conv, value, err := parseActionValue(buttonValue)
	if err != nil {
		h.Metrics.Webhook(platform, bridge.ResultIgnored)
		return c.SendStatus(fiber.StatusOK)
	}
	target := draftTarget{Conversation: conv.String(), Value: value, Channel: firstNonEmpty(p.Container.ChannelID, p.Channel.ID),
		Thread: firstNonEmpty(p.Container.ThreadTS, p.Message.ThreadTS), ResponseURL: responseURL(c.Body())}
	text, err := drafts.DraftText(ctx, conv, value, p.User.ID)
	if err != nil && !errors.Is(err, bridge.ErrNotFound) {
		h.log().Error("slack draft not read", "conversation", conv, "err", err)
		return c.SendStatus(fiber.StatusInternalServerError)
	}
	editable := err == nil
	if _, err := h.Views.Client().OpenViewContext(ctx, p.TriggerID, draftModal(h.lang(), target, text, editable)); err != nil {
		h.log().Error("slack draft edit modal not opened", "conversation", conv, "err", err)
		return c.SendStatus(fiber.StatusInternalServerError)
	}
	h.Metrics.Webhook(platform, bridge.ResultAccepted)
	return c.SendStatus(fiber.StatusOK)
}

// submitDraftEdit hands the edited text to the bridge as the draft's
// Send, from the submitter. The view's id dedupes a resubmission; a blank
// text is refused in the modal.
func (h *Handler) submitDraftEdit(c *fiber.Ctx, p modalPayload) error {
	var target draftTarget
	if json.Unmarshal([]byte(p.View.PrivateMetadata), &target) != nil {
		return c.SendStatus(fiber.StatusBadRequest)
	}
	conv, err := bridge.ParseConversationID(target.Conversation)
	if err != nil || !strings.HasPrefix(target.Value, bridge.DraftSendPrefix) {
		return c.SendStatus(fiber.StatusBadRequest)
	}
	text := strings.TrimSpace(p.View.input(draftBlock))
	if text == "" {
		return c.JSON(fiber.Map{"response_action": "errors", "errors": fiber.Map{draftBlock: bridge.Text(h.lang(), "assist.draft_blank")}})
	}
	act := bridge.AgentAction{Workspace: bridge.WorkspaceSlack, EventID: "view:" + p.View.ID, ConversationID: conv,
		Verb: bridge.VerbSend, Value: target.Value, Text: text, ActorID: p.User.ID, ChannelID: target.Channel,
		ThreadKey: target.Thread, Guest: h.guest(p.User.TeamID)}
	if err := h.Inbound.HandleAgentAction(c.UserContext(), act); err != nil {
		h.Metrics.Webhook(platform, bridge.ResultError)
		h.log().Error("slack edited draft not stored", "conversation", conv, "err", err)
		return c.SendStatus(fiber.StatusInternalServerError)
	}
	go h.settleDraft(c.UserContext(), target.ResponseURL, act)
	h.Metrics.Webhook(platform, bridge.ResultAccepted)
	return emptyOK(c) // closes the modal
}

// draftModal is the edit form in lang, prefilled with text; without ok,
// it only says the draft can no longer be edited.
func draftModal(lang string, target draftTarget, text string, ok bool) slackapi.ModalViewRequest {
	meta, _ := json.Marshal(target) // strings only: cannot fail
	view := slackapi.ModalViewRequest{
		Type:            slackapi.VTModal,
		Title:           plain(truncate(bridge.Text(lang, "assist.edit_title"), maxModalTitle)),
		Close:           plain(bridge.Text(lang, "assist.edit_cancel")),
		CallbackID:      DraftCallbackID,
		PrivateMetadata: string(meta),
	}
	if !ok {
		view.Blocks = slackapi.Blocks{BlockSet: []slackapi.Block{slackapi.NewSectionBlock(mrkdwn(Escape(bridge.Text(lang, "assist.edit_gone"))), nil, nil)}}
		return view
	}
	input := slackapi.NewPlainTextInputBlockElement(nil, draftAction)
	input.Multiline = true
	input.MaxLength = maxDraftInput
	input.InitialValue = truncateRunes(text, maxDraftInput)
	view.Blocks = slackapi.Blocks{BlockSet: []slackapi.Block{
		slackapi.NewInputBlock(draftBlock, plain(bridge.Text(lang, "assist.edit_label")), nil, input),
	}}
	view.Submit = plain(bridge.Text(lang, "assist.edit_send"))
	return view
}

// truncateRunes keeps at most n characters of s, cutting nothing else.
func truncateRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// settleDraft replaces the draft's ephemeral message once it was sent
// (Send, or the edit form's submission) or deletes it once discarded,
// through its response_url, so its buttons cannot be pressed again. A
// refused Send (held by someone else, window closed, a newer
// conversation) leaves it as it is: the bridge told the agent why, and the
// draft can still be sent later. Best effort: the bridge has decided
// already, and a second press changes nothing anyway.
func (h *Handler) settleDraft(ctx context.Context, responseURL string, act bridge.AgentAction) {
	drafts, ok := h.drafts()
	if h.Views == nil || responseURL == "" || !ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	state, err := drafts.DraftState(ctx, act.ConversationID, act.Value, act.ActorID)
	if err != nil || !bridge.DraftSettled(act.Verb, state) {
		if err != nil && !errors.Is(err, bridge.ErrNotFound) {
			h.log().Warn("slack draft state not read", "conversation", act.ConversationID, "err", err)
		}
		return
	}
	msg := &slackapi.WebhookMessage{Text: ToMrkdwn(bridge.DraftSettledText(h.lang(), act.Verb, state)), ReplaceOriginal: true}
	if act.Verb == bridge.VerbDiscard {
		msg = &slackapi.WebhookMessage{DeleteOriginal: true}
	}
	if err := slackapi.PostWebhookCustomHTTPContext(ctx, responseURL, h.Views.cfg.HTTPClient, msg); err != nil {
		h.log().Warn("slack draft message not replaced", "conversation", act.ConversationID, "err", scrubURL(err, responseURL))
	}
}

// isDraftAction reports whether act is a draft's Send or Discard, whose
// ephemeral settleDraft replaces.
func isDraftAction(act bridge.AgentAction) bool {
	return (act.Verb == bridge.VerbSend || act.Verb == bridge.VerbDiscard) && strings.HasPrefix(act.Value, bridge.DraftSendPrefix)
}
