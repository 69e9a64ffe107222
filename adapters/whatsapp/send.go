package whatsapp

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/templates"
)

// MaxTextLength is the longest text body WhatsApp accepts, in characters.
const MaxTextLength = 4096

// SendText sends free text. Text longer than MaxTextLength is split on line,
// then word boundaries and sent as several messages in order; the id of the
// last one is returned. If a later part fails, the error says how many parts
// went out: a retry of the whole delivery resends them, which we accept
// over silently truncating (the bridge should split first; see report).
// A quote (bridge.Quoting) goes on the first part only.
func (c *Client) SendText(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, text string, opts ...bridge.SendOption) (string, error) {
	o := bridge.ApplySendOptions(opts)
	parts := SplitText(text, MaxTextLength)
	var last string
	for i, part := range parts {
		msg := map[string]any{
			"recipient_type": "individual",
			"to":             string(to),
			"type":           "text",
			"text":           map[string]any{"body": part, "preview_url": hasURL(part)},
		}
		if i == 0 {
			quote(msg, o)
		}
		id, err := c.sendMessage(ctx, inbox, msg)
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

// quote makes msg answer the customer's message o.ReplyTo, if any
// (WhatsApp's context object).
func quote(msg map[string]any, o bridge.SendOptions) {
	if o.ReplyTo != "" {
		msg["context"] = map[string]any{"message_id": o.ReplyTo}
	}
}

func hasURL(s string) bool {
	return strings.Contains(s, "https://") || strings.Contains(s, "http://")
}

// SplitText cuts s into pieces of at most limit characters (runes), at the
// last line break in a piece, else the last space, else mid-word. The
// separator at a cut is dropped. Empty text gives one empty piece, so the
// platform, not us, refuses it.
func SplitText(s string, limit int) []string {
	if limit <= 0 || utf8.RuneCountInString(s) <= limit {
		return []string{s}
	}
	var out []string
	for utf8.RuneCountInString(s) > limit {
		// Byte offset just after the limit-th rune.
		end, n := 0, 0
		for i := range s {
			if n == limit {
				end = i
				break
			}
			n++
		}
		window := s[:end]
		cut, skip := end, 0
		if i := strings.LastIndexByte(window, '\n'); i > 0 {
			cut, skip = i, 1
		} else if i := strings.LastIndexByte(window, ' '); i > 0 {
			cut, skip = i, 1
		}
		out = append(out, s[:cut])
		s = s[cut+skip:]
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// SendTemplate sends an approved template, filled in (templates.Build
// gives Meta's documented "template" object).
func (c *Client) SendTemplate(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, msg templates.Message) (string, error) {
	return c.sendMessage(ctx, inbox, map[string]any{
		"recipient_type": "individual",
		"to":             string(to),
		"type":           "template",
		"template":       msg,
	})
}

// SendReaction reacts to a customer's message; an empty emoji removes our
// reaction, so the emoji key is always sent.
func (c *Client) SendReaction(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, targetExternalID, emoji string) (string, error) {
	return c.sendMessage(ctx, inbox, map[string]any{
		"recipient_type": "individual",
		"to":             string(to),
		"type":           "reaction",
		"reaction":       map[string]any{"message_id": targetExternalID, "emoji": emoji},
	})
}

// MarkRead marks the customer's message, and those before it, as read
// (blue ticks); with typing, the customer also sees a typing indicator
// until our next message or for 25 seconds.
func (c *Client) MarkRead(ctx context.Context, inbox bridge.InboxID, externalID string, typing bool) error {
	if inbox == "" {
		return &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "no_inbox",
			Err: fmt.Errorf("mark whatsapp message read: empty phone number id")}
	}
	body := map[string]any{"messaging_product": "whatsapp", "status": "read", "message_id": externalID}
	if typing {
		body["typing_indicator"] = map[string]any{"type": "text"}
	}
	var out struct {
		Success bool `json:"success"`
	}
	if err := c.postJSON(ctx, c.endpoint(string(inbox), "messages"), body, &out); err != nil {
		return err
	}
	if !out.Success {
		return &bridge.DeliveryError{Reason: bridge.ReasonTemporary, Code: "bad_response",
			Err: fmt.Errorf("mark read: graph api did not answer success")}
	}
	return nil
}
