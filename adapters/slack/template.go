package slack

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	slackapi "github.com/slack-go/slack"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/templates"
)

// The template picker: the card's "Send template" button, a private
// message's button (a refused reply's offer, filtered to the customer's
// language) and the message shortcut "Send template" open a modal. Its
// menu lists the templates the bridge offers for the conversation
// (bridge.Picker), the customer's language first; choosing one updates
// the modal with one typed input per parameter and a preview; Enter in a
// field shows the typed values in the preview.
//
// Submitting does not send at once: it pushes a last view showing exactly
// what the customer will receive, with Send (and Back, which returns to
// the form as it was). A template costs money, cannot be recalled, and
// the preview of the form shows Meta's examples until Enter is pressed,
// so a demanding agent wants to see the real message once before it
// goes. Send becomes the thread command "!template name@language v1 | v2"
// from the submitter in that thread, handed to HandleAgentMessage like
// the transfer modal's submission: the bridge has one path that decides
// who may send what.

// Callback ids of the picker's two views, and of the message shortcut
// (configs/slack-app-manifest.yaml declares it).
const (
	templateCallbackID        = "sb_template"
	templateConfirmCallbackID = "sb_template_confirm"
	TemplateShortcutID        = "sb_template_shortcut"
	templatePickBlock         = "tpl"
	resultCallbackID          = "sb_result"
)

// templateInteraction handles what belongs to the picker; handled is
// false for anything else.
func (h *Handler) templateInteraction(c *fiber.Ctx, p modalPayload) (handled bool, err error) {
	ctx := c.UserContext()
	switch p.Type {
	case "message_action":
		if p.CallbackID != TemplateShortcutID {
			return false, nil
		}
		thread := firstNonEmpty(p.Message.ThreadTS, p.Message.TS)
		return true, h.answerOpen(c, h.openTemplatePicker(ctx, p, modalMeta{Channel: p.Channel.ID, Thread: thread}))
	case "block_actions":
		if p.Container.Type == "view" {
			if p.View.CallbackID != templateCallbackID {
				return false, nil
			}
			return true, h.answerOpen(c, h.refreshTemplatePicker(ctx, p))
		}
		for _, a := range p.Actions {
			verb, ok := strings.CutPrefix(a.ActionID, ActionPrefix)
			verb, _, _ = strings.Cut(verb, "#") // a private action's index
			if !ok || bridge.Verb(verb) != bridge.VerbTemplate {
				continue
			}
			conv, lang, err := parseActionValue(a.Value)
			if err != nil {
				return false, nil
			}
			meta := modalMeta{Conversation: conv.String(), Language: lang,
				Channel: firstNonEmpty(p.Container.ChannelID, p.Channel.ID),
				Thread:  firstNonEmpty(p.Container.ThreadTS, p.Message.ThreadTS, p.Container.MessageTS, p.Message.TS)}
			return true, h.answerOpen(c, h.openTemplatePicker(ctx, p, meta))
		}
	case "view_submission":
		switch p.View.CallbackID {
		case templateCallbackID:
			return true, c.JSON(h.submitTemplatePicker(ctx, p))
		case templateConfirmCallbackID:
			resp, err := h.sendTemplate(ctx, p)
			if err != nil {
				h.log().Error("slack template not stored", "err", err)
				return true, c.SendStatus(fiber.StatusInternalServerError)
			}
			h.Metrics.Webhook(platform, bridge.ResultAccepted)
			return true, c.JSON(resp)
		case resultCallbackID:
			return true, c.JSON(viewResponse{ResponseAction: "clear"})
		}
	}
	return false, nil
}

// answerOpen answers the interaction that opened or changed a modal.
func (h *Handler) answerOpen(c *fiber.Ctx, err error) error {
	if err != nil {
		h.Metrics.Webhook(platform, bridge.ResultError)
		h.log().Error("slack modal not shown", "err", err)
		return c.SendStatus(fiber.StatusInternalServerError)
	}
	h.Metrics.Webhook(platform, bridge.ResultAccepted)
	return c.SendStatus(fiber.StatusOK)
}

