package slack

import (
	"encoding/json"
	"strings"

	"github.com/gofiber/fiber/v2"
	slackapi "github.com/slack-go/slack"

	"github.com/switchboard/switchboard/bridge"
)

// "Reply to this message" (issue 17). Slack has no reply-to-a-message in a
// thread, so a message shortcut on a customer's message opens a modal with
// a text box; what is submitted is the agent's reply quoting that message
// on WhatsApp (context.message_id). It has no message of its own in the
// thread: the bridge posts it there, with the quote, as it posts a canned
// response sent from its preview.

const (
	// QuoteCallbackID is the message shortcut's callback_id (declared in
	// configs/slack-app-manifest.yaml) and its modal's.
	QuoteCallbackID = "sb_quote_reply"
	quoteBlock      = "quote_reply"
	quoteAction     = "text"
	// maxQuoteReply is the most a plain_text_input may hold: Slack
	// refuses a max_length above 3000 (the view does not open), which is
	// below WhatsApp's 4,096 characters of text.
	maxQuoteReply = 3000
)

// quoteTarget is the modal's private_metadata: the message answered.
type quoteTarget struct {
	Channel string `json:"ch"`
	Thread  string `json:"th"`
	TS      string `json:"ts"`
}

// quoteInteraction opens the modal (the shortcut) and sends its text (the
// submission); handled is false for other payloads.
func (h *Handler) quoteInteraction(c *fiber.Ctx) (handled bool, err error) {
	p, ok := parseModalPayload(c.Body())
	if !ok {
		return false, nil
	}
	switch {
	case p.Type == "message_action" && p.CallbackID == QuoteCallbackID:
		return true, h.openQuote(c, p)
	case p.Type == "view_submission" && p.View.CallbackID == QuoteCallbackID:
		return true, h.submitQuote(c, p)
	}
	return false, nil
}

func (h *Handler) openQuote(c *fiber.Ctx, p modalPayload) error {
	if h.Views == nil {
		h.log().Error("slack quote modal not opened: no Slack client configured")
		return c.SendStatus(fiber.StatusInternalServerError)
	}
	// A shortcut on the card (a thread's root) has no thread_ts: the
	// card's own ts is the thread.
	target := quoteTarget{Channel: p.Channel.ID, Thread: firstNonEmpty(p.Message.ThreadTS, p.Message.TS), TS: p.Message.TS}
	if _, err := h.Views.Client().OpenViewContext(c.UserContext(), p.TriggerID, quoteModal(h.lang(), target, p.Message.Text)); err != nil {
		h.log().Error("slack quote modal not opened", "err", err)
		return c.SendStatus(fiber.StatusInternalServerError)
	}
	h.Metrics.Webhook(platform, bridge.ResultAccepted)
	return c.SendStatus(fiber.StatusOK)
}

// submitQuote hands the reply to the bridge as the submitter's message
// in the thread, quoting target. The view's id dedupes a resubmission.
func (h *Handler) submitQuote(c *fiber.Ctx, p modalPayload) error {
	var target quoteTarget
	if json.Unmarshal([]byte(p.View.PrivateMetadata), &target) != nil || target.Thread == "" || target.TS == "" {
		return c.SendStatus(fiber.StatusBadRequest)
	}
	text := strings.TrimSpace(p.View.input(quoteBlock))
	if text == "" {
		return c.JSON(fiber.Map{"response_action": "errors", "errors": fiber.Map{quoteBlock: bridge.Text(h.lang(), "quote.modal_empty")}})
	}
	msg := bridge.AgentMessage{Workspace: bridge.WorkspaceSlack, EventID: "view:" + p.View.ID, ChannelID: target.Channel,
		ThreadKey: target.Thread, QuotedKey: target.TS, AuthorID: p.User.ID, Text: text, Guest: h.guest(p.User.TeamID)}
	if err := h.Inbound.HandleAgentMessage(c.UserContext(), msg); err != nil {
		h.Metrics.Webhook(platform, bridge.ResultError)
		h.log().Error("slack quoted reply not stored", "channel", target.Channel, "err", err)
		return c.SendStatus(fiber.StatusInternalServerError)
	}
	h.Metrics.Webhook(platform, bridge.ResultAccepted)
	return emptyOK(c) // closes the modal
}

// quoteModal is the reply box, with the quoted message above it.
func quoteModal(lang string, target quoteTarget, quoted string) slackapi.ModalViewRequest {
	meta, _ := json.Marshal(target) // strings only: cannot fail
	input := slackapi.NewPlainTextInputBlockElement(nil, quoteAction)
	input.Multiline = true
	input.MaxLength = maxQuoteReply
	blocks := []slackapi.Block{}
	if q := strings.TrimSpace(quoted); q != "" {
		blocks = append(blocks, slackapi.NewContextBlock("quoted", mrkdwn(truncate("> "+strings.Join(strings.Fields(q), " "), 300))))
	}
	blocks = append(blocks, slackapi.NewInputBlock(quoteBlock, plain(truncate(bridge.Text(lang, "quote.modal_label"), 2000)), nil, input))
	return slackapi.ModalViewRequest{
		Type:            slackapi.VTModal,
		Title:           plain(truncate(bridge.Text(lang, "quote.modal_title"), maxModalTitle)),
		Submit:          plain(bridge.Text(lang, "quote.modal_send")),
		Close:           plain(bridge.Text(lang, "tplmodal.close")),
		CallbackID:      QuoteCallbackID,
		PrivateMetadata: string(meta),
		Blocks:          slackapi.Blocks{BlockSet: blocks},
	}
}
