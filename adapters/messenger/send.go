package messenger

import (
	"context"
	"fmt"

	"github.com/switchboard/switchboard/adapters/internal/metamsg"
	"github.com/switchboard/switchboard/adapters/whatsapp"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/templates"
)

// MaxTextLength is the longest text the Send API takes, in characters.
const MaxTextLength = 2000

// flags turns the bridge's send options into the Send API's: HUMAN_AGENT
// for a person's reply after 24 hours, reply_to for a quote.
func flags(opts []bridge.SendOption) metamsg.SendFlags {
	o := bridge.ApplySendOptions(opts)
	return metamsg.SendFlags{HumanAgent: o.HumanAgent, ReplyTo: o.ReplyTo}
}

// SendText sends text, split at MaxTextLength on line then word boundaries
// into several messages in order; the last mid is returned. The quote goes
// on the first part, the HUMAN_AGENT tag on every part.
func (c *Client) SendText(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, text string, opts ...bridge.SendOption) (string, error) {
	f := flags(opts)
	parts := whatsapp.SplitText(text, MaxTextLength)
	var last string
	for i, part := range parts {
		pf := f
		if i > 0 {
			pf.ReplyTo = ""
		}
		id, err := c.sendMessage(ctx, inbox, metamsg.TextRequest(string(to), part, pf))
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

// SendTemplate is refused: Messenger has no message templates that open a
// closed window (the bridge's channel rules say so; this guards a bug).
func (c *Client) SendTemplate(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, msg templates.Message) (string, error) {
	return "", &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonUnsupported, Code: "no_templates",
		Err: fmt.Errorf("messenger has no WhatsApp message templates")}
}

// SendReaction reacts to the customer's message with a reaction name
// Messenger knows ("love" for ❤️ and the like); an empty emoji takes our
// reaction back. The Send API answers without a message id, so "" is
// returned.
func (c *Client) SendReaction(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, targetExternalID, emoji string) (string, error) {
	_, err := c.post(ctx, inbox, metamsg.ReactionRequest(string(to), targetExternalID, reactionName(emoji)))
	return "", err
}

// reactionName maps an emoji to the reaction names the Send API takes;
// anything else goes as "love", the one every client shows.
func reactionName(emoji string) string {
	if emoji == "" {
		return ""
	}
	switch emoji {
	case "😆", "😂", "🤣":
		return "haha"
	case "😮", "😯":
		return "wow"
	case "😢", "😭":
		return "sad"
	case "😠", "😡":
		return "angry"
	case "👍":
		return "like"
	}
	return "love"
}

// MarkRead shows the customer that their messages were seen (mark_seen),
// and with typing also typing_on. The bridge names the customer's message
// only by its mid, and the sender action needs the PSID, so the client
// first reads the message's sender from the Graph API (GET /{mid}?fields=from).
func (c *Client) MarkRead(ctx context.Context, inbox bridge.InboxID, externalID string, typing bool) error {
	var msg struct {
		From struct {
			ID string `json:"id"`
		} `json:"from"`
	}
	if err := c.get(ctx, inbox, c.endpoint(externalID)+"?fields=from", &msg); err != nil {
		return fmt.Errorf("find the sender of the message to mark seen: %w", err)
	}
	if msg.From.ID == "" {
		return &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "no_sender",
			Err: fmt.Errorf("graph api gave no sender for the message to mark seen")}
	}
	return c.MarkSeen(ctx, inbox, bridge.CustomerAddress(msg.From.ID), typing)
}

// MarkSeen sends mark_seen (and typing_on with typing) to the customer to.
func (c *Client) MarkSeen(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, typing bool) error {
	if _, err := c.post(ctx, inbox, metamsg.SenderActionRequest(string(to), metamsg.ActionMarkSeen)); err != nil {
		return err
	}
	if typing {
		_, err := c.post(ctx, inbox, metamsg.SenderActionRequest(string(to), metamsg.ActionTypingOn))
		return err
	}
	return nil
}