// picker is the bridge's Picker, when the Inbound has one.
func (h *Handler) templatePicker() (bridge.Picker, error) {
	if h.Views == nil {
		return nil, errors.New("no Slack client configured")
	}
	p, ok := h.Inbound.(bridge.Picker)
	if !ok {
		return nil, errors.New("the bridge offers no template picker")
	}
	return p, nil
}

// templateChoices asks the bridge what the person may send here.
func (h *Handler) templateChoices(ctx context.Context, p modalPayload, meta modalMeta) (bridge.TemplateChoices, error) {
	picker, err := h.templatePicker()
	if err != nil {
		return bridge.TemplateChoices{}, err
	}
	q := bridge.PickerQuery{Workspace: bridge.WorkspaceSlack, ChannelID: meta.Channel, ThreadKey: meta.Thread,
		UserID: p.User.ID, Guest: h.guest(p.User.TeamID)}
	if meta.Conversation != "" {
		id, err := bridge.ParseConversationID(meta.Conversation)
		if err != nil {
			return bridge.TemplateChoices{}, fmt.Errorf("template picker: conversation %q: %w", meta.Conversation, err)
		}
		q.ConversationID = id
	}
	return picker.TemplateChoices(ctx, q)
}

// templatePickerView is the picker's form.
func (h *Handler) templatePickerView(meta modalMeta, choices bridge.TemplateChoices, current modalView) slackapi.ModalViewRequest {
	lang := h.lang()
	view := slackapi.ModalViewRequest{
		Type:            slackapi.VTModal,
		Title:           plain(bridge.Text(lang, "tplmodal.title")),
		Close:           plain(bridge.Text(lang, "tplmodal.cancel")),
		CallbackID:      templateCallbackID,
		PrivateMetadata: meta.encode(),
	}
	if choices.Refusal != "" {
		view.Blocks.BlockSet = []slackapi.Block{slackapi.NewSectionBlock(mrkdwn(RenderMentions(ToMrkdwn(choices.Refusal))), nil, nil)}
		return view
	}
	form := templateForm{lang: lang, choices: choices, filter: meta.Language, pickBlock: templatePickBlock, view: current}
	view.Blocks.BlockSet = form.blocks()
	if len(choices.Templates) > 0 {
		view.Submit = plain(bridge.Text(lang, "tplmodal.next"))
	}
	return view
}

// openTemplatePicker opens the picker for the conversation meta names.
func (h *Handler) openTemplatePicker(ctx context.Context, p modalPayload, meta modalMeta) error {
	choices, err := h.templateChoices(ctx, p, meta)
	if err != nil {
		return fmt.Errorf("template picker: %w", err)
	}
	if choices.Conversation != 0 {
		meta.Conversation = choices.Conversation.String()
	}
	_, err = h.Views.Client().OpenViewContext(ctx, p.TriggerID, h.templatePickerView(meta, choices, modalView{}))
	return err
}

// refreshTemplatePicker redraws the form after a choice in the menu or
// Enter in a field: the chosen template's inputs and the preview.
func (h *Handler) refreshTemplatePicker(ctx context.Context, p modalPayload) error {
	meta, ok := decodeMeta(p.View.PrivateMetadata)
	if !ok {
		return errors.New("template picker: unreadable private_metadata")
	}
	choices, err := h.templateChoices(ctx, p, meta)
	if err != nil {
		return fmt.Errorf("template picker: %w", err)
	}
	return h.updateView(ctx, p.View, h.templatePickerView(meta, choices, p.View))
}

// updateView replaces a view, guarded by the hash the payload carried: a
// newer update that won the race stays (Slack answers hash_conflict).
func (h *Handler) updateView(ctx context.Context, current modalView, view slackapi.ModalViewRequest) error {
	_, err := h.Views.Client().UpdateViewContext(ctx, view, "", current.Hash, current.ID)
	if isSlackError(err, "hash_conflict") {
		return nil
	}
	return err
}

