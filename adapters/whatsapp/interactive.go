package whatsapp

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/switchboard/switchboard/bridge"
)

// Limits of an interactive "button" message, from the Cloud API reference.
const (
	MaxButtons           = 3
	MaxButtonTitleLength = 20   // characters
	MaxButtonIDLength    = 256  // characters
	MaxInteractiveBody   = 1024 // characters
)

var _ bridge.InteractiveSender = (*Client)(nil)

// SendButtons sends text with up to three quick-reply buttons (an
// interactive message of type "button"). The customer's press arrives as
// an interactive button_reply carrying the button's id. Requests WhatsApp
// would refuse (too many buttons, titles over 20 characters, repeated ids
// or titles) fail here as permanent errors, without a call.
func (c *Client) SendButtons(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, text string, buttons []bridge.ReplyButton) (string, error) {
	if err := checkButtons(text, buttons); err != nil {
		return "", &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "bad_buttons", Err: err}
	}
	list := make([]map[string]any, 0, len(buttons))
	for _, b := range buttons {
		list = append(list, map[string]any{"type": "reply", "reply": map[string]any{"id": b.ID, "title": b.Title}})
	}
	return c.sendMessage(ctx, inbox, map[string]any{
		"recipient_type": "individual",
		"to":             string(to),
		"type":           "interactive",
		"interactive": map[string]any{
			"type":   "button",
			"body":   map[string]any{"text": text},
			"action": map[string]any{"buttons": list},
		},
	})
}

func checkButtons(text string, buttons []bridge.ReplyButton) error {
	if text == "" || utf8.RuneCountInString(text) > MaxInteractiveBody {
		return fmt.Errorf("send buttons: body must have 1 to %d characters", MaxInteractiveBody)
	}
	if len(buttons) == 0 || len(buttons) > MaxButtons {
		return fmt.Errorf("send buttons: %d buttons; WhatsApp takes 1 to %d", len(buttons), MaxButtons)
	}
	ids, titles := map[string]bool{}, map[string]bool{}
	for _, b := range buttons {
		if n := utf8.RuneCountInString(b.Title); n == 0 || n > MaxButtonTitleLength {
			return fmt.Errorf("send buttons: title %q has %d characters; WhatsApp takes 1 to %d", b.Title, n, MaxButtonTitleLength)
		}
		if n := utf8.RuneCountInString(b.ID); n == 0 || n > MaxButtonIDLength {
			return fmt.Errorf("send buttons: id of %q has %d characters; WhatsApp takes 1 to %d", b.Title, n, MaxButtonIDLength)
		}
		if ids[b.ID] || titles[b.Title] {
			return fmt.Errorf("send buttons: ids and titles must be unique (%q)", b.Title)
		}
		ids[b.ID], titles[b.Title] = true, true
	}
	return nil
}
