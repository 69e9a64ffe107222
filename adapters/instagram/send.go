package instagram

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/switchboard/switchboard/adapters/internal/metamsg"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/templates"
)

// MaxTextBytes is the longest text Instagram accepts: "Message text must
// be UTF-8 and less than 1000 bytes" (Instagram Login Send Messages guide,
// https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/messaging-api).
const MaxTextBytes = 1000

// sendResponse is the answer to POST …/messages:
// {"recipient_id":"<IGSID>","message_id":"<MID>"}.
type sendResponse = metamsg.SendResponse

// send posts one Send API body and returns the new message's mid.
func (c *Client) send(ctx context.Context, inbox bridge.InboxID, body metamsg.SendRequest) (string, error) {
	a, err := c.account(inbox)
	if err != nil {
		return "", err
	}
	var out sendResponse
	if err := c.postJSON(ctx, a, c.messagesEndpoint(a), body, &out); err != nil {
		return "", err
	}
	if out.MessageID == "" {
		return "", &bridge.DeliveryError{Reason: bridge.ReasonTemporary, Code: "bad_response",
			Err: fmt.Errorf("instagram answered without a message_id")}
	}
	return out.MessageID, nil
}

// textBody is the body Instagram documents for a text message,
// {"recipient":{"id":"<IGSID>"},"message":{"text":"…"}} (both guides send
// no messaging_type and no metadata), plus "messaging_type":"MESSAGE_TAG",
// "tag":"HUMAN_AGENT" for a person's reply after the 24-hour window.
func textBody(to bridge.CustomerAddress, text string, o bridge.SendOptions) metamsg.SendRequest {
	req := metamsg.SendRequest{Recipient: metamsg.Recipient{ID: string(to)}, Message: &metamsg.OutMessage{Text: text}}
	if o.HumanAgent {
		req.MessagingType, req.Tag = metamsg.MessagingTag, metamsg.TagHumanAgent
	}
	return req
}

// SendText sends free text, split into parts of at most MaxTextBytes on
// line, then word boundaries, in order; the last part's mid is returned.
// Instagram has no quoted replies through the Send API, so Quoting is
// ignored.
func (c *Client) SendText(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, text string, opts ...bridge.SendOption) (string, error) {
	o := bridge.ApplySendOptions(opts)
	parts := SplitText(text, MaxTextBytes)
	var last string
	for i, part := range parts {
		id, err := c.send(ctx, inbox, textBody(to, part, o))
		if err != nil {
			if i > 0 {
				return last, fmt.Errorf("send text part %d of %d (earlier parts were sent): %w", i+1, len(parts), err)
			}
			return "", err
		}
		last = id
	}
	return last, nil
}

// SendMedia is refused: Instagram's Send API takes attachments only by a
// public URL ("payload":{"url":…}), and switchboard holds the agent's file,
// not a public link to it. The agent is told the file was not sent.
func (c *Client) SendMedia(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, file bridge.File, caption string, opts ...bridge.SendOption) (string, error) {
	return "", &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonUnsupported, Code: "media_by_url_only",
		Err: fmt.Errorf("instagram takes attachments only as public URLs; %q was not sent", file.Name)}
}

// SendTemplate is refused: Instagram has no WhatsApp-style templates.
func (c *Client) SendTemplate(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, msg templates.Message) (string, error) {
	return "", &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonUnsupported, Code: "no_templates",
		Err: fmt.Errorf("instagram has no message templates")}
}

// SendReaction reacts to a customer's message with Instagram's one
// reaction, "love" (any emoji becomes the heart), or removes ours with an
// empty emoji: {"recipient":{"id"},"sender_action":"react"|"unreact",
// "payload":{"message_id","reaction"}}. The answer carries no new message
// id, so the target's id is returned.
func (c *Client) SendReaction(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, targetExternalID, emoji string) (string, error) {
	a, err := c.account(inbox)
	if err != nil {
		return "", err
	}
	// Instagram has one reaction, the heart ("love").
	reaction := "love"
	if emoji == "" {
		reaction = ""
	}
	body := metamsg.ReactionRequest(string(to), targetExternalID, reaction)
	if err := c.postJSON(ctx, a, c.messagesEndpoint(a), body, nil); err != nil {
		return "", err
	}
	return targetExternalID, nil
}

// MarkRead shows the customer their message was seen (sender_action
// mark_seen) and, with typing, that someone is typing (typing_on). The
// sender actions are addressed to the customer's IGSID, which the call
// does not carry, so the message's sender is read first:
// GET /{message-id}?fields=from (Instagram's Conversations API).
func (c *Client) MarkRead(ctx context.Context, inbox bridge.InboxID, externalID string, typing bool) error {
	a, err := c.account(inbox)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint(a, externalID)+"?fields=from", nil)
	if err != nil {
		return fmt.Errorf("instagram message request: %w", err)
	}
	var msg struct {
		From struct {
			ID string `json:"id"`
		} `json:"from"`
	}
	if err := c.do(req, a, &msg); err != nil {
		return fmt.Errorf("find the sender of the message to mark seen: %w", err)
	}
	if msg.From.ID == "" {
		return &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "no_sender",
			Err: fmt.Errorf("instagram gave no sender for the message to mark seen")}
	}
	actions := []string{metamsg.ActionMarkSeen}
	if typing {
		actions = append(actions, metamsg.ActionTypingOn)
	}
	for _, act := range actions {
		if err := c.postJSON(ctx, a, c.messagesEndpoint(a), metamsg.SenderActionRequest(msg.From.ID, act), nil); err != nil {
			return err
		}
	}
	return nil
}

// SplitText cuts s into pieces of at most limit bytes, preferring a line
// break, then a space, never splitting a rune. Blank pieces are dropped.
func SplitText(s string, limit int) []string {
	var out []string
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		if i := strings.LastIndexByte(s[:cut], '\n'); i > limit/2 {
			cut = i
		} else if i := strings.LastIndexFunc(s[:cut], unicode.IsSpace); i > limit/2 {
			cut = i
		}
		if p := strings.TrimSpace(s[:cut]); p != "" {
			out = append(out, p)
		}
		s = strings.TrimLeftFunc(s[cut:], unicode.IsSpace)
	}
	if p := strings.TrimSpace(s); p != "" || len(out) == 0 {
		out = append(out, p)
	}
	return out
}