// submitTemplatePicker checks the form and pushes the confirmation, or
// answers with errors shown under the fields concerned.
func (h *Handler) submitTemplatePicker(ctx context.Context, p modalPayload) viewResponse {
	lang := h.lang()
	meta, ok := decodeMeta(p.View.PrivateMetadata)
	if !ok {
		return viewResponse{ResponseAction: "errors", Errors: map[string]string{templatePickBlock: bridge.Text(lang, "tplmodal.pick_template")}}
	}
	choices, err := h.templateChoices(ctx, p, meta)
	if err != nil {
		h.log().Error("slack template picker: choices", "err", err)
		return viewResponse{ResponseAction: "errors", Errors: map[string]string{templatePickBlock: err.Error()}}
	}
	form := templateForm{lang: lang, choices: choices, pickBlock: templatePickBlock, view: p.View}
	tpl, ok := form.selected()
	if !ok {
		return viewResponse{ResponseAction: "errors", Errors: map[string]string{templatePickBlock: bridge.Text(lang, "tplmodal.pick_template")}}
	}
	values, problems := form.typed(tpl)
	if len(problems) > 0 {
		return viewResponse{ResponseAction: "errors", Errors: problems}
	}
	rendered, err := templates.Render(tpl, values)
	if err != nil {
		return viewResponse{ResponseAction: "errors", Errors: map[string]string{templatePickBlock: err.Error()}}
	}
	meta.Template, meta.Values = templateKey(tpl), values
	if len(meta.encode()) > maxPrivateMetadata {
		return viewResponse{ResponseAction: "errors", Errors: firstParamError(tpl, bridge.Text(lang, "tplmodal.too_long"))}
	}
	confirm := slackapi.ModalViewRequest{
		Type:            slackapi.VTModal,
		Title:           plain(bridge.Text(lang, "tplmodal.confirm_title")),
		Submit:          plain(bridge.Text(lang, "tplmodal.send")),
		Close:           plain(bridge.Text(lang, "tplmodal.back")),
		CallbackID:      templateConfirmCallbackID,
		PrivateMetadata: meta.encode(),
		Blocks:          slackapi.Blocks{BlockSet: confirmBlocks(lang, nil, tpl, rendered)},
	}
	return viewResponse{ResponseAction: "push", View: &confirm}
}

// firstParamError puts text under the template's first parameter.
func firstParamError(tpl templates.Template, text string) map[string]string {
	if len(tpl.Params()) == 0 {
		return map[string]string{templatePickBlock: text}
	}
	return map[string]string{paramBlockID(0, tpl): text}
}

// sendTemplate turns the confirmed template into the thread command and
// closes every view of the modal.
func (h *Handler) sendTemplate(ctx context.Context, p modalPayload) (viewResponse, error) {
	meta, ok := decodeMeta(p.View.PrivateMetadata)
	if !ok || meta.Thread == "" || meta.Template == "" {
		return viewResponse{}, errors.New("template confirmation: unreadable private_metadata")
	}
	msg := bridge.AgentMessage{Workspace: bridge.WorkspaceSlack, EventID: "view:" + p.View.ID, ChannelID: meta.Channel,
		ThreadKey: meta.Thread, AuthorID: p.User.ID, Text: templateCommand(meta.Template, meta.Values), Guest: h.guest(p.User.TeamID)}
	if err := h.Inbound.HandleAgentMessage(ctx, msg); err != nil {
		return viewResponse{}, err
	}
	// The thread shows what was sent, or tells the agent privately why not.
	return viewResponse{ResponseAction: "clear"}, nil
}

// modalInteraction routes the payloads of the template picker and of the
// /switchboard new form (start.go).
func (h *Handler) modalInteraction(c *fiber.Ctx, p modalPayload) (bool, error) {
	if handled, err := h.templateInteraction(c, p); handled {
		return true, err
	}
	return h.startInteraction(c, p)
}
